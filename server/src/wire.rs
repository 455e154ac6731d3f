//! What travels to the browser: every compressible answer compressed (brotli or gzip, as the
//! browser accepts), and a rule for how long each answer may be kept.
//!
//! - The site's files are compressed at build time (`cargo leptos build --release --precompress`,
//!   `release_site` in scripts/env.sh) and served as they are, `.br` or `.gz` beside the file;
//!   pages, server functions and anything else are compressed on the fly, at a level that costs
//!   little CPU. The Excel workbook is a zip already: it travels as it is.
//! - A file whose name carries its content's hash (cargo-leptos `hash-files`) never changes: the
//!   browser keeps it a year without asking again. Other static files are asked again each time
//!   (`no-cache`: a 304 when unchanged). Pages and server functions are never stored, by the
//!   browser or by a shared proxy: they carry the signed-in user's data.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::{CompressionLayer, CompressionLevel};

/// Brotli quality 4 / gzip level 4 for answers compressed on the fly: most of the size gain at a
/// small part of the CPU of the best levels (figures: docs/benchmarks.md).
const DYNAMIC_LEVEL: i32 = 4;

pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
pub const REVALIDATE: &str = "no-cache";
pub const NEVER_STORE: &str = "no-store";

pub fn layers<S>(router: axum::Router<S>) -> axum::Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let compress_when = DefaultPredicate::new().and(NotForContentType::const_new("application/vnd.openxmlformats"));
    router
        .layer(middleware::from_fn(cache_policy))
        .layer(CompressionLayer::new().br(true).gzip(true).quality(CompressionLevel::Precise(DYNAMIC_LEVEL)).compress_when(compress_when))
}

/// Sets `Cache-Control` (see the module's notes) unless the answer chose its own.
async fn cache_policy(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if headers.contains_key(header::CACHE_CONTROL) {
        return response;
    }
    // ServeDir answers a static file with its modification time; pages and functions never do.
    let is_file = headers.contains_key(header::LAST_MODIFIED);
    let policy = match (is_file, has_content_hash(&path)) {
        (true, true) => IMMUTABLE,
        (true, false) => REVALIDATE,
        (false, _) => NEVER_STORE,
    };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    if is_file {
        // The same URL is answered as brotli, gzip or plain, by what the browser accepts.
        headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

/// Whether a file name carries a cargo-leptos content hash: a dot-separated part of 22 URL-safe
/// base64 characters (an MD5), as in `vendita.3kTq…w.wasm`. The unhashed build's placeholder
/// (`__wasm_split.______________________.js`) is not a hash.
pub fn has_content_hash(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let mut parts: Vec<&str> = name.split('.').collect();
    parts.pop(); // the extension
    parts
        .iter()
        .any(|part| part.len() == 22 && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') && part.bytes().any(|b| b != b'_'))
}

#[cfg(test)]
mod tests {
    use super::has_content_hash;

    #[test]
    fn only_hashed_names_count_as_hashed() {
        assert!(has_content_hash("/pkg/vendita.Xq3v9Z-k_1aBcDeFgHiJkL.wasm"));
        assert!(has_content_hash("/pkg/Xq3v9Z-k_1aBcDeFgHiJkL.wasm"));
        assert!(!has_content_hash("/pkg/vendita.wasm"));
        assert!(!has_content_hash("/pkg/__wasm_split.______________________.js"));
        assert!(!has_content_hash("/pkg/vendita.Xq3v9Z-k_1aBcDeFgHiJk.wasm"), "21 characters");
        assert!(!has_content_hash("/favicon.svg"));
    }
}
