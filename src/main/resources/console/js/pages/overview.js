// Overview: the last 30 minutes at a glance, from GET /ferry/v1/overview.
import { get } from '../api.js';
import { h, replace, table, empty } from '../dom.js';
import { lineChart, bar } from '../chart.js';
import { number } from '../format.js';
import { heading } from '../ui.js';

export async function render(container) {
  const body = h('div', { class: 'overview' });
  replace(container, heading('Overview'), body);
  const refresh = async () => draw(body, await get('/ferry/v1/overview'));
  await refresh();
  return { refresh, every: 5000 };
}

function draw(body, o) {
  const sum = (key) => o.minutes.reduce((n, m) => n + m[key], 0);
  const tiles = h('div', { class: 'tiles' },
    tile('Published', sum('published'), 'last 30 min'),
    tile('Delivered', sum('delivered'), 'last 30 min'),
    tile('Failed into the DLQ', sum('failed'), 'last 30 min', sum('failed') > 0 ? 'bad' : ''),
    tile('In flight', o.inFlight, 'attempts running now'),
    tile('Pending', o.pending, 'stored, not yet delivered'),
    tile('Waiting in queues', o.queued, `${number(o.queues)} queue${o.queues === 1 ? '' : 's'}`),
    tile('DLQ', o.dlq, 'entries', o.dlq > 0 ? 'bad' : '', '#/dlq'));
  const chart = lineChart(o.minutes, [
    { key: 'published', label: 'published', class: 's1' },
    { key: 'delivered', label: 'delivered', class: 's2' },
    { key: 'retried', label: 'retried', class: 's3' },
    { key: 'failed', label: 'failed', class: 's4' },
  ], { title: 'Messages per minute', width: Math.max(280, body.clientWidth - 34) });
  const maxLag = Math.max(0, ...o.slowestQueues.map((q) => q.lag));
  const queues = o.slowestQueues.length === 0 ? empty('No queues yet.') : table(
    [{ label: 'Queue' }, { label: 'Lag', class: 'num' }, { label: '', class: 'bar-col' }, { label: 'State' }],
    o.slowestQueues.map((q) => [
      h('a', { href: `#/messages?queueName=${encodeURIComponent(q.name)}` }, q.name),
      number(q.lag), bar(q.lag, maxLag), q.paused ? h('span', { class: 'badge warn' }, 'paused')
        : `parallelism ${q.parallelism}`]), { class: 'cards' });
  const maxFail = Math.max(0, ...o.failingHosts.map((f) => f.failures));
  const hosts = o.failingHosts.length === 0 ? empty(`No failed attempts in the last ${o.failingHostsMinutes} minutes.`)
    : table([{ label: 'Host' }, { label: 'Failed attempts', class: 'num' }, { label: '', class: 'bar-col' },
      { label: 'Last error' }],
    o.failingHosts.map((f) => [h('span', { class: 'mono' }, f.host), number(f.failures), bar(f.failures, maxFail, 'bad'),
      f.lastError]), { class: 'cards' });
  replace(body, tiles, h('section', { class: 'panel' }, chart),
    h('div', { class: 'two-col' },
      h('section', { class: 'panel' }, h('h2', null, 'Slowest queues (by lag)'), queues),
      h('section', { class: 'panel' }, h('h2', null, `Failing destinations (last ${o.failingHostsMinutes} min)`),
        hosts)),
    h('p', { class: 'hint' }, 'Per-minute figures are counted by this Ferry process since it started.'));
}

function tile(label, value, sub, cls = '', href) {
  const content = [h('span', { class: 'tile-label' }, label), h('span', { class: 'tile-value' }, number(value)),
    h('span', { class: 'tile-sub' }, sub)];
  return href ? h('a', { class: `tile ${cls}`, href }, content) : h('div', { class: `tile ${cls}` }, content);
}
