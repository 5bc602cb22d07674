// Browser tests of recruiter networks: the list, a network page with its
// representative ad, graph and timeline under the strict CSP, the link
// from an ad page, and a decision for the whole network.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, login, shot, useBrowser } from './lib.mjs';

useBrowser();

test('analyst: networks list, network page, ad link, whole-network decision', async () => {
  const { ctx, page, problems } = await login('analyst1', { csp: true });
  await page.goto(BASE + '/clusters');
  assert.equal(await page.locator('nav a.active').textContent(), 'Networks');
  const link = page.locator('table.clusters a[href="/clusters/t-net-a"]').first();
  assert.equal(await link.count(), 1, 'the seeded network is listed');
  await shot(page, 'network-01-list');

  await Promise.all([page.waitForNavigation(), link.click()]);
  assert.match(await page.textContent('h1'), /4 linked ads/);
  assert.ok(await page.locator('.rep mark.vary').count() >= 1, 'varying words are marked');
  const title = await page.locator('.rep mark.vary').first().getAttribute('title');
  assert.match(title, /elsewhere|missing/);
  assert.equal(await page.locator('svg.netgraph circle').count(), 4, 'one node per ad');
  assert.ok(await page.locator('svg.netgraph line.use').count() >= 2, 'ads link to the shared phone');
  assert.ok(await page.locator('svg.netgraph line.tmpl').count() >= 1, 'near-duplicate text is drawn');
  // Every node carries a visible label: ads their title, site and city
  // (distinct, not on top of each other), the contact its redacted kind and
  // its number in the contact list.
  const adLabels = page.locator('svg.netgraph text.adlabel');
  assert.equal(await adLabels.count(), 4, 'one label per ad');
  const boxes = [];
  const texts = new Set();
  for (const l of await adLabels.all()) {
    assert.ok(await l.isVisible(), 'ad label is visible');
    texts.add(await l.textContent());
    boxes.push(await l.boundingBox());
  }
  assert.equal(texts.size, 4, 'ad labels tell the ads apart: ' + [...texts].join(' | '));
  const svgBox = await page.locator('svg.netgraph').boundingBox();
  for (const [i, b] of boxes.entries()) {
    assert.ok(b.x >= svgBox.x && b.y >= svgBox.y && b.x + b.width <= svgBox.x + svgBox.width && b.y + b.height <= svgBox.y + svgBox.height, 'label inside the graph');
    for (const c of boxes.slice(i + 1)) {
      assert.ok(b.x + b.width <= c.x || c.x + c.width <= b.x || b.y + b.height <= c.y || c.y + c.height <= b.y, 'ad labels do not overlap');
    }
  }
  const contactLabels = page.locator('svg.netgraph text.contactlabel');
  assert.ok(await contactLabels.count() >= 1, 'contacts are labelled');
  for (const l of await contactLabels.all()) {
    assert.ok(await l.isVisible(), 'contact label is visible');
    const t = await l.textContent();
    assert.match(t, /^\[(phone|email|handle|link)\] \d+$/, 'contact label is redacted: ' + t);
  }
  assert.doesNotMatch(await page.locator('svg.netgraph text').allTextContents().then((a) => a.join(' ')), /9995550011/);
  assert.ok(await page.locator('svg.timeline rect').count() >= 1);
  assert.ok(await page.locator('table.netfeatures tr').count() === 5, 'the five network features (partner knowledge included) are explained');
  await shot(page, 'network-02-cluster');

  // The ad page links to its network, next to (not inside) the ad's own score.
  await page.goto(BASE + '/ads/t-net-c');
  assert.equal(await page.locator('a.netbox[href="/clusters/t-net-a"]').count(), 1);
  assert.equal(await page.locator('#network').count(), 1);

  // One decision for the whole network.
  await page.goto(BASE + '/clusters/t-net-a');
  await page.check('#decide input[name=status][value=confirmed]');
  await page.fill('#decide textarea[name=note]', 'same template and phone');
  await Promise.all([page.waitForNavigation(), page.click('#decide button[type=submit]')]);
  assert.match(page.url(), /\/clusters\/t-net-a#decide$/);
  assert.equal(await page.locator('table.ads .rstatus.st-confirmed').count(), 4);
  assert.equal(await page.locator('table.netfeatures tr.fired code', { hasText: 'confirmed' }).count(), 1);
  await page.goto(BASE + '/ads/t-net-x');
  await page.goto(BASE + '/clusters?sort=risk');
  assert.equal(await page.evaluate(() => window.__xss), undefined, 'no script from ad content ran');
  assert.deepEqual(problems, []);
  await ctx.close();
});

// After the whole-network decision above, the confirmed ads' contacts and
// template are indicators an admin can share with partners.
test('admin: share the confirmed network\'s indicators as a MISP event, contacts hashed', async () => {
  const { ctx, page, problems } = await login('admin1', { csp: true });
  await page.click('nav a[href="/admin/indicators"]');
  assert.equal(await page.locator('nav a.active').textContent(), 'Indicators');
  assert.match(await page.textContent('main'), /HMAC-SHA256/);
  await page.selectOption('select[name=format]', 'misp');
  await page.selectOption('select[name=tlp]', 'green');
  await shot(page, 'network-03-indicators');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('form.panel button[type=submit]')]);
  assert.match(download.suggestedFilename(), /^lure-indicators-\d{8}\.misp\.json$/);
  const chunks = [];
  for await (const c of await download.createReadStream()) chunks.push(c);
  const text = Buffer.concat(chunks).toString('utf8');
  const event = JSON.parse(text).Event;
  assert.ok(event.Attribute.length >= 1, 'the confirmed network gives indicators');
  assert.ok(event.Tag.some((t) => t.name === 'tlp:green'));
  assert.doesNotMatch(text, /9995550011/, 'no plain phone number in a default export');
  await page.goto(BASE + '/audit?q=indicators_export');
  assert.match(await page.textContent('table.audit-log'), /indicators_export/);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('viewer cannot open networks', async () => {
  const { ctx, page } = await login('viewer1');
  const resp = await page.goto(BASE + '/clusters');
  assert.equal(resp.status(), 403);
  await ctx.close();
});
