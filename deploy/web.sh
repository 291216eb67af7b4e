#!/usr/bin/env bash
# Installs the web viewer's npm dependencies (Leaflet, MapLibre GL JS, and
# for the tests playwright-core, swagger-parser, which validates our
# OpenAPI document, pmtiles, the reader of seeded .pmtiles files, and
# kubernetes-models and yaml, which validate deploy/k8s/) into web/node_modules, only when they are missing. Needs
# node and npm: when absent, installs Debian's nodejs and npm (as root, or
# through sudo). Never downloads a browser: the test uses Debian's chromium.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
web="$root/web"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "deploy/web.sh: need root or sudo to install nodejs and npm" >&2; exit 1; }
    sudo="sudo"
  fi
  echo "deploy/web.sh: installing nodejs npm"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

installed() {
  [ -f "$web/node_modules/leaflet/dist/leaflet.js" ] &&
  [ -f "$web/node_modules/leaflet/dist/leaflet.css" ] &&
  [ -f "$web/node_modules/playwright-core/package.json" ] &&
  [ -f "$web/node_modules/maplibre-gl/dist/maplibre-gl.js" ] &&
  [ -f "$web/node_modules/@apidevtools/swagger-parser/package.json" ] &&
  [ -f "$web/node_modules/pmtiles/package.json" ] &&
  [ -f "$web/node_modules/kubernetes-models/package.json" ] &&
  [ -f "$web/node_modules/yaml/package.json" ]
}
if installed; then
  exit 0
fi

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
cd "$web"
echo "deploy/web.sh: installing the viewer's npm packages into $web/node_modules"
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
else
  npm install --no-audit --no-fund --loglevel=error
fi
installed || { echo "deploy/web.sh: npm finished but $web/node_modules lacks leaflet, maplibre-gl, playwright-core or swagger-parser" >&2; exit 1; }
