// client.schedules: create with a cron, get, list, pause, resume, delete; ticks arrive signed and carry
// Upstash-Schedule-Id. Ferry's cron has minute resolution, so this file waits for the next minute boundary.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  RUN, assertAllVerified, assertQStashHeaders, eventually, newClient, startSink,
} from './lib/harness.mjs';

/** Up to a whole minute until the next tick, plus delivery. */
const TICK_WAIT_MS = 80_000;

const client = newClient();
let sink;

before(async () => { sink = await startSink(); });
after(async () => { await sink?.close(); });

test('schedules: create, get, list, pause, resume; a tick is delivered with Upstash-Schedule-Id; delete', async () => {
  const scheduleId = `sdk-schedule-${RUN}`;
  const url = sink.url('/schedules/tick?from=sdk');
  const created = await client.schedules.create({
    destination: url,
    cron: '* * * * *',
    scheduleId,
    body: JSON.stringify({ tick: true }),
    headers: { 'X-From': 'schedule' },
    retries: 1,
    label: 'sdk',
  });
  assert.equal(created.scheduleId, scheduleId);

  const got = await client.schedules.get(scheduleId);
  assert.equal(got.scheduleId, scheduleId);
  assert.equal(got.cron, '* * * * *');
  assert.equal(got.destination, url);
  assert.equal(got.method, 'POST');
  assert.equal(got.retries, 1);
  assert.equal(got.isPaused, false);
  assert.equal(got.body, '{"tick":true}');
  assert.deepEqual(got.header['X-From'], ['schedule']);
  assert.deepEqual(got.header['Content-Type'], ['application/json']);  // the SDK's default
  assert.deepEqual(got.labels, ['sdk']);
  assert.equal(got.callerIp, '127.0.0.1');
  assert.ok(got.nextScheduleTime > Date.now() - 1000 && got.nextScheduleTime % 60_000 === 0);
  assert.ok((await client.schedules.list()).some((s) => s.scheduleId === scheduleId));

  await client.schedules.pause({ schedule: scheduleId });
  assert.equal((await client.schedules.get(scheduleId)).isPaused, true);
  await client.schedules.resume({ schedule: scheduleId });
  assert.equal((await client.schedules.get(scheduleId)).isPaused, false);

  const [d] = await sink.await('/schedules/tick', 1, TICK_WAIT_MS);
  assert.equal(d.headers['upstash-schedule-id'], scheduleId);
  assert.equal(d.headers['x-from'], 'schedule');
  assert.equal(d.text, '{"tick":true}');
  assertQStashHeaders(d, d.headers['upstash-message-id']);

  const ticked = await eventually('lastScheduleStates to show the delivered message', async () => {
    const s = await client.schedules.get(scheduleId);
    return s.lastScheduleStates?.[d.headers['upstash-message-id']] === 'SUCCESS' ? s : undefined;
  });
  assert.ok(ticked.lastScheduleTime % 60_000 === 0 && ticked.lastScheduleTime <= d.at);

  await client.schedules.delete(scheduleId);
  assert.ok(!(await client.schedules.list()).some((s) => s.scheduleId === scheduleId));
  await assert.rejects(client.schedules.get(scheduleId), /not found/);
});

test('schedules: a time zone and a URL-group destination round-trip; a bad cron is a 400', async () => {
  const group = `sdk-schedule-group-${RUN}`;
  await client.urlGroups.addEndpoints({ name: group, endpoints: [{ url: sink.url('/schedules/group') }] });
  const { scheduleId } = await client.schedules.create({
    destination: group, cron: 'CRON_TZ=America/New_York 0 4 * * *', delay: 30,
  });
  const s = await client.schedules.get(scheduleId);
  assert.equal(s.destination, group);
  assert.equal(s.cron, 'CRON_TZ=America/New_York 0 4 * * *');
  assert.equal(s.delay, 30);
  await client.schedules.delete(scheduleId);
  await assert.rejects(client.schedules.create({ destination: sink.url('/never'), cron: '61 * * * *' }),
    /Invalid cron expression/);
});

test('schedules: a queueName with a delay is created and get shows both', async () => {
  const queueName = `sdk-schedule-queue-${RUN}`;
  const url = sink.url('/schedules/queued');
  const { scheduleId } = await client.schedules.create({
    destination: url, cron: '0 4 * * *', queueName, delay: 45, body: 'queued',
  });
  const s = await client.schedules.get(scheduleId);
  assert.equal(s.queueName, queueName);
  assert.equal(s.delay, 45);
  assert.equal(s.destination, url);
  const listed = (await client.schedules.list()).find((x) => x.scheduleId === scheduleId);
  assert.equal(listed.queueName, queueName);
  assert.equal(listed.delay, 45);
  await client.schedules.delete(scheduleId);
  await client.schedules.delete(scheduleId);  // deleting what is no longer there is not an error
});

test('every schedule delivery passed Receiver.verify', (t) => {
  assertAllVerified(t, sink, 'schedules.test.mjs');
});
