#!/usr/bin/env bash
# The crash harness at scale: COUNT kills (random SIGKILLs and every fail point) of a device
# process syncing, favouriting, queueing organiser operations and downloading images against
# a real server, with the invariants checked after each kill. Prints the report.
#   scripts/crash-harness.sh 10000 [SEED] [--verbose]
# CI runs 200 kills in debug (tests/tests/e2e/crash_harness.rs). Design: docs/adr/0007-reliability.md.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:?usage: scripts/crash-harness.sh COUNT [SEED] [--verbose]}
shift
cargo build --release -q -p marktplatz-tests --bin crash-harness --bin crash_child
TARGET=${CARGO_TARGET_DIR:-target}
echo "\$ crash-harness $COUNT $*"
exec "$TARGET/release/crash-harness" "$COUNT" "$@"
