// End-to-end, the console's workflow pages against runs of a real workflow app (the official @upstash/workflow SDK,
// served as the workflow suite serves it): the run list and its filters, a run's steps and result, resume of a
// failed run, a failed failure function retried, cancel of a running run, hostile step output shown as text.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RUN, consoleSession, env, eventually, ferry, open, screenshot } from './browser.mjs';
import { startApp, workflowClient } from '../workflow/app.mjs';

const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
const LABEL = `console-${RUN}`;
const RUN_WAIT_MS = 20_000;

describe('Ferry Console: workflow runs', () => {
  // every step: the page reported no error, exception, CSP violation or refused request (see consoleSession)
  const session = consoleSession();
  const client = workflowClient();
  const fixed = new Set(); // keys whose flaky step succeeds from now on
  let app;
  let page;
  let destination;
  let succeeded; // {key, id}
  let failed; // {key, id, dlqId}

  /** The run as the API logs it, once {@code done} says it is there. */
  const runWhen = (id, what, done) => eventually(`run ${id} ${what}`, async () => {
    const { json } = await ferry('GET', `/v2/workflows/events?groupBy=workflowRunId&workflowRunId=${id}`);
    const run = json?.runs?.[0];
    return run && done(run) ? run : undefined;
  }, RUN_WAIT_MS);

  const trigger = async (path, key, options = {}) => (await client.trigger({
    url: app.url(path), body: { key }, retries: 0, label: LABEL, ...options })).workflowRunId;

  const runState = () => page.locator('#run-state').textContent();

  before(async () => {
    ({ page, destination } = session);
    app = await startApp({
      '/greet': [async (context) => {
        const { key } = context.requestPayload;
        const hello = await context.run('hello', () => `hello ${key}`);
        const html = await context.run('html', () => HOSTILE);
        return { hello, characters: html.length };
      }],
      '/flaky': [async (context) => {
        const { key } = context.requestPayload;
        await context.run('first', () => `first ${key}`);
        await context.run('second', () => {
          if (!fixed.has(key)) throw new Error(`second is broken for ${key}`);
          return `second ${key}`;
        });
      }],
      '/sleepy': [async (context) => {
        await context.run('before', () => 'awake');
        await context.sleep('nap', 600);
      }],
    });
    const okKey = `${RUN}-ok`;
    const badKey = `${RUN}-bad`;
    succeeded = { key: okKey, id: await trigger('/greet', okKey) };
    failed = { key: badKey, id: await trigger('/flaky', badKey) };
    await runWhen(succeeded.id, 'to succeed', (r) => r.workflowState === 'RUN_SUCCESS');
    failed.dlqId = (await runWhen(failed.id, 'to fail', (r) => r.workflowState === 'RUN_FAILED' && r.dlqId)).dlqId;
  });

  after(async () => {
    await app?.close();
  });

  it('lists the runs and filters them by state', async () => {
    await open(page, 'workflows');
    await page.fill('.filters input[name=label]', LABEL);
    await page.click('.filters button[type=submit]');
    const row = (id) => page.locator('tr.run-row', { has: page.locator(`a.run-id[title="${id}"]`) });
    await row(succeeded.id).waitFor();
    await row(failed.id).waitFor();
    assert.equal(await row(succeeded.id).locator('.badge').textContent(), 'RUN_SUCCESS');
    assert.equal(await row(failed.id).locator('.badge').textContent(), 'RUN_FAILED');
    assert.equal(await row(succeeded.id).locator('.url').textContent(), app.url('/greet'));
    assert.equal(await row(succeeded.id).locator('.tag').textContent(), LABEL);
    await screenshot(page, 'workflows');

    await page.selectOption('.filters select[name=state]', 'RUN_FAILED');
    await page.click('.filters button[type=submit]');
    await row(succeeded.id).waitFor({ state: 'detached' });
    await row(failed.id).waitFor(); // the list is redrawn: empty for a moment once the old rows are gone
    assert.deepEqual(await page.locator('tr.run-row a.run-id').evaluateAll((as) => as.map((a) => a.title)),
      [failed.id], 'only the failed run of this label');
    assert.match(page.url(), /#\/workflows\?.*state=RUN_FAILED/, 'the filter is in the link');
  });

  it('shows a successful run\'s steps in order, its result, and step output as text only', async () => {
    await page.goto(`${env.ferryUrl}/console/#/workflows?label=${LABEL}&state=RUN_SUCCESS`);
    await page.click(`a.run-id[title="${succeeded.id}"]`);
    await page.waitForSelector(`#run-id:text-is("${succeeded.id}")`);
    assert.equal(await runState(), 'RUN_SUCCESS');
    assert.deepEqual(await page.locator('.step-name').allTextContents(), ['init', 'hello', 'html']);
    assert.equal(await page.locator('.step[data-step=hello] .step-out').textContent(), `hello ${succeeded.key}`);
    assert.equal(await page.locator('.step[data-step=html] .step-out').textContent(), HOSTILE);
    assert.deepEqual(JSON.parse(await page.locator('.run-response').textContent()),
      { hello: `hello ${succeeded.key}`, characters: HOSTILE.length });
    assert.match(await page.locator('.step[data-step=init] .step-out').textContent(), new RegExp(succeeded.key));
    const counts = await page.evaluate(() => ({
      pwned: window.__pwned, images: document.querySelectorAll('main img').length,
      scripts: document.querySelectorAll('main script').length,
    }));
    assert.deepEqual(counts, { pwned: undefined, images: 0, scripts: 0 });
    assert.equal(await page.locator('#nav a[aria-current=page]').textContent(), 'Workflows');

    await page.setViewportSize({ width: 390, height: 844 });
    try {
      // a filter set opens the filter form on a phone too: it must fit as well
      for (const hash of [`#/workflow/${succeeded.id}`, `#/workflows?label=${LABEL}`, '#/messages?label=x',
        '#/dlq?label=x']) {
        await page.goto(`${env.ferryUrl}/console/${hash}`);
        await page.waitForSelector('.page h1');
        await page.waitForLoadState('networkidle');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 1, `${hash} is wider than a phone screen by ${overflow}px`);
        if (hash.startsWith('#/workflow/')) await screenshot(page, 'phone-workflow');
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('links a failed run and its DLQ entry both ways, then resumes it and shows the new run succeed', async () => {
    await page.goto(`${env.ferryUrl}/console/#/workflow/${failed.id}`);
    await page.waitForSelector('#run-state:text-is("RUN_FAILED")');
    assert.equal(await page.locator('#run-dlq').textContent(), failed.dlqId);
    assert.deepEqual(await page.locator('.step-name').allTextContents(), ['init', 'first']);
    assert.match(await page.locator('.failure-body').textContent(), new RegExp(`second is broken for ${failed.key}`));
    await screenshot(page, 'workflow-failed');

    await page.click('#run-dlq');
    const entry = page.locator('.dlq-entry', { has: page.locator(`a.workflow-run[title="${failed.id}"]`) });
    await entry.waitFor();
    assert.equal(await page.locator('.dlq-entry').count(), 1, 'the DLQ filtered by the run');
    await entry.locator('a.workflow-run').click();
    await page.waitForSelector(`#run-id:text-is("${failed.id}")`);

    fixed.add(failed.key);
    await page.click('.summary button:text-is("Resume")');
    assert.match(await page.textContent('#confirm'), /from the failed step/);
    await page.click('#confirm-ok');
    const resumed = await eventually('the page of the resumed run', async () => {
      const id = await page.locator('#run-id').textContent();
      return id !== failed.id ? id : undefined;
    });
    assert.match(resumed, /^wfr_/);
    await page.waitForSelector('#run-state:text-is("RUN_SUCCESS")', { timeout: RUN_WAIT_MS });
    assert.deepEqual(await page.locator('.step-name').allTextContents(), ['init', 'first', 'second']);
    assert.equal(await page.locator('.step[data-step=first] .step-out').textContent(), `first ${failed.key}`,
      'the step before the failed one came from the failed run');
    assert.equal(await page.locator('.step[data-step=second] .step-out').textContent(), `second ${failed.key}`);
    const { json } = await ferry('GET', `/v2/dlq?workflowRunId=${failed.id}`);
    assert.deepEqual(json.messages, [], 'the entry left the DLQ');
  });

  it('retries a failure function that failed, after asking', async () => {
    let calls = 0;
    destination.answer('/failure', () => (++calls === 1 ? { status: 500, body: 'down' } : { status: 200 }));
    const key = `${RUN}-callback`;
    const id = await trigger('/flaky', key, { failureUrl: destination.url('/failure') });
    await eventually(`a failed failure function for ${id}`, async () => {
      const { json } = await ferry('GET', `/v2/dlq?workflowRunId=${id}`);
      return json?.messages?.[0]?.failureCallbackInfo?.state === 'CALLBACK_FAIL';
    }, RUN_WAIT_MS);
    await page.goto(`${env.ferryUrl}/console/#/workflow/${id}`);
    await page.waitForSelector('#failure-callback-state:text-is("CALLBACK_FAIL")');
    await page.click('.summary button:text-is("Retry failure function")');
    await page.click('#confirm-ok');
    await page.waitForSelector('#failure-callback-state:text-is("CALLBACK_SUCCESS")', { timeout: RUN_WAIT_MS });
    assert.equal(calls, 2);
    assert.equal(await page.locator('.summary button:text-is("Retry failure function")').count(), 0);
  });

  it('cancels a running run after asking', async () => {
    const id = await trigger('/sleepy', `${RUN}-sleepy`);
    await runWhen(id, 'to sleep', (r) => r.steps.length >= 2);
    await page.goto(`${env.ferryUrl}/console/#/workflow/${id}`);
    await page.waitForSelector('#run-state:text-is("RUN_STARTED")');
    await page.click('.summary button:text-is("Cancel run")');
    await page.click('#confirm-cancel');
    assert.equal((await runWhen(id, 'to be read', () => true)).workflowState, 'RUN_STARTED', 'Cancel asked first');
    await page.click('.summary button:text-is("Cancel run")');
    await page.click('#confirm-ok');
    await page.waitForSelector('#run-state:text-is("RUN_CANCELED")');
    await runWhen(id, 'to be canceled', (r) => r.workflowState === 'RUN_CANCELED');
  });
});
