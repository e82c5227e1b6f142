#!/usr/bin/env bash
# Runs every check the project has: formatting, lints, the crate boundaries, cargo-deny
# (licences, bans, sources; advisories where the RustSec database can be fetched), the API
# docs without warnings, the Rust tests (unit, store, end-to-end over loopback, conformance
# over ../shared/data; the store and end-to-end tests on SQLite and on PostgreSQL), the
# deployment of docs/deploy/ behind nginx, the Kotlin bridge on the JVM against the real library
# and server, the apps' colour contrast, and the syntax checks of the Android UI Kotlin and the
# Swift sources.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "setup (installs only what is missing)"
scripts/setup.sh

step "PostgreSQL for the store and end-to-end tests (scripts/start-postgres.sh)"
# Installs Debian's postgresql and starts a cluster when none runs (ADR 0021); with the
# variable set, the store's tests and the two-instance e2e tests run on PostgreSQL too.
MARKTPLATZ_TEST_PG="$(scripts/start-postgres.sh)"
export MARKTPLATZ_TEST_PG

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy --all-targets -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

step "crate boundaries (scripts/check-components.sh)"
scripts/check-components.sh

step "no module import circles (scripts/module-graph.py)"
for src in model/src search/src core/src import/src media/src publish/src server/src bindings/src cli/src tests/src; do
  scripts/module-graph.py "$src" 3 | tail -1
done

step "FFI methods the apps call (scripts/ffi-coverage.py, list in docs/ffi-coverage.md)"
scripts/ffi-coverage.py

step "colour contrast of both apps, light and dark (scripts/check_contrast.py, WCAG 2.1 AA)"
scripts/check_contrast.py

step "cargo deny check licenses bans sources"
# Duplicate versions are reported (not fatal), without their inclusion graphs.
cargo deny check --hide-inclusion-graph licenses bans sources
# The advisory database is a git clone from GitHub; this machine and CI reach crates.io only.
if cargo deny fetch db >/dev/null 2>&1; then
  step "cargo deny check advisories"
  cargo deny check --hide-inclusion-graph --disable-fetch advisories
else
  echo "cargo deny: advisories NOT checked: the RustSec database (github.com/rustsec/advisory-db) cannot be fetched from here"
fi

step "cargo doc -D warnings"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps

step "cargo test"
cargo test --workspace --all-targets

step "end-to-end tests on PostgreSQL (every test server on a scratch database)"
MARKTPLATZ_E2E_ENGINE=postgres cargo test -p marktplatz-tests --test e2e

step "deployment: nginx (TLS, cache, long-polls) in front of two instances (scripts/test-deploy.sh)"
scripts/test-deploy.sh

step "organiser console in headless Chromium (scripts/browser-test.sh)"
scripts/browser-test.sh

for extra in scripts/test-kotlin.sh scripts/check-android-syntax.sh scripts/check-swift.sh; do
  if [ -x "$extra" ]; then
    step "$extra"
    "$extra"
  fi
done

step "all checks passed"
