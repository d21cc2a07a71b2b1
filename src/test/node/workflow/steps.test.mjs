// Runs with the official @upstash/workflow SDK: sequential, parallel, sleeping and calling steps, and triggers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RUN, eventually, newClient, startSink } from '../lib/harness.mjs';
import { counter, runSteps, startApp, workflowClient } from './app.mjs';

const finished = new Map(); // run id → what the route returned
const ran = counter(); // `${runId}/${step}` → executions of the step's code
let app;
let echo;
const client = workflowClient();

before(async () => {
  echo = await startSink();
  echo.on('/thing', (d) => ({
    headers: { 'Content-Type': 'application/json', 'X-Echo': 'yes' },
    body: JSON.stringify({ method: d.method, url: d.url, ask: d.headers['x-ask'] ?? null }),
  }));
  echo.on('/made', (d) => ({
    status: 201,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ method: d.method, received: JSON.parse(d.text) }),
  }));
  app = await startApp({
    '/sequential': [async (context) => {
      const id = context.workflowRunId;
      const a = await context.run('one', () => { ran.add(`${id}/one`); return context.requestPayload.n + 1; });
      const b = await context.run('two', () => { ran.add(`${id}/two`); return a * 10; });
      const c = await context.run('three', () => { ran.add(`${id}/three`); return `${b}!`; });
      finished.set(id, { a, b, c });
      return { c };
    }],
    '/parallel': [async (context) => {
      const results = await Promise.all([
        context.run('a', () => 'A'),
        context.run('b', async () => { await new Promise((r) => setTimeout(r, 50)); return 'B'; }),
        context.run('c', () => 3),
      ]);
      const after = await context.run('after', () => results.join('-'));
      finished.set(context.workflowRunId, { results, after });
    }],
    '/sleepy': [async (context) => {
      const start = await context.run('start', () => Date.now());
      await context.sleep('nap', 2);
      const napped = await context.run('napped', () => Date.now());
      const until = await context.run('until', () => Math.floor(Date.now() / 1000) + 2);
      await context.sleepUntil('wake', until);
      const woke = await context.run('woke', () => Date.now());
      finished.set(context.workflowRunId, { start, napped, until, woke });
    }],
    '/caller': [async (context) => {
      const got = await context.call('get-it', {
        url: echo.url('/thing?x=1'), method: 'GET', headers: { 'X-Ask': 'please' },
      });
      const posted = await context.call('post-it', {
        url: echo.url('/made'), method: 'POST', body: { q: 1, s: 'ü' }, headers: { 'Content-Type': 'application/json' },
      });
      finished.set(context.workflowRunId, { got, posted });
    }],
    '/chosen': [async (context) => {
      const id = context.workflowRunId;
      const first = await context.run('first', () => {
        ran.add(`${id}/first`);
        return { payload: context.requestPayload, user: context.headers.get('x-user') };
      });
      const second = await context.run('second', () => ({ user: context.headers.get('x-user') }));
      finished.set(id, { first, second, createdAt: context.workflowRunCreatedAt });
    }],
    '/plain': [async (context) => {
      const echoed = await context.run('echo', () => context.requestPayload);
      finished.set(context.workflowRunId, { echoed });
    }],
  });
});

after(async () => {
  await app?.close();
  await echo?.close();
});

const done = (id) => eventually(`run ${id} to finish`, () => finished.get(id));

test('three sequential steps pass their results on, run once each, and end the run', async () => {
  const { workflowRunId: id } = await client.trigger({ url: app.url('/sequential'), body: { n: 2 } });
  assert.deepEqual(await done(id), { a: 3, b: 30, c: '30!' });
  for (const step of ['one', 'two', 'three']) assert.equal(ran.get(`${id}/${step}`), 1, `${step} ran once`);
  // the endpoint ended the run (DELETE …?cancel=false): its step list is gone
  await eventually(`run ${id} to end`, async () => (await runSteps(id)).status === 404);
});

test('parallel steps all run and come back in order', async () => {
  const { workflowRunId: id } = await client.trigger({ url: app.url('/parallel'), body: {} });
  assert.deepEqual(await done(id), { results: ['A', 'B', 3], after: 'A-B-3' });
});

test('sleep and sleepUntil never wake early', async () => {
  const { workflowRunId: id } = await client.trigger({ url: app.url('/sleepy'), body: {} });
  const r = await eventually(`run ${id} to finish`, () => finished.get(id), 20_000);
  assert.ok(r.napped - r.start >= 2000, `sleep(2) woke after ${r.napped - r.start} ms`);
  assert.ok(r.woke >= r.until * 1000, `sleepUntil woke ${r.until * 1000 - r.woke} ms early`);
});

test('context.call GETs and POSTs a local endpoint and gets status, body and headers', async () => {
  const { workflowRunId: id } = await client.trigger({ url: app.url('/caller'), body: {} });
  const { got, posted } = await done(id);
  assert.equal(got.status, 200);
  assert.deepEqual(got.body, { method: 'GET', url: '/thing?x=1', ask: 'please' });
  assert.deepEqual(got.header['X-Echo'], ['yes']);
  assert.equal(posted.status, 201);
  assert.deepEqual(posted.body, { method: 'POST', received: { q: 1, s: 'ü' } });
  assert.ok(echo.deliveries.every((d) => d.verification.ok), 'every call was signed by Ferry');
});

test('a trigger with body, headers and a chosen run id; the same id again is deduplicated', async () => {
  const chosen = `chosen-${RUN}`;
  const before = Date.now();
  const options = {
    url: app.url('/chosen'), body: { hello: 'world' }, headers: { 'X-User': 'u1' }, workflowRunId: chosen,
    retries: 2,
  };
  const { workflowRunId: id } = await client.trigger(options);
  assert.equal(id, `wfr_${chosen}`);
  const r = await done(id);
  assert.deepEqual(r.first, { payload: { hello: 'world' }, user: 'u1' });
  assert.deepEqual(r.second, { user: 'u1' }, 'the trigger\'s headers reach later steps too');
  assert.ok(r.createdAt >= before - 1000 && r.createdAt <= Date.now(), `workflowRunCreatedAt ${r.createdAt}`);

  const again = await client.trigger(options);
  assert.equal(again.workflowRunId, id);
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(ran.get(`${id}/first`), 1, 'the repeated trigger started nothing');
});

test('a plain publish to the endpoint starts a run (its framing headers are dropped, not refused)', async () => {
  // the endpoint mints a run id and triggers it itself, re-sending every header it got (Host, Content-Length,
  // Upstash-Message-Id, …) as Upstash-Forward-*
  const known = new Set(finished.keys());
  await newClient().publishJSON({ url: app.url('/plain'), body: { via: 'plain' } });
  const id = await eventually('the plainly started run to finish',
    () => [...finished.keys()].find((k) => !known.has(k) && finished.get(k).echoed?.via === 'plain'));
  assert.match(id, /^wfr_/);
  assert.deepEqual(finished.get(id), { echoed: { via: 'plain' } });
});
