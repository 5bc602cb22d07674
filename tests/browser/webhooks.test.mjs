// Browser tests of the screening capability's admin page, /admin/webhooks:
// an unknown site is refused with the valid names and the form keeps what
// was typed, creating a subscription shows its secret once, disabling
// works, and the delivery log shows receivers' answers as text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, login, shot, useBrowser } from './lib.mjs';

useBrowser();

test('admin: webhook subscriptions and deliveries', async () => {
  const { ctx, page, problems } = await login('admin1');
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

  // The form names real sites (here those of the stored ads).
  assert.match(await page.locator('input[name=sites]').getAttribute('placeholder'), /^e\.g\. [a-z0-9.-]+, [a-z0-9.-]+$/);
  assert.match(await page.locator('#wh-sites-hint').textContent(), /valid sites: .*rabota\.example/);

  // An unknown site is refused with the valid names, and the form keeps
  // what was typed.
  await page.fill('input[name=name]', 'platform-b');
  await page.fill('input[name=url]', 'https://b.example/hook');
  await page.fill('input[name=sites]', 'rabota.example, doska.example');
  await page.fill('input[name=min_score]', '70');
  const [refused] = await Promise.all([page.waitForNavigation(), page.click('form[action="/admin/webhooks"] button[type=submit]')]);
  assert.equal(refused.status(), 422);
  assert.match(await page.locator('p.alert').textContent(),
    /^Not created: invalid webhook subscription: unknown site "doska\.example"; valid sites: .*rabota\.example.*\.$/);
  assert.equal(await page.locator('input[name=name]').inputValue(), 'platform-b');
  assert.equal(await page.locator('input[name=url]').inputValue(), 'https://b.example/hook');
  assert.equal(await page.locator('input[name=sites]').inputValue(), 'rabota.example, doska.example');
  assert.equal(await page.locator('input[name=min_score]').inputValue(), '70');
  assert.equal(await page.locator('table.webhooks tbody tr', { hasText: 'platform-b' }).count(), 0);
  await shot(page, 'webhooks-unknown-site');

  // Create one: the secret is shown once.
  await page.fill('input[name=sites]', 'rabota.example');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/admin/webhooks"] button[type=submit]')]);
  const secret = (await page.locator('.secret code').textContent()).trim();
  assert.match(secret, /^whsec_[A-Za-z0-9_-]{40,}$/);
  await shot(page, 'webhooks-created');
  await page.goto(BASE + '/admin/webhooks');
  assert.ok(!(await page.content()).includes(secret), 'the secret is shown only once');

  // Disable it.
  const row = page.locator('table.webhooks tbody tr', { hasText: 'platform-b' });
  await Promise.all([page.waitForNavigation(), row.locator('button', { hasText: 'Disable' }).click()]);
  assert.equal(await page.locator('table.webhooks tbody tr', { hasText: 'platform-b' }).locator('.warn').textContent(), 'disabled');
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('analyst: no webhooks page', async () => {
  const { ctx, page } = await login('analyst1');
  const resp = await page.goto(BASE + '/admin/webhooks');
  assert.equal(resp.status(), 403);
  await ctx.close();
});
