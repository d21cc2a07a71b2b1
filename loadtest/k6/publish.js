// @ts-check
// Single publish: RATE messages per second (default 50) for DURATION, each one
// `POST /v2/publish/<TARGET_URL>/k6/publish` (expects 201 with a messageId). setup() resets the sink; teardown()
// waits for the deliveries to settle and checks the sink's stats (no invalid signature, something arrived).
//
//   k6 run -e RATE=200 -e DURATION=1m loadtest/k6/publish.js
import { arrivalRate, baseOptions, checkSink, config, publishOne, rate, resetSink, sinkWaitSeconds, thresholds }
  from './lib/ferry.js';

/** @type {import('k6/options').Options} */
export const options = {
  ...baseOptions(sinkWaitSeconds()),
  scenarios: { publish: arrivalRate(rate(50)) },
  thresholds: thresholds(['publish'], config.sinkStats),
};

export function setup() {
  resetSink();
}

export default function () {
  publishOne();
}

export function teardown() {
  checkSink();
}
