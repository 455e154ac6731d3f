//! What every request passes through: the body size limit, refusal of cross-site state changes,
//! and the security headers (with a fresh CSP nonce for the page's inline hydration script).

use app::error::AppError;
use app::state::{AppState, CspNonce};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::RngCore;

/// The largest request body accepted: forms are a few kilobytes. A larger declared body is
/// refused at once with 413 and a translated message; a streamed one is cut at this size.
pub const MAX_BODY: usize = 2 * 1024 * 1024;

/// The largest body of a request to `path`: an import's upload takes a whole file.
pub fn body_limit(path: &str) -> usize {
    if path == crate::import::UPLOAD { crate::import::MAX_UPLOAD } else { MAX_BODY }
}

pub async fn guard(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let declared = request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > body_limit(request.uri().path()) as u64) {
        let mut response = AppError::TooLarge.into_response();
        add_headers(&mut response, None);
        return response;
    }
    if !is_safe_method(request.method()) && !same_origin(&request, &state.config.allowed_origins) {
        tracing::warn!(uri = %request.uri(), "cross-site request refused");
        let mut response = AppError::Forbidden.into_response();
        add_headers(&mut response, None);
        return response;
    }
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    let nonce = hex_encode(&bytes);
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut response = next.run(request).await;
    add_headers(&mut response, Some(&nonce));
    response
}

fn is_safe_method(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A browser always says where a cross-site request comes from (Origin, Sec-Fetch-Site); a
/// request saying neither comes from a program, not from a page on another site.
fn same_origin(request: &Request<Body>, allowed: &[String]) -> bool {
    let headers = request.headers();
    if let Some(origin) = headers.get(header::ORIGIN) {
        let Ok(origin) = origin.to_str() else { return false };
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
        let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
        return (!host.is_empty() && origin_host == host) || allowed.iter().any(|a| a == origin);
    }
    match headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        Some(site) => matches!(site, "same-origin" | "none"),
        None => true,
    }
}

fn add_headers(response: &mut Response, nonce: Option<&str>) {
    let script = nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
    let csp = format!(
        "default-src 'self'; script-src 'self'{script} 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
    );
    if let Ok(value) = HeaderValue::from_str(&csp) {
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// The headers every answer carries as they are (the CSP, with its nonce, is set per answer by
/// [`guard`]), through tower-http, outermost so that refusals carry them too.
pub fn static_headers<S>(router: axum::Router<S>) -> axum::Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    use tower_http::set_header::SetResponseHeaderLayer;
    router
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(SetResponseHeaderLayer::overriding(
            header::HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
}

fn hex_encode(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
