#!/usr/bin/env bash
# HTTP benchmark: sahelmap serve against nginx serving the same tile files.
#
#   bench/http/run.sh [path/to/release/sahelmap]
#
# Builds nothing: give a Release binary, or have build/bench/sahelmap or
# build/release/sahelmap. Installs wrk and nginx from Debian if missing.
# Everything listens on 127.0.0.1 only and is stopped at the end.
#
# Runs (wrk -t2 -c64 -d10s, a Lua script cycling over the URLs):
#   nginx     the cached tile set as static files (worker_processes 2)
#   cached    the same URLs from sahelmap, every tile in its cache
#   cold      a fresh sahelmap over distinct tiles (z/x/y and data epochs),
#             so every request renders: tiles/s
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../../deploy/common.sh"
cd "$SAHELMAP_ROOT"

bench_binary_arg="${1:-}"
source "$here/lib.sh"

if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null || ! command -v curl >/dev/null; then
  # Debian starts a freshly installed nginx on port 80 unless policy-rc.d
  # says no; the benchmark wants its own nginx only.
  created_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ] && [ "$(id -u)" -eq 0 ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && created_policy=1
  fi
  install_packages "${SAHELMAP_BENCH_PACKAGES[@]}"
  [ -n "$created_policy" ] && rm -f /usr/sbin/policy-rc.d
fi

run_wrk() { # name url paths-file
  local out
  out="$(wrk -t2 -c64 -d10s --timeout 10s -s "$here/cycle.lua" "$2" -- "$3" 2 | grep '^RESULT')"
  echo "$1 $out" | tee -a "$work/results"
}

field() { # results-line key
  sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"
}

# --- the cached tile set: every tile of zooms 4-8, one date -------------------
time_cached="2025-06-01"
: >"$work/cached.txt"
for z in 4 5 6 7 8; do
  tiles_at "$z" | while read -r z x y; do echo "/tiles/default/$z/$x/$y.png?time=$time_cached"; done >>"$work/cached.txt"
done
echo "bench: $(wc -l <"$work/cached.txt") cached tiles, $(nproc) cores, binary $bin"

start_server
echo "bench: seeding sahelmap's cache and nginx's files from sahelmap"
mkdir -p "$work/www"
while read -r url; do
  path="${url%%\?*}"
  mkdir -p "$work/www$(dirname "$path")"
  curl -sf -o "$work/www$path" "http://127.0.0.1:$server_port$url"
done <"$work/cached.txt"
chmod -R a+rX "$work/www"

start_static_nginx "$(head -1 "$work/cached.txt")"

echo "bench: wrk -t2 -c64 -d10s against nginx (port $nginx_port) and sahelmap (port $server_port)"
nginx_line="$(run_wrk nginx "http://127.0.0.1:$nginx_port" "$work/cached.txt")"
cached_line="$(run_wrk cached "http://127.0.0.1:$server_port" "$work/cached.txt")"
renders_after_cached="$(curl -s "http://127.0.0.1:$server_port/metrics" | awk '$1 == "sahelmap_tile_renders_total" { print $2 }')"
stop_server

# --- cold: distinct tiles over zooms 6-10 and eight data epochs, shuffled ------
: >"$work/cold-tiles.txt"
for z in 6 7 8 9 10; do tiles_at "$z" >>"$work/cold-tiles.txt"; done
: >"$work/cold.txt"
for t in 2016-01-01 2018-01-01 2020-01-01 2021-06-01 2022-06-01 2023-06-01 2024-06-01 2025-06-01; do
  while read -r z x y; do echo "/tiles/default/$z/$x/$y.png?time=$t"; done <"$work/cold-tiles.txt" >>"$work/cold.txt"
done
shuf --random-source=<(yes) -o "$work/cold.txt" "$work/cold.txt"
echo "bench: cold run over $(wc -l <"$work/cold.txt") distinct tile URLs, fresh server"
start_server
cold_line="$(run_wrk cold "http://127.0.0.1:$server_port" "$work/cold.txt")"
metrics="$(curl -s "http://127.0.0.1:$server_port/metrics")"
cold_renders="$(awk '$1 == "sahelmap_tile_renders_total" { print $2 }' <<<"$metrics")"
cold_hits="$(awk '$1 == "sahelmap_tile_cache_hits_total" { print $2 }' <<<"$metrics")"
stop_server

nginx_rps="$(field "$nginx_line" rps)"
cached_rps="$(field "$cached_line" rps)"
cold_rps="$(field "$cold_line" rps)"
echo
printf '%-34s %12s %10s %10s\n' "run" "requests/s" "p99 ms" "non-2xx"
printf '%-34s %12s %10s %10s\n' "nginx, static tile files" "$nginx_rps" "$(field "$nginx_line" p99_ms)" "$(field "$nginx_line" non2xx)"
printf '%-34s %12s %10s %10s\n' "sahelmap, cached tiles" "$cached_rps" "$(field "$cached_line" p99_ms)" "$(field "$cached_line" non2xx)"
printf '%-34s %12s %10s %10s\n' "sahelmap, cold (renders/s)" "$cold_rps" "$(field "$cold_line" p99_ms)" "$(field "$cold_line" non2xx)"
echo
awk -v a="$cached_rps" -v b="$nginx_rps" 'BEGIN { printf "cached/nginx: %.0f%% (target >= 80%%)\n", 100 * a / b }'
echo "cold: $cold_renders renders for $(field "$cold_line" requests) requests ($cold_hits cache hits) (target >= 1000 tiles/s)"
echo "cached run rendered nothing new: renders stayed at $renders_after_cached (the seeding ones)"
