#!/usr/bin/env bash
# Reads the sites and corridors layers from a real PostGIS database through a
# config file, and checks that `check` counts the same features and that a
# tile rendered from PostGIS is byte-for-byte the tile rendered from the
# embedded GeoPackage. Starts its own PostgreSQL on a loopback port in a
# temporary folder and stops it at the end. Exit 77 = skipped (no PostGIS).
set -euo pipefail
bin="$1"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pgbin" ] || ! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then
  echo "SKIP: PostgreSQL with PostGIS is not installed (deploy/test.sh installs postgresql-15-postgis-3)"
  exit 77
fi
work=$(mktemp -d /tmp/sahelmap-pg.XXXXXX)
chmod 755 "$work"
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || { echo "SKIP: no postgres user"; exit 77; }
  chown postgres "$work"
  as_pg=(runuser -u postgres --)
fi
# Below Linux's ephemeral range (32768-60999), where the other tests' clients and servers take ports.
port=$((20000 + RANDOM % 12000))
cleanup() {
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/db" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

"${as_pg[@]}" "$pgbin/initdb" -D "$work/db" -U sahel --auth=trust >/dev/null
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/db" -l "$work/log" -w \
  -o "-h 127.0.0.1 -p $port -k $work" start >/dev/null
"${as_pg[@]}" "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U sahel sahel
"${as_pg[@]}" "$pgbin/psql" -q -h 127.0.0.1 -p "$port" -U sahel -d sahel -c "CREATE EXTENSION postgis"

pg="PG:host=127.0.0.1 port=$port dbname=sahel user=sahel"
for layer in sites corridors; do
  ogr2ogr -f PostgreSQL "$pg" "$root/geodata/sahel.gpkg" "$layer" -nln "$layer" -lco GEOMETRY_NAME=geom
done
cat > "$work/config.json" <<JSON
{ "layers": {
    "sites": { "source": "$pg", "layer": "sites" },
    "corridors": { "source": "$pg", "layer": "corridors" } } }
JSON

out=$("$bin" check --config "$work/config.json")
echo "$out"
n_sites=$(sqlite3 "$root/geodata/sahel.gpkg" "select count(*) from sites")
echo "$out" | grep -E "^  sites +point +$n_sites features .*PG:host=127.0.0.1" >/dev/null || { echo "FAIL: sites not read from PostGIS"; exit 1; }
n_corridors=$(sqlite3 "$root/geodata/sahel.gpkg" "select count(*) from corridors")
echo "$out" | grep -E "^  corridors +line +$n_corridors features" >/dev/null || { echo "FAIL: corridors count"; exit 1; }

for tile in "6 32 29" "5 15 14"; do
  set -- $tile
  "$bin" tile "$1" "$2" "$3" --time 2025-11-01 -o "$work/embedded.png"
  "$bin" tile "$1" "$2" "$3" --time 2025-11-01 --config "$work/config.json" -o "$work/postgis.png"
  cmp "$work/embedded.png" "$work/postgis.png" || { echo "FAIL: tile $tile differs between GeoPackage and PostGIS"; exit 1; }
done

# A wrong table name is a clear error naming the layer and the source.
cat > "$work/bad.json" <<JSON
{ "layers": { "sites": { "source": "$pg", "layer": "no_such_table" } } }
JSON
if err=$("$bin" check --config "$work/bad.json" 2>&1); then echo "FAIL: bad table accepted"; exit 1; fi
echo "$err" | grep -q "no layer named 'no_such_table'" || { echo "FAIL: unclear error: $err"; exit 1; }
echo "PostGIS: 2 layers read, tiles identical to the GeoPackage's, bad table refused"
