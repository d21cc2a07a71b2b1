// Workflow runs (GET /v2/workflows/events?groupBy=workflowRunId): filtered by run id, state, URL, label and creation
// time, paged with the API's cursor; each run opens its own page.
import { get } from '../api.js';
import { h, replace, table, empty } from '../dom.js';
import { when, stateClass, shortId } from '../format.js';
import { heading, button } from '../ui.js';
import { filterForm, apiFilter } from './filters.js';

const FILTERS = ['workflowRunId', 'state', 'workflowUrl', 'label', 'fromDate', 'toDate'];
const STATES = [['', 'any state'], ['RUN_STARTED', 'running'], ['RUN_SUCCESS', 'succeeded'],
  ['RUN_FAILED', 'failed'], ['RUN_CANCELED', 'canceled']];
const PAGE = 50;

export async function render(container, route) {
  const form = filterForm([
    { name: 'workflowRunId', label: 'Run id', placeholder: 'wfr_…' },
    { name: 'state', label: 'State', type: 'select', options: STATES },
    { name: 'workflowUrl', label: 'Workflow URL', placeholder: 'https://… (exact)' },
    { name: 'label', label: 'Label' },
    { name: 'fromDate', label: 'Started from', type: 'date' },
    { name: 'toDate', label: 'Started until', type: 'date' },
  ], route.query, 'workflows');
  const filter = apiFilter(route.query, FILTERS);
  const list = h('div', { class: 'run-list' });
  const more = h('div', { class: 'more' });
  replace(container, heading('Workflow runs'), form,
    h('p', { class: 'hint' }, 'Ferry pages runs in run-id order; the runs loaded so far are shown newest first.'),
    list, more);

  let runs = [];
  let pages = 1;
  const load = (cursor) => get('/v2/workflows/events', { groupBy: 'workflowRunId', ...filter, count: PAGE, cursor });
  const draw = (page) => {
    runs.sort((a, b) => (b.workflowRunCreatedAt ?? 0) - (a.workflowRunCreatedAt ?? 0));
    replace(list, runs.length > 0 ? runTable(runs) : empty('No workflow run matches these filters.'));
    replace(more, page.cursor ? button('Load more runs', async () => {
      const next = await load(page.cursor);
      pages++;
      runs = runs.concat(next.runs ?? []);
      draw(next);
    }, 'secondary') : null);
  };
  const first = async () => {
    const page = await load();
    runs = page.runs ?? [];
    draw(page);
  };
  await first();
  return { refresh: async () => { if (pages === 1) await first(); }, every: 5000 };
}

function runTable(runs) {
  return table([{ label: 'Started' }, { label: 'State' }, { label: 'Run' }, { label: 'Workflow URL' },
    { label: 'Finished' }, { label: 'Labels' }], runs.map((r) => ({ class: 'run-row', cells: [
    h('span', { title: new Date(r.workflowRunCreatedAt).toISOString() }, when(r.workflowRunCreatedAt)),
    h('span', { class: `badge ${stateClass(r.workflowState)}` }, r.workflowState),
    h('a', { href: `#/workflow/${encodeURIComponent(r.workflowRunId)}`, class: 'mono run-id',
      title: r.workflowRunId }, shortId(r.workflowRunId)),
    h('span', { class: 'url' }, r.workflowUrl ?? ''),
    r.workflowRunCompletedAt ? when(r.workflowRunCompletedAt) : '',
    (r.labels ?? []).map((l) => h('span', { class: 'tag' }, l)),
  ] })), { class: 'log-table run-table' });
}
