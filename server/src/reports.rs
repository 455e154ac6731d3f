//! `GET /reports/export.xlsx?scope=…&…filters…`: the Excel download of a report. The workbook is
//! written to a temporary file (constant-memory worksheets), then streamed with its length, so the
//! page can show progress and the server never holds the whole file in memory.

use app::auth::ssr::user_from_headers;
use app::error::AppError;
use app::reports::{Filter, Scope};
use app::state::AppState;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

fn refuse(err: AppError) -> Response {
    (err.status(), err.message(app::i18n::Lang::It)).into_response()
}

pub async fn export(State(state): State<AppState>, headers: HeaderMap, RawQuery(query): RawQuery) -> Response {
    let query = query.unwrap_or_default();
    let pairs: Vec<(&str, &str)> = query.split('&').filter_map(|p| p.split_once('=')).collect();
    let (Some(scope), Some(filter)) = (
        pairs.iter().find(|(k, _)| *k == "scope").and_then(|(_, v)| Scope::from_code(v)),
        Filter::from_pairs(pairs.iter().copied().filter(|(k, _)| *k != "scope")),
    ) else {
        return (StatusCode::BAD_REQUEST, "malformed report filter").into_response();
    };
    let user = match user_from_headers(&state, &headers).await {
        Ok(Some(user)) => user,
        Ok(None) => return refuse(AppError::Unauthenticated),
        Err(err) => return refuse(err),
    };
    let path = std::env::temp_dir().join(format!("vendita-export-{}-{}.xlsx", std::process::id(), rand::random::<u64>()));
    let result = app::reports::ssr::export::export_workbook(&state.db, &user, scope, &filter, path.clone()).await;
    let file = match result {
        Ok(_) => tokio::fs::File::open(&path).await,
        Err(err) => {
            let _ = tokio::fs::remove_file(&path).await;
            return refuse(err);
        }
    };
    // Unlinked at once: the open handle keeps the data until the last byte is sent.
    let _ = tokio::fs::remove_file(&path).await;
    let Ok(file) = file else { return refuse(AppError::Internal) };
    let length = file.metadata().await.map(|m| m.len()).unwrap_or(0);
    let name = format!("{}-{}.xlsx", if user.lang == app::i18n::Lang::It { "vendite" } else { "sales" }, chrono::Local::now().format("%Y-%m-%d"));
    let mut response = Body::from_stream(tokio_util::io::ReaderStream::new(file)).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}
