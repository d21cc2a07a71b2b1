// Callbacks, failure callbacks and flow control through the SDK's publishJSON options and client.flowControl; every
// delivery (callbacks included, signed with their own URL as `sub`) is checked with the Receiver.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  assertAllVerified, assertQStashHeaders, eventually, newClient, RUN, sleep, startSink,
} from './lib/harness.mjs';

const client = newClient();
let sink;

before(async () => { sink = await startSink(); });
after(async () => { await sink?.close(); });

const b64 = (s) => Buffer.from(s, 'utf8').toString('base64');

test('callbacks: publishJSON with callback and failureCallback; bodies describe each attempt', async () => {
  sink.on('/cbf/dest', (d, previous) => (previous < 1
    ? { status: 500, body: 'first fails' }
    : { status: 200, headers: { 'X-Answer': '42' }, body: 'done' }));
  const res = await client.publishJSON({
    url: sink.url('/cbf/dest'),
    body: { hello: 'world' },
    retries: 2,
    retryDelay: '50',
    callback: sink.url('/cbf/callback'),
    failureCallback: sink.url('/cbf/failure'),
  });
  const dest = await sink.await('/cbf/dest', 2);
  dest.forEach((d, i) => assertQStashHeaders(d, res.messageId, i));
  const callbacks = await sink.await('/cbf/callback', 2);
  for (const c of callbacks) {
    assert.ok(c.verification.ok, `callback verified: ${c.verification.error}`);
    assert.equal(c.headers['content-type'], 'application/json');
    assert.notEqual(c.headers['upstash-message-id'], res.messageId);
  }
  const bodies = callbacks.map((c) => JSON.parse(c.text)).sort((a, b) => a.retried - b.retried);
  assert.deepEqual(bodies.map((b) => [b.status, b.retried, b.maxRetries]), [[500, 0, 2], [200, 1, 2]]);
  assert.equal(bodies[0].body, b64('first fails'));
  assert.equal(bodies[1].body, b64('done'));
  assert.deepEqual(bodies[1].header['X-Answer'], ['42']);
  for (const b of bodies) {
    assert.equal(b.sourceMessageId, res.messageId);
    assert.equal(b.url, sink.url('/cbf/dest'));
    assert.equal(b.method, 'POST');
    assert.equal(Buffer.from(b.sourceBody, 'base64').toString('utf8'), JSON.stringify({ hello: 'world' }));
    assert.deepEqual(b.sourceHeader['Content-Type'], ['application/json']);
    assert.equal(typeof b.createdAt, 'number');
  }
  await sink.assertStays('/cbf/failure', 0, 300);
});

test('callbacks: the failure callback fires once, with the dlqId, when retries are exhausted', async () => {
  sink.on('/cbf/doomed', () => ({ status: 503, body: 'down' }));
  const res = await client.publishJSON({
    url: sink.url('/cbf/doomed'),
    body: { n: 1 },
    retries: 1,
    retryDelay: '50',
    failureCallback: sink.url('/cbf/doomed-failure'),
    headers: { 'Upstash-Failure-Callback-Forward-X-Why': 'audit' },
  });
  await sink.await('/cbf/doomed', 2);
  const [f] = await sink.await('/cbf/doomed-failure', 1);
  assert.ok(f.verification.ok, f.verification.error);
  assert.equal(f.headers['x-why'], 'audit');
  const body = JSON.parse(f.text);
  assert.equal(body.sourceMessageId, res.messageId);
  assert.equal(body.status, 503);
  assert.equal(body.retried, 1);
  assert.equal(body.maxRetries, 1);
  assert.match(body.dlqId, /^\d+-\d+$/);
  await sink.assertStays('/cbf/doomed-failure', 1, 400);
});

test('flow control: publishJSON flowControl keeps parallelism and rate; client.flowControl shows the key', async () => {
  const key = `fc-${RUN}`;
  let inFlight = 0;
  let maxInFlight = 0;
  const n = 12;
  const starts = [];
  sink.on('/cbf/limited', (d) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    // when the request arrived, not now: the sink verifies the signature first, and the first verification of a
    // run can take a few hundred ms, which made the first start look later than it was
    starts.push(d.at);
    setTimeout(() => { inFlight -= 1; }, 100);
    return { status: 200, delayMs: 100 };
  });
  const published = await Promise.all(Array.from({ length: n }, (_, i) => client.publishJSON({
    url: sink.url('/cbf/limited'),
    body: { i },
    flowControl: { key, parallelism: 2, rate: 5, period: 1 },
  })));
  const got = await sink.await('/cbf/limited', n, 20_000);
  assert.ok(got.every((d) => d.verification.ok));
  assert.ok(maxInFlight <= 2, `max in flight ${maxInFlight}`);
  starts.sort((a, b) => a - b);
  // Fixed windows: a stretch shorter than a period overlaps at most two, so holds at most 2 × rate starts (200 ms of
  // margin for delivery latency seen at the sink); 12 starts at 5 a window need three windows.
  for (const from of starts) {
    const count = starts.filter((t) => t >= from && t < from + 800).length;
    assert.ok(count <= 10, `${count} starts within 800 ms`);
  }
  // The rate itself is judged on Ferry's own clock: the ACTIVE entries of its log say when each attempt started.
  // The sink's arrival times add delivery latency, which on a loaded machine differs by hundreds of ms between the
  // first delivery and the last. Windows are anchored at the first start after the previous one ended, so with every
  // window full the 6th start comes a period after the 1st and the 11th a period after the 6th. The entry is stamped
  // as the attempt is sent, after the lane let it start: a few ms on an idle machine (996 ms was seen), 77 ms once
  // with three replicas, a proxy and the SDK sharing 2 busy cores (923 ms). So 150 ms of slack, while a limiter
  // that let the 12 through at parallelism 2 alone would start them all within about 600 ms (the 11th about 250 ms
  // after the 6th).
  const activeAt = await eventually('an ACTIVE log entry for each message', async () => {
    const { logs } = await client.logs({ messageIds: published.map((r) => r.messageId) });
    const active = logs.filter((l) => l.state === 'ACTIVE').map((l) => l.time).sort((a, b) => a - b);
    return active.length === n ? active : undefined;
  });
  assert.ok(activeAt[5] - activeAt[0] >= 850, `6th start ${activeAt[5] - activeAt[0]} ms after the 1st`);
  assert.ok(activeAt[10] - activeAt[5] >= 850, `11th start ${activeAt[10] - activeAt[5]} ms after the 6th`);

  const info = await client.flowControl.get(key);
  assert.equal(info.flowControlKey, key);
  assert.equal(info.parallelismMax, 2);
  assert.equal(info.rateMax, 5);
  assert.equal(info.ratePeriod, 1);
  assert.equal(info.waitListSize, 0);
  assert.equal(info.isPaused, false);
  const global = await client.flowControl.getGlobalParallelism();
  assert.equal(typeof global.parallelismMax, 'number');
  assert.equal(typeof global.parallelismCount, 'number');
});

test('flow control: pause holds the waitlist, resume delivers it; pin, unpin and resetRate', async () => {
  const key = `fc-held-${RUN}`;
  await client.flowControl.pause(key);
  await client.publishJSON({ url: sink.url('/cbf/held'), body: { x: 1 }, flowControl: { key, parallelism: 1 } });
  await sleep(300);
  assert.equal(sink.at('/cbf/held').length, 0);
  let info = await client.flowControl.get(key);
  assert.equal(info.isPaused, true);
  assert.equal(info.waitListSize, 1);
  await client.flowControl.resume(key);
  await sink.await('/cbf/held', 1);

  await client.flowControl.pin(key, { parallelism: 3, rate: 9, period: 60 });
  info = await client.flowControl.get(key);
  assert.deepEqual([info.isPinnedParallelism, info.isPinnedRate, info.parallelismMax, info.rateMax, info.ratePeriod],
    [true, true, 3, 9, 60]);
  await client.flowControl.unpin(key, { parallelism: true, rate: true });
  info = await client.flowControl.get(key);
  assert.deepEqual([info.isPinnedParallelism, info.isPinnedRate], [false, false]);
  await client.flowControl.resetRate(key);
  info = await client.flowControl.get(key);
  assert.equal(info.rateCount, 0);
  await eventually('unknown key → error', async () => {
    try {
      await client.flowControl.get(`missing-${RUN}`);
      return false;
    } catch (e) {
      return true;
    }
  });
});

test('callbacks and flow control: every delivery passed Receiver.verify', (t) => {
  assertAllVerified(t, sink, 'callbacks-flow.test.mjs');
});
