// waitForEvent, notify and getWaiters with the official @upstash/workflow SDK.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually } from '../lib/harness.mjs';
import { startApp, workflowClient } from './app.mjs';

const results = new Map(); // run id → what waitForEvent returned, and when
let app;
const client = workflowClient();

before(async () => {
  app = await startApp({
    '/waits': [async (context) => {
      const { eventId, timeout } = context.requestPayload;
      const startedAt = await context.run('started', () => Date.now());
      const got = await context.waitForEvent('wait-1', eventId, { timeout });
      await context.run('after', () => {
        results.set(context.workflowRunId, { ...got, elapsed: Date.now() - startedAt });
      });
      return got.timeout ? 'timed out' : 'notified';
    }],
  });
});

after(async () => {
  await app?.close();
});

const waiting = (eventId, n = 1) => eventually(`${n} waiter(s) of ${eventId}`, async () => {
  const waiters = await client.getWaiters({ eventId });
  return waiters.length === n ? waiters : null;
});

test('a notified wait gets the event data; the waiter is listed until then', async () => {
  const eventId = `evt-notify-${Date.now()}`;
  const { workflowRunId: id } = await client.trigger({ url: app.url('/waits'), body: { eventId, timeout: '30s' } });
  const [waiter] = await waiting(eventId);
  assert.equal(waiter.url, app.url('/waits'));
  assert.ok(waiter.deadline > Date.now() / 1000 + 20 && waiter.deadline < Date.now() / 1000 + 31,
    `deadline ${waiter.deadline} is the wait's end in Unix seconds`);
  assert.equal(waiter.headers['Upstash-Workflow-Runid']?.[0], id);

  const notified = await client.notify({ eventId, eventData: { order: 42 } });
  assert.equal(notified.length, 1);
  assert.match(notified[0].messageId, /^msg_/);
  assert.equal(notified[0].waiter.url, app.url('/waits'));

  const got = await eventually(`run ${id} to resume`, () => results.get(id));
  assert.deepEqual(got.eventData, { order: 42 });
  assert.equal(got.timeout, false);
  assert.deepEqual(await client.getWaiters({ eventId }), [], 'a notified waiter is gone');
  assert.deepEqual(await client.notify({ eventId, eventData: 'late' }), [], 'no waiter, nothing notified');
});

test('a wait that is not notified times out, never early', async () => {
  const eventId = `evt-timeout-${Date.now()}`;
  const { workflowRunId: id } = await client.trigger({ url: app.url('/waits'), body: { eventId, timeout: '2s' } });
  const got = await eventually(`run ${id} to time out`, () => results.get(id), 20_000);
  assert.equal(got.timeout, true);
  assert.equal(got.eventData, undefined);
  assert.ok(got.elapsed >= 2000, `resumed after ${got.elapsed} ms, before the 2 s timeout`);
  await eventually(`run ${id} to succeed`, async () =>
    (await client.logs({ workflowRunId: id })).runs[0]?.workflowRunResponse === '"timed out"');
});

test('a notify naming a run wakes only that run', async () => {
  const eventId = `evt-one-${Date.now()}`;
  const { workflowRunId: first } = await client.trigger({ url: app.url('/waits'), body: { eventId, timeout: '60s' } });
  const { workflowRunId: second } = await client.trigger({ url: app.url('/waits'), body: { eventId, timeout: '60s' } });
  await waiting(eventId, 2);
  const notified = await client.notify({ eventId, eventData: 'only you', workflowRunId: first });
  assert.equal(notified.length, 1);
  assert.equal((await eventually(`run ${first}`, () => results.get(first))).eventData, 'only you');
  const [left] = await waiting(eventId, 1);
  assert.equal(left.headers['Upstash-Workflow-Runid']?.[0], second);
  await client.notify({ eventId, eventData: 'now you' });
  assert.equal((await eventually(`run ${second}`, () => results.get(second))).eventData, 'now you');
});
