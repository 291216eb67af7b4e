#!/usr/bin/env bash
# ThreadSanitizer over the tests of what shares memory between threads: the
# HTTP server (I/O threads, strands, work lanes, render queue, metrics
# atomics, snapshot swaps) and the spare-thread pool. Builds only the test
# binary (in this preset: the server and spare-thread tests alone) and the
# `sahelmap` executable it starts (preset tsan, build/tsan), then runs the
# `[server]` and `[threads]` tests; any report fails the run. Library false
# positives go in tests/tsan.supp, each with its reason. deploy/test.sh runs
# this after the ASan suite unless SAHELMAP_TSAN=0.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$SAHELMAP_ROOT"

install_packages "${SAHELMAP_PACKAGES[@]}" catch2
cmake --preset tsan >/dev/null
cmake --build --preset tsan -j "$(jobs_for_build)"
cd build/tsan/tests
# halt_on_error: the first race fails the run with its report.
TSAN_OPTIONS="suppressions=$SAHELMAP_ROOT/tests/tsan.supp halt_on_error=1 second_deadlock_stack=1 exitcode=66" \
  ./sahelmap_tests "[server],[threads]"
