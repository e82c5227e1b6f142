#!/usr/bin/env bash
# The network soak at scale: DEVICES attendee devices and 2 organisers through a hostile
# loopback proxy (drops, resets, truncated and stalled bodies, 429s, 5xx bursts, stale 304s,
# latency, a bandwidth cap) for SECONDS while the event is republished; then the network
# heals and everything must converge, every outbox drain, and no device have looped.
#   scripts/soak.sh 50 300 [SEED]
# CI runs 8 devices for 8 s (tests/tests/e2e/soak.rs). Design: docs/adr/0007-reliability.md.
set -euo pipefail
cd "$(dirname "$0")/.."
DEVICES=${1:?usage: scripts/soak.sh DEVICES SECONDS [SEED]}
SECONDS_=${2:?usage: scripts/soak.sh DEVICES SECONDS [SEED]}
SEED=${3:-1}
cargo build --release -q -p marktplatz-tests --bin soak
TARGET=${CARGO_TARGET_DIR:-target}
echo "\$ soak $DEVICES $SECONDS_ $SEED"
exec "$TARGET/release/soak" "$DEVICES" "$SECONDS_" "$SEED"
