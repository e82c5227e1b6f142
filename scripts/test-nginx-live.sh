#!/usr/bin/env bash
# nginx in front of the server (docs/deploy/nginx-live.conf, Debian's nginx, started here on
# 127.0.0.1 with a temporary prefix): FOLLOWERS follow loops of the demo event hold their
# long-polls through it while CHANGES operations are posted; a second nginx server block
# between the cache and the server logs every request that reaches the server, and the
# followers' program (tests/src/bin/live_followers.rs) counts those per change.
# Prints e.g. "500 followers, 3 changes: origin requests per change = 1.0 ...".
# Usage: scripts/test-nginx-live.sh [FOLLOWERS] [CHANGES]   (default 500 3; not in CI)
set -euo pipefail
cd "$(dirname "$0")/.."
FOLLOWERS=${1:-500}
CHANGES=${2:-3}
TARGET_DIR=${CARGO_TARGET_DIR:-target}
EVENT=egov-marktplatz-nordwest-2027

source scripts/nginx-prefix.sh
NGINX=$(nginx_bin)
# One connection per follower, twice (follower to nginx, nginx's own), plus the stores.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

cargo build -q -p marktplatz-cli -p marktplatz-tests --bin live_followers
BIN="$TARGET_DIR/debug"

WORK=$(mktemp -d)
mkdir -p "$WORK/nginx/cache"
SERVER_PID=""
NGINX_PID=""
cleanup() {
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

TOKEN=$("$BIN/marktplatz" token --data "$WORK/srv" --event "$EVENT" --role organiser 2>/dev/null)
"$BIN/marktplatz" serve --data "$WORK/srv" --listen 127.0.0.1:0 --demo >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do
  grep -q "listening on" "$WORK/server.log" && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log"; echo "nginx-live: the server did not start" >&2; exit 1; }
  sleep 0.1
done
ORIGIN=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$WORK/server.log" | head -1)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
FRONT=$(free_port)
COUNTER=$(free_port)

sed -e "s|listen 80;|listen 127.0.0.1:$FRONT;|" \
    -e "s|server 127.0.0.1:8080;|server 127.0.0.1:$COUNTER;|" \
    -e "s|/var/cache/nginx/marktplatz|$WORK/nginx/cache|" \
    docs/deploy/nginx-live.conf >"$WORK/nginx/marktplatz.conf"
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
worker_rlimit_nofile 65536;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 16384; }
http {
    # Every request the followers made (the cache's server block inherits this).
    access_log $WORK/nginx/front.log;
$(nginx_temp_paths "$WORK/nginx")
    include $WORK/nginx/marktplatz.conf;
    # Between the cache and the server: one log line per request that reaches the server.
    server {
        listen 127.0.0.1:$COUNTER;
        access_log $WORK/nginx/origin.log;
        location / {
            proxy_pass $ORIGIN;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_read_timeout 60s;
        }
    }
}
CONF
nginx_start "$WORK/nginx" "$FRONT"
echo "nginx-live: server $ORIGIN, nginx http://127.0.0.1:$FRONT, $FOLLOWERS followers"
"$BIN/live_followers" --via "http://127.0.0.1:$FRONT" --origin "$ORIGIN" --event "$EVENT" \
  --token "$TOKEN" --followers "$FOLLOWERS" --changes "$CHANGES" --origin-log "$WORK/nginx/origin.log" \
  --proxy-log "$WORK/nginx/front.log"
