#!/usr/bin/env node
// Browser test of the viewer's evidence (issue 13): pop-ups of a known site
// and a known region with their dates, confidence and source links, by
// mouse and by keyboard, at 1280×800 and 390×844; the banner for a date
// after the evidence cut-off; the fallback notice for an unknown style; the
// legend folded on narrow screens and clear of the map's centre.
//
//   node tests/web/popup_test.mjs path/to/sahelmap
//
// Exit 0 on success, 1 on failure, 2 for a bad command line, 77 (skip) when
// Chromium or web/node_modules is missing. Screenshots go to
// $SAHELMAP_SCREENSHOT_DIR or tests/web/output/.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const webRoot = path.join(root, 'web');
const chromiumPath = '/usr/bin/chromium';
const shotDir = path.resolve(process.env.SAHELMAP_SCREENSHOT_DIR || path.join(here, 'output'));
const TOTAL_TIMEOUT_MS = 170_000; // under ctest's 180 s

// A site whose row is well sourced and dated, and a region with no site or
// corridor near the point clicked (the desert of Tombouctou, northern Mali).
const SITE_ID = 'mli_bamako_ab101_ac';
const MAP_DATE = '2025-11-01';
const REGION_POINT = { lat: 21.5, lon: -4.5 };

class Failure extends Error {}
const fail = (msg) => { throw new Failure(msg); };
const check = (cond, msg) => { if (!cond) fail(msg); };
const log = (msg) => console.log(msg);

const binary = process.argv[2];
if (!binary) {
  console.error('usage: node popup_test.mjs path/to/sahelmap');
  process.exit(2);
}
const skip = (msg) => { console.log(`SKIP: ${msg}`); process.exit(77); };
if (!fs.existsSync(chromiumPath)) skip(`${chromiumPath} is missing (apt-get install chromium)`);
if (!fs.existsSync(path.join(webRoot, 'node_modules', 'leaflet', 'dist', 'leaflet.js')))
  skip(`${webRoot}/node_modules has no leaflet: run deploy/web.sh`);
let chromium;
try {
  ({ chromium } = createRequire(path.join(webRoot, 'package.json'))('playwright-core'));
} catch (e) {
  skip(`playwright-core is not installed in ${webRoot}/node_modules: run deploy/web.sh`);
}
if (!fs.existsSync(binary)) {
  console.error(`FAIL: the server binary '${binary}' does not exist`);
  process.exit(1);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
function longDate(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}
function addDays(iso, n) { return new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10); }

// ------------------------------------------------------------ the server
const serverLog = [];
let server = null;
function startServer() {
  return new Promise((resolve, reject) => {
    server = spawn(binary, ['serve', '--bind', '127.0.0.1', '--port', '0', '--web-root', webRoot, '--log-level', 'warn'],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Failure(`the server printed no 'listening on' line within 30 s:\n${out}`)), 30_000);
    server.stdout.setEncoding('utf8');
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    server.stderr.setEncoding('utf8');
    server.stderr.on('data', (chunk) => { serverLog.push(...chunk.split('\n').filter(Boolean)); serverLog.splice(0, Math.max(0, serverLog.length - 200)); });
    server.on('error', (e) => { clearTimeout(timer); reject(new Failure(`cannot start '${binary}': ${e.message}`)); });
    server.on('exit', (code, signal) => { clearTimeout(timer); reject(new Failure(`the server exited early (code ${code}, signal ${signal})`)); });
  });
}
function stopServer() {
  return new Promise((resolve) => {
    if (!server || server.exitCode !== null || server.signalCode !== null) return resolve();
    server.removeAllListeners('exit');
    const killer = setTimeout(() => server.kill('SIGKILL'), 10_000);
    server.on('exit', () => { clearTimeout(killer); resolve(); });
    server.kill('SIGTERM');
  });
}

// ------------------------------------------------------------ helpers
const offLoopback = [];
const consoleErrors = [];

async function openPage(browser, viewport) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  context.setDefaultTimeout(30_000);
  await context.route((url) => !['127.0.0.1', 'localhost'].includes(url.hostname) && url.protocol !== 'data:', (route) => {
    offLoopback.push(route.request().url());
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(`${viewport.width}px: ${m.text()}`); });
  page.on('pageerror', (e) => consoleErrors.push(`${viewport.width}px uncaught: ${e.message}`));
  return { context, page };
}

async function goto(page, base, hash) {
  await page.goto('about:blank'); // a fresh page, not a hash change in the same one
  await page.goto(`${base}/${hash}`, { waitUntil: 'load' });
  await page.waitForFunction(() => document.body.getAttribute('data-tiles') === 'ready' &&
    document.querySelectorAll('.tiles-base img.leaflet-tile').length > 0, null, { timeout: 45_000 })
    .catch(() => fail(`the map's tiles did not load for ${hash}`));
}

async function mapCentre(page) {
  const box = await page.locator('#map').boundingBox();
  return { x: box.x + box.width / 2, y: box.y + box.height / 2, box };
}

async function popupText(page, where) {
  await page.waitForFunction(() => document.body.getAttribute('data-popup') === 'open' &&
    document.querySelector('.leaflet-popup .popup-body') &&
    !/Loading…/.test(document.querySelector('.leaflet-popup .popup-body').textContent), null, { timeout: 15_000 })
    .catch(() => fail(`${where}: no pop-up opened`));
  return page.locator('.leaflet-popup .popup-body').innerText();
}

async function checkInside(page, selector, viewport, where) {
  const b = await page.locator(selector).boundingBox();
  check(b && b.x >= 0 && b.x + b.width <= viewport.width + 1, `${where}: ${selector} is cut off horizontally (${JSON.stringify(b)} in ${viewport.width} px)`);
}

// ------------------------------------------------------------ the test
async function run() {
  const base = await startServer();
  log(`server: ${base}`);
  const browser = await chromium.launch({
    executablePath: chromiumPath, headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync']
  });
  try {
    const api = await browser.newContext();
    const data = await (await api.request.get(`${base}/data.json`)).json();
    const evidence = data.evidence_until;
    check(/^\d{4}-\d{2}-\d{2}$/.test(evidence || ''), `/data.json has no evidence_until: ${JSON.stringify(data)}`);
    const sites = await (await api.request.get(`${base}/ogc/collections/sites/items?f=json&limit=1000&datetime=${MAP_DATE}`)).json();
    const site = sites.features.find((f) => f.properties.id === SITE_ID);
    check(site, `the site ${SITE_ID} is not in the data on ${MAP_DATE}`);
    const sp = site.properties;
    const firstUrl = /(https?:\/\/[^\s)]+)/.exec(sp.source)[1];
    const [lon, lat] = site.geometry.coordinates;
    await api.close();
    fs.mkdirSync(shotDir, { recursive: true });

    for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
      const w = viewport.width;
      const { context, page } = await openPage(browser, viewport);

      // Opens on the evidence cut-off; no banner there.
      await goto(page, base, '');
      check((await page.inputValue('#date')) === evidence, `${w}px: the map opened on ${await page.inputValue('#date')}, not the evidence cut-off ${evidence}`);
      check(await page.locator('#evidence-banner').isHidden(), `${w}px: the banner shows at the cut-off itself`);

      // The legend: open on a wide screen, folded below 1000 px, and never over the centre.
      const legendOpen = await page.evaluate(() => document.getElementById('legend').open);
      check(legendOpen === (w >= 1000), `${w}px: the legend is ${legendOpen ? 'open' : 'folded'}`);
      await page.evaluate(() => { document.getElementById('legend').open = true; });
      const c = await mapCentre(page);
      const lb = await page.locator('#legend').boundingBox();
      check(!(lb.x <= c.x && c.x <= lb.x + lb.width && lb.y <= c.y && c.y <= lb.y + lb.height),
        `${w}px: the open legend covers the map's centre (${JSON.stringify(lb)}, centre ${c.x},${c.y})`);
      await page.evaluate(() => { document.getElementById('legend').open = false; });

      // A site, clicked.
      await goto(page, base, `#map=8/${lat}/${lon}&date=${MAP_DATE}&style=default&overlay=0`);
      // Where the site is drawn, as Leaflet places it in the map's box.
      const spot = await page.evaluate(([la, lo]) => {
        const p = sahelmap.map.latLngToContainerPoint([la, lo]);
        const b = document.getElementById('map').getBoundingClientRect();
        return { x: b.left + p.x, y: b.top + p.y };
      }, [lat, lon]);
      const c0 = await mapCentre(page);
      check(Math.abs(spot.x - c0.x) < 2 && Math.abs(spot.y - c0.y) < 2,
        `${w}px: the map's centre drifted from the URL's: the site is at ${spot.x},${spot.y}, the box's centre at ${c0.x},${c0.y}`);
      await page.mouse.click(spot.x, spot.y);
      let centre;
      let text = await popupText(page, `${w}px site click`);
      for (const want of [sp.name.slice(0, 20), 'Africa Corps', 'Kind', 'Status', 'Confidence', 'High', 'From',
        longDate(sp.valid_from.slice(0, 10)), 'To', 'no end reported', 'Sources'])
        check(text.toLowerCase().includes(want.toLowerCase()), `${w}px: the site pop-up lacks '${want}':\n${text}`);
      check(!text.includes('russia_africa_corps'), `${w}px: the pop-up shows the actor's code, not its name`);
      const links = await page.$$eval('.leaflet-popup .sources a', (as) => as.map((a) => a.href));
      check(links.includes(firstUrl), `${w}px: the pop-up has no link to ${firstUrl} (links: ${links.join(', ')})`);
      await checkInside(page, '.leaflet-popup-content-wrapper', viewport, `${w}px site pop-up`);
      await page.waitForTimeout(400); // Leaflet fades pop-ups in
      await page.screenshot({ path: path.join(shotDir, `popup-site-${w}.png`) });
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => !document.querySelector('.leaflet-popup'), null, { timeout: 5_000 })
        .catch(() => fail(`${w}px: Escape did not close the pop-up`));

      // The same site by keyboard: Enter on the focused map asks about its
      // centre (the pop-up panned the map: centre it again).
      await page.evaluate(([la, lo]) => sahelmap.map.setView([la, lo], 8, { animate: false }), [lat, lon]);
      await page.focus('#map');
      await page.keyboard.press('Enter');
      text = await popupText(page, `${w}px site by keyboard`);
      check(text.includes(sp.name.slice(0, 20)) && text.includes('Confidence'), `${w}px: Enter on the map gave:\n${text}`);
      const focused = await page.evaluate(() => !!document.activeElement.closest('.leaflet-popup'));
      check(focused, `${w}px: the keyboard pop-up did not take the focus`);
      await page.keyboard.press('Escape');

      // And from the list of sites.
      await page.click('#site-list summary');
      const item = page.locator(`#site-items button[data-id="${SITE_ID}"]`);
      await item.waitFor({ timeout: 10_000 }).catch(() => fail(`${w}px: the site list has no ${SITE_ID}`));
      await item.focus();
      await page.keyboard.press('Enter');
      text = await popupText(page, `${w}px site from the list`);
      check(text.includes(sp.name.slice(0, 20)), `${w}px: the list's button opened:\n${text}`);
      await page.keyboard.press('Escape');
      await page.evaluate(() => { document.getElementById('site-list').open = false; });

      // A region: its influence per bloc and the sites that weigh most.
      await goto(page, base, `#map=6/${REGION_POINT.lat}/${REGION_POINT.lon}&date=${MAP_DATE}&style=default&overlay=0`);
      centre = await mapCentre(page);
      await page.mouse.click(centre.x, centre.y);
      text = await popupText(page, `${w}px region click`);
      check(await page.locator('.leaflet-popup .top-sites').count() === 1, `${w}px: the click on the region opened:\n${text}`);
      await page.waitForFunction(() => !/Loading/.test(document.querySelector('.top-sites').textContent), null, { timeout: 10_000 });
      text = await page.locator('.leaflet-popup .popup-body').innerText();
      for (const want of ['Region', 'Dominant', 'Score', '90 % interval', 'Russia', 'Western', 'Sites that weigh most here'])
        check(text.toLowerCase().includes(want.toLowerCase()), `${w}px: the region pop-up lacks '${want}':\n${text}`);
      check(await page.locator('.leaflet-popup .scores tbody tr').count() >= 2, `${w}px: the region pop-up lists fewer than two blocs`);
      const named = await page.$$eval('.leaflet-popup .top-sites button', (bs) => bs.map((b) => b.textContent));
      check(named.some((n) => /Timbuktu/.test(n)), `${w}px: the Tombouctou region's pop-up does not name the Timbuktu site:\n${text}`);
      await checkInside(page, '.leaflet-popup-content-wrapper', viewport, `${w}px region pop-up`);
      await page.waitForTimeout(400);
      await page.screenshot({ path: path.join(shotDir, `popup-region-${w}.png`) });
      await page.keyboard.press('Escape');

      // After the cut-off: the banner.
      const after = addDays(evidence, 45);
      await goto(page, base, `#map=5/16.5/4&date=${after}&style=default&overlay=0`);
      const banner = page.locator('#evidence-banner');
      check(await banner.isVisible(), `${w}px: no banner for ${after}, after the cut-off ${evidence}`);
      const bannerText = await banner.innerText();
      check(bannerText.includes(`No reporting after ${longDate(evidence)}`), `${w}px: the banner says '${bannerText}'`);
      await checkInside(page, '#evidence-banner', viewport, `${w}px banner`);
      await page.screenshot({ path: path.join(shotDir, `banner-${w}.png`) });
      await banner.locator('button').click();
      await page.waitForFunction((e) => document.getElementById('date').value === e, evidence, { timeout: 5_000 })
        .catch(() => fail(`${w}px: the banner's button did not go to ${evidence}`));
      check(await banner.isHidden(), `${w}px: the banner stays at the cut-off`);

      // An unknown style: the default, with a notice that says so.
      await goto(page, base, `#map=5/16.5/4&date=${MAP_DATE}&style=nope&overlay=0`);
      check((await page.inputValue('#style')) === 'default', `${w}px: style=nope did not fall back to default`);
      const notice = await page.locator('#style-notice').innerText().catch(() => '');
      check(await page.locator('#style-notice').isVisible() && notice.includes('"nope"') && notice.includes('Default'),
        `${w}px: no visible notice for style=nope ('${notice}')`);
      check(await page.locator('#style option[value="influence"]').count() === 1, `${w}px: the influence style is not offered as a base map`);
      await context.close();
      log(`ok: ${w}px: site and region pop-ups (click, Enter, list), banner after ${evidence}, style notice, legend`);
    }
    check(offLoopback.length === 0, `the page tried to reach beyond loopback:\n  ${offLoopback.join('\n  ')}`);
    check(consoleErrors.length === 0, `the browser console has errors:\n  ${consoleErrors.join('\n  ')}`);
  } finally {
    await browser.close().catch(() => {});
  }
}

const watchdog = setTimeout(async () => {
  console.error(`FAIL: the test took longer than ${TOTAL_TIMEOUT_MS / 1000} s`);
  await stopServer();
  process.exit(1);
}, TOTAL_TIMEOUT_MS);

let code = 0;
try {
  await run();
} catch (e) {
  code = 1;
  console.error(`FAIL: ${e instanceof Failure ? e.message : (e && e.stack) || e}`);
  if (consoleErrors.length) console.error(`browser console errors:\n  ${consoleErrors.join('\n  ')}`);
  if (serverLog.length) console.error(`last server log lines:\n  ${serverLog.slice(-20).join('\n  ')}`);
}
await stopServer();
clearTimeout(watchdog);
if (code === 0) console.log('PASS: viewer pop-ups, evidence banner, style notice and legend in Chromium');
process.exit(code);
