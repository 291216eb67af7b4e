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
nginx_bin="$(command -v nginx)"

tiles_at() { # the z x y of every tile over the three countries at zoom $1, as run.sh
  awk -v z="$1" 'BEGIN {
    pi = atan2(0, -1); n = 2 ^ z
    x0 = int((-12.3 + 180) / 360 * n); x1 = int((16.0 + 180) / 360 * n)
    y0 = int((1 - log(sin(25.0 * pi / 180) / cos(25.0 * pi / 180) + 1 / cos(25.0 * pi / 180)) / pi) / 2 * n)
    y1 = int((1 - log(sin(9.4 * pi / 180) / cos(9.4 * pi / 180) + 1 / cos(9.4 * pi / 180)) / pi) / 2 * n)
    for (x = x0; x <= x1; x++) for (y = y0; y <= y1; y++) print z, x, y
  }'
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

nginx_port=""
for _ in $(seq 1 100); do
  p=$((20000 + RANDOM % 20000))
  (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { nginx_port=$p; break; }
done
[ -n "$nginx_port" ] || { echo "bench: no free port for nginx" >&2; exit 1; }
mkdir -p "$work/nginx-tmp"
cat >"$work/nginx.conf" <<EOF
worker_processes 2;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $work/nginx-tmp;
  proxy_temp_path $work/nginx-tmp;
  fastcgi_temp_path $work/nginx-tmp;
  uwsgi_temp_path $work/nginx-tmp;
  scgi_temp_path $work/nginx-tmp;
  types { image/png png; application/vnd.mapbox-vector-tile mvt; }
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
    location / {
      add_header Access-Control-Allow-Origin *;
      expires 1h;
    }
  }
}
EOF
"$nginx_bin" -e "$work/nginx-error.log" -p "$work" -c "$work/nginx.conf" &
nginx_pid=$!
for _ in $(seq 1 100); do
  curl -sf -o /dev/null "http://127.0.0.1:$nginx_port$(head -1 "$work/raster.txt")" && break
  sleep 0.05
done

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
