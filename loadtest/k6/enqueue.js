// @ts-check
// Enqueue: setup() upserts queue QUEUE (default k6-load) with PARALLELISM (default 10) and checks Ferry's 200;
// then RATE messages per second (default 50) for DURATION, each `POST /v2/enqueue/<QUEUE>/<TARGET_URL>/k6/enqueue`
// (expects 201). teardown() waits until the queue's lag is 0 (at most DRAIN_TIMEOUT_SECONDS) and checks the sink.
// The queue is left in place (upserted again by the next run).
//
//   k6 run -e RATE=100 -e PARALLELISM=20 -e DURATION=1m loadtest/k6/enqueue.js
import {
  arrivalRate, baseOptions, checkSink, config, enqueueOne, rate, resetSink, sinkWaitSeconds, thresholds,
  upsertQueue, waitQueueDrained,
} from './lib/ferry.js';

/** @type {import('k6/options').Options} */
export const options = {
  ...baseOptions(config.drainTimeoutSeconds + sinkWaitSeconds()),
  scenarios: { enqueue: arrivalRate(rate(50)) },
  // the queue-drained check of teardown() is an end-to-end check even without the sink
  thresholds: thresholds(['enqueue'], true),
};

export function setup() {
  resetSink();
  upsertQueue(config.queue, config.parallelism);
}

export default function () {
  enqueueOne(config.queue);
}

export function teardown() {
  waitQueueDrained(config.queue);
  checkSink();
}
