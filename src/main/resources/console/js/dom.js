// Builds the page from data without ever parsing it as markup: every value becomes a text node or a property,
// never parsed as markup. Attribute names and event handlers come only from this code, never from the API.

/** h('td', {class: 'num'}, 'text', child, [more]) → an element; null/false children are skipped. */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  setProps(el, props);
  append(el, children);
  return el;
}

/** The same for SVG elements. */
export function svg(tag, props, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  setProps(el, props);
  append(el, children);
  return el;
}

function setProps(el, props) {
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') el.setAttribute('class', value);
    else if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'value' || name === 'checked' || name === 'disabled' || name === 'indeterminate') el[name] = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
}

export function append(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces everything inside {@code el}. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** A labelled form field: {label, input}. */
export function field(label, input, hint) {
  return h('label', { class: 'field' }, h('span', { class: 'label' }, label), input,
    hint ? h('span', { class: 'hint' }, hint) : null);
}

/** A table with a header row; rows are arrays of cells (a cell is a node, text, or {cell, class}). */
export function table(columns, rows, options = {}) {
  const head = h('tr', null, columns.map((c) => h('th', { class: c.class, scope: 'col' }, c.label ?? c)));
  const body = h('tbody', null, rows.map((row) => h('tr', { class: row.class }, (row.cells ?? row).map((cell, i) =>
    h('td', { class: [columns[i]?.class, cell?.class].filter(Boolean).join(' ') || undefined, 'data-label':
      columns[i]?.label ?? columns[i] }, cell?.cell !== undefined ? cell.cell : cell)))));
  const t = h('table', { class: `table ${options.class ?? ''}` }, h('thead', null, head), body);
  return h('div', { class: 'table-wrap' }, t);
}

/** A muted line for an empty list. */
export function empty(text) {
  return h('p', { class: 'empty' }, text);
}

/** Reads a form's named inputs into an object of trimmed strings (empty ones left out). */
export function formValues(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name) continue;
    if (el.type === 'checkbox') { out[el.name] = el.checked; continue; }
    const v = el.value.trim();
    if (v !== '') out[el.name] = v;
  }
  return out;
}
