// Key rotation on a second tenant (so the other files' keys never change): a Receiver configured with the keys from
// before the rotation keeps accepting deliveries, because the new current key is the old next one.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, Receiver } from '@upstash/qstash';
import {
  assertAllVerified, assertQStashHeaders, env, startSink,
} from './lib/harness.mjs';

const rotation = {
  token: process.env.FERRY_ROTATION_TOKEN,
  current: process.env.FERRY_ROTATION_CURRENT_SIGNING_KEY,
  next: process.env.FERRY_ROTATION_NEXT_SIGNING_KEY,
};
const configured = Boolean(rotation.token && rotation.current && rotation.next);
const skip = configured ? false
  : 'set FERRY_ROTATION_TOKEN and FERRY_ROTATION_{CURRENT,NEXT}_SIGNING_KEY (a tenant of its own) to test rotation';

let sink;
let client;
let receiverBefore;

before(async () => {
  if (!configured) return;
  receiverBefore = new Receiver({ currentSigningKey: rotation.current, nextSigningKey: rotation.next, devMode: false });
  sink = await startSink({ receiver: receiverBefore });
  client = new Client({ baseUrl: env.ferryUrl, token: rotation.token, devMode: false, retry: false });
});
after(async () => { await sink?.close(); });

const keysOf = async (token) => (await fetch(`${env.ferryUrl}/v2/keys`, {
  headers: { Authorization: `Bearer ${token}` },
})).json();

test('rotating keys: deliveries stay verifiable by a Receiver that still has the old pair', { skip }, async () => {
  const first = await client.publish({ url: sink.url('/rotation/before'), body: 'before' });
  const [d1] = await sink.await('/rotation/before', 1);
  assertQStashHeaders(d1, first.messageId);

  const rotated = await client.http.request({ method: 'POST', path: ['v2', 'keys', 'rotate'] });
  assert.equal(rotated.current, rotation.next, 'the new current key is the old next key');
  assert.match(rotated.next, /^sig_/);
  assert.ok(![rotation.current, rotation.next].includes(rotated.next), 'rotation mints a fresh next key');
  assert.deepEqual(await keysOf(rotation.token), { current: rotated.current, next: rotated.next });
  assert.deepEqual(await keysOf(env.token), { current: env.currentSigningKey, next: env.nextSigningKey },
    'rotating one tenant changed the keys of another');

  const second = await client.publish({ url: sink.url('/rotation/after'), body: 'after' });
  const [d2] = await sink.await('/rotation/after', 1);
  assertQStashHeaders(d2, second.messageId); // verified by receiverBefore through its next key
  const signature = d2.headers['upstash-signature'];
  const oldCurrentOnly = new Receiver({
    currentSigningKey: rotation.current, nextSigningKey: 'sig_notTheNextKey000000000000', devMode: false,
  });
  await assert.rejects(oldCurrentOnly.verify({ signature, body: d2.text, url: d2.fullUrl }), /signature/i,
    'after the rotation Ferry must no longer sign with the old current key');
  const updated = new Receiver({ currentSigningKey: rotated.current, nextSigningKey: rotated.next, devMode: false });
  assert.equal(await updated.verify({ signature, body: d2.text, url: d2.fullUrl }), true);
});

test('every delivery passed Receiver.verify', { skip }, (t) => assertAllVerified(t, sink, 'rotation'));
