#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to the whole test suite: installs
# what is missing, builds with AddressSanitizer and UndefinedBehaviorSanitizer
# (warnings are errors), and runs every test through ctest. The preset
# compiles with -O1 -g1: half the build time of -O2 -g, and sanitizer
# reports still name functions, files and lines.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$SAHELMAP_ROOT"

# PostgreSQL with PostGIS for the PostGIS source and shared-source cluster tests, nginx for the
# cache tier and PMTiles tests (each started on loopback by the test itself);
# python3-gdal, python3-pyproj, qgis-common and iso-codes for the geodata build test; QGIS's Python
# bindings and data providers for the QGIS client tests (headless, Qt's offscreen platform).
install_packages "${SAHELMAP_PACKAGES[@]}" "${SAHELMAP_TEST_PACKAGES[@]}" catch2 poppler-utils postgresql-15 postgresql-15-postgis-3 chromium nginx \
  python3-owslib librsvg2-bin sqlite3 libxml2-utils \
  python3-gdal python3-pyproj qgis-common iso-codes python3-qgis qgis-providers
# Leaflet and MapLibre for the viewer, playwright-core and swagger-parser for the tests (npm registry).
bash deploy/web.sh
cmake --preset debug-asan >/dev/null
cmake --build --preset debug-asan -j "$(jobs_for_build)"
cd build/asan
ctest --output-on-failure -j "$(jobs_for_build)" --timeout 300

# ThreadSanitizer over the server and thread-pool tests (deploy/tsan.sh: its
# own build of the engine and of those tests only). SAHELMAP_TSAN=0 skips it
# for a quicker local run; CI always runs it.
if [ "${SAHELMAP_TSAN:-1}" != 0 ]; then
  bash "$SAHELMAP_ROOT/deploy/tsan.sh"
fi
