// Browser tests of takedown notices: drafting from confirmed ads, the
// notice page with hostile ad text inert, lifecycle buttons, exports and
// the printable page. The test node sets no notifier, so sending is
// refused with the reason.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.LURE_URL;
const PASSWORD = 'browser-test-password';
const ART = path.join(path.dirname(new URL(import.meta.url).pathname), 'artifacts');
fs.mkdirSync(ART, { recursive: true });

let browser;
before(async () => {
  assert.ok(BASE, 'LURE_URL must be set (run scripts/browser/test.sh)');
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--no-first-run'],
  });
});
after(async () => { if (browser) await browser.close(); });

async function login(user) {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await ctx.newPage();
  const ran = [];
  page.on('dialog', async (d) => { ran.push('dialog: ' + d.message()); await d.dismiss(); });
  page.on('pageerror', (e) => ran.push('pageerror: ' + e.message));
  // Anything the page loads must exist (the browser's own favicon probe
  // aside): a CSP-blocked or missing asset shows up here.
  page.on('response', (r) => { if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) ran.push(r.status() + ' ' + r.url()); });
  page.on('console', (m) => { if (m.type() === 'error' && !/favicon|status of 404/.test(m.text())) ran.push('console: ' + m.text()); });
  await page.goto(BASE + '/login');
  await page.fill('input[name=user]', user);
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  assert.doesNotMatch(page.url(), /\/login/, 'login failed for ' + user);
  return { ctx, page, ran };
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(ART, name + '.png'), fullPage: true });
}

test('analyst drafts notices, reads one, exports it and withdraws it', async () => {
  const { ctx, page, ran } = await login('analyst1');
  await page.goto(BASE + '/notices');
  assert.match(await page.textContent('.notice-warn'), /not set/);
  await Promise.all([page.waitForNavigation(), page.click('form.notice-draft button')]);
  assert.match(await page.textContent('.notice-flash'), /notices drafted/);
  await shot(page, 'notices-01-list');

  await Promise.all([page.waitForNavigation(), page.click('table.notices tr:has-text("platform.example") a')]);
  assert.match(page.url(), /\/notices\/\d+$/);
  const id = page.url().split('/').pop();
  assert.equal(await page.locator('article.notice-item').count(), 2);
  assert.match(await page.textContent('main'), /bona fide belief/);
  assert.match(await page.textContent('.notice-warn'), /missing notifier name/);
  // The hostile ad's text is shown, not run.
  assert.match(await page.textContent('main'), /<script>window.__xss=1/);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.ok(await page.locator('button[value=sent][disabled]').count() === 1, 'send is disabled without a notifier');
  await shot(page, 'notices-02-notice');

  // Exports answer, and the printable page hides the menus when printed.
  for (const p of ['.json', '.csv', '/email.txt']) {
    const r = await page.request.get(BASE + '/notices/' + id + p);
    assert.equal(r.status(), 200, p);
    assert.match(await r.text(), /bona fide belief/, p);
  }
  await page.goto(BASE + '/notices/' + id + '/print');
  assert.match(await page.textContent('.notice-print'), /Notice of illegal content/);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('header.top').isVisible(), false, 'menus hidden in print');
  assert.equal(await page.locator('.no-print').isVisible(), false);
  await shot(page, 'notices-03-print');
  await page.emulateMedia({ media: 'screen' });
  assert.equal(await page.evaluate(() => window.__xss), undefined);

  // Withdraw with a note; the history shows it.
  await page.goto(BASE + '/notices/' + id);
  await page.fill('form.notice-lifecycle textarea[name=note]', 'duplicate of an earlier report');
  await Promise.all([page.waitForNavigation(), page.click('button[value=withdrawn]')]);
  assert.match(await page.textContent('#history + ol'), /draft → withdrawn: duplicate of an earlier report/);
  assert.match(await page.textContent('h1 .nstatus'), /withdrawn/);
  assert.deepEqual(ran, []);
  await ctx.close();
});

test('viewers cannot see notices', async () => {
  const { ctx, page } = await login('viewer1');
  const r = await page.goto(BASE + '/notices');
  assert.equal(r.status(), 403);
  assert.equal(await page.locator('a[href="/notices"]').count(), 0, 'no Notices link for viewers');
  await ctx.close();
});
