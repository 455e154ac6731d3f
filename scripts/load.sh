#!/usr/bin/env bash
# Bounded load run on loopback against the release server with the demo data (issue 6 "Load").
#
#   scripts/load.sh [MIX_SECONDS]          default 60 (or LOAD_SECONDS); stops by itself
#
# Builds target/release/vendita (the release site inside it), loads the demo data set into a fresh SQLite file in a temporary
# directory, serves it on a free loopback port, signs in as giulia (manager), checks with curl that
# every request type answers 2xx with real content, then runs four phases, each with wrk
# (installed from Debian if missing) and one wrk process per request type:
#   1. cards  — contact card pages alone (GET /contacts/{id} and /contacts/{id}/vendita): the max,
#               asked for compressed as a browser does (Accept-Encoding LOAD_ENCODING, "br, gzip");
#      plain  — the same uncompressed, to show what compression costs
#   2. sales  — sale registration alone (POST /api/sales_create): the max on SQLite
#   3. mix    — all at once: card pages, address-book search (GET /contacts?q=…), sale
#               registration, report data (POST /api/report_data)
# and prints, per type, requests/s, p50, p99 and non-2xx/socket errors beside the targets, the
# server's memory (VmRSS sampled every LOAD_SAMPLE_SECS) as a time series, and where the CPU went.
# The server is stopped and the temporary database removed at the end (also on Ctrl-C). Exit
# status 1 when a check fails or any request errs (non-2xx, socket error, timeout); throughput
# below target is reported, not failed (it depends on the machine).
#
# Knobs (environment): LOAD_SECONDS (mix, 60), LOAD_CARD_SECONDS (30), LOAD_SALE_SECONDS (20),
# LOAD_SAMPLE_SECS (2), LOAD_PORT (free port), LOAD_USER (giulia), LOAD_TMPDIR (TMPDIR or /tmp),
# LOAD_CONNS_CARDS (16, phase 1), LOAD_CONNS_SALES (8, phase 2), and for the mix
# LOAD_MIX_CARDS (8), LOAD_MIX_SEARCH (4), LOAD_MIX_SALES (4), LOAD_MIX_REPORT (2) connections.
# LOAD_BREAKDOWN=1 adds a fourth part: each page and server function the card and the mix use,
# alone for LOAD_BREAKDOWN_SECONDS (5) on 8 connections, with the server's CPU time per request —
# where a page's cost comes from.
# LOAD_SKIP_BUILD=1 uses the release binary as it is; LOAD_BIN=/path/to/vendita measures another
# build of the server (e.g. a candidate fix built in a copy of the tree) without building.
#
# Targets: card pages ≥ 1 000 requests/s at p99 ≤ 50 ms; sale registration ≥ 300/s on SQLite;
# zero errors; memory flat. The load generator shares the machine's cores with the server.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

mix_seconds=${1:-${LOAD_SECONDS:-60}}
card_seconds=${LOAD_CARD_SECONDS:-30}
sale_seconds=${LOAD_SALE_SECONDS:-20}
sample_secs=${LOAD_SAMPLE_SECS:-2}
user=${LOAD_USER:-giulia}
password=vendita-demo
for n in "$mix_seconds" "$card_seconds" "$sale_seconds" "$sample_secs"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "durations are whole seconds, got '$n'" >&2; exit 2; }
done

# ------------------------------------------------------------------------------- tools & build

source scripts/env.sh
need_commands wrk curl sqlite3
if [ "${LOAD_SKIP_BUILD:-0}" != 1 ] && [ -z "${LOAD_BIN:-}" ]; then
  echo "== release build (release_site, scripts/env.sh)"
  release_site
fi
bin=${LOAD_BIN:-$root/target/release/vendita}
[ -x "$bin" ] || { echo "no $bin: build it first" >&2; exit 1; }
echo "   server binary $bin (built $(date -r "$bin" '+%F %T'))"

# ------------------------------------------------------------------------------- temp database
tmp=$(mktemp -d "${LOAD_TMPDIR:-${TMPDIR:-/tmp}}/vendita-load.XXXXXX")
server_pid=""
bg_pids=()
cleanup() {
  local status=$?
  for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

db=$tmp/vendita.db
export DATABASE_URL="sqlite://$db?mode=rwc"
fs=$(stat -f -c %T "$tmp")
echo "== demo data into $db (filesystem $fs)"
[ "$fs" = tmpfs ] && echo "   warning: tmpfs makes fsync free — set LOAD_TMPDIR to a real disk for honest write figures"
"$bin" demo | sed 's/^/   /'

# A durable SQLite commit (WAL, synchronous=FULL) waits for one fsync of the WAL: the disk's
# synchronous-write latency bounds sale registrations, which SQLite commits one at a time.
t_start=$(date +%s%N)
if dd if=/dev/zero of="$tmp/fsync-probe" bs=4k count=200 oflag=dsync 2>/dev/null; then
  fsync_ms=$(awk -v ns=$(($(date +%s%N) - t_start)) 'BEGIN { printf "%.2f", ns / 1e6 / 200 }')
else
  fsync_ms=""
fi
rm -f "$tmp/fsync-probe"
[ -n "$fsync_ms" ] && echo "   synchronous 4 KiB write on this disk: $fsync_ms ms (≈ $(awk -v m="$fsync_ms" 'BEGIN { printf "%.0f", 1000/m }') durable commits/s at most, one at a time)"

q() { sqlite3 -batch -noheader "$db" "$1"; }
sales_tag=$(q "SELECT sales_tag_id FROM crm_settings")
contacts=$(q "SELECT contact_id FROM contact_tags WHERE tag_id = $sales_tag ORDER BY contact_id" | paste -sd, -)
products=$(q "SELECT id FROM products WHERE active = 1 ORDER BY id LIMIT 8" | paste -sd, -)
sellers=$(q "SELECT id FROM sellers WHERE active = 1 ORDER BY id" | paste -sd, -)
# A contact to check the card with: one with sales and a name that needs no HTML escaping.
probe=$(q "SELECT c.id FROM contacts c JOIN contact_tags t ON t.contact_id = c.id AND t.tag_id = $sales_tag
           WHERE c.name NOT GLOB '*[^A-Za-z0-9 .]*' AND EXISTS (SELECT 1 FROM sales s WHERE s.contact_id = c.id)
           ORDER BY c.id LIMIT 1")
probe_name=$(q "SELECT name FROM contacts WHERE id = $probe")
sales_before=$(q "SELECT count(*) FROM sales")
echo "   $(tr ',' '\n' <<<"$contacts" | wc -l) contacts with the sales tag, products $products, sellers $sellers"

# ------------------------------------------------------------------------------- server
start_server "$bin" "$tmp/server.log" || exit 1
origin="Origin: $base"
echo "== server pid $server_pid on $base"

# ------------------------------------------------------------------------------- sign in & check
code=$(curl -s -o "$tmp/login.json" -D "$tmp/login.headers" -w '%{http_code}' -H "$origin" \
  --data-urlencode "login=$user" --data-urlencode "password=$password" "$base/api/login")
[ "$code" = 200 ] || { echo "sign-in as $user: HTTP $code $(cat "$tmp/login.json")" >&2; exit 1; }
cookie=$(grep -io 'set-cookie: *vendita_session=[^;]*' "$tmp/login.headers" | sed 's/^[^:]*: *//' | head -1)
[ -n "$cookie" ] || { echo "no vendita_session cookie after sign-in" >&2; exit 1; }
echo "   signed in as $user"

fail() { echo "check failed: $*" >&2; exit 1; }
check_page() { # path, text the HTML must contain
  local code
  code=$(curl -s -o "$tmp/page.html" -w '%{http_code}' -H "Cookie: $cookie" -H 'Accept: text/html' "$base$1")
  [ "$code" = 200 ] || fail "GET $1 answered $code"
  grep -qF -- "$2" "$tmp/page.html" || fail "GET $1 does not contain '$2'"
  echo "   GET $1 → 200, $(wc -c <"$tmp/page.html") bytes, contains '$2'"
}
check_post() { # function, form, text the answer must contain
  local code
  code=$(curl -s -o "$tmp/answer.json" -w '%{http_code}' -H "Cookie: $cookie" -H "$origin" -d "$2" "$base/api/$1")
  [ "$code" = 200 ] || fail "POST /api/$1 answered $code: $(head -c 300 "$tmp/answer.json")"
  grep -qF -- "$3" "$tmp/answer.json" || fail "POST /api/$1 does not contain '$3'"
  echo "   POST /api/$1 → 200, $(wc -c <"$tmp/answer.json") bytes"
}
check_page "/contacts/$probe" "$probe_name"
check_page "/contacts/$probe/vendita" 'id="sales-table"'
check_page "/contacts?q=rossi" "Rossi"
first_product=${products%%,*}; first_seller=${sellers%%,*}
check_post sales_create "contact=$probe&product=$first_product&seller=$first_seller&quantity=1&unit_price=100&vat_rate=22&stage=lead" '"version":1'
check_post report_data "scope=All" '"scope"'
anon=$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept: text/html' "$base/contacts/$probe")
[ "$anon" = 302 ] || fail "a card without the cookie answered $anon, expected 302 to /login"

# ------------------------------------------------------------------------------- sampling
phase_file=$tmp/phase
echo setup >"$phase_file"
t0=$(date +%s)
(
  while kill -0 "$server_pid" 2>/dev/null; do
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status" 2>/dev/null || true)
    [ -n "$rss" ] && echo "$(($(date +%s) - t0)) $(cat "$phase_file") $rss"
    sleep "$sample_secs"
  done
) >"$tmp/rss.log" &
bg_pids+=($!)

# CPU accounting: machine busy time from /proc/stat, the server's from /proc/PID/stat (clock ticks).
cpu_machine() { awk '/^cpu / {print $2+$3+$4+$7+$8+$9, $5+$6, $9}' /proc/stat; } # busy idle steal
cpu_server() { awk '{print $14+$15}' "/proc/$server_pid/stat"; }
hz=$(getconf CLK_TCK)
ncpu=$(nproc)

# Every process's CPU ticks (utime+stime): "pid ticks name". Comparing two snapshots shows who else
# used the cores during a phase (another build on a shared machine skews every figure).
proc_ticks() {
  awk '{ close_paren = index($0, ") "); name = substr($0, index($0, "(") + 1, close_paren - index($0, "(") - 1)
         split(substr($0, close_paren + 2), f, " "); gsub(/ /, "_", name); print $1, f[12] + f[13], name }' \
    /proc/[0-9]*/stat 2>/dev/null || true
}

wrk_run() { # kind connections seconds extra-headers...; output in $tmp/wrk-$phase-${label:-kind}.txt
  local kind=$1 conns=$2 secs=$3; shift 3
  local name=${label:-$kind} TIMEFORMAT='%U %S'
  { time LOAD_KIND=$kind LOAD_CONTACTS=$contacts LOAD_PRODUCTS=$products LOAD_SELLERS=$sellers \
    wrk -t1 -c"$conns" -d"${secs}s" --timeout 10s --latency -s scripts/load/vendita.lua \
    -H "Cookie: $cookie" "$@" "$base" >"$tmp/wrk-$phase-$name.txt" 2>&1; } 2>"$tmp/time-$phase-$name" \
    || { echo "wrk ($phase $name) failed: $(cat "$tmp/wrk-$phase-$name.txt")" >&2; return 1; }
}
field() { grep -o "$2=[^ ]*" <<<"$1" | cut -d= -f2; } # value of key=value in a LOAD-RESULT line
# As a browser asks: compressed answers (LOAD_ENCODING, "br, gzip"); phase "plain" asks for none.
enc=(-H "Accept-Encoding: ${LOAD_ENCODING:-br, gzip}")
html=(-H 'Accept: text/html' "${enc[@]}")
form=(-H "$origin" -H 'Content-Type: application/x-www-form-urlencoded' "${enc[@]}")

declare -A cpu_note cpu_server_ticks others
run_phase() { # phase seconds kind:conns...
  phase=$1; local secs=$2; shift 2
  echo "$phase" >"$phase_file"
  echo "== phase $phase: ${secs}s, $*  (rustc processes running: $(pgrep -c rustc || true))"
  local b0 i0 st0 b1 i1 st1 s0 s1
  proc_ticks >"$tmp/ticks-$phase-start"
  read -r b0 i0 st0 < <(cpu_machine); s0=$(cpu_server)
  local pids=() spec kind conns
  for spec in "$@"; do
    kind=${spec%%:*}; conns=${spec##*:}
    case $kind in
      cards | search) wrk_run "$kind" "$conns" "$secs" "${html[@]}" & ;;
      sales | report) wrk_run "$kind" "$conns" "$secs" "${form[@]}" & ;;
    esac
    pids+=($!); bg_pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || fail "wrk ($phase) failed: $(cat "$tmp"/wrk-"$phase"-*.txt)"; done
  read -r b1 i1 st1 < <(cpu_machine); s1=$(cpu_server)
  proc_ticks >"$tmp/ticks-$phase-end"
  local total=$(( (b1 - b0) + (i1 - i0) ))
  local wrk_secs
  wrk_secs=$(cat "$tmp"/time-"$phase"-* | awk '{ s += $1 + $2 } END { print s + 0 }')
  cpu_note[$phase]=$(awk -v b=$((b1 - b0)) -v t=$total -v s=$((s1 - s0)) -v st=$((st1 - st0)) -v n="$ncpu" \
    -v w="$wrk_secs" -v hz="$hz" \
    'BEGIN { o = n*(b-s-st)/t - n*w*hz/t; if (o < 0) o = 0
             printf "machine %.0f%% busy of %d cores (steal %.0f%%): server %.2f cores, wrk %.2f, other processes %.2f", 100*b/t, n, 100*st/t, n*s/t, n*w*hz/t, o }')
  # The busiest other processes that lived through the phase (short-lived ones, e.g. one rustc per
  # crate, only show in "other processes").
  others[$phase]=$(awk -v t=$total -v n="$ncpu" -v server="$server_pid" '
      NR == FNR { start[$1 " " $3] = $2; next }
      ($1 " " $3) in start && $1 != server && $3 != "wrk" {
        d = $2 - start[$1 " " $3]; if (d > 0) printf "%.2f %s\n", n*d/t, $3 }' \
      "$tmp/ticks-$phase-start" "$tmp/ticks-$phase-end" | sort -rn | awk '$1 >= 0.02 { printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1 } NR == 4 { exit }')
  cpu_server_ticks[$phase]=$((s1 - s0))
  echo "idle" >"$phase_file"
  sleep 2
}

run_phase cards "$card_seconds" "cards:${LOAD_CONNS_CARDS:-16}"
# The same card pages uncompressed: what compression costs, measured in the same run.
html=(-H 'Accept: text/html' -H 'Accept-Encoding: identity')
run_phase plain "$card_seconds" "cards:${LOAD_CONNS_CARDS:-16}"
html=(-H 'Accept: text/html' "${enc[@]}")
run_phase sales "$sale_seconds" "sales:${LOAD_CONNS_SALES:-8}"
run_phase mix "$mix_seconds" "cards:${LOAD_MIX_CARDS:-8}" "search:${LOAD_MIX_SEARCH:-4}" \
  "sales:${LOAD_MIX_SALES:-4}" "report:${LOAD_MIX_REPORT:-2}"
echo end >"$phase_file"
sleep "$sample_secs"

# Optional: one endpoint at a time, with the server's CPU time per request.
breakdown=()
if [ "${LOAD_BREAKDOWN:-0}" = 1 ]; then
  bsecs=${LOAD_BREAKDOWN_SECONDS:-5}
  echo "== breakdown: each endpoint alone, ${bsecs}s on 8 connections"
  echo breakdown >"$phase_file"
  phase=breakdown
  n_ep=0
  for ep in "GET /healthz" "GET /contacts/$probe" "GET /contacts/$probe/vendita" "GET /contacts?q=rossi" \
    "POST /api/viewer" "POST /api/contacts_get id=$probe" "POST /api/tags_list" \
    "POST /api/sales_tab contact=$probe" "POST /api/sales_form_options" \
    "POST /api/sales_products search=&category=" "POST /api/report_data scope=All" "POST /api/report_data scope=Mine" \
    "POST /api/sales_create contact=$probe&product=$first_product&seller=$first_seller&quantity=1&unit_price=100&vat_rate=22&stage=lead"; do
    read -r method path body <<<"$ep"
    n_ep=$((n_ep + 1))
    s0=$(cpu_server)
    if [ "$method" = GET ]; then headers=("${html[@]}"); else headers=("${form[@]}"); fi
    LOAD_METHOD=$method LOAD_PATH=$path LOAD_BODY=${body:-} label=one$n_ep wrk_run one 8 "$bsecs" "${headers[@]}"
    s1=$(cpu_server)
    line=$(grep '^LOAD-RESULT' "$tmp/wrk-breakdown-one$n_ep.txt") || fail "no result for $ep"
    breakdown+=("$(awk -v t=$((s1 - s0)) -v hz="$hz" -v n="$(field "$line" requests)" -v rps="$(field "$line" rps)" \
      -v p50="$(field "$line" p50_ms)" -v bytes="$(field "$line" bytes)" -v bad="$(field "$line" non2xx)" -v ep="$method $path${body:+ $body}" \
      'BEGIN { printf "   %9.1f %8.2f %8.2f %9.0f %6d  %s", rps, p50, 1000*t/hz/n, bytes/n, bad, substr(ep, 1, 70) }')")
  done
  echo end >"$phase_file"
fi

# The server still answers, with the cookie still valid.
check_page "/contacts/$probe/vendita" 'id="sales-table"'
sales_after=$(q "SELECT count(*) FROM sales")

# ------------------------------------------------------------------------------- report
echo
echo "== results (wrk -t1 per request type, closed loop; latency from wrk --latency)"
printf '%-6s %-7s %6s %9s %9s %9s %9s %7s %7s %10s\n' phase type conns 'req/s' 'p50 ms' 'p99 ms' 'max ms' non2xx sockerr 'CPU ms/req'
errors_total=0
declare -A rps p99
for phase in cards plain sales mix; do
  for f in "$tmp"/wrk-$phase-*.txt; do
    line=$(grep '^LOAD-RESULT' "$f") || fail "no result in $f: $(cat "$f")"
    kind=$(field "$line" kind)
    conns=$(grep -o '[0-9]* connections' "$f" | cut -d' ' -f1)
    non2xx=$(field "$line" non2xx); sockerr=$(( $(field "$line" socket_errors) + $(field "$line" timeouts) ))
    errors_total=$((errors_total + non2xx + sockerr))
    rps[$phase-$kind]=$(field "$line" rps); p99[$phase-$kind]=$(field "$line" p99_ms)
    cost=""
    if [ "$phase" != mix ]; then
      cost=$(awk -v t="${cpu_server_ticks[$phase]}" -v hz="$hz" -v n="$(field "$line" requests)" 'BEGIN { printf "%.2f", 1000*t/hz/n }')
    fi
    printf '%-6s %-7s %6s %9s %9s %9s %9s %7s %7s %10s\n' "$phase" "$kind" "$conns" "${rps[$phase-$kind]}" \
      "$(field "$line" p50_ms)" "${p99[$phase-$kind]}" "$(field "$line" max_ms)" "$non2xx" "$sockerr" "$cost"
    [ "$non2xx" = 0 ] || echo "       first bad status: $(field "$line" first_bad)"
  done
done
echo "   (CPU ms/req: server CPU time per request when the type ran alone)"
for phase in cards plain sales mix; do
  echo "   cpu $phase: ${cpu_note[$phase]}"
  if [ -n "${others[$phase]}" ]; then echo "       busiest other processes (cores): ${others[$phase]}"; fi
done
echo "   sales in the database: $sales_before before, $sales_after after"

if [ ${#breakdown[@]} -gt 0 ]; then
  echo
  echo "== breakdown (each alone, 8 connections): req/s, p50 ms, server CPU ms per request, bytes per response, non-2xx"
  printf '   %9s %8s %8s %9s %6s  %s\n' 'req/s' 'p50 ms' 'CPU ms' bytes non2xx endpoint
  printf '%s\n' "${breakdown[@]}"
fi

echo
echo "== server memory, VmRSS every ${sample_secs}s (seconds since the first sample, phase, MiB)"
awk '{ printf "%s%4ds %-9s %6.1f", (NR % 5 == 1 ? "   " : "  |"), $1, $2, $3/1024; if (NR % 5 == 0) print "" } END { if (NR % 5) print "" }' "$tmp/rss.log"
mem=$(awk '
  $2 != "setup" { if (!seen) { start = $3; min = $3; max = $3; seen = 1 } if ($3 < min) min = $3; if ($3 > max) max = $3; end = $3 }
  $2 == "mix" { mix[++n] = $3 }
  END { h = int(n / 2); mid = n ? mix[h + 1] : 0
        for (i = 1; i <= n; i++) { if (i <= h) { if (mix[i] > peak1) peak1 = mix[i] } else if (mix[i] > peak2) peak2 = mix[i] }
        printf "%.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f", start/1024, min/1024, max/1024, end/1024, mix[1]/1024, mid/1024, mix[n]/1024, peak1/1024, peak2/1024 }' "$tmp/rss.log")
read -r m_start m_min m_max m_end mix_start mix_mid mix_end mix_peak1 mix_peak2 <<<"$mem"
echo "   under load: start $m_start MiB, min $m_min, max $m_max, end $m_end; mix phase: start $mix_start, middle $mix_mid, end $mix_end MiB; peak of its first half $mix_peak1, of its second half $mix_peak2 MiB"

echo
echo "== targets"
verdict() { if awk "BEGIN { exit !($1) }"; then echo met; else echo MISSED; fi; }
echo "   card pages alone ≥ 1000 req/s at p99 ≤ 50 ms: ${rps[cards-cards]} req/s, p99 ${p99[cards-cards]} ms — $(verdict "${rps[cards-cards]} >= 1000 && ${p99[cards-cards]} <= 50")"
echo "   card pages uncompressed (same run, before):     ${rps[plain-cards]} req/s, p99 ${p99[plain-cards]} ms"
echo "   card pages in the mix:                          ${rps[mix-cards]} req/s, p99 ${p99[mix-cards]} ms — $(verdict "${rps[mix-cards]} >= 1000 && ${p99[mix-cards]} <= 50")"
echo "   sale registration alone ≥ 300/s on SQLite:      ${rps[sales-sales]} req/s, p99 ${p99[sales-sales]} ms — $(verdict "${rps[sales-sales]} >= 300")"
echo "   sale registration in the mix:                   ${rps[mix-sales]} req/s, p99 ${p99[mix-sales]} ms — $(verdict "${rps[mix-sales]} >= 300")"
[ -n "$fsync_ms" ] && echo "     (this disk: $fsync_ms ms per synchronous write ⇒ about $(awk -v m="$fsync_ms" 'BEGIN { printf "%.0f", 1000/m }') durable commits/s, SQLite commits one at a time)"
echo "   zero errors (non-2xx + socket errors + timeouts): $errors_total — $(verdict "$errors_total == 0")"
# Flat: caches and allocator arenas fill while the load ramps up; what counts is that the peak of
# the mix's second half is no more than 5% (or 4 MiB) above the peak of its first half. Peaks, not
# single samples: mimalloc hands freed pages back to the system now and then, so one sample can
# dip 20 MiB below its neighbours (a leak raises the peak; a dip does not lower it).
echo "   memory flat (second half of the mix peaks ≤ 5% or 4 MiB above the first): $mix_peak1 → $mix_peak2 MiB — $(verdict "$mix_peak2 - $mix_peak1 <= ($mix_peak1 * 0.05 > 4 ? $mix_peak1 * 0.05 : 4)")"
echo "   machine: $ncpu cores shared by wrk and the server"
# Throughput depends on the machine; errors do not: a run with errors fails.
[ "$errors_total" = 0 ] || exit 1
