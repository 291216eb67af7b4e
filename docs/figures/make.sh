#!/usr/bin/env bash
# Regenerates the figures of docs/influence.md with sahelmap itself:
# docs/figures/make.sh [path/to/sahelmap]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="${1:-$here/../../build/release/sahelmap}"
"$bin" influence --sensitivity --time 2025-11-01 --format geojson > "$here/sensitivity-2025-11-01.geojson"
SAHELMAP_PRINT_TIME=2026-12-02T00:00:00Z "$bin" render --config "$here/sensitivity.config.json" --style sensitivity \
  --area aes --paper A4 --dpi 96 --time 2025-11-01 \
  --title "Influence model: how often each region's dominant outcome changes (64 parameter sets, 2025-11-01)" \
  -o "$here/sensitivity-2025-11-01.png"
"$bin" render --area aes --paper A4 --dpi 96 --style influence --time 2025-11-01 \
  --title "Influence on 2025-11-01: dominant outcome, paler where less certain" -o "$here/influence-2025-11-01.png"
echo "wrote $here/sensitivity-2025-11-01.png and influence-2025-11-01.png"
