#!/usr/bin/env bash
# Cold tiles behind heavy work (issue 17 item 1): 64 WMS GetMap 4096×4096
# and 16 A2 prints (PNG, 150 dpi) are sent at once, then cold raster tiles
# (each a different z6-z9 tile, rendered for the first time) are asked one
# after another while that work is still in flight (the loop ends when it
# is done). Prints the tiles' p50/p99 (curl's total time), how many heavy
# jobs were still queued or running when the last tile was answered, and
# the server's peak RSS and its RSS 2 s after the burst.
# Loopback only; every loop is bounded in time (at most 90 s of tiles,
# heavy requests cut after 600 s).
#
#   bench/http/admission.sh [path/to/sahelmap] [tiles, default 200]
#   HEAVY=0 bench/http/admission.sh ...   # the same tiles with nothing else: the baseline
#
# The heavy requests all come from 127.0.0.1, so the server runs with
# --heavy-per-client 0 and a heavy queue large enough to admit all 80; a
# binary without those options (before issue 17) runs with its defaults.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../../deploy/common.sh"
cd "$SAHELMAP_ROOT"

bench_binary_arg="${1:-}"
tiles="${2:-200}"
source "$here/lib.sh"
command -v curl >/dev/null || install_packages curl

extra=()
if "$bin" serve --help | grep -q -- '--heavy-queue'; then
  extra=(--heavy-queue 128 --heavy-per-client 0)
fi
start_server --cache-mb 256 "${extra[@]}"
base="http://127.0.0.1:$server_port"

heavy_in_flight() { # queued + running medium and heavy jobs, or "?" on an old binary
  curl -sf "$base/metrics" | awk '/^sahelmap_work_(queued|running)\{lane="heavy"\}/ { n += $2; seen = 1 }
    END { if (seen) print n; else print "?" }'
}

# The date's first tile computes that date's state (epochs, influence
# scores) once per process: that is not what a cold tile costs a running
# server, so one tile outside the measured ones is asked first.
curl -sf -o /dev/null "$base/tiles/default/5/15/14.png?time=2025-06-01"

: >"$work/heavy.urls"
maps=64 prints=16
[ "${HEAVY:-1}" = 0 ] && maps=0 prints=0
for i in $(seq 1 "$maps"); do
  # Different days: no two maps are the same request.
  printf 'url = "%s/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=default&STYLES=&CRS=EPSG:3857&BBOX=-2000000,1000000,2500000,3000000&WIDTH=4096&HEIGHT=4096&FORMAT=image/png&TIME=2025-%02d-%02d"\noutput = /dev/null\n' \
    "$base" $(((i - 1) / 28 + 1)) $(((i - 1) % 28 + 1)) >>"$work/heavy.urls"
done
for i in $(seq 1 "$prints"); do
  printf 'url = "%s/print?area=aes&paper=A2&dpi=150&format=png&time=2025-%02d-15"\noutput = /dev/null\n' \
    "$base" $(((i - 1) % 12 + 1)) >>"$work/heavy.urls"
done
started=$(date +%s.%N)
timeout 600 curl -s -Z --parallel-max 80 --parallel-immediate -w '%{http_code}\n' -K "$work/heavy.urls" \
  >"$work/heavy.codes" 2>/dev/null &
heavy_pid=$!

# Wait (at most 20 s) until the heavy work is admitted.
for _ in $(seq 1 200); do
  n="$(heavy_in_flight)"
  [ "$n" = "?" ] && { sleep 2; break; }
  [ "$n" -ge $((maps + prints - 10)) ] && break
  sleep 0.1
done
echo "heavy jobs queued or running before the first tile: $(heavy_in_flight)"

# Cold tiles over Mali, Burkina Faso and Niger (12°W–16°E, 10°N–24°N), z6
# first, then z7, z8 and z9 (borders, labels and sites: the costly zooms
# first), one after another, on fresh connections.
awk 'function tx(lon, z) { return int((lon + 180) / 360 * 2 ^ z) }
     function ty(lat, z,   r) { r = lat * 3.14159265358979 / 180
       return int((1 - log(sin(r) / cos(r) + 1 / cos(r)) / 3.14159265358979) / 2 * 2 ^ z) }
     BEGIN { for (z = 6; z <= 9; z++) for (y = ty(24, z); y <= ty(10, z); y++) for (x = tx(-12, z); x <= tx(16, z); x++)
       print z "/" x "/" y }' >"$work/tiles.list"
: >"$work/tile.times"
deadline=$(($(date +%s) + 90))
count=0
while read -r zxy; do
  [ "$count" -ge "$tiles" ] || [ "$(date +%s)" -ge "$deadline" ] && break
  # Only tiles asked while the heavy work is in flight are measured.
  [ "$maps$prints" = 00 ] || kill -0 "$heavy_pid" 2>/dev/null || break
  curl -s --max-time 60 -o /dev/null -w '%{http_code} %{time_total}\n' "$base/tiles/default/$zxy.png?time=2025-06-01" >>"$work/tile.times"
  count=$((count + 1))
done <"$work/tiles.list"
not_ok="$(awk '$1 != 200' "$work/tile.times" | wc -l)"
renders="$(curl -sf "$base/metrics" | awk '/^sahelmap_tile_render_seconds_count/ { print $2 }')"

left="$(heavy_in_flight)"
wait "$heavy_pid" || true
elapsed=$(echo "$(date +%s.%N) - $started" | bc)
hwm="$(awk '/VmHWM/ { print $2 }' "/proc/$server_pid/status")"
sleep 2
rss="$(awk '/VmRSS/ { print $2 }' "/proc/$server_pid/status")"
stop_server

awk '{ print $2 }' "$work/tile.times" | sort -n >"$work/tile.sorted"
awk -v maps="$maps" -v prints="$prints" -v left="$left" -v bad="$not_ok" -v renders="${renders:-?}" '{ t[NR] = $1 * 1000 } END {
  p99 = int(NR * 0.99 + 0.999999); if (p99 < 1) p99 = 1
  printf "cold z6-z9 tiles behind %d WMS 4096x4096 + %d A2 prints: %d tiles, p50 %.1f ms, p99 %.1f ms, max %.1f ms (target p99 < 50 ms)\n",
    maps, prints, NR, t[int((NR + 1) / 2)], t[p99], t[NR]
  printf "tiles not answered 200: %d; renders counted by the server (tiles + heavy jobs done): %s\n", bad, renders
  printf "heavy jobs still queued or running after the last tile: %s\n", left
}' "$work/tile.sorted"
echo "heavy answers by status: $(sort "$work/heavy.codes" | uniq -c | tr '\n' ' ')"
printf 'all heavy work done after %.1f s; server peak RSS (VmHWM) %d MiB, RSS 2 s after the burst %d MiB\n' \
  "$elapsed" $((hwm / 1024)) $((rss / 1024))
