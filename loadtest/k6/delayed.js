// @ts-check
// Delayed messages: RATE messages per second (default 20) for DURATION, each published with `Upstash-Delay`
// between DELAY_SECONDS and DELAY_MAX_SECONDS (default 10 and 10) and `Upstash-Forward-X-Due-At: <send time +
// delay, Unix ms>`, which Ferry forwards as `X-Due-At` and the sink turns into lateness. teardown() waits out the
// largest delay, then checks the sink: no delivery before its due time, lateness p99 <= LATENESS_P99_MS (2000).
//
//   k6 run -e RATE=100 -e DELAY_SECONDS=5 -e DELAY_MAX_SECONDS=120 -e DURATION=2m loadtest/k6/delayed.js
import {
  arrivalRate, baseOptions, checkSink, config, delayMaxSeconds, publishDelayed, rate, resetSink, sinkWaitSeconds,
  thresholds,
} from './lib/ferry.js';

/** @type {import('k6/options').Options} */
export const options = {
  ...baseOptions(sinkWaitSeconds(delayMaxSeconds)),
  scenarios: { delayed: arrivalRate(rate(20)) },
  thresholds: thresholds(['delayed'], config.sinkStats),
};

export function setup() {
  resetSink();
}

export default function () {
  publishDelayed();
}

export function teardown() {
  checkSink({ minWaitSeconds: delayMaxSeconds, latenessP99Ms: config.latenessP99Ms });
}
