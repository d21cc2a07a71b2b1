// URL groups (client.urlGroups) and queues (client.queue) through the official SDK.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  RUN, assertAllVerified, assertQStashHeaders, eventually, newClient, startSink,
} from './lib/harness.mjs';

const client = newClient();
let sink;

before(async () => { sink = await startSink(); });
after(async () => { await sink?.close(); });

test('URL groups: addEndpoints, get, list, publishJSON to the group, removeEndpoints, delete', async () => {
  const name = `sdk-group-${RUN}`;
  const [a, b, c] = ['/group/a', '/group/b?k=v', '/group/c'].map((p) => sink.url(p));
  await client.urlGroups.addEndpoints({ name, endpoints: [{ name: 'ep-a', url: a }, { name: 'ep-b', url: b }] });
  await client.urlGroups.addEndpoints({ name, endpoints: [{ url: c }] });

  const group = await client.urlGroups.get(name);
  assert.equal(group.name, name);
  assert.deepEqual(group.endpoints.map((e) => e.url).sort(), [a, b, c].sort());
  assert.equal(group.endpoints.find((e) => e.url === a).name, 'ep-a');
  assert.equal(typeof group.createdAt, 'number');
  assert.ok((await client.urlGroups.list()).some((g) => g.name === name), 'list() lacks the new group');

  const payload = { to: 'everyone', n: 1 };
  const res = await client.publishJSON({ urlGroup: name, body: payload });
  assert.ok(Array.isArray(res), `a group publish answers an array, got ${JSON.stringify(res)}`);
  assert.equal(res.length, 3);
  assert.deepEqual(res.map((r) => r.url).sort(), [a, b, c].sort());
  assert.equal(new Set(res.map((r) => r.messageId)).size, 3, 'each endpoint must get its own message id');

  for (const [path, url] of [['/group/a', a], ['/group/b', b], ['/group/c', c]]) {
    const [d] = await sink.await(path, 1);
    assert.equal(d.fullUrl, url);
    assert.deepEqual(d.body, Buffer.from(JSON.stringify(payload)));
    assert.equal(d.headers['content-type'], 'application/json');
    assert.equal(d.headers['upstash-topic-name'], name);
    assertQStashHeaders(d, res.find((r) => r.url === url).messageId);
  }

  await client.urlGroups.removeEndpoints({ name, endpoints: [{ name: 'ep-a' }, { url: c }] });
  assert.deepEqual((await client.urlGroups.get(name)).endpoints.map((e) => e.url), [b]);

  const again = await client.publishJSON({ urlGroup: name, body: { n: 2 } });
  assert.equal(again.length, 1);
  assert.equal(again[0].url, b);
  const [, second] = await sink.await('/group/b', 2);
  assertQStashHeaders(second, again[0].messageId);
  await sink.assertStays('/group/a', 1, 300);
  assert.equal(sink.at('/group/c').length, 1);

  await client.urlGroups.delete(name);
  await assert.rejects(client.urlGroups.get(name), (e) => e.status === 404);
  assert.ok(!(await client.urlGroups.list()).some((g) => g.name === name), 'list() still shows the deleted group');
  await client.urlGroups.delete(name);  // deleting a group that is not there is not an error (cleanup before create)
});

test('queues: upsert, get, pause, enqueueJSON in FIFO order, resume, list, delete', async () => {
  const queueName = `sdk-queue-${RUN}`;
  const queue = client.queue({ queueName });
  await queue.upsert({ parallelism: 1 });
  let info = await queue.get();
  assert.equal(info.name, queueName);
  assert.equal(info.parallelism, 1);
  assert.equal(info.paused, false);
  assert.equal(info.lag, 0);

  await queue.pause();
  assert.equal((await queue.get()).paused, true);

  // each delivery is answered slowly, so an overlap (parallelism > 1) or reordering would show
  sink.on('/queue/fifo', () => ({ delayMs: 100 }));
  const ids = [];
  for (let seq = 0; seq < 5; seq++) {
    const res = await queue.enqueueJSON({ url: sink.url(`/queue/fifo?seq=${seq}`), body: { seq } });
    assert.match(res.messageId, /^msg_/);
    ids.push(res.messageId);
  }
  info = await queue.get();
  assert.equal(info.lag, 5, `lag of a paused queue holding 5 messages: ${JSON.stringify(info)}`);
  await sink.assertStays('/queue/fifo', 0, 700);

  await queue.resume();
  assert.equal((await queue.get()).paused, false);
  const got = await sink.await('/queue/fifo', 5);
  assert.deepEqual(got.map((d) => JSON.parse(d.text).seq), [0, 1, 2, 3, 4]);
  assert.deepEqual(got.map((d) => d.headers['upstash-message-id']), ids);
  got.forEach((d, i) => {
    assert.equal(d.url, `/queue/fifo?seq=${i}`);
    assertQStashHeaders(d, ids[i]);
    if (i > 0) {
      assert.ok(d.at >= got[i - 1].respondedAt,
        `message ${i} started before message ${i - 1} was answered (parallelism 1)`);
    }
  });
  await eventually('queue lag back to 0', async () => (await queue.get()).lag === 0);

  await queue.upsert({ parallelism: 2 });
  info = await queue.get();
  assert.equal(info.parallelism, 2);
  assert.equal(info.paused, false);
  assert.ok((await queue.list()).some((q) => q.name === queueName), 'list() lacks the queue');

  await queue.delete();
  assert.ok(!(await queue.list()).some((q) => q.name === queueName), 'list() still shows the deleted queue');
  await queue.delete();  // nor is deleting a queue that is not there
});

test('publishing to an unknown URL group is a 404 for the SDK', async () => {
  await assert.rejects(client.publishJSON({ urlGroup: `sdk-no-such-group-${RUN}`, body: {} }), (e) => e.status === 404);
});

test('queues: a message being retried holds back the next one (parallelism 1)', async () => {
  const queue = client.queue({ queueName: `sdk-queue-retry-${RUN}` });
  await queue.upsert({ parallelism: 1 });
  sink.on('/queue/held/first', (d, previous) => (previous === 0 ? { status: 503 } : { status: 200 }));
  const first = await queue.enqueueJSON({ url: sink.url('/queue/held/first'), body: { n: 1 }, retries: 2,
    retryDelay: '300' });
  const second = await queue.enqueueJSON({ url: sink.url('/queue/held/second'), body: { n: 2 } });

  const [failed, retried] = await sink.await('/queue/held/first', 2);
  const [next] = await sink.await('/queue/held/second', 1);
  assertQStashHeaders(failed, first.messageId, 0);
  assertQStashHeaders(retried, first.messageId, 1);
  assertQStashHeaders(next, second.messageId);
  assert.ok(next.at >= retried.respondedAt,
    `the second message arrived ${retried.respondedAt - next.at} ms before the first one was delivered`);
  await queue.delete();
});

test('every delivery passed Receiver.verify', (t) => assertAllVerified(t, sink, 'groups-queues'));
