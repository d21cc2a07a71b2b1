// The console's shell: sign-in, the hash router (#/page/arg?query) and the refresh loop of the shown page.
import { api, session } from './api.js';
import { h, replace, field } from './dom.js';
import { failure } from './ui.js';
import { when } from './format.js';
import * as overview from './pages/overview.js';
import * as messages from './pages/messages.js';
import * as message from './pages/message.js';
import * as dlq from './pages/dlq.js';
import * as workflows from './pages/workflows.js';
import * as workflow from './pages/workflow.js';
import * as queues from './pages/queues.js';
import * as schedules from './pages/schedules.js';
import * as groups from './pages/groups.js';
import * as flow from './pages/flow.js';
import * as keys from './pages/keys.js';
import * as publish from './pages/publish.js';

const PAGES = { overview, messages, message, dlq, workflows, workflow, queues, schedules, groups, flow, keys, publish };
/** Pages without a nav entry of their own, and the entry that shows where they belong. */
const PARENTS = { message: 'messages', workflow: 'workflows' };
const main = document.getElementById('main');
let current = { refresh: null, timer: null, generation: 0 };

/** '#/message/msg_1?x=1' → {page: 'message', arg: 'msg_1', query: URLSearchParams}. */
function parseHash() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = hash.split('?');
  const [page, ...rest] = path.split('/');
  return { page: PAGES[page] ? page : 'overview', arg: rest.map(decodeURIComponent).join('/'),
    query: new URLSearchParams(query) };
}

function stopRefresh() {
  if (current.timer) clearInterval(current.timer);
  current.timer = null;
  current.refresh = null;
}

async function show() {
  stopRefresh();
  if (!session.token) {
    signInPage();
    return;
  }
  const route = parseHash();
  document.getElementById('nav').hidden = false;
  document.getElementById('sign-out').hidden = false;
  for (const a of document.querySelectorAll('#nav a')) {
    const active = a.dataset.page === (PARENTS[route.page] ?? route.page);
    if (active) {
      a.setAttribute('aria-current', 'page');
      a.scrollIntoView({ block: 'nearest', inline: 'nearest' });  // the phone's scrolling nav shows where you are
    } else {
      a.removeAttribute('aria-current');
    }
  }
  const generation = ++current.generation;
  const container = h('div', { class: 'page', 'data-page': route.page });
  replace(main, container);
  try {
    const page = await PAGES[route.page].render(container, route);
    if (generation !== current.generation || !page?.refresh) return;
    current.refresh = page.refresh;
    const stale = h('p', { class: 'stale', role: 'status', hidden: true });
    container.prepend(stale);
    let lastGood = Date.now();
    current.timer = setInterval(() => {
      if (document.visibilityState !== 'visible' || document.getElementById('confirm').open) return;
      // a failed refresh keeps the last good figures on the page, says so, and the next one may work
      page.refresh().then(() => {
        lastGood = Date.now();
        stale.hidden = true;
      }, (e) => {
        if (generation !== current.generation) return;
        stale.textContent = `Could not refresh (${e.message}); showing what was read at ${when(lastGood)}.`;
        stale.hidden = false;
      });
    }, page.every ?? 5000);
  } catch (e) {
    if (generation === current.generation && session.token) replace(container, failure(e));
  }
}

function signInPage(reason) {
  document.getElementById('nav').hidden = true;
  document.getElementById('sign-out').hidden = true;
  document.getElementById('who').textContent = '';
  const token = h('input', { type: 'password', name: 'token', autocomplete: 'off', required: true,
    spellcheck: 'false', id: 'token' });
  const error = h('p', { class: 'form-error', role: 'alert' }, reason ?? '');
  const submit = h('button', { type: 'submit' }, 'Sign in');
  const form = h('form', { class: 'panel sign-in', novalidate: true }, h('h1', null, 'Sign in'),
    h('p', null, 'Enter a tenant token of this Ferry (the value of QSTASH_TOKEN). You will see that tenant\'s '
      + 'messages, queues and schedules only.'),
    field('Token', token),
    error, submit,
    h('p', { class: 'hint' }, 'The token stays in this browser tab (session storage) and is sent only in the '
      + 'Authorization header of the console\'s requests to this Ferry. Closing the tab forgets it.'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!token.value.trim()) {
      error.textContent = 'Enter a token.';
      return;
    }
    submit.disabled = true;
    session.token = token.value.trim();
    try {
      const o = await api('GET', '/ferry/v1/overview', { signIn: true });
      showTenant(o.tenant);
      if (!location.hash || location.hash === '#/' || location.hash === '#') location.hash = '#/overview';
      else show();
    } catch (e) {
      session.clear();
      error.textContent = e.status === 401 ? 'That token is not valid here.' : e.message;
      submit.disabled = false;
    }
  });
  replace(main, form);
  token.focus();
}

function showTenant(tenant) {
  sessionStorage.setItem('ferry.console.tenant', tenant ?? '');
  document.getElementById('who').textContent = tenant ? `tenant ${tenant}` : '';
}

document.getElementById('sign-out').addEventListener('click', () => {
  session.clear();
  sessionStorage.removeItem('ferry.console.tenant');
  stopRefresh();
  signInPage();
});
window.addEventListener('ferry:signed-out', (e) => {
  stopRefresh();
  signInPage(e.detail ? `Signed out: ${e.detail}` : 'Signed out.');
});
window.addEventListener('hashchange', show);
if (session.token) showTenant(sessionStorage.getItem('ferry.console.tenant'));
show();
