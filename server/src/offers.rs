//! `GET /offers/{id}/offer.pdf`: an offer's PDF. A sent offer is drawn from what was frozen when
//! it was sent (names, prices and totals of that day); a draft as it is now, marked as a draft.

use app::auth::ssr::SignedIn;
use app::error::AppError;
use app::offers::OfferId;
use app::state::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use leptos::prelude::LeptosOptions;

pub async fn pdf(State(state): State<AppState>, SignedIn(me): SignedIn, Path(id): Path<i64>) -> Result<Response, AppError> {
    let offer = app::offers::ssr::as_sent(&state.db, &me, OfferId(id)).await?;
    let letterhead = app::offers::ssr::letterhead(&state.db, offer.language).await?;
    pdf_response(offer, letterhead).await
}

/// The offer drawn as PDF, named after its number.
async fn pdf_response(offer: app::offers::Offer, letterhead: app::offers::pdf::Letterhead) -> Result<Response, AppError> {
    let name = offer.file_name();
    pdf_file(name, move || app::offers::pdf::draw(&offer, &letterhead)).await
}

/// A PDF drawn by `draw`, shown inline as `name`, never cached.
pub(crate) async fn pdf_file(name: String, draw: impl FnOnce() -> Result<Vec<u8>, AppError> + Send + 'static) -> Result<Response, AppError> {
    // Laying out and compressing a long document is CPU work: off the request threads.
    let bytes = tokio::task::spawn_blocking(draw).await.map_err(|_| AppError::Internal)??;
    let mut response = Response::new(Body::from(bytes));
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}

/// The customer's link: `GET /o/{token}` shows the offer, `POST` (the name typed) accepts it,
/// `GET /o/{token}/offer.pdf` is its PDF as sent. No account; what a link opens is decided by
/// `app::offers::ssr::open_link`, which also stops an address guessing links.
pub fn link_routes(state: AppState, options: LeptosOptions) -> axum::Router {
    use axum::routing::get;
    axum::Router::new()
        .route("/o/{token}", get(link_page).post(link_accept))
        .route("/o/{token}/offer.pdf", get(link_pdf))
        .with_state(LinkState { app: state, options })
}

#[derive(Clone)]
pub struct LinkState {
    app: AppState,
    options: LeptosOptions,
}

fn address(state: &AppState, request: &axum::http::request::Parts) -> String {
    let peer = request.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
    app::auth::ssr::client_address(peer, &request.headers, &state.config.trusted_proxies)
}

fn html(status: StatusCode, page: String) -> Response {
    let mut response = (status, page).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::HeaderName::from_static("x-robots-tag"), HeaderValue::from_static("noindex"));
    response
}

fn closed(state: &LinkState, err: AppError) -> Response {
    match err {
        AppError::NotFound | AppError::RateLimited => html(err.status(), app::offers::link::closed_page(&state.options, &err)),
        other => other.into_response(),
    }
}

async fn link_page(State(state): State<LinkState>, Path(token): Path<String>, request: axum::http::request::Parts) -> Response {
    match app::offers::ssr::open_link(&state.app.db, &token, &address(&state.app, &request)).await {
        Ok(shown) => html(StatusCode::OK, app::offers::link::offer_page(&state.options, &token, shown, None)),
        Err(err) => closed(&state, err),
    }
}

async fn link_accept(
    State(state): State<LinkState>,
    Path(token): Path<String>,
    request: axum::http::request::Parts,
    body: axum::body::Bytes,
) -> Response {
    let ip = address(&state.app, &request);
    let name = form_urlencoded::parse(&body).find(|(k, _)| k == "name").map(|(_, v)| v.into_owned()).unwrap_or_default();
    match app::offers::ssr::accept_link(&state.app.db, &token, &name, &ip).await {
        Ok(shown) => html(StatusCode::OK, app::offers::link::offer_page(&state.options, &token, shown, None)),
        Err(err @ AppError::Invalid { .. }) => match app::offers::ssr::open_link(&state.app.db, &token, &ip).await {
            Ok(shown) => html(err.status(), app::offers::link::offer_page(&state.options, &token, shown, Some(err))),
            Err(err) => closed(&state, err),
        },
        Err(err) => closed(&state, err),
    }
}

async fn link_pdf(State(state): State<LinkState>, Path(token): Path<String>, request: axum::http::request::Parts) -> Response {
    let shown = match app::offers::ssr::open_link(&state.app.db, &token, &address(&state.app, &request)).await {
        Ok(shown) => shown,
        Err(err) => return closed(&state, err),
    };
    match pdf_response(shown.offer, shown.letterhead).await {
        Ok(response) => response,
        Err(err) => err.into_response(),
    }
}
