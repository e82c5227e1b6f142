#!/usr/bin/env bash
# Issue 22's figures, SQLite against PostgreSQL (ADR 0021): now the `postgres` part of
# scripts/bench.sh (tests/src/bin/bench/postgres.rs), which writes bench-results/postgres.{md,json}
# and its rows in bench-results/report.md. Kept as a short name for that part.
set -euo pipefail
exec "$(dirname "$0")/bench.sh" postgres
