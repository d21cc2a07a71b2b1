// @ts-check
// Fan-out: setup() creates URL group URL_GROUP (default k6-fanout) with FANOUT endpoints (default 10) on the sink
// (<TARGET_URL>/k6/fanout/<i>), replacing a group of that name; then RATE publishes per second (default 10) to the
// group for DURATION, each expecting 201 with one messageId per endpoint. Deliveries per second = RATE x FANOUT.
// teardown() checks the sink, then deletes the group.
//
//   k6 run -e RATE=20 -e FANOUT=50 -e DURATION=1m loadtest/k6/fanout.js
import {
  arrivalRate, baseOptions, checkSink, config, createUrlGroup, deleteUrlGroup, publishFanout, rate, resetSink,
  sinkWaitSeconds, thresholds,
} from './lib/ferry.js';

/** @type {import('k6/options').Options} */
export const options = {
  ...baseOptions(sinkWaitSeconds()),
  scenarios: { fanout: arrivalRate(rate(10)) },
  thresholds: thresholds(['fanout'], config.sinkStats),
};

export function setup() {
  resetSink();
  createUrlGroup(config.group, config.fanout);
}

export default function () {
  publishFanout(config.group, config.fanout);
}

export function teardown() {
  checkSink();
  deleteUrlGroup(config.group);
}
