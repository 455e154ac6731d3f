//! The release binary carries the site: when `VENDITA_EMBED_SITE` names a built site folder
//! (`release_site` in scripts/env.sh sets it for the server's build, after the site's, to a mirror
//! of the site whose files change only where their bytes do, so an unchanged site rebuilds
//! nothing), every file
//! under it, and the cargo-leptos hash file `VENDITA_EMBED_HASH_FILE`, are compiled into the
//! binary (`site::EMBEDDED`); `vendita serve` unpacks them at start (see src/site.rs). Without it
//! the list is empty and the server serves `LEPTOS_SITE_ROOT` from disk, as in development.

use std::fmt::Write;
use std::path::{Path, PathBuf};

/// Where the hash file goes among the unpacked files (src/site.rs reads it there).
const HASH_FILE: &str = "hash.txt";

fn main() {
    println!("cargo::rerun-if-env-changed=VENDITA_EMBED_SITE");
    println!("cargo::rerun-if-env-changed=VENDITA_EMBED_HASH_FILE");
    let mut files = Vec::new();
    if let Some(root) = std::env::var_os("VENDITA_EMBED_SITE").map(PathBuf::from) {
        let root = root.canonicalize().unwrap_or_else(|e| panic!("VENDITA_EMBED_SITE {}: {e}", root.display()));
        println!("cargo::rerun-if-changed={}", root.display());
        collect(&root, &root, &mut files);
        if let Some(hash) = std::env::var_os("VENDITA_EMBED_HASH_FILE").map(PathBuf::from) {
            let hash = hash.canonicalize().unwrap_or_else(|e| panic!("VENDITA_EMBED_HASH_FILE {}: {e}", hash.display()));
            println!("cargo::rerun-if-changed={}", hash.display());
            files.push((HASH_FILE.to_string(), hash));
        }
    }
    files.sort();
    let mut code = String::from("&[\n");
    for (name, path) in &files {
        writeln!(code, "    ({name:?}, include_bytes!({:?})),", path.display().to_string()).unwrap();
    }
    code.push(']');
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap()).join("embedded_site.rs");
    std::fs::write(out, code).unwrap();
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())).flatten().collect();
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo::rerun-if-changed={}", path.display());
            collect(root, &path, files);
        } else {
            println!("cargo::rerun-if-changed={}", path.display());
            let name = path.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            files.push((name, path));
        }
    }
}
