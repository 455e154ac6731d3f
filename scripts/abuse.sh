#!/usr/bin/env bash
# Bounded abuse check on loopback: what a flood of first runs and of wrong passwords does to the
# server and to everybody else.
#
#   scripts/abuse.sh
#
# Builds target/debug/vendita (argon2 is optimised in debug builds too; LOAD_BIN=/path/to/vendita
# measures another build, e.g. target/release/vendita), serves a fresh SQLite database from a
# temporary directory on a free loopback port, creates the administrator and two members, then:
#   1. first runs — 400 `first_run` calls on the installed server, 50 at a time: all must answer
#      409, in under 1 s in all;
#   2. guessing  — 200 wrong-password logins at once from one address (100 on the admin's account,
#      100 on logins that do not exist: each of those costs a hash too) while wrk asks /healthz for
#      ABUSE_SECONDS (10) on 4 connections: /healthz p99 must stay under 50 ms; during the burst
#      the right password of an untouched account (sara) must sign in (200), and the attacked
#      account must have had at most 5 guesses checked.
# Prints each figure beside its target; exits 1 when one is missed. The server and the temporary
# database are removed at the end (also on Ctrl-C). Requests go to 127.0.0.1 only and stop by
# themselves.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${ABUSE_SECONDS:-10}


source scripts/env.sh
need_commands wrk curl sqlite3
if [ -z "${LOAD_BIN:-}" ]; then
  echo "== cargo build -p server"
  cargo build -p server
fi
bin=${LOAD_BIN:-$root/target/debug/vendita}
[ -x "$bin" ] || { echo "no $bin: build it first" >&2; exit 1; }
echo "   server binary $bin"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vendita-abuse.XXXXXX")
server_pid=""
cleanup() {
  local status=$?
  [ -n "$server_pid" ] && { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; }
  rm -rf "$tmp"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export DATABASE_URL="sqlite://$tmp/vendita.db?mode=rwc"
start_server "$bin" "$tmp/server.log" || exit 1
echo "== server pid $server_pid on $base, $(nproc) cores"

post() { # function, form... → prints the HTTP status
  local fn=$1; shift
  curl -s -o /dev/null -w '%{http_code}' -b "$tmp/cookies" -c "$tmp/cookies" -H "Origin: $base" "$@" "$base/api/$fn"
}
code=$(post first_run --data-urlencode login=admin --data-urlencode display_name=Admin \
  --data-urlencode password=admin-password-1 --data-urlencode password_repeat=admin-password-1)
[ "$code" = 200 ] || { echo "first run: HTTP $code" >&2; exit 1; }
for who in sara luca; do
  code=$(post users_create --data-urlencode "login=$who" --data-urlencode "display_name=$who" \
    --data-urlencode "password=$who-password-1" --data-urlencode role=member)
  [ "$code" = 200 ] || { echo "create $who: HTTP $code" >&2; exit 1; }
done
failed=0
verdict() { # label, value, target, ok?
  if [ "$4" = 1 ]; then echo "   $1: $2 (target $3) — met"; else echo "   $1: $2 (target $3) — MISSED"; failed=1; fi
}

echo "== 1. 400 first runs on the installed server, 50 at a time"
# One curl process sends them all (--parallel), so the figure is the server's, not process starts.
for i in $(seq 400); do
  [ "$i" = 1 ] || echo next
  printf 'url = "%s/api/first_run"\nheader = "Origin: %s"\ndata = "login=intruder%d&display_name=X&password=long-enough-1&password_repeat=long-enough-1"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\n' "$base" "$base" "$i"
done >"$tmp/first_run.curl"
start=$(date +%s%N)
curl -s --no-progress-meter --parallel --parallel-max 50 --config "$tmp/first_run.curl" >"$tmp/first_run.codes"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
refused=$(grep -c '^409$' "$tmp/first_run.codes" || true)
verdict "first runs answered 409" "$refused of 400" "400" "$([ "$refused" = 400 ] && echo 1 || echo 0)"
verdict "time for all 400" "$ms ms" "< 1000 ms" "$([ "$ms" -lt 1000 ] && echo 1 || echo 0)"
# Baseline, same run, same client: 400 health checks, the cheapest request there is.
sed -e 's|/api/first_run|/healthz|' -e '/^data = /d' "$tmp/first_run.curl" >"$tmp/healthz.curl"
start=$(date +%s%N)
curl -s --no-progress-meter --parallel --parallel-max 50 --config "$tmp/healthz.curl" >/dev/null
echo "   baseline: 400 GET /healthz the same way in $(( ($(date +%s%N) - start) / 1000000 )) ms"

p99_of() { # wrk output → p99 in ms
  awk '$1 == "99%" { v = $2; n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[^m]s$/) n *= 1000; printf "%.1f", n }' "$1"
}
echo "== 2. 200 wrong-password logins at once while wrk asks /healthz for ${seconds}s"
wrk -t2 -c4 -d5s --latency "$base/healthz" >"$tmp/wrk-baseline.txt" 2>&1
echo "   baseline: /healthz p99 $(p99_of "$tmp/wrk-baseline.txt") ms ($(awk '/Requests\/sec/ { print $2 }' "$tmp/wrk-baseline.txt") req/s) with nothing else running, 5 s"
wrk -t2 -c4 -d"${seconds}s" --latency "$base/healthz" >"$tmp/wrk.txt" 2>&1 &
wrk_pid=$!
sleep 1
for i in $(seq 200); do
  if [ $((i % 2)) = 0 ]; then login=admin; else login="ghost$i"; fi
  [ "$i" = 1 ] || echo next
  printf 'url = "%s/api/login"\nheader = "Origin: %s"\ndata = "login=%s&password=wrong-password"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\n' "$base" "$base" "$login"
done >"$tmp/burst.curl"
burst_start=$(date +%s%N)
curl -s --no-progress-meter --parallel --parallel-max 200 --config "$tmp/burst.curl" >"$tmp/burst.codes" &
burst_pid=$!
sleep 0.3
# The untouched account signs in while the burst is still being answered.
start=$(date +%s%N)
sara=$(curl -s -o /dev/null -w '%{http_code}' -H "Origin: $base" --data-urlencode login=sara \
  --data-urlencode password=sara-password-1 "$base/api/login")
sara_ms=$(( ($(date +%s%N) - start) / 1000000 ))
wait "$burst_pid"
burst_ms=$(( ($(date +%s%N) - burst_start) / 1000000 ))
wait "$wrk_pid"
checked=$(grep -c '^401$' "$tmp/burst.codes" || true)
limited=$(grep -c '^429$' "$tmp/burst.codes" || true)
admin_failures=$(sqlite3 "$tmp/vendita.db" "SELECT count(*) FROM login_attempts WHERE login = 'admin'")
p99_ms=$(p99_of "$tmp/wrk.txt")
rps=$(awk '/Requests\/sec/ { print $2 }' "$tmp/wrk.txt")
echo "   burst answers: $checked checked (401), $limited refused (429), of 200, in $burst_ms ms"
verdict "admin's guesses checked" "$admin_failures" "≤ 5" "$([ "$admin_failures" -le 5 ] && echo 1 || echo 0)"
verdict "/healthz p99 during the burst" "$p99_ms ms ($rps req/s)" "< 50 ms" "$(awk -v p="$p99_ms" 'BEGIN { print (p < 50) ? 1 : 0 }')"
verdict "sara's right password during the burst" "HTTP $sara in $sara_ms ms" "200" "$([ "$sara" = 200 ] && echo 1 || echo 0)"
errors=$(grep -E 'Non-2xx|Socket errors' "$tmp/wrk.txt" || true)
[ -z "$errors" ] || { echo "   /healthz errors: $errors"; failed=1; }
exit $failed
