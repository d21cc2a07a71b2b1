// Messages and logs: search the message log (GET /v2/logs) and cancel pending messages by filter.
import { api, get } from '../api.js';
import { h, replace, table, empty } from '../dom.js';
import { when, relative, stateClass, shortId, number } from '../format.js';
import { heading, button, confirm, toast } from '../ui.js';
import { filterForm, apiFilter } from './filters.js';

const FILTERS = ['messageId', 'url', 'host', 'queueName', 'label', 'state', 'fromDate', 'toDate'];
const CANCEL_FILTERS = ['messageId', 'url', 'host', 'queueName', 'label', 'fromDate', 'toDate'];
const STATES = [['', 'any state'], ['CREATED', 'created'], ['ACTIVE', 'active'], ['ERROR', 'error'],
  ['RETRY', 'retry'], ['DELIVERED', 'delivered'], ['FAILED', 'failed'], ['CANCELED', 'canceled'],
  ['IN_PROGRESS', 'in progress']];

export async function render(container, route) {
  const form = filterForm([
    { name: 'messageId', label: 'Message id', placeholder: 'msg_…' },
    { name: 'url', label: 'URL', placeholder: 'https://… (exact)' },
    { name: 'host', label: 'Host', placeholder: 'api.example.com' },
    { name: 'queueName', label: 'Queue' },
    { name: 'label', label: 'Label' },
    { name: 'state', label: 'State', type: 'select', options: STATES },
    { name: 'fromDate', label: 'From', type: 'date' },
    { name: 'toDate', label: 'To', type: 'date' },
  ], route.query, 'messages');
  const filter = apiFilter(route.query, FILTERS);
  const list = h('div', { class: 'log-list' });
  const more = h('div', { class: 'more' });
  const cancel = button('Cancel matching pending…', () => cancelMatching(route.query), 'danger secondary');
  replace(container, heading('Messages', h('a', { class: 'button secondary', href: '#/publish' }, 'Publish test'),
    cancel), form, list, more);

  let rows = [];
  let pages = 1;
  const load = async (cursor) => {
    const page = await get('/v2/logs', { ...filter, count: 50, cursor });
    return page;
  };
  const draw = (page) => {
    replace(list, rows.length > 0 ? logTable(rows) : empty(page.cursor
      ? 'No match among the most recent entries examined; load older entries to look further back.'
      : 'No log entries match.'));
    replace(more, page.cursor ? button('Load older entries', async () => {
      const next = await load(page.cursor);
      pages++;
      rows = rows.concat(next.logs ?? next.events ?? []);
      draw(next);
    }, 'secondary') : null);
  };
  const first = async () => {
    const page = await load();
    rows = page.logs ?? page.events ?? [];
    draw(page);
  };
  await first();
  return { refresh: async () => { if (pages === 1) await first(); }, every: 5000 };
}

function logTable(rows) {
  return table([{ label: 'Time' }, { label: 'State' }, { label: 'Message' }, { label: 'Destination' },
    { label: 'Queue' }, { label: 'Detail' }], rows.map((e) => [
    h('span', { title: new Date(e.time).toISOString() }, when(e.time)),
    h('span', { class: `badge ${stateClass(e.state)}` }, e.state),
    h('a', { href: `#/message/${encodeURIComponent(e.messageId)}`, class: 'mono', title: e.messageId },
      shortId(e.messageId)),
    h('span', { class: 'url' }, e.url ?? e.topicName ?? ''),
    e.queueName ?? '',
    detail(e),
  ]), { class: 'log-table' });
}

function detail(e) {
  if (e.state === 'ERROR') return h('span', { class: 'bad-text' }, e.error ?? `HTTP ${e.responseStatus}`);
  if (e.state === 'RETRY' && e.nextDeliveryTime) return `next try ${relative(e.nextDeliveryTime)}`;
  if (e.state === 'FAILED') return 'moved to the DLQ';
  return '';
}

async function cancelMatching(query) {
  const filter = apiFilter(query, CANCEL_FILTERS);
  const { pending } = await get('/ferry/v1/pending', filter);
  if (pending === 0) {
    toast('No pending message matches these filters.', 'warn');
    return;
  }
  const scope = Object.keys(filter).length === 0
    ? 'No filter is set: this cancels every pending message of this tenant.'
    : `Filters: ${Object.entries(filter).map(([k, v]) => `${k} = ${v}`).join(', ')} (dates apply to when a message was created).`;
  const ok = await confirm(`Cancel ${number(pending)} pending message${pending === 1 ? '' : 's'}?`,
    [scope, 'Cancelled messages are not delivered and cannot be brought back. An attempt already in flight finishes.'],
    `Cancel ${number(pending)}`);
  if (!ok) return;
  const result = await api('DELETE', '/v2/messages', { query: filter });
  toast(`Cancelled ${number(result.cancelled)} message${result.cancelled === 1 ? '' : 's'}.`);
}
