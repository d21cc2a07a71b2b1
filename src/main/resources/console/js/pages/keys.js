// Signing keys: see the pair, rotate it with a confirmation that says what receivers must do.
import { api, get } from '../api.js';
import { h, replace } from '../dom.js';
import { heading, button, confirm, toast } from '../ui.js';

const mask = (key) => (key ? `${key.slice(0, 6)}${'•'.repeat(Math.max(0, key.length - 10))}${key.slice(-4)}` : '—');

export async function render(container) {
  const box = h('div');
  replace(container, heading('Signing keys'), box);
  const refresh = async () => draw(box, await get('/v2/keys'), refresh);
  await refresh();
  return null;
}

function draw(box, keys, refresh) {
  let shown = false;
  const current = h('code', { class: 'key', id: 'current-key' }, mask(keys.current));
  const next = h('code', { class: 'key', id: 'next-key' }, mask(keys.next));
  const toggle = button('Show keys', async (b) => {
    shown = !shown;
    current.textContent = shown ? keys.current : mask(keys.current);
    next.textContent = shown ? keys.next : mask(keys.next);
    b.textContent = shown ? 'Hide keys' : 'Show keys';
  }, 'secondary');
  const rotate = button('Rotate keys…', async () => {
    const ok = await confirm('Rotate the signing keys?', [
      `Ferry will sign every delivery with the current "next" key (…${keys.next.slice(-4)}) and make a new "next" key.`,
      'Receivers that verify with both keys of the present pair keep accepting deliveries, because they already know '
        + 'the new signing key. Before you rotate again, give every receiver the new pair '
        + '(QSTASH_CURRENT_SIGNING_KEY and QSTASH_NEXT_SIGNING_KEY): after a second rotation the key they know as '
        + '"current" is no longer used and the new one is unknown to them, so they would reject every delivery.',
      'Receivers that check only the current key reject deliveries from now on, until they are updated.',
    ], 'Rotate keys');
    if (!ok) return;
    await api('POST', '/v2/keys/rotate');
    toast('Keys rotated. Update your receivers to the new pair.');
    await refresh();
  }, 'danger');
  replace(box, h('section', { class: 'panel' },
    h('dl', { class: 'facts' }, h('dt', null, 'Current (signs now)'), h('dd', null, current),
      h('dt', null, 'Next (signs after a rotation)'), h('dd', null, next)),
    h('p', { class: 'hint' }, 'Receivers verify each delivery\'s Upstash-Signature with the current key, then the next.'),
    h('div', { class: 'actions' }, toggle, rotate)));
}
