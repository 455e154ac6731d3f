//! `cfg(wasm_split)`: this is the WASM build that cargo-leptos will cut into chunks (`--split`).
//! cargo-leptos links that build with `--emit-relocs` (wasm-split needs the relocations), and
//! passes nothing else a crate can see; see `lazy_page!` in src/shell/mod.rs for what changes.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(wasm_split)");
    println!("cargo::rerun-if-env-changed=RUSTFLAGS");
    println!("cargo::rerun-if-env-changed=CARGO_ENCODED_RUSTFLAGS");
    let wasm = std::env::var("CARGO_CFG_TARGET_FAMILY").is_ok_and(|families| families.split(',').any(|f| f == "wasm"));
    let flags = std::env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    if wasm && flags.split('\x1f').any(|flag| flag.contains("--emit-relocs")) {
        println!("cargo::rustc-cfg=wasm_split");
    }
}
