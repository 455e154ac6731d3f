//! `POST /import/upload?kind=…&mode=check|all|valid&name=…[&sheet=…][&map=…][&tag=1]`: the import's
//! upload, the file as the body (at most `app::import::MAX_BYTES`). It answers the report as JSON,
//! or the refusal as every plain route does (`AppError` as JSON, with its status).
//! `GET /import/batches/{id}/rejected.xlsx`: the rows a batch rejected, with their error, to fix
//! and import again. `GET /import/export/contacts.xlsx` and `…/products.xlsx`: the address book
//! and the product list in the import's columns (export → edit → import updates them).

use app::auth::ssr::{SignedIn, require_manager};
use app::error::{AppError, SourceError};
use app::import::ssr::Turn;
use app::import::{ImportKind, ImportMode, ImportRequest, MAX_BYTES};
use app::state::AppState;
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

pub const UPLOAD: &str = "/import/upload";
/// The upload's body limit: the file and some room.
pub const MAX_UPLOAD: usize = MAX_BYTES + 64 * 1024;

pub fn routes(state: AppState) -> Router {
    Router::new()
        .route(UPLOAD, post(upload))
        .route("/import/batches/{id}/rejected.xlsx", get(rejected))
        .route("/import/export/contacts.xlsx", get(|s: State<AppState>, u: SignedIn| export(s, u, ImportKind::Contacts)))
        .route("/import/export/products.xlsx", get(|s: State<AppState>, u: SignedIn| export(s, u, ImportKind::Products)))
        .with_state(state)
        // Both limits: the stream's (tower-http) and the one axum's body extractor applies (2 MB
        // by default).
        .layer(axum::extract::DefaultBodyLimit::max(MAX_UPLOAD))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(MAX_UPLOAD))
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

async fn upload(State(state): State<AppState>, SignedIn(user): SignedIn, RawQuery(query): RawQuery, body: Body) -> Result<Response, AppError> {
    // Members are refused before their file is looked at.
    require_manager(&user)?;
    let _upload = UPLOADS.try_acquire().map_err(|_| AppError::ImportBusy)?;
    let body = axum::body::to_bytes(body, MAX_UPLOAD).await.map_err(|_| AppError::BadFile(SourceError::TooLarge))?;
    let request = parse_query(&query.unwrap_or_default(), body.len()).ok_or(AppError::BadRequest("import".into()))?;
    // One file read and imported at a time; the reading in a child process of its own.
    let turn = Turn::wait().await?;
    let table = crate::upload::read(&body, request.sheet.as_deref()).await?;
    drop(body);
    let report = app::import::ssr::run_table(&state.db, &user, &request, table, &turn).await?;
    Ok(axum::Json(report).into_response())
}

async fn rejected(State(state): State<AppState>, SignedIn(user): SignedIn, Path(id): Path<i64>) -> Result<Response, AppError> {
    // The workbook is built in memory: a few at a time, others are told to try again (429).
    let _building = WORKBOOKS.try_acquire().map_err(|_| AppError::Busy)?;
    let rows = app::import::ssr::rejected(&state.db, &user, id).await?;
    let bytes = app::import::ssr::rejected_workbook(&rows, user.lang).map_err(|_| AppError::Internal)?;
    Ok(crate::workbook_response(Body::from(bytes), None, &format!("import-{id}-rejected.xlsx")))
}

/// Workbooks built in memory at once (rejected rows, the address book, the product list).
static WORKBOOKS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

async fn export(State(state): State<AppState>, SignedIn(user): SignedIn, kind: ImportKind) -> Result<Response, AppError> {
    let _building = WORKBOOKS.try_acquire().map_err(|_| AppError::Busy)?;
    let bytes = app::import::ssr::export_workbook(&state.db, &user, kind).await?;
    Ok(crate::workbook_response(Body::from(bytes), None, &format!("{}.xlsx", kind.code())))
}
