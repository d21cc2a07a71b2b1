// The filter form shared by the message log and the DLQ: its values live in the page's hash, so a filtered view
// is a link a person can share or reload.
import { h, field, formValues } from '../dom.js';
import { localInputToMillis } from '../format.js';

/** Turns ms in the hash back into a datetime-local value (local time). */
function toLocalInput(ms) {
  if (!ms) return '';
  const d = new Date(Number(ms));
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * @param fields [{name, label, type?: 'text'|'select'|'date', options?, placeholder?}]
 * @param query  the URLSearchParams of the hash
 * @param page   the page name, for the hash on submit
 * @return the form inside a disclosure, closed on a phone unless a filter is set
 */
export function filterForm(fields, query, page) {
  const inputs = fields.map((f) => {
    let input;
    if (f.type === 'select') {
      input = h('select', { name: f.name }, f.options.map(([value, label]) => h('option', { value }, label)));
      input.value = query.get(f.name) ?? '';
    } else if (f.type === 'date') {
      input = h('input', { type: 'datetime-local', name: f.name, value: toLocalInput(query.get(f.name)) });
    } else {
      input = h('input', { type: 'text', name: f.name, value: query.get(f.name) ?? '', placeholder: f.placeholder ?? '',
        spellcheck: 'false', autocomplete: 'off' });
    }
    return field(f.label, input);
  });
  const form = h('form', { class: 'filters', role: 'search' }, inputs,
    h('div', { class: 'filter-actions' }, h('button', { type: 'submit' }, 'Search'),
      h('button', { type: 'button', class: 'secondary', onclick: () => { location.hash = `#/${page}`; } }, 'Clear')));
  const active = fields.filter((f) => query.get(f.name)).length;
  const box = h('details', { class: 'filter-box', open: active > 0 || window.innerWidth > 720 },
    h('summary', null, active > 0 ? `Filters (${active} set)` : 'Filters'), form);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const values = formValues(form);
    for (const f of fields) {
      if (f.type === 'date' && values[f.name]) values[f.name] = String(localInputToMillis(values[f.name]) ?? '');
    }
    const params = new URLSearchParams(Object.entries(values).filter(([, v]) => v !== ''));
    const hash = `#/${page}${params.toString() ? `?${params}` : ''}`;
    if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
    else location.hash = hash;
  });
  return box;
}

/**
 * The API filter of the hash: only the given names (each one the endpoint knows), and only those with a value. The
 * lifecycle endpoints refuse an empty or blank filter (`label=`), so a blank value in a hand-edited link is left out
 * rather than sent.
 */
export function apiFilter(query, names) {
  const out = {};
  for (const name of names) {
    const v = (query.get(name) ?? '').trim();
    if (v) out[name] = v;
  }
  return out;
}
