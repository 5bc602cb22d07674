// Browser end-to-end tests of the lure dashboard: headless Debian Chromium
// driven by playwright-core. scripts/browser/test.sh starts the server and
// sets LURE_URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { BASE, login as logIn, newContext, shot, useBrowser } from './lib.mjs';

useBrowser();

// login signs user in starting at / (which must send an anonymous visitor
// to the login page) and watches for dialogs and page errors only, the
// tell-tales of a script from ad content that ran (the tests check
// window.__xss themselves). Viewers open forbidden pages on purpose here,
// so 4xx answers are not problems.
function login(user) {
  return logIn(user, { from: '/' });
}

test('login page rejects a wrong password', async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  await page.goto(BASE + '/login');
  await shot(page, '01-login');
  await page.fill('input[name=user]', 'analyst1');
  await page.fill('input[name=password]', 'wrong-password-here');
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  assert.match(await page.textContent('.alert'), /wrong password/);
  await ctx.close();
});

test('analyst: queue, search, ad with evidence, decision, audit entry', async () => {
  const { ctx, page, problems } = await login('analyst1');
  assert.equal(new URL(page.url()).pathname, '/');
  assert.ok(await page.locator('tr.row').count() >= 2, 'queue lists the flagged ads');
  // The time column is when the ad was posted; an ad whose site gives no
  // posting time shows its crawl time, marked.
  assert.equal(await page.locator('table.queue th', { hasText: 'Posted' }).count(), 1);
  const hostile = page.locator('tr.row[data-href="/ads/t-hostile"] td.crawled');
  assert.match(await hostile.getAttribute('title'), /no posting time/);
  assert.match(await hostile.textContent(), /\(crawled\)/);
  assert.equal(await page.locator('tr.row[data-href="/ads/t-hostess"] td.crawled').count(), 0);
  await shot(page, '02-queue');

  // Keyboard: j selects the first row, o opens it.
  await page.keyboard.press('j');
  assert.equal(await page.locator('tr.row.selected').count(), 1);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('o')]);
  assert.match(page.url(), /\/ads\//);

  // A search typed as /?q= lands on the search page.
  await page.goto(BASE + '/?q=' + encodeURIComponent('хостес'));
  assert.equal(new URL(page.url()).pathname, '/search');
  assert.equal(await page.inputValue('form.search input[name=q]'), 'хостес');

  // Full-text search with highlighting and facets.
  await page.goto(BASE + '/search?q=' + encodeURIComponent('хостес'));
  assert.ok(await page.locator('article.result').count() >= 1);
  assert.ok(await page.locator('.fragment mark').count() >= 1, 'search highlights the match');
  assert.ok(await page.locator('.facets a').count() >= 1, 'search shows facets');
  await shot(page, '03-search');

  // The ad page: evidence marked in the text, rule descriptions, entities.
  await Promise.all([page.waitForNavigation(), page.click('a[href="/ads/t-hostess"]')]);
  assert.ok(await page.locator('.adfield .text mark').count() >= 2, 'evidence is highlighted in the ad text');
  assert.ok(await page.locator('table.hits .desc').count() >= 1, 'rules carry their description');
  assert.match(await page.locator('table.hits .notcounted').first().textContent(), /^not counted: /, 'rules counted 0 say why');
  assert.match(await page.textContent('.side-col'), /\+7|79991234567/, 'analysts see the contact');
  assert.ok(await page.locator('ul.related a[href="/ads/t-dancers"]').count() === 1, 'ads sharing a phone are linked');

  // Decide with the keyboard shortcut and a note.
  await page.keyboard.press('c');
  assert.ok(await page.isChecked('input[name=status][value=confirmed]'));
  await page.fill('textarea[name=note]', 'Browser test: free visa + young women');
  await page.uncheck('input[name=then]');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Control+Enter')]);
  assert.match(await page.textContent('.ad-status'), /Confirmed risky/);
  const history = await page.textContent('ol.audit');
  assert.match(history, /analyst1/);
  assert.match(history, /Browser test: free visa/);
  await shot(page, '04-ad');
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('analyst: filters, saved search, bulk decision', async () => {
  const { ctx, page, problems } = await login('analyst1');
  await page.selectOption('select[name=site]', 'rabota.example');
  await Promise.all([page.waitForNavigation(), page.click('form.filters button[type=submit]')]);
  assert.equal(await page.locator('tr.row').count(), 2, 'site filter keeps the two rabota.example ads');
  await page.fill('form.save input[name=name]', 'rabota flagged');
  await Promise.all([page.waitForNavigation(), page.click('form.save button')]);
  await page.goto(BASE + '/');
  assert.equal(await page.locator('.saved-item a', { hasText: 'rabota flagged' }).count(), 1);
  await Promise.all([page.waitForNavigation(), page.click('.saved-item a')]);
  assert.equal(await page.locator('tr.row').count(), 2);
  // Tick both with the keyboard and escalate them in one go.
  await page.keyboard.press('j'); await page.keyboard.press('x');
  await page.keyboard.press('j'); await page.keyboard.press('x');
  await page.selectOption('.bulkbar select[name=status]', 'escalated');
  await page.fill('.bulkbar input[name=note]', 'bulk escalation');
  await Promise.all([page.waitForNavigation(), page.click('.bulkbar button')]);
  assert.equal(await page.locator('tr.row .st-escalated').count(), 2);
  await shot(page, '09-queue-after-bulk');
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('hostile ad renders inert everywhere', async () => {
  const { ctx, page, problems } = await login('analyst1');
  for (const p of ['/', '/search?q=visa', '/ads/t-hostile', '/search?q=' + encodeURIComponent('<script>')]) {
    await page.goto(BASE + p);
    await page.waitForLoadState('load');
    assert.equal(await page.evaluate(() => window.__xss), undefined, 'a payload ran on ' + p);
    assert.equal(await page.evaluate(() => parent.__xss), undefined);
  }
  // The payload is shown as text, the javascript: URL is not a link.
  await page.goto(BASE + '/ads/t-hostile');
  assert.match(await page.textContent('.adfield .text'), /<script>window.__xss=1/);
  assert.equal(await page.locator('a[href^="javascript:"]').count(), 0);
  assert.equal(await page.locator('main script, main svg, main iframe, main img').count(), 0);
  // Clicking wherever the payload's link text is does nothing.
  await page.locator('text=click').first().click();
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  await shot(page, '05-hostile-ad');
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('viewer sees statistics only: no contacts, no decisions', async () => {
  const { ctx, page, problems } = await login('viewer1');
  assert.equal(new URL(page.url()).pathname, '/stats');
  const body = await page.textContent('body');
  for (const pii of ['999', '7700', 'hostjobs', 'romashka', 'Работа хостес']) {
    assert.ok(!body.includes(pii), 'viewer page shows ' + pii);
  }
  await shot(page, '06-viewer-stats');
  const r = await page.goto(BASE + '/ads/t-hostess');
  assert.equal(r.status(), 403);
  const post = await page.request.post(BASE + '/ads/t-hostess/review', { form: { status: 'false_positive' }, maxRedirects: 0 });
  assert.equal(post.status(), 403);
  const api = await page.request.get(BASE + '/api/v1/ads/t-hostess');
  assert.equal(api.status(), 403);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('a cross-site form post is refused', async () => {
  const { ctx, page } = await login('analyst1');
  // An attacker's page on another origin that posts a decision to lure.
  const evil = http.createServer((req, res) => {
    res.setHeader('Content-Type', 'text/html');
    res.end(`<form method="post" action="${BASE}/ads/t-dancers/review">
      <input name="status" value="false_positive"><input name="note" value="csrf">
      <button id="go" type="submit">go</button></form>`);
  });
  await new Promise((ok) => evil.listen(0, '127.0.0.2', ok));
  const evilURL = `http://127.0.0.2:${evil.address().port}/`;
  try {
    await page.goto(evilURL);
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/ads/t-dancers/review')),
      page.click('#go'),
    ]);
    assert.equal(resp.status(), 403, 'cross-site post must be refused');
  } finally {
    evil.close();
  }
  await page.goto(BASE + '/ads/t-dancers');
  assert.doesNotMatch(await page.textContent('.ad-status'), /False positive/);
  assert.doesNotMatch(await page.textContent('ol.audit, p.muted'), /csrf/);
  await ctx.close();
});

test('admin: audit log and users', async () => {
  const { ctx, page, problems } = await login('admin1');
  await page.goto(BASE + '/audit?q=' + encodeURIComponent('Browser test'));
  assert.ok(await page.locator('table.audit-log tbody tr').count() >= 1, 'the decision is in the audit log');
  assert.match(await page.textContent('table.audit-log'), /analyst1/);
  await shot(page, '07-audit');
  await page.goto(BASE + '/admin/users');
  assert.match(await page.textContent('table.users'), /viewer1/);
  await shot(page, '08-users');
  // Analysts cannot reach admin pages.
  const a = await login('analyst1');
  assert.equal((await a.page.goto(BASE + '/audit')).status(), 403);
  await a.ctx.close();
  // Logout ends the session.
  await Promise.all([page.waitForNavigation(), page.click('header form[action="/logout"] button')]);
  await page.goto(BASE + '/admin/users');
  assert.match(page.url(), /\/login/);
  assert.deepEqual(problems, []);
  await ctx.close();
});
