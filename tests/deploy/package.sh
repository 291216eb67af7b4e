#!/usr/bin/env bash
# ctest's checks of the Debian package (cmake/package.cmake, deploy/debian/).
#
#   package.sh build   BUILD_DIR OUT_DIR   cpack -G DEB from the test build into OUT_DIR
#   package.sh lintian OUT_DIR             lintian reports no error and no warning
#   package.sh systemd OUT_DIR             systemd-analyze verify/security accept the unit
#   package.sh serve   OUT_DIR             the extracted binary serves tiles and the viewer
#                                          from the installed paths on loopback
# Exit 77 (skip) only when the tool a check needs is absent.
set -euo pipefail

fail() { echo "FAIL: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || { echo "SKIP: $1 is not installed" >&2; exit 77; }; }
the_deb() {
  local deb
  deb="$(ls "$1"/sahelmap_*_amd64.deb 2>/dev/null | head -1)"
  [ -n "$deb" ] || fail "no sahelmap_*_amd64.deb in $1 (the build step failed?)"
  echo "$deb"
}

work="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

step="$1"
case "$step" in
build)
  need cpack; need dpkg-deb
  build_dir="$2" out_dir="$3"
  rm -rf "$out_dir" && mkdir -p "$out_dir"
  umask 022
  (cd "$build_dir" && cpack -G DEB -B "$out_dir") >"$out_dir/cpack.log" 2>&1 ||
    { cat "$out_dir/cpack.log" >&2; fail "cpack failed"; }
  deb="$(the_deb "$out_dir")"
  version="$(dpkg-deb -f "$deb" Version)"
  [ "$(basename "$deb")" = "sahelmap_${version}_amd64.deb" ] || fail "package named $(basename "$deb"), not sahelmap_${version}_amd64.deb"
  dpkg-deb -c "$deb" | awk '{print $6}' >"$work/contents"
  for f in ./usr/bin/sahelmap ./etc/sahelmap/config.json ./lib/systemd/system/sahelmap.service \
           ./usr/lib/sysusers.d/sahelmap.conf ./usr/share/man/man1/sahelmap.1.gz ./usr/share/doc/sahelmap/copyright \
           ./usr/share/sahelmap/geodata/sahel.gpkg ./usr/share/sahelmap/styles/default.json \
           ./usr/share/sahelmap/web/index.html ./usr/share/sahelmap/web/node_modules/leaflet/dist/leaflet.js \
           ./usr/share/sahelmap/web/node_modules/maplibre-gl/dist/maplibre-gl.js; do
    grep -qxF "$f" "$work/contents" || fail "$f is not in $deb"
  done
  # Test and tooling packages never ship.
  if grep -E 'playwright|swagger|pmtiles|kubernetes-models|package(-lock)?\.json|/tests?/' "$work/contents"; then
    fail "the package ships test or npm metadata files (above)"
  fi
  dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -qxF /etc/sahelmap/config.json ||
    fail "/etc/sahelmap/config.json is not a conffile"
  echo "built $deb ($(stat -c %s "$deb") bytes, $(wc -l <"$work/contents") entries)"
  ;;
lintian)
  need lintian
  deb="$(the_deb "$2")"
  # Root runs are fine here (a throwaway test build); the info tags are not failures.
  lintian --tag-display-limit 0 "$deb" >"$work/lintian.txt" 2>&1 || true
  grep -v '^running with root privileges' "$work/lintian.txt" || true
  if grep -E '^[EW]: ' "$work/lintian.txt" >/dev/null; then
    fail "lintian reports errors or warnings (above)"
  fi
  grep -q 'not recognized\|^lintian: ' "$work/lintian.txt" && fail "lintian did not run on $deb"
  echo "lintian: no error, no warning"
  ;;
systemd)
  need systemd-analyze; need dpkg-deb
  deb="$(the_deb "$2")"
  root="$work/root"
  mkdir -p "$root"
  dpkg-deb -x "$deb" "$root"
  # verify resolves units, executables and man pages inside --root: give it
  # the system's targets and kill(1), which a real system has.
  cp -a /lib/systemd/system/*.target "$root/lib/systemd/system/"
  mkdir -p "$root/bin" && cp /bin/kill "$root/bin/kill"
  verify() { MANPATH="$root/usr/share/man" systemd-analyze verify --root="$root" "/lib/systemd/system/$1" 2>&1; }
  out="$(verify sahelmap.service)" || fail "systemd-analyze verify refuses the unit: $out"
  # verify exits 0 on ignored lines; any message is a defect of the unit.
  [ -z "$out" ] || fail "systemd-analyze verify warns: $out"
  unit="$root/lib/systemd/system/sahelmap.service"
  for setting in 'User=sahelmap' 'ProtectSystem=strict' 'NoNewPrivileges=yes' 'PrivateTmp=yes' 'Restart=on-failure' \
                 'ExecReload=/bin/kill -HUP $MAINPID' 'StandardOutput=journal' \
                 'ExecStart=/usr/bin/sahelmap serve --config /etc/sahelmap/config.json'; do
    grep -qF "$setting" "$unit" || fail "the unit lacks $setting"
  done
  grep -q '^u sahelmap ' "$root/usr/lib/sysusers.d/sahelmap.conf" || fail "sysusers.d does not create the sahelmap user"
  # The exposure score of systemd's own audit (0 safest, 10 unprotected).
  MANPATH="$root/usr/share/man" systemd-analyze security --offline=yes --root="$root" --threshold=20 \
    /lib/systemd/system/sahelmap.service >"$work/security.txt" 2>&1 ||
    { tail -3 "$work/security.txt" >&2; fail "systemd-analyze security rates the unit above 2.0"; }
  grep 'Overall exposure' "$work/security.txt"
  # The check itself can fail: a wrong setting is reported.
  sed 's/^Restart=on-failure/Restart=sometimes/' "$unit" >"$root/lib/systemd/system/broken.service"
  [ -n "$(verify broken.service)" ] || fail "systemd-analyze verify accepted a broken unit: this check proves nothing"
  echo "systemd-analyze: the unit verifies"
  ;;
serve)
  need dpkg-deb; need curl
  deb="$(the_deb "$2")"
  root="$work/root"
  mkdir -p "$root"
  dpkg-deb -x "$deb" "$root"
  share="$root/usr/share/sahelmap"
  # The installed config with its /usr/share paths moved under the extraction root.
  sed "s#/usr/share/sahelmap/#$share/#g" "$root/etc/sahelmap/config.json" >"$work/config.json"
  grep -q "$share/geodata/sahel.gpkg" "$work/config.json" || fail "the installed config does not name the installed data"
  "$root/usr/bin/sahelmap" check --config "$work/config.json" >"$work/check.txt" 2>&1 ||
    { cat "$work/check.txt" >&2; fail "sahelmap check refuses the installed config"; }
  grep -q "sites .*$share/geodata/sahel.gpkg" "$work/check.txt" || fail "layer sites is not read from the installed file"
  "$root/usr/bin/sahelmap" serve --config "$work/config.json" --bind 127.0.0.1 --port 0 \
    --web-root "$share/web" --log-level warn >"$work/serve.out" 2>"$work/serve.err" &
  server_pid=$!
  base=""
  for _ in $(seq 1 200); do
    base="$(sed -n 's/^listening on \(http:[^ ]*\)$/\1/p' "$work/serve.out")"
    [ -n "$base" ] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.err" >&2; fail "the extracted binary exited"; }
    sleep 0.05
  done
  [ -n "$base" ] || fail "the extracted binary printed no address within 10 s"
  curl -sf --max-time 10 "$base/readyz" >/dev/null || fail "/readyz is not 200"
  curl -sf --max-time 30 -o "$work/tile.png" "$base/tiles/default/6/31/29.png" || fail "GET of a tile failed"
  [ "$(head -c 8 "$work/tile.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "the tile is not a PNG"
  # The same bytes as the CLI of the same binary renders from the same config.
  "$root/usr/bin/sahelmap" tile 6 31 29 --config "$work/config.json" -o "$work/cli.png"
  cmp -s "$work/tile.png" "$work/cli.png" || fail "the served tile differs from sahelmap tile"
  curl -sf --max-time 10 -o "$work/index.html" "$base/" || fail "GET / failed"
  cmp -s "$work/index.html" "$share/web/index.html" || fail "GET / is not the installed viewer page"
  curl -sf --max-time 10 -o "$work/leaflet.js" "$base/static/node_modules/leaflet/dist/leaflet.js" ||
    fail "the viewer's Leaflet is not served from the installed web root"
  cmp -s "$work/leaflet.js" "$share/web/node_modules/leaflet/dist/leaflet.js" || fail "Leaflet differs from the installed file"
  curl -sf --max-time 10 "$base/styles" | grep -q '"overlay"' || fail "/styles lacks the installed styles"
  echo "served $(stat -c %s "$work/tile.png") byte tile and the viewer from $root"
  ;;
*)
  fail "unknown step $step"
  ;;
esac
