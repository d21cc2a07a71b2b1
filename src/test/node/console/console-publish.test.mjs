// End-to-end, the publish form's options (queue, delay, URL group) and the filter forms' empty fields: what the
// form sends arrives where it should, when it should, and a cleared filter box is never sent as an empty filter.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  RUN, consoleSession, env, eventually, ferry, open,
} from './browser.mjs';

describe('Ferry Console: publish options and filters', () => {
  // every step: the page reported no error, exception, CSP violation or refused request (see consoleSession)
  const session = consoleSession();
  let destination;
  let page;
  before(() => {
    ({ destination, page } = session);
  });

  /** Fills the publish form (fields by name) and submits it. */
  async function publish(fields) {
    await open(page, 'publish');
    for (const [name, value] of Object.entries(fields)) {
      await page.fill(`form.publish [name=${name}]`, value);
    }
    await page.click('form.publish button[type=submit]');
  }

  it('publishes into the chosen queue, which holds the message until it is resumed', async () => {
    const queue = `held-${RUN}`;
    await ferry('POST', '/v2/queues', { body: JSON.stringify({ queueName: queue, paused: true }),
      headers: { 'Content-Type': 'application/json' } });
    await publish({ destination: destination.url('/queued'), queue, body: `queued ${RUN}` });
    await page.waitForURL(/#\/message\/msg_/);
    const id = decodeURIComponent(page.url().split('#/message/')[1]);
    const stored = (await ferry('GET', `/v2/messages/${id}`)).json;
    assert.equal(stored.queueName, queue);
    assert.equal((await ferry('GET', `/v2/queues/${queue}`)).json.lag, 1);
    assert.equal(destination.at('/queued').length, 0);
    assert.equal((await ferry('POST', `/v2/queues/${queue}/resume`)).status, 200);
    await eventually('the queued message delivered', async () => destination.at('/queued').length === 1);
    assert.equal(destination.at('/queued')[0].body, `queued ${RUN}`);
    await page.waitForSelector('#message-state:has-text("DELIVERED")');
  });

  it('publishes with a delay: the message does not arrive before it', async () => {
    const sent = Date.now();
    await publish({ destination: destination.url('/delayed'), delay: '3s', body: `delayed ${RUN}` });
    await page.waitForURL(/#\/message\/msg_/);
    await page.waitForSelector('#message-state');
    assert.notEqual(await page.textContent('#message-state'), 'DELIVERED');
    assert.equal(destination.at('/delayed').length, 0);
    await eventually('the delayed message delivered', async () => destination.at('/delayed').length === 1);
    const arrived = destination.at('/delayed')[0].receivedAt;
    assert.ok(arrived >= sent + 3_000, `arrived ${arrived - sent} ms after publishing, before its 3 s delay`);
    await page.waitForSelector('#message-state:has-text("DELIVERED")');
  });

  it('publishes to a URL group: one message per endpoint, each delivered', async () => {
    const group = `fanout-${RUN}`;
    for (const p of ['/g1', '/g2']) {
      const r = await ferry('POST', `/v2/topics/${group}/endpoints`, {
        body: JSON.stringify({ endpoints: [{ url: destination.url(p) }] }),
        headers: { 'Content-Type': 'application/json' } });
      assert.equal(r.status, 200, r.text);
    }
    await publish({ destination: group, body: `fan-out ${RUN}` });
    await page.waitForSelector('.toast:has-text("Published 2 messages (one per endpoint)")');
    await eventually('both endpoints called', async () =>
      destination.at('/g1').length === 1 && destination.at('/g2').length === 1);
    assert.deepEqual([destination.at('/g1')[0].body, destination.at('/g2')[0].body],
      [`fan-out ${RUN}`, `fan-out ${RUN}`]);
  });

  it('a filter that is filled, then cleared, is left out of the next search, count and cancel', async () => {
    const label = `cleared-${RUN}`;
    await ferry('POST', `/v2/publish/${destination.url('/cleared')}`, {
      body: 'x', headers: { 'Upstash-Delay': '1h', 'Upstash-Label': label } });
    await page.goto(`${env.ferryUrl}/console/#/messages`);
    await page.fill('form.filters input[name=label]', label);
    await page.click('form.filters button[type=submit]');
    await page.waitForURL(new RegExp(`label=${label}`));
    await page.waitForSelector('.log-table');
    await page.fill('form.filters input[name=label]', '   ');
    await page.click('form.filters button[type=submit]');
    await page.waitForURL(/#\/messages$/);
    await page.waitForSelector('.log-table');
    // the bulk cancel counts and asks with no filter at all, never with label=
    await page.click('button:has-text("Cancel matching pending")');
    await page.waitForSelector('#confirm[open]');
    assert.match(await page.textContent('#confirm-body'), /No filter is set/);
    await page.click('#confirm-cancel');
    // a hand-edited link with a blank filter is read as no filter: not sent to the list, the count or the cancel
    await page.goto(`${env.ferryUrl}/console/#/dlq?label=%20&responseStatus=`);
    await page.waitForSelector('.dlq-list');
    await page.waitForLoadState('networkidle');
    await page.goto(`${env.ferryUrl}/console/#/messages?label=%20`);
    await page.waitForSelector('.log-table');
    await page.click('button:has-text("Cancel matching pending")');
    await page.waitForSelector('#confirm[open]');
    assert.match(await page.textContent('#confirm-body'), /No filter is set/);
    await page.click('#confirm-cancel');
    assert.equal((await ferry('GET', `/ferry/v1/pending?label=${label}`)).json.pending, 1);  // nothing cancelled
  });
});
