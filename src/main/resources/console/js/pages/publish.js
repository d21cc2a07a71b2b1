// Publish a test message and follow it: on success the page moves to the message's story, which refreshes until
// the message is delivered or lands in the DLQ.
import { api } from '../api.js';
import { h, replace, field, formValues } from '../dom.js';
import { heading, toast } from '../ui.js';

export async function render(container, route) {
  const destination = h('input', { name: 'destination', required: true, placeholder: 'https://… or a URL group',
    spellcheck: 'false', autocomplete: 'off', value: route.query.get('destination') ?? '' });
  const method = h('select', { name: 'method' }, ['POST', 'GET', 'PUT', 'PATCH', 'DELETE'].map((m) =>
    h('option', { value: m }, m)));
  const form = h('form', { class: 'panel publish' },
    h('div', { class: 'form-grid' },
      field('Destination', destination),
      field('Queue', h('input', { name: 'queue', placeholder: 'optional', spellcheck: 'false', autocomplete: 'off' })),
      field('Method', method),
      field('Delay', h('input', { name: 'delay', placeholder: 'e.g. 10s, 5m (optional)', spellcheck: 'false' })),
      field('Retries', h('input', { name: 'retries', type: 'number', min: 0, placeholder: '3' })),
      field('Label', h('input', { name: 'label', placeholder: 'optional', spellcheck: 'false' }))),
    field('Body', h('textarea', { name: 'body', rows: 5, spellcheck: 'false' })),
    field('Headers', h('textarea', { name: 'headers', rows: 3, spellcheck: 'false',
      placeholder: 'Content-Type: application/json\nX-Trace: abc' }),
    'One "Name: value" per line; forwarded to the destination.'),
    h('button', { type: 'submit' }, 'Publish'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const v = formValues(form);
    const headers = {};
    for (const line of (v.headers ?? '').split('\n')) {
      const at = line.indexOf(':');
      if (at <= 0) continue;
      const name = line.slice(0, at).trim();
      const value = line.slice(at + 1).trim();
      if (name.toLowerCase() === 'content-type') headers['Content-Type'] = value;
      else headers[`Upstash-Forward-${name}`] = value;
    }
    headers['Content-Type'] ??= 'text/plain';
    if (v.method) headers['Upstash-Method'] = v.method;
    if (v.delay) headers['Upstash-Delay'] = v.delay;
    if (v.retries) headers['Upstash-Retries'] = v.retries;
    if (v.label) headers['Upstash-Label'] = v.label;
    const path = v.queue ? `/v2/enqueue/${encodeURIComponent(v.queue)}/${v.destination}` : `/v2/publish/${v.destination}`;
    try {
      const r = await api('POST', path, { headers, body: v.body ?? '' });
      const id = Array.isArray(r) ? r[0]?.messageId : r.messageId;
      toast(Array.isArray(r) ? `Published ${r.length} messages (one per endpoint).` : `Published ${id}.`);
      if (id) location.hash = `#/message/${encodeURIComponent(id)}`;
    } catch (e) {
      toast(e.message, 'bad');
    }
  });
  replace(container, heading('Publish a test message'), form,
    h('p', { class: 'hint' }, 'After publishing you see the message\'s log, updated as it is delivered or retried.'));
  return null;
}
