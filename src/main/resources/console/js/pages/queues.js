// Queues: lag, parallelism, pause/resume, create or change, delete.
import { api, get } from '../api.js';
import { h, replace, table, empty, field, formValues } from '../dom.js';
import { bar } from '../chart.js';
import { number, when } from '../format.js';
import { heading, button, confirm, toast } from '../ui.js';

export async function render(container) {
  const list = h('div');
  const name = h('input', { name: 'queueName', required: true, spellcheck: 'false', autocomplete: 'off' });
  const parallelism = h('input', { name: 'parallelism', type: 'number', min: 1, value: '1' });
  const form = h('form', { class: 'inline-form panel' }, h('h2', null, 'Create or change a queue'),
    field('Name', name), field('Parallelism', parallelism), h('button', { type: 'submit' }, 'Save queue'));
  replace(container, heading('Queues'), list, form);
  const refresh = async () => draw(list, await get('/v2/queues'), refresh);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const v = formValues(form);
    try {
      await api('POST', '/v2/queues', { json: { queueName: v.queueName, parallelism: Number(v.parallelism ?? 1) } });
      toast(`Queue ${v.queueName} saved.`);
      name.value = '';
      await refresh();
    } catch (e) {
      toast(e.message, 'bad');
    }
  });
  await refresh();
  return { refresh, every: 5000 };
}

function draw(list, queues, refresh) {
  if (queues.length === 0) {
    replace(list, empty('No queues. Enqueue a message or create one below.'));
    return;
  }
  const maxLag = Math.max(0, ...queues.map((q) => q.lag ?? 0));
  replace(list, table([{ label: 'Queue' }, { label: 'Lag', class: 'num' }, { label: '', class: 'bar-col' },
    { label: 'Parallelism', class: 'num' }, { label: 'State' }, { label: 'Updated' }, { label: '' }],
  queues.map((q) => ({ class: `queue-row`, cells: [
    h('a', { href: `#/messages?queueName=${encodeURIComponent(q.name)}`, class: 'queue-name' }, q.name),
    number(q.lag), bar(q.lag ?? 0, maxLag), number(q.parallelism),
    h('span', { class: `badge ${q.paused ? 'warn' : 'ok'} queue-state` }, q.paused ? 'paused' : 'running'),
    when(q.updatedAt),
    h('span', { class: 'row-actions' },
      q.paused
        ? button('Resume', async () => { await api('POST', `/v2/queues/${encodeURIComponent(q.name)}/resume`);
          toast(`Queue ${q.name} resumed.`); await refresh(); }, 'small')
        : button('Pause', async () => { await api('POST', `/v2/queues/${encodeURIComponent(q.name)}/pause`);
          toast(`Queue ${q.name} paused.`); await refresh(); }, 'small secondary'),
      button('Delete', async () => {
        const its = q.lag === 1 ? 'Its 1 pending message is' : `Its ${number(q.lag)} pending messages are`;
        if (!await confirm(`Delete queue ${q.name}?`, [`${its} deleted with it and will not be delivered. Attempts `
          + 'already in flight finish.'], 'Delete queue')) return;
        await api('DELETE', `/v2/queues/${encodeURIComponent(q.name)}`);
        toast(`Queue ${q.name} deleted.`);
        await refresh();
      }, 'small danger secondary')),
  ] })), { class: 'cards' }));
}
