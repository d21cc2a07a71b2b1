// The workflow DLQ with the official @upstash/workflow SDK: the fields of a failed run's entry, resume (from the
// failed step, the steps before it not run again), restart (from the start), the failure function retried, delete.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, RUN, startSink } from '../lib/harness.mjs';
import { counter, startApp, workflowClient } from './app.mjs';

const ran = counter(); // `${key}/${step}` → times the step's code ran
const fixed = new Set(); // keys whose flaky step succeeds from now on
const results = new Map(); // key → the final result of the run that finished
let app;
let sink;
const client = workflowClient();

before(async () => {
  sink = await startSink();
  app = await startApp({
    '/flaky': [async (context) => {
      const { key } = context.requestPayload;
      const one = await context.run('one', () => { ran.add(`${key}/one`); return `one-${key}`; });
      const two = await context.run('two', () => {
        ran.add(`${key}/two`);
        if (!fixed.has(key)) throw new Error(`two is broken for ${key}`);
        return `two-${key}`;
      });
      await context.run('three', () => { ran.add(`${key}/three`); results.set(key, { one, two, runId: context.workflowRunId }); });
    }, {
      failureFunction: async ({ context }) => { ran.add(`${context.requestPayload.key}/failure-function`); },
    }],
    '/flaky-url': [async (context) => {
      const { key } = context.requestPayload;
      await context.run('boom', () => { ran.add(`${key}/boom`); throw new Error('always broken'); });
    }],
  });
});

after(async () => {
  await app?.close();
  await sink?.close();
});

/** Triggers /flaky for a new key and waits for its failed step's DLQ entry (fields as the SDK lists them). */
async function failedRun(name, options = {}) {
  const key = `${RUN}-${name}`;
  const { workflowRunId } = await client.trigger({ url: app.url('/flaky'), body: { key }, retries: 0, ...options });
  const entry = await eventually(`DLQ entry of ${workflowRunId}`, async () => {
    const { messages } = await client.dlq.list({ filter: { workflowRunId } });
    return messages.find((m) => m.failureCallbackInfo?.state === 'CALLBACK_SUCCESS');
  }, 20_000);
  return { key, runId: workflowRunId, entry };
}

test('a failed run\'s DLQ entry has the workflow fields, and filters select by them', async () => {
  const { key, runId, entry } = await failedRun('fields');
  assert.equal(entry.workflowRunId, runId);
  assert.equal(entry.workflowUrl, app.url('/flaky'));
  assert.equal(typeof entry.workflowCreatedAt, 'number');
  assert.equal(entry.failureCallback, app.url('/flaky'), 'the failure function is called at the workflow URL');
  assert.equal(entry.failureCallbackInfo.state, 'CALLBACK_SUCCESS');
  assert.equal(entry.failureCallbackInfo.responseStatus, 200);
  assert.equal(entry.responseStatus, 500);
  assert.equal(ran.get(`${key}/failure-function`), 1);

  const byCreatedAt = await client.dlq.list({ filter: { workflowRunId: runId, workflowCreatedAt: entry.workflowCreatedAt } });
  assert.deepEqual(byCreatedAt.messages.map((m) => m.dlqId), [entry.dlqId]);
  const wrongState = await client.dlq.list({ filter: { workflowRunId: runId, failureFunctionState: 'CALLBACK_FAIL' } });
  assert.deepEqual(wrongState.messages, [], 'failureFunctionState filters');
  const byUrl = await client.dlq.list({ filter: { workflowUrl: app.url('/flaky'), workflowRunId: runId } });
  assert.equal(byUrl.messages.length, 1);
});

test('resume starts a new run from the failed step: the steps before it do not run again', async () => {
  const { key, runId, entry } = await failedRun('resume');
  assert.equal(ran.get(`${key}/one`), 1);
  fixed.add(key);
  const { workflowRuns } = await client.dlq.resume(entry.dlqId);
  assert.equal(workflowRuns.length, 1);
  const [{ workflowRunId: resumed, workflowCreatedAt }] = workflowRuns;
  assert.notEqual(resumed, runId, 'a new run');
  assert.ok(workflowCreatedAt >= entry.workflowCreatedAt);
  const result = await eventually(`result of ${key}`, () => results.get(key), 20_000);
  assert.deepEqual(result, { one: `one-${key}`, two: `two-${key}`, runId: resumed },
    'step one\'s result came from the failed run');
  assert.equal(ran.get(`${key}/one`), 1, 'step one did not run again');
  assert.equal(ran.get(`${key}/two`), 2);
  const run = await eventually(`run ${resumed} to succeed`, async () => {
    const [logged] = (await client.logs({ workflowRunId: resumed })).runs;
    return logged?.workflowState === 'RUN_SUCCESS' ? logged : undefined;
  });
  assert.equal(run.workflowRunId, resumed);
  const { messages } = await client.dlq.list({ filter: { workflowRunId: runId } });
  assert.deepEqual(messages, [], 'the entry left the DLQ');
  await assert.rejects(client.dlq.resume(entry.dlqId), /not found/, 'an entry is resumed once');
});

test('restart starts a new run from the initial payload; the request\'s retries apply to it', async () => {
  const { key, runId, entry } = await failedRun('restart', { retryDelay: '100' });
  // still broken: restarted with one retry, step two runs twice and the new run fails again
  const { workflowRuns: [{ workflowRunId: restarted }] } = await client.dlq.restart(entry.dlqId, { retries: 1 });
  assert.notEqual(restarted, runId);
  const again = await eventually(`DLQ entry of ${restarted}`, async () => {
    const { messages } = await client.dlq.list({ filter: { workflowRunId: restarted } });
    return messages[0];
  }, 20_000);
  assert.equal(ran.get(`${key}/one`), 2, 'step one ran again: a restart starts over');
  assert.equal(ran.get(`${key}/two`), 3, 'once in the failed run, twice (one retry) in the restarted one');
  fixed.add(key);
  await client.dlq.restart([again.dlqId]);
  const result = await eventually(`result of ${key}`, () => results.get(key), 20_000);
  assert.equal(result.two, `two-${key}`);
  assert.equal(ran.get(`${key}/one`), 3);
});

test('a failed failure callback is kept in its run\'s entry and retried through the DLQ', async () => {
  const key = `${RUN}-callback`;
  sink.on('/failure', (d, before) => ({ status: before === 0 ? 500 : 200, body: before === 0 ? 'down' : 'ok' }));
  const { workflowRunId: runId } = await client.trigger({
    url: app.url('/flaky-url'), body: { key }, retries: 0, failureUrl: sink.url('/failure'),
  });
  const failed = await eventually(`failed failure callback of ${runId}`, async () => {
    const { messages } = await client.dlq.list({ filter: { workflowRunId: runId } });
    return messages.find((m) => m.failureCallbackInfo?.state === 'CALLBACK_FAIL');
  }, 30_000);
  assert.equal(failed.failureCallbackInfo.responseStatus, 500);
  assert.equal(failed.failureCallbackInfo.responseBody, 'down');
  const { messages } = await client.dlq.list({ filter: { workflowRunId: runId } });
  assert.equal(messages.length, 1, 'the failure callback has no DLQ entry of its own');

  const answer = await client.dlq.retryFailureFunction({ dlqId: failed.dlqId });
  assert.equal(answer.workflowRunId, runId);
  const [, second] = await sink.await('/failure', 2, 20_000);
  assert.ok(second.verification.ok, second.verification.error);
  assert.equal(JSON.parse(second.text).dlqId, failed.dlqId);
  await eventually('CALLBACK_SUCCESS', async () => {
    const [m] = (await client.dlq.list({ filter: { workflowRunId: runId } })).messages;
    return m?.failureCallbackInfo?.state === 'CALLBACK_SUCCESS';
  });
  await assert.rejects(client.dlq.retryFailureFunction({ dlqId: failed.dlqId }), /CALLBACK_SUCCESS/,
    'only a failed failure function is retried');
});

test('delete removes entries by id and by filter', async () => {
  const a = await failedRun('delete-a');
  const b = await failedRun('delete-b');
  assert.equal((await client.dlq.delete(a.entry.dlqId)).deleted, 1);
  const byFilter = await client.dlq.delete({ filter: { workflowRunId: b.runId } });
  assert.equal(byFilter.deleted, 1);
  for (const { runId } of [a, b]) {
    assert.deepEqual((await client.dlq.list({ filter: { workflowRunId: runId } })).messages, []);
  }
});
