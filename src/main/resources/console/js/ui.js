// Page-wide pieces: notices, the confirmation dialog, buttons that show they are working.
import { h, append } from './dom.js';

/** A short notice at the bottom of the page. */
export function toast(text, kind = 'ok') {
  const box = document.getElementById('toasts');
  const item = h('div', { class: `toast ${kind}` }, text);
  box.append(item);
  while (box.children.length > 3) box.firstElementChild.remove();
  setTimeout(() => item.remove(), kind === 'bad' ? 8000 : 4000);
}

/** Asks before something that cannot be undone; resolves true when confirmed. {@code body} may be nodes or text. */
export function confirm(title, body, okLabel = 'Confirm') {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-title').textContent = title;
  const content = document.getElementById('confirm-body');
  content.replaceChildren();
  append(content, [body].flat().map((b) => (typeof b === 'string' ? h('p', null, b) : b)));
  const ok = document.getElementById('confirm-ok');
  ok.textContent = okLabel;
  return new Promise((resolve) => {
    const done = (value) => {
      ok.removeEventListener('click', onOk);
      cancel.removeEventListener('click', onCancel);
      dialog.removeEventListener('close', onClose);
      if (dialog.open) dialog.close();
      resolve(value);
    };
    const cancel = document.getElementById('confirm-cancel');
    const onOk = () => done(true);
    const onCancel = () => done(false);
    const onClose = () => done(false);
    ok.addEventListener('click', onOk);
    cancel.addEventListener('click', onCancel);
    dialog.addEventListener('close', onClose);
    dialog.showModal();
    cancel.focus();
  });
}

/** Runs {@code action} with the button disabled; shows failures as notices. Resolves with the action's result. */
export async function busy(button, action) {
  button.disabled = true;
  try {
    return await action();
  } catch (e) {
    toast(e.message, 'bad');
    return undefined;
  } finally {
    button.disabled = false;
  }
}

/** A button: h('button') with type=button and a click action that runs through {@link busy}. */
export function button(label, action, cls = '') {
  const b = h('button', { type: 'button', class: cls });
  b.textContent = label;
  b.addEventListener('click', () => busy(b, () => action(b)));
  return b;
}

/** A page heading with optional actions on the right. */
export function heading(title, ...actions) {
  return h('div', { class: 'page-head' }, h('h1', null, title), h('div', { class: 'head-actions' }, actions));
}

/** An error panel for a page that could not load. */
export function failure(e) {
  return h('div', { class: 'panel error' }, h('strong', null, 'Could not load: '), e.message);
}
