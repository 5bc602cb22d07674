// Browser tests of the campaign statistics (viewer role): the charts
// render as inline SVG, the numbers on the page are those of
// GET /api/v1/campaign fetched in the same browser context, and no
// contact or name of the seeded ads (tests/browser/server/seed_campaign.go)
// shows anywhere. scripts/browser/test.sh starts the server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ART, BASE, login, shot, useBrowser } from './lib.mjs';

useBrowser();

// Contacts and names in the seeded campaign ads.
const PERSONAL = ['000 111', '37368000111', 'campaign_girls_job', 'campaign_sklad', 'campaign-mail', 'hr.lumina',
  'Кристин', 'Popescu', 'Олена', '000 444', '000 55 66', '000 99 11', '000 77 88', '000 333'];

function pct(rate) { return (rate * 100).toFixed(1) + '%'; }

function noPersonal(text, where) {
  for (const p of PERSONAL) assert.ok(!text.includes(p), where + ' shows ' + p);
}

test('viewer: campaign charts render and match the JSON API', async () => {
  const { ctx, page, problems } = await login('viewer1', { responses: true });
  await page.goto(BASE + '/stats');
  await Promise.all([page.waitForNavigation(), page.click('a[href="/stats/campaign"]')]);
  assert.equal(new URL(page.url()).pathname, '/stats/campaign');
  const chart = page.locator('svg#weekly-chart');
  await chart.waitFor();
  const box = await chart.boundingBox();
  assert.ok(box.width > 600 && box.height > 150, 'the weekly chart is drawn at a readable size: ' + JSON.stringify(box));

  const summary = page.locator('#campaign-summary');
  const from = await summary.getAttribute('data-from');
  const to = await summary.getAttribute('data-to');
  const api = await page.evaluate(async (q) => {
    const r = await fetch('/api/v1/campaign?' + q);
    return { status: r.status, body: await r.json() };
  }, new URLSearchParams({ from, to }).toString());
  assert.equal(api.status, 200);
  const c = api.body;

  // Default period: 12 weeks, one bar pair and one rate point each.
  assert.equal(c.weeks.length, 12);
  assert.equal(await page.locator('#weekly-chart rect.bar-total').count(), 12);
  assert.equal(await page.locator('#weekly-chart rect.bar-risky').count(), 12);
  assert.equal(await page.locator('#weekly-chart circle.pt-rate').count(), 12);
  assert.equal(await page.locator('#weekly-chart polyline.rate-line').count(), 1);
  const pts = (await page.getAttribute('#weekly-chart polyline.rate-line', 'points')).trim().split(/\s+/);
  assert.equal(pts.length, 12);

  // Summary numbers.
  assert.equal(await page.textContent('[data-key=total]'), String(c.total));
  assert.equal(await page.textContent('[data-key=risky]'), String(c.risky));
  assert.equal(await page.textContent('[data-key=rate]'), pct(c.rate));
  assert.ok(c.total >= 30, 'the seeded ads are counted: ' + c.total);
  assert.ok(c.risky > 0 && c.risky < c.total, 'risky and ordinary ads: ' + c.risky + ' of ' + c.total);

  // Every week: bar data and bar heights follow the counts.
  const weeks = await page.$$eval('#weekly-chart g.week', (gs) => gs.map((g) => ({
    week: g.dataset.week, total: +g.dataset.total, risky: +g.dataset.risky,
    hTotal: +g.querySelector('rect.bar-total').getAttribute('height'),
    hRisky: +g.querySelector('rect.bar-risky').getAttribute('height'),
  })));
  assert.deepEqual(weeks.map((w) => [w.week, w.total, w.risky]), c.weeks.map((w) => [w.week, w.total, w.risky]));
  const tallest = Math.max(...weeks.map((w) => w.total));
  for (const w of weeks) {
    assert.ok(w.hRisky <= w.hTotal + 0.01, 'risky bar taller than total in ' + w.week);
    if (w.total === tallest) assert.ok(w.hTotal > 50, 'the tallest week is drawn tall');
    if (w.total === 0) assert.equal(w.hTotal, 0);
  }

  // Every dimension table: the same rows, in the same order, with the same numbers.
  for (const [dim, rows] of Object.entries(c.by)) {
    const got = await page.$$eval(`section.dim[data-dim="${dim}"] tr.dim-row`, (trs) => trs.map((tr) => [
      tr.dataset.value, +tr.dataset.total, +tr.dataset.risky, tr.children[3].textContent.trim()]));
    assert.deepEqual(got, rows.map((r) => [r.value, r.total, r.risky, pct(r.rate)]), 'dimension ' + dim);
    if (rows.length) {
      assert.equal(await page.locator(`section.dim[data-dim="${dim}"] svg.spark`).count(), rows.length);
      assert.equal(await page.locator(`section.dim[data-dim="${dim}"] svg.spark circle.spark-pt`).count(), rows.length * 12);
    }
  }
  const regions = c.by.region.map((r) => r.value);
  for (const r of ['MD/Chișinău', 'MD/Bălți', 'UA/Kyiv', 'UA/Odesa', 'UA/Lviv']) {
    assert.ok(regions.includes(r), 'region ' + r + ' extracted: ' + regions.join(', '));
  }
  assert.ok(c.by.category.some((r) => r.value === 'hostess_entertainment'), 'categories extracted');

  noPersonal(await page.content(), '/stats/campaign');
  noPersonal(JSON.stringify(c), '/api/v1/campaign');
  await shot(page, 'campaign-01-stats');
  await page.locator('svg#weekly-chart').screenshot({ path: path.join(ART, 'campaign-02-weekly-chart.png') });

  // A preset and the CSV export fetched in the same context.
  await Promise.all([page.waitForNavigation(), page.click('form.period .presets a:has-text("4 weeks")')]);
  assert.equal(await page.locator('#weekly-chart rect.bar-total').count(), 4);
  const csv = await page.evaluate(async () => (await fetch('/stats/campaign.csv')).text());
  const lines = csv.trim().split('\n');
  assert.equal(lines[0], 'dimension,value,week,total,risky,rate');
  assert.match(lines[1], new RegExp('^all,,,' + c.total + ',' + c.risky + ','));
  noPersonal(csv, 'CSV');
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('viewer: where to aim shows growth and redacted wordings', async () => {
  const { ctx, page, problems } = await login('viewer1', { responses: true });
  await page.goto(BASE + '/stats/aim');
  await page.locator('section.aim[data-dim="site"] table.aim-table').waitFor();
  const api = await page.evaluate(async () => (await fetch('/api/v1/campaign/aim')).json());
  const rows = await page.$$eval('section.aim[data-dim="site"] tr.aim-row', (trs) => trs.map((tr) => [
    tr.dataset.value, +tr.dataset.risky, +tr.dataset.previous]));
  assert.deepEqual(rows, api.sites.map((r) => [r.value, r.risky, r.previous]));
  assert.ok(rows.length >= 2);
  const grown = api.sites.find((r) => r.previous > 0 && r.growth !== null);
  assert.ok(grown, 'a site with risky ads in both periods');
  const growthCell = await page.locator(`section.aim[data-dim="site"] tr.aim-row[data-value="${grown.value}"] td`).nth(4).textContent();
  assert.equal(growthCell.trim(), (grown.growth > 0 ? '+' : '') + pct(grown.growth));
  assert.equal(await page.locator('section.aim[data-dim="site"] svg.aim-bars rect.bar-now').count(), rows.length);
  const words = await page.$$eval('ul.wordings li', (lis) => lis.map((li) => li.textContent));
  assert.ok(words.length > 0, 'typical wordings are shown');
  noPersonal(await page.content(), '/stats/aim');
  noPersonal(JSON.stringify(api), '/api/v1/campaign/aim');
  await shot(page, 'campaign-03-aim');
  await Promise.all([page.waitForNavigation(), page.click('form.period .presets a:has-text("growth")')]);
  assert.match(page.url(), /sort=growth/);
  assert.deepEqual(problems, []);
  await ctx.close();
});
