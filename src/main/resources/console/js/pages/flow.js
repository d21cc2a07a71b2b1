// Flow-control keys: rate and parallelism used now, waitlist, pause/resume, pin/unpin, reset the rate.
import { api, get } from '../api.js';
import { h, replace, empty, table } from '../dom.js';
import { number } from '../format.js';
import { heading, button, toast } from '../ui.js';

export async function render(container) {
  const global = h('p', { class: 'muted' });
  const list = h('div');
  replace(container, heading('Flow control'), global, list);
  const refresh = async () => {
    const [keys, g] = await Promise.all([get('/v2/flowControl'), get('/v2/globalParallelism')]);
    replace(global, g.parallelismMax ? `Global parallelism: ${number(g.parallelismCount ?? 0)} of `
      + `${number(g.parallelismMax)} in use.` : 'No global parallelism limit.');
    replace(list, keys.length === 0 ? empty('No flow-control keys. Publish with Upstash-Flow-Control-Key to create one.')
      : table([{ label: 'Key' }, { label: 'Parallelism', class: 'num' }, { label: 'Rate', class: 'num' },
        { label: 'Waiting', class: 'num' }, { label: 'State' }, { label: '' }], keys.map((k) => row(k, refresh)),
        { class: 'cards' }));
  };
  await refresh();
  return { refresh, every: 5000 };
}

function row(k, refresh) {
  const path = `/v2/flowControl/${encodeURIComponent(k.flowControlKey)}`;
  const act = (what, label, query) => button(label, async () => {
    await api('POST', `${path}/${what}`, { query });
    toast(`${k.flowControlKey}: ${label.toLowerCase()} done.`);
    await refresh();
  }, 'small secondary');
  const state = [k.isPaused ? h('span', { class: 'badge warn' }, 'paused') : h('span', { class: 'badge ok' }, 'running'),
    k.isPinnedParallelism ? h('span', { class: 'tag' }, 'parallelism pinned') : null,
    k.isPinnedRate ? h('span', { class: 'tag' }, 'rate pinned') : null];
  const pin = button('Pin…', async () => {
    const parallelism = window.prompt(`Pin parallelism of ${k.flowControlKey} to (empty: leave it)`,
      k.parallelismMax ? String(k.parallelismMax) : '');
    if (parallelism === null) return;
    const rate = window.prompt(`Pin rate of ${k.flowControlKey} to (calls per ${k.ratePeriod || 1} s; empty: leave it)`,
      k.rateMax ? String(k.rateMax) : '');
    if (rate === null) return;
    await api('POST', `${path}/pin`, { query: { parallelism: parallelism.trim(), rate: rate.trim() } });
    toast(`${k.flowControlKey} pinned.`);
    await refresh();
  }, 'small secondary');
  return [h('span', { class: 'mono' }, k.flowControlKey),
    `${number(k.parallelismCount)} / ${k.parallelismMax ? number(k.parallelismMax) : '∞'}`,
    `${number(k.rateCount)} / ${k.rateMax ? `${number(k.rateMax)} per ${k.ratePeriod} s` : '∞'}`,
    number(k.waitListSize), h('span', null, state),
    h('span', { class: 'row-actions' }, k.isPaused ? act('resume', 'Resume') : act('pause', 'Pause'),
      k.isPinnedParallelism || k.isPinnedRate
        ? act('unpin', 'Unpin', { parallelism: 'true', rate: 'true' }) : pin,
      act('resetRate', 'Reset rate'))];
}
