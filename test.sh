#!/usr/bin/env bash
# Runs every test of Netra: go vet, then go test over the whole module.
#
# Store, import and web tests run on SQLite always, and on PostgreSQL too
# whenever one is reachable: through the PG* environment variables or
# NETRA_TEST_POSTGRES, or else through pg_virtualenv (Debian's
# postgresql-common), which this script uses to start a throwaway cluster.
# Browser tests drive /usr/bin/chromium when it is installed, and check each
# page with axe-core, which this script installs with npm into .cache/axe
# (NETRA_AXE names another axe.min.js). Under CI=true a missing PostgreSQL,
# Chromium or axe-core fails the run instead of being skipped.
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

AXE_VERSION=4.14.1
if [ -z "${NETRA_AXE:-}" ]; then
  NETRA_AXE="$PWD/.cache/axe/node_modules/axe-core/axe.min.js"
  if ! grep -qs "\"version\": \"$AXE_VERSION\"" .cache/axe/node_modules/axe-core/package.json \
     && command -v npm >/dev/null 2>&1; then
    npm install --prefix .cache/axe --no-audit --no-fund --silent "axe-core@$AXE_VERSION" >&2 || true
  fi
fi
export NETRA_AXE

go vet ./...
go test -count=1 -timeout 20m "$@" ./...
