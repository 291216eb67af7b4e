#!/usr/bin/env node
// `sahelmap seed --out FILE.pmtiles` read back by the npm `pmtiles` reader
// (web/node_modules/pmtiles, the library MapLibre's pmtiles:// protocol
// uses): every tile of the MBTiles seed of the same options comes back with
// the same bytes, for raster PNG and gzipped MVT; tiles outside the seed
// are absent. A synthetic tileset of 70 000 tiles, run-length repeats
// among them, goes through `sahelmap merge --out FILE.pmtiles` so the
// writer must spill into leaf directories, which the reader must follow.
//
//   node tests/web/pmtiles_read_test.mjs path/to/sahelmap
//
// Exit 0 on success, 1 on failure, 2 for a bad command line, 77 (skip)
// when web/node_modules has no pmtiles or sqlite3 is missing.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const webRoot = path.resolve(here, '..', '..', 'web');
const binary = process.argv[2];
if (!binary) { console.error('usage: node pmtiles_read_test.mjs path/to/sahelmap'); process.exit(2); }
const reader = path.join(webRoot, 'node_modules', 'pmtiles', 'dist', 'esm', 'index.js');
if (!fs.existsSync(reader)) { console.log(`SKIP: ${reader} is missing: run deploy/web.sh`); process.exit(77); }
try { execFileSync('sqlite3', ['-version']); } catch { console.log('SKIP: sqlite3 is not installed'); process.exit(77); }
const { PMTiles, Compression, TileType } = await import(pathToFileURL(reader).href);

let failures = 0;
function check(cond, msg) { if (!cond) { console.error(`FAIL: ${msg}`); failures++; } return cond; }

/// A pmtiles Source over a local file, as a static host answers range requests.
class FileRangeSource {
  constructor(file) { this.file = file; this.fd = fs.openSync(file, 'r'); this.requests = 0; }
  getKey() { return this.file; }
  async getBytes(offset, length) {
    this.requests++;
    const buf = Buffer.alloc(length);
    const n = fs.readSync(this.fd, buf, 0, length, offset);
    return { data: buf.buffer.slice(buf.byteOffset, buf.byteOffset + n) };
  }
  close() { fs.closeSync(this.fd); }
}

/// Every tile of an MBTiles file: [z, x, y (XYZ), bytes].
function mbtilesTiles(file) {
  const out = execFileSync('sqlite3', ['-separator', ' ', file,
    'SELECT zoom_level, tile_column, tile_row, hex(tile_data) FROM tiles'], { maxBuffer: 1 << 30 }).toString();
  return out.split('\n').filter(Boolean).map((line) => {
    const [z, x, row, hex] = line.split(' ');
    return [+z, +x, (1 << +z) - 1 - +row, Buffer.from(hex, 'hex')];
  });
}

function run(args) { execFileSync(binary, args, { stdio: ['ignore', 'pipe', 'inherit'] }); }

async function compare(label, mbtiles, pmtilesFile, expect) {
  const tiles = mbtilesTiles(mbtiles);
  const source = new FileRangeSource(pmtilesFile);
  const archive = new PMTiles(source);
  const header = await archive.getHeader();
  check(header.specVersion === 3, `${label}: spec version ${header.specVersion}`);
  check(header.tileType === expect.tileType, `${label}: tile type ${header.tileType}`);
  check(header.tileCompression === expect.tileCompression, `${label}: tile compression ${header.tileCompression}`);
  check(header.internalCompression === Compression.Gzip, `${label}: internal compression ${header.internalCompression}`);
  check(header.clustered, `${label}: not clustered`);
  check(header.numAddressedTiles === tiles.length, `${label}: ${header.numAddressedTiles} addressed tiles, MBTiles has ${tiles.length}`);
  if (expect.leaves) check(header.leafDirectoryLength > 0, `${label}: no leaf directories`);
  if (expect.runs) check(header.numTileEntries < header.numAddressedTiles, `${label}: no run-length entries (${header.numTileEntries})`);
  check(header.rootDirectoryOffset + header.rootDirectoryLength <= 16384, `${label}: root directory beyond the first 16 kB`);
  let mismatched = 0;
  const seen = new Set();
  for (const [z, x, y, bytes] of tiles) {
    seen.add(`${z}/${x}/${y}`);
    const got = await archive.getZxy(z, x, y);
    // The reader undoes the tile compression the header declares (gzip for MVT).
    const want = header.tileCompression === Compression.Gzip ? zlib.gunzipSync(bytes) : bytes;
    if (!got || !Buffer.from(got.data).equals(want)) {
      if (mismatched++ < 5) console.error(`FAIL: ${label}: tile ${z}/${x}/${y} ${got ? 'differs' : 'is missing'}`);
    }
  }
  check(mismatched === 0, `${label}: ${mismatched} of ${tiles.length} tiles differ`);
  // Around the seeded tiles at the highest zoom: the ones not seeded are not there either.
  let absentChecked = 0;
  for (const [z, x, y] of tiles.filter((t) => t[0] === header.maxZoom).slice(0, 50)) {
    for (const [dx, dy] of [[-1, 0], [1, 0], [0, -1], [0, 1]]) {
      const nx = x + dx, ny = y + dy;
      if (nx < 0 || ny < 0 || nx >= 1 << z || ny >= 1 << z || seen.has(`${z}/${nx}/${ny}`)) continue;
      absentChecked++;
      check((await archive.getZxy(z, nx, ny)) === undefined, `${label}: ${z}/${nx}/${ny} is not seeded but found`);
    }
  }
  const metadata = await archive.getMetadata();
  if (expect.vector) check(Array.isArray(metadata.vector_layers) && metadata.vector_layers.some((l) => l.id === 'regions'),
    `${label}: metadata without vector_layers: ${JSON.stringify(metadata).slice(0, 200)}`);
  else check(typeof metadata.name === 'string' && metadata.name.length > 0, `${label}: metadata without name`);
  console.log(`${label}: ${tiles.length} tiles equal (${header.numTileEntries} entries, ${header.numTileContents} contents, ` +
    `root ${header.rootDirectoryLength} B, leaves ${header.leafDirectoryLength} B, ${absentChecked} absent checked, ${source.requests} reads)`);
  source.close();
  return tiles.length;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sahelmap-pmtiles-'));
try {
  const common = ['--time', '2025-11-01', '--threads', '2'];
  run(['seed', '--zoom', '0-6', ...common, '--out', path.join(dir, 'raster.mbtiles')]);
  run(['seed', '--zoom', '0-6', ...common, '--out', path.join(dir, 'raster.pmtiles')]);
  const raster = await compare('png', path.join(dir, 'raster.mbtiles'), path.join(dir, 'raster.pmtiles'),
    { tileType: TileType.Png, tileCompression: Compression.None });
  check(raster > 40, `png: only ${raster} tiles`);

  run(['seed', '--format', 'mvt', '--zoom', '0-7', ...common, '--out', path.join(dir, 'vector.mbtiles')]);
  run(['seed', '--format', 'mvt', '--zoom', '0-7', ...common, '--out', path.join(dir, 'vector.pmtiles')]);
  await compare('mvt', path.join(dir, 'vector.mbtiles'), path.join(dir, 'vector.pmtiles'),
    { tileType: TileType.Mvt, tileCompression: Compression.Gzip, vector: true });

  // 70 000 tiles (all of zooms 0-7 and part of 8): two in three carry one
  // repeated content, the rest their own; too many entries for the root.
  const synthetic = path.join(dir, 'synthetic.mbtiles');
  execFileSync('sqlite3', [synthetic, `
    CREATE TABLE metadata (name TEXT, value TEXT);
    INSERT INTO metadata VALUES ('name', 'synthetic'), ('format', 'png'), ('bounds', '-180,-85,180,85'),
      ('center', '0,0,2'), ('minzoom', '0'), ('maxzoom', '8');
    CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
    WITH RECURSIVE z(level) AS (SELECT 0 UNION ALL SELECT level + 1 FROM z WHERE level < 8),
      n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 65535)
    INSERT INTO tiles SELECT level, i % (1 << level), i / (1 << level),
      CASE WHEN (i / 7) % 3 = 0 THEN CAST('tile ' || level || '/' || i AS BLOB) ELSE x'89504E470D0A1A0A' END
      FROM z JOIN n ON i < (1 << level) * (1 << level) WHERE level < 8 OR i < 70000 - 21845;`]);
  run(['merge', synthetic, '--out', path.join(dir, 'synthetic.pmtiles')]);
  const count = await compare('synthetic', synthetic, path.join(dir, 'synthetic.pmtiles'),
    { tileType: TileType.Png, tileCompression: Compression.None, leaves: true, runs: true });
  check(count === 70000, `synthetic: ${count} tiles, not 70000`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
if (failures) { console.error(`${failures} failure(s)`); process.exit(1); }
console.log('ok');
