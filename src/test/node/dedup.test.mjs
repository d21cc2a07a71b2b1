// publishJSON with deduplicationId and contentBasedDeduplication: a duplicate is accepted, not delivered again, and
// answered with the original message id and deduplicated: true.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  RUN, assertAllVerified, assertQStashHeaders, newClient, startSink,
} from './lib/harness.mjs';

const client = newClient();
let sink;

before(async () => { sink = await startSink(); });
after(async () => { await sink?.close(); });

test('publishJSON with deduplicationId answers a duplicate with the original id', async () => {
  const deduplicationId = `sdk-dedup-${RUN}`;
  const url = sink.url('/dedup/id');
  const first = await client.publishJSON({ url, body: { n: 1 }, deduplicationId });
  assert.match(first.messageId, /^msg_/);
  assert.equal(first.deduplicated, undefined);
  const second = await client.publishJSON({ url, body: { n: 2 }, deduplicationId });
  assert.equal(second.messageId, first.messageId);
  assert.equal(second.deduplicated, true);

  const [d] = await sink.await('/dedup/id', 1);
  assert.equal(d.text, '{"n":1}');
  assertQStashHeaders(d, first.messageId);
  await sink.assertStays('/dedup/id', 1, 500);
});

test('publishJSON with contentBasedDeduplication: same content is a duplicate, other content is not', async () => {
  const url = sink.url(`/dedup/content?run=${RUN}`);
  const first = await client.publishJSON({ url, body: { same: true }, contentBasedDeduplication: true });
  const again = await client.publishJSON({ url, body: { same: true }, contentBasedDeduplication: true });
  const other = await client.publishJSON({ url, body: { same: false }, contentBasedDeduplication: true });
  assert.equal(again.messageId, first.messageId);
  assert.equal(again.deduplicated, true);
  assert.notEqual(other.messageId, first.messageId);
  assert.equal(other.deduplicated, undefined);
  await sink.await('/dedup/content', 2);
  await sink.assertStays('/dedup/content', 2, 500);
});

test('a URL group is deduplicated per endpoint', async () => {
  const group = `sdk-dedup-group-${RUN}`;
  await client.urlGroups.addEndpoints({
    name: group, endpoints: [{ url: sink.url('/dedup/g1') }, { url: sink.url('/dedup/g2') }],
  });
  const deduplicationId = `sdk-dedup-group-${RUN}`;
  const first = await client.publishJSON({ urlGroup: group, body: { g: 1 }, deduplicationId });
  const again = await client.publishJSON({ urlGroup: group, body: { g: 1 }, deduplicationId });
  assert.equal(first.length, 2);
  assert.deepEqual(again.map((r) => r.messageId), first.map((r) => r.messageId));
  assert.ok(again.every((r) => r.deduplicated === true));
  await sink.await('/dedup/g1', 1);
  await sink.await('/dedup/g2', 1);
});

test('every dedup delivery passed Receiver.verify', (t) => {
  assertAllVerified(t, sink, 'dedup.test.mjs');
});
