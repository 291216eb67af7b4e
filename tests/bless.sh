#!/usr/bin/env bash
# Regenerates golden references on purpose: runs the rendering tests with
# SAHELMAP_BLESS=1 in the sanitizer build tree. Look at the images before
# committing them.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${1:-$root/build/asan/tests/sahelmap_tests}"
SAHELMAP_BLESS=1 ASAN_OPTIONS=detect_leaks=0 "$bin" "[golden]"
echo "references written to $root/tests/golden/; review them (git diff --stat tests/golden) before committing"
