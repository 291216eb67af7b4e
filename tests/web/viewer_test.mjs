#!/usr/bin/env node
// Browser test of the web viewer: starts `sahelmap serve --port 0` on
// loopback, opens the page in Debian's Chromium through playwright-core, and
// checks tiles, the date control, the timeline, the URL hash and reloading.
//
//   node tests/web/viewer_test.mjs path/to/sahelmap
//
// Exit 0 on success, 1 on failure (with the reason on stderr), 2 for a bad
// command line, 77 (skip) only when Chromium or web/node_modules is missing.
// The screenshot goes to $SAHELMAP_SCREENSHOT or tests/web/output/viewer.png.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1'; // never fetch a browser build

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const webRoot = path.join(root, 'web');
const chromiumPath = '/usr/bin/chromium';
const screenshotPath = path.resolve(process.env.SAHELMAP_SCREENSHOT || path.join(here, 'output', 'viewer.png'));
const TOTAL_TIMEOUT_MS = 110_000; // under ctest's 120 s
const TILE_TIMEOUT_MS = 45_000;

// A few rows of shared/reference/timeline.csv, served in place of
// /events.json while the server does not have that route yet.
const FIXTURE_EVENTS = [
  { date: '2021-12-23', event: "15+ Western states publicly condemn the deployment of Wagner mercenaries in Mali; Bamako admits only 'Russian trainers' (24 Dec)", countries: 'MLI', actors: 'wagner;local_forces', source: 'https://example.org/wagner (Reuters, 2022-01-07)' },
  { date: '2023-09-16', event: 'Mali, Burkina Faso and Niger sign the Liptako-Gourma Charter', countries: 'MLI;BFA;NER', actors: 'aes', source: 'https://example.org/aes (AFP, 2023-09-16)' },
  { date: '2024-07-07', event: 'US completes withdrawal from Air Base 101, Niamey', countries: 'NER', actors: 'united_states', source: 'https://example.org/ab101 (AP, 2024-07-07)' },
  { date: '2025-06-06', event: "Wagner announces it is leaving Mali ('mission accomplished'); the Africa Corps stays", countries: 'MLI', actors: 'wagner;russia_africa_corps', source: 'https://example.org/exit (AFP, 2025-06-08)' }
];

class Failure extends Error {}
const fail = (msg) => { throw new Failure(msg); };
const check = (cond, msg) => { if (!cond) fail(msg); };
const log = (msg) => console.log(msg);

function skip(msg) {
  console.log(`SKIP: ${msg}`);
  process.exit(77);
}

function pad(n) { return String(n).padStart(2, '0'); }
function localToday() {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

// ------------------------------------------------------------ preconditions
const binary = process.argv[2];
if (!binary) {
  console.error('usage: node viewer_test.mjs path/to/sahelmap');
  process.exit(2);
}
if (!fs.existsSync(chromiumPath)) skip(`${chromiumPath} is missing (apt-get install chromium)`);
if (!fs.existsSync(path.join(webRoot, 'node_modules', 'leaflet', 'dist', 'leaflet.js')))
  skip(`${webRoot}/node_modules has no leaflet: run deploy/web.sh`);
let chromium;
try {
  const require = createRequire(path.join(webRoot, 'package.json'));
  ({ chromium } = require('playwright-core'));
} catch (e) {
  skip(`playwright-core is not installed in ${webRoot}/node_modules: run deploy/web.sh (${e.message.split('\n')[0]})`);
}
if (!fs.existsSync(binary)) {
  console.error(`FAIL: the server binary '${binary}' does not exist`);
  process.exit(1);
}

// ------------------------------------------------------------ the server
const serverLog = [];
let server = null;

function startServer() {
  return new Promise((resolve, reject) => {
    server = spawn(binary, ['serve', '--bind', '127.0.0.1', '--port', '0', '--web-root', webRoot, '--log-level', 'warn'],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Failure(`the server printed no 'listening on' line within 30 s; its output:\n${out}${serverLog.join('\n')}`)), 30_000);
    server.stdout.setEncoding('utf8');
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    server.stderr.setEncoding('utf8');
    server.stderr.on('data', (chunk) => {
      serverLog.push(...chunk.split('\n').filter(Boolean));
      if (serverLog.length > 200) serverLog.splice(0, serverLog.length - 200);
    });
    server.on('error', (e) => { clearTimeout(timer); reject(new Failure(`cannot start '${binary}': ${e.message}`)); });
    server.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Failure(`the server exited early (code ${code}, signal ${signal}); its output:\n${out}${serverLog.join('\n')}`));
    });
  });
}

function stopServer() {
  return new Promise((resolve) => {
    if (!server || server.exitCode !== null || server.signalCode !== null) return resolve(server ? server.exitCode : null);
    server.removeAllListeners('exit');
    const killer = setTimeout(() => { server.kill('SIGKILL'); }, 10_000);
    server.on('exit', (code, signal) => { clearTimeout(killer); resolve(signal === 'SIGKILL' ? 'killed' : code); });
    server.kill('SIGTERM');
  });
}

// ------------------------------------------------------------ the test
const tileResponses = []; // { url, status }
const tileFailures = []; // requests that failed other than by Leaflet aborting them
let abortedTiles = 0;
const consoleErrors = [];
const offLoopback = [];
let eventsStatus = 0;

function isTile(url) { return /\/tiles\/[^/?]+\/\d+\/\d+\/\d+(@2x)?\.png/.test(url); }

function assertTilesOk(where) {
  const bad = tileResponses.filter((r) => r.status !== 200);
  check(bad.length === 0, `${where}: tile requests answered non-200:\n  ${bad.slice(0, 10).map((r) => `${r.status} ${r.url}`).join('\n  ')}`);
  check(tileFailures.length === 0, `${where}: tile requests failed:\n  ${tileFailures.slice(0, 10).join('\n  ')}`);
}

async function waitForTiles(page, { time, style, overlay = false, retina = false }, where) {
  try {
    await page.waitForFunction(({ time, style, overlay, retina }) => {
      if (document.body.getAttribute('data-tiles') !== 'ready') return false;
      const good = (img, s) => img.complete && img.naturalWidth > 0 && img.src.includes(`time=${time}`) &&
        img.src.includes(`/tiles/${s}/`) && (img.src.includes('@2x.png') === retina);
      const base = [...document.querySelectorAll('.tiles-base img.leaflet-tile')];
      if (!base.length || !base.every((i) => good(i, style))) return false;
      const over = [...document.querySelectorAll('.tiles-overlay img.leaflet-tile')];
      return overlay ? over.length > 0 && over.every((i) => good(i, 'overlay')) : over.length === 0;
    }, { time, style, overlay, retina }, { timeout: TILE_TIMEOUT_MS, polling: 100 });
  } catch (e) {
    const srcs = await page.$$eval('img.leaflet-tile', (imgs) => imgs.slice(0, 6).map((i) => `${i.complete && i.naturalWidth > 0 ? 'loaded ' : 'pending'} ${i.src}`)).catch(() => []);
    assertTilesOk(where);
    fail(`${where}: the map's tiles (style ${style}, time=${time}${overlay ? ', with overlay' : ''}) did not all load within ${TILE_TIMEOUT_MS / 1000} s; some tiles:\n  ${srcs.join('\n  ')}`);
  }
  assertTilesOk(where);
}

const hashOf = (page) => page.evaluate(() => window.location.hash);

async function run() {
  const base = await startServer();
  log(`server: ${base}`);
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sahelmap-chromium-'));
  let context = null;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
             '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 800 },
      deviceScaleFactor: 1,
      timezoneId: Intl.DateTimeFormat().resolvedOptions().timeZone
    });
    context.setDefaultTimeout(30_000);
    // Nothing may leave loopback: the viewer fetches no CDN, font or tile
    // from the internet.
    await context.route((url) => !['127.0.0.1', 'localhost'].includes(url.hostname) && url.protocol !== 'data:', (route) => {
      offLoopback.push(route.request().url());
      return route.abort();
    });
    const page = context.pages()[0] || await context.newPage();
    page.on('response', (r) => { if (isTile(r.url())) tileResponses.push({ url: r.url(), status: r.status() }); });
    page.on('requestfailed', (r) => {
      if (!isTile(r.url())) return;
      const why = (r.failure() || {}).errorText || '';
      if (/ERR_ABORTED/.test(why)) abortedTiles += 1; // Leaflet cancels tiles it no longer needs
      else tileFailures.push(`${why} ${r.url()}`);
    });
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      const where = (m.location() || {}).url || '';
      // Until the server has /events.json, the browser logs its 404; the
      // viewer handles it (empty timeline), so that one line is not an error.
      if (eventsStatus === 404 && /\/events\.json$/.test(where) && /404/.test(m.text())) return;
      consoleErrors.push(`${m.text()}${where ? ` (${where})` : ''}`);
    });
    page.on('pageerror', (e) => consoleErrors.push(`uncaught: ${e.message}`));

    const eventsResponse = await context.request.get(`${base}/events.json`);
    eventsStatus = eventsResponse.status();
    check(eventsStatus === 200 || eventsStatus === 404, `GET /events.json answered ${eventsStatus}, expected 200 or 404`);
    const serverEvents = eventsStatus === 200 ? await eventsResponse.json() : null;

    // 1. Default view: centre 16.5,4 zoom 5, the evidence cut-off of
    // /data.json (not today), default style, no overlay.
    const today = localToday();
    const dataResponse = await context.request.get(`${base}/data.json`);
    check(dataResponse.status() === 200, `GET /data.json answered ${dataResponse.status()}`);
    const evidence = (await dataResponse.json()).evidence_until;
    check(/^\d{4}-\d{2}-\d{2}$/.test(evidence || ''), `/data.json has no evidence_until date: ${evidence}`);
    await page.goto(`${base}/`, { waitUntil: 'load' });
    await waitForTiles(page, { time: evidence, style: 'default' }, 'first load');
    const first = await page.evaluate(() => ({ zoom: sahelmap.map.getZoom(), c: sahelmap.map.getCenter() }));
    check(first.zoom === 5 && Math.abs(first.c.lat - 16.5) < 1e-6 && Math.abs(first.c.lng - 4) < 1e-6,
      `default view is zoom ${first.zoom} at ${first.c.lat},${first.c.lng}, expected zoom 5 at 16.5,4`);
    const hash0 = await hashOf(page);
    check(hash0 === `#map=5/16.50/4.00&date=${evidence}&style=default&overlay=0`, `the URL hash after the first load is '${hash0}'`);
    // The legend is the style's own, drawn by the server (/legend/{style}.png), not a copy in the page.
    const legendOf = (page) => page.evaluate(() => [...document.querySelectorAll('#legend-body img.legend-image')]
      .map((i) => ({ style: i.dataset.style, src: new URL(i.currentSrc || i.src).pathname, loaded: i.complete && i.naturalWidth > 0, alt: i.alt })));
    const waitLegend = async (page, styles, where) => {
      await page.waitForFunction((styles) => {
        const imgs = [...document.querySelectorAll('#legend-body img.legend-image')];
        return imgs.length === styles.length && imgs.every((i, k) => i.dataset.style === styles[k] && i.complete && i.naturalWidth > 0);
      }, styles, { timeout: 10_000 }).catch(async () => fail(`${where}: the legend is not the server's legend of ${styles.join(' + ')}: ${JSON.stringify(await legendOf(page))}`));
    };
    await waitLegend(page, ['default'], 'first load');
    {
      const [img] = await legendOf(page);
      check(img.src === '/legend/default.png' && /Default map/.test(img.alt), `the default legend is ${JSON.stringify(img)}`);
      const served = await context.request.get(`${base}/legend/default.png`);
      check(served.status() === 200 && served.headers()['content-type'] === 'image/png', `GET /legend/default.png answered ${served.status()}`);
    }
    // The attribution names every source but stands one line tall until opened.
    {
      const box = await page.locator('.leaflet-control-attribution').boundingBox();
      check(box && box.height <= 24, `the attribution is ${box && box.height} px tall at 1280 px (at most one line)`);
    }
    await page.waitForFunction(() => /Natural Earth/.test(document.querySelector('.leaflet-control-attribution').textContent), null, { timeout: 10_000 })
      .catch(() => fail('the attribution does not name Natural Earth (TileJSON attribution missing)'));
    for (const id of ['style', 'overlay', 'date', 'slider']) {
      const labelled = await page.evaluate((id) => {
        const el = document.getElementById(id);
        return !!(el.labels && el.labels.length) || el.hasAttribute('aria-label');
      }, id);
      check(labelled, `control #${id} has no label`);
    }
    log(`ok: default view loaded, ${tileResponses.length} tile requests, all 200`);

    // 2. The timeline: the server's events, or (404) an empty timeline, then a fixture.
    await page.waitForFunction(() => document.body.hasAttribute('data-events'), null, { timeout: 10_000 });
    let events;
    if (serverEvents) {
      check(Array.isArray(serverEvents), '/events.json is not a JSON array');
      events = serverEvents;
      const marks = await page.locator('#marks .mark').count();
      const inRange = events.filter((e) => e.date >= '2016-01-01' && e.date <= today).length;
      check(marks === inRange, `the timeline shows ${marks} marks for ${inRange} events`);
      log(`ok: timeline shows the server's ${marks} events`);
    } else {
      check(await page.getAttribute('body', 'data-events') === 'unavailable', 'with /events.json at 404 the timeline should be marked unavailable');
      check(await page.locator('#marks .mark').count() === 0, 'with /events.json at 404 the timeline should be empty');
      // A local copy of the timeline (web/events.sample.json, not shipped) if
      // there is one, else a few rows kept here.
      const sample = path.join(webRoot, 'events.sample.json');
      events = fs.existsSync(sample) ? JSON.parse(fs.readFileSync(sample, 'utf8')) : FIXTURE_EVENTS;
      log(`ok: /events.json is 404 here; the viewer shows an empty timeline; serving ${events.length} ${fs.existsSync(sample) ? 'events from web/events.sample.json' : 'fixture events'} from now on`);
      await context.route('**/events.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(events) }));
      eventsStatus = 200;
      await page.reload({ waitUntil: 'load' });
      await waitForTiles(page, { time: evidence, style: 'default' }, 'reload with events');
      await page.waitForFunction((n) => document.querySelectorAll('#marks .mark').length === n, events.length, { timeout: 10_000 })
        .catch(() => fail(`the timeline did not show the ${events.length} fixture events`));
    }
    const dates = [...new Set(events.map((e) => e.date))].filter((d) => d >= '2016-01-01' && d <= today).sort();
    check(dates.length >= 2, 'need at least two dated events to test the timeline');

    // 3. The date input sets time= on every tile.
    const picked = '2023-06-15';
    let before = tileResponses.length;
    await page.fill('#date', picked);
    await waitForTiles(page, { time: picked, style: 'default' }, 'date input');
    let fresh = tileResponses.slice(before);
    check(fresh.length > 0, 'changing the date requested no new tiles');
    check(fresh.every((r) => r.url.includes(`time=${picked}`)), `tiles requested after the date change lack time=${picked}: ${fresh.find((r) => !r.url.includes(`time=${picked}`))?.url}`);
    check((await hashOf(page)).includes(`&date=${picked}&`), `the URL hash did not take the date: ${await hashOf(page)}`);
    const sliderValue = await page.inputValue('#slider');
    check(Number(sliderValue) === (Date.UTC(2023, 5, 15) - Date.UTC(2016, 0, 1)) / 86400000, `the slider did not follow the date input (value ${sliderValue})`);
    log(`ok: date input → ${fresh.length} tiles with time=${picked}, hash updated`);

    // 4. Next-event button goes to the first event after the date.
    const nextDate = dates.find((d) => d > picked);
    const prevDate = [...dates].reverse().find((d) => d < picked);
    check(nextDate && prevDate, 'fixture/server events should surround 2023-06-15');
    await page.click('#next-event');
    await waitForTiles(page, { time: nextDate, style: 'default' }, 'next event');
    check(await page.inputValue('#date') === nextDate, `next event: the date input shows ${await page.inputValue('#date')}, expected ${nextDate}`);
    const captionText = await page.textContent('#caption');
    check(events.some((e) => e.date === nextDate && captionText.includes(e.event.slice(0, 30))), `the caption does not show the event of ${nextDate}: '${captionText}'`);
    await page.click('#prev-event'); // back past the picked date
    await waitForTiles(page, { time: prevDate, style: 'default' }, 'previous event');
    log(`ok: next/previous event buttons → ${nextDate}, ${prevDate}`);

    // 5. A timeline mark shows its date and text on hover, and sets the date on click.
    const lastDate = dates[dates.length - 1];
    const mark = page.locator(`#marks .mark[data-date="${lastDate}"]`).first();
    await mark.hover();
    const tipText = await page.locator('#tip').textContent();
    check(await page.locator('#tip').isVisible() && events.some((e) => e.date === lastDate && tipText.includes(e.event.slice(0, 30))),
      `hovering the ${lastDate} mark shows no tooltip with its text ('${tipText}')`);
    await mark.click();
    await waitForTiles(page, { time: lastDate, style: 'default' }, 'timeline mark click');
    // Keyboard: one day on with the slider's arrow key.
    await page.focus('#slider');
    await page.keyboard.press('ArrowLeft');
    const dayBefore = new Date(Date.parse(`${lastDate}T00:00:00Z`) - 86400000).toISOString().slice(0, 10);
    await waitForTiles(page, { time: dayBefore, style: 'default' }, 'slider arrow key');
    log(`ok: mark tooltip and click → ${lastDate}; slider ArrowLeft → ${dayBefore}`);

    // 6. Print base with the overlay, zoomed in with the keyboard.
    before = tileResponses.length;
    await page.selectOption('#style', 'print');
    await page.check('#overlay');
    await waitForTiles(page, { time: dayBefore, style: 'print', overlay: true }, 'print + overlay');
    fresh = tileResponses.slice(before);
    check(fresh.some((r) => r.url.includes('/tiles/overlay/')) && fresh.some((r) => r.url.includes('/tiles/print/')),
      'switching to print with the overlay requested no print or overlay tiles');
    await page.focus('#map');
    await page.keyboard.press('Equal');
    await page.waitForFunction(() => window.location.hash.startsWith('#map=6/'), null, { timeout: 10_000 })
      .catch(async () => fail(`zooming in with '+' did not reach zoom 6 in the hash: ${await hashOf(page)}`));
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((h) => window.location.hash !== h, (await hashOf(page)), { timeout: 5_000 }).catch(() => {});
    await page.waitForTimeout(400); // let the pan end
    await waitForTiles(page, { time: dayBefore, style: 'print', overlay: true }, 'zoomed in');
    const shared = await hashOf(page);
    check(new RegExp(`^#map=6/[-0-9.]+/[-0-9.]+&date=${dayBefore}&style=print&overlay=1$`).test(shared), `unexpected hash for the zoomed print view: ${shared}`);
    const view = await page.evaluate(() => ({ zoom: sahelmap.map.getZoom(), c: sahelmap.map.getCenter() }));
    log(`ok: print + overlay, zoom 6: ${shared}`);

    // 7. Reloading restores zoom, centre, date, style and overlay.
    await page.reload({ waitUntil: 'load' });
    await waitForTiles(page, { time: dayBefore, style: 'print', overlay: true }, 'reload');
    const restored = await page.evaluate((before) => {
      const map = sahelmap.map, c = map.getCenter();
      // How far the centre moved, in screen pixels at this zoom (the hash
      // keeps the centre to a pixel, not to the last decimal).
      const shift = map.project(c).distanceTo(map.project(L.latLng(before.c.lat, before.c.lng)));
      return { zoom: map.getZoom(), c, shift, date: document.getElementById('date').value,
               style: document.getElementById('style').value, overlay: document.getElementById('overlay').checked,
               hash: window.location.hash };
    }, view);
    check(restored.zoom === view.zoom && restored.shift < 1,
      `reload moved the map: zoom ${restored.zoom} at ${restored.c.lat},${restored.c.lng} (${restored.shift.toFixed(1)} px off), was zoom ${view.zoom} at ${view.c.lat},${view.c.lng}`);
    check(restored.date === dayBefore && restored.style === 'print' && restored.overlay === true,
      `reload lost the controls: date ${restored.date}, style ${restored.style}, overlay ${restored.overlay}`);
    check(restored.hash === shared, `reload changed the hash: ${restored.hash} (was ${shared})`);
    log('ok: reload restored the view, date, style and overlay');

    // 8. High-DPI screens get @2x tiles.
    const hidpi = await context.newPage();
    hidpi.on('response', (r) => { if (isTile(r.url())) tileResponses.push({ url: r.url(), status: r.status() }); });
    hidpi.on('pageerror', (e) => consoleErrors.push(`uncaught (hidpi page): ${e.message}`));
    const cdp = await context.newCDPSession(hidpi);
    await cdp.send('Emulation.setDeviceMetricsOverride', { width: 800, height: 600, deviceScaleFactor: 2, mobile: false });
    before = tileResponses.length;
    await hidpi.goto(`${base}/#map=5/16.50/2.00&date=${lastDate}&style=default&overlay=0`, { waitUntil: 'load' });
    await waitForTiles(hidpi, { time: lastDate, style: 'default', retina: true }, 'high-DPI page');
    check(tileResponses.slice(before).some((r) => r.url.includes('@2x.png')), 'the high-DPI page requested no @2x tiles');
    await hidpi.close();
    log('ok: devicePixelRatio 2 → @2x tiles');

    // 8b. Compare with another date: the change tiles and the change legend; the URL keeps it; stopping restores the map.
    await page.goto(`${base}/#map=5/16.50/2.00&date=${evidence}&style=influence&overlay=0`, { waitUntil: 'load' });
    await waitForTiles(page, { time: evidence, style: 'influence' }, 'before comparing');
    await waitLegend(page, ['influence'], 'influence base map');
    before = tileResponses.length;
    await page.fill('#compare', '2021-06-01');
    await page.dispatchEvent('#compare', 'change');
    await waitForTiles(page, { time: evidence, style: 'change' }, 'comparing');
    check(tileResponses.slice(before).every((r) => !r.url.includes('/tiles/change/') || r.url.includes('compare=2021-06-01')),
      'a change tile was asked without compare=2021-06-01');
    await waitLegend(page, ['change'], 'comparing');
    const compared = await page.evaluate(() => ({ hash: window.location.hash, notice: document.getElementById('compare-notice').textContent,
      hidden: document.getElementById('compare-notice').hidden, clear: document.getElementById('compare-clear').hidden }));
    check(compared.hash.endsWith('&compare=2021-06-01'), `the hash does not keep the comparison: ${compared.hash}`);
    check(!compared.hidden && /What changed from 1 Jun 2021 to /.test(compared.notice), `the comparison notice reads '${compared.notice}'`);
    check(!compared.clear, 'no button stops comparing');
    await page.screenshot({ path: screenshotPath.replace(/\.png$/, '-compare.png') });
    await page.click('#compare-clear');
    await waitForTiles(page, { time: evidence, style: 'influence' }, 'after comparing');
    await waitLegend(page, ['influence'], 'after comparing');
    check(!(await hashOf(page)).includes('compare='), 'the hash still compares after stopping');
    log('ok: compare with 2021-06-01 → change tiles, change legend, notice and hash; stop → influence again');

    // 9. Screenshot of the default view.
    await page.goto(`${base}/`, { waitUntil: 'load' });
    await waitForTiles(page, { time: evidence, style: 'default' }, 'screenshot view');
    await page.waitForFunction(() => document.body.getAttribute('data-events') === 'ready', null, { timeout: 10_000 }).catch(() => {});
    await page.waitForTimeout(600); // Leaflet fades new tiles in over 0.2 s
    fs.mkdirSync(path.dirname(screenshotPath), { recursive: true });
    await page.screenshot({ path: screenshotPath });
    log(`ok: screenshot ${screenshotPath}`);

    assertTilesOk('end');
    check(offLoopback.length === 0, `the page tried to reach beyond loopback:\n  ${offLoopback.join('\n  ')}`);
    check(consoleErrors.length === 0, `the browser console has errors:\n  ${consoleErrors.join('\n  ')}`);
    log(`ok: ${tileResponses.length} tile responses, all 200 (${abortedTiles} cancelled by Leaflet); no console errors`);
  } finally {
    if (context) await context.close().catch(() => {});
    fs.rmSync(userDataDir, { recursive: true, force: true });
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
const serverExit = await stopServer();
clearTimeout(watchdog);
if (serverExit !== 0 && serverExit !== null) console.error(`note: the server exited with ${serverExit} after SIGTERM`);
if (code === 0) console.log('PASS: web viewer loads tiles in Chromium');
process.exit(code);
