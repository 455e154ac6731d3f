#!/usr/bin/env bash
# Runs every test: formatting and lints, domain tests on SQLite and PostgreSQL, HTTP tests against
# the real server, and the Playwright journeys in Debian's Chromium. Installs what is missing first.
# PostgreSQL: VENDITA_TEST_PG (default postgres://postgres@127.0.0.1:5432), trust auth.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
export VENDITA_TEST_PG="${VENDITA_TEST_PG:-postgres://postgres@127.0.0.1:5432}"

# Databases left by an interrupted earlier run.
psql "$VENDITA_TEST_PG/postgres" -Atc "select datname from pg_database where datname like 'vendita_test_%'" 2>/dev/null |
  while read -r db; do psql "$VENDITA_TEST_PG/postgres" -qc "drop database if exists $db with (force)" || true; done

echo "== layers (scripts/check-layers.py) and format and lints (warnings are errors)"
python3 scripts/check-layers.py
cargo fmt --check
cargo clippy -p app --features ssr --all-targets -- -D warnings
cargo clippy -p server -p migration --all-targets -- -D warnings
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings
echo "== domain tests (SQLite and PostgreSQL)"
cargo test -p app --features ssr
echo "== HTTP tests against the real server"
cargo test -p server
echo "== browser journeys (Playwright, Chromium)"
cargo leptos build
(cd end2end && npx playwright test)
