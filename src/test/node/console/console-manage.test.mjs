// End-to-end, the console's management pages: queues, schedules, URL groups, flow control, signing keys.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  RUN, consoleSession, env, eventually, ferry, open, screenshot,
} from './browser.mjs';

describe('Ferry Console: management pages', () => {
  // every step: the page reported no error, exception, CSP violation or refused request (see consoleSession)
  const session = consoleSession();
  let destination;
  let page;
  before(() => {
    ({ destination, page } = session);
  });

  it('pauses and resumes a queue', async () => {
    const queue = `orders-${RUN}`;
    await open(page, 'queues');
    await page.fill('input[name=queueName]', queue);
    await page.fill('input[name=parallelism]', '2');
    await page.click('form.inline-form button[type=submit]');
    const row = page.locator('tr.queue-row', { has: page.locator(`a:text-is("${queue}")`) });
    await row.waitFor();
    await row.locator('button:has-text("Pause")').click();
    await row.locator('.queue-state:has-text("paused")').waitFor();
    assert.equal((await ferry('GET', `/v2/queues/${queue}`)).json.paused, true);
    await screenshot(page, 'queues');
    await row.locator('button:has-text("Resume")').click();
    await row.locator('.queue-state:has-text("running")').waitFor();
    assert.equal((await ferry('GET', `/v2/queues/${queue}`)).json.paused, false);
  });

  it('creates a schedule (cron in words, next fire times) and deletes it', async () => {
    await open(page, 'schedules');
    await page.fill('.create-schedule input[name=destination]', destination.url('/tick'));
    await page.fill('.create-schedule input[name=cron]', '*/5 * * * *');
    await page.waitForSelector('.cron-preview:has-text("every 5 minutes")');
    await page.click('.create-schedule button[type=submit]');
    const card = page.locator('.schedule', { has: page.locator(`.url:text-is("${destination.url('/tick')}")`) });
    await card.waitFor();
    assert.match(await card.locator('.cron-words').textContent(), /every 5 minutes/);
    assert.match(await card.textContent(), /next /);
    const id = await card.getAttribute('data-schedule-id');
    assert.equal((await ferry('GET', `/v2/schedules/${id}`)).status, 200);
    await screenshot(page, 'schedules');
    await card.locator('button:has-text("Delete")').click();
    await page.click('#confirm-ok');
    await card.waitFor({ state: 'detached' });
    assert.equal((await ferry('GET', `/v2/schedules/${id}`)).status, 404);
  });

  it('manages URL group endpoints', async () => {
    const group = `team-${RUN}`;
    await open(page, 'groups');
    await page.fill('input[name=group]', group);
    await page.fill('input[name=url]', destination.url('/a'));
    await page.click('form.inline-form button[type=submit]');
    const card = page.locator('article.group', { has: page.locator(`h2:text-is("${group}")`) });
    await card.waitFor();
    await page.fill('input[name=group]', group);
    await page.fill('input[name=url]', destination.url('/b'));
    await page.fill('input[name=name]', 'bee');
    await page.click('form.inline-form button[type=submit]');
    await card.locator('td:text-is("bee")').waitFor();
    assert.equal((await ferry('GET', `/v2/topics/${group}`)).json.endpoints.length, 2);
    await screenshot(page, 'groups');
    await card.locator('tr', { hasText: destination.url('/a') }).locator('button:has-text("Remove")').click();
    await eventually('one endpoint left', async () =>
      (await ferry('GET', `/v2/topics/${group}`)).json.endpoints.length === 1);
    await card.locator('button:has-text("Delete group")').click();
    await page.click('#confirm-ok');
    await card.waitFor({ state: 'detached' });
    assert.equal((await ferry('GET', `/v2/topics/${group}`)).status, 404);
  });

  it('pauses and resumes a schedule, and deletes a queue with its messages', async () => {
    const created = await ferry('POST', `/v2/schedules/${destination.url('/nightly')}`, {
      body: 'x', headers: { 'Upstash-Cron': '0 3 * * *' },
    });
    const id = created.json.scheduleId;
    await page.goto(`${env.ferryUrl}/console/#/schedules`);
    const card = page.locator(`.schedule[data-schedule-id="${id}"]`);
    await card.waitFor();
    assert.match(await card.locator('.cron-words').textContent(), /03:00/);
    await card.locator('button:has-text("Pause")').click();
    await card.locator('.badge:has-text("paused")').waitFor();
    assert.equal((await ferry('GET', `/v2/schedules/${id}`)).json.isPaused, true);
    await card.locator('button:has-text("Resume")').click();
    await card.locator('.badge:has-text("active")').waitFor();
    assert.equal((await ferry('GET', `/v2/schedules/${id}`)).json.isPaused, false);
    assert.equal((await ferry('DELETE', `/v2/schedules/${id}`)).status, 200);

    const queue = `doomed-${RUN}`;
    await ferry('POST', '/v2/queues', { body: JSON.stringify({ queueName: queue, paused: true }),
      headers: { 'Content-Type': 'application/json' } });
    await ferry('POST', `/v2/enqueue/${queue}/${destination.url('/doomed')}`, { body: 'x' });
    await page.goto(`${env.ferryUrl}/console/#/queues`);
    const row = page.locator('tr.queue-row', { has: page.locator(`a:text-is("${queue}")`) });
    await row.locator('button:has-text("Delete")').click();
    assert.match(await page.textContent('#confirm-body'), /Its 1 pending message is deleted/);
    await page.click('#confirm-ok');
    await row.waitFor({ state: 'detached' });
    assert.equal((await ferry('GET', `/v2/queues/${queue}`)).status, 404);
  });

  it('pauses and resumes a flow-control key', async () => {
    const key = `fc-${RUN}`;
    await ferry('POST', `/v2/publish/${destination.url('/fc')}`, {
      body: 'x', headers: { 'Upstash-Flow-Control-Key': key, 'Upstash-Flow-Control-Value': 'parallelism=2' },
    });
    await eventually('the flow-control key', async () => (await ferry('GET', `/v2/flowControl/${key}`)).status === 200);
    await page.goto(`${env.ferryUrl}/console/#/flow`);
    const row = page.locator('tr', { has: page.locator(`td span.mono:text-is("${key}")`) });
    await row.locator('button:has-text("Pause")').click();
    await row.locator('.badge:has-text("paused")').waitFor();
    assert.equal((await ferry('GET', `/v2/flowControl/${key}`)).json.isPaused, true);
    await screenshot(page, 'flow');
    await row.locator('button:has-text("Resume")').click();
    await row.locator('.badge:has-text("running")').waitFor();
    assert.equal((await ferry('GET', `/v2/flowControl/${key}`)).json.isPaused, false);

    const answers = ['3', ''];  // pin parallelism to 3, leave the rate
    const onDialog = (dialog) => dialog.accept(answers.shift());
    page.on('dialog', onDialog);
    await row.locator('button:has-text("Pin")').click();
    await row.locator('.tag:has-text("parallelism pinned")').waitFor();
    page.off('dialog', onDialog);
    const pinned = (await ferry('GET', `/v2/flowControl/${key}`)).json;
    assert.equal(pinned.isPinnedParallelism, true);
    assert.equal(pinned.parallelismMax, 3);
    await row.locator('button:has-text("Unpin")').click();
    await row.locator('.tag:has-text("parallelism pinned")').waitFor({ state: 'detached' });
    assert.equal((await ferry('GET', `/v2/flowControl/${key}`)).json.isPinnedParallelism, false);
  });

  it('resets a flow-control key\'s rate, so a message held by the rate goes out now', async () => {
    const key = `fc-rate-${RUN}`;
    const headers = { 'Upstash-Flow-Control-Key': key, 'Upstash-Flow-Control-Value': 'rate=1, period=1h' };
    for (const body of ['first', 'second']) {
      assert.equal((await ferry('POST', `/v2/publish/${destination.url('/fc-rate')}`, { body, headers })).status, 201);
    }
    await eventually('the first message delivered', async () => destination.at('/fc-rate').length === 1);
    await eventually('the second one held by the rate', async () =>
      (await ferry('GET', `/v2/flowControl/${key}`)).json.waitListSize === 1);
    await page.goto(`${env.ferryUrl}/console/#/flow`);
    const row = page.locator('tr', { has: page.locator(`td span.mono:text-is("${key}")`) });
    await row.locator('td', { hasText: '1 / 1 per 3600 s' }).waitFor();
    assert.equal(destination.at('/fc-rate').length, 1);  // an hour to wait, without the reset
    await row.locator('button:has-text("Reset rate")').click();
    await page.waitForSelector(`.toast:has-text("${key}: reset rate done")`);
    await eventually('the held message delivered after the reset', async () => destination.at('/fc-rate').length === 2);
    assert.deepEqual(destination.at('/fc-rate').map((r) => r.body), ['first', 'second']);
  });

  it('creates a schedule that publishes into a queue after a delay', async () => {
    const queue = `nightly-${RUN}`;
    await open(page, 'schedules');
    await page.fill('.create-schedule input[name=destination]', destination.url('/queued-tick'));
    await page.fill('.create-schedule input[name=cron]', '0 4 * * *');
    await page.fill('.create-schedule input[name=queueName]', queue);
    await page.fill('.create-schedule input[name=delay]', '90s');
    await page.click('.create-schedule button[type=submit]');
    const card = page.locator('.schedule', { has: page.locator(`.url:text-is("${destination.url('/queued-tick')}")`) });
    await card.waitFor();
    assert.equal(await card.locator('.schedule-queue').textContent(), `queue ${queue}`);
    assert.equal(await card.locator('.schedule-delay').textContent(), 'delay 90 s');
    const id = await card.getAttribute('data-schedule-id');
    const stored = (await ferry('GET', `/v2/schedules/${id}`)).json;
    assert.equal(stored.queueName, queue);
    assert.equal(stored.delay, 90);
    assert.equal((await ferry('DELETE', `/v2/schedules/${id}`)).status, 200);
  });

  it('explains key rotation before doing it', async () => {
    const before = (await ferry('GET', '/v2/keys')).json;
    await page.goto(`${env.ferryUrl}/console/#/keys`);
    await page.click('button:has-text("Rotate keys")');
    await page.waitForSelector('#confirm[open]');
    assert.match(await page.textContent('#confirm-body'), /Receivers/);
    await page.click('#confirm-cancel');
    assert.deepEqual((await ferry('GET', '/v2/keys')).json, before);
    await page.click('button:has-text("Rotate keys")');
    await page.click('#confirm-ok');
    await page.waitForSelector('.toast:has-text("Keys rotated")');
    assert.equal((await ferry('GET', '/v2/keys')).json.current, before.next);
  });
});
