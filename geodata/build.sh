#!/bin/sh
# Build geodata/sahel.gpkg from Debian-packaged sources (see SOURCES.md). Nothing is downloaded
# except the Debian packages themselves. Usage: geodata/build.sh [build.py options, e.g. --ref DIR]
set -eu
cd "$(dirname "$0")"

PKGS="python3-gdal python3-pyproj qgis-common iso-codes"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "installing:$missing"
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing \
        || { $SUDO apt-get update && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing; }
fi

# Debian's interpreter, not a pyenv/venv python3 that lacks osgeo.
exec /usr/bin/python3 build.py "$@"
