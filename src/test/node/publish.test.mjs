// publish / publishJSON through the official SDK, and what the destination receives.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Receiver } from '@upstash/qstash';
import {
  assertAllVerified, assertQStashHeaders, claims, env, newClient, receiver, startSink,
} from './lib/harness.mjs';

const client = newClient();
let sink;

before(async () => { sink = await startSink(); });
after(async () => { await sink?.close(); });

test('publish with a string body, custom headers and a method override', async () => {
  const url = sink.url('/publish/string?tag=a&x=1');
  const body = 'héllo, Ferry ✓ — raw text, not JSON';
  const res = await client.publish({
    url,
    body,
    method: 'PUT',
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      'X-Custom-Header': 'custom value',
      'Upstash-Forward-Explicit-Prefix': 'kept',
    },
  });
  assert.match(res.messageId, /^msg_/);

  const [d] = await sink.await('/publish/string', 1);
  assert.equal(d.method, 'PUT');
  assert.equal(d.url, '/publish/string?tag=a&x=1');
  assert.deepEqual(d.body, Buffer.from(body, 'utf8'));
  assert.equal(d.headers['content-type'], 'text/plain; charset=utf-8');
  assert.equal(d.headers['x-custom-header'], 'custom value');
  assert.equal(d.headers['explicit-prefix'], 'kept');
  assertQStashHeaders(d, res.messageId);

  const jwt = claims(d.headers['upstash-signature']);
  assert.equal(jwt.iss, 'Upstash');
  assert.equal(jwt.sub, url);
  assert.equal(jwt.exp - jwt.iat, 300);
  assert.equal(await receiver.verify({ signature: d.headers['upstash-signature'], body, url }), true);
});

test('Receiver rejects a tampered body, a different URL and foreign keys (so the check can fail)', async () => {
  const [d] = sink.at('/publish/string');
  assert.ok(d, 'needs the delivery of the previous test');
  const signature = d.headers['upstash-signature'];
  await assert.rejects(receiver.verify({ signature, body: `${d.text} `, url: d.fullUrl }), /body hash does not match/);
  await assert.rejects(receiver.verify({ signature, body: d.text, url: sink.url('/publish/other') }),
    /invalid subject/);
  const stranger = new Receiver({
    currentSigningKey: 'sig_notTheCurrentKey0000000000',
    nextSigningKey: 'sig_notTheNextKey000000000000',
    devMode: false,
  });
  await assert.rejects(stranger.verify({ signature, body: d.text, url: d.fullUrl }), /signature/i);
  // signed with the current key: a receiver that only knows it (as next) still accepts, as after a rotation
  const rotated = new Receiver({
    currentSigningKey: 'sig_notTheCurrentKey0000000000',
    nextSigningKey: env.currentSigningKey,
    devMode: false,
  });
  assert.equal(await rotated.verify({ signature, body: d.text, url: d.fullUrl }), true);
});

test('publish with no body and DELETE delivers an empty, signed request', async () => {
  const res = await client.publish({ url: sink.url('/publish/empty'), method: 'DELETE' });
  const [d] = await sink.await('/publish/empty', 1);
  assert.equal(d.method, 'DELETE');
  assert.equal(d.body.length, 0);
  assertQStashHeaders(d, res.messageId);
});

test('publishJSON delivers the JSON byte-exact with application/json', async () => {
  const payload = { hello: 'wörld', n: 42, pi: 3.14159, list: [1, 'two', null, { deep: true }], emoji: '🚢' };
  const res = await client.publishJSON({
    url: sink.url('/publish/json'),
    body: payload,
    headers: { 'X-Trace': 'trace-1' },
  });
  assert.match(res.messageId, /^msg_/);

  const [d] = await sink.await('/publish/json', 1);
  assert.equal(d.method, 'POST');
  assert.equal(d.headers['content-type'], 'application/json');
  assert.deepEqual(d.body, Buffer.from(JSON.stringify(payload), 'utf8'));
  assert.deepEqual(JSON.parse(d.text), payload);
  assert.equal(d.headers['x-trace'], 'trace-1');
  assertQStashHeaders(d, res.messageId);
});

test('a 48 KiB multi-byte body arrives byte-exact and verifies', async () => {
  const body = 'Ferry ⛴ überträgt 字节 '.repeat(1700); // 49,300 bytes of UTF-8, under the suite's 64 KiB limit
  const res = await client.publish({ url: sink.url('/publish/large'), body,
    headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  const [d] = await sink.await('/publish/large', 1);
  assert.equal(d.body.length, Buffer.byteLength(body));
  assert.deepEqual(d.body, Buffer.from(body, 'utf8'));
  assertQStashHeaders(d, res.messageId);
});

test('publishJSON with delay, and publish with notBefore, arrive no earlier than asked', async () => {
  const sentAt = Date.now();
  const notBefore = Math.ceil(sentAt / 1000) + 2; // Unix seconds, as the SDK sends it
  const delayed = await client.publishJSON({ url: sink.url('/publish/delayed'), body: { delayed: true }, delay: 2 });
  const scheduled = await client.publish({ url: sink.url('/publish/not-before'), body: 'at a time', notBefore });
  await sink.assertStays('/publish/delayed', 0, 1000);
  assert.equal(sink.at('/publish/not-before').length, 0, 'notBefore message arrived early');

  const [d] = await sink.await('/publish/delayed', 1);
  assert.ok(d.at - sentAt >= 2000, `arrived ${d.at - sentAt} ms after publish, expected at least 2000`);
  assert.ok(d.at - sentAt < 12_000, `arrived ${d.at - sentAt} ms after publish, far later than the delay`);
  assertQStashHeaders(d, delayed.messageId);
  const [n] = await sink.await('/publish/not-before', 1);
  assert.ok(n.at >= notBefore * 1000, `arrived ${notBefore * 1000 - n.at} ms before notBefore`);
  assert.ok(n.at - notBefore * 1000 < 10_000, `arrived ${n.at - notBefore * 1000} ms after notBefore`);
  assertQStashHeaders(n, scheduled.messageId);
});

test('every delivery passed Receiver.verify', (t) => assertAllVerified(t, sink, 'publish'));
