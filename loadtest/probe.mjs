// Informal first measurement of a running Ferry (issue 2): batch ingest rate and publish→delivery latency.
// Usage: node loadtest/probe.mjs [--url http://127.0.0.1:8080] [--token T] [--seconds 10] [--concurrency 8]
// Loopback only; bounded in time; stops by itself. The proper benchmark harness (against a bare Vert.x
// instrument, medians of several runs) is issue 3.
import http from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: {
  url: { type: 'string', default: 'http://127.0.0.1:8080' },
  token: { type: 'string', default: 'eyJVc2VySUQiOiJkZWZhdWx0VXNlciIsIlBhc3N3b3JkIjoiZGVmYXVsdFBhc3N3b3JkIn0=' },
  seconds: { type: 'string', default: '10' },
  concurrency: { type: 'string', default: '8' },
  batch: { type: 'string', default: '100' },
  latencySamples: { type: 'string', default: '500' },
  delay: { type: 'string', default: '' },  // e.g. 1h: measure ingest alone, nothing becomes due
  drain: { type: 'string', default: 'yes' },  // 'no': don't wait for deliveries
} });
const ferry = new URL(values.url);
if (!['127.0.0.1', 'localhost', '[::1]'].includes(ferry.hostname)) throw new Error('loopback targets only');
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function post(path, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: ferry.hostname, port: ferry.port, path, method: 'POST', agent,
      headers: { authorization: `Bearer ${values.token}`, 'content-length': Buffer.byteLength(body), ...headers } },
    res => { const chunks = []; res.on('data', c => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() })); });
    req.on('error', reject);
    req.end(body);
  });
}

// A sink that answers 200 at once and remembers when each message id arrived.
const arrivals = new Map();
let delivered = 0;
let firstArrival = 0n;
let lastArrival = 0n;
const sink = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const now = process.hrtime.bigint();
    if (delivered++ === 0) firstArrival = now;
    lastArrival = now;
    arrivals.set(req.headers['upstash-message-id'], now);
    res.end();
  });
});
await new Promise(r => sink.listen(0, '127.0.0.1', r));
const sinkUrl = `http://127.0.0.1:${sink.address().port}`;

// 1. Batch ingest: `concurrency` clients send batches of `batch` small messages for `seconds` seconds.
const batchSize = Number(values.batch);
const entryHeaders = values.delay ? { 'Upstash-Delay': values.delay } : undefined;
const batchBody = JSON.stringify(Array.from({ length: batchSize }, (_, i) => ({ destination: `${sinkUrl}/ingest`, body: `m${i}`.padEnd(100, '.'), headers: entryHeaders })));
let accepted = 0;
const until = Date.now() + Number(values.seconds) * 1000;
const started = Date.now();
await Promise.all(Array.from({ length: Number(values.concurrency) }, async () => {
  while (Date.now() < until) {
    const r = await post('/v2/batch', batchBody, { 'content-type': 'application/json' });
    if (r.status !== 200) throw new Error(`batch failed: ${r.status} ${r.body}`);
    accepted += batchSize;
  }
}));
const ingestSeconds = (Date.now() - started) / 1000;
console.log(`batch ingest: ${accepted} messages in ${ingestSeconds.toFixed(1)} s = ${Math.round(accepted / ingestSeconds)} msgs/s (batches of ${batchSize}, ${values.concurrency} concurrent)`);

// Let delivery of the ingested backlog finish (bounded) before measuring latency.
const drainUntil = Date.now() + (values.drain === 'no' ? 0 : 180_000);
while (delivered < accepted && Date.now() < drainUntil) await new Promise(r => setTimeout(r, 100));
const spread = Number(lastArrival - firstArrival) / 1e9;
console.log(`delivered ${delivered}/${accepted}; arrivals spread over ${spread.toFixed(1)} s = ${Math.round(delivered / Math.max(spread, 0.001))} deliveries/s`);

// 2. Publish→delivery latency: one message at a time, time from sending the publish to its arrival at the sink.
const latencies = [];
for (let i = 0; i < Number(values.latencySamples); i++) {
  const t0 = process.hrtime.bigint();
  const r = await post(`/v2/publish/${sinkUrl}/latency`, `l${i}`);
  const id = JSON.parse(r.body).messageId;
  const waitUntil = Date.now() + 5000;
  while (!arrivals.has(id) && Date.now() < waitUntil) await new Promise(r => setImmediate(r));
  if (arrivals.has(id)) latencies.push(Number(arrivals.get(id) - t0) / 1e6);
}
latencies.sort((a, b) => a - b);
const pct = p => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(2);
console.log(`publish→delivery latency over ${latencies.length} sequential messages: p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, max ${pct(1)} ms`);
sink.close();
agent.destroy();
