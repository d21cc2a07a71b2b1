// Message lifecycle through the official SDK: client.messages (get, cancel), client.dlq (list, filters, cursors,
// retry, delete) and client.logs (filters, states, cursors). Every name is unique per run (labels carry RUN), so the
// concurrently running files and earlier runs never match these filters.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  RUN, assertAllVerified, assertQStashHeaders, eventually, newClient, sleep, startSink,
} from './lib/harness.mjs';

const client = newClient();
let sink;

before(async () => { sink = await startSink(); });
after(async () => { await sink?.close(); });

/** Every page of client.logs for a filter, following the cursor to the end. */
async function allLogs(request) {
  const logs = [];
  let cursor;
  let pages = 0;
  do {
    const res = await client.logs({ ...request, ...(cursor ? { cursor } : {}) });
    logs.push(...res.logs);
    cursor = res.cursor;
    pages += 1;
  } while (cursor && pages < 50);
  return { logs, pages };
}

/** Waits until the message's log has an entry in {@code state}; returns its entries, newest first. */
async function logsReach(messageId, state) {
  return eventually(`${state} in the log of ${messageId}`, async () => {
    const { logs } = await client.logs({ messageIds: [messageId] });
    return logs.some((l) => l.state === state) ? logs : undefined;
  });
}

/** Publishes to a path that always fails, with no retries, and waits for its DLQ entry. */
async function deadLetter(path, label, body = 'dead') {
  sink.on(path, () => ({ status: 500, body: `failed ${path}` }));
  const { messageId } = await client.publish({ url: sink.url(path), body, retries: 0, label });
  const entry = await eventually(`DLQ entry of ${messageId}`, async () => {
    const { messages } = await client.dlq.listMessages({ filter: { messageId } });
    return messages[0];
  });
  return { messageId, entry };
}

test('messages: get a pending message, cancel it, and it is gone and never delivered', async () => {
  const label = `get-${RUN}`;
  const { messageId } = await client.publish({
    url: sink.url('/life/cancel'), body: 'pending', delay: 2, label, headers: { 'X-Trace': 't' },
  });
  const m = await client.messages.get(messageId);
  assert.equal(m.messageId, messageId);
  assert.equal(m.url, sink.url('/life/cancel'));
  assert.equal(m.body, 'pending');
  assert.deepEqual(m.header['X-Trace'], ['t']);
  assert.deepEqual(m.labels, [label]);
  assert.ok(m.notBefore > m.createdAt, 'notBefore is in the future');

  const cancelled = await client.messages.cancel(messageId);
  assert.deepEqual(cancelled, { cancelled: 1 });
  await assert.rejects(client.messages.get(messageId), (e) => e.status === 404);
  await assert.rejects(client.messages.cancel(messageId), (e) => e.status === 404);
  const logs = await logsReach(messageId, 'CANCELED');
  assert.deepEqual(logs.map((l) => l.state), ['CANCELED', 'CANCEL_REQUESTED', 'CREATED']);
  await sink.assertStays('/life/cancel', 0, 2500);
});

test('messages: cancel by ids and by label filter', async () => {
  const label = `bulk-${RUN}`;
  const ids = [];
  for (let i = 0; i < 3; i += 1) {
    ids.push((await client.publish({ url: sink.url('/life/bulk'), body: `b${i}`, delay: 3600, label })).messageId);
  }
  const byIds = await client.messages.cancel([ids[0]]);
  assert.equal(byIds.cancelled, 1);
  const byFilter = await client.messages.cancel({ filter: { label } });
  assert.equal(byFilter.cancelled, 2);
  for (const id of ids) await assert.rejects(client.messages.get(id), (e) => e.status === 404);
});

test('logs: one entry per transition, state and label filters, urlGroup alias, cursor paging', async () => {
  const label = `logs-${RUN}`;
  const { messageId } = await client.publishJSON({ url: sink.url('/life/logs'), body: { ok: 1 }, label });
  await sink.await('/life/logs', 1);
  const logs = await logsReach(messageId, 'DELIVERED');
  assert.deepEqual(logs.map((l) => l.state), ['DELIVERED', 'ACTIVE', 'CREATED']);
  for (const l of logs) {
    assert.equal(l.messageId, messageId);
    assert.equal(l.url, sink.url('/life/logs'));
    assert.equal(typeof l.time, 'number');
    assert.deepEqual(l.labels, [label]);
  }
  const delivered = await client.logs({ filter: { label, state: 'DELIVERED' } });
  assert.deepEqual(delivered.logs.map((l) => l.messageId), [messageId]);
  assert.equal(delivered.cursor, undefined, 'the last page has no cursor');

  const many = [];
  for (let i = 0; i < 5; i += 1) {
    many.push((await client.publish({ url: sink.url('/life/page'), body: `p${i}`, delay: 3600,
      label: `${label}-page` })).messageId);
  }
  // the log is written a few milliseconds behind the publishes: wait until every CREATED entry is there
  await eventually('5 CREATED entries', async () => (await client.logs({ messageIds: many })).logs.length === 5);
  const { logs: paged, pages } = await allLogs({ filter: { label: `${label}-page`, state: 'CREATED' }, count: 2 });
  assert.deepEqual(paged.map((l) => l.messageId), [...many].reverse(), 'newest first, every entry once');
  assert.equal(pages, 3);
  await client.messages.cancel({ filter: { label: `${label}-page` } });
});

test('dlq: list with filters and cursors, get the last response, delete, 404 after', async () => {
  const label = `dlq-${RUN}`;
  const dead = [];
  for (let i = 0; i < 3; i += 1) dead.push(await deadLetter(`/life/dead${i}`, label, `d${i}`));
  const first = dead[0].entry;
  assert.equal(first.responseStatus, 500);
  assert.equal(first.responseBody, 'failed /life/dead0');
  assert.equal(first.body, 'd0');
  assert.ok(/^\d+-\d+$/.test(first.dlqId), first.dlqId);

  const seen = [];
  let cursor;
  do {
    const page = await client.dlq.listMessages({ filter: { label }, count: 2, ...(cursor ? { cursor } : {}) });
    seen.push(...page.messages.map((m) => m.messageId));
    cursor = page.cursor;
  } while (cursor);
  assert.deepEqual(seen, dead.map((d) => d.messageId), 'oldest first, every entry once');

  const byUrl = await client.dlq.listMessages({ filter: { url: sink.url('/life/dead1') } });
  assert.deepEqual(byUrl.messages.map((m) => m.messageId), [dead[1].messageId]);
  const byIds = await client.dlq.listMessages({ dlqIds: [dead[2].entry.dlqId] });
  assert.deepEqual(byIds.messages.map((m) => m.messageId), [dead[2].messageId]);

  assert.deepEqual(await client.dlq.delete(dead[0].entry.dlqId), { deleted: 1 });
  await assert.rejects(client.dlq.delete(dead[0].entry.dlqId), (e) => e.status === 404);
  const deleted = await client.dlq.delete({ filter: { label } });
  assert.equal(deleted.deleted, 2);
  assert.equal((await client.dlq.listMessages({ filter: { label } })).messages.length, 0);
});

test('dlq: retry makes a new message that is delivered, and the entry leaves the DLQ', async () => {
  const label = `retry-${RUN}`;
  const one = await deadLetter('/life/retry', label, 'again');
  const two = await deadLetter('/life/retry2', label, 'again2');
  sink.on('/life/retry', () => ({ status: 200 }));
  sink.on('/life/retry2', () => ({ status: 200 }));

  const res = await client.dlq.retry(one.entry.dlqId);
  assert.equal(res.responses.length, 1);
  assert.equal(res.cursor, undefined);
  const newId = res.responses[0].messageId;
  assert.notEqual(newId, one.messageId);
  const got = await sink.await('/life/retry', 2);
  assertQStashHeaders(got[1], newId, 0);
  assert.equal(got[1].text, 'again');

  const byFilter = await client.dlq.retry({ filter: { label } });
  assert.deepEqual(byFilter.responses.length, 1);
  const got2 = await sink.await('/life/retry2', 2);
  assertQStashHeaders(got2[1], byFilter.responses[0].messageId, 0);
  assert.equal((await client.dlq.listMessages({ filter: { label } })).messages.length, 0);
  await sleep(100);
});

test('bulk calls: count pages DLQ retry and delete, a cancel takes every match, a misspelt filter is refused',
  async () => {
    const label = `count-${RUN}`;
    for (let i = 0; i < 3; i += 1) await deadLetter(`/life/count${i}`, label, `c${i}`);
    for (let i = 0; i < 3; i += 1) await deadLetter(`/life/count-del${i}`, `${label}-del`, `d${i}`);
    const pending = [];
    for (let i = 0; i < 3; i += 1) {
      pending.push((await client.publish({ url: sink.url('/life/count-later'), body: `l${i}`, delay: 3600, label }))
        .messageId);
    }

    // the SDK passes a misspelt filter key through: Ferry must refuse it, not act on every entry
    const refused = (e) => e.status === 400 && /labeel/.test(e.message);
    await assert.rejects(client.dlq.delete({ filter: { labeel: label } }), refused);
    await assert.rejects(client.dlq.retry({ filter: { labeel: label } }), refused);
    await assert.rejects(client.messages.cancel({ filter: { labeel: label } }), refused);
    await assert.rejects(client.dlq.listMessages({ filter: { labeel: label } }), refused);
    await assert.rejects(client.logs({ filter: { labeel: label } }), refused);
    assert.equal((await client.dlq.listMessages({ filter: { label } })).messages.length, 3);
    for (const id of pending) assert.equal((await client.messages.get(id)).messageId, id);

    /** The SDK's documented loop: call with count until the cursor is gone; what each call acted on. */
    async function loop(call) {
      const perCall = [];
      let cursor;
      do {
        const res = await call({ count: 2, ...(cursor ? { cursor } : {}) });
        perCall.push(res.deleted ?? res.responses.length);
        cursor = res.cursor;
      } while (cursor && perCall.length < 10);
      return perCall;
    }
    for (let i = 0; i < 3; i += 1) sink.on(`/life/count${i}`, () => ({ status: 200 }));
    assert.deepEqual(await loop((page) => client.dlq.retry({ filter: { label }, ...page })), [2, 1]);
    for (let i = 0; i < 3; i += 1) {
      const got = await sink.await(`/life/count${i}`, 2);
      assert.equal(got[1].text, `c${i}`);
    }
    assert.deepEqual(await loop((page) => client.dlq.delete({ filter: { label: `${label}-del` }, ...page })), [2, 1]);
    for (const l of [label, `${label}-del`]) {
      assert.equal((await client.dlq.listMessages({ filter: { label: l } })).messages.length, 0);
    }

    // the SDK marks count on a cancel as ignored by the server: every match goes in one call
    assert.deepEqual(await client.messages.cancel({ filter: { label }, count: 1 }), { cancelled: 3 });
    for (const id of pending) await assert.rejects(client.messages.get(id), (e) => e.status === 404);
    for (let i = 0; i < 3; i += 1) await sink.assertStays(`/life/count${i}`, 2, 100);
  });

test('every delivery passed Receiver.verify', (t) => assertAllVerified(t, sink, 'lifecycle'));
