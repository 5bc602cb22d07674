// Shared setup of the browser end-to-end tests (*.test.mjs): the test
// node's address, the headless Debian Chromium they drive through
// playwright-core, logging in as a seeded user, watching a page for what
// it must never do, and screenshots. scripts/browser/test.sh starts the
// node and sets LURE_URL. This file is a module, not a test: the runner
// only picks up *.test.mjs.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

// BASE is the test node's URL (LURE_URL, set by scripts/browser/test.sh).
export const BASE = process.env.LURE_URL;

// PASSWORD is the password of every seeded user (tests/browser/server).
export const PASSWORD = 'browser-test-password';

// ART is the folder screenshots land in, tests/browser/artifacts; it is
// created when this module loads.
export const ART = path.join(path.dirname(new URL(import.meta.url).pathname), 'artifacts');
fs.mkdirSync(ART, { recursive: true });

let browser;

// useBrowser registers the calling test file's before and after hooks:
// before its tests, check LURE_URL and launch headless Chromium
// ($CHROMIUM or /usr/bin/chromium); after them, close it. Call it once at
// the top level of each test file.
export function useBrowser() {
  before(async () => {
    assert.ok(BASE, 'LURE_URL must be set (run scripts/browser/test.sh)');
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--no-first-run'],
    });
  });
  after(async () => { if (browser) await browser.close(); });
}

// newContext opens a fresh browser context (no session cookie) with
// Playwright's options, for tests that do not log in through login().
export function newContext(options) {
  return browser.newContext(options);
}

// watch starts collecting, into the array it returns, what the page must
// never do; a test ends with assert.deepEqual(problems, []). Always:
// dialogs (dismissed; alert() and friends are the XSS payloads' tell-tale)
// and uncaught page errors. On request:
//   responses:     any 4xx/5xx answer to what the page loads (the browser's
//                  own favicon probe aside): a missing or refused asset.
//                  Leave it off where a test opens forbidden pages on purpose.
//   csp:           console messages about the Content Security Policy
//                  ("Content Security Policy", "Refused to ..."), any level.
//   consoleErrors: console errors, except the favicon and the "status of
//                  404" echo of a failed load (responses reports those).
export function watch(page, { responses = false, csp = false, consoleErrors = false } = {}) {
  const problems = [];
  page.on('dialog', async (d) => { problems.push('dialog: ' + d.message()); await d.dismiss(); });
  page.on('pageerror', (e) => problems.push('pageerror: ' + e.message));
  if (responses) {
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(r.status() + ' ' + r.url());
    });
  }
  if (csp || consoleErrors) {
    page.on('console', (m) => {
      if (csp && /Content Security Policy|Refused to/i.test(m.text())) problems.push('csp: ' + m.text());
      else if (consoleErrors && m.type() === 'error' && !/favicon|status of 404/.test(m.text())) problems.push('console: ' + m.text());
    });
  }
  return problems;
}

// login signs user in with PASSWORD in a new 1366x900 context and returns
// { ctx, page, problems }: the page is where the login lands (asserted not
// to be /login), problems is watch(page, opts) started before the first
// load. opts.from is the path opened first, '/login' unless told; it must
// end on the login page (so from: '/' checks that anonymous visitors are
// sent there). The other opts are watch()'s.
export async function login(user, { from = '/login', ...opts } = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await ctx.newPage();
  const problems = watch(page, opts);
  await page.goto(BASE + from);
  assert.match(page.url(), /\/login/);
  await page.fill('input[name=user]', user);
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  assert.doesNotMatch(page.url(), /\/login/, 'login failed for ' + user);
  return { ctx, page, problems };
}

// shot saves a full-page screenshot of page as artifacts/<name>.png.
export async function shot(page, name) {
  await page.screenshot({ path: path.join(ART, name + '.png'), fullPage: true });
}
