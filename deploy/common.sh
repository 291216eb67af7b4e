#!/usr/bin/env bash
# Shared by run.sh and test.sh: installs what is missing from Debian's
# packages (as root, or through sudo), idempotently.
set -euo pipefail

SAHELMAP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SAHELMAP_ROOT

# Build and run-time dependencies; fonts are the ones the shipped styles name.
SAHELMAP_PACKAGES=(
  build-essential cmake pkg-config
  libgdal-dev gdal-bin libproj-dev proj-data
  libcairo2-dev libpango1.0-dev libspng-dev libisal-dev libjpeg-dev zlib1g-dev
  nlohmann-json3-dev libboost-dev libboost-system-dev libprotozero-dev
  libsqlite3-dev libfreetype-dev libfontconfig-dev
  fonts-noto-core fonts-dejavu-core fontconfig
)

# Only for the tests of the Debian package and its systemd unit
# (tests/deploy/): lintian judges the .deb, dpkg-dev gives cpack
# dpkg-shlibdeps, file lets it strip the binary.
SAHELMAP_TEST_PACKAGES=(lintian dpkg-dev file curl systemd)

# Only for the HTTP benchmark (bench/http/run.sh): the load generator and
# the static-file baseline. Not part of the run or test installs.
SAHELMAP_BENCH_PACKAGES=(wrk nginx curl)

install_packages() {
  local missing=()
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "deploy: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  echo "deploy: installing ${missing[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

jobs_for_build() { nproc 2>/dev/null || echo 2; }
