#!/usr/bin/env node
// MapLibre GL JS (web/node_modules/maplibre-gl) in Debian's Chromium draws
// our vector tiles with our own style as served by /styles/{style}.json:
// the style loads without errors, every vector tile request answers 200,
// and the map holds rendered countries, regions and sites with their
// attributes.
//
//   node tests/features/maplibre_test.mjs path/to/sahelmap [path/to/sahelmap_placed_labels]
//
// With the second program (tests/tools/placed_labels.cpp), the labels
// MapLibre places are compared with the labels our raster tiles place over
// the same view: the country names and capitals ours show, MapLibre shows,
// each once, and most other labels agree.
//
// Exit 0 on success, 1 on failure, 77 (skip) when Chromium, playwright-core
// or maplibre-gl is missing (deploy/web.sh installs them).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';
const here = path.dirname(fileURLToPath(import.meta.url));
const webRoot = path.resolve(here, '..', '..', 'web');
const chromiumPath = '/usr/bin/chromium';

function skip(msg) { console.log(`SKIP: ${msg}`); process.exit(77); }
function fail(msg) { console.error(`FAIL: ${msg}`); process.exitCode = 1; throw new Error(msg); }

const binary = process.argv[2];
const placedLabelsBinary = process.argv[3];
if (!binary) { console.error('usage: node maplibre_test.mjs path/to/sahelmap'); process.exit(2); }
if (!fs.existsSync(chromiumPath)) skip(`${chromiumPath} is missing`);
if (!fs.existsSync(path.join(webRoot, 'node_modules', 'maplibre-gl', 'dist', 'maplibre-gl.js')))
  skip(`${webRoot}/node_modules has no maplibre-gl: run deploy/web.sh`);
let chromium;
try {
  ({ chromium } = createRequire(path.join(webRoot, 'package.json'))('playwright-core'));
} catch (e) {
  skip(`playwright-core is not installed in ${webRoot}/node_modules`);
}

let server = null;
const serverLog = [];
function startServer() {
  return new Promise((resolve, reject) => {
    server = spawn(binary, ['serve', '--bind', '127.0.0.1', '--port', '0', '--web-root', webRoot, '--log-level', 'warn'],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no 'listening on' line within 30 s:\n${out}`)), 30_000);
    server.stdout.setEncoding('utf8');
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    server.stderr.setEncoding('utf8');
    server.stderr.on('data', (c) => serverLog.push(c));
    server.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n${out}${serverLog.join('')}`)); });
  });
}

async function run() {
  const base = await startServer();
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sahelmap-maplibre-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    // WebGL from the software rasteriser: no GPU on test machines.
    args: ['--headless', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist',
           '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 800, height: 600 }
  });
  try {
    context.setDefaultTimeout(30_000);
    const offLoopback = [];
    await context.route((url) => !['127.0.0.1', 'localhost'].includes(url.hostname) && url.protocol !== 'data:' && url.protocol !== 'blob:',
      (route) => { offLoopback.push(route.request().url()); return route.abort(); });
    const page = context.pages()[0] || await context.newPage();
    const tiles = [];
    const pageErrors = [];
    page.on('response', (r) => { if (/\/tiles\/vector\/\d+\/\d+\/\d+\.mvt/.test(r.url())) tiles.push(`${r.status()} ${r.url()}`); });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));

    await page.goto(`${base}/static/vector.html?style=default&time=2025-06-01`, { waitUntil: 'load' });
    try {
      await page.waitForFunction(() => document.body.getAttribute('data-idle') === 'yes', null, { timeout: 60_000, polling: 200 });
    } catch (e) {
      const errors = await page.evaluate(() => window.sahelmapVector ? window.sahelmapVector.errors : ['no map']);
      fail(`the map did not become idle within 60 s; map errors: ${errors.join('; ')}; page errors: ${pageErrors.join('; ')}`);
    }
    // Canvas pixels in open fills of this view (no label, icon or border on them in either renderer).
    const FILL_PIXELS = [[750, 300], [100, 150], [650, 450], [560, 150], [60, 200], [650, 290]];
    const state = await page.evaluate((FILL_PIXELS) => {
      const { map, errors } = window.sahelmapVector;
      const rendered = (layer) => map.queryRenderedFeatures({ layers: [layer] });
      const sites = rendered('sites').map((f) => f.properties);
      const canvas = map.getCanvas();
      const gl = canvas.getContext('webgl2') || canvas.getContext('webgl');
      const px = new Uint8Array(4);
      const colours = new Set();
      for (let y = 20; y < canvas.height; y += 40)
        for (let x = 20; x < canvas.width; x += 40) {
          gl.readPixels(x, y, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
          colours.add(px.join(','));
        }
      // The canvas at the side-by-side points, read while this frame is on it.
      const drawnAt = window.sahelmapVector.shownAt(FILL_PIXELS);
      const labels = [...new Set(rendered('country-labels').map((f) => String(f.properties.name || '').toUpperCase()))];
      const siteIcons = rendered('sites').length;
      const ghosts = rendered('sites-ended').map((f) => f.properties);
      return {
        errors,
        labels,
        siteIcons,
        ghosts,
        drawnAt,
        countries: rendered('countries').length,
        regions: rendered('regions-outline').length,
        sites,
        sources: Object.keys(map.getStyle().sources),
        colours: colours.size
      };
    }, FILL_PIXELS);
    const shot = process.env.SAHELMAP_SCREENSHOT || path.join(os.tmpdir(), 'sahelmap-maplibre.png');
    await page.screenshot({ path: shot });
    console.log(`screenshot: ${shot}`);
    console.log(`vector tiles: ${tiles.length}; countries ${state.countries}, region outlines ${state.regions}, sites ${state.sites.length}, ${state.colours} distinct sampled colours`);
    if (state.errors.length) fail(`MapLibre reported errors: ${state.errors.join('; ')}`);
    if (pageErrors.length) fail(`page errors: ${pageErrors.join('; ')}`);
    if (offLoopback.length) fail(`requests left loopback: ${offLoopback.join(', ')}`);
    if (!tiles.length) fail('MapLibre fetched no vector tile');
    const bad = tiles.filter((t) => !t.startsWith('200 '));
    if (bad.length) fail(`vector tile requests failed: ${bad.join(', ')}`);
    if (!tiles.every((t) => t.includes('time=2025-06-01'))) fail(`tile URLs lost the date: ${tiles[0]}`);
    if (state.countries < 1 || state.regions < 1) fail('no countries or regions were drawn');
    if (state.sites.length < 1) fail('no sites were drawn');
    if (!state.sites.every((p) => typeof p.actor === 'string' && typeof p.name === 'string')) fail('sites lost their attributes');
    // Valid on 2025-06-01: no French base (they left in 2022-2023), Africa Corps present.
    if (state.sites.some((p) => p.actor === 'france')) fail('a French site is drawn on 2025-06-01');
    if (!state.sites.some((p) => p.actor === 'russia_africa_corps')) fail('no Africa Corps site is drawn on 2025-06-01');
    if (state.colours < 3) fail(`the canvas looks blank (${state.colours} colours)`);
    // Text and icons: our glyph ranges and sprite were loaded and used.
    for (const name of ['MALI', 'NIGER']) if (!state.labels.includes(name)) fail(`MapLibre placed no '${name}' label (placed: ${state.labels.join(', ')})`);
    if (state.siteIcons < 1) fail('no site icon was drawn');
    // The withdrawn-base ghosts, as our raster tiles draw them: French bases left before 2025-06-01, none still present.
    if (!state.ghosts.some((p) => p.actor === 'france')) fail('MapLibre draws no withdrawn French base (ghost layer)');
    if (!state.ghosts.every((p) => p.sahelmap_ended === true)) fail('a ghost is drawn for a site that has not ended');
    const glyphRequests = requests.filter((u) => u.includes('/fonts/'));
    const spriteRequests = requests.filter((u) => u.includes('/sprites/'));
    if (!glyphRequests.length) fail('MapLibre asked for no glyph range');
    if (!spriteRequests.length) fail('MapLibre asked for no sprite');

    // Side by side: the fills MapLibre draws are the fills of our raster tiles
    // at the same places (points away from labels, icons and borders).
    const compareFills = (style, drawn) => page.evaluate(async ({ style, drawn }) => {
      const { map } = window.sahelmapVector;
      // MapLibre's zoom counts 512 px tiles: our 256 px raster tiles of the same scale are one level deeper.
      const z = Math.round(map.getZoom()) + 1;
      const out = [];
      for (const { lon, lat, rgb } of drawn) {
        const n = 256 * 2 ** z;
        const wx = (lon + 180) / 360 * n;
        const s = Math.sin(lat * Math.PI / 180);
        const wy = (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * n;
        const tx = Math.floor(wx / 256), ty = Math.floor(wy / 256);
        const res = await fetch(`/tiles/${style}/${z}/${tx}/${ty}.png?time=2025-06-01`);
        const bmp = await createImageBitmap(await res.blob());
        const c = new OffscreenCanvas(256, 256).getContext('2d');
        c.drawImage(bmp, 0, 0);
        const r = c.getImageData(Math.floor(wx - tx * 256), Math.floor(wy - ty * 256), 1, 1).data;
        out.push({ lon: lon.toFixed(2), lat: lat.toFixed(2), maplibre: rgb, raster: [...r.slice(0, 3)] });
      }
      return out;
    }, { style, drawn });
    const compared = await compareFills('default', state.drawnAt);
    for (const c of compared) {
      const diff = Math.max(...c.maplibre.map((v, k) => Math.abs(v - c.raster[k])));
      console.log(`fill at ${c.lon},${c.lat}: MapLibre ${c.maplibre.join(',')} raster ${c.raster.join(',')} (max diff ${diff})`);
      if (diff > 12) fail(`at ${c.lon},${c.lat} MapLibre draws ${c.maplibre.join(',')} where our raster tile has ${c.raster.join(',')}`);
    }

    // Side by side: the labels. Ours come from the placement our tiles of
    // the same scale draw from (one zoom deeper than MapLibre's).
    if (placedLabelsBinary) {
      const view = await page.evaluate(() => {
        const { map } = window.sahelmapVector;
        const b = map.getBounds();
        const layers = map.getStyle().layers.filter((l) => l.type === 'symbol').map((l) => l.id);
        // The text each layer draws, from the feature's attributes (see styles/default.json).
        const text = (f) => {
          const p = f.properties;
          if (f.layer.id === 'country-labels') return String(p.name || '').toUpperCase();
          if (f.layer.id === 'sites') return String(p.label || '');
          if (f.layer.id === 'sites-ended') return `${p.label} (left ${p.valid_to})`;
          return String(p.name || '');
        };
        const placed = map.queryRenderedFeatures({ layers })
          .filter((f) => f.layer.id !== 'corridor-labels')
          .map((f) => ({ layer: f.layer.id, text: text(f) }));
        return { bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], zoom: map.getZoom(), placed };
      });
      const ourZoom = Math.round(view.zoom) + 1;
      const listed = await new Promise((resolve, reject) => {
        const p = spawn(placedLabelsBinary, ['default', '2025-06-01', String(ourZoom), view.bbox.join(',')],
          { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '', err = '';
        p.stdout.on('data', (c) => { out += c; });
        p.stderr.on('data', (c) => { err += c; });
        p.on('exit', (code) => code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`placed_labels exited ${code}: ${err}`)));
      });
      const key = (l) => `${l.layer}: ${l.text.split('\n')[0].trim()}`;
      const ours = new Set(listed.filter((l) => l.layer !== 'corridor-labels').map(key));
      const theirs = view.placed.map(key);
      const theirSet = new Set(theirs);
      const shared = [...ours].filter((k) => theirSet.has(k));
      console.log(`labels: ours ${ours.size} at z${ourZoom}, MapLibre ${theirSet.size} at z${view.zoom.toFixed(2)}, shared ${shared.length}`);
      console.log(`  only ours: ${[...ours].filter((k) => !theirSet.has(k)).join(' | ')}`);
      console.log(`  only MapLibre: ${[...theirSet].filter((k) => !ours.has(k)).join(' | ')}`);
      for (const k of ours)
        if ((k.startsWith('country-labels: ') || k.startsWith('places-capitals: ')) && !theirSet.has(k))
          fail(`our tiles show '${k}' and MapLibre does not`);
      for (const k of theirSet)
        if (k.startsWith('country-labels: ') && theirs.filter((t) => t === k).length > 1)
          fail(`MapLibre names '${k}' ${theirs.filter((t) => t === k).length} times`);
      if (shared.length < 0.7 * ours.size) fail(`MapLibre shows only ${shared.length} of the ${ours.size} labels our tiles show`);
      if (shared.length < 0.7 * theirSet.size) fail(`only ${shared.length} of the ${theirSet.size} labels MapLibre shows are ours`);
    }

    // The influence style: its field (our heatmap layers) drawn by MapLibre from the tiles' field cells.
    await page.goto(`${base}/static/vector.html?style=influence&time=2025-06-01`, { waitUntil: 'load' });
    await page.waitForFunction(() => document.body.getAttribute('data-idle') === 'yes', null, { timeout: 60_000, polling: 200 })
      .catch(() => fail('the influence map did not become idle within 60 s'));
    const influence = await page.evaluate((FILL_PIXELS) => {
      const { map, errors } = window.sahelmapVector;
      return {
        errors,
        cells: map.queryRenderedFeatures({ layers: ['influence-field-russia'] }).length,
        drawnAt: window.sahelmapVector.shownAt(FILL_PIXELS)
      };
    }, FILL_PIXELS);
    if (influence.errors.length) fail(`MapLibre reported errors on the influence style: ${influence.errors.join('; ')}`);
    if (influence.cells < 1) fail('MapLibre drew no influence field cell');
    await page.screenshot({ path: shot.replace(/\.png$/, '-influence.png') });
    for (const c of await compareFills('influence', influence.drawnAt)) {
      const diff = Math.max(...c.maplibre.map((v, k) => Math.abs(v - c.raster[k])));
      console.log(`influence at ${c.lon},${c.lat}: MapLibre ${c.maplibre.join(',')} raster ${c.raster.join(',')} (max diff ${diff})`);
      // Cells of 8 px against the raster's smooth interpolation: a looser bound.
      if (diff > 24) fail(`influence at ${c.lon},${c.lat}: MapLibre draws ${c.maplibre.join(',')} where our raster tile has ${c.raster.join(',')}`);
    }
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

const deadline = setTimeout(() => { console.error('FAIL: timeout'); if (server) server.kill('SIGKILL'); process.exit(1); }, 110_000);
try {
  await run();
  console.log('ok');
} catch (e) {
  if (!process.exitCode) console.error(`FAIL: ${e.message}`);
  process.exitCode = 1;
} finally {
  clearTimeout(deadline);
  if (server) { server.removeAllListeners('exit'); server.kill('SIGTERM'); }
}
