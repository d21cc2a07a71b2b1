// Webhooks with the official @upstash/workflow SDK: createWebhook gives a URL on Ferry that anyone may call
// without a token; waitForWebhook gets the call as a Request. The URL's event id is Ferry's own (random, not
// the SDK's Math.random one), and a URL with anything else in it is refused.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { env, eventually } from '../lib/harness.mjs';
import { startApp, workflowClient } from './app.mjs';

const hooks = new Map(); // run id → the webhook createWebhook returned
const calls = new Map(); // run id → what waitForWebhook returned
let app;
const client = workflowClient();

before(async () => {
  app = await startApp({
    '/hook': [async (context) => {
      const id = context.workflowRunId;
      const { early, timeout } = context.requestPayload;
      const webhook = await context.createWebhook('make-hook');
      await context.run('hand-out-url', () => { hooks.set(id, webhook); });
      if (early) await context.sleep('caller-calls-first', 2);
      const { request, timeout: timedOut } = await context.waitForWebhook('wait-hook', webhook, timeout ?? '30s');
      await context.run('read-call', async () => {
        calls.set(id, timedOut ? { timedOut } : {
          method: request.method,
          url: request.url,
          text: await request.text(),
          provider: request.headers.get('x-provider'),
          contentType: request.headers.get('content-type'),
        });
      });
    }],
  });
});

after(async () => {
  await app?.close();
});

const callHook = (url, init = {}) => fetch(url, { method: 'POST', ...init });

test('a webhook call without a token reaches the waiting run as a Request', async () => {
  const { workflowRunId: id } = await client.trigger({ url: app.url('/hook'), body: {} });
  const webhook = await eventually(`webhook of ${id}`, () => hooks.get(id), 20_000);
  assert.ok(webhook.webhookUrl.startsWith(`${env.ferryUrl}/v2/workflows/hooks/defaultUser/${id}/evt_`),
    webhook.webhookUrl);
  assert.ok(webhook.webhookUrl.endsWith(`/${webhook.eventId}`));
  assert.ok(webhook.eventId.length >= 4 + 32, `Ferry's event id, not the SDK's 15 characters: ${webhook.eventId}`);

  // the route may not be waiting yet: a call now is kept until it is
  const res = await eventually('the hook to take the call', async () => {
    const r = await callHook(`${webhook.webhookUrl}?order=9`, {
      headers: { 'Content-Type': 'application/json', 'X-Provider': 'acme' },
      body: JSON.stringify({ paid: true }),
    });
    return r.status === 200 ? r : undefined;
  });
  assert.deepEqual(await res.json(), {});
  const got = await eventually(`call to reach ${id}`, () => calls.get(id), 20_000);
  assert.deepEqual(got, {
    method: 'POST',
    url: `${webhook.webhookUrl}?order=9`,
    text: '{"paid":true}',
    provider: 'acme',
    contentType: 'application/json',
  });
});

test('a call that comes before the run waits is kept for the wait; a second one meanwhile is a 409', async () => {
  const { workflowRunId: id } = await client.trigger({ url: app.url('/hook'), body: { early: true } });
  const webhook = await eventually(`webhook of ${id}`, () => hooks.get(id), 20_000);
  const first = await callHook(webhook.webhookUrl, { method: 'PUT', body: 'first' });
  assert.equal(first.status, 200, await first.text());
  const second = await callHook(webhook.webhookUrl, { method: 'PUT', body: 'second' });
  assert.equal(second.status, 409);
  assert.match((await second.json()).error, /already kept/);
  const got = await eventually(`kept call to reach ${id}`, () => calls.get(id), 20_000);
  assert.equal(got.method, 'PUT');
  assert.equal(got.text, 'first');
});

test('a webhook wait times out without a call', async () => {
  const { workflowRunId: id } = await client.trigger({ url: app.url('/hook'), body: { timeout: '1s' } });
  assert.deepEqual(await eventually(`timeout of ${id}`, () => calls.get(id), 20_000), { timedOut: true });
});

test('a guessed hook URL is refused with a 404 that names nothing', async () => {
  const { workflowRunId: id } = await client.trigger({ url: app.url('/hook'), body: {} });
  const webhook = await eventually(`webhook of ${id}`, () => hooks.get(id), 20_000);
  const base = `${env.ferryUrl}/v2/workflows/hooks`;
  const guesses = [
    `${base}/defaultUser/${id}/evt_abcdefghijklmno`, // an id of the SDK's own shape
    `${base}/defaultUser/${id}/${webhook.eventId}x`,
    `${base}/someoneElse/${id}/${webhook.eventId}`,
    `${base}/defaultUser/wfr_other/${webhook.eventId}`,
  ];
  for (const url of guesses) {
    const res = await callHook(url, { body: 'guess' });
    assert.equal(res.status, 404, url);
    assert.equal((await res.json()).error, 'no such webhook');
  }
  // a waitForEvent with a chosen (guessable) event id cannot be reached through the hook path
  const res = await callHook(`${base}/defaultUser/${id}/wait-hook`, { body: 'x' });
  assert.equal(res.status, 404);
  assert.equal(calls.get(id), undefined, 'no guessed call reached the run');
  await callHook(webhook.webhookUrl, { body: 'real' });
  assert.equal((await eventually(`call to reach ${id}`, () => calls.get(id), 20_000)).text, 'real');
});
