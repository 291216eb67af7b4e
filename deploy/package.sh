#!/usr/bin/env bash
# Builds the Debian package sahelmap_<version>_amd64.deb with CPack.
#
#   deploy/package.sh [BUILD_DIR]      (default build/package; the .deb lands in BUILD_DIR)
#
# Configures a Release build without tests or benchmarks when BUILD_DIR has
# none yet, builds the binary, then runs `cpack -G DEB` (cmake/package.cmake
# says what goes in). Needs the viewer's npm packages (deploy/web.sh) so the
# packaged viewer has Leaflet and MapLibre GL JS.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$SAHELMAP_ROOT"

build_dir="${1:-build/package}"
install_packages "${SAHELMAP_PACKAGES[@]}" dpkg-dev file
bash deploy/web.sh

umask 022
if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DSAHELMAP_TESTS=OFF -DSAHELMAP_BENCH=OFF
fi
cmake --build "$build_dir" -j"$(jobs_for_build)" --target sahelmap sahelmap_package_docs
(cd "$build_dir" && cpack -G DEB -B "$PWD")
version="$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build_dir/CPackConfig.cmake")"
deb="$build_dir/sahelmap_${version}_$(dpkg --print-architecture).deb"
[ -f "$deb" ] || { echo "deploy/package.sh: cpack finished but $deb is missing" >&2; exit 1; }
echo "$deb"
