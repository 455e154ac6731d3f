//! `POST /import/upload?kind=…&mode=check|all|valid&name=…[&sheet=…][&map=…][&tag=1]`: the import's
//! upload, the file as the body (at most `app::import::MAX_BYTES`). It answers the report as JSON,
//! or the refusal as the server functions do (`AppError` as JSON, with its status).
//! `GET /import/batches/{id}/rejected.xlsx`: the rows a batch rejected, with their error, to fix
//! and import again. `GET /import/export/contacts.xlsx` and `…/products.xlsx`: the address book
//! and the product list in the import's columns (export → edit → import updates them).

use app::auth::ssr::{RequestUser, lang_in};
use app::error::AppError;
use app::import::ssr::Turn;
use app::import::{ImportKind, ImportMode, ImportRequest, MAX_BYTES, SourceError};
use app::state::AppState;
use axum::Router;
use axum::body::Body;
use axum::extract::{Extension, Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

pub const UPLOAD: &str = "/import/upload";
/// The upload's body limit: the file and some room.
pub const MAX_UPLOAD: usize = MAX_BYTES + 64 * 1024;

pub fn routes(state: AppState) -> Router {
    Router::new()
        .route(UPLOAD, post(upload))
        .route("/import/batches/{id}/rejected.xlsx", get(rejected))
        .route(
            "/import/export/contacts.xlsx",
            get(|s: State<AppState>, u: Extension<RequestUser>, h: HeaderMap| export(s, u, h, ImportKind::Contacts)),
        )
        .route(
            "/import/export/products.xlsx",
            get(|s: State<AppState>, u: Extension<RequestUser>, h: HeaderMap| export(s, u, h, ImportKind::Products)),
        )
        .with_state(state)
        // Both limits: the stream's (tower-http) and the one axum's body extractor applies (2 MB
        // by default).
        .layer(axum::extract::DefaultBodyLimit::max(MAX_UPLOAD))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(MAX_UPLOAD))
}

fn refuse(err: AppError) -> Response {
    let mut response = (err.status(), serde_json::to_string(&err).unwrap_or_default()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// The query's keys: each once, none unknown.
fn parse_query(query: &str, file_bytes: usize) -> Option<ImportRequest> {
    let pairs = crate::query_pairs(query, &["kind", "mode", "name", "sheet", "map", "tag"])?;
    let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    let mapping = get("map").map(|map| map.split(',').map(|f| Some(f.trim().to_string()).filter(|f| !f.is_empty())).collect::<Vec<_>>());
    if mapping.as_ref().is_some_and(|m| m.len() > app::import::MAX_COLUMNS) || file_bytes > MAX_BYTES {
        return None;
    }
    Some(ImportRequest {
        kind: ImportKind::from_code(get("kind")?)?,
        mode: ImportMode::from_code(get("mode")?)?,
        file_name: get("name").unwrap_or_default().chars().take(200).collect(),
        sheet: get("sheet").map(str::to_string),
        mapping,
        add_sales_tag: get("tag") == Some("1"),
    })
}

/// Uploads in this process at once (the one being imported and those waiting their turn): each
/// holds its file in memory, so more are refused at once (429) before their body is read.
static UPLOADS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(3);

async fn upload(State(state): State<AppState>, Extension(user): Extension<RequestUser>, RawQuery(query): RawQuery, body: Body) -> Response {
    let user = match user.get(&state).await {
        Ok(Some(user)) => user,
        Ok(None) => return refuse(AppError::Unauthenticated),
        Err(err) => return refuse(err),
    };
    // Members are refused before their file is looked at.
    if !user.role.is_manager() {
        return refuse(AppError::Forbidden);
    }
    let Ok(_upload) = UPLOADS.try_acquire() else { return refuse(AppError::ImportBusy) };
    let body = match axum::body::to_bytes(body, MAX_UPLOAD).await {
        Ok(body) => body,
        Err(_) => return refuse(AppError::BadFile(SourceError::TooLarge)),
    };
    let Some(request) = parse_query(&query.unwrap_or_default(), body.len()) else { return refuse(AppError::BadRequest("import".into())) };
    // One file read and imported at a time; the reading in a child process of its own.
    let turn = match Turn::wait().await {
        Ok(turn) => turn,
        Err(err) => return refuse(err),
    };
    let table = match crate::upload::read(&body, request.sheet.as_deref()).await {
        Ok(table) => table,
        Err(err) => return refuse(AppError::BadFile(err)),
    };
    drop(body);
    match app::import::ssr::run_table(&state.db, &user, &request, table, &turn).await {
        Ok(report) => axum::Json(report).into_response(),
        Err(err) => refuse(err),
    }
}

async fn rejected(State(state): State<AppState>, Extension(user): Extension<RequestUser>, headers: HeaderMap, Path(id): Path<i64>) -> Response {
    let lang = lang_in(&headers);
    let user = match user.get(&state).await {
        Ok(Some(user)) => user,
        Ok(None) => return workbook(Err(AppError::Unauthenticated), "", lang),
        Err(err) => return workbook(Err(err), "", lang),
    };
    // The workbook is built in memory: a few at a time, others are told to try again (429).
    let Ok(_building) = WORKBOOKS.try_acquire() else { return workbook(Err(AppError::Busy), "", user.lang) };
    let bytes = match app::import::ssr::rejected(&state.db, &user, id).await {
        Ok(rows) => app::import::ssr::rejected_workbook(&rows, user.lang).map_err(|_| AppError::Internal),
        Err(err) => Err(err),
    };
    workbook(bytes, &format!("import-{id}-rejected.xlsx"), user.lang)
}

/// Workbooks built in memory at once (rejected rows, the address book, the product list).
static WORKBOOKS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// A workbook answer, or the refusal as text in the reader's language.
fn workbook(result: Result<Vec<u8>, AppError>, name: &str, lang: app::i18n::Lang) -> Response {
    let bytes = match result {
        Ok(bytes) => bytes,
        Err(err) => return (err.status(), err.message(lang)).into_response(),
    };
    let mut response = (StatusCode::OK, bytes).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

async fn export(State(state): State<AppState>, Extension(user): Extension<RequestUser>, headers: HeaderMap, kind: ImportKind) -> Response {
    let lang = lang_in(&headers);
    let user = match user.get(&state).await {
        Ok(Some(user)) => user,
        Ok(None) => return workbook(Err(AppError::Unauthenticated), "", lang),
        Err(err) => return workbook(Err(err), "", lang),
    };
    let name = format!("{}.xlsx", kind.code());
    let Ok(_building) = WORKBOOKS.try_acquire() else { return workbook(Err(AppError::Busy), "", user.lang) };
    workbook(app::import::ssr::export_workbook(&state.db, &user, kind).await, &name, user.lang)
}
