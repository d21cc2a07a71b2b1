// @ts-check
// Mixed: the five workloads at once, each a constant-arrival-rate scenario of its own for DURATION, with its own
// rate (per second; 0 leaves the scenario out):
//   PUBLISH_RATE (20)  single publish                     ENQUEUE_RATE (20)  enqueue into QUEUE at PARALLELISM
//   BATCH_RATE    (2)  batches of BATCH_SIZE              DELAYED_RATE (10)  delayed messages with X-Due-At
//   FANOUT_RATE   (5)  publishes to URL_GROUP of FANOUT endpoints
// setup() resets the sink, upserts the queue and creates the URL group (only for the scenarios that run); teardown()
// waits for the queue to drain and the largest delay to pass, checks the sink, and deletes the URL group.
//
//   k6 run -e PUBLISH_RATE=100 -e BATCH_RATE=5 -e FANOUT_RATE=0 -e DURATION=5m loadtest/k6/mixed.js
import {
  arrivalRate, baseOptions, checkSink, config, createUrlGroup, delayMaxSeconds, deleteUrlGroup, enqueueOne,
  publishBatch, publishDelayed, publishFanout, publishOne, rate, resetSink, sinkWaitSeconds, thresholds, upsertQueue,
  waitQueueDrained,
} from './lib/ferry.js';

/** @type {Record<import('./lib/ferry.js').Workload, number>} */
const rates = {
  publish: rate(20, 'PUBLISH_RATE', 0),
  batch: rate(2, 'BATCH_RATE', 0),
  enqueue: rate(20, 'ENQUEUE_RATE', 0),
  delayed: rate(10, 'DELAYED_RATE', 0),
  fanout: rate(5, 'FANOUT_RATE', 0),
};

/** The workloads with a rate above 0, in a fixed order. */
/** @type {import('./lib/ferry.js').Workload[]} */
const allWorkloads = ['publish', 'batch', 'enqueue', 'delayed', 'fanout'];
const workloads = allWorkloads.filter((w) => rates[w] > 0);
if (workloads.length === 0) throw new Error('every *_RATE is 0: nothing to run');

const withQueue = workloads.includes('enqueue');
const withDelays = workloads.includes('delayed');
const withGroup = workloads.includes('fanout');
const sinkMinWait = withDelays ? delayMaxSeconds : 0;

/** @type {import('k6/options').Options} */
export const options = {
  ...baseOptions((withQueue ? config.drainTimeoutSeconds : 0) + sinkWaitSeconds(sinkMinWait)),
  // each scenario runs the exported function of its name
  scenarios: Object.fromEntries(workloads.map((w) => [w, arrivalRate(rates[w], w)])),
  thresholds: thresholds(workloads, config.sinkStats || withQueue),
};

export function setup() {
  resetSink();
  if (withQueue) upsertQueue(config.queue, config.parallelism);
  if (withGroup) createUrlGroup(config.group, config.fanout);
}

export function publish() {
  publishOne();
}

export function batch() {
  publishBatch();
}

export function enqueue() {
  enqueueOne(config.queue);
}

export function delayed() {
  publishDelayed();
}

export function fanout() {
  publishFanout(config.group, config.fanout);
}

export function teardown() {
  if (withQueue) waitQueueDrained(config.queue);
  checkSink(withDelays ? { minWaitSeconds: delayMaxSeconds, latenessP99Ms: config.latenessP99Ms } : {});
  if (withGroup) deleteUrlGroup(config.group);
}
