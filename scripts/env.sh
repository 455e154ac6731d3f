# Sourced by the scripts: where cargo-leptos puts the site, and the tools on PATH.
export PATH="$HOME/.cargo/bin:$PWD/end2end/node_modules/.bin:$PATH"
export LEPTOS_OUTPUT_NAME=vendita
export LEPTOS_SITE_ROOT=target/site
export LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
export LEPTOS_RELOAD_PORT=3001

# The release site: `cargo leptos build --release --split`, in two steps. The WASM is built with
# its standard library rebuilt for size (-Zbuild-std, core's optimize_for_size) and panics that
# abort at once (-Cpanic=immediate-abort: no panic message formatting in the download; a panic in
# the browser still stops the page, as panic=abort did, without the message in the console). These
# flags are unstable: RUSTC_BOOTSTRAP=1 enables them on the stable toolchain for the WASM build
# only, and rust-src comes from rustup (setup.sh). The server is then built as usual, without
# them, carrying the site (server/build.rs): its files with content-hashed names (`hash-files`
# in Cargo.toml), each beside its brotli and gzip copies (`--precompress`).
# `release_site --frontend-only` builds the site's files alone. Figures: docs/benchmarks.md, "Size of
# the page".
# Called again with nothing changed, it takes seconds: the site is built only when the WASM's
# inputs (app, frontend, style, public, the manifests, the toolchain) or the site folder (a debug
# build writes there too) differ from the last release site's, and the server carries a mirror of
# the site (target/embed) whose files change only where their bytes do, so cargo sees no change.
release_site() {
  local inputs site
  inputs=$( (find app frontend style public -type f -print0 | sort -z | xargs -0 sha256sum
    sha256sum Cargo.toml Cargo.lock .cargo/config.toml; rustc -V; cargo leptos --version) | sha256sum | cut -c1-64)
  site=$(find "$LEPTOS_SITE_ROOT" -type f -printf '%P %s\n' 2>/dev/null | sort | sha256sum | cut -c1-64)
  if [ "$(cat target/release/site-stamp 2>/dev/null)" = "$inputs $site" ] && [ -f target/release/hash.txt ]; then
    echo "== release site unchanged (target/release/site-stamp)"
  else
    RUSTC_BOOTSTRAP=1 \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort" \
      cargo leptos build --release --split --precompress --frontend-only \
        --lib-cargo-args=-Zbuild-std=std,panic_abort \
        --lib-cargo-args=-Zbuild-std-features=optimize_for_size
    site=$(find "$LEPTOS_SITE_ROOT" -type f -printf '%P %s\n' | sort | sha256sum | cut -c1-64)
    echo "$inputs $site" > target/release/site-stamp
  fi
  [ "${1:-}" = --frontend-only ] && return 0
  mirror "$LEPTOS_SITE_ROOT" target/embed/site
  mirror_file target/release/hash.txt target/embed/hash.txt
  VENDITA_EMBED_SITE="$PWD/target/embed/site" VENDITA_EMBED_HASH_FILE="$PWD/target/embed/hash.txt" \
    cargo leptos build --release --split --server-only
}

# `mirror FROM TO`: copies each file of FROM whose bytes differ into TO and removes from TO what
# FROM no longer has; unchanged files keep their time.
mirror() {
  local from=$1 to=$2 f
  mkdir -p "$to"
  (cd "$from" && find . -type f) | while read -r f; do mirror_file "$from/$f" "$to/$f"; done
  (cd "$to" && find . -type f) | while read -r f; do [ -e "$from/$f" ] || rm "$to/$f"; done
}

mirror_file() {
  cmp -s "$1" "$2" || { mkdir -p "$(dirname "$2")" && cp "$1" "$2"; }
}

# A throw-away server for the measuring scripts: `start_server BIN LOG` serves on a free loopback
# port (LOAD_PORT when set) and waits until /healthz answers; sets `port`, `base` and `server_pid`.
start_server() {
  local bin=$1 log=$2 p
  port=${LOAD_PORT:-}
  if [ -z "$port" ]; then
    for _ in $(seq 50); do
      p=$((20000 + RANDOM % 20000))
      if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
    done
  fi
  [ -n "$port" ] || { echo "no free port found" >&2; return 1; }
  base=http://127.0.0.1:$port
  LEPTOS_SITE_ADDR=127.0.0.1:$port RUST_LOG=${RUST_LOG:-warn} "$bin" serve >"$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do
    curl -fs "$base/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; echo "server did not start" >&2; return 1; }
    sleep 0.1
  done
  echo "server not healthy on $base" >&2
  return 1
}

# `demo_folder BIN NAME`: a temporary folder (`tmp`) with the demo data in a fresh SQLite file
# (DATABASE_URL exported), removed with the server `start_server` started when the script ends
# (also on Ctrl-C).
demo_folder() {
  local bin=$1 name=$2
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/vendita-$name.XXXXXX")
  server_pid=""
  trap 'status=$?; [ -n "$server_pid" ] && { kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; }; rm -rf "$tmp"; exit $status' EXIT
  trap 'exit 130' INT TERM
  export DATABASE_URL="sqlite://$tmp/vendita.db?mode=rwc"
  "$bin" demo | sed 's/^/   /'
}

# `need_commands CMD...`: installs from Debian the commands that are missing (the package has the
# command's name: wrk, curl, sqlite3).
need_commands() {
  local missing=() sudo=() c
  for c in "$@"; do command -v "$c" >/dev/null || missing+=("$c"); done
  [ ${#missing[@]} -gt 0 ] || return 0
  echo "== installing from Debian: ${missing[*]}"
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y "${missing[@]}" >/dev/null \
    || { "${sudo[@]}" apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y "${missing[@]}" >/dev/null; }
}
