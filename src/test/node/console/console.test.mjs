// End-to-end: the Ferry Console in headless Chromium against a real Ferry and a local destination: sign-in,
// messages, the DLQ, hostile content, the overview on a laptop and a phone, tenant isolation.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  RUN, consoleSession, env, eventually, ferry, open, screenshot, signIn,
} from './browser.mjs';

const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

describe('Ferry Console', () => {
  // every step: the page reported no error, exception, CSP violation or refused request (see consoleSession)
  const session = consoleSession({ signedIn: false });
  let browser;
  let destination;
  let watched;
  let page;
  before(() => {
    ({ browser, destination, watched, page } = session);
  });

  it('is served with a strict Content-Security-Policy and signs in with a token kept out of URLs', async () => {
    const index = await fetch(`${env.ferryUrl}/console/`);
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-security-policy'), /script-src 'self'/);
    assert.doesNotMatch(index.headers.get('content-security-policy'), /unsafe/);
    await signIn(page, env.token);
    assert.equal(await page.textContent('#who'), `tenant ${env.tenant}`);
    assert.doesNotMatch(page.url(), new RegExp(env.token));
    const stored = await page.evaluate(() => ({ session: Object.keys(sessionStorage), local: localStorage.length,
      cookie: document.cookie }));
    assert.ok(stored.session.includes('ferry.console.token'));
    assert.equal(stored.local, 0);
    assert.equal(stored.cookie, '');
    await page.waitForSelector('.tiles');
  });

  it('a wrong token is refused on the sign-in form', async () => {
    const fresh = await browser.context.newPage();
    await fresh.goto(`${env.ferryUrl}/console/`);
    await fresh.fill('#token', 'not-a-token');
    await fresh.click('form.sign-in button[type=submit]');
    await fresh.waitForSelector('.form-error:has-text("not valid")');
    await fresh.close();
  });

  it('publishes a message that fails into the DLQ, shows its response body, retries it to a healthy destination',
    async () => {
      let healthy = false;
      destination.answer('/orders', () => (healthy ? { status: 200, body: 'thanks' }
        : { status: 503, body: `order service down (${RUN})`, headers: { 'X-Reason': 'maintenance' } }));
      await open(page, 'publish');
      await page.fill('input[name=destination]', destination.url('/orders'));
      await page.fill('input[name=retries]', '0');
      await page.fill('input[name=label]', `console-${RUN}`);
      await page.fill('textarea[name=body]', `{"order": "${RUN}"}`);
      await page.fill('textarea[name=headers]', 'Content-Type: application/json\nX-Trace: t-1');
      await page.click('form.publish button[type=submit]');
      // the page follows the message: its story ends in FAILED
      await page.waitForURL(/#\/message\/msg_/);
      await page.waitForSelector('#message-state:has-text("FAILED")', { timeout: 15_000 });
      await page.waitForSelector('.timeline .response-body');
      assert.equal(await page.textContent('.timeline .response-body'), `order service down (${RUN})`);
      await screenshot(page, 'message');

      await page.click('a:has-text("Open in DLQ")');
      await page.waitForSelector('.dlq-entry');
      const entry = page.locator('.dlq-entry').first();
      await entry.locator('summary').click();
      assert.equal(await entry.locator('.response-body').textContent(), `order service down (${RUN})`);
      assert.equal(await entry.locator('.message-body').textContent(), `{"order": "${RUN}"}`);
      assert.match(await entry.locator('.response').textContent(), /X-Reason/);
      assert.match(await entry.locator('.badge').first().textContent(), /HTTP 503/);
      await screenshot(page, 'dlq');

      healthy = true;
      await entry.locator('button:has-text("Retry")').click();
      await page.waitForSelector('.toast:has-text("Retried as")');
      const retried = (await page.textContent('.toast:has-text("Retried as")')).match(/msg_\w+/)[0];
      await eventually('the retried message delivered', () => destination.at('/orders').length >= 2);
      assert.equal(destination.at('/orders')[1].body, `{"order": "${RUN}"}`);
      await page.waitForSelector('.empty:has-text("empty")');  // the entry left the DLQ

      // the messages page finds the retry by label and shows it delivered
      await page.goto(`${env.ferryUrl}/console/#/messages?label=console-${RUN}&state=DELIVERED`);
      await page.waitForSelector(`a[href="#/message/${retried}"]`);
      await screenshot(page, 'messages');
    });

  it('renders a hostile message body and response as text and runs none of it', async () => {
    destination.answer('/hostile', () => ({ status: 500, body: HOSTILE, headers: { 'X-Evil': HOSTILE } }));
    const published = await ferry('POST', `/v2/publish/${destination.url('/hostile')}`, {
      body: HOSTILE, headers: { 'Upstash-Retries': '0', 'Upstash-Forward-X-Evil': HOSTILE, 'Upstash-Label': HOSTILE },
    });
    assert.equal(published.status, 201);
    const id = published.json.messageId;
    await eventually('the hostile message in the DLQ', async () =>
      (await ferry('GET', `/v2/dlq?messageId=${id}`)).json.messages.length === 1);
    await page.goto(`${env.ferryUrl}/console/#/dlq?messageId=${id}`);
    await page.waitForSelector('.dlq-entry');
    await page.locator('.dlq-entry summary').click();
    assert.equal(await page.locator('.dlq-entry .message-body').textContent(), HOSTILE);
    assert.equal(await page.locator('.dlq-entry .response-body').textContent(), HOSTILE);
    await page.goto(`${env.ferryUrl}/console/#/message/${id}`);
    await page.waitForSelector('.timeline .response-body');
    await page.locator('.summary details summary').last().click();
    assert.equal(await page.locator('.timeline .response-body').textContent(), HOSTILE);
    await page.goto(`${env.ferryUrl}/console/#/messages?messageId=${id}`);
    await page.waitForSelector('.log-table');
    const counts = await page.evaluate(() => ({
      pwned: window.__pwned, images: document.querySelectorAll('main img').length,
      scripts: document.querySelectorAll('main script').length,
    }));
    assert.deepEqual(counts, { pwned: undefined, images: 0, scripts: 0 });
  });

  it('cancels pending messages by filter after showing how many', async () => {
    const label = `later-${RUN}`;
    for (let i = 0; i < 3; i++) {
      const r = await ferry('POST', `/v2/publish/${destination.url('/later')}`, {
        body: `later ${i}`, headers: { 'Upstash-Delay': '1h', 'Upstash-Label': label },
      });
      assert.equal(r.status, 201);
    }
    await page.goto(`${env.ferryUrl}/console/#/messages?label=${label}`);
    await page.waitForSelector('.log-table');
    await page.click('button:has-text("Cancel matching pending")');
    await page.waitForSelector('#confirm[open]');
    assert.equal(await page.textContent('#confirm-title'), 'Cancel 3 pending messages?');
    await page.click('#confirm-ok');
    await page.waitForSelector('.toast:has-text("Cancelled 3 messages")');
    assert.equal((await ferry('GET', `/ferry/v1/pending?label=${label}`)).json.pending, 0);
  });

  it('deletes DLQ entries by selection and all that match a filter, counting them first', async () => {
    const label = `dead-${RUN}`;
    destination.answer('/dead', () => ({ status: 500, body: 'dead' }));
    const ids = [];
    for (let i = 0; i < 4; i++) {
      const r = await ferry('POST', `/v2/publish/${destination.url('/dead')}`, {
        body: `dead ${i}`, headers: { 'Upstash-Retries': '0', 'Upstash-Label': label },
      });
      ids.push(r.json.messageId);
    }
    const inDlq = async () => (await ferry('GET', `/v2/dlq?label=${label}`)).json.messages.length;
    await eventually('4 entries in the DLQ', async () => (await inDlq()) === 4);
    await page.goto(`${env.ferryUrl}/console/#/dlq?label=${label}`);
    await page.waitForSelector('.dlq-entry');
    assert.equal(await page.locator('.dlq-entry').count(), 4);
    await page.locator('.dlq-entry input[type=checkbox]').nth(0).check();
    await page.locator('.dlq-entry input[type=checkbox]').nth(1).check();
    await page.click('.selection button:has-text("Delete 2")');
    assert.equal(await page.textContent('#confirm-title'), 'Delete 2 DLQ entries?');
    await page.click('#confirm-ok');
    await page.waitForSelector('.toast:has-text("Deleted 2")');
    assert.equal(await inDlq(), 2);
    await eventually('two entries left on the page', async () => (await page.locator('.dlq-entry').count()) === 2);

    await page.click('button:has-text("Delete all matching")');
    await page.waitForSelector('#confirm[open]');
    assert.equal(await page.textContent('#confirm-title'), 'Delete 2 DLQ entries?');
    assert.match(await page.textContent('#confirm-body'), new RegExp(`label = ${label}`));
    await page.click('#confirm-ok');
    await page.waitForSelector('.toast:has-text("Deleted 2")');
    assert.equal(await inDlq(), 0);
    await page.waitForSelector('.dlq-list .empty');
  });

  it('retries every DLQ entry that matches a filter to a destination that works again', async () => {
    const label = `again-${RUN}`;
    let healthy = false;
    destination.answer('/again', () => ({ status: healthy ? 200 : 502, body: healthy ? 'ok' : 'bad gateway' }));
    for (let i = 0; i < 2; i++) {
      await ferry('POST', `/v2/publish/${destination.url('/again')}`, {
        body: `again ${i}`, headers: { 'Upstash-Retries': '0', 'Upstash-Label': label },
      });
    }
    await eventually('2 entries in the DLQ', async () =>
      (await ferry('GET', `/v2/dlq?label=${label}`)).json.messages.length === 2);
    healthy = true;
    await page.goto(`${env.ferryUrl}/console/#/dlq?label=${label}`);
    await page.waitForSelector('.dlq-entry');
    await page.click('button:has-text("Retry all matching")');
    await page.waitForSelector('#confirm[open]');
    assert.equal(await page.textContent('#confirm-title'), 'Retry 2 DLQ entries?');
    await page.click('#confirm-ok');
    await page.waitForSelector('.toast:has-text("Retried 2")');
    await eventually('both delivered', () => destination.at('/again').filter((r) => r.body.startsWith('again')).length
      === 4);
    assert.deepEqual(destination.at('/again').slice(2).map((r) => r.body).sort(), ['again 0', 'again 1']);
    await page.waitForSelector('.dlq-list .empty');
  });

  it('pages through a long message log with the API cursor', async () => {
    const label = `many-${RUN}`;
    const batch = Array.from({ length: 30 }, (_, i) => ({ destination: destination.url('/many'), body: `m${i}`,
      headers: { 'Upstash-Label': label } }));
    assert.equal((await ferry('POST', '/v2/batch', { body: JSON.stringify(batch),
      headers: { 'Content-Type': 'application/json' } })).status, 200);
    await eventually('90 log entries', async () =>
      (await ferry('GET', `/v2/logs?label=${label}&count=1000`)).json.logs.length >= 90);
    await page.goto(`${env.ferryUrl}/console/#/messages?label=${label}`);
    await page.waitForSelector('.log-table');
    assert.equal(await page.locator('.log-table tbody tr').count(), 50);
    await page.click('button:has-text("Load older entries")');
    await eventually('the second page', async () => (await page.locator('.log-table tbody tr').count()) === 90);
    assert.equal(await page.locator('button:has-text("Load older entries")').count(), 0);
  });

  it('cancels one pending message from its story', async () => {
    const r = await ferry('POST', `/v2/publish/${destination.url('/story')}`, {
      body: 'wait', headers: { 'Upstash-Delay': '1h' },
    });
    const id = r.json.messageId;
    await page.goto(`${env.ferryUrl}/console/#/message/${id}`);
    await page.waitForSelector('#message-state:has-text("CREATED")');
    await page.click('button:has-text("Cancel message")');
    await page.click('#confirm-ok');
    await page.waitForSelector('#message-state:has-text("CANCELED")');
    assert.equal((await ferry('GET', `/v2/messages/${id}`)).status, 404);
  });

  it('shows the overview with this tenant\'s figures, and the other pages, on a laptop and a phone', async () => {
    await page.goto(`${env.ferryUrl}/console/#/overview`);
    await page.waitForSelector('.tiles');
    await page.waitForSelector('.chart polyline');
    const published = await page.locator('.tile', { hasText: 'Published' }).locator('.tile-value').textContent();
    assert.ok(Number(published.replace(/\D/g, '')) >= 5, `published: ${published}`);
    assert.match(await page.textContent('.overview'), /127\.0\.0\.1/);  // the failing destination host
    // messages held by a delay are pending: the tile counts them (it refreshes every 5 s)
    const before = (await ferry('GET', '/ferry/v1/overview')).json.pending;
    const held = [];
    for (let i = 0; i < 2; i++) {
      const r = await ferry('POST', `/v2/publish/${destination.url('/held')}`, {
        headers: { 'Upstash-Delay': '1h' }, body: `held ${i}` });
      assert.equal(r.status, 201, r.text);
      held.push(r.json.messageId);
    }
    const pendingTile = page.locator('.tile', { hasText: 'Pending' }).locator('.tile-value');
    await eventually(`the Pending tile showing ${before + 2}`, async () =>
      Number((await pendingTile.textContent()).replace(/\D/g, '')) === before + 2, 12_000);
    await screenshot(page, 'overview');
    for (const id of held) assert.equal((await ferry('DELETE', `/v2/messages/${id}`)).status, 200);
    // a refresh that fails says so and keeps the last figures; the next good one clears the notice
    await page.route('**/ferry/v1/overview', (route) => route.fulfill({ status: 503,
      contentType: 'application/json', body: '{"error":"store unavailable"}' }));
    await page.waitForSelector('.stale:has-text("store unavailable")', { timeout: 12_000 });
    assert.match(await page.textContent('.tiles'), /Published/);
    await page.unroute('**/ferry/v1/overview');
    await page.waitForSelector('.stale', { state: 'hidden', timeout: 12_000 });
    watched.clear();  // the 503s above were the point
    for (const name of ['keys', 'publish']) {
      await open(page, name);
      await page.waitForLoadState('networkidle');
      await screenshot(page, name);
    }
    await page.setViewportSize({ width: 390, height: 844 });
    for (const name of ['overview', 'dlq', 'messages', 'queues', 'schedules', 'groups', 'flow', 'keys', 'publish']) {
      await page.goto(`${env.ferryUrl}/console/#/${name}`);
      await page.waitForSelector(`.page[data-page=${name}] h1`);
      await page.waitForLoadState('networkidle');
      if (name === 'dlq') await page.locator('.dlq-entry summary').first().click();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${name} is wider than a phone screen by ${overflow}px`);
      await screenshot(page, `phone-${name}`);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('a second tenant sees none of the first tenant\'s data', async () => {
    await page.click('#sign-out');
    await page.waitForSelector('#token');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('ferry.console.token')), null);
    await signIn(page, env.otherToken);
    assert.equal(await page.textContent('#who'), `tenant ${env.otherTenant}`);
    await page.goto(`${env.ferryUrl}/console/#/dlq`);
    await page.waitForSelector('.dlq-list .empty');
    await page.goto(`${env.ferryUrl}/console/#/messages`);
    await page.waitForSelector('.log-list .empty');
    await page.goto(`${env.ferryUrl}/console/#/queues`);
    await page.waitForSelector('.page[data-page=queues] .empty');
    await page.goto(`${env.ferryUrl}/console/#/overview`);
    await page.waitForSelector('.tiles');
    const text = await page.textContent('.overview');
    assert.doesNotMatch(text, /127\.0\.0\.1/);
    assert.doesNotMatch(text, new RegExp(RUN));
  });
});
