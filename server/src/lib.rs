//! The Vendita server: routes, security middleware and start-up, shared by the binary and the
//! HTTP tests (which start the real router on a random port).

pub mod commissions;
pub mod demo;
pub mod import;
pub mod logo;
pub mod offers;
pub mod reports;
pub mod security;
pub mod site;
pub mod upload;
pub mod wire;

use app::auth::ssr::RequestUser;
use app::error::AppError;
use app::state::{AppState, Config};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::get;
use axum::{Router, middleware};
use leptos::prelude::*;
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};

/// Builds the whole application: pages, server functions, static files, `/healthz`, and around
/// all of them the security layer, then compression and caching rules (`wire`).
pub fn router(state: AppState, options: LeptosOptions) -> Router {
    let routes = generate_route_list(app::App);
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
        }
    };
    let page_shell = {
        let options = options.clone();
        move || app::shell(options.clone())
    };
    // The pages: each learns who is looking before it is drawn (see `page_viewer`).
    let pages = Router::<LeptosOptions>::new()
        .leptos_routes_with_context(&options, routes, context.clone(), page_shell)
        .route_layer(middleware::from_fn_with_state(state.clone(), page_viewer));
    let router = Router::new()
        .route("/healthz", get(healthz).with_state(state.clone()))
        .route("/offers/{id}/offer.pdf", get(offers::pdf).with_state(state.clone()))
        .route("/commissions/statements/{id}/statement.pdf", get(commissions::pdf).with_state(state.clone()))
        .route("/reports/export.xlsx", get(reports::export).with_state(reports::ExportState { app: state.clone(), slots: Default::default() }))
        .merge(pages)
        .fallback(leptos_axum::file_and_error_handler_with_context(context, app::shell))
        .with_state(options.clone())
        // The customer's offer link, without an account.
        .merge(offers::link_routes(state.clone(), options))
        .merge(logo::routes(state.clone()))
        .layer(middleware::from_fn(server_fn_status))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(security::MAX_BODY))
        // The import's upload, with a body limit of its own.
        .merge(import::routes(state.clone()))
        .layer(middleware::from_fn(identify))
        .layer(middleware::from_fn_with_state((state.clone(), Arc::new(Snapshotter::default())), monthly_snapshot))
        .layer(middleware::from_fn_with_state(state, security::guard));
    security::static_headers(wire::layers(router))
}

/// The first request of each month freezes the month's forecast (see
/// `app::reports::ssr::snapshots`); the month checked last is remembered, so the other requests
/// pass straight through. One task at a time takes it; the request that started it waits for it
/// at most `SNAPSHOT_WAIT` (writers queued on SQLite delay the snapshot, not the page). A failure is logged and tried again on a later request: the request itself is
/// served either way.
async fn monthly_snapshot(State((state, snapshotter)): State<(AppState, Arc<Snapshotter>)>, request: Request, next: Next) -> Response {
    const SNAPSHOT_WAIT: std::time::Duration = std::time::Duration::from_secs(1);
    let today = chrono::Local::now().date_naive();
    let month = app::reports::Month::of(today).0;
    if snapshotter.checked.load(Ordering::Relaxed) != month
        && let Ok(one) = snapshotter.taking.clone().try_lock_owned()
    {
        let (db, snapshotter) = (state.db.clone(), snapshotter.clone());
        let task = tokio::spawn(async move {
            let _one = one;
            if snapshotter.checked.load(Ordering::Relaxed) == month {
                return;
            }
            match app::reports::ssr::snapshots::take_if_due(&db, today).await {
                Ok(taken) => {
                    snapshotter.checked.store(month, Ordering::Relaxed);
                    if taken {
                        tracing::info!(month = %app::reports::Month(month).code(), "forecast snapshot taken");
                    }
                }
                Err(err) => tracing::warn!(error = ?err, "forecast snapshot failed"),
            }
        });
        let _ = tokio::time::timeout(SNAPSHOT_WAIT, task).await;
    }
    next.run(request).await
}

/// The month whose snapshot is known taken, and the one task taking it.
struct Snapshotter {
    checked: AtomicI32,
    taking: Arc<tokio::sync::Mutex<()>>,
}

impl Default for Snapshotter {
    fn default() -> Self {
        Snapshotter { checked: AtomicI32::new(i32::MIN), taking: Arc::default() }
    }
}

/// A workbook download: its bytes, length when known, and the file name the browser saves it
/// under; never cached.
pub fn workbook_response(body: Body, length: Option<u64>, name: &str) -> Response {
    use axum::http::{HeaderValue, header};
    let mut response = Response::new(body);
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
    if let Some(length) = length {
        h.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

/// The query string of a plain route (the download, the import), percent-decoded; `None` when it
/// names a key not in `keys` or one twice.
pub fn query_pairs(query: &str, keys: &[&str]) -> Option<Vec<(String, String)>> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        if !keys.contains(&key.as_ref()) || pairs.iter().any(|(k, _)| *k == key) {
            return None;
        }
        pairs.push((key.into_owned(), value.into_owned()));
    }
    Some(pairs)
}

/// Every request carries its signed-in user, looked up when first asked for
/// (`auth::ssr::RequestUser`): pages, server functions and the download find him there.
async fn identify(mut request: Request, next: Next) -> Response {
    let user = RequestUser::from_headers(request.headers());
    request.extensions_mut().insert(user);
    next.run(request).await
}

/// Works out who is looking at a page (session, language, first run) before the page is drawn, so
/// the page draws at once with it (`app::shell::Page`). If the database fails here, the page asks
/// again itself and shows the error.
async fn page_viewer(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if request.uri().path().starts_with(SERVER_FN_PREFIX) {
        return next.run(request).await;
    }
    let Some(user) = request.extensions().get::<RequestUser>().cloned() else { return next.run(request).await };
    let lang = app::auth::ssr::lang_in(request.headers());
    if let Ok(user) = user.get(&state).await
        && let Ok(viewer) = app::auth::ssr::viewer_of(&state, user, lang).await
    {
        request.extensions_mut().insert(app::auth::ssr::PageViewer(viewer));
    }
    next.run(request).await
}

/// Where the server functions answer (the `server_fn` default prefix).
const SERVER_FN_PREFIX: &str = "/api/";

/// Every server function's refusal gets its HTTP status here, in one place: `server_fn` answers
/// any error with 500 and the error in the body; the body says which `AppError` it is, and
/// `AppError::status` says 401, 403, 404, 409, 422, 429 or 400 (a request the function could not
/// even decode: wrong types, missing fields). A fault stays 500.
async fn server_fn_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if !response.headers().contains_key(SERVER_FN_ERROR_HEADER) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024).await.unwrap_or_default();
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = err.status();
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// 200 only when the database answers.
async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if app::db::ping(&state.db).await { (StatusCode::OK, "ok") } else { (StatusCode::SERVICE_UNAVAILABLE, "database unavailable") }
}

/// The database URL: `DATABASE_URL`, or the SQLite file under `data/`.
pub fn database_url() -> String {
    std::env::var("DATABASE_URL").ok().filter(|u| !u.is_empty()).unwrap_or_else(|| app::db::DEFAULT_URL.to_string())
}

/// The state from the environment; the error says which setting or what of the database failed.
pub async fn state_from_env() -> Result<AppState, String> {
    let config = Config::from_env()?;
    let db = app::db::connect(&database_url()).await.map_err(|e| format!("database: {e}"))?;
    // A database migrated with sales and no report cells yet gets them.
    app::figures::cells::build_if_missing(&db).await.map_err(|e| format!("report cells: {e:?}"))?;
    Ok(AppState { db, config })
}
