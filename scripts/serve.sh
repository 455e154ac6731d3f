#!/usr/bin/env bash
# Installs what is missing, builds, and serves Vendita at http://127.0.0.1:3000 on SQLite (data/).
#   scripts/serve.sh            serve (debug build: quickest to build)
#   scripts/serve.sh --demo     load the demo data set first (only into an empty database)
#   scripts/serve.sh --release  optimised build, the WASM split into lazily loaded chunks (--split)
# DATABASE_URL=postgres://user@host/db serves on PostgreSQL instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --build
source scripts/env.sh
demo=0; profile=debug
for arg in "$@"; do
  case "$arg" in
    --demo) demo=1 ;;
    --release) profile=release ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done
if [ "$profile" = release ]; then release_site; else cargo leptos build; fi
if [ "$demo" = 1 ]; then
  target/$profile/vendita demo || echo "(demo data not loaded: see the message above)"
fi
exec target/$profile/vendita serve
