// Shared pieces of the SDK compatibility suite: the environment, an SDK client and Receiver bound to it, and a
// recording sink that verifies every delivery it gets with the official Receiver.
import assert from 'node:assert/strict';
import http from 'node:http';
import { Client, Receiver } from '@upstash/qstash';

const REQUIRED = ['FERRY_URL', 'QSTASH_TOKEN', 'QSTASH_CURRENT_SIGNING_KEY', 'QSTASH_NEXT_SIGNING_KEY'];

/** The environment the suite runs against (set by SdkCompatibilityTest, or by hand). */
export const env = (() => {
  const missing = REQUIRED.filter((name) => !process.env[name]);
  if (missing.length > 0) {
    throw new Error(`missing environment variables: ${missing.join(', ')} `
      + '(SdkCompatibilityTest sets them; to run by hand point them at a running Ferry)');
  }
  return {
    ferryUrl: process.env.FERRY_URL.replace(/\/$/, ''),
    token: process.env.QSTASH_TOKEN,
    currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY,
    nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY,
  };
})();

/** Default bound for every wait in the suite. */
export const WAIT_MS = 15_000;

/** Unique per run, so names never collide with leftovers of an earlier run against the same Ferry. */
export const RUN = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;

/** An SDK client talking to Ferry. devMode is forced off so a stray QSTASH_DEV cannot redirect it. */
export function newClient() {
  return new Client({
    baseUrl: env.ferryUrl,
    token: env.token,
    devMode: false,
    retry: { retries: 2, backoff: () => 200 },
  });
}

/** The Receiver every delivery is checked with. */
export const receiver = new Receiver({
  currentSigningKey: env.currentSigningKey,
  nextSigningKey: env.nextSigningKey,
  devMode: false,
});

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls {@code probe} until it returns a truthy value or the deadline passes; {@code what} may be a function. */
export async function eventually(what, probe, timeoutMs = WAIT_MS) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await probe();
    if (last) return last;
    if (Date.now() > deadline) {
      assert.fail(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}`);
    }
    await sleep(25);
  }
}

/** Decodes the claims of a JWT without checking it (the Receiver does the checking). */
export function claims(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

/**
 * Starts a destination server on 127.0.0.1:0. Every request is recorded with its raw body bytes and verified with
 * {@code options.receiver} (default {@link receiver}) against the exact URL it was sent to (the JWT `sub`).
 */
export async function startSink(options = {}) {
  const check = options.receiver ?? receiver;
  const deliveries = [];
  const replies = new Map();
  const server = http.createServer((req, res) => {
    const d = {
      method: req.method,
      url: req.url,
      path: req.url.split('?')[0],
      fullUrl: undefined,
      headers: req.headers,
      body: undefined,
      text: undefined,
      at: Date.now(),
      respondedAt: undefined, // when the answer was sent, or when Ferry hung up before it (e.g. its timeout)
      hungUp: false,
      verification: undefined,
    };
    res.on('close', () => {
      if (d.respondedAt !== undefined) return;
      d.hungUp = !res.writableFinished;
      d.respondedAt = Date.now();
    });
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', async () => {
      d.fullUrl = sink.base + req.url;
      d.body = Buffer.concat(chunks);
      d.text = d.body.toString('utf8');
      d.verification = await verify(check, d.headers['upstash-signature'], d.text, d.fullUrl);
      const previous = deliveries.filter((x) => x.path === d.path).length;
      const reply = (replies.get(d.path) ?? (() => ({})))(d, previous);
      deliveries.push(d);
      const send = () => {
        if (res.destroyed) return;
        // stamped as the answer is written: Ferry cannot have it earlier, and the end callback
        // can run tens of ms later on a busy event loop, which made retries look early
        d.respondedAt = Date.now();
        res.writeHead(reply.status ?? 200, { 'Content-Type': 'text/plain', ...reply.headers });
        res.end(reply.body ?? 'ok');
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs); else send();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

  const sink = {
    base: `http://127.0.0.1:${server.address().port}`,
    deliveries,
    /** A URL on this sink. */
    url: (pathAndQuery) => sink.base + pathAndQuery,
    /** How requests to {@code path} are answered: fn(delivery, previousCountOnPath) → {status, headers, body, delayMs}. */
    on: (path, fn) => replies.set(path, fn),
    /** Requests received on a path (query ignored), in arrival order. */
    at: (path) => deliveries.filter((d) => d.path === path),
    /** Waits until {@code count} requests arrived on {@code path}; returns them. */
    async await(path, count, timeoutMs = WAIT_MS) {
      await eventually(() => `${count} answered deliveries to ${path} (got ${sink.at(path).length})`,
        () => sink.at(path).length >= count && sink.at(path).every((d) => d.respondedAt !== undefined), timeoutMs);
      return sink.at(path);
    },
    /** Asserts that nothing more than {@code count} arrives on {@code path} within {@code quietMs}. */
    async assertStays(path, count, quietMs) {
      await sleep(quietMs);
      assert.equal(sink.at(path).length, count, `${path} got more deliveries than expected`);
    },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
  return sink;
}

async function verify(check, signature, body, url) {
  try {
    if (!signature) return { ok: false, error: 'no Upstash-Signature header' };
    await check.verify({ signature, body, url });
    return { ok: true };
  } catch (e) {
    return { ok: false, error: `${e.name}: ${e.message}` };
  }
}

/**
 * The closing check of every test file: each delivery the sink got passed Receiver.verify. Reports a one-line
 * summary through the test runner's diagnostics.
 */
export function assertAllVerified(t, sink, file) {
  const failed = sink.deliveries.filter((d) => !d.verification.ok);
  const paths = [...new Set(sink.deliveries.map((d) => d.path))].length;
  t.diagnostic(`${file}: ${sink.deliveries.length} deliveries on ${paths} paths, `
    + `${sink.deliveries.length - failed.length} passed Receiver.verify, ${failed.length} failed`);
  assert.ok(sink.deliveries.length > 0, 'the sink received nothing at all');
  assert.deepEqual(failed.map((d) => `${d.method} ${d.url}: ${d.verification.error}`), []);
}

/** Asserts what every Ferry delivery carries, whatever the test. */
export function assertQStashHeaders(d, messageId, retried = 0) {
  assert.equal(d.headers['upstash-message-id'], messageId, `message id of ${d.url}`);
  assert.equal(d.headers['upstash-retried'], String(retried), `Upstash-Retried of ${d.url}`);
  assert.equal(d.headers['user-agent'], 'Upstash-QStash');
  assert.ok(d.verification.ok, `Receiver.verify of ${d.url}: ${d.verification.error}`);
  for (const name of Object.keys(d.headers)) {
    assert.ok(!name.startsWith('upstash-forward-'), `${name} arrived with its prefix`);
    assert.ok(!name.startsWith('upstash-telemetry-'), `telemetry header ${name} was forwarded`);
  }
  assert.equal(d.headers.authorization, undefined, 'the QStash token leaked to the destination');
  assert.equal(d.headers['upstash-method'], undefined);
}
