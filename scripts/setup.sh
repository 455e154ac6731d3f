#!/usr/bin/env bash
# Installs what building and testing Vendita needs, skipping whatever is already there.
#   scripts/setup.sh            everything (build tools, Chromium, Playwright)
#   scripts/setup.sh --build    only what building and serving needs
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

step() { printf '\033[1m== %s\033[0m\n' "$*"; }

rustup target list --installed | grep -qx wasm32-unknown-unknown || { step "WASM target"; rustup target add wasm32-unknown-unknown; }
# The release WASM rebuilds the standard library for size (release_site in env.sh).
rustup component list --installed | grep -q '^rust-src' || { step "rust-src"; rustup component add rust-src; }
# scripts/test.sh checks formatting and lints first.
for component in rustfmt clippy; do
  rustup component list --installed | grep -q "^$component" || { step "$component"; rustup component add "$component"; }
done

# 0.3.11 needs a newer rustc; no_downloads: helpers come from PATH, never from GitHub.
# A debug build: it only starts cargo and the helpers, and compiles in a third of the time.
if ! cargo leptos --version 2>/dev/null | grep -q '0\.3\.10'; then
  step "cargo-leptos 0.3.10"
  cargo install --debug cargo-leptos@0.3.10 --locked --features no_downloads
fi
# Must equal the wasm-bindgen crate pinned in Cargo.toml.
if ! wasm-bindgen --version 2>/dev/null | grep -q '0\.2\.130'; then
  step "wasm-bindgen CLI 0.2.130"
  cargo install wasm-bindgen-cli --version 0.2.130
fi
# wasm-opt (release builds) and Playwright come from npm.
if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ ! -d end2end/node_modules/@playwright/test ] || [ ! -f end2end/node_modules/axe-core/axe.min.js ]; then
  step "npm packages (Playwright, axe-core, binaryen's wasm-opt)"
  (cd end2end && npm ci --no-audit --no-fund)
fi
[ "${1:-}" = "--build" ] && exit 0

# The hostile upload corpus (server/tests/hostile/make_corpus.py) is made by Python 3.
if ! command -v python3 >/dev/null; then
  step "Python 3 (Debian)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3
fi
# The offers' e-mail is received by a real SMTP server in the tests (aiosmtpd, from PyPI).
if ! python3 -c "import aiosmtpd" 2>/dev/null; then
  step "aiosmtpd (PyPI)"
  python3 -m pip install --quiet --root-user-action=ignore aiosmtpd
fi
# The offers' PDF is read back by the tests (poppler's pdftotext and pdftoppm).
if ! command -v pdftotext >/dev/null; then
  step "poppler-utils (Debian)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils
fi
if ! command -v chromium >/dev/null; then
  step "Chromium (Debian)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
fi
