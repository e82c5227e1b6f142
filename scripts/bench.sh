#!/usr/bin/env bash
# Runs every benchmark (release builds) and writes bench-results/report.{md,json}: each headline
# figure next to its baseline measured in the same run, with its target (PASS/MISS). The parts
# also leave their own bench-results/{sync,coldstart,search,memory,library,server,web-programme,
# web-feeds,postgres}.{md,json}.
#
#   scripts/bench.sh                 # everything (about 15-20 minutes on 2 cores, builds included)
#   scripts/bench.sh sync search     # only these parts (then the report from what is there)
#
# Parts: sync, coldstart, search, web-search (the web programme's in-memory search vs the
# device's on 36C3, issue 20; writes bench-results/web-search.{md,json}), memory, library,
# publish, postgres (issue 22: 304 polls and the first publish of 36C3 on SQLite and on
# PostgreSQL, and the time a second instance on the database takes to notice a change, p99 of
# BENCH_PG_NOTICES=200; starts PostgreSQL with scripts/start-postgres.sh; needs wrk), server, web-programme (the attendee page of one 36C3 day: < 20 ms and < 150 KB gzip,
# issue 20), web-feeds (the 36C3 calendar feed: < 50 ms), server-abuse (not in the default
# run: 1,000 anonymous slow and oversized uploads while 304 polls are measured, issue 15; needs
# wrk; `BENCH_ABUSE_*` knobs in tests/src/bin/bench/server_abuse.rs), live (not in the default
# run: 10,000 followers' long-polls on one server, issue 19, about 3 minutes; built with the
# `bench` profile (release, thin LTO) into the same target/release; `BENCH_LIVE_*` knobs in
# tests/src/bin/bench/live.rs; writes bench-results/live-updates.{md,json}).
# Needs: the real schedules in ../shared/data (sync, coldstart, search, server); binutils `nm`
# and `strip` (library); `nginx` and `wrk` (server: installed with apt-get when missing and root,
# otherwise the part is skipped with a message), and `ulimit -n` of at least 10,200 for 10,000
# devices (raised to the hard limit here). Environment knobs: BENCH_SERVER_SECONDS (6),
# BENCH_SERVER_REPEATS (3), BENCH_SERVER_CONNECTIONS (1000,10000), BENCH_COLDSTART_RUNS (30).
# CI does not run this (tests only).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
bin="$CARGO_TARGET_DIR/release"
results="$root/bench-results"
mkdir -p "$results"

parts=("$@")
[ ${#parts[@]} -eq 0 ] && parts=(library sync coldstart search web-search memory publish postgres server web-programme web-feeds)
want() { local p; for p in "${parts[@]}"; do [ "$p" = "$1" ] && return 0; done; return 1; }
step() { printf '\n== %s (%s)\n' "$*" "$(date +%T)"; }

if want library; then
  # `cargo rustc --crate-type cdylib`: cargo silently builds a crate whose crate types include
  # `lib` without LTO (rust-lang/cargo#9672); only the shipped crate type alone gets fat LTO.
  step "library: cargo rustc --release -p marktplatz-ffi --lib --crate-type cdylib (fat LTO; no organiser code)"
  cargo rustc --release -p marktplatz-ffi --lib --crate-type cdylib
  mkdir -p "$CARGO_TARGET_DIR/bench"
  cp "$bin/libmarktplatz_ffi.so" "$CARGO_TARGET_DIR/bench/libmarktplatz_ffi.stripped.so"
  # The same build linked with its symbols, to see what each dependency costs.
  cargo rustc --release -p marktplatz-ffi --lib --crate-type cdylib -- -C strip=none
  cp "$bin/libmarktplatz_ffi.so" "$CARGO_TARGET_DIR/bench/libmarktplatz_ffi.symbols.so"
fi

if want live; then
  step "build the live benchmark: cargo build --profile bench -p marktplatz-tests --bin bench --bin bench-server --bin live_followers"
  cargo build --profile bench -p marktplatz-tests --bin bench --bin bench-server --bin live_followers
  ulimit -n "$(ulimit -Hn)" 2> /dev/null || true
  step "live"
  "$bin/bench" live > /dev/null
  # Only the live part: its figures are in bench-results/live-updates.{md,json}, not in the report.
  [ ${#parts[@]} -eq 1 ] && exit 0
fi

step "build the benchmarks: cargo build --release -p marktplatz-tests --bin bench --bin bench-server --bin bench-sync --bin bench-search --bin bench-feeds"
cargo build --release -p marktplatz-tests --bin bench --bin bench-server --bin bench-sync --bin bench-search --bin bench-feeds

if want library; then
  step "library size"
  opt=$(sed -n '/^\[profile.release\]/,/^\[/s/^opt-level *= *"\{0,1\}\([0-9sz]*\)"\{0,1\}.*/\1/p' Cargo.toml | head -1)
  "$bin/bench" library "$CARGO_TARGET_DIR/bench/libmarktplatz_ffi.stripped.so" \
    "$CARGO_TARGET_DIR/bench/libmarktplatz_ffi.symbols.so" "${opt:-s}"
fi
if want sync; then
  step "sync"
  "$bin/bench-sync" > /dev/null
fi
if want coldstart; then
  step "cold start"
  "$bin/bench" coldstart > /dev/null
fi
if want search; then
  step "search"
  "$bin/bench-search" > /dev/null
fi
if want web-search; then
  step "web search (the server's in-memory index vs the device's FTS5, 36C3)"
  "$bin/bench" web-search > /dev/null
fi
if want memory; then
  step "memory"
  "$bin/bench" memory > /dev/null
fi
if want publish; then
  step "publish (36C3 preview + apply, unchanged republish as baseline)"
  "$bin/bench" publish > /dev/null
fi
if want postgres; then
  step "postgres (SQLite against PostgreSQL; two instances on one database)"
  cargo build --release -q -p marktplatz-cli
  if command -v wrk > /dev/null; then
    MARKTPLATZ_TEST_PG="${MARKTPLATZ_TEST_PG:-$(scripts/start-postgres.sh)}" "$bin/bench" postgres > /dev/null
  else
    echo "skipped: the postgres part needs wrk (apt-get install wrk)"
  fi
fi
if want web-programme; then
  step "web-programme (36C3 page of one day vs the whole bundle)"
  "$bin/bench" web-programme > /dev/null
fi
if want web-feeds; then
  step "web-feeds (36C3 calendar feed vs the bundle)"
  "$bin/bench-feeds" > /dev/null
fi
if want server || want server-abuse; then
  if ! command -v nginx > /dev/null || ! command -v wrk > /dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
      apt-get install -y -qq nginx-light wrk > /dev/null \
        || { apt-get update -qq && apt-get install -y -qq nginx-light wrk > /dev/null; }
    fi
  fi
  ulimit -n "$(ulimit -Hn)" 2> /dev/null || true
fi
if want server; then
  step "server"
  if command -v nginx > /dev/null && command -v wrk > /dev/null; then
    "$bin/bench" server > /dev/null
  else
    echo "skipped: the server part needs nginx and wrk (apt-get install nginx-light wrk)"
  fi
fi
if want server-abuse; then
  step "server-abuse"
  if command -v wrk > /dev/null; then
    "$bin/bench" server-abuse > /dev/null
  else
    echo "skipped: the server-abuse part needs wrk (apt-get install wrk)"
  fi
fi

step "report"
"$bin/bench" report
echo
echo "written: $results/report.md and report.json"
