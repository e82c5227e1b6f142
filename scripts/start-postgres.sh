#!/usr/bin/env bash
# A PostgreSQL server for the tests (ADR 0021): installs Debian's postgresql when it is
# missing, starts a cluster when none runs (creating one when there is none), makes the role
# `marktplatz` (password `marktplatz`, may create databases: each test makes its own), and
# prints the URL for MARKTPLATZ_TEST_PG on stdout. Progress goes to stderr.
#   export MARKTPLATZ_TEST_PG="$(scripts/start-postgres.sh)"
set -euo pipefail

ROLE=marktplatz
say() { printf '%s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { as_root su postgres -c "$1"; }

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  say "installing postgresql (Debian's package)"
  as_root apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi

# The first cluster online, else the first one there is (started), else a new one.
online=$(pg_lsclusters --no-header | awk '$4 == "online" { print $1, $2, $3; exit }')
if [ -z "$online" ]; then
  cluster=$(pg_lsclusters --no-header | awk 'NR == 1 { print $1, $2 }')
  if [ -z "$cluster" ]; then
    version=$(ls /usr/lib/postgresql | sort -V | tail -1)
    say "creating cluster $version/main"
    as_root pg_createcluster "$version" main >&2
    cluster="$version main"
  fi
  say "starting cluster ${cluster/ //}"
  # shellcheck disable=SC2086 # version and name are two arguments
  as_root pg_ctlcluster $cluster start >&2
  online=$(pg_lsclusters --no-header | awk '$4 == "online" { print $1, $2, $3; exit }')
fi
port=$(echo "$online" | awk '{ print $3 }')

if ! as_postgres "psql -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'\"" | grep -q 1; then
  say "creating role $ROLE"
  as_postgres "psql -p $port -qc \"CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$ROLE'\"" >&2
fi

echo "postgres://$ROLE:$ROLE@127.0.0.1:$port/postgres"
