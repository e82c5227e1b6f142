#!/usr/bin/env bash
# Runs every check the project has: formatting, lints, the Rust tests (unit, store, end-to-end
# over loopback, conformance over ../shared/data), the Kotlin bridge on the JVM against the real
# library and server, and the syntax checks of the Android UI Kotlin and the Swift sources.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "setup (installs only what is missing)"
scripts/setup.sh

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy --all-targets -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

step "cargo test"
cargo test --workspace --all-targets

for extra in scripts/test-kotlin.sh scripts/check-android-syntax.sh scripts/check-swift.sh; do
  if [ -x "$extra" ]; then
    step "$extra"
    "$extra"
  fi
done

step "all checks passed"
