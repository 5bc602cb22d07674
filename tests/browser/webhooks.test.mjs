// Browser tests of the screening capability's admin page, /admin/webhooks:
// creating a subscription shows its secret once, disabling works, and the
// delivery log shows receivers' answers as text.
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
  await page.goto(BASE + '/login');
  await page.fill('input[name=user]', user);
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  assert.doesNotMatch(page.url(), /\/login/, 'login failed for ' + user);
  return { ctx, page, ran };
}

test('admin: webhook subscriptions and deliveries', async () => {
  const { ctx, page, ran } = await login('admin1');
  await page.click('nav a[href="/admin/webhooks"]');
  await page.waitForURL(/\/admin\/webhooks$/);
  assert.equal(await page.locator('nav a.active').textContent(), 'Webhooks');
  // The seeded subscription and its failed delivery, the receiver's
  // markup shown as text.
  const rows = page.locator('table.webhooks tbody tr');
  assert.ok(await rows.filter({ hasText: 'seeded-platform' }).count() >= 2, 'subscription and delivery rows');
  assert.equal(await page.locator('td.wh-failed').first().textContent(), 'failed');
  assert.match(await page.locator('body').textContent(), /<img src=x onerror=/);
  assert.equal(await page.locator('table.webhooks img').count(), 0);
  assert.doesNotMatch(await page.content(), /whsec_seeded-secret-not-shown/);

  // Create one: the secret is shown once.
  await page.fill('input[name=name]', 'platform-b');
  await page.fill('input[name=url]', 'https://b.example/hook');
  await page.fill('input[name=sites]', 'rabota.example, doska.example');
  await page.fill('input[name=min_score]', '70');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/admin/webhooks"] button[type=submit]')]);
  const secret = (await page.locator('.secret code').textContent()).trim();
  assert.match(secret, /^whsec_[A-Za-z0-9_-]{40,}$/);
  await page.screenshot({ path: path.join(ART, 'webhooks-created.png'), fullPage: true });
  await page.goto(BASE + '/admin/webhooks');
  assert.ok(!(await page.content()).includes(secret), 'the secret is shown only once');

  // Disable it.
  const row = page.locator('table.webhooks tbody tr', { hasText: 'platform-b' });
  await Promise.all([page.waitForNavigation(), row.locator('button', { hasText: 'Disable' }).click()]);
  assert.equal(await page.locator('table.webhooks tbody tr', { hasText: 'platform-b' }).locator('.warn').textContent(), 'disabled');
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.deepEqual(ran, []);
  await ctx.close();
});

test('analyst: no webhooks page', async () => {
  const { ctx, page } = await login('analyst1');
  const resp = await page.goto(BASE + '/admin/webhooks');
  assert.equal(resp.status(), 403);
  await ctx.close();
});
