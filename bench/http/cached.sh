#!/usr/bin/env bash
# Cached tiles A/B: nginx serving the tile files against sahelmap serving
# the same tiles from its cache, at the quiet log level (warn) and at the
# default one (info: one line per request), in alternating rounds so every
# figure is taken in the same minute as the others (the machine is shared).
#
#   bench/http/cached.sh [path/to/release/sahelmap] [rounds (3)] [seconds per run (5)]
#
# wrk -t2 -c64, the tiles of zooms 4-8 as in run.sh (raster), then the
# vector tiles of zoom 8. Everything listens on 127.0.0.1 only. Prints one
# RESULT line per run and the medians per configuration.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../../deploy/common.sh"
cd "$SAHELMAP_ROOT"

bench_binary_arg="${1:-}"
rounds="${2:-3}"
seconds="${3:-5}"
[[ "$rounds" =~ ^[1-9][0-9]?$ ]] || { echo "bench: rounds must be 1-99" >&2; exit 2; }
[[ "$seconds" =~ ^[1-9][0-9]?$ ]] || { echo "bench: seconds must be 1-99" >&2; exit 2; }
source "$here/lib.sh"
command -v wrk >/dev/null && command -v nginx >/dev/null && command -v curl >/dev/null || {
  echo "bench: needs wrk, nginx and curl (bench/http/run.sh installs them)" >&2
  exit 1
}

: >"$work/raster.txt"
for z in 4 5 6 7 8; do
  tiles_at "$z" | while read -r z x y; do echo "/tiles/default/$z/$x/$y.png?time=2025-06-01"; done >>"$work/raster.txt"
done
tiles_at 8 | while read -r z x y; do echo "/tiles/vector/$z/$x/$y.mvt?time=2025-06-01"; done >"$work/vector.txt"

# Two servers side by side, idle while the other is measured.
"$bin" serve --port 0 --threads 2 --render-threads 2 --log-level warn >"$work/warn.out" 2>"$work/warn.err" &
warn_pid=$!
"$bin" serve --port 0 --threads 2 --render-threads 2 >"$work/info.out" 2>"$work/info.log" &
info_pid=$!
trap 'kill $warn_pid $info_pid 2>/dev/null; wait $warn_pid $info_pid 2>/dev/null; [ -n "$nginx_pid" ] && kill $nginx_pid 2>/dev/null; rm -rf "$work"' EXIT
port_of() {
  for _ in $(seq 1 200); do
    grep -q '^listening on ' "$1" 2>/dev/null && break
    sleep 0.05
  done
  sed -n 's/^listening on http:\/\/127\.0\.0\.1:\([0-9]*\)$/\1/p' "$1"
}
warn_port="$(port_of "$work/warn.out")"
info_port="$(port_of "$work/info.out")"
[ -n "$warn_port" ] && [ -n "$info_port" ] || { echo "bench: sahelmap serve did not start" >&2; exit 1; }

echo "bench: seeding both caches and nginx's files ($(wc -l <"$work/raster.txt") raster, $(wc -l <"$work/vector.txt") vector tiles)"
mkdir -p "$work/www"
while read -r url; do
  path="${url%%\?*}"
  mkdir -p "$work/www$(dirname "$path")"
  curl -sf -o "$work/www$path" "http://127.0.0.1:$warn_port$url"
  curl -sf -o /dev/null "http://127.0.0.1:$info_port$url"
done < <(cat "$work/raster.txt" "$work/vector.txt")
chmod -R a+rX "$work/www"

start_static_nginx "$(head -1 "$work/raster.txt")"

: >"$work/results"
run() { # name port paths-file
  local out
  out="$(wrk -t2 -c64 -d"${seconds}s" --timeout 10s -s "$here/cycle.lua" "http://127.0.0.1:$2" -- "$3" 2 | grep '^RESULT')"
  echo "$1 $out" | tee -a "$work/results"
}
for r in $(seq 1 "$rounds"); do
  echo "bench: round $r of $rounds"
  for set in raster vector; do
    run "$set-nginx" "$nginx_port" "$work/$set.txt"
    run "$set-sahelmap-warn" "$warn_port" "$work/$set.txt"
    run "$set-sahelmap-info" "$info_port" "$work/$set.txt"
  done
done
echo "bench: request log lines written at info: $(grep -c ' GET /tiles/' "$work/info.log" || true)"
echo
printf '%-22s %14s %14s %8s\n' "median of $rounds" "requests/s" "p99 ms" "non-2xx"
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for name in raster-nginx raster-sahelmap-warn raster-sahelmap-info vector-nginx vector-sahelmap-warn vector-sahelmap-info; do
  lines="$(grep "^$name " "$work/results")"
  printf '%-22s %14s %14s %8s\n' "$name" \
    "$(sed -n 's/.* rps=\([^ ]*\).*/\1/p' <<<"$lines" | median)" \
    "$(sed -n 's/.* p99_ms=\([^ ]*\).*/\1/p' <<<"$lines" | median)" \
    "$(sed -n 's/.* non2xx=\([^ ]*\).*/\1/p' <<<"$lines" | median)"
done
