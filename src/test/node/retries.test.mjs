// Retries through the SDK's retries / retryDelay / timeout options, and the destination's say in them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  assertAllVerified, assertQStashHeaders, claims, newClient, startSink,
} from './lib/harness.mjs';

const client = newClient();
let sink;

before(async () => { sink = await startSink(); });
after(async () => { await sink?.close(); });

test('retries: two 500s then 200, Upstash-Retried counts up with the same message id', async () => {
  sink.on('/retry/flaky', (d, previous) => (previous < 2 ? { status: 500, body: 'not yet' } : { status: 200 }));
  const res = await client.publish({
    url: sink.url('/retry/flaky'),
    body: 'retry me',
    headers: { 'Content-Type': 'text/plain' },
    retries: 3,
    retryDelay: '100 * (1 + retried)',
  });

  const got = await sink.await('/retry/flaky', 3);
  got.forEach((d, i) => {
    assertQStashHeaders(d, res.messageId, i);
    assert.equal(d.text, 'retry me');
  });
  const jtis = got.map((d) => claims(d.headers['upstash-signature']).jti);
  assert.equal(new Set(jtis).size, 3, 'each attempt carries a freshly minted JWT');
  // retryDelay is evaluated with retried = 0 before the first retry: 100 ms, then 200 ms
  assert.ok(got[1].at - got[0].respondedAt >= 90, `first retry after ${got[1].at - got[0].respondedAt} ms`);
  assert.ok(got[2].at - got[1].respondedAt >= 190, `second retry after ${got[2].at - got[1].respondedAt} ms`);
  await sink.assertStays('/retry/flaky', 3, 600);
});

test('retries: a destination that always fails gets exactly 1 + retries attempts', async () => {
  sink.on('/retry/broken', () => ({ status: 500, body: 'broken' }));
  const res = await client.publishJSON({ url: sink.url('/retry/broken'), body: { doomed: true }, retries: 1,
    retryDelay: '50' });
  const got = await sink.await('/retry/broken', 2);
  got.forEach((d, i) => assertQStashHeaders(d, res.messageId, i));
  await sink.assertStays('/retry/broken', 2, 700);
});

test('retries: a Retry-After header from the destination overrides the retryDelay', async () => {
  sink.on('/retry/after', (d, previous) => (previous === 0 ? { status: 503, headers: { 'Retry-After': '1' } } : {}));
  const res = await client.publish({ url: sink.url('/retry/after'), body: 'later', retries: 1, retryDelay: '60000' });
  const [first, second] = await sink.await('/retry/after', 2);
  assertQStashHeaders(second, res.messageId, 1);
  const gap = second.at - first.respondedAt;
  assert.ok(gap >= 950 && gap < 5000, `retried ${gap} ms after Retry-After: 1 (retryDelay said 60 s)`);
});

test('retries: 489 with Upstash-NonRetryable-Error stops at the first attempt', async () => {
  sink.on('/retry/never', () => ({ status: 489, headers: { 'Upstash-NonRetryable-Error': 'true' } }));
  const res = await client.publish({ url: sink.url('/retry/never'), body: 'once', retries: 3, retryDelay: '50' });
  const [d] = await sink.await('/retry/never', 1);
  assertQStashHeaders(d, res.messageId, 0);
  await sink.assertStays('/retry/never', 1, 600);
});

test('timeout: an attempt slower than the SDK\'s timeout option fails and is retried', async () => {
  sink.on('/retry/slow', (d, previous) => (previous === 0 ? { delayMs: 2500 } : {}));
  const res = await client.publishJSON({ url: sink.url('/retry/slow'), body: { slow: true }, timeout: 1, retries: 1,
    retryDelay: '50' });
  const [slow, quick] = await sink.await('/retry/slow', 2);
  assertQStashHeaders(slow, res.messageId, 0);
  assertQStashHeaders(quick, res.messageId, 1);
  assert.ok(slow.hungUp, 'Ferry should have hung up on the slow attempt');
  const gap = quick.at - slow.at;
  assert.ok(gap >= 1000 && gap < 2300, `retry ${gap} ms after the slow attempt: expected the 1 s timeout to cut it`);
});

test('every delivery passed Receiver.verify', (t) => assertAllVerified(t, sink, 'retries'));
