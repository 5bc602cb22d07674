// Browser tests of takedown notices: drafting from confirmed ads, the
// notice page with hostile ad text inert, lifecycle buttons, exports and
// the printable page. The test node sets no notifier, so sending is
// refused with the reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, login, shot, useBrowser } from './lib.mjs';

useBrowser();

test('analyst drafts notices, reads one, exports it and withdraws it', async () => {
  // Anything the page loads must exist and the console stays clean: a
  // CSP-blocked or missing asset shows up in problems.
  const { ctx, page, problems } = await login('analyst1', { responses: true, consoleErrors: true });
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
  // Addressed to the platform by name, with its notice form linked.
  assert.match(await page.textContent('h1'), /to Example Platform/);
  assert.match(await page.textContent('td.notice-to'), /^Example Platform, https:\/\/platform\.example\/report-illegal-content/);
  assert.equal(await page.locator('td.notice-to a[href="https://platform.example/report-illegal-content"]').count(), 1);
  // Plain words for the platform: named indicators with quotes, no rule
  // IDs, rule files or model features; and short.
  assert.ok(await page.locator('article.notice-item ul.indicators li').count() >= 2, 'indicators listed');
  const text = await page.textContent('main');
  assert.doesNotMatch(text, /\b(?:ru|en|f|c|any)\.[a-z_]{3,}|\.yaml|\bmodel\.|rule pack|risk score/);
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  assert.ok(height < 2000, `a 2-ad notice is ${height} px tall`);
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
  assert.deepEqual(problems, []);
  await ctx.close();

  // The audit log says which notice was withdrawn.
  const admin = await login('admin1');
  await admin.page.goto(BASE + '/audit?action=notice_withdrawn');
  const row = admin.page.locator('table.audit-log tbody tr').first();
  assert.match(await row.textContent(), new RegExp(`notice_withdrawn · notice #${id} to platform\\.example`));
  assert.equal(await row.locator(`a[href="/notices/${id}"]`).count(), 1);
  await admin.ctx.close();
});

test('viewers cannot see notices', async () => {
  const { ctx, page } = await login('viewer1');
  const r = await page.goto(BASE + '/notices');
  assert.equal(r.status(), 403);
  assert.equal(await page.locator('a[href="/notices"]').count(), 0, 'no Notices link for viewers');
  await ctx.close();
});
