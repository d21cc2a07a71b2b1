// context.invoke with the official @upstash/workflow SDK: a parent run starts a child run (serveMany) and gets
// the child's end back as the invoke step's result: its return value, a cancel, or a failure.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createWorkflow } from '@upstash/workflow/express';
import { eventually } from '../lib/harness.mjs';
import { counter, startApp, workflowClient } from './app.mjs';

const results = new Map(); // parent run id → what its invoke step returned
const children = new Map(); // parent run id → the child's run id and context facts
const ran = counter();
let app;
const client = workflowClient();

const child = createWorkflow(async (context) => {
  const { mode, n, parent } = context.requestPayload;
  children.set(parent, { id: context.workflowRunId, createdAt: context.workflowRunCreatedAt });
  const doubled = await context.run('double', () => n * 2);
  if (mode === 'cancel') await context.cancel();
  if (mode === 'fail') await context.run('explode', () => { throw new Error(`child of ${parent} gave up`); });
  return { doubled, from: context.workflowRunId };
});

const parent = createWorkflow(async (context) => {
  const { mode } = context.requestPayload;
  const before = await context.run('before', () => 'before');
  const result = await context.invoke('call-child', {
    workflow: child,
    body: { mode, n: 21, parent: context.workflowRunId },
    retries: 0,
  });
  await context.run('after', () => {
    ran.add(`${context.workflowRunId}/after`);
    results.set(context.workflowRunId, result);
  });
  return { before, result };
});

before(async () => {
  app = await startApp({}, { '/many': { parent, child } });
});

after(async () => {
  await app?.close();
});

async function finalRun(id) {
  return eventually(`run ${id} to end`, async () => {
    const { runs } = await client.logs({ workflowRunId: id });
    return runs[0] && runs[0].workflowState !== 'RUN_STARTED' ? runs[0] : undefined;
  }, 20_000);
}

test('invoke: the parent gets the child\'s return value and goes on', async () => {
  const { workflowRunId: id } = await client.trigger({ url: app.url('/many/parent'), body: { mode: 'ok' } });
  const result = await eventually(`invoke result of ${id}`, () => results.get(id), 20_000);
  const { id: childId } = children.get(id);
  assert.deepEqual(result, { body: { doubled: 42, from: childId } });
  const run = await finalRun(id);
  assert.equal(run.workflowState, 'RUN_SUCCESS');
  assert.deepEqual(JSON.parse(run.workflowRunResponse), { before: 'before', result });
  assert.equal(ran.get(`${id}/after`), 1, 'the step after the invoke ran once');

  const childRun = await finalRun(childId);
  assert.equal(childRun.workflowState, 'RUN_SUCCESS');
  assert.equal(childRun.invoker.workflowRunId, id);
  assert.equal(childRun.invoker.workflowUrl, app.url('/many/parent'));
  assert.equal(childRun.invoker.workflowRunCreatedAt, run.workflowRunCreatedAt);
  assert.equal(childRun.workflowUrl, app.url('/many/child'));
});

test('invoke: a child that cancels itself is reported as cancelled', async () => {
  const { workflowRunId: id } = await client.trigger({ url: app.url('/many/parent'), body: { mode: 'cancel' } });
  const result = await eventually(`invoke result of ${id}`, () => results.get(id), 20_000);
  assert.equal(result.isCanceled, true);
  assert.equal(result.isFailed, undefined);
  assert.equal((await finalRun(children.get(id).id)).workflowState, 'RUN_CANCELED');
  assert.equal((await finalRun(id)).workflowState, 'RUN_SUCCESS');
});

test('invoke: a child that fails for good is reported as failed, with its last answer', async () => {
  const { workflowRunId: id } = await client.trigger({ url: app.url('/many/parent'), body: { mode: 'fail' } });
  const result = await eventually(`invoke result of ${id}`, () => results.get(id), 20_000);
  assert.equal(result.isFailed, true);
  assert.equal(result.body.message, `child of ${id} gave up`, JSON.stringify(result));
  assert.equal((await finalRun(children.get(id).id)).workflowState, 'RUN_FAILED');
  assert.equal((await finalRun(id)).workflowState, 'RUN_SUCCESS');
});
