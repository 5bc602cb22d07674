import { chromium } from 'playwright-core';
import fs from 'node:fs';
const BASE = process.env.BASE, PW = process.env.PW, pages = process.argv.slice(2);
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-background-networking'] });
const ctx = await b.newContext({ viewport: { width: 1366, height: 900 } });
const p = await ctx.newPage();
p.on('pageerror', e => console.log('pageerror', e.message));
p.on('console', m => { if (m.type() === 'error') console.log('console', m.text()); });
await p.goto(BASE + '/login');
await p.fill('input[name=user]', 'admin'); await p.fill('input[name=password]', PW);
await Promise.all([p.waitForNavigation(), p.click('button[type=submit]')]);
for (const path of pages) {
  const r = await p.goto(BASE + path);
  const name = path.replace(/[^a-z0-9]+/gi, '_');
  await p.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: !process.env.TOP });
  console.log(path, r.status(), (await p.title()));
}
await b.close();
