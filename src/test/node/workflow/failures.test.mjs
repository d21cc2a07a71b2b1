// Failing runs with the official @upstash/workflow SDK: retries from the trigger, the failure function, failureUrl.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { WorkflowNonRetryableError } from '@upstash/workflow';
import { eventually, newClient, startSink } from '../lib/harness.mjs';
import { counter, startApp, workflowClient } from './app.mjs';

const failures = new Map(); // run id → what the failure function received
const started = new Map(); // marker → run id, for runs started by a plain publish
const ran = counter();
let app;
let sink;
const client = workflowClient();

before(async () => {
  sink = await startSink();
  app = await startApp({
    '/throws': [async (context) => {
      const id = context.workflowRunId;
      await context.run('fine', () => 'fine');
      await context.run('boom', () => { ran.add(`${id}/boom`); throw new Error(`boom in ${id}`); });
    }, {
      failureFunction: async ({ context, failStatus, failResponse }) => {
        ran.add(`${context.workflowRunId}/failure-function`);
        failures.set(context.workflowRunId, { failStatus, failResponse, payload: context.requestPayload });
        return 'handled';
      },
    }],
    '/throws-plain': [async (context) => {
      await context.run('boom', () => { throw new Error('plain boom'); });
    }],
    '/gives-up': [async (context) => {
      started.set(context.requestPayload.marker, context.workflowRunId);
      await context.run('give-up', () => { throw new WorkflowNonRetryableError('no point retrying'); });
    }],
  });
});

after(async () => {
  await app?.close();
  await sink?.close();
});

test('a throwing step is retried as the trigger said, then the failure function runs once', async () => {
  const { workflowRunId: id } = await client.trigger({
    url: app.url('/throws'), body: { order: 7 }, retries: 1, retryDelay: '100',
  });
  const f = await eventually(`failure function of ${id}`, () => failures.get(id), 20_000);
  assert.equal(f.failStatus, 500);
  assert.equal(f.failResponse, `boom in ${id}`);
  assert.deepEqual(f.payload, { order: 7 }, 'context.requestPayload is the run\'s initial payload');
  assert.equal(ran.get(`${id}/boom`), 2, 'the failing step ran once and was retried once');
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(ran.get(`${id}/failure-function`), 1);
});

test('failureUrl receives the failure callback with the run id, creation time and initial payload', async () => {
  const { workflowRunId: id } = await client.trigger({
    url: app.url('/throws-plain'), body: 'raw text', retries: 0, failureUrl: sink.url('/failed'),
  });
  const [d] = await sink.await('/failed', 1, 20_000);
  assert.ok(d.verification.ok, d.verification.error);
  assert.equal(d.headers['upstash-workflow-runid'], id);
  const body = JSON.parse(d.text);
  assert.equal(body.workflowRunId, id);
  assert.equal(typeof body.workflowCreatedAt, 'number');
  assert.equal(String(body.workflowCreatedAt), d.headers['upstash-workflow-createdat']);
  assert.equal(Buffer.from(body.sourceBody, 'base64').toString(), 'raw text');
  assert.equal(body.status, 500);
  assert.match(JSON.parse(Buffer.from(body.body, 'base64').toString()).message, /plain boom/);

  // the SDK's dlq.list sends source=workflow, which lists the failed step of the run
  const { messages } = await client.dlq.list();
  const entry = messages.find((m) => m.header?.['Upstash-Workflow-Runid']?.[0] === id);
  assert.ok(entry, `no DLQ entry of ${id} in ${JSON.stringify(messages.map((m) => m.header))}`);
  assert.equal(entry.dlqId, body.dlqId);
});

test('a run started without a failure callback still fails when its step fails for good', async () => {
  // a plain publish to the endpoint makes `serve` trigger the run itself, with no failure callback
  const marker = `m-${Date.now()}`;
  await newClient().publishJSON({ url: app.url('/gives-up'), body: { marker } });
  const id = await eventually(`run of ${marker}`, () => started.get(marker));
  // not "until GET /v2/workflows/runs/{id} is 404": the app learns the id before its trigger creates the run, and an
  // unknown run is a 404 too
  const run = await eventually(`run ${id} to end`, async () => {
    const [logged] = (await client.logs({ workflowRunId: id })).runs;
    return logged && logged.workflowState !== 'RUN_STARTED' ? logged : undefined;
  });
  assert.equal(run.workflowState, 'RUN_FAILED');
  const { messages } = await client.dlq.list();
  const entry = messages.find((m) => m.header?.['Upstash-Workflow-Runid']?.[0] === id);
  assert.ok(entry, 'the failed step is in the DLQ');
  assert.equal(run.dlqId, entry.dlqId, 'the run names its DLQ entry');
});
