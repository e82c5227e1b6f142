#!/usr/bin/env bash
# Compares the release profile's opt-level (3, "s", "z"; fat LTO, one codegen unit and strip in
# every case): the phone library's size and the speed of the core's hot paths (36C3 initial sync
# and one-change apply, search keystrokes, cold start). Writes bench-results/profiles.{md,json};
# the choice is recorded in docs/adr/0001-release-profile.md. Three full release builds: about
# 30-40 minutes on 2 cores. Usage: scripts/bench-profiles.sh [LEVEL...]   (default: 3 s z)
# BENCH_PROFILES_REUSE=LEVEL=DIR adds a level measured already (e.g. s=bench-results after a
# full scripts/bench.sh run with the committed profile).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
bin="$CARGO_TARGET_DIR/release"
levels=("$@")
[ ${#levels[@]} -eq 0 ] && levels=(3 s z)
args=()
[ -n "${BENCH_PROFILES_REUSE:-}" ] && args+=("$BENCH_PROFILES_REUSE")
for level in "${levels[@]}"; do
  out="$CARGO_TARGET_DIR/bench-profiles/$level"
  mkdir -p "$out"
  printf '\n== opt-level %s (%s)\n' "$level" "$(date +%T)"
  export CARGO_PROFILE_RELEASE_OPT_LEVEL="$level"
  cargo build --release -p marktplatz-ffi
  stat -c %s "$bin/libmarktplatz_ffi.so" > "$out/library-bytes"
  cargo build --release -p marktplatz-tests --bin bench --bin bench-search --bin bench-sync
  BENCH_RESULTS="$out" BENCH_ONLY=36c3 "$bin/bench-sync" > /dev/null
  BENCH_RESULTS="$out" "$bin/bench-search" > /dev/null
  BENCH_RESULTS="$out" BENCH_ONLY=36c3 "$bin/bench" coldstart > /dev/null
  args+=("$level=$out")
  unset CARGO_PROFILE_RELEASE_OPT_LEVEL
done
# Any of the builds can read the results; use the last one.
"$bin/bench" report profiles "${args[@]}"
