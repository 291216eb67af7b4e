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


# A free loopback port, or exit.
free_port() {
  local p
  for _ in $(seq 1 100); do
    p=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  echo "bench: no free port found" >&2
  exit 1
}

# z x y of every tile covering the three countries (lon -12.3..16, lat 9.4..25) at zoom $1.
tiles_at() {
  awk -v z="$1" 'BEGIN {
    pi = atan2(0, -1); n = 2 ^ z
    x0 = int((-12.3 + 180) / 360 * n); x1 = int((16.0 + 180) / 360 * n)
    y0 = int((1 - log(sin(25.0 * pi / 180) / cos(25.0 * pi / 180) + 1 / cos(25.0 * pi / 180)) / pi) / 2 * n)
    y1 = int((1 - log(sin(9.4 * pi / 180) / cos(9.4 * pi / 180) + 1 / cos(9.4 * pi / 180)) / pi) / 2 * n)
    for (x = x0; x <= x1; x++) for (y = y0; y <= y1; y++) print z, x, y
  }'
}

# nginx serving the files under $work/www as static files (PNG and MVT), the
# static twin of a tile server; waits until PROBE (a path) answers. Sets
# nginx_port and nginx_pid (stopped by the cleanup on exit).
start_static_nginx() { # PROBE
  local nginx_bin
  nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
  nginx_port="$(free_port)"
  mkdir -p "$work/nginx-tmp"
  cat >"$work/nginx.conf" <<NGINX
worker_processes 2;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $work/nginx-tmp;
  proxy_temp_path $work/nginx-tmp;
  fastcgi_temp_path $work/nginx-tmp;
  uwsgi_temp_path $work/nginx-tmp;
  scgi_temp_path $work/nginx-tmp;
  types { image/png png; application/vnd.mapbox-vector-tile mvt; }
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
    location / {
      add_header Access-Control-Allow-Origin *;
      expires 1h;
    }
  }
}
NGINX
  "$nginx_bin" -e "$work/nginx-error.log" -p "$work" -c "$work/nginx.conf" &
  nginx_pid=$!
  for _ in $(seq 1 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$nginx_port$1" && return
    sleep 0.05
  done
  echo "bench: nginx did not start:" >&2
  cat "$work/nginx-error.log" >&2
  exit 1
}
