// @ts-check
// Batch: RATE batches per second (default 5) for DURATION, each `POST /v2/batch` with BATCH_SIZE entries
// (default 100) to <TARGET_URL>/k6/batch; expects 200 with one messageId per entry, in order. Messages per second
// = RATE x BATCH_SIZE. Latency thresholds use BATCH_P95_MS / BATCH_P99_MS.
//
//   k6 run -e RATE=10 -e BATCH_SIZE=100 -e DURATION=1m loadtest/k6/batch.js
import { arrivalRate, baseOptions, checkSink, config, publishBatch, rate, resetSink, sinkWaitSeconds, thresholds }
  from './lib/ferry.js';

/** @type {import('k6/options').Options} */
export const options = {
  ...baseOptions(sinkWaitSeconds()),
  scenarios: { batch: arrivalRate(rate(5)) },
  thresholds: thresholds(['batch'], config.sinkStats),
};

export function setup() {
  resetSink();
}

export default function () {
  publishBatch();
}

export function teardown() {
  checkSink();
}
