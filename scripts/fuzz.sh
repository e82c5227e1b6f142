#!/usr/bin/env bash
# Fuzzes every target in fuzz/ (libFuzzer via cargo-fuzz) for SECONDS each (default 60) and
# prints executions and crashes per target. The seeds (small hand-written files, committed) are in
# fuzz/corpus/<target>; the inputs libFuzzer finds go to fuzz/corpus-grown/<target> (not
# committed: they are a run's output) and are read again by the next run.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
# cargo-fuzz needs nightly flags; on stable they are allowed with RUSTC_BOOTSTRAP=1. It is
# installed from crates.io when missing. A crash stops the run; its input is in
# fuzz/artifacts/<target>/ (reproduce: cargo fuzz run <target> <file>). Builds go to
# fuzz/target unless FUZZ_TARGET_DIR says otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-60}
shift || true
export RUSTC_BOOTSTRAP=1
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz (crates.io)"
  cargo install -q cargo-fuzz
fi
cd fuzz
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  mapfile -t TARGETS < <(cargo fuzz list)
fi
# No sanitizer: the code under test has no unsafe (the workspace denies it); what we look for
# are panics, overflows (debug assertions are on) and hangs. Faster builds and runs too.
FLAGS=(--sanitizer none --release --debug-assertions --target-dir "${FUZZ_TARGET_DIR:-target}")
cargo fuzz build "${FLAGS[@]}" >/dev/null
printf '%-22s %14s %9s %8s %s\n' target executions exec/s corpus crashes
status=0
for target in "${TARGETS[@]}"; do
  mkdir -p "corpus/$target" "corpus-grown/$target"
  log=$(mktemp)
  # libFuzzer writes new inputs into the first directory and reads all of them.
  if cargo fuzz run "${FLAGS[@]}" "$target" "corpus-grown/$target" "corpus/$target" -- \
       -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       >"$log" 2>&1; then
    crashes=0
  else
    crashes=1
    status=1
  fi
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  corpus=$(find "corpus/$target" "corpus-grown/$target" -type f | wc -l)
  printf '%-22s %14s %9s %8s %s\n' "$target" "${execs:-?}" "${rate:-?}" "$corpus" "$crashes"
  if [ "$crashes" != 0 ]; then
    tail -40 "$log"
  fi
  rm -f "$log"
done
exit $status
