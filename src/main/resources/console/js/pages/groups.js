// URL groups (QStash topics): endpoints added and removed, groups deleted.
import { api, get } from '../api.js';
import { h, replace, empty, table, field, formValues } from '../dom.js';
import { heading, button, confirm, toast } from '../ui.js';

export async function render(container) {
  const list = h('div', { class: 'group-list' });
  const form = h('form', { class: 'panel inline-form' }, h('h2', null, 'Add an endpoint'),
    field('Group', h('input', { name: 'group', required: true, spellcheck: 'false', autocomplete: 'off' })),
    field('Endpoint URL', h('input', { name: 'url', required: true, placeholder: 'https://…', spellcheck: 'false',
      autocomplete: 'off' })),
    field('Endpoint name', h('input', { name: 'name', placeholder: 'optional', spellcheck: 'false',
      autocomplete: 'off' })),
    h('button', { type: 'submit' }, 'Add endpoint'));
  replace(container, heading('URL groups'), list, form);
  const refresh = async () => {
    const groups = await get('/v2/topics');
    replace(list, groups.length === 0 ? empty('No URL groups. Adding an endpoint to a new name creates one.')
      : groups.map((g) => card(g, refresh)));
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const v = formValues(form);
    const endpoint = v.name ? { url: v.url, name: v.name } : { url: v.url };
    try {
      await api('POST', `/v2/topics/${encodeURIComponent(v.group)}/endpoints`, { json: { endpoints: [endpoint] } });
      toast(`Endpoint added to ${v.group}.`);
      form.reset();
      await refresh();
    } catch (e) {
      toast(e.message, 'bad');
    }
  });
  await refresh();
  return { refresh, every: 15000 };
}

function card(g, refresh) {
  const path = `/v2/topics/${encodeURIComponent(g.name)}`;
  const endpoints = g.endpoints ?? [];
  return h('article', { class: 'panel group' },
    h('div', { class: 'entry-head' }, h('h2', null, g.name),
      h('span', { class: 'muted' }, `${endpoints.length} endpoint${endpoints.length === 1 ? '' : 's'}`),
      h('span', { class: 'entry-actions' },
        h('a', { class: 'button secondary small', href: `#/publish?destination=${encodeURIComponent(g.name)}` },
          'Publish to it'),
        button('Delete group', async () => {
          if (!await confirm(`Delete URL group ${g.name}?`, ['Publishing to it will fail afterwards. Messages '
            + 'already published to its endpoints are not affected.'], 'Delete group')) return;
          await api('DELETE', path);
          toast(`Group ${g.name} deleted.`);
          await refresh();
        }, 'small danger secondary'))),
    endpoints.length === 0 ? empty('No endpoints.') : table(['Name', 'URL', ''], endpoints.map((e) => [
      e.name ?? '', h('span', { class: 'url' }, e.url),
      button('Remove', async () => {
        await api('DELETE', `${path}/endpoints`, { json: { endpoints: [e.name ? { name: e.name } : { url: e.url }] } });
        toast('Endpoint removed.');
        await refresh();
      }, 'small secondary')]), { class: 'cards' }));
}
