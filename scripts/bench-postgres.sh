#!/usr/bin/env bash
# Issue 22's figures, SQLite against PostgreSQL (ADR 0021): the first publish of 36C3 (the
# final schedule, 2,395 entities, through `marktplatz publish` over HTTP) and 304 polls per
# second (wrk, 2 threads, 64 connections, 10 s, on the tail page with its ETag: heads are in
# memory on both engines). One release `marktplatz serve` per engine, one after the other.
# Needs: a release build (cargo build --release -p marktplatz-cli), wrk, ../shared/data, and a
# PostgreSQL server (scripts/start-postgres.sh). Prints one line per figure.
set -euo pipefail
cd "$(dirname "$0")/.."
M=${CARGO_TARGET_DIR:-target}/release/marktplatz
DATA=${MARKTPLATZ_SHARED_DATA:-../shared/data}
FILE=$DATA/c3voc-json/36c3-everything.schedule.json
EVENT=36c3
ADMIN_URL=${MARKTPLATZ_TEST_PG:-$(scripts/start-postgres.sh)}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

# A fresh database for the PostgreSQL run, on the server ADMIN_URL names.
DB=bench_$RANDOM$RANDOM
psql "$ADMIN_URL" -qc "CREATE DATABASE $DB"
PG_URL="${ADMIN_URL%/*}/$DB"

run() { # name port [database URL]
  local name=$1 port=$2 db=${3:-}
  local dbargs=()
  [ -n "$db" ] && dbargs=(--database "$db")
  "$M" serve --data "$W/$name" --listen "127.0.0.1:$port" "${dbargs[@]}" --log warn \
    > "$W/$name.out" 2> "$W/$name.err" &
  local pid=$!
  sleep 2
  local token
  token=$("$M" token --data "$W/$name" "${dbargs[@]}" --event $EVENT --role organiser 2>/dev/null)
  local t0 t1
  t0=$(date +%s.%N)
  "$M" publish --server "http://127.0.0.1:$port" --token "$token" --event $EVENT \
    --source schedule "$FILE" > "$W/$name.publish" 2>&1
  t1=$(date +%s.%N)
  echo "$name: publish of 36C3 $(echo "$t1 - $t0" | bc) s"
  local head epoch seq url etag
  head=$(curl -s "http://127.0.0.1:$port/v1/events/$EVENT/head")
  epoch=$(echo "$head" | python3 -c 'import json,sys; print(json.load(sys.stdin)["epoch"])')
  seq=$(echo "$head" | python3 -c 'import json,sys; print(json.load(sys.stdin)["seq"])')
  url="http://127.0.0.1:$port/v1/events/$EVENT/changes/$epoch/$seq"
  etag=$(curl -sI "$url" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
  wrk -t 2 -c 64 -d 10s -H "If-None-Match: $etag" "$url" > "$W/$name.wrk"
  echo "$name: 304 polls $(grep 'Requests/sec' "$W/$name.wrk"), latency $(grep -m1 'Latency' "$W/$name.wrk" | awk '{print $2, "avg,", $4, "max"}')"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}
run sqlite 18441
run postgres 18442 "$PG_URL"
psql "$ADMIN_URL" -qc "DROP DATABASE $DB WITH (FORCE)"
