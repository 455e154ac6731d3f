//! The WASM chunks of a page's group, named in the page's head (`<link rel="preload">`) so the
//! browser fetches them beside the main file. Left to the router, it would ask for them only once
//! the main file has arrived, compiled and started hydrating: one more round trip, with the line
//! idle meanwhile. The names come from cargo-leptos's split manifest, read once; a build without
//! `--split` has none, and its pages name nothing.

use leptos::prelude::*;

/// The group of pages (`lazy_group!` in `shell/mod.rs`) that serves a path, as its routes say;
/// `None` for the pages in the main file (sign-in, not found).
pub(super) fn group_of(path: &str) -> Option<&'static str> {
    let path = path.trim_end_matches('/');
    Some(match path.split('/').nth(1).unwrap_or_default() {
        "" | "sales" => "work",
        "contacts" if matches!(path, "/contacts" | "/contacts/tags") => "work",
        "contacts" | "offers" => "card",
        "reports" | "commissions" => "report",
        "setup" | "profile" | "users" | "config" | "import" => "settings",
        _ => return None,
    })
}

/// The `<link>`s that preload the chunks of the group serving `path`.
pub(super) fn chunk_preloads(options: &LeptosOptions, path: &str) -> impl IntoView + use<> {
    let group = group_of(path);
    #[cfg(feature = "ssr")]
    let files = group.map_or(&[][..], |group| ssr::files(options, group));
    #[cfg(not(feature = "ssr"))]
    let files: &[String] = {
        let _ = (options, group);
        &[]
    };
    files
        .iter()
        .map(|href| {
            let wasm = href.ends_with(".wasm");
            leptos::html::link()
                .rel(if wasm { "preload" } else { "modulepreload" })
                .href(href.as_str())
                .r#as(wasm.then_some("fetch"))
                .r#type(wasm.then_some("application/wasm"))
                .crossorigin("anonymous")
        })
        .collect_view()
}

#[cfg(feature = "ssr")]
mod ssr {
    use leptos::prelude::LeptosOptions;
    use std::collections::HashMap;
    use std::path::PathBuf;
    use std::sync::OnceLock;

    /// The groups' preloads, worked out once from the manifest: group → the loader and the chunks.
    type Preloads = HashMap<&'static str, Vec<String>>;

    /// The files of a group's chunks and their loader, as the browser asks for them.
    pub(super) fn files(options: &LeptosOptions, group: &str) -> &'static [String] {
        static PRELOADS: OnceLock<Preloads> = OnceLock::new();
        PRELOADS.get_or_init(|| read(options).unwrap_or_default()).get(group).map_or(&[], Vec::as_slice)
    }

    /// cargo-leptos writes `__wasm_split_manifest[.hash].json` (each group's view → its chunks) and
    /// `__wasm_split[.hash].js`; with hashed names, its hash file gives the hashes.
    fn read(options: &LeptosOptions) -> Option<Preloads> {
        let hashes = if options.hash_files {
            let file = std::env::current_exe().ok()?.parent()?.join(options.hash_file.as_ref());
            std::fs::read_to_string(file).ok()?
        } else {
            String::new()
        };
        let hash = |kind: &str| {
            hashes.lines().find_map(|line| line.split_once(':').filter(|(k, _)| k.trim() == kind).map(|(_, v)| format!(".{}", v.trim())))
        };
        let pkg = &options.site_pkg_dir;
        let dir = PathBuf::from(options.site_root.as_ref()).join(pkg.as_ref());
        let manifest = std::fs::read_to_string(dir.join(format!("__wasm_split_manifest{}.json", hash("manifest").unwrap_or_default()))).ok()?;
        let views: HashMap<String, Vec<String>> = serde_json::from_str(&manifest).ok()?;
        let loader = format!("/{pkg}/__wasm_split{}.js", hash("split").unwrap_or_else(|| ".______________________".into()));
        let groups = ["work", "card", "report", "settings"].into_iter().filter_map(|group| {
            // The router names a group's view `__{group}_route_view_{hash}`.
            let prefix = format!("__{group}_route_view_");
            let chunks = views.iter().find(|(view, _)| view.starts_with(&prefix))?.1;
            Some((group, std::iter::once(loader.clone()).chain(chunks.iter().map(|chunk| format!("/{pkg}/{chunk}.wasm"))).collect()))
        });
        Some(groups.collect())
    }
}

#[cfg(test)]
mod tests {
    use super::group_of;

    #[test]
    fn each_path_preloads_the_group_its_route_is_in() {
        for (path, group) in [
            ("/", Some("work")),
            ("/sales", Some("work")),
            ("/sales/board", Some("work")),
            ("/contacts", Some("work")),
            ("/contacts/", Some("work")),
            ("/contacts/tags", Some("work")),
            ("/contacts/new", Some("card")),
            ("/contacts/438", Some("card")),
            ("/contacts/438/vendita", Some("card")),
            ("/reports/sellers", Some("report")),
            ("/reports/mine", Some("report")),
            ("/config/crm/products", Some("settings")),
            ("/users", Some("settings")),
            ("/profile/password", Some("settings")),
            ("/import", Some("settings")),
            ("/setup", Some("settings")),
            ("/login", None),
            ("/no-such-page", None),
        ] {
            assert_eq!(group_of(path), group, "{path}");
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_group_names_its_chunks_and_their_loader_from_the_manifest() {
        use leptos::prelude::LeptosOptions;
        let site = std::env::temp_dir().join(format!("vendita-preload-{}", std::process::id()));
        std::fs::create_dir_all(site.join("pkg")).unwrap();
        let manifest = r#"{"__card_route_view_42":["chunk_1","split___card_route_view_42"],"__work_route_view_42":["chunk_1","chunk_2"]}"#;
        std::fs::write(site.join("pkg/__wasm_split_manifest.json"), manifest).unwrap();
        let options = LeptosOptions::builder().output_name("vendita").site_root(site.to_string_lossy().as_ref()).site_pkg_dir("pkg").build();
        let files = super::ssr::files(&options, "card");
        std::fs::remove_dir_all(&site).unwrap();
        assert_eq!(files, ["/pkg/__wasm_split.______________________.js", "/pkg/chunk_1.wasm", "/pkg/split___card_route_view_42.wasm"]);
        // A group the manifest does not know (a build without split chunks) names nothing.
        assert!(super::ssr::files(&options, "report").is_empty());
    }
}
