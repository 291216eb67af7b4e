#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a working sahelmap: installs
# what is missing, builds a Release tree, checks the embedded default data
# and styles, and writes sample tiles to out/tiles/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$SAHELMAP_ROOT"

install_packages "${SAHELMAP_PACKAGES[@]}"
cmake --preset release >/dev/null
cmake --build --preset release -j "$(jobs_for_build)"

bin=build/release/sahelmap
"$bin" check
mkdir -p out/tiles
for t in "3 3 3" "4 7 7" "5 15 14" "6 31 29" "7 63 58"; do
  set -- $t
  for style in default overlay print; do
    "$bin" tile "$1" "$2" "$3" --style "$style" -o "out/tiles/$style-$1-$2-$3.png"
  done
done
"$bin" tile 5 15 14 --scale 2 -o out/tiles/default-5-15-14@2x.png
echo "sample tiles written to $SAHELMAP_ROOT/out/tiles/"
