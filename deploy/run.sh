#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a working sahelmap: installs
# what is missing, builds a Release tree, checks the embedded default data
# and styles, and serves them on http://127.0.0.1:8080 in the foreground.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$SAHELMAP_ROOT"

install_packages "${SAHELMAP_PACKAGES[@]}"
# Leaflet for the web viewer (npm registry).
bash deploy/web.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(jobs_for_build)"

bin=build/release/sahelmap
"$bin" check
# The tile service in the foreground until Ctrl-C (SIGINT) or SIGTERM;
# SIGHUP reloads config, data and styles.
exec "$bin" serve --bind 127.0.0.1 --port 8080
