// batchJSON and batch, signing keys, and the SDK's dev mode.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, Receiver } from '@upstash/qstash';
import {
  RUN, assertAllVerified, assertQStashHeaders, env, newClient, startSink,
} from './lib/harness.mjs';

// The credentials the SDK's dev mode hard-codes (qstash-cli dev's defaultUser).
const DEV = {
  token: 'eyJVc2VySUQiOiJkZWZhdWx0VXNlciIsIlBhc3N3b3JkIjoiZGVmYXVsdFBhc3N3b3JkIn0=',
  current: 'sig_7kYjw48mhY7kAjqNGcy6cr29RJ6r',
  next: 'sig_5ZB6DVzB1wjE8S6rZ7eenA8Pdnhs',
};

const client = newClient();
let sink;

before(async () => { sink = await startSink(); });
after(async () => { await sink?.close(); });

test('batchJSON mixing a URL, a URL group and a queue answers positionally', async () => {
  const group = `sdk-batch-group-${RUN}`;
  const queueName = `sdk-batch-queue-${RUN}`;
  const [g1, g2] = [sink.url('/batch/group/1'), sink.url('/batch/group/2')];
  await client.urlGroups.addEndpoints({ name: group, endpoints: [{ url: g1 }, { url: g2 }] });
  await client.queue({ queueName }).upsert({ parallelism: 1 });

  const res = await client.batchJSON([
    { url: sink.url('/batch/url'), body: { kind: 'url' }, headers: { 'X-Entry': 'url' } },
    { urlGroup: group, body: { kind: 'group' } },
    { url: sink.url('/batch/queued'), queueName, body: { kind: 'queue' } },
  ]);
  assert.equal(res.length, 3, JSON.stringify(res));
  assert.ok(!Array.isArray(res[0]) && /^msg_/.test(res[0].messageId), JSON.stringify(res[0]));
  assert.ok(Array.isArray(res[1]), `the group entry answers a nested array, got ${JSON.stringify(res[1])}`);
  assert.deepEqual(res[1].map((r) => r.url).sort(), [g1, g2].sort());
  assert.ok(!Array.isArray(res[2]) && /^msg_/.test(res[2].messageId), JSON.stringify(res[2]));
  const all = [res[0].messageId, ...res[1].map((r) => r.messageId), res[2].messageId];
  assert.equal(new Set(all).size, 4, 'every created message has its own id');

  const [u] = await sink.await('/batch/url', 1);
  assert.deepEqual(JSON.parse(u.text), { kind: 'url' });
  assert.equal(u.headers['content-type'], 'application/json');
  assert.equal(u.headers['x-entry'], 'url');
  assertQStashHeaders(u, res[0].messageId);
  for (const [path, url] of [['/batch/group/1', g1], ['/batch/group/2', g2]]) {
    const [d] = await sink.await(path, 1);
    assert.deepEqual(JSON.parse(d.text), { kind: 'group' });
    assert.equal(d.headers['upstash-topic-name'], group);
    assertQStashHeaders(d, res[1].find((r) => r.url === url).messageId);
  }
  const [q] = await sink.await('/batch/queued', 1);
  assert.deepEqual(JSON.parse(q.text), { kind: 'queue' });
  assertQStashHeaders(q, res[2].messageId);

  await client.urlGroups.delete(group);
  await client.queue({ queueName }).delete();
});

test('batch with raw string bodies: per-entry delay and headers, no invented Content-Type', async () => {
  const sentAt = Date.now();
  const res = await client.batch([
    { url: sink.url('/batch/raw/delayed'), body: 'one', delay: '1s', headers: { 'Content-Type': 'text/csv' } },
    { url: sink.url('/batch/raw/plain'), body: 'two', headers: { 'X-Entry': 'two' } },
  ]);
  assert.equal(res.length, 2);
  const [plain] = await sink.await('/batch/raw/plain', 1);
  assert.equal(plain.text, 'two');
  assert.equal(plain.headers['x-entry'], 'two');
  assert.equal(plain.headers['content-type'], undefined, 'Ferry invented a Content-Type');
  assertQStashHeaders(plain, res[1].messageId);
  const [delayed] = await sink.await('/batch/raw/delayed', 1);
  assert.ok(delayed.at - sentAt >= 1000, `delayed entry arrived after ${delayed.at - sentAt} ms`);
  assert.equal(delayed.headers['content-type'], 'text/csv');
  assertQStashHeaders(delayed, res[0].messageId);
});

test('signing keys: GET /v2/keys answers the configured keys, through the SDK requester and plain fetch', async () => {
  const viaSdk = await client.http.request({ method: 'GET', path: ['v2', 'keys'] });
  assert.deepEqual({ current: viaSdk.current, next: viaSdk.next },
    { current: env.currentSigningKey, next: env.nextSigningKey });

  const plain = await fetch(`${env.ferryUrl}/v2/keys`, { headers: { Authorization: `Bearer ${env.token}` } });
  assert.equal(plain.status, 200);
  const keys = await plain.json();
  assert.equal(keys.current, env.currentSigningKey);
  assert.equal(keys.next, env.nextSigningKey);

  const anonymous = await fetch(`${env.ferryUrl}/v2/keys`, { headers: { Authorization: 'Bearer not-a-token' } });
  assert.equal(anonymous.status, 401);
  assert.equal(typeof (await anonymous.json()).error, 'string');
});

test('dev mode: Client/Receiver with devMode: true work against Ferry as if it were qstash-cli dev', async (t) => {
  // The SDK's dev mode looks for a running dev server with exactly this request; if it found none it would try to
  // download the qstash-cli binary, so check first and skip when Ferry was not given the dev credentials.
  const probe = await fetch(`${env.ferryUrl}/v2/keys`, { headers: { Authorization: `Bearer ${DEV.token}` } })
    .then((r) => (r.ok ? r.json() : {}));
  if (probe.current !== DEV.current || probe.next !== DEV.next) {
    t.skip('Ferry does not run with the dev-server defaultUser credentials');
    return;
  }
  process.env.QSTASH_DEV_PORT = new URL(env.ferryUrl).port;
  delete process.env.NODE_ENV;
  const devClient = new Client({ devMode: true });
  const devReceiver = new Receiver({ devMode: true });

  const url = sink.url('/dev-mode');
  const res = await devClient.publishJSON({ url, body: { dev: true } });
  const [d] = await sink.await('/dev-mode', 1);
  assertQStashHeaders(d, res.messageId);
  assert.equal(await devReceiver.verify({ signature: d.headers['upstash-signature'], body: d.text, url }), true);
});

test('every delivery passed Receiver.verify', (t) => assertAllVerified(t, sink, 'batch-keys'));
