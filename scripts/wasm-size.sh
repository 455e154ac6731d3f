#!/usr/bin/env bash
# Size of the page (issue 6): builds the release site's files, the WASM split into lazily loaded
# chunks (`release_site --frontend-only`, scripts/env.sh), and prints what the first page
# downloads — the main vendita.wasm, raw and gzip -9 — beside every WASM file of the site together (what one
# unsplit file would roughly hold), measured in the same build, and the target (≤ 250 KB gzip).
#   scripts/wasm-size.sh              build, then measure
#   WASM_SIZE_SKIP_BUILD=1 scripts/wasm-size.sh   measure target/site/pkg as it is
# Note: it replaces target/site with the release site; the browser tests need a debug
# `cargo leptos build` again afterwards (scripts/test.sh does it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --build
source scripts/env.sh
[ "${WASM_SIZE_SKIP_BUILD:-0}" = 1 ] || release_site --frontend-only
pkg=target/site/pkg
# The file names carry a content hash (hash-files): target/release/hash.txt names them.
hash_of() { awk -v k="$1:" '$1 == k { print "." $2 }' target/release/hash.txt 2>/dev/null; }
main=$pkg/$LEPTOS_OUTPUT_NAME$(hash_of wasm).wasm
js=$pkg/$LEPTOS_OUTPUT_NAME$(hash_of js).js
[ -f "$main" ] || { echo "no $main: build first" >&2; exit 1; }
gz() { gzip -9 -c "$1" | wc -c; }
kb() { awk -v b="$1" 'BEGIN { printf "%.1f KB", b / 1000 }'; }
main_raw=$(stat -c %s "$main"); main_gz=$(gz "$main")
js_gz=0
for f in "$js" "$pkg"/__wasm_split*.js; do [ -f "$f" ] && js_gz=$((js_gz + $(gz "$f"))); done
all_raw=0; all_gz=0; n=0
for f in "$pkg"/*.wasm; do all_raw=$((all_raw + $(stat -c %s "$f"))); all_gz=$((all_gz + $(gz "$f"))); n=$((n + 1)); done
printf '%-52s %12s %12s\n' "" raw gzip
printf '%-52s %12s %12s\n' "first page: ${main#$pkg/}" "$(kb "$main_raw")" "$(kb "$main_gz")"
[ -f "$main.br" ] && printf '%-52s %12s %12s\n' "  the same as it travels (its precompressed .br)" "" "$(kb "$(stat -c %s "$main.br")") br"
printf '%-52s %12s %12s\n' "first page: its JavaScript glue" "" "$(kb "$js_gz")"
printf '%-52s %12s %12s\n' "every WASM file of the site together ($n files)" "$(kb "$all_raw")" "$(kb "$all_gz")"
verdict=$([ "$main_gz" -le 250000 ] && echo met || echo MISSED)
echo "first page WASM $(kb "$main_gz") gzip = $(awk -v a="$main_gz" -v b="$all_gz" 'BEGIN { printf "%.0f%%", 100 * a / b }') of all the WASM; target ≤ 250 KB gzip: $verdict"
# Each lazy group of pages (the split manifest): the WASM its first page downloads, the main file
# and the group's chunks, as they travel (their precompressed .br).
python3 - "$pkg" "$main" <<'PY'
import glob, json, os, sys
pkg, main = sys.argv[1], sys.argv[2]
manifest = json.load(open(glob.glob(f"{pkg}/__wasm_split_manifest*.json")[0]))
size = lambda name: os.path.getsize(f"{pkg}/{name}.wasm.br")
base = os.path.getsize(main + ".br")
for group, chunks in sorted(manifest.items()):
    name = group.strip("_").split("_route_view")[0]
    own = sum(size(c) for c in chunks)
    print(f"{'pages of the ' + name + ' group: main + ' + str(len(chunks)) + ' chunks':<52} {'':>12} {(base + own) / 1000:>9.1f} KB br")
PY
