//! What travels to the browser (server/src/wire.rs): every compressible answer compressed as the
//! browser accepts, with `Vary: accept-encoding`; the site's files served precompressed when the
//! build left `.br`/`.gz` copies; immutable caching only for content-hashed file names; pages,
//! server functions and the workbook never stored.

mod common;

use app::state::Config;
use common::*;
use reqwest::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, VARY};
use reqwest::{Response, StatusCode};
use std::io::Read;
use std::path::PathBuf;

const HASHED: &str = "/pkg/vendita.Xq3v9Z-k_1aBcDeFgHiJkL.wasm";
const WASM: &[u8] = b"\0asm the module itself, long enough to be worth compressing: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

/// A site folder as `cargo leptos build --release --precompress` leaves it: a hashed WASM with its
/// brotli and gzip copies (marked, so the test sees which one was served), an unhashed icon.
struct Site(PathBuf);

impl Site {
    fn new() -> Site {
        let root = std::env::temp_dir().join(format!("vendita-site-test-{}-{}", std::process::id(), rand_suffix()));
        std::fs::create_dir_all(root.join("pkg")).unwrap();
        let hashed = root.join(HASHED.trim_start_matches('/'));
        std::fs::write(&hashed, WASM).unwrap();
        std::fs::write(hashed.with_extension("wasm.br"), b"brotli copy").unwrap();
        std::fs::write(hashed.with_extension("wasm.gz"), b"gzip copy").unwrap();
        std::fs::write(root.join("favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'></svg>".repeat(20)).unwrap();
        Site(root)
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn header(res: &Response, name: reqwest::header::HeaderName) -> &str {
    res.headers().get(&name).map(|v| v.to_str().unwrap()).unwrap_or("")
}

fn varies_by_encoding(res: &Response) -> bool {
    res.headers().get_all(VARY).iter().any(|v| v.to_str().unwrap().to_ascii_lowercase().contains("accept-encoding"))
}

fn gunzip(bytes: &[u8]) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes).read_to_string(&mut text).expect("a gzip body");
    text
}

#[tokio::test]
async fn the_sites_files_travel_precompressed_and_hashed_names_are_kept_a_year() {
    let site = Site::new();
    let app = spawn_app_with_site(Config::default(), &site.0).await;
    let client = browser();
    for (accepts, encoding, body) in [("br, gzip", "br", &b"brotli copy"[..]), ("gzip", "gzip", b"gzip copy"), ("identity", "", WASM)] {
        let res = client.get(app.url(HASHED)).header(ACCEPT_ENCODING, accepts).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(header(&res, CONTENT_ENCODING), encoding, "accepting {accepts}");
        assert_eq!(header(&res, CACHE_CONTROL), "public, max-age=31536000, immutable");
        assert!(varies_by_encoding(&res), "a cache must not hand the brotli copy to a browser that accepts only gzip");
        assert_eq!(res.bytes().await.unwrap().as_ref(), body, "accepting {accepts}");
    }
    // A file without a content hash may change under the same name: asked again every time.
    let res = client.get(app.url("/favicon.svg")).header(ACCEPT_ENCODING, "gzip").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, CACHE_CONTROL), "no-cache");
    assert_eq!(header(&res, CONTENT_ENCODING), "gzip", "no precompressed copy: compressed on the fly");
    assert!(gunzip(&res.bytes().await.unwrap()).starts_with("<svg"));
}

async fn sell(shop: &Shop) {
    let form = [
        ("contact", shop.customer.as_str()),
        ("product", &shop.product),
        ("seller", &shop.marco_seller),
        ("quantity", "3"),
        ("unit_price", "80"),
        ("discount", "0"),
        ("vat_rate", "22"),
        ("stage", "won"),
        ("sale_date", "2026-03-02"),
    ];
    ok(&shop.app, &shop.marco, "sales_create", &form).await;
}

#[tokio::test]
async fn pages_and_server_functions_are_compressed_and_never_stored() {
    for app in spawn_both(Config::default()).await {
        let shop = Shop::open(app).await;
        let app = &shop.app;
        sell(&shop).await;
        // The sign-in page, anonymous; a signed-in page; a server function's JSON.
        let res = shop.anonymous.get(app.url("/login")).header(ACCEPT_ENCODING, "gzip").send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(header(&res, CONTENT_ENCODING), "gzip");
        assert!(varies_by_encoding(&res));
        assert_eq!(header(&res, CACHE_CONTROL), "no-store");
        assert!(gunzip(&res.bytes().await.unwrap()).contains("<html"));

        let res =
            shop.manager.get(app.url(&format!("/contacts/{}/vendita", shop.customer))).header(ACCEPT_ENCODING, "br, gzip").send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(header(&res, CONTENT_ENCODING), "br");
        assert_eq!(header(&res, CACHE_CONTROL), "no-store", "a signed-in page is never kept by a shared cache");

        let res = shop.manager.post(app.url("/api/report_data")).header(ACCEPT_ENCODING, "gzip").form(&[("scope", "All")]).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(header(&res, CONTENT_ENCODING), "gzip");
        assert!(varies_by_encoding(&res));
        assert_eq!(header(&res, CACHE_CONTROL), "no-store");
        let data: serde_json::Value = serde_json::from_str(&gunzip(&res.bytes().await.unwrap())).unwrap();
        assert!(data.is_object(), "the report data decodes after gunzip");

        // Without Accept-Encoding the same answer comes plain.
        let res = shop.manager.post(app.url("/api/report_data")).form(&[("scope", "All")]).send().await.unwrap();
        assert_eq!(header(&res, CONTENT_ENCODING), "");
        serde_json::from_slice::<serde_json::Value>(&res.bytes().await.unwrap()).expect("plain JSON");

        // A refusal is compressed and unstored too, and keeps its status.
        let res = shop.anonymous.post(app.url("/api/report_data")).header(ACCEPT_ENCODING, "gzip").form(&[("scope", "All")]).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(header(&res, CACHE_CONTROL), "no-store");
    }
}

#[tokio::test]
async fn the_workbook_travels_as_it_is() {
    let shop = Shop::open(spawn_app(Config::default()).await).await;
    let app = &shop.app;
    sell(&shop).await;
    let res = shop.manager.get(app.url("/reports/export.xlsx?scope=all&period=year")).header(ACCEPT_ENCODING, "br, gzip").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, CONTENT_ENCODING), "", "an xlsx is a zip already");
    assert_eq!(header(&res, CACHE_CONTROL), "no-store");
    assert!(res.bytes().await.unwrap().starts_with(b"PK"));
}
