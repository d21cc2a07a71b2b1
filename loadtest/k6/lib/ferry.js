// @ts-check
// Shared helpers of Ferry's k6 scripts: settings from environment variables, the requests each workload sends with
// their checks, thresholds, and the end-to-end checks against the sink (`java -jar ferry.jar sink`).
//
// Every address comes from an environment variable; the defaults are loopback addresses only:
//   FERRY_URL   Ferry's base URL                                  (default http://127.0.0.1:8080)
//   QSTASH_TOKEN  bearer token of a Ferry tenant                  (default: the dev-mode token of `ferry.jar --dev`)
//   SINK_URL    the sink, as k6 reaches it (GET /stats, POST /reset) (default http://127.0.0.1:9090)
//   TARGET_URL  destination base URL as *Ferry* reaches the sink   (default SINK_URL)
// See loadtest/README.md, section "k6 load tests", for every variable.

import http from 'k6/http';
import { check, fail, sleep } from 'k6';
import { Counter, Gauge } from 'k6/metrics';

/** The token of the QStash dev server's default user, which `java -jar ferry.jar --dev` provisions. */
export const DEV_TOKEN = 'eyJVc2VySUQiOiJkZWZhdWx0VXNlciIsIlBhc3N3b3JkIjoiZGVmYXVsdFBhc3N3b3JkIn0=';

// ---------------------------------------------------------------------------------------------------------------
// Environment variables. An unset or empty variable takes the default; a malformed one stops k6 in the init phase
// with a message naming it (better than a load test that silently runs with a value nobody asked for).
// ---------------------------------------------------------------------------------------------------------------

/**
 * @param {string} name
 * @returns {string | undefined} the variable's value, or undefined when it is unset or empty
 */
function envRaw(name) {
  const value = __ENV[name];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * @param {string} name
 * @param {string} fallback
 * @returns {string}
 */
export function envString(name, fallback) {
  return envRaw(name) ?? fallback;
}

/**
 * An integer of at least `min`.
 * @param {string} name
 * @param {number} fallback
 * @param {number} [min]
 * @returns {number}
 */
export function envInt(name, fallback, min = 0) {
  const value = envRaw(name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min) {
    throw new Error(`${name}=${value}: expected a whole number >= ${min}`);
  }
  return Number(value);
}

/**
 * A number of at least 0 (fractions allowed).
 * @param {string} name
 * @param {number} fallback
 * @returns {number}
 */
export function envNumber(name, fallback) {
  const value = envRaw(name);
  if (value === undefined) return fallback;
  if (!/^\d+(\.\d+)?$/.test(value)) throw new Error(`${name}=${value}: expected a number >= 0`);
  return Number(value);
}

/**
 * @param {string} name
 * @param {boolean} fallback
 * @returns {boolean}
 */
export function envBool(name, fallback) {
  const value = envRaw(name);
  if (value === undefined) return fallback;
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  throw new Error(`${name}=${value}: expected true or false`);
}

/**
 * An http(s) base URL without a trailing slash.
 * @param {string} name
 * @param {string} fallback
 * @returns {string}
 */
export function envUrl(name, fallback) {
  const value = envString(name, fallback).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/\s?#]+(\/[^\s?#]*)?$/.test(value)) {
    throw new Error(`${name}=${value}: expected an http:// or https:// base URL without query or fragment`);
  }
  return value;
}

/**
 * A k6 duration such as 30s, 5m or 1h30m.
 * @param {string} name
 * @param {string} fallback
 * @returns {string}
 */
export function envDuration(name, fallback) {
  const value = envString(name, fallback);
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(value)) {
    throw new Error(`${name}=${value}: expected a duration like 30s, 5m, 1h30m`);
  }
  return value;
}

/**
 * A queue or URL-group name as Ferry accepts it.
 * @param {string} name
 * @param {string} fallback
 * @returns {string}
 */
export function envName(name, fallback) {
  const value = envString(name, fallback);
  if (!/^[A-Za-z0-9._-]+$/.test(value)) throw new Error(`${name}=${value}: only letters, digits, '.', '_' and '-'`);
  return value;
}

const sinkUrl = envUrl('SINK_URL', 'http://127.0.0.1:9090');

/** Settings shared by every script (each script reads its own rate with {@link rate}). */
export const config = Object.freeze({
  ferryUrl: envUrl('FERRY_URL', 'http://127.0.0.1:8080'),
  token: envString('QSTASH_TOKEN', DEV_TOKEN),
  sinkUrl,
  targetUrl: envUrl('TARGET_URL', sinkUrl),
  /** Reset the sink in setup() and check its /stats in teardown(); SINK_STATS=false when the target is no sink. */
  sinkStats: envBool('SINK_STATS', true),
  /** How long setup() retries the sink's POST /reset before giving up. */
  sinkWaitSeconds: envInt('SINK_WAIT_SECONDS', 30, 0),
  duration: envDuration('DURATION', '30s'),
  vus: envInt('VUS', 20, 1),
  maxVus: envInt('MAX_VUS', 100, 1),
  bodyBytes: envInt('BODY_BYTES', 256, 0),
  batchSize: envInt('BATCH_SIZE', 100, 1),
  queue: envName('QUEUE', 'k6-load'),
  parallelism: envInt('PARALLELISM', 10, 1),
  group: envName('URL_GROUP', 'k6-fanout'),
  fanout: envInt('FANOUT', 10, 1),
  delaySeconds: envInt('DELAY_SECONDS', 10, 1),
  p95Ms: envNumber('P95_MS', 250),
  p99Ms: envNumber('P99_MS', 500),
  batchP95Ms: envNumber('BATCH_P95_MS', 1000),
  batchP99Ms: envNumber('BATCH_P99_MS', 2000),
  maxErrorRate: envNumber('MAX_ERROR_RATE', 0.01),
  minCheckRate: envNumber('MIN_CHECK_RATE', 0.99),
  maxDropped: envInt('MAX_DROPPED', 0, 0),
  latenessP99Ms: envNumber('LATENESS_P99_MS', 2000),
  drainTimeoutSeconds: envInt('DRAIN_TIMEOUT_SECONDS', 60, 1),
  drainQuietSeconds: envInt('DRAIN_QUIET_SECONDS', 3, 1),
  insecureTls: envBool('INSECURE_TLS', false),
});

/** The largest delay delayed.js (and mixed.js) sends, in seconds: delays spread evenly over [DELAY_SECONDS, this]. */
export const delayMaxSeconds = envInt('DELAY_MAX_SECONDS', config.delaySeconds, config.delaySeconds);

/**
 * This script's arrival rate: RATE iterations per second (a batch counts as one iteration).
 * @param {number} fallback
 * @param {string} [name] the variable to read, RATE by default
 * @param {number} [min] the smallest rate accepted (mixed.js takes 0 as "leave this scenario out")
 * @returns {number}
 */
export function rate(fallback, name = 'RATE', min = 1) {
  return envInt(name, fallback, min);
}

// ---------------------------------------------------------------------------------------------------------------
// Options: scenarios and thresholds.
// ---------------------------------------------------------------------------------------------------------------

/** @typedef {'publish' | 'batch' | 'enqueue' | 'delayed' | 'fanout'} Workload */

/**
 * A constant-arrival-rate scenario: `ratePerSecond` iterations started each second for DURATION, whatever the
 * latency, on VUS pre-allocated VUs growing up to MAX_VUS (iterations that find no free VU are dropped and counted
 * in `dropped_iterations`).
 * @param {number} ratePerSecond
 * @param {string} [exec] the exported function to run, `default` when absent
 * @returns {import('k6/options').ConstantArrivalRateScenario}
 */
export function arrivalRate(ratePerSecond, exec) {
  /** @type {import('k6/options').ConstantArrivalRateScenario} */
  const scenario = {
    executor: 'constant-arrival-rate',
    rate: ratePerSecond,
    timeUnit: '1s',
    duration: config.duration,
    preAllocatedVUs: Math.min(config.vus, config.maxVus),
    maxVUs: config.maxVus,
  };
  if (exec !== undefined) scenario.exec = exec;
  return scenario;
}

/**
 * Thresholds for the given workloads: failed requests of the load (not of setup, teardown or the sink, whose
 * failures the checks report), latency percentiles per request name, checks, dropped
 * iterations, at least one accepted message, and (when `endToEnd`) every end-to-end check of teardown().
 * @param {Workload[]} workloads
 * @param {boolean} endToEnd whether teardown() runs checks tagged phase:e2e (sink stats, queue drained)
 * @returns {Record<string, import('k6/options').Threshold[]>}
 */
export function thresholds(workloads, endToEnd) {
  /** @type {Record<string, import('k6/options').Threshold[]>} */
  const result = {
    'http_req_failed{phase:load}': [
      `rate<${config.maxErrorRate}`,
      // stop early instead of hammering a Ferry that refuses half of everything
      { threshold: 'rate<0.5', abortOnFail: true, delayAbortEval: '10s' },
    ],
    checks: [`rate>=${config.minCheckRate}`],
    dropped_iterations: [`count<=${config.maxDropped}`],
    ferry_messages_accepted: ['count>0'],
  };
  for (const workload of workloads) {
    const [p95, p99] = workload === 'batch' ? [config.batchP95Ms, config.batchP99Ms] : [config.p95Ms, config.p99Ms];
    result[`http_req_duration{name:${workload}}`] = [`p(95)<${p95}`, `p(99)<${p99}`];
  }
  if (endToEnd) result['checks{phase:e2e}'] = ['rate==1'];
  return result;
}

/**
 * The options every script shares; scripts add `scenarios` and `thresholds`.
 * @param {number} teardownSeconds how long teardown() may wait for deliveries
 * @returns {import('k6/options').Options}
 */
export function baseOptions(teardownSeconds) {
  return {
    summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max', 'count'],
    setupTimeout: `${config.sinkWaitSeconds + 60}s`,
    teardownTimeout: `${teardownSeconds + 30}s`,
    insecureSkipTLSVerify: config.insecureTls,
  };
}

/**
 * The longest {@link checkSink} can wait for arrivals, in seconds (0 with SINK_STATS=false).
 * @param {number} [minWaitSeconds]
 * @returns {number}
 */
export function sinkWaitSeconds(minWaitSeconds = 0) {
  return config.sinkStats ? minWaitSeconds + config.drainTimeoutSeconds : 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Requests.
// ---------------------------------------------------------------------------------------------------------------

/** Messages Ferry answered with a messageId (a URL-group publish counts once per endpoint, a batch once per entry). */
export const accepted = new Counter('ferry_messages_accepted');

/**
 * Request parameters: the bearer token, a JSON content type (plus `headers`), and two tags: `name` (the workload,
 * or setup / teardown), which latency thresholds and the summary group requests by, and `phase` (load, setup or
 * teardown): the error-rate thresholds count the load's requests only.
 * @param {Workload | 'setup' | 'teardown'} name
 * @param {Record<string, string>} [headers]
 * @returns {import('k6/http').Params}
 */
export function params(name, headers = {}) {
  const management = name === 'setup' || name === 'teardown';
  /** @type {import('k6/http').Params} */
  const result = {
    headers: Object.assign({ Authorization: `Bearer ${config.token}`, 'Content-Type': 'application/json' }, headers),
    tags: { name, phase: management ? name : 'load' },
  };
  // keep setup()/teardown() within their timeouts when a request hangs; load requests keep k6's 60 s
  if (management) result.timeout = '10s';
  return result;
}

/**
 * A JSON message body of about `bytes` bytes (never less than the JSON skeleton).
 * @param {number} bytes
 * @returns {string}
 */
export function messageBody(bytes) {
  const skeleton = JSON.stringify({ source: 'k6', pad: '' });
  return JSON.stringify({ source: 'k6', pad: 'x'.repeat(Math.max(0, bytes - skeleton.length)) });
}

/** This VU's message body (built once per VU, BODY_BYTES long). */
const body = messageBody(config.bodyBytes);

/**
 * The response body parsed as JSON, or undefined when it is not JSON.
 * @param {import('k6/http').Response} res
 * @returns {unknown}
 */
export function jsonBody(res) {
  if (typeof res.body !== 'string') return undefined;
  try {
    return JSON.parse(res.body);
  } catch (_) {
    return undefined;
  }
}

/**
 * A publish result `{"messageId": "...", ...}`.
 * @param {unknown} value
 * @returns {value is { messageId: string }}
 */
export function isMessage(value) {
  return typeof value === 'object' && value !== null && 'messageId' in value &&
    typeof value.messageId === 'string' && value.messageId.length > 0;
}

/**
 * A JSON array of exactly `length` publish results.
 * @param {unknown} value
 * @param {number} length
 * @returns {value is Array<{ messageId: string }>}
 */
export function isMessageArray(value, length) {
  return Array.isArray(value) && value.length === length && value.every(isMessage);
}

/**
 * Counts the messageIds of a publish, enqueue or batch answer (nested arrays of URL-group entries included).
 * @param {unknown} value
 * @returns {number}
 */
export function countMessages(value) {
  if (isMessage(value)) return 1;
  if (Array.isArray(value)) return value.reduce((n, item) => n + countMessages(item), 0);
  return 0;
}

/** The destination URL Ferry delivers `workload`'s messages to. */
export function destination(/** @type {string} */ workload) {
  return `${config.targetUrl}/k6/${workload}`;
}

/**
 * One message published to a URL: `201` with a messageId.
 * @returns {void}
 */
export function publishOne() {
  const res = http.post(`${config.ferryUrl}/v2/publish/${destination('publish')}`, body, params('publish'));
  const answer = jsonBody(res);
  check(res, {
    'publish: status 201': (r) => r.status === 201,
    'publish: answer has a messageId': () => isMessage(answer),
  });
  accepted.add(countMessages(answer), { workload: 'publish' });
}

/** The body of one batch: BATCH_SIZE entries to the batch destination (built once per VU). */
let batchBody = '';

/**
 * One batch of BATCH_SIZE messages to a URL: `200` with one element (a messageId) per entry, in order.
 * @returns {void}
 */
export function publishBatch() {
  if (batchBody === '') {
    const entry = { destination: destination('batch'), headers: { 'Content-Type': 'application/json' }, body };
    batchBody = JSON.stringify(Array.from({ length: config.batchSize }, () => entry));
  }
  const res = http.post(`${config.ferryUrl}/v2/batch`, batchBody, params('batch'));
  const answer = jsonBody(res);
  check(res, {
    'batch: status 200': (r) => r.status === 200,
    [`batch: one messageId per entry (${config.batchSize})`]: () => isMessageArray(answer, config.batchSize),
  });
  accepted.add(countMessages(answer), { workload: 'batch' });
}

/**
 * One message enqueued into `queue`: `201` with a messageId.
 * @param {string} queue
 * @returns {void}
 */
export function enqueueOne(queue) {
  const res = http.post(`${config.ferryUrl}/v2/enqueue/${queue}/${destination('enqueue')}`, body, params('enqueue'));
  const answer = jsonBody(res);
  check(res, {
    'enqueue: status 201': (r) => r.status === 201,
    'enqueue: answer has a messageId': () => isMessage(answer),
  });
  accepted.add(countMessages(answer), { workload: 'enqueue' });
}

/**
 * One delayed message: `Upstash-Delay` between DELAY_SECONDS and DELAY_MAX_SECONDS, and the due time in Unix ms
 * forwarded as `X-Due-At` (`Upstash-Forward-X-Due-At`), from which the sink measures how late (or early) it arrived.
 * The due time is taken before the request is sent, so it is at or before the due time Ferry computes: with k6,
 * Ferry and the sink on clocks that agree, an arrival before it is a real early delivery.
 * @returns {void}
 */
export function publishDelayed() {
  const delay = config.delaySeconds + Math.floor(Math.random() * (delayMaxSeconds - config.delaySeconds + 1));
  const dueAt = Date.now() + delay * 1000;
  const res = http.post(`${config.ferryUrl}/v2/publish/${destination('delayed')}`, body, params('delayed', {
    'Upstash-Delay': `${delay}s`,
    'Upstash-Forward-X-Due-At': String(dueAt),
  }));
  const answer = jsonBody(res);
  check(res, {
    'delayed: status 201': (r) => r.status === 201,
    'delayed: answer has a messageId': () => isMessage(answer),
  });
  accepted.add(countMessages(answer), { workload: 'delayed' });
}

/**
 * One message published to the URL group `group` of `endpoints` endpoints: `201` with one messageId per endpoint.
 * @param {string} group
 * @param {number} endpoints
 * @returns {void}
 */
export function publishFanout(group, endpoints) {
  const res = http.post(`${config.ferryUrl}/v2/publish/${group}`, body, params('fanout'));
  const answer = jsonBody(res);
  check(res, {
    'fanout: status 201': (r) => r.status === 201,
    [`fanout: one messageId per endpoint (${endpoints})`]: () => isMessageArray(answer, endpoints),
  });
  accepted.add(countMessages(answer), { workload: 'fanout' });
}

// ---------------------------------------------------------------------------------------------------------------
// setup() and teardown() helpers. Setup failures stop the test before any load is sent.
// ---------------------------------------------------------------------------------------------------------------

/**
 * Fails the test (from setup) with the request and Ferry's answer.
 * @param {string} what
 * @param {import('k6/http').Response} res
 * @returns {never}
 */
function setupFailed(what, res) {
  const detail = res.status === 0 ? res.error : `${res.status} ${typeof res.body === 'string' ? res.body : ''}`;
  return fail(`${what} failed: ${res.request.method} ${res.url} -> ${detail}`);
}

/**
 * Creates the queue or updates its parallelism (`POST /v2/queues` → 200), then reads it back.
 * @param {string} queue
 * @param {number} parallelism
 * @returns {void}
 */
export function upsertQueue(queue, parallelism) {
  const res = http.post(`${config.ferryUrl}/v2/queues`,
    JSON.stringify({ queueName: queue, parallelism, paused: false }), params('setup'));
  if (!check(res, { 'queue upsert: status 200': (r) => r.status === 200 })) {
    setupFailed(`upserting queue ${queue}`, res);
  }
  const read = http.get(`${config.ferryUrl}/v2/queues/${queue}`, params('setup'));
  const answer = jsonBody(read);
  const ok = check(read, {
    'queue get: status 200': (r) => r.status === 200,
    [`queue get: parallelism ${parallelism}, not paused`]: () => typeof answer === 'object' && answer !== null &&
      'parallelism' in answer && answer.parallelism === parallelism && 'paused' in answer && answer.paused === false,
  });
  if (!ok) setupFailed(`reading back queue ${queue}`, read);
}

/**
 * The queue's lag (messages not yet delivered), or undefined when it cannot be read.
 * @param {string} queue
 * @returns {number | undefined}
 */
export function queueLag(queue) {
  const res = http.get(`${config.ferryUrl}/v2/queues/${queue}`, params('teardown'));
  const answer = jsonBody(res);
  if (res.status !== 200 || typeof answer !== 'object' || answer === null || !('lag' in answer)) return undefined;
  return typeof answer.lag === 'number' ? answer.lag : undefined;
}

/**
 * Waits (at most DRAIN_TIMEOUT_SECONDS) until the queue's lag is 0, then checks it (phase:e2e): a queue that does
 * not drain means deliveries are slower than the enqueue rate at this parallelism.
 * @param {string} queue
 * @returns {void}
 */
export function waitQueueDrained(queue) {
  const deadline = Date.now() + config.drainTimeoutSeconds * 1000;
  let lag = queueLag(queue);
  while (lag !== 0 && Date.now() < deadline) {
    sleep(1);
    lag = queueLag(queue);
  }
  console.log(`queue ${queue}: lag ${lag === undefined ? 'unreadable' : lag} after the run`);
  check(lag, { [`queue ${queue} drained within ${config.drainTimeoutSeconds}s`]: (l) => l === 0 }, { phase: 'e2e' });
}

/**
 * Replaces the URL group `group` with `endpoints` endpoints on the target (`<TARGET_URL>/k6/fanout/<i>`, named
 * `ep<i>`): deletes any group of that name left by an earlier run, adds the endpoints (`POST
 * /v2/topics/{group}/endpoints` → 200) and reads the group back.
 * @param {string} group
 * @param {number} endpoints
 * @returns {void}
 */
export function createUrlGroup(group, endpoints) {
  http.del(`${config.ferryUrl}/v2/topics/${group}`, null,
    Object.assign(params('setup'), { responseCallback: http.expectedStatuses(200, 404) }));
  const list = Array.from({ length: endpoints }, (_, i) => ({ name: `ep${i}`, url: `${destination('fanout')}/${i}` }));
  const res = http.post(`${config.ferryUrl}/v2/topics/${group}/endpoints`, JSON.stringify({ endpoints: list }),
    params('setup'));
  if (!check(res, { 'url group add endpoints: status 200': (r) => r.status === 200 })) {
    setupFailed(`creating URL group ${group}`, res);
  }
  const read = http.get(`${config.ferryUrl}/v2/topics/${group}`, params('setup'));
  const answer = jsonBody(read);
  const ok = check(read, {
    'url group get: status 200': (r) => r.status === 200,
    [`url group get: ${endpoints} endpoints`]: () => typeof answer === 'object' && answer !== null &&
      'endpoints' in answer && Array.isArray(answer.endpoints) && answer.endpoints.length === endpoints,
  });
  if (!ok) setupFailed(`reading back URL group ${group}`, read);
}

/**
 * Deletes the URL group (`DELETE /v2/topics/{group}` → 200); messages already published are still delivered.
 * @param {string} group
 * @returns {void}
 */
export function deleteUrlGroup(group) {
  const res = http.del(`${config.ferryUrl}/v2/topics/${group}`, null, params('teardown'));
  check(res, { 'url group delete: status 200': (r) => r.status === 200 });
}

// ---------------------------------------------------------------------------------------------------------------
// The sink (`java -jar ferry.jar sink --port N [--current-signing-key K --next-signing-key K2]`).
// ---------------------------------------------------------------------------------------------------------------

/**
 * `GET /stats` of the sink.
 * @typedef {{
 *   received: number,
 *   verified: number,
 *   invalidSignatures: number,
 *   early: number,
 *   latenessMs?: { p50?: number | null, p99?: number | null, max?: number | null } | null,
 * }} SinkStats
 */

/** Requests to the sink: no token, and tags that keep them out of the load's thresholds. */
const sinkParams = { tags: { name: 'sink', phase: 'sink' }, timeout: '10s' };

const sinkReceived = new Gauge('ferry_sink_received');
const sinkVerified = new Gauge('ferry_sink_verified');
const sinkInvalid = new Gauge('ferry_sink_invalid_signatures');
const sinkEarly = new Gauge('ferry_sink_early');
const sinkLatenessP50 = new Gauge('ferry_sink_lateness_p50', true);
const sinkLatenessP99 = new Gauge('ferry_sink_lateness_p99', true);
const sinkLatenessMax = new Gauge('ferry_sink_lateness_max', true);

/**
 * @param {unknown} value
 * @returns {value is SinkStats}
 */
function isSinkStats(value) {
  if (typeof value !== 'object' || value === null) return false;
  const v = /** @type {Record<string, unknown>} */ (value);
  return ['received', 'verified', 'invalidSignatures', 'early'].every((key) => typeof v[key] === 'number');
}

/**
 * The sink's counters, or undefined when it cannot be read.
 * @returns {SinkStats | undefined}
 */
export function sinkStats() {
  const res = http.get(`${config.sinkUrl}/stats`, sinkParams);
  const answer = jsonBody(res);
  return res.status === 200 && isSinkStats(answer) ? answer : undefined;
}

/**
 * From setup(): zeroes the sink's counters (`POST /reset`), so teardown() sees this run's arrivals only. Fails the
 * test when the sink does not answer within SINK_WAIT_SECONDS, unless SINK_STATS=false.
 * @returns {void}
 */
export function resetSink() {
  if (!config.sinkStats) return;
  // a sink started together with the test (a Kubernetes Deployment next to the Job) may need a few seconds
  const deadline = Date.now() + config.sinkWaitSeconds * 1000;
  const reset = () => http.post(`${config.sinkUrl}/reset`, null, sinkParams);
  let res = reset();
  while (res.status !== 200 && Date.now() < deadline) {
    sleep(1);
    res = reset();
  }
  if (res.status !== 200) {
    const detail = res.status === 0 ? res.error : `status ${res.status}`;
    fail(`the sink at SINK_URL=${config.sinkUrl} did not reset (${detail}). Start it ` +
      '(java -jar target/ferry.jar sink --port 9090 ...) or set SINK_STATS=false to skip the end-to-end checks');
  }
}

/**
 * From teardown(): waits for deliveries to settle, then checks the sink's stats (checks tagged phase:e2e) and
 * reports them as the `ferry_sink_*` gauges of the summary.
 *
 * Waits at least `minWaitSeconds` (the largest delay still pending), then until the sink's `received` count has not
 * changed for DRAIN_QUIET_SECONDS, at most DRAIN_TIMEOUT_SECONDS more. Checks: the sink answered, something arrived,
 * arrivals settled in time, no invalid signature, no early delivery, and (when `latenessP99Ms` is given and delayed
 * messages arrived) lateness p99 within it.
 * @param {{ minWaitSeconds?: number, latenessP99Ms?: number }} [options]
 * @returns {void}
 */
export function checkSink(options = {}) {
  if (!config.sinkStats) return;
  const minWaitSeconds = options.minWaitSeconds ?? 0;
  const start = Date.now();
  const earliestEnd = start + minWaitSeconds * 1000;
  const deadline = earliestEnd + config.drainTimeoutSeconds * 1000;
  let stats = sinkStats();
  let lastReceived = -1;
  let changedAt = start;
  let settled = false;
  while (stats !== undefined) {
    const now = Date.now();
    if (stats.received !== lastReceived) {
      lastReceived = stats.received;
      changedAt = now;
    }
    if (now >= earliestEnd && now - changedAt >= config.drainQuietSeconds * 1000) {
      settled = true;
      break;
    }
    if (now >= deadline) break;
    sleep(1);
    stats = sinkStats();
  }

  console.log(`sink ${config.sinkUrl} after ${Math.round((Date.now() - start) / 1000)}s: ` +
    (stats === undefined ? 'no readable /stats' : JSON.stringify(stats)));
  if (stats === undefined) {
    check(stats, { 'sink: /stats readable': () => false }, { phase: 'e2e' });
    return;
  }
  sinkReceived.add(stats.received);
  sinkVerified.add(stats.verified);
  sinkInvalid.add(stats.invalidSignatures);
  sinkEarly.add(stats.early);
  const lateness = stats.latenessMs ?? {};
  if (typeof lateness.p50 === 'number') sinkLatenessP50.add(lateness.p50);
  if (typeof lateness.p99 === 'number') sinkLatenessP99.add(lateness.p99);
  if (typeof lateness.max === 'number') sinkLatenessMax.add(lateness.max);
  if (stats.verified === 0 && stats.received > 0) {
    console.warn('the sink verified no signature: give it --current-signing-key and --next-signing-key to check them');
  }

  /** @type {import('k6').Checkers<SinkStats>} */
  const checks = {
    'sink: /stats readable': () => true,
    'sink: messages arrived': (s) => s.received > 0,
    [`sink: arrivals settled within ${minWaitSeconds + config.drainTimeoutSeconds}s`]: () => settled,
    'sink: no invalid signature': (s) => s.invalidSignatures === 0,
    'sink: no delivery before its due time': (s) => s.early === 0,
  };
  const limit = options.latenessP99Ms;
  if (limit !== undefined) {
    checks[`sink: lateness p99 <= ${limit} ms`] = () => typeof lateness.p99 === 'number' && lateness.p99 <= limit;
  }
  check(stats, checks, { phase: 'e2e' });
}
