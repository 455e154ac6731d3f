#!/usr/bin/env bash
# Page speed where the user is: builds the release binary (site inside it, `release_site` in
# scripts/env.sh), loads the demo data into a fresh SQLite file in a temporary folder, serves it on
# a free loopback port, and loads the sign-in page, the Vendita tab, the Sellers report and the
# address book in Debian's Chromium on loopback, simulated 4G (9 Mbit/s, 60 ms) and simulated fast
# 3G (1.6 Mbit/s, 150 ms), first and repeat visit: requests over the network, KB on the wire, time
# to content and time to interactive (end2end/page-speed.mjs), then the Vendita tab's targets,
# and the Sellers report's data set as it travels beside its plain size.
#   scripts/page-speed.sh                      build, then measure
#   PAGE_SPEED_SKIP_BUILD=1 scripts/page-speed.sh   measure target/release/vendita as it is
#   PAGE_SPEED_BIN=/path/to/vendita            measure another build
#   PAGE_SPEED_RUNS=N                          loads per figure (median; default 3)
#   PAGE_SPEED_PLAIN=1                         the baseline: the browser asks for nothing compressed
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
need_commands curl sqlite3
if [ "${PAGE_SPEED_SKIP_BUILD:-0}" != 1 ] && [ -z "${PAGE_SPEED_BIN:-}" ]; then
  echo "== release build (release_site, scripts/env.sh)"
  release_site
fi
bin=${PAGE_SPEED_BIN:-$PWD/target/release/vendita}
[ -x "$bin" ] || { echo "no $bin: build it first" >&2; exit 1; }

demo_folder "$bin" speed
# The Vendita tab of the customer with the most sales.
contact=$(sqlite3 -batch -noheader "$tmp/vendita.db" "SELECT contact_id FROM sales GROUP BY contact_id ORDER BY count(*) DESC, contact_id LIMIT 1")
# Run from another folder: the binary serves the site it carries, nothing from target/site.
root=$PWD
cd "$tmp"
unset LEPTOS_SITE_ROOT LEPTOS_HASH_FILES LEPTOS_OUTPUT_NAME LEPTOS_SITE_PKG_DIR LEPTOS_RELOAD_PORT
start_server "$bin" "$tmp/server.log"
echo "== $bin on $base, contact $contact"
BASE=$base CONTACT=$contact node "$root/end2end/page-speed.mjs"

# The Sellers report's data set (report_data, all sellers) as it travels, beside its plain size.
curl -s -o /dev/null -c "$tmp/cookies" -d login=giulia -d password=vendita-demo "$base/api/login"
report_size() { curl -s -b "$tmp/cookies" -H "Accept-Encoding: $1" -d scope=All -o /dev/null -w '%{size_download}' "$base/api/report_data"; }
plain=$(report_size identity); br=$(report_size br); gz=$(report_size gzip)
awk -v p="$plain" -v b="$br" -v g="$gz" 'BEGIN {
  printf "report_data (demo set, all sellers): %.1f KB plain, %.1f KB brotli (%.0f%%), %.1f KB gzip (%.0f%%)\n", p/1000, b/1000, 100*b/p, g/1000, 100*g/p
  printf "%s report data ≤ 25%% of its plain size on the wire\n", (b <= p/4 ? "met   " : "MISSED") }'
