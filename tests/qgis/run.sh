#!/usr/bin/env bash
# ctest's glue for the QGIS checks: starts `sahelmap serve --port 0` on
# loopback (and, for gpkg, runs `sahelmap export`), hands the URL or the file
# to the PyQGIS check, and stops the server. The checks themselves start
# nothing.
#
#   tests/qgis/run.sh path/to/sahelmap wmts|gpkg|access OUTDIR
#
# Exit 0 pass, 1 fail, 77 skipped (PyQGIS missing: deploy/test.sh installs
# python3-qgis and qgis-providers).
set -euo pipefail
bin="$(realpath "$1")"
mode="$2"
out="$(realpath -m "$3")"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python=/usr/bin/python3 # Debian's: PyQGIS is built for it
if ! QT_QPA_PLATFORM=offscreen "$python" -c "import qgis.core" >/dev/null 2>&1; then
  echo "SKIP: PyQGIS is not installed (apt-get install python3-qgis qgis-providers)"
  exit 77
fi
mkdir -p "$out"
work=$(mktemp -d /tmp/sahelmap-qgis.XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# access: the sites layer protected by a key (SHA-256 of "partner-secret").
serve_args=()
if [ "$mode" = access ]; then
  key=partner-secret
  digest=$(printf '%s' "$key" | sha256sum | cut -d' ' -f1)
  printf '{"access": {"keys": {"partner": "sha256:%s"}, "layers": {"sites": ["partner"]}}}\n' "$digest" \
    >"$work/config.json"
  serve_args=(--config "$work/config.json")
fi
# The server prints "listening on http://127.0.0.1:PORT" once bound.
"$bin" serve --bind 127.0.0.1 --port 0 --log-level warn "${serve_args[@]}" >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
base=""
for _ in $(seq 1 600); do
  base=$(grep -oE 'listening on http://127\.0\.0\.1:[0-9]+' "$work/serve.out" | head -n 1 | cut -d' ' -f3 || true)
  [ -n "$base" ] && break
  kill -0 "$server_pid" 2>/dev/null || { echo "FAIL: the server exited"; cat "$work/serve.err"; exit 1; }
  sleep 0.1
done
[ -n "$base" ] || { echo "FAIL: no 'listening on' line within 60 s"; cat "$work/serve.err"; exit 1; }

cd "$here"
status=0
case "$mode" in
  wmts)
    "$python" qgis_wmts.py "$base" "$out" || status=$?
    ;;
  gpkg)
    time=2025-11-01
    "$bin" export --time "$time" --out "$out/sahelmap-$time.gpkg"
    "$python" qgis_gpkg.py "$out/sahelmap-$time.gpkg" "$base" "$time" "$out" || status=$?
    ;;
  access)
    "$python" "${QGIS_ACCESS_CHECK:-qgis_access.py}" "$base" "$key" || status=$?
    ;;
  *)
    echo "usage: run.sh SAHELMAP wmts|gpkg|access OUTDIR" >&2
    exit 2
    ;;
esac
if [ "$status" -ne 0 ] && [ -s "$work/serve.err" ]; then
  echo "--- server stderr"
  tail -n 40 "$work/serve.err"
fi
exit "$status"
