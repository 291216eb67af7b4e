#!/usr/bin/env bash
# Memory under a burst of heavy work and slow readers (issue 17 item 2):
# bench/memory_client.py sends, for SECONDS, 64 clients of WMS GetMap
# 4096x4096, 16 of A2 prints and 100 slow readers of A2 PNG prints (3.6 MB) (a few bytes
# a second) at one `sahelmap serve`, whose VmRSS is sampled every 0.2 s.
#
#   bench/memory.sh [SECONDS, default 40] [path/to/sahelmap] [-- extra serve options]
#
# Prints the answers by status, the slow readers the server cut, the peak
# RSS (VmHWM) and the RSS 5 s after the burst; fails (exit 1) when the peak
# is over 600 MiB, the issue's ceiling. Loopback only; bounded in time.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../deploy/common.sh"
cd "$SAHELMAP_ROOT"
seconds="${1:-40}"
[[ "$seconds" =~ ^[0-9]+$ && "$seconds" -ge 5 && "$seconds" -le 600 ]] ||
  { echo "usage: bench/memory.sh [SECONDS 5-600] [sahelmap] [-- serve options]" >&2; exit 2; }
bench_binary_arg=""
[[ $# -ge 2 && "$2" != "--" ]] && bench_binary_arg="$2"
extra=()
for ((i = 1; i <= $#; i++)); do
  if [[ "${!i}" == "--" ]]; then extra=("${@:i+1}"); break; fi
done
source "$here/http/lib.sh"

start_server --cache-mb 256 ${extra[@]+"${extra[@]}"}
echo "memory: $bin, ${seconds} s burst, pid $server_pid, port $server_port, options: ${extra[*]:-(defaults)}"
rss() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$server_pid/status"; }
echo "RSS before the burst: $(rss) MiB"
/usr/bin/python3 "$here/memory_client.py" "$server_port" "$seconds" 64 16 100 >"$work/burst.json" &
load_pid=$!
peak=0
while kill -0 "$load_pid" 2>/dev/null; do
  now=$(rss)
  ((now > peak)) && peak=$now
  sleep 0.2
done
wait "$load_pid"
sleep 5
after=$(rss)
hwm=$(awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$server_pid/status")
shed=$(curl -sf "http://127.0.0.1:$server_port/metrics" | awk '/^sahelmap_answers_shed_total/ { print $2 }' || true)
echo "burst: $(cat "$work/burst.json")"
echo "answers shed by the server: ${shed:-n/a}"
echo "peak RSS ${peak} MiB (VmHWM ${hwm} MiB), 5 s after the burst ${after} MiB"
if ((hwm > 600)); then
  echo "memory: VmHWM ${hwm} MiB is over the 600 MiB ceiling" >&2
  exit 1
fi
