// Shared pieces of the console's browser tests: the environment, headless Chromium driven by playwright-core, a
// destination whose answers a test sets, and a watch on everything the page reports (console errors, uncaught
// exceptions, Content-Security-Policy violations).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before } from 'node:test';
import { chromium } from 'playwright-core';

export const env = (() => {
  const missing = ['FERRY_URL', 'CONSOLE_TOKEN', 'CONSOLE_OTHER_TOKEN'].filter((n) => !process.env[n]);
  if (missing.length > 0) {
    throw new Error(`missing environment variables: ${missing.join(', ')} (ConsoleBrowserTest sets them)`);
  }
  return {
    ferryUrl: process.env.FERRY_URL.replace(/\/$/, ''),
    token: process.env.CONSOLE_TOKEN,
    otherToken: process.env.CONSOLE_OTHER_TOKEN,
    tenant: process.env.CONSOLE_TENANT ?? 'a',
    otherTenant: process.env.CONSOLE_OTHER_TENANT ?? 'b',
    chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    screenshots: process.env.SCREENSHOT_DIR ?? path.resolve('..', '..', '..', 'target', 'console-screenshots'),
  };
})();

export const WAIT_MS = 15_000;

/** Unique per test file, so names never collide with another file's or an earlier run's. */
export const RUN = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until {@code probe} returns something truthy; fails naming {@code what} past the deadline. */
export async function eventually(what, probe, timeoutMs = WAIT_MS) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** Calls the API directly (to set up or check what the page did). */
export async function ferry(method, pathAndQuery, { token = env.token, body, headers } = {}) {
  const res = await fetch(env.ferryUrl + pathAndQuery, {
    method, body, headers: { Authorization: `Bearer ${token}`, ...headers },
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? safeJson(text) : null, text };
}

function safeJson(text) {
  try { return JSON.parse(text); } catch { return null; }
}

/** Headless Chromium with a fresh profile; the caller closes it. */
export async function launch() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-console-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: env.chromium,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * A page that records what would show a broken console: console errors and warnings, uncaught exceptions, CSP
 * violations, failed requests for the console's own files. {@code problems()} lists them.
 */
export async function watchedPage(context) {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console.${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
  });
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return { page, problems: () => problems.slice(), clear: () => problems.splice(0) };
}

/** Signs in on the console with {@code token}. */
export async function signIn(page, token) {
  await page.goto(`${env.ferryUrl}/console/`);
  await page.fill('#token', token);
  await page.click('form.sign-in button[type=submit]');
  await page.waitForSelector('#nav:not([hidden])');
}

/** Opens a page from the navigation and waits until it is the one shown. */
export async function open(page, name) {
  await page.click(`#nav a[data-page=${name}]`);
  await page.waitForSelector(`.page[data-page=${name}] h1`);
}

export async function screenshot(page, name) {
  fs.mkdirSync(env.screenshots, { recursive: true });
  await page.evaluate(() => document.querySelectorAll('.toast').forEach((t) => t.remove()));
  await page.screenshot({ path: path.join(env.screenshots, `${name}.png`), fullPage: true });
}

/**
 * A destination on 127.0.0.1:0. {@code answer(path)} decides each reply ({status, body, headers}); every request is
 * recorded, with the time it arrived ({@code receivedAt}, ms).
 */
export async function startDestination() {
  const requests = [];
  const answers = new Map();
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const p = req.url.split('?')[0];
      requests.push({ path: p, method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString(),
        receivedAt: Date.now() });
      const a = (answers.get(p) ?? (() => ({})))();
      res.writeHead(a.status ?? 200, { 'Content-Type': 'text/plain', ...a.headers });
      res.end(a.body ?? 'ok');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    base,
    url: (p) => base + p,
    answer: (p, fn) => answers.set(p, fn),
    at: (p) => requests.filter((r) => r.path === p),
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

/**
 * Registers the hooks every console suite shares, in the calling describe: a destination, a browser and a watched
 * page before the tests (signed in with the tenant's token unless signedIn is false); after every test, the page
 * must have reported no error, exception, CSP violation or refused request; at the end, both are closed. Returns
 * the live session: its fields are set once the before hook has run.
 */
export function consoleSession({ signedIn = true } = {}) {
  const session = {};
  before(async () => {
    session.destination = await startDestination();
    session.browser = await launch();
    session.watched = await watchedPage(session.browser.context);
    session.page = session.watched.page;
    if (signedIn) await signIn(session.page, env.token);
  });
  afterEach(() => {
    assert.deepEqual(session.watched.clear(), []);
  });
  after(async () => {
    await session.browser?.close();
    await session.destination?.close();
  });
  return session;
}
