// Schedules: cron in words and the next fire times (GET /ferry/v1/cron), pause/resume/delete, create.
import { api, get } from '../api.js';
import { h, replace, empty, field, formValues } from '../dom.js';
import { when, relative, shortId } from '../format.js';
import { heading, button, confirm, toast } from '../ui.js';

const described = new Map();

/** The cron in words and its next fire times, asked once per expression. */
async function describe(cron) {
  if (!described.has(cron)) {
    described.set(cron, get('/ferry/v1/cron', { cron, count: 3 }).catch((e) => ({ error: e.message })));
  }
  return described.get(cron);
}

export async function render(container) {
  const list = h('div', { class: 'schedule-list' });
  replace(container, heading('Schedules'), list, createForm(() => refresh()));
  const refresh = async () => {
    const schedules = await get('/v2/schedules');
    const words = await Promise.all(schedules.map((s) => describe(s.cron)));
    replace(list, schedules.length === 0 ? empty('No schedules yet. Create one below.')
      : schedules.map((s, i) => card(s, words[i], refresh)));
  };
  await refresh();
  return { refresh, every: 10000 };
}

function card(s, words, refresh) {
  const id = s.scheduleId;
  const next = s.isPaused ? h('span', { class: 'muted' }, 'paused: no fire times')
    : h('span', null, `next ${when(s.nextScheduleTime)} (${relative(s.nextScheduleTime)})`);
  const upcoming = (words.next ?? []).slice(1).map((t) => when(t)).join(', ');
  return h('article', { class: 'schedule', 'data-schedule-id': id },
    h('div', { class: 'entry-head' },
      h('span', { class: 'mono', title: id }, shortId(id, 12)),
      h('span', { class: `badge ${s.isPaused ? 'warn' : 'ok'}` }, s.isPaused ? 'paused' : 'active'),
      h('span', { class: 'entry-actions' },
        s.isPaused
          ? button('Resume', async () => { await api('PATCH', `/v2/schedules/${encodeURIComponent(id)}/resume`);
            toast('Schedule resumed.'); await refresh(); }, 'small')
          : button('Pause', async () => { await api('PATCH', `/v2/schedules/${encodeURIComponent(id)}/pause`);
            toast('Schedule paused.'); await refresh(); }, 'small secondary'),
        button('Delete', async () => {
          if (!await confirm('Delete this schedule?', [`${id} (${s.cron}) stops firing. Messages it already `
            + 'published are not affected.'], 'Delete schedule')) return;
          await api('DELETE', `/v2/schedules/${encodeURIComponent(id)}`);
          toast('Schedule deleted.');
          await refresh();
        }, 'small danger secondary'))),
    h('p', { class: 'cron' }, h('code', null, s.cron), ' — ',
      h('span', { class: 'cron-words' }, words.description ?? words.error ?? ''),
      words.timeZone && words.timeZone !== 'UTC' ? ` (${words.timeZone})` : ' (UTC)'),
    h('p', { class: 'entry-line' }, h('span', { class: 'url' }, s.destination), s.queueName
      ? h('span', { class: 'muted schedule-queue' }, `queue ${s.queueName}`) : null,
    s.delay ? h('span', { class: 'muted schedule-delay' }, `delay ${s.delay} s`) : null),
    h('p', { class: 'muted' }, next, upcoming && !s.isPaused ? `, then ${upcoming}` : '',
      s.lastScheduleTime ? ` · last fired ${when(s.lastScheduleTime)}` : ''));
}

function createForm(created) {
  const destination = h('input', { name: 'destination', required: true, placeholder: 'https://… or a URL group',
    spellcheck: 'false', autocomplete: 'off' });
  const cron = h('input', { name: 'cron', required: true, placeholder: '*/5 * * * *', spellcheck: 'false',
    autocomplete: 'off' });
  const preview = h('span', { class: 'hint cron-preview', 'aria-live': 'polite' });
  const method = h('select', { name: 'method' }, ['POST', 'GET', 'PUT', 'PATCH', 'DELETE'].map((m) =>
    h('option', { value: m }, m)));
  const body = h('textarea', { name: 'body', rows: 3, spellcheck: 'false' });
  const retries = h('input', { name: 'retries', type: 'number', min: 0, placeholder: '3' });
  const queue = h('input', { name: 'queueName', placeholder: 'optional', spellcheck: 'false', autocomplete: 'off' });
  const delay = h('input', { name: 'delay', placeholder: 'e.g. 30s, 5m (optional)', spellcheck: 'false',
    autocomplete: 'off' });
  let timer;
  cron.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (!cron.value.trim()) { preview.textContent = ''; return; }
      try {
        const d = await get('/ferry/v1/cron', { cron: cron.value.trim(), count: 3 });
        preview.textContent = `${d.description} (${d.timeZone}); next, in your time: `
          + `${d.next.map((t) => when(t)).join(', ')}`;
        preview.classList.remove('bad-text');
      } catch (e) {
        preview.textContent = e.message;
        preview.classList.add('bad-text');
      }
    }, 250);
  });
  const form = h('form', { class: 'panel create-schedule' }, h('h2', null, 'Create a schedule'),
    h('div', { class: 'form-grid' }, field('Destination', destination),
      h('label', { class: 'field' }, h('span', { class: 'label' }, 'Cron'), cron,
        h('span', { class: 'hint' }, 'Five fields, in UTC; prefix CRON_TZ=Europe/Paris for a time zone.'), preview),
      field('Method', method), field('Retries', retries), field('Queue', queue),
      field('Delay', delay, 'Each message waits this long after its tick.')),
    field('Body', body), h('button', { type: 'submit' }, 'Create schedule'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const v = formValues(form);
    const headers = { 'Upstash-Cron': v.cron, 'Upstash-Method': v.method ?? 'POST', 'Content-Type': 'text/plain' };
    if (v.retries) headers['Upstash-Retries'] = v.retries;
    if (v.queueName) headers['Upstash-Queue-Name'] = v.queueName;
    if (v.delay) headers['Upstash-Delay'] = v.delay;
    try {
      const r = await api('POST', `/v2/schedules/${v.destination ?? ''}`, { headers, body: v.body ?? '' });
      toast(`Schedule ${r.scheduleId} created.`);
      form.reset();
      preview.textContent = '';
      await created();
    } catch (e) {
      toast(e.message, 'bad');
    }
  });
  return form;
}
