//! Where the site's files (WASM, JavaScript, CSS, icon) come from. A release binary carries them
//! (see build.rs): at start it unpacks them into a private folder of its own under the system's
//! temporary folder and serves them from there, so `vendita serve` runs from any folder with
//! nothing beside it. A development build serves `LEPTOS_SITE_ROOT` (target/site) from disk.

use leptos::prelude::LeptosOptions;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The site compiled into this binary: (path under the site root, content). Empty unless built
/// with `VENDITA_EMBED_SITE`.
static EMBEDDED: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/embedded_site.rs"));

/// cargo-leptos's list of the hashed file names, among the embedded files.
const HASH_FILE: &str = "hash.txt";

/// Whether this binary carries its site.
pub fn is_embedded() -> bool {
    !EMBEDDED.is_empty()
}

/// The unpacked site's folder, removed when the server stops.
pub struct Unpacked(PathBuf);

impl Drop for Unpacked {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The options to serve with: with the embedded site unpacked (and the folder to keep while
/// serving), or as configured, with hashed file names when cargo-leptos left its hash file beside
/// the binary and `LEPTOS_HASH_FILES` says nothing.
pub fn prepare(mut options: LeptosOptions) -> Result<(LeptosOptions, Option<Unpacked>), String> {
    if !is_embedded() {
        if std::env::var_os("LEPTOS_HASH_FILES").is_none() {
            options.hash_files = beside_binary(&options.hash_file).is_some_and(|p| p.exists());
        }
        return Ok((options, None));
    }
    let dir = unpack(&std::env::temp_dir()).map_err(|e| format!("cannot unpack the site: {e}"))?;
    options.site_root = Arc::from(dir.to_string_lossy().as_ref());
    options.hash_files = EMBEDDED.iter().any(|(name, _)| *name == HASH_FILE);
    // Leptos looks for the hash file beside the binary; an absolute path replaces that.
    options.hash_file = Arc::from(dir.join(HASH_FILE).to_string_lossy().as_ref());
    Ok((options, Some(Unpacked(dir))))
}

fn beside_binary(name: &str) -> Option<PathBuf> {
    Some(std::env::current_exe().ok()?.parent()?.join(name))
}

/// Writes the embedded files into a new folder only this user can read (a fresh name each start:
/// nothing another user prepared is ever used).
fn unpack(parent: &Path) -> std::io::Result<PathBuf> {
    use std::os::unix::fs::DirBuilderExt;
    let dir = parent.join(format!("vendita-site-{}-{:016x}", std::process::id(), rand::random::<u64>()));
    std::fs::DirBuilder::new().mode(0o700).create(&dir)?;
    for (name, bytes) in EMBEDDED {
        let path = dir.join(name);
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)?;
        }
        std::fs::write(path, bytes)?;
    }
    Ok(dir)
}
