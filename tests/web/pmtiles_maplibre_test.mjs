#!/usr/bin/env node
// A seeded .pmtiles file on a static host: nginx on loopback serves it (and
// the page, MapLibre GL JS and the pmtiles protocol) with plain range
// requests; MapLibre in Debian's Chromium draws it through pmtiles://. The
// canvas must show the seeded tiles' own pixels where they lie, and every
// read of the archive must be a 206 range answer.
//
//   node tests/web/pmtiles_maplibre_test.mjs path/to/sahelmap
//
// Exit 0 on success, 1 on failure, 2 for a bad command line, 77 (skip)
// when Chromium, nginx, sqlite3 or the npm packages are missing.
import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';
const here = path.dirname(fileURLToPath(import.meta.url));
const webRoot = path.resolve(here, '..', '..', 'web');
const modules = path.join(webRoot, 'node_modules');
const chromiumPath = '/usr/bin/chromium';
const nginxPath = '/usr/sbin/nginx';
const ZOOM = 6; // seeded 0-ZOOM; the view shows four tiles of ZOOM at their own 256 px

function skip(msg) { console.log(`SKIP: ${msg}`); process.exit(77); }
class Failure extends Error {}
function fail(msg) { throw new Failure(msg); }

const binary = process.argv[2];
if (!binary) { console.error('usage: node pmtiles_maplibre_test.mjs path/to/sahelmap'); process.exit(2); }
if (!fs.existsSync(chromiumPath)) skip(`${chromiumPath} is missing`);
if (!fs.existsSync(nginxPath)) skip(`${nginxPath} is missing (apt-get install nginx)`);
for (const f of ['maplibre-gl/dist/maplibre-gl.js', 'maplibre-gl/dist/maplibre-gl.css', 'pmtiles/dist/pmtiles.js'])
  if (!fs.existsSync(path.join(modules, f))) skip(`${modules}/${f} is missing: run deploy/web.sh`);
try { execFileSync('sqlite3', ['-version']); } catch { skip('sqlite3 is not installed'); }
let chromium;
try { ({ chromium } = createRequire(path.join(webRoot, 'package.json'))('playwright-core')); } catch { skip('playwright-core is missing'); }

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

function tileCorner(x, y, z) { // lon/lat of a tile's north-west corner
  const n = 2 ** z;
  const lon = (x / n) * 360 - 180;
  const lat = (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI;
  return [lon, lat];
}

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="stylesheet" href="/maplibre-gl.css">
<style>html,body{margin:0} #map{width:512px;height:512px}</style></head>
<body><div id="map"></div>
<script src="/maplibre-gl.js"></script><script src="/pmtiles.js"></script>
<script>
  const params = new URLSearchParams(location.search);
  const protocol = new pmtiles.Protocol();
  maplibregl.addProtocol('pmtiles', protocol.tile);
  const errors = [];
  const map = new maplibregl.Map({
    container: 'map',
    style: { version: 8, sources: { sahel: { type: 'raster', url: 'pmtiles://' + location.origin + '/sahel.pmtiles', tileSize: 256 } },
             layers: [{ id: 'paper', type: 'background', paint: { 'background-color': '#ff00ff' } },
                      { id: 'sahel', type: 'raster', source: 'sahel', paint: { 'raster-fade-duration': 0, 'raster-resampling': 'nearest' } }] },
    center: [+params.get('lon'), +params.get('lat')], zoom: +params.get('zoom'),
    fadeDuration: 0, interactive: false, attributionControl: false,
    canvasContextAttributes: { preserveDrawingBuffer: true }
  });
  map.on('error', (e) => errors.push(String((e && e.error && e.error.message) || e)));
  map.on('idle', () => document.body.setAttribute('data-idle', 'yes'));
  // The canvas as RGBA bytes, through a 2D canvas (readPixels would read whatever framebuffer is bound).
  async function pixels(dataUrl) {
    let source = map.getCanvas();
    if (dataUrl) { source = new Image(); source.src = dataUrl; await source.decode(); }
    const copy = document.createElement('canvas');
    copy.width = source.width; copy.height = source.height;
    const ctx = copy.getContext('2d');
    ctx.drawImage(source, 0, 0);
    return { width: copy.width, height: copy.height, data: Array.from(ctx.getImageData(0, 0, copy.width, copy.height).data) };
  }
  window.sahelmapPmtiles = { map, errors, pixels };
</script></body></html>`;

/// Mean absolute difference per channel between a 256 px tile and the canvas region at (ox, oy).
function meanDifference(canvas, tile, ox, oy) {
  let sum = 0;
  for (let y = 0; y < 256; y++)
    for (let x = 0; x < 256; x++)
      for (let c = 0; c < 3; c++)
        sum += Math.abs(canvas.data[((oy + y) * canvas.width + ox + x) * 4 + c] - tile.data[(y * 256 + x) * 4 + c]);
  return sum / (256 * 256 * 3);
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sahelmap-pmtiles-web-'));
  fs.chmodSync(dir, 0o755); // nginx's workers run as another user
  let nginx = null;
  let context = null;
  try {
    const site = path.join(dir, 'site');
    fs.mkdirSync(site);
    fs.chmodSync(site, 0o755);
    const mbtiles = path.join(dir, 'sahel.mbtiles');
    const args = ['--zoom', `0-${ZOOM}`, '--time', '2025-11-01', '--threads', '2'];
    execFileSync(binary, ['seed', ...args, '--out', path.join(site, 'sahel.pmtiles')], { stdio: ['ignore', 'pipe', 'inherit'] });
    execFileSync(binary, ['seed', ...args, '--out', mbtiles], { stdio: ['ignore', 'pipe', 'inherit'] });
    fs.copyFileSync(path.join(modules, 'maplibre-gl/dist/maplibre-gl.js'), path.join(site, 'maplibre-gl.js'));
    fs.copyFileSync(path.join(modules, 'maplibre-gl/dist/maplibre-gl.css'), path.join(site, 'maplibre-gl.css'));
    fs.copyFileSync(path.join(modules, 'pmtiles/dist/pmtiles.js'), path.join(site, 'pmtiles.js'));
    fs.writeFileSync(path.join(site, 'index.html'), PAGE);
    for (const f of fs.readdirSync(site)) fs.chmodSync(path.join(site, f), 0o644);

    // The most detailed seeded tile at ZOOM whose east, south and south-east neighbours are seeded too.
    const rows = execFileSync('sqlite3', ['-separator', ' ', mbtiles,
      `SELECT tile_column, ${2 ** ZOOM - 1} - tile_row, hex(tile_data) FROM tiles WHERE zoom_level = ${ZOOM}`],
    { maxBuffer: 1 << 28 }).toString().split('\n').filter(Boolean).map((l) => l.split(' '));
    const byAddress = new Map(rows.map(([x, y, hex]) => [`${x}/${y}`, Buffer.from(hex, 'hex')]));
    let best = null;
    for (const [x, y, hex] of rows) {
      const [cx, cy] = [+x, +y];
      if (![[1, 0], [0, 1], [1, 1]].every(([dx, dy]) => byAddress.has(`${cx + dx}/${cy + dy}`))) continue;
      if (!best || hex.length > best.size) best = { x: cx, y: cy, size: hex.length };
    }
    if (!best) fail(`no 2x2 block of seeded tiles at zoom ${ZOOM}`);

    const port = await freePort();
    fs.writeFileSync(path.join(dir, 'nginx.conf'), `
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
  types { text/html html; application/javascript js; text/css css; application/vnd.pmtiles pmtiles; }
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${site};
    location / { add_header Cache-Control "no-cache"; }
  }
}`);
    nginx = spawn(nginxPath, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let nginxOut = '';
    nginx.stdout.on('data', (d) => { nginxOut += d; });
    nginx.stderr.on('data', (d) => { nginxOut += d; });
    const up = Date.now() + 10_000;
    for (;;) { // bounded: nginx answers within 10 s or the test fails
      try { const r = await fetch(`http://127.0.0.1:${port}/index.html`); if (r.ok) break; } catch { /* not yet */ }
      if (Date.now() > up || nginx.exitCode !== null) fail(`nginx did not start on port ${port}: ${nginxOut}`);
      await new Promise((r) => setTimeout(r, 100));
    }

    const userDataDir = path.join(dir, 'chromium');
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath, headless: true,
      args: ['--headless', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist',
             '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 600, height: 600 }, deviceScaleFactor: 1
    });
    context.setDefaultTimeout(30_000);
    await context.route((url) => url.hostname !== '127.0.0.1' && !['data:', 'blob:'].includes(url.protocol), (route) => route.abort());
    const page = context.pages()[0] || await context.newPage();
    const archiveReads = [];
    const pageErrors = [];
    page.on('response', (r) => { if (r.url().endsWith('/sahel.pmtiles')) archiveReads.push({ status: r.status(), range: r.request().headers().range }); });
    page.on('pageerror', (e) => pageErrors.push(e.message));

    // Centre on the corner the four tiles share; map zoom ZOOM-1 draws 256 px raster tiles of ZOOM at 1:1.
    const [lon, lat] = tileCorner(best.x + 1, best.y + 1, ZOOM);
    await page.goto(`http://127.0.0.1:${port}/index.html?lon=${lon}&lat=${lat}&zoom=${ZOOM - 1}`, { waitUntil: 'load' });
    await page.waitForFunction(() => document.body.getAttribute('data-idle') === 'yes', null, { timeout: 60_000, polling: 200 })
      .catch(async () => fail(`the map did not become idle; errors: ${await page.evaluate(() => window.sahelmapPmtiles.errors.join('; '))}; ${pageErrors.join('; ')}`));
    const errors = await page.evaluate(() => window.sahelmapPmtiles.errors);
    if (errors.length || pageErrors.length) fail(`map errors: ${errors.concat(pageErrors).join('; ')}`);

    const canvas = await page.evaluate(() => window.sahelmapPmtiles.pixels());
    if (canvas.width !== 512 || canvas.height !== 512) fail(`canvas is ${canvas.width}x${canvas.height}, not 512x512`);
    const quadrants = [[0, 0, 0, 0], [1, 0, 256, 0], [0, 1, 0, 256], [1, 1, 256, 256]];
    const tiles = {};
    for (const [dx, dy] of quadrants) {
      const bytes = byAddress.get(`${best.x + dx}/${best.y + dy}`);
      tiles[`${dx}${dy}`] = await page.evaluate((url) => window.sahelmapPmtiles.pixels(url), `data:image/png;base64,${bytes.toString('base64')}`);
    }
    for (const [dx, dy, ox, oy] of quadrants) {
      const own = meanDifference(canvas, tiles[`${dx}${dy}`], ox, oy);
      console.log(`tile ${ZOOM}/${best.x + dx}/${best.y + dy} at canvas ${ox},${oy}: mean difference ${own.toFixed(2)}`);
      if (!(own < 4)) fail(`canvas at ${ox},${oy} is not tile ${ZOOM}/${best.x + dx}/${best.y + dy} (mean difference ${own.toFixed(2)} per channel)`);
    }
    // The comparison can tell tiles apart: the top-left tile is not what the bottom-right quadrant shows.
    const other = meanDifference(canvas, tiles['00'], 256, 256);
    if (!(other > 8)) fail(`the check cannot tell tiles apart (difference to another quadrant ${other.toFixed(2)})`);
    let magenta = 0;
    for (let i = 0; i < canvas.data.length; i += 4)
      if (canvas.data[i] === 255 && canvas.data[i + 1] === 0 && canvas.data[i + 2] === 255) magenta++;
    if (magenta > 0) fail(`${magenta} canvas pixels show the background, not tiles`);

    if (archiveReads.length < 2) fail(`only ${archiveReads.length} reads of sahel.pmtiles`);
    const notRange = archiveReads.filter((r) => r.status !== 206 || !/^bytes=\d+-\d+$/.test(r.range || ''));
    if (notRange.length) fail(`reads of the archive that are not 206 range answers: ${JSON.stringify(notRange)}`);
    const log = fs.readFileSync(path.join(dir, 'access.log'), 'utf8');
    if (!/GET \/sahel\.pmtiles HTTP\/1\.1" 206 /.test(log)) fail(`nginx logged no 206 for the archive:\n${log}`);
    console.log(`ok: ${archiveReads.length} range reads (206), four tiles drawn with their own pixels, none missing`);
  } finally {
    if (context) await context.close().catch(() => {});
    if (nginx && nginx.exitCode === null) {
      nginx.kill('SIGQUIT');
      await new Promise((r) => { const t = setTimeout(() => { nginx.kill('SIGKILL'); r(); }, 5000); nginx.on('exit', () => { clearTimeout(t); r(); }); });
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const timer = setTimeout(() => { console.error("FAIL: the test took longer than 220 s"); process.exit(1); }, 220_000);
main().then(() => { clearTimeout(timer); process.exit(0); }, (e) => {
  clearTimeout(timer);
  console.error(`FAIL: ${e instanceof Failure ? e.message : e.stack}`);
  process.exit(1);
});
