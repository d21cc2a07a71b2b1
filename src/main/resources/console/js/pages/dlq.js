// The dead-letter queue: entries with their failed response, retried or deleted one by one, by selection or all
// that match the filters (counted first).
import { api, get } from '../api.js';
import { h, replace, table, empty } from '../dom.js';
import { when, base64Text, number, shortId } from '../format.js';
import { heading, button, confirm, toast } from '../ui.js';
import { filterForm, apiFilter } from './filters.js';

const FILTERS = ['messageId', 'url', 'queueName', 'label', 'responseStatus', 'workflowRunId', 'fromDate', 'toDate'];
const PAGE = 50;
/** Counting matches for a bulk action pages through the list; past this many the count says "at least". */
const COUNT_CAP = 5000;

export async function render(container, route) {
  const form = filterForm([
    { name: 'messageId', label: 'Message id', placeholder: 'msg_…' },
    { name: 'url', label: 'URL', placeholder: 'https://… (exact)' },
    { name: 'queueName', label: 'Queue' },
    { name: 'label', label: 'Label' },
    { name: 'responseStatus', label: 'Response status', placeholder: '500' },
    { name: 'workflowRunId', label: 'Workflow run', placeholder: 'wfr_…' },
    { name: 'fromDate', label: 'Failed from', type: 'date' },
    { name: 'toDate', label: 'Failed until', type: 'date' },
  ], route.query, 'dlq');
  const filter = apiFilter(route.query, FILTERS);
  const selected = new Set();
  const open = new Set();
  const list = h('div', { class: 'dlq-list' });
  const more = h('div', { class: 'more' });
  const selection = h('div', { class: 'selection' });
  replace(container, heading('Dead-letter queue',
    button('Retry all matching…', () => bulk('retry', filter).then(reload), 'secondary'),
    button('Delete all matching…', () => bulk('delete', filter).then(reload), 'danger secondary')),
  form, selection, list, more);

  let entries = [];
  let pages = 1;
  const drawSelection = () => replace(selection, selected.size === 0 ? null : [
    h('span', null, `${selected.size} selected`),
    button(`Retry ${selected.size}`, () => bySelection('retry', selected).then(reload)),
    button(`Delete ${selected.size}`, () => bySelection('delete', selected).then(reload), 'danger'),
  ]);
  const draw = (page) => {
    replace(list, entries.length === 0 ? empty('The dead-letter queue is empty for these filters.')
      : entries.map((e) => card(e, selected, open, drawSelection, reload)));
    replace(more, page.cursor ? button('Load more', async () => {
      const next = await get('/v2/dlq', { ...filter, count: PAGE, cursor: page.cursor, order: 'latestFirst' });
      pages++;
      entries = entries.concat(next.messages ?? []);
      draw(next);
    }, 'secondary') : null);
    drawSelection();
  };
  async function reload() {
    const page = await get('/v2/dlq', { ...filter, count: PAGE, order: 'latestFirst' });
    pages = 1;
    entries = page.messages ?? [];
    const present = new Set(entries.map((e) => e.dlqId));
    for (const id of [...selected]) if (!present.has(id)) selected.delete(id);
    draw(page);
  }
  await reload();
  return { refresh: async () => { if (pages === 1 && selected.size === 0) await reload(); }, every: 10000 };
}

function card(e, selected, open, drawSelection, reload) {
  const box = h('input', { type: 'checkbox', checked: selected.has(e.dlqId), 'aria-label': `select ${e.dlqId}` });
  box.addEventListener('change', () => {
    if (box.checked) selected.add(e.dlqId); else selected.delete(e.dlqId);
    drawSelection();
  });
  const responseBody = e.responseBody ?? base64Text(e.responseBodyBase64);
  const messageBody = e.body ?? base64Text(e.bodyBase64);
  const status = e.responseStatus ? `HTTP ${e.responseStatus}` : (e.error ?? 'no response');
  const details = h('details', { class: 'dlq-details', open: open.has(e.dlqId) },
    h('summary', null, 'Failed response and message'),
    h('div', { class: 'response' },
      h('h3', null, 'Response'),
      h('p', null, e.responseStatus ? `Status ${e.responseStatus}` : `No response: ${e.error ?? 'unknown error'}`),
      headerTable(e.responseHeader ?? e.responseHeaders),
      h('span', { class: 'label' }, 'Response body'),
      h('pre', { class: 'body response-body' }, responseBody || '(empty)')),
    h('div', { class: 'request' },
      h('h3', null, 'Message'),
      headerTable(e.header),
      h('span', { class: 'label' }, 'Body'),
      h('pre', { class: 'body message-body' }, messageBody || '(empty)')));
  details.addEventListener('toggle', () => { if (details.open) open.add(e.dlqId); else open.delete(e.dlqId); });
  return h('article', { class: 'dlq-entry', 'data-dlq-id': e.dlqId },
    h('div', { class: 'entry-head' }, box,
      h('span', { class: 'badge bad' }, status),
      h('a', { href: `#/message/${encodeURIComponent(e.messageId)}`, class: 'mono', title: e.messageId },
        shortId(e.messageId)),
      h('span', { class: 'muted' }, `failed ${when(Number(String(e.dlqId).split('-')[0]) || e.createdAt)}`),
      h('span', { class: 'entry-actions' },
        button('Retry', async () => {
          const r = await api('POST', `/v2/dlq/retry/${encodeURIComponent(e.dlqId)}`);
          toast(`Retried as ${r.messageId}.`);
          await reload();
        }, 'small'),
        button('Delete', async () => {
          if (!await confirm('Delete this DLQ entry?', [`${e.messageId} to ${e.url ?? ''} will be gone for good.`],
            'Delete')) return;
          await api('DELETE', `/v2/dlq/${encodeURIComponent(e.dlqId)}`);
          toast('Deleted.');
          await reload();
        }, 'small danger secondary'))),
    h('div', { class: 'entry-line' }, h('span', { class: 'url' }, e.url ?? e.topicName ?? ''),
      e.queueName ? h('span', { class: 'muted' }, `queue ${e.queueName}`) : null,
      e.workflowRunId ? h('a', { href: `#/workflow/${encodeURIComponent(e.workflowRunId)}`, class: 'workflow-run mono',
        title: e.workflowRunId }, `workflow run ${shortId(e.workflowRunId)}`) : null,
      (e.labels ?? []).map((l) => h('span', { class: 'tag' }, l))),
    details);
}

function headerTable(headers) {
  const entries = Object.entries(headers ?? {});
  if (entries.length === 0) return h('p', { class: 'muted' }, 'No headers.');
  return table(['Header', 'Value'], entries.map(([k, v]) => [h('span', { class: 'mono' }, k), [v].flat().join(', ')]));
}

async function bySelection(action, selected) {
  const ids = [...selected];
  const n = ids.length;
  if (action === 'delete' && !await confirm(`Delete ${n} DLQ entr${n === 1 ? 'y' : 'ies'}?`,
    ['They will be gone for good.'], `Delete ${n}`)) return;
  if (action === 'retry') {
    const r = await api('POST', '/v2/dlq/retry', { query: { dlqIds: ids.join(',') } });
    toast(`Retried ${number((r.responses ?? []).length)} message${n === 1 ? '' : 's'}.`);
  } else {
    const r = await api('DELETE', '/v2/dlq', { query: { dlqIds: ids.join(',') } });
    toast(`Deleted ${number(r.deleted)}.`);
  }
  selected.clear();
}

/** Counts the entries the filter matches by paging the list (the API has no count). */
async function countMatching(filter) {
  let n = 0;
  let cursor;
  do {
    const page = await get('/v2/dlq', { ...filter, count: 100, cursor });
    n += (page.messages ?? []).length;
    cursor = page.cursor;
  } while (cursor && n < COUNT_CAP);
  return { n, capped: Boolean(cursor) };
}

async function bulk(action, filter) {
  const { n, capped } = await countMatching(filter);
  if (n === 0) {
    toast('No DLQ entry matches these filters.', 'warn');
    return;
  }
  const count = `${capped ? 'at least ' : ''}${number(n)}`;
  const scope = Object.keys(filter).length === 0 ? 'No filter is set: this takes the whole dead-letter queue.'
    : `Filters: ${Object.entries(filter).map(([k, v]) => `${k} = ${v}`).join(', ')}.`;
  const what = action === 'retry'
    ? ['Each entry is published again as a new message to its original destination, and leaves the DLQ.', scope]
    : ['The entries will be gone for good.', scope];
  if (!await confirm(`${action === 'retry' ? 'Retry' : 'Delete'} ${count} DLQ entr${n === 1 ? 'y' : 'ies'}?`, what,
    `${action === 'retry' ? 'Retry' : 'Delete'} ${count}`)) return;
  let done = 0;
  let cursor;
  do {
    if (action === 'retry') {
      const r = await api('POST', '/v2/dlq/retry', { query: { ...filter, cursor } });
      done += (r.responses ?? []).length;
      cursor = r.cursor || undefined;
    } else {
      const r = await api('DELETE', '/v2/dlq', { query: { ...filter, count: 100, cursor } });
      done += r.deleted ?? 0;
      cursor = r.cursor || undefined;
    }
  } while (cursor);
  toast(`${action === 'retry' ? 'Retried' : 'Deleted'} ${number(done)}.`);
}
