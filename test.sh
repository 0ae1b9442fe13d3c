#!/usr/bin/env bash
# Runs every test of Netra: go vet, then go test over the whole module.
#
# Store, import and web tests run on SQLite always, and on PostgreSQL too
# whenever one is reachable: through the PG* environment variables or
# NETRA_TEST_POSTGRES, or else through pg_virtualenv (Debian's
# postgresql-common), which this script uses to start a throwaway cluster.
# Browser tests drive /usr/bin/chromium when it is installed. Under CI=true
# a missing PostgreSQL or Chromium fails the run instead of being skipped.
set -euo pipefail
cd "$(dirname "$0")"

if [ -z "${PGHOST:-}${NETRA_TEST_POSTGRES:-}" ] && [ -z "${NETRA_IN_PGVENV:-}" ] \
   && command -v pg_virtualenv >/dev/null 2>&1; then
  echo "test.sh: starting a throwaway PostgreSQL with pg_virtualenv" >&2
  exec env NETRA_IN_PGVENV=1 pg_virtualenv "$0" "$@"
fi
if [ -z "${PGHOST:-}${NETRA_TEST_POSTGRES:-}" ]; then
  echo "test.sh: no PostgreSQL found (install postgresql for pg_virtualenv): store tests run on SQLite only" >&2
fi

go vet ./...
go test -count=1 -timeout 20m "$@" ./...
