# Sourced by the HTTP benchmarks, from SAHELMAP_ROOT: finds the binary (the
# caller's argument, in bench_binary_arg, else a bench or release build),
# makes a scratch directory removed on exit, and starts and stops sahelmap
# serve on a free loopback port.

bin="${bench_binary_arg:-}"
if [ -z "$bin" ]; then
  for candidate in build/bench/sahelmap build/release/sahelmap; do
    [ -x "$candidate" ] && { bin="$candidate"; break; }
  done
fi
[ -n "$bin" ] && [ -x "$bin" ] || {
  echo "bench: no sahelmap binary; build one (cmake --preset release && cmake --build --preset release) or pass its path" >&2
  exit 1
}
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"

work="$(mktemp -d /tmp/sahelmap-bench.XXXXXX)"
chmod 755 "$work" # nginx workers run as nobody
server_pid=""
nginx_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Starts sahelmap serve on a free port with the given extra options; sets
# server_pid and server_port.
start_server() {
  "$bin" serve --port 0 --threads 2 --render-threads 2 --log-level warn "$@" \
    >"$work/serve.out" 2>"$work/serve.err" &
  server_pid=$!
  for _ in $(seq 1 200); do
    grep -q '^listening on ' "$work/serve.out" 2>/dev/null && break
    sleep 0.05
  done
  server_port="$(sed -n 's/^listening on http:\/\/127\.0\.0\.1:\([0-9]*\)$/\1/p' "$work/serve.out")"
  [ -n "$server_port" ] || { echo "bench: sahelmap serve did not start:" >&2; cat "$work/serve.err" >&2; exit 1; }
}

stop_server() {
  kill "$server_pid" && wait "$server_pid" || true
  server_pid=""
}

