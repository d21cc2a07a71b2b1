// One message's whole story: every transition from the log, each attempt's response, the next retry, and the
// message itself while it is pending (with a cancel button). Refreshes until the story ends.
import { api, get } from '../api.js';
import { h, replace, table, empty } from '../dom.js';
import { when, relative, stateClass, base64Text, FINAL_STATES } from '../format.js';
import { heading, button, confirm, toast } from '../ui.js';

/** Requests per refresh at most: each examines up to 50 000 log entries on the server. */
const PAGES_PER_REFRESH = 5;

export async function render(container, route) {
  const id = route.arg;
  const summary = h('div', { class: 'summary' });
  const timeline = h('ol', { class: 'timeline' });
  replace(container, heading('Message', h('a', { class: 'button secondary', href: '#/messages' }, 'All messages')),
    h('p', { class: 'mono big', id: 'message-id' }, id), summary, h('h2', null, 'Story'), timeline);
  const story = new Story(id);
  let finished = false;
  const refresh = async () => {
    if (finished) return;
    // The log alone tells the story, pending or not (GET /v2/messages/{id} answers 404 once it is finished).
    await story.read();
    const entries = story.entries;
    const last = entries[entries.length - 1];
    finished = last !== undefined && FINAL_STATES.has(last.state) && !story.cursor;
    drawSummary(summary, id, entries, last !== undefined && !FINAL_STATES.has(last.state), refresh);
    replace(timeline, entries.length === 0 ? empty(story.cursor ? 'Still looking through the log…'
      : 'No log entries for this message (yet).') : entries.map(step));
  };
  await refresh();
  return { refresh, every: 2000 };
}

/**
 * A message's log entries, oldest first, read forward from just before the message was created (its id holds the
 * time), so a refresh reads only what is new instead of scanning the log from one end.
 */
class Story {
  constructor(id) {
    this.id = id;
    this.entries = [];
    this.seen = new Set();
    this.cursor = undefined;
    const created = createdMillis(id);
    this.from = created === undefined ? undefined : created - 60_000;
  }

  async read() {
    for (let i = 0; i < PAGES_PER_REFRESH; i++) {
      const page = await get('/v2/logs', { messageId: this.id, order: 'earliestFirst', count: 1000,
        ...(this.cursor ? { cursor: this.cursor } : { fromDate: this.from }) });
      for (const e of page.logs ?? page.events ?? []) {
        const key = `${e.time}|${e.state}|${e.nextDeliveryTime ?? ''}|${e.error ?? ''}`;
        if (this.seen.has(key)) continue;
        this.seen.add(key);
        this.entries.push(e);
      }
      this.cursor = page.cursor || undefined;
      if (!this.cursor) {
        if (this.entries.length > 0) this.from = this.entries[this.entries.length - 1].time;
        return;
      }
    }
  }
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Ferry's message ids start with 11 base62 digits of (Unix ms << 16 | sequence); undefined for any other id, and for
 * an id made for a later time than its creation (a delayed message's: sequence bit 15; docs/compatibility.md#ids).
 */
export function createdMillis(id) {
  const digits = /^msg_([0-9A-Za-z]{11})/.exec(id ?? '');
  if (!digits) return undefined;
  let value = 0n;
  for (const c of digits[1]) value = value * 62n + BigInt(BASE62.indexOf(c));
  if ((value & 0x8000n) !== 0n) return undefined;
  const ms = Number(value >> 16n);
  return ms > 0 && ms < 8.64e15 ? ms : undefined;
}

function drawSummary(box, id, entries, pending, refresh) {
  const info = entries[entries.length - 1] ?? {};
  const state = entries.length ? info.state : 'UNKNOWN';
  const body = base64Text(info.body);
  const rows = [
    ['State', h('span', { class: `badge ${stateClass(state)}`, id: 'message-state' }, state)],
    ['Destination', h('span', { class: 'url' }, info.url ?? info.topicName ?? '—')],
    ['Queue', info.queueName ?? '—'],
    ['Method', info.method ?? '—'],
    ['Labels', (info.labels ?? []).join(', ') || '—'],
    // the log leaves maxRetries out when it is 0
    ['Retries allowed', info.url ? (info.maxRetries ?? 0) : '—'],
  ];
  if (entries.length) rows.push(['First seen', when(entries[0].time)]);
  const actions = h('div', { class: 'actions' });
  if (pending) {
    actions.append(button('Cancel message', async () => {
      if (!await confirm('Cancel this message?', [`${id} will not be delivered. This cannot be undone.`],
        'Cancel message')) return;
      await api('DELETE', `/v2/messages/${encodeURIComponent(id)}`);
      toast('Message cancelled.');
      await refresh();
    }, 'danger'));
  }
  if (state === 'FAILED') {
    actions.append(h('a', { class: 'button', href: `#/dlq?messageId=${encodeURIComponent(id)}` }, 'Open in DLQ'));
  }
  replace(box, h('dl', { class: 'facts' }, rows.flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v)])),
    headersBlock('Request headers', info.header),
    h('details', { class: 'body-block' }, h('summary', null, `Request body (${body.length} characters)`),
      h('pre', { class: 'body' }, body)),
    actions);
}

function step(e) {
  const parts = [h('div', { class: 'step-head' }, h('span', { class: `badge ${stateClass(e.state)}` }, e.state),
    h('time', { title: new Date(e.time).toISOString() }, when(e.time)))];
  if (e.state === 'ERROR') {
    parts.push(h('p', { class: 'bad-text' }, e.error ?? ''));
    if (e.responseStatus !== undefined) {
      const body = base64Text(e.responseBody);
      parts.push(h('p', null, `Response status ${e.responseStatus}`),
        headersBlock('Response headers', e.responseHeaders ?? e.responseHeader),
        h('div', { class: 'response' }, h('span', { class: 'label' }, 'Response body'),
          h('pre', { class: 'body response-body' }, body || '(empty)')));
    }
  }
  if (e.state === 'RETRY' && e.nextDeliveryTime) {
    parts.push(h('p', null, `Next attempt at ${when(e.nextDeliveryTime)} (${relative(e.nextDeliveryTime)})`));
  }
  if (e.state === 'FAILED') parts.push(h('p', null, 'No retries left: moved to the dead-letter queue.'));
  if (e.state === 'DELIVERED') parts.push(h('p', null, 'The destination answered with a 2xx.'));
  return h('li', { class: `step ${stateClass(e.state)}` }, parts);
}

function headersBlock(title, headers) {
  const entries = Object.entries(headers ?? {});
  if (entries.length === 0) return null;
  return h('details', { class: 'headers' }, h('summary', null, `${title} (${entries.length})`),
    table(['Name', 'Value'], entries.map(([k, v]) => [h('span', { class: 'mono' }, k), [v].flat().join(', ')])));
}
