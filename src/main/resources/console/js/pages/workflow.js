// One workflow run: its state, response and steps in order (GET /v2/workflows/events for the run), and, when it
// failed, its DLQ entry (GET /v2/dlq/{dlqId}) with the failure function's state. Cancel a running run; resume,
// restart or retry the failure function of a failed one. Refreshes while anything may still change.
import { api, get } from '../api.js';
import { h, replace, empty } from '../dom.js';
import { when, stateClass, base64Text } from '../format.js';
import { heading, button, confirm, toast } from '../ui.js';
import { createdMillis } from './message.js';

export async function render(container, route) {
  const id = route.arg;
  const summary = h('div', { class: 'summary' });
  const failure = h('div', { class: 'run-failure' });
  const steps = h('div', { class: 'run-steps' });
  replace(container, heading('Workflow run', h('a', { class: 'button secondary', href: '#/workflows' }, 'All runs')),
    h('p', { class: 'mono big', id: 'run-id' }, id), summary, failure, h('h2', null, 'Steps'), steps);
  // the DLQ entry once read: undefined = not read yet, null = no longer in the DLQ (resumed, restarted, deleted)
  let entry;
  let acting = false;
  let finished = false;
  // no refresh while an action runs; after a resume or restart this run's page is left, its entry gone
  const act = async (action) => {
    acting = true;
    try {
      if (await action() === 'left') finished = true;
    } finally {
      acting = false;
    }
  };
  const refresh = async () => {
    if (acting || finished) return;
    const { runs } = await get('/v2/workflows/events', { groupBy: 'workflowRunId', workflowRunId: id });
    const run = (runs ?? [])[0];
    if (!run) {
      replace(summary, empty('No such run: it never existed, belongs to another tenant, or ended longer ago than '
        + 'Ferry keeps runs (workflows.retention).'));
      replace(steps);
      return;
    }
    if (run.dlqId && entry !== null) entry = await dlqEntry(run.dlqId);
    // what can still change: a running run, and a failure function that has not settled
    const callback = entry?.failureCallbackInfo?.state;
    finished = run.workflowState !== 'RUN_STARTED' && callback !== 'CALLBACK_INPROGRESS'
      && !(run.workflowState === 'RUN_FAILED' && run.dlqId && entry);
    drawSummary(summary, run, entry, { refresh, act });
    drawFailure(failure, run, entry);
    const groups = run.steps ?? [];
    replace(steps, groups.length === 0 ? empty('No step has finished yet.') : h('ol', { class: 'timeline' },
      groups.map(group)));
  };
  await refresh();
  return { refresh, every: 3000 };
}

/** The run's DLQ entry, or null once it has left the DLQ. */
async function dlqEntry(dlqId) {
  try {
    return await get(`/v2/dlq/${encodeURIComponent(dlqId)}`);
  } catch (e) {
    if (e.status === 404) return null;
    throw e;
  }
}

function drawSummary(box, run, entry, { refresh, act }) {
  const rows = [
    ['State', h('span', { class: `badge ${stateClass(run.workflowState)}`, id: 'run-state' }, run.workflowState)],
    ['Workflow URL', h('span', { class: 'url' }, run.workflowUrl ?? '—')],
    ['Started', when(run.workflowRunCreatedAt)],
    ['Finished', run.workflowRunCompletedAt ? when(run.workflowRunCompletedAt) : '—'],
    ['Labels', (run.labels ?? []).length ? run.labels.map((l) => h('span', { class: 'tag' }, l)) : '—'],
  ];
  if (run.invoker?.workflowRunId) {
    rows.push(['Invoked by', h('a', { href: `#/workflow/${encodeURIComponent(run.invoker.workflowRunId)}`,
      class: 'mono' }, run.invoker.workflowRunId)]);
  }
  if (run.dlqId) {
    rows.push(['DLQ entry', h('span', null,
      h('a', { href: `#/dlq?workflowRunId=${encodeURIComponent(run.workflowRunId)}`, class: 'mono', id: 'run-dlq' },
        run.dlqId),
      entry === null ? h('span', { class: 'muted' }, ' (no longer in the DLQ)') : null)]);
  }
  if (entry?.failureCallbackInfo) {
    const info = entry.failureCallbackInfo;
    rows.push(['Failure function', h('span', null,
      h('span', { class: `badge ${stateClass(info.state)}`, id: 'failure-callback-state' }, info.state),
      info.responseStatus ? ` HTTP ${info.responseStatus}` : '')]);
  }
  const response = run.workflowRunResponse;
  replace(box, h('dl', { class: 'facts' }, rows.flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v)])),
    response !== undefined ? h('div', { class: 'response' }, h('span', { class: 'label' }, 'Response'),
      h('pre', { class: 'body run-response' }, response || '(empty)')) : null,
    actions(run, entry, refresh, act));
}

function actions(run, entry, refresh, act) {
  const id = run.workflowRunId;
  const box = h('div', { class: 'actions' });
  if (run.workflowState === 'RUN_STARTED') {
    box.append(button('Cancel run', () => act(async () => {
      if (!await confirm('Cancel this run?', [`${id} stops: no further step is called, and it cannot be resumed.`],
        'Cancel run')) return;
      await api('DELETE', `/v2/workflows/runs/${encodeURIComponent(id)}`, { query: { cancel: 'true' } });
      toast('Run canceled.');
    }).then(refresh), 'danger'));
  }
  if (run.workflowState === 'RUN_FAILED' && entry) {
    const dlqIds = entry.dlqId;
    box.append(
      button('Resume', () => act(() => startAgain('resume', dlqIds, id,
        'A new run starts from the failed step; the steps that succeeded before it are not run again.'))),
      button('Restart', () => act(() => startAgain('restart', dlqIds, id,
        'A new run starts from the beginning with the same initial payload; every step runs again.')), 'secondary'));
    if (entry.failureCallbackInfo?.state === 'CALLBACK_FAIL') {
      box.append(button('Retry failure function', () => act(async () => {
        if (!await confirm('Retry the failure function?', [`The failure function of ${id} is called again, as it `
          + `was the first time${entry.failureCallback ? `, at ${entry.failureCallback}` : ''}.`],
        'Retry failure function')) return;
        await api('POST', `/v2/workflows/dlq/callback/${encodeURIComponent(entry.dlqId)}`);
        toast('Failure function called again.');
      }).then(refresh), 'secondary'));
    }
  }
  return box.childElementCount ? box : null;
}

/** Resume or restart from the DLQ entry; on success the page moves to the new run. */
async function startAgain(how, dlqIds, id, what) {
  const verb = how === 'resume' ? 'Resume' : 'Restart';
  if (!await confirm(`${verb} this run?`, [what, `The entry leaves the DLQ; ${id} stays failed.`], verb)) return;
  const r = await api('POST', `/v2/workflows/dlq/${how}`, { query: { dlqIds } });
  const next = (r?.workflowRuns ?? [])[0]?.workflowRunId;
  toast(next ? `${how === 'resume' ? 'Resumed' : 'Restarted'} as ${next}.` : `${verb}d.`);
  if (!next) return undefined;
  location.hash = `#/workflow/${encodeURIComponent(next)}`;
  return 'left';
}

/** What made the run fail: the failed call's answer kept in its DLQ entry. */
function drawFailure(box, run, entry) {
  if (run.workflowState !== 'RUN_FAILED' || !entry) {
    replace(box);
    return;
  }
  const body = entry.responseBody ?? base64Text(entry.responseBodyBase64);
  const info = entry.failureCallbackInfo;
  replace(box, h('div', { class: 'panel' }, h('h2', null, 'Failure'),
    h('p', null, entry.responseStatus ? `The workflow endpoint answered HTTP ${entry.responseStatus}.`
      : `No answer: ${entry.error ?? 'unknown error'}.`),
    h('span', { class: 'label' }, 'Response body'),
    h('pre', { class: 'body failure-body' }, body || '(empty)'),
    info?.responseBody ? [h('span', { class: 'label' }, 'Failure function answer'),
      h('pre', { class: 'body' }, info.responseBody)] : null));
}

/** A group of the run's steps: one step, or the steps that ran in parallel. */
function group(g) {
  const items = (g.steps ?? []).map(stepItem);
  if (g.type !== 'parallel') return items;
  return h('li', { class: 'step parallel ok' }, h('div', { class: 'step-head' },
    h('span', { class: 'badge info' }, `parallel × ${items.length}`)), h('ol', { class: 'parallel-steps' }, items));
}

function stepItem(s) {
  const at = createdMillis(s.messageId);
  const details = [['sleepFor', 'Sleeps for (s)'], ['sleepUntil', 'Sleeps until'], ['waitEventId', 'Waits for event'],
    ['waitTimeout', 'Wait timeout'], ['callUrl', 'Calls'], ['callMethod', 'Method']]
    .filter(([k]) => s[k] !== undefined && s[k] !== null && s[k] !== '')
    .map(([k, label]) => [label, k === 'sleepUntil' ? when(Number(s[k]) * 1000) : String(s[k])]);
  return h('li', { class: `step ${stateClass(s.state)}`, 'data-step': s.stepName },
    h('div', { class: 'step-head' },
      h('strong', { class: 'step-name' }, s.stepName ?? `step ${s.stepId}`),
      h('span', { class: 'badge info' }, s.stepType ?? 'step'),
      h('span', { class: `badge ${stateClass(s.state)}` }, s.state ?? ''),
      at ? h('time', { title: new Date(at).toISOString() }, when(at)) : null),
    details.length ? h('dl', { class: 'facts step-details' },
      details.flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v)])) : null,
    s.out !== undefined ? h('pre', { class: 'body step-out' }, output(s.out)) : null);
}

/** A step's output as the endpoint reported it (JSON text): a JSON string shows as its text, other values as JSON. */
function output(out) {
  if (out === '') return '(empty)';
  try {
    const value = JSON.parse(out);
    return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  } catch {
    return String(out);
  }
}
