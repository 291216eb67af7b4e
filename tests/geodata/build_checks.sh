#!/usr/bin/env bash
# geodata/build.py against the reference tables: the committed sahel.gpkg is what the build makes of them
# (byte for byte: the build is deterministic), and a value outside the README's vocabulary, an impossible
# date or a road segment through a third country stops the build with one sentence naming the row.
# Usage: build_checks.sh SOURCE_DIR REFERENCE_DIR
set -euo pipefail
src="$1"
ref="$2"
py=/usr/bin/python3
$py -c 'import osgeo, pyproj' 2>/dev/null || { echo "SKIP: python3-gdal / python3-pyproj are not installed"; exit 77; }
[ -f /usr/share/qgis/resources/data/world_map.gpkg ] || { echo "SKIP: qgis-common is not installed"; exit 77; }
[ -f "$ref/sites.csv" ] || { echo "SKIP: no reference tables at $ref"; exit 77; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# 1. The shipped file is the build of the shipped reference.
$py "$src/geodata/build.py" --ref "$ref" --out "$work/fresh.gpkg" >"$work/log" 2>&1 || { cat "$work/log"; fail "the build of the reference failed"; }
cmp -s "$work/fresh.gpkg" "$src/geodata/sahel.gpkg" || fail "geodata/sahel.gpkg is not the build of $ref: run geodata/build.sh and commit it"
grep -q "bent along the NER-NGA border" "$work/log" || fail "the uranium road's Nigeria crossing was not bent"

# 2. Each broken copy stops the build with a sentence naming the row, and writes nothing.
expect_refusal() { # name, file, sed expression, expected message (grep -E)
  local name="$1" file="$2" expr="$3" want="$4"
  rm -rf "$work/ref" && cp -r "$ref" "$work/ref" && chmod -R u+w "$work/ref"
  sed -i "$expr" "$work/ref/$file"
  cmp -s "$work/ref/$file" "$ref/$file" && fail "$name: the sed expression changed nothing"
  set +e
  $py "$src/geodata/build.py" --ref "$work/ref" --out "$work/broken.gpkg" >"$work/out" 2>"$work/err"
  local rc=$?
  set -e
  [ "$rc" -eq 1 ] || fail "$name: exit code $rc, expected 1"
  [ ! -e "$work/broken.gpkg" ] || fail "$name: a file was written"
  [ "$(wc -l <"$work/err")" -eq 1 ] || { cat "$work/err"; fail "$name: not one line on stderr"; }
  grep -Eq "$want" "$work/err" || { cat "$work/err"; fail "$name: message does not match /$want/"; }
  echo "ok: $name: $(cat "$work/err")"
}
expect_refusal "unknown status" sites.csv '0,/,active,2025-06-06/s//,actve,2025-06-06/' \
  "sites.csv line [0-9]+ \(id mli_gao_airport_ac\): column status: 'actve' is not one of"
expect_refusal "impossible date" sites.csv '0,/2025-06-06,,/s//2025-06-31,,/' \
  "sites.csv line 3 \(id mli_bamako_ab101_ac\): column valid_from: '2025-06-31' is not a calendar date"
expect_refusal "malformed date" timeline.csv '2s/^[0-9-]*,/2019-7-1,/' "timeline.csv line 2 .*column date: '2019-7-1' is not a date"
expect_refusal "unknown actor" corridors.csv 's/,wagner,2023-10-02,/,wagnr,2023-10-02,/' \
  "corridors.csv line [0-9]+ \(id cor_road_gao_kidal\): column actor: 'wagnr' is not one of"
expect_refusal "unknown in_model" sites.csv '2s/,yes$/,maybe/' "sites.csv line 2 .*column in_model: 'maybe' is not one of yes, no"
expect_refusal "withdrawn without end" sites.csv '0,/,withdrawn,2021-12-01,2025-06-06,/s//,withdrawn,2021-12-01,,/' \
  "sites.csv line 2 .*status withdrawn with valid_to empty"
expect_refusal "unknown region_2025" bfa-provinces.csv 's/^Tapoa,Est,Tapoa$/Tapoa,Est,/' "province Tapoa has no region_2025"
# A road segment through a country neither end lies in: renaming the waypoint takes the segment off the
# list of known, bent segments, so the build must refuse it.
expect_refusal "road through Nigeria" corridors.csv "s/Dosso@/Dosso town@/" \
  "corridors.csv cor_road_arlit_niamey_uranium: the segment Birni N'Konni -> Dosso town crosses NGA"
echo "all geodata build checks passed"
