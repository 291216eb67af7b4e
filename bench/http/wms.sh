#!/usr/bin/env bash
# WMS GetMap over HTTP, as a client sees it: the issue's map (1024×768 of the
# three countries in EPSG:32631, BBOX as a client rounds it) asked one after
# another on one keep-alive connection, after 5 warm-up requests (the first
# projects the data into the CRS). Prints the median and p90 of curl's
# total time per request. Listens on 127.0.0.1 only.
#
#   bench/http/wms.sh [path/to/release/sahelmap] [requests, default 60]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../../deploy/common.sh"
cd "$SAHELMAP_ROOT"

bench_binary_arg="${1:-}"
requests="${2:-60}"
source "$here/lib.sh"
command -v curl >/dev/null || install_packages curl

start_server
url="http://127.0.0.1:$server_port/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=default&STYLES="
url+="&CRS=EPSG:32631&BBOX=-1222900,753608,1962464,3142630&WIDTH=1024&HEIGHT=768&FORMAT=image/png&TIME=2025-06-01"
repeat() { # n: curl arguments fetching the map n times
  for _ in $(seq 1 "$1"); do printf '%s\n' "$url" -o /dev/null; done
}
mapfile -t warm < <(repeat 5)
curl -sf "${warm[@]}"
mapfile -t timed < <(repeat "$requests")
curl -sf -w '%{time_total}\n' "${timed[@]}" | sort -n >"$work/times"
stop_server
awk '{ t[NR] = $1 * 1000 } END {
  printf "WMS GetMap 1024x768 EPSG:32631 over HTTP, %d requests: median %.1f ms, p90 %.1f ms (target < 25 ms median)\n",
    NR, t[int((NR + 1) / 2)], t[int(NR * 0.9)]
}' "$work/times"
