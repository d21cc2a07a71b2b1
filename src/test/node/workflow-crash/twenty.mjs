// A 20-step workflow with the official @upstash/workflow SDK, driven by WorkflowCrashTest: one run straight
// through (timed), then one during which the test kills Ferry with SIGKILL and starts it again. Checks that the
// crashed run completes with every step's result exactly as the SDK recorded it. Needs CRASH_MARKER: the file
// this script writes when the second run is in its 8th step (the test's cue to kill Ferry).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { sleep } from '../lib/harness.mjs';
import { startApp, workflowClient } from '../workflow/app.mjs';

const STEPS = 20;
const produced = new Map(); // run id → step → every value its code returned (a step re-runs if its publish was lost)
const client = workflowClient();

const app = await startApp({
  '/twenty': [async (context) => {
    const id = context.workflowRunId;
    const { slow } = context.requestPayload;
    const values = [];
    for (let i = 1; i <= STEPS; i++) {
      values.push(await context.run(`step-${i}`, async () => {
        const value = `${i}:${Math.random().toString(36).slice(2, 10)}`;
        if (!produced.has(id)) produced.set(id, new Map());
        const seen = produced.get(id);
        if (!seen.has(i)) seen.set(i, new Set());
        seen.get(i).add(value);
        if (slow) await sleep(100);
        if (slow && i === 8) writeFileSync(process.env.CRASH_MARKER, id);
        return value;
      }));
    }
    return values;
  }],
});

/** The run's log once it has ended; Ferry may be down meanwhile. */
async function ended(id, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const [run] = (await client.logs({ workflowRunId: id })).runs;
      if (run && run.workflowState !== 'RUN_STARTED') return run;
    } catch {
      // Ferry is being restarted
    }
    if (Date.now() > deadline) assert.fail(`run ${id} did not end within ${timeoutMs} ms`);
    await sleep(20);
  }
}

try {
  let started = Date.now();
  const { workflowRunId: clean } = await client.trigger({ url: app.url('/twenty'), body: { slow: false } });
  const cleanRun = await ended(clean, 60_000);
  assert.equal(cleanRun.workflowState, 'RUN_SUCCESS');
  console.log(`TWENTY_STEP_RUN_MS=${Date.now() - started}`);

  started = Date.now();
  const { workflowRunId: id } = await client.trigger({ url: app.url('/twenty'), body: { slow: true } });
  const run = await ended(id, 120_000);
  assert.equal(run.workflowState, 'RUN_SUCCESS', JSON.stringify(run));
  const values = JSON.parse(run.workflowRunResponse);
  assert.equal(values.length, STEPS);
  const logged = new Map();
  for (const group of run.steps) {
    for (const step of group.steps) {
      if (!logged.has(step.stepName)) logged.set(step.stepName, step.out); // the first record of a step is the one used
    }
  }
  for (let i = 1; i <= STEPS; i++) {
    assert.ok(produced.get(id).get(i).has(values[i - 1]), `step ${i}: ${values[i - 1]} was never produced`);
    assert.equal(logged.get(`step-${i}`), JSON.stringify(values[i - 1]), `step ${i} as Ferry recorded it`);
  }
  const reruns = [...produced.get(id).values()].filter((s) => s.size > 1).length;
  console.log(`CRASHED_RUN_MS=${Date.now() - started} STEPS_RUN_AGAIN=${reruns}`);
  console.log('TWENTY_STEP_CRASH_OK');
} finally {
  await app.close();
}
