#!/usr/bin/env bash
# A fuzzing campaign over every target (or those named), one after another:
#   fuzz/run.sh MINUTES [--runs N] [--merge] [TARGET...]
# Each target runs for MINUTES (or until N executions) from its corpus in
# fuzz/corpus/<target> plus what earlier campaigns found (build/fuzz/
# corpus-work/<target>). Crashes, leaks and timeouts land in
# build/fuzz/artifacts/<target>/. --merge adds the inputs that reach new
# coverage, minimised, to fuzz/corpus/<target>, which the test suite replays.
# At the end one line per target: executions, executions/s, coverage at start
# and at end (libFuzzer's edge count), corpus size, and artifacts.
# Needs the libFuzzer build:
#   CC=clang CXX=clang++ cmake -S . -B build/fuzz -DSAHELMAP_FUZZ=ON -DSAHELMAP_SANITIZE=ON && cmake --build build/fuzz
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${SAHELMAP_FUZZ_BUILD:-$root/build/fuzz}"
usage() { echo "usage: fuzz/run.sh MINUTES [--runs N] [--merge] [TARGET...]" >&2; exit 2; }
[[ $# -ge 1 && "$1" =~ ^[0-9]+([.][0-9]+)?$ ]] || usage
minutes="$1"; shift
runs=-1; merge=0; targets=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) [[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] || usage; runs="$2"; shift 2 ;;
    --merge) merge=1; shift ;;
    -h|--help) sed -n 2,14p "${BASH_SOURCE[0]}"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[[ ${#targets[@]} -gt 0 ]] || targets=(style tile_args ogc_query http_request kvp config geodata)
seconds=$(awk -v m="$minutes" 'BEGIN { printf "%d", m * 60 }')

# Longest input per target: a style or a config document is larger than a query.
max_len() {
  case "$1" in
    style|config|geodata) echo 65536 ;;
    http_request) echo 12288 ;;
    *) echo 4096 ;;
  esac
}

export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1"
export LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
summary=()
status=0
for t in "${targets[@]}"; do
  bin="$build/fuzz/fuzz_$t"
  if [[ ! -x "$bin" ]]; then echo "fuzz/run.sh: $bin is not built (see the header of fuzz/run.sh)" >&2; exit 1; fi
  work="$build/corpus-work/$t"; artifacts="$build/artifacts/$t"
  mkdir -p "$work" "$artifacts"
  log="$build/fuzz-$t.log"
  echo "== $t: ${minutes} min$([[ $runs -ge 0 ]] && echo ", at most $runs runs"), log $log"
  "$bin" "$work" "$root/fuzz/corpus/$t" -max_total_time="$seconds" -runs="$runs" -max_len="$(max_len "$t")" \
    -timeout=10 -rss_limit_mb=2560 -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1
  rc=$?
  execs=$(awk '/stat::number_of_executed_units/ { print $NF }' "$log" | tail -1)
  rate=$(awk '/stat::average_exec_per_sec/ { print $NF }' "$log" | tail -1)
  cov_start=$(grep -m1 -o 'INITED cov: [0-9]*' "$log" | awk '{ print $3 }')
  cov_end=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | awk '{ print $2 }')
  found=$(find "$artifacts" -type f | wc -l)
  corpus=$(find "$work" -type f | wc -l)
  if [[ $merge -eq 1 ]]; then
    before=$(find "$root/fuzz/corpus/$t" -type f | wc -l)
    "$bin" -merge=1 -max_len="$(max_len "$t")" "$root/fuzz/corpus/$t" "$work" >"$build/fuzz-$t-merge.log" 2>&1
    after=$(find "$root/fuzz/corpus/$t" -type f | wc -l)
    corpus="$corpus (merged: +$((after - before)) into fuzz/corpus/$t)"
  fi
  [[ $rc -ne 0 || $found -gt 0 ]] && status=1
  summary+=("$(printf '%-13s execs %-10s %6s/s  cov %s -> %s  corpus %s  artifacts %s  exit %s' \
    "$t" "${execs:-?}" "${rate:-?}" "${cov_start:-?}" "${cov_end:-?}" "$corpus" "$found" "$rc")")
done
echo
printf '%s\n' "${summary[@]}"
exit $status
