#!/usr/bin/env bash
# The deployment of docs/deploy/ on 127.0.0.1: nginx from docs/deploy/nginx.conf (addresses,
# ports, certificate and cache paths rewritten; a throwaway self-signed certificate) in front of
# two `marktplatz serve` instances. Checks: HTTPS serves the event's pages, HTTP redirects to
# HTTPS, a second GET of a page is a cache hit, identical long-polls collapse into one request
# to an instance, and after SIGKILL of one instance every request is still answered through the
# survivor (reads, an organiser's operation sent twice with one key: applied once, and a
# device syncing through nginx before and after the kill). Then
# `systemd-analyze verify` on the units, where systemd-analyze runs.
#
# Two instances are "one server" only on one database: with MARKTPLATZ_TEST_PG=postgres://...
# (scripts/test.sh sets it) both instances serve one scratch database made on that server
# (ADR 0021), each with its own --data as its asset cache, and a write through one is checked
# to be seen through the other. Without it (a machine with no PostgreSQL) each instance serves
# its own copy of one published data directory, made with `marktplatz backup`: the same event,
# pages and assets for the reads checked here, but a write through one is not seen by the other.
# Usage: scripts/test-deploy.sh   (run by scripts/test.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET_DIR=${CARGO_TARGET_DIR:-target}
EVENT=egov-marktplatz-nordwest-2027
NAME=marktplatz.test
FOLLOWERS=20

say() { echo "test-deploy: $*"; }
fail() { echo "test-deploy: FAILED: $*" >&2; exit 1; }

source scripts/nginx-prefix.sh
NGINX=$(nginx_bin)

cargo build -q -p marktplatz-cli
BIN="$(cd "$TARGET_DIR" && pwd)/debug/marktplatz"

WORK=$(mktemp -d)
PIDS=()
SCRATCH_DB=
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  if [ -n "$SCRATCH_DB" ]; then
    psql -q "$MARKTPLATZ_TEST_PG" -c "DROP DATABASE IF EXISTS $SCRATCH_DB WITH (FORCE)" >/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -n "${MARKTPLATZ_TEST_PG:-}" ]; then
  SCRATCH_DB="deploy_$$_$RANDOM"
  psql -q "$MARKTPLATZ_TEST_PG" -c "CREATE DATABASE $SCRATCH_DB" >/dev/null \
    || fail "cannot create a scratch database on $MARKTPLATZ_TEST_PG"
  DB_URL="${MARKTPLATZ_TEST_PG%/*}/$SCRATCH_DB"
  PUBLISHED=(--data "$WORK/published" --database "$DB_URL")
  STORE_A=(--data "$WORK/instance-a" --database "$DB_URL")
  STORE_B=(--data "$WORK/instance-b" --database "$DB_URL")
else
  PUBLISHED=(--data "$WORK/published")
  STORE_A=(--data "$WORK/instance-a")
  STORE_B=(--data "$WORK/instance-b")
fi

# Starts `marktplatz serve ARGS...` logging to $WORK/$1.log; sets SERVER_PID and SERVER_PORT.
start_server() {
  local log="$WORK/$1.log"
  shift
  "$BIN" serve --listen 127.0.0.1:0 "$@" >"$log" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  for _ in $(seq 1 300); do
    grep -qs "listening on" "$log" && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$log" >&2; fail "a server did not start ($*)"; }
    sleep 0.1
  done
  SERVER_PORT=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log" | head -1)
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# The event, published; the instances' data copied from it while it serves.
start_server publisher "${PUBLISHED[@]}" --demo
PUBLISHER=$SERVER_PORT
TOKEN=$("$BIN" token "${PUBLISHED[@]}" --event "$EVENT" --role organiser 2>/dev/null)
if [ -z "${MARKTPLATZ_TEST_PG:-}" ]; then
  "$BIN" backup --data "$WORK/published" --to "$WORK/instance-a" >/dev/null
  "$BIN" backup --data "$WORK/published" --to "$WORK/instance-b" >/dev/null
fi
kill "$SERVER_PID" && wait "$SERVER_PID" 2>/dev/null || true
# As marktplatz@.service starts them: nginx (here on 127.0.0.1) names the client.
start_server instance-a "${STORE_A[@]}" --trusted-proxy 127.0.0.1
PORT_A=$SERVER_PORT
PID_A=$SERVER_PID
start_server instance-b "${STORE_B[@]}" --trusted-proxy 127.0.0.1
PORT_B=$SERVER_PORT
say "instances on 127.0.0.1:$PORT_A and 127.0.0.1:$PORT_B (publisher was :$PUBLISHER)"

mkdir -p "$WORK/tls" "$WORK/nginx/cache" "$WORK/www"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
  -subj "/CN=$NAME" -addext "subjectAltName=DNS:$NAME" \
  -keyout "$WORK/tls/key.pem" -out "$WORK/tls/cert.pem" 2>/dev/null
HTTP=$(free_port)
HTTPS=$(free_port)
# A plain listener on the HTTPS site, for this test only: a device (the core's HTTP client
# trusts only the web PKI, not this throwaway certificate) syncs through the same locations.
PLAIN=$(free_port)
sed -e "s|listen 80;|listen 127.0.0.1:$HTTP;|" \
    -e "s|listen 443 ssl http2;|listen 127.0.0.1:$HTTPS ssl http2;\n    listen 127.0.0.1:$PLAIN;|" \
    -e '/listen \[::\]/d' \
    -e "s|server_name marktplatz.example.org;|server_name $NAME;|" \
    -e "s|/etc/letsencrypt/live/marktplatz.example.org/fullchain.pem|$WORK/tls/cert.pem|" \
    -e "s|/etc/letsencrypt/live/marktplatz.example.org/privkey.pem|$WORK/tls/key.pem|" \
    -e "s|/var/cache/nginx/marktplatz|$WORK/nginx/cache|" \
    -e "s|/var/www/letsencrypt|$WORK/www|" \
    -e "s|server 127.0.0.1:8081 |server 127.0.0.1:$PORT_A |" \
    -e "s|server 127.0.0.1:8082 |server 127.0.0.1:$PORT_B |" \
    docs/deploy/nginx.conf >"$WORK/nginx/marktplatz.conf"
# A rewrite that no longer matches would test the production addresses: refuse.
if grep -v '^ *#' "$WORK/nginx/marktplatz.conf" | grep -nE 'example\.org|/etc/letsencrypt|/var/cache|:808[12] |listen (80|443)'; then
  fail "docs/deploy/nginx.conf changed shape: the rewrite above missed these lines"
fi
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
    log_format deploy '\$request_method \$request_uri \$status \$upstream_cache_status "\$upstream_addr"';
    access_log $WORK/nginx/access.log deploy;
$(nginx_temp_paths "$WORK/nginx")
    include $WORK/nginx/marktplatz.conf;
}
CONF
chmod -R a+rX "$WORK/tls"
nginx_start "$WORK/nginx" "$HTTPS" || fail "nginx did not start"
PIDS+=("$NGINX_PID")

BASE="https://$NAME:$HTTPS"
# curl trusting only the throwaway certificate, the name resolved to loopback.
get() {
  curl -sS --max-time 30 --cacert "$WORK/tls/cert.pem" --resolve "$NAME:$HTTPS:127.0.0.1" \
    --resolve "$NAME:$HTTP:127.0.0.1" "$@"
}
cache_status() { get -o /dev/null -D - "$BASE$1" | tr -d '\r' | sed -n 's/^x-cache-status: //Ip'; }

# 1. HTTPS serves the event: its web programme and its head, with HSTS.
get -D "$WORK/headers" -o "$WORK/agenda.html" "$BASE/e/$EVENT/"
grep -qi '^HTTP/2 200' "$WORK/headers" || fail "GET /e/$EVENT/ over HTTPS: $(head -1 "$WORK/headers")"
grep -qi '^strict-transport-security: max-age=63072000' "$WORK/headers" || fail "no HSTS header"
grep -q 'Marktplatz Nordwest' "$WORK/agenda.html" || fail "the web programme does not name the event"
HEAD_JSON=$(get "$BASE/v1/events/$EVENT/head")
EPOCH=$(jq -r .epoch <<<"$HEAD_JSON")
SEQ=$(jq -r .seq <<<"$HEAD_JSON")
[ "$SEQ" -gt 0 ] || fail "head: $HEAD_JSON"
TLS=$(get -o /dev/null -w '%{http_version} %{ssl_verify_result}' "$BASE/v1/events/$EVENT/head")
say "HTTPS: /e/$EVENT/ 200 with HSTS, head seq $SEQ (HTTP version, verify result: $TLS)"
if get -o /dev/null --tls-max 1.1 "$BASE/v1/events/$EVENT/head" 2>/dev/null; then
  fail "TLS 1.1 was accepted"
fi

# 2. HTTP redirects to the same address over HTTPS.
REDIRECT=$(get -o /dev/null -w '%{http_code} %{redirect_url}' "http://$NAME:$HTTP/e/$EVENT/?lang=de")
[ "$REDIRECT" = "301 https://$NAME/e/$EVENT/?lang=de" ] || fail "HTTP answered: $REDIRECT"
say "HTTP: $REDIRECT"

# 3. A second GET of a page is a cache hit: a web programme page (max-age=60), the change page
#    from the start (here the whole event: the tail, max-age=5) and an asset (immutable).
FIRST_PAGE=$(get "$BASE/v1/events/$EVENT/changes/$EPOCH/0")
ASSET=$(jq -r '[.. | .sha256? | strings] | first' <<<"$FIRST_PAGE")
[ -n "$ASSET" ] && [ "$ASSET" != null ] || fail "no asset on the first change page"
for path in "/e/$EVENT/speakers" "/v1/events/$EVENT/changes/$EPOCH/0" "/v1/assets/$ASSET"; do
  first=$(cache_status "$path")
  second=$(cache_status "$path")
  [ "$second" = HIT ] || fail "second GET $path: $second (first: $first)"
  say "cache: $path $first then $second"
done
# With a token the cache is bypassed both times.
private=$(get -o /dev/null -D - -H 'Authorization: Bearer not-a-token' "$BASE/e/$EVENT/speakers" | tr -d '\r' | sed -n 's/^x-cache-status: //Ip')
[ "$private" = BYPASS ] || fail "a request with a token was answered from the cache: $private"

# A device syncs the event through nginx (it syncs again after the kill, section 5).
DEVICE_URL="http://127.0.0.1:$PLAIN"
FIRST_CURSOR=$("$BIN" sync --device "$WORK/phone" --server "$DEVICE_URL" --event "$EVENT" --json --no-assets | jq -r .cursor)
[ "$FIRST_CURSOR" = "$SEQ" ] || fail "a device syncing through nginx reached $FIRST_CURSOR, not the head $SEQ"
say "device: synced through nginx to seq $FIRST_CURSOR"

# 4. Identical long-polls collapse: FOLLOWERS held polls of the tail, one reaches an instance.
POLL="/v1/events/$EVENT/changes/$EPOCH/$SEQ?wait=3&cursor=1"
: >"$WORK/nginx/access.log"
for i in $(seq 1 "$FOLLOWERS"); do
  get -o /dev/null -w '%{http_code}\n' "$BASE$POLL" >"$WORK/poll-$i" &
done
wait_polls() { for i in $(seq 1 "$FOLLOWERS"); do while [ ! -s "$WORK/poll-$i" ]; do sleep 0.1; done; done; }
wait_polls
codes=$(cat "$WORK"/poll-* | sort | uniq -c | tr -s ' ' | tr '\n' ';')
grep -vq '^200$' "$WORK"/poll-* && fail "long-polls answered: $codes"
# Lines of the poll that reached an instance name it ("127.0.0.1:PORT"); the others, "-".
ORIGIN_POLLS=$(grep -F "GET $POLL " "$WORK/nginx/access.log" | grep -c '"127.0.0.1:' || true)
FRONT_POLLS=$(grep -cF "GET $POLL " "$WORK/nginx/access.log" || true)
[ "$FRONT_POLLS" = "$FOLLOWERS" ] || fail "nginx logged $FRONT_POLLS of $FOLLOWERS polls"
[ "$ORIGIN_POLLS" = 1 ] || fail "$ORIGIN_POLLS of $FOLLOWERS identical long-polls reached an instance"
say "long-polls: $FOLLOWERS held polls, $ORIGIN_POLLS reached an instance"

# 4b. One database: an operation posted to instance A is seen through instance B at once, and a
#     long-poll held on B is answered by it (the instances learn of each other's writes through
#     LISTEN/NOTIFY). Only where both share one database.
if [ -n "${MARKTPLATZ_TEST_PG:-}" ]; then
  HELD=$(mktemp -p "$WORK")
  curl -sS --max-time 30 -o "$HELD" -w '%{http_code}' \
    "http://127.0.0.1:$PORT_B/v1/events/$EVENT/changes/$EPOCH/$SEQ?wait=10&cursor=held-on-b" >"$HELD.code" &
  HELD_PID=$!
  sleep 0.5
  OP_A="{\"event\":\"$EVENT\",\"base\":0,\"op\":{\"op\":\"announcement.create\",\"id\":\"through-a\",\"title\":\"Posted to A\",\"published_at\":\"2027-03-04T08:00:00Z\"}}"
  POSTED=$(date +%s%N)
  code=$(curl -sS -o "$WORK/op-a.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" \
    -H "Idempotency-Key: deploy-through-a" -H 'Content-Type: application/json' --data "$OP_A" \
    "http://127.0.0.1:$PORT_A/v1/events/$EVENT/ops")
  [ "${code:0:1}" = 2 ] || fail "operation through instance A answered $code: $(cat "$WORK/op-a.json")"
  wait "$HELD_PID" || fail "the long-poll held on instance B failed"
  HEARD_MS=$(( ($(date +%s%N) - POSTED) / 1000000 ))
  [ "$(cat "$HELD.code")" = 200 ] || fail "the long-poll held on instance B answered $(cat "$HELD.code")"
  grep -q 'through-a' "$HELD" || fail "the long-poll held on instance B did not carry A's operation: $(head -c 300 "$HELD")"
  [ "$HEARD_MS" -lt 1000 ] || fail "instance B answered its held poll ${HEARD_MS} ms after A's write (limit 1 s)"
  SEQ_B=$(curl -sS "http://127.0.0.1:$PORT_B/v1/events/$EVENT/head" | jq -r .seq)
  [ "$SEQ_B" = $((SEQ + 1)) ] || fail "instance B's head after A's operation: $SEQ_B (before: $SEQ)"
  say "one database: an operation posted to :$PORT_A answered a poll held on :$PORT_B after $HEARD_MS ms; B's head $SEQ -> $SEQ_B"
  SEQ=$SEQ_B
  # An access code set from another process (the CLI on the database) guards the event on B
  # at once, though B had just read it as public: a policy is announced like a change
  # (changes::announce_policy); without that, B trusted what it remembered for up to a second.
  for round in protect open; do
    if [ "$round" = protect ]; then before=200 after=401 args=(--code "Deploy 2027"); else before=401 after=200 args=(--clear); fi
    status=$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT_B/v1/events/$EVENT/head")
    [ "$status" = "$before" ] || fail "instance B's head before the access code ($round): $status"
    "$BIN" access-code "${STORE_A[@]}" --event "$EVENT" "${args[@]}" >/dev/null 2>&1 \
      || fail "marktplatz access-code ${args[*]} on the database failed"
    SET=$(date +%s%N)
    while :; do
      status=$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT_B/v1/events/$EVENT/head")
      GUARD_MS=$(( ($(date +%s%N) - SET) / 1000000 ))
      [ "$status" = "$after" ] && break
      [ "$GUARD_MS" -lt 300 ] || fail "instance B still answers $status ${GUARD_MS} ms after the access code was set ($round)"
      sleep 0.01
    done
    say "one database: access code ($round) set from the CLI; instance B answered $after after $GUARD_MS ms"
  done
fi

# 4c. Per-client limits behind nginx: the instances trust nginx, so the client nginx names in
#     X-Forwarded-For ($proxy_add_x_forwarded_for: the address it was connected from) is the
#     one counted. Client A (127.0.0.2) floods admin requests (each costs its client one token
#     of the write budget, 200 at once and 50 a second, and is answered 401 without a token)
#     until it is answered 429; meanwhile client B (127.0.0.3), through the
#     same nginx, is answered as usual. Without --trusted-proxy every request would count as
#     nginx's and B would be answered 429 too.
mkdir -p "$WORK/flood"
get --interface 127.0.0.2 --parallel --parallel-max 32 --no-progress-meter -o "$WORK/flood/#1" \
  -w '%{http_code}\n' "$BASE/v1/admin/tokens?a=[1-5000]" >"$WORK/flood.codes" &
FLOOD_PID=$!
# B asks once A is limited, while the flood goes on.
for _ in $(seq 1 300); do grep -q '^429$' "$WORK/flood.codes" && break; sleep 0.05; done
B_CODES=""
for i in 1 2 3 4 5; do
  B_CODES="$B_CODES $(get --interface 127.0.0.3 -o /dev/null -w '%{http_code}' "$BASE/v1/admin/tokens?b=$i")"
done
kill -0 "$FLOOD_PID" 2>/dev/null && FLOOD_RUNNING=yes || FLOOD_RUNNING=no
wait "$FLOOD_PID" || true
A_LIMITED=$(grep -c '^429$' "$WORK/flood.codes" || true)
A_ANSWERED=$(grep -c '^401$' "$WORK/flood.codes" || true)
[ "$A_LIMITED" -gt 0 ] || fail "client A was never rate limited through nginx ($A_ANSWERED answered 401)"
[ "$B_CODES" = " 401 401 401 401 401" ] \
  || fail "client B, through nginx while client A was limited, was answered:$B_CODES"
say "per-client limits: client A (127.0.0.2) answered 401 $A_ANSWERED times, then 429 $A_LIMITED times; client B (127.0.0.3) meanwhile:$B_CODES (A's flood still running: $FLOOD_RUNNING)"

# 5. Failover: both instances take requests; after SIGKILL of one, every request is answered
#    through the survivor. Each URL is new (a query the server ignores), so none is a cache hit.
: >"$WORK/nginx/access.log"
for i in $(seq 1 10); do
  [ "$(get -o /dev/null -w '%{http_code}' "$BASE/v1/events/$EVENT/head?before=$i")" = 200 ] || fail "head before the kill"
done
grep -q "\"127.0.0.1:$PORT_A\"" "$WORK/nginx/access.log" && grep -q "\"127.0.0.1:$PORT_B\"" "$WORK/nginx/access.log" \
  || fail "nginx did not use both instances: $(cat "$WORK/nginx/access.log")"
{ kill -KILL "$PID_A"; wait "$PID_A"; } 2>/dev/null || true
: >"$WORK/nginx/access.log"
ANSWERED=0
for i in $(seq 1 30); do
  code=$(get -o /dev/null -w '%{http_code}' "$BASE/v1/events/$EVENT/head?after=$i")
  [ "$code" = 200 ] || fail "request $i after the kill answered $code"
  ANSWERED=$((ANSWERED + 1))
done
page=$(get -o /dev/null -w '%{http_code}' "$BASE/e/$EVENT/stations?after=kill")
[ "$page" = 200 ] || fail "the web programme after the kill answered $page"
# An organiser's operation through nginx, sent twice with one Idempotency-Key (a retry):
# answered both times, applied once.
OP="{\"event\":\"$EVENT\",\"base\":0,\"op\":{\"op\":\"announcement.create\",\"id\":\"after-kill\",\"title\":\"Weiter geht's\",\"published_at\":\"2027-03-04T08:00:00Z\"}}"
for attempt in 1 2; do
  code=$(get -o "$WORK/op.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" \
    -H "Idempotency-Key: deploy-after-kill" -H 'Content-Type: application/json' --data "$OP" \
    "$BASE/v1/events/$EVENT/ops")
  [ "${code:0:1}" = 2 ] || fail "operation (attempt $attempt) after the kill answered $code: $(cat "$WORK/op.json")"
done
SEQ_AFTER=$(get "$BASE/v1/events/$EVENT/head?after=op" | jq -r .seq)
[ "$SEQ_AFTER" = $((SEQ + 1)) ] || fail "head after one operation sent twice: $SEQ_AFTER (before: $SEQ)"
grep -q "\"127.0.0.1:$PORT_B\"" "$WORK/nginx/access.log" || fail "the survivor answered nothing"
# The device keeps syncing through nginx and the survivor: it reaches the head with the
# operation (within 10 s: the tail page it asked before may be cached for 5 s, as designed).
for _ in $(seq 1 100); do
  DEVICE_CURSOR=$("$BIN" sync --device "$WORK/phone" --server "$DEVICE_URL" --event "$EVENT" --json --no-assets | jq -r .cursor) \
    || fail "the device's sync through nginx after the kill failed"
  [ "$DEVICE_CURSOR" = "$SEQ_AFTER" ] && break
  sleep 0.1
done
[ "$DEVICE_CURSOR" = "$SEQ_AFTER" ] || fail "the device synced through nginx to $DEVICE_CURSOR after the kill, not $SEQ_AFTER"
RETRIED=$(grep -c "127.0.0.1:$PORT_A, 127.0.0.1:$PORT_B" "$WORK/nginx/access.log" || true)
say "failover: instance :$PORT_A killed (SIGKILL); $ANSWERED of 30 reads answered 200 through :$PORT_B ($RETRIED moved there after a refused connection); an operation sent twice applied once (seq $SEQ -> $SEQ_AFTER); the device synced through nginx to $DEVICE_CURSOR"

# 6. The systemd units, as systemd would read them (the binary's path rewritten).
if command -v systemd-analyze >/dev/null; then
  mkdir -p "$WORK/units"
  for unit in 'marktplatz@.service' marktplatz-backup.service marktplatz-backup.timer; do
    sed "s|/usr/local/bin/marktplatz|$BIN|" "docs/deploy/$unit" >"$WORK/units/$unit"
  done
  if systemd-analyze verify --man=no "$WORK/units/marktplatz@8081.service" \
       "$WORK/units/marktplatz-backup.service" "$WORK/units/marktplatz-backup.timer" 2>"$WORK/verify.log"; then
    grep -v 'is not safe\|does not exist' "$WORK/verify.log" >&2 || true
    say "systemd-analyze verify: the units are valid"
  else
    cat "$WORK/verify.log" >&2
    fail "systemd-analyze verify refused the units"
  fi
else
  say "systemd-analyze is not installed: the units were NOT verified"
fi
say "all checks passed"
