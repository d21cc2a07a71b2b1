// Cancelling a run with the official @upstash/workflow SDK's Client.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, sleep } from '../lib/harness.mjs';
import { counter, runSteps, startApp, workflowClient } from './app.mjs';

const ran = counter();
let app;
const client = workflowClient();

before(async () => {
  app = await startApp({
    '/sleeper': [async (context) => {
      const id = context.workflowRunId;
      await context.run('before', () => ran.add(`${id}/before`));
      await context.sleep('long-nap', 3);
      await context.run('after', () => ran.add(`${id}/after`));
    }],
  });
});

after(async () => {
  await app?.close();
});

test('a sleeping run is cancelled: its pending step is never delivered', async () => {
  const { workflowRunId: id } = await client.trigger({ url: app.url('/sleeper'), body: {} });
  // asleep: the trigger, the first step and the sleep step are in the run's list
  await eventually(`run ${id} to sleep`, async () => {
    const { status, body } = await runSteps(id);
    return status === 200 && body.length === 3;
  });
  assert.deepEqual(await client.cancel({ ids: [id] }), { cancelled: 1 });
  assert.equal((await runSteps(id)).status, 404, 'a cancelled run has no step list');
  assert.deepEqual(await client.cancel({ ids: [id] }), { cancelled: 0 }, 'cancelling again changes nothing');
  await sleep(4500); // past the end of the sleep
  assert.equal(ran.get(`${id}/before`), 1);
  assert.equal(ran.get(`${id}/after`), 0, 'the step after the sleep ran although the run was cancelled');
});
