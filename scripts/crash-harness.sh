#!/usr/bin/env bash
# The crash harness at scale: COUNT kills (random SIGKILLs and every fail point) of a device
# process syncing, favouriting, queueing organiser operations and downloading images against
# a real server, with the invariants checked after each kill. Prints the report.
#   scripts/crash-harness.sh 10000 [SEED] [--verbose]
# With --two-instances: COUNT SIGKILLs of one of two `marktplatz serve` instances sharing a
# scratch PostgreSQL database, in the middle of publishes and organiser operations (issue 22;
# starts PostgreSQL through scripts/start-postgres.sh unless MARKTPLATZ_TEST_PG is set).
#   scripts/crash-harness.sh 500 [SEED] --two-instances [--verbose]
# CI runs 200 kills in debug (tests/tests/e2e/crash_harness.rs) and 10 of the two-instance
# case (tests/tests/e2e/crash_instances.rs). Design: docs/adr/0007-reliability.md.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:?usage: scripts/crash-harness.sh COUNT [SEED] [--two-instances] [--verbose]}
shift
cargo build --release -q -p marktplatz-tests --bin crash-harness --bin crash_child
TARGET=${CARGO_TARGET_DIR:-target}
if [[ " $* " == *" --two-instances "* ]]; then
  cargo build --release -q -p marktplatz-cli
  if [[ -z "${MARKTPLATZ_TEST_PG:-}" ]]; then
    MARKTPLATZ_TEST_PG="$(scripts/start-postgres.sh)"
    export MARKTPLATZ_TEST_PG
  fi
fi
echo "\$ crash-harness $COUNT $*"
exec "$TARGET/release/crash-harness" "$COUNT" "$@"
