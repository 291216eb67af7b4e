#!/usr/bin/env bash
# Soak: a fixed-rate mixed load (bench/soak_client.py: cached and cold tiles,
# vector tiles, WMS at arbitrary scales, OGC API items) against one
# `sahelmap serve` with a 32 MiB tile cache, its RSS sampled every 30 s.
#
#   bench/soak.sh MINUTES [RATE] [path/to/sahelmap]     (RATE requests/s, default 190)
#   SOAK_CONNECTIONS=64 bench/soak.sh 1 5000 ...          (64 connections; past capacity,
#                                                          every connection as fast as it is answered)
#
# Prints the samples (minute, VmRSS MiB, the heap's bytes in use and free) and at the end the growth between
# the sample at minute 2 (caches filling) and the last one, with the load's
# answers by status and its errors, and the growth over the second half
# (after the caches fill). Loopback only; bounded by MINUTES.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../deploy/common.sh"
cd "$SAHELMAP_ROOT"
[[ $# -ge 1 && "$1" =~ ^[0-9]+$ && "$1" -ge 1 ]] || { echo "usage: bench/soak.sh MINUTES [RATE] [sahelmap]" >&2; exit 2; }
minutes="$1"; rate="${2:-190}"
connections="${SOAK_CONNECTIONS:-16}"
[[ "$connections" =~ ^[0-9]+$ && "$connections" -ge 1 && "$connections" -le 200 ]] ||
  { echo "bench/soak.sh: SOAK_CONNECTIONS must be 1-200" >&2; exit 2; }
bench_binary_arg="${3:-}"
source "$here/http/lib.sh"

start_server --cache-mb 32
echo "soak: $bin, ${minutes} min at ${rate} req/s on $connections connections, pid $server_pid, port $server_port"
/usr/bin/python3 "$here/soak_client.py" "$server_port" "$rate" "$((minutes * 60))" "$connections" >"$work/load.json" &
load_pid=$!
samples=()
# The heap's figures from /metrics tell retention (in use grows) from
# fragmentation (free grows) when RSS grows.
heap_mib() { curl -s --max-time 5 "http://127.0.0.1:$server_port/metrics" | awk -v name="$1" '$1 == name { printf "%.1f", $2 / 1048576 }'; }
for ((i = 0; i <= minutes * 2; i++)); do
  rss=$(awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$server_pid/status")
  samples+=("$rss")
  printf '  %5.1f min  RSS %s MiB  heap in use %s MiB, free %s MiB\n' "$(awk -v i="$i" 'BEGIN { print i / 2 }')" "$rss" \
    "$(heap_mib sahelmap_heap_in_use_bytes)" "$(heap_mib sahelmap_heap_free_bytes)"
  [[ $i -lt $((minutes * 2)) ]] && sleep 30
done
wait "$load_pid"
last="${samples[-1]}"; mid="${samples[$minutes]}"
hwm=$(awk '/^VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$server_pid/status")
echo "load: $(cat "$work/load.json")"
echo "RSS at ${minutes} min ${last} MiB, VmHWM ${hwm} MiB"
if [[ $minutes -ge 3 ]]; then
  at2="${samples[4]}"
  growth=$(awk -v a="$at2" -v b="$last" 'BEGIN { printf "%.1f", (b - a) / a * 100 }')
  # The caches (tiles 32 MiB here, label placements, rasters and text shapes)
  # fill over minutes at this rate: the second half shows whether RSS has
  # found its plateau.
  growth_half=$(awk -v a="$mid" -v b="$last" 'BEGIN { printf "%.1f", (b - a) / a * 100 }')
  echo "RSS at 2 min ${at2} MiB (growth to the end ${growth} %)"
  echo "RSS at $(awk -v m="$minutes" 'BEGIN { print m / 2 }') min ${mid} MiB: growth over the second half ${growth_half} %"
fi
