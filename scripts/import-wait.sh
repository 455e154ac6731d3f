#!/usr/bin/env bash
# What the largest import costs other users (scripts/import-wait.py): serves the release build
# (target/release/vendita; `release_site` in scripts/env.sh builds it) on the demo data in a
# temporary folder, then a manager checks and imports a 200 000-row contacts file while a member
# saves sales and opens his home page; prints the member's times beside the same run's baseline.
#   scripts/import-wait.sh                  build if missing, then measure
#   IMPORT_WAIT_BIN=/path/to/vendita        measure another build
#   IMPORT_ROWS=N                           the file's rows (200 000)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
need_commands curl sqlite3
bin=${IMPORT_WAIT_BIN:-$PWD/target/release/vendita}
if [ ! -x "$bin" ]; then
  echo "== release build (release_site, scripts/env.sh)"
  release_site
fi
demo_folder "$bin" import-wait
q() { sqlite3 -batch -noheader "$tmp/vendita.db" "$1"; }
seller=$(q "SELECT s.id FROM sellers s JOIN users u ON u.id = s.user_id WHERE u.login = 'marco'")
product=$(q "SELECT id FROM products WHERE active ORDER BY id LIMIT 1")
contact=$(q "SELECT contact_id FROM sales WHERE seller_id = $seller GROUP BY contact_id ORDER BY count(*) DESC LIMIT 1")
root=$PWD
cd "$tmp"
unset LEPTOS_SITE_ROOT LEPTOS_HASH_FILES LEPTOS_OUTPUT_NAME LEPTOS_SITE_PKG_DIR LEPTOS_RELOAD_PORT
start_server "$bin" "$tmp/server.log"
echo "== $bin on $base"
BASE=$base CONTACT=$contact PRODUCT=$product SELLER=$seller python3 "$root/scripts/import-wait.py"
