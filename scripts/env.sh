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
# them. `release_site --frontend-only` builds the site's files alone. Figures: README, "Size of
# the page".
release_site() {
  RUSTC_BOOTSTRAP=1 \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort" \
    cargo leptos build --release --split --frontend-only \
      --lib-cargo-args=-Zbuild-std=std,panic_abort \
      --lib-cargo-args=-Zbuild-std-features=optimize_for_size
  [ "${1:-}" = --frontend-only ] || cargo leptos build --release --split --server-only
}
