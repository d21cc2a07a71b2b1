// Run logs (Client.logs) and cancel by filter with the official @upstash/workflow SDK.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually } from '../lib/harness.mjs';
import { startApp, workflowClient } from './app.mjs';

let app;
const client = workflowClient();

before(async () => {
  app = await startApp({
    '/logged': [async (context) => {
      const a = await context.run('first', () => 1);
      const [b, c] = await Promise.all([
        context.run('left', () => a + 1),
        context.run('right', () => a + 2),
      ]);
      return { total: a + b + c };
    }],
    '/sleepy': [async (context) => {
      await context.run('before', () => 'x');
      await context.sleep('long', 60);
    }],
  });
});

after(async () => {
  await app?.close();
});

const runLog = async (id) => (await client.logs({ workflowRunId: id })).runs[0];

test('a finished run is logged with its state, response and steps', async () => {
  const { workflowRunId: id } = await client.trigger({ url: app.url('/logged'), body: { go: 1 }, label: 'logs-test' });
  const run = await eventually(`run ${id} to succeed`, async () => {
    const r = await runLog(id);
    return r?.workflowState === 'RUN_SUCCESS' ? r : null;
  });
  assert.equal(run.workflowRunId, id);
  assert.equal(run.workflowUrl, app.url('/logged'));
  assert.deepEqual(JSON.parse(run.workflowRunResponse), { total: 6 });
  assert.ok(run.workflowRunCompletedAt >= run.workflowRunCreatedAt);
  assert.deepEqual(run.labels, ['logs-test']);
  const groups = run.steps.map((g) => [g.type, g.steps.map((s) => s.stepName)]);
  assert.deepEqual(groups.slice(0, 2), [['sequential', ['init']], ['sequential', ['first']]]);
  assert.equal(groups.length, 3);
  assert.equal(groups[2][0], 'parallel');
  assert.deepEqual([...groups[2][1]].sort(), ['left', 'right']);
  assert.equal(run.steps[1].steps[0].out, '1');
  assert.equal(JSON.parse(run.steps[0].steps[0].out).go, 1, 'the initial payload is the first step');
});

test('runs are filtered by state and URL and paged with a cursor; a cancelled run is RUN_CANCELED', async () => {
  const ids = [];
  for (let i = 0; i < 3; i++) ids.push((await client.trigger({ url: app.url('/sleepy'), body: {} })).workflowRunId);
  for (const id of ids) {
    await eventually(`run ${id} to sleep`, async () => (await runLog(id))?.steps.length === 3);
  }
  const started = await client.logs({ state: 'RUN_STARTED', workflowUrl: app.url('/sleepy') });
  assert.deepEqual(started.runs.map((r) => r.workflowRunId).sort(), [...ids].sort());

  const seen = [];
  let cursor;
  do {
    const page = await client.logs({ workflowUrl: app.url('/sleepy'), count: 2, cursor });
    assert.ok(page.runs.length <= 2);
    seen.push(...page.runs.map((r) => r.workflowRunId));
    cursor = page.cursor;
  } while (cursor);
  assert.deepEqual(seen.sort(), [...ids].sort(), 'every run once across the pages');

  assert.deepEqual(await client.cancel({ urlStartingWith: app.url('/sleep') }), { cancelled: 3 });
  for (const id of ids) assert.equal((await runLog(id)).workflowState, 'RUN_CANCELED');
  const none = await client.logs({ state: 'RUN_STARTED', workflowUrl: app.url('/sleepy') });
  assert.deepEqual(none.runs, []);
});
