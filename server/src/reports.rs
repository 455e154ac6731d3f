//! `GET /reports/export.xlsx?scope=…&…filters…`: the Excel download of a report. The workbook is
//! written to a temporary file whose name is removed as soon as it is created (the open handle
//! keeps the data), then streamed with its length: the page shows progress, the server never holds
//! the whole file in memory, and nothing stays in the temporary folder if the client goes away or
//! the writer fails. Downloads are costly: at most `PER_USER` at once per user and `SERVER_WIDE`
//! in all; the rest are answered 429.

use app::auth::ssr::SignedIn;
use app::error::AppError;
use app::i18n::Lang;
use app::reports::{Filter, Scope};
use app::state::AppState;
use axum::body::Body;
use axum::extract::{FromRef, RawQuery, State};
use axum::response::Response;
use futures_util::StreamExt;
use std::collections::HashMap;
use std::io::Seek;
use std::sync::{Arc, Mutex};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Downloads one user may run at once.
pub const PER_USER: usize = 2;
/// Downloads the server runs at once (each holds a database snapshot and a writer thread).
pub const SERVER_WIDE: usize = 4;

/// The keys the report page writes in the download's query string.
const KEYS: [&str; 11] = ["scope", "period", "from", "to", "seller", "category", "product", "stage", "tag", "reason", "group"];

#[derive(Clone)]
pub struct ExportState {
    pub app: AppState,
    pub slots: Arc<Slots>,
}

impl FromRef<ExportState> for AppState {
    fn from_ref(state: &ExportState) -> AppState {
        state.app.clone()
    }
}

/// Who is downloading now.
pub struct Slots {
    server: Arc<Semaphore>,
    per_user: Mutex<HashMap<i64, usize>>,
}

impl Default for Slots {
    fn default() -> Self {
        Slots { server: Arc::new(Semaphore::new(SERVER_WIDE)), per_user: Mutex::new(HashMap::new()) }
    }
}

/// One running download; its place is given back when the response body is dropped (sent, or
/// the client went away).
pub struct Slot {
    slots: Arc<Slots>,
    user: i64,
    _server: OwnedSemaphorePermit,
}

impl Slots {
    pub fn take(self: &Arc<Self>, user: i64) -> Option<Slot> {
        let server = self.server.clone().try_acquire_owned().ok()?;
        let mut per_user = self.per_user.lock().unwrap_or_else(|e| e.into_inner());
        let running = per_user.entry(user).or_insert(0);
        if *running >= PER_USER {
            return None;
        }
        *running += 1;
        Some(Slot { slots: self.clone(), user, _server: server })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut per_user = self.slots.per_user.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(running) = per_user.get_mut(&self.user) {
            *running -= 1;
            if *running == 0 {
                per_user.remove(&self.user);
            }
        }
    }
}

/// The query string, percent-decoded; `None` when a key is unknown or repeated.
fn parse_query(query: &str) -> Option<(Scope, Filter)> {
    let pairs = crate::query_pairs(query, &KEYS)?;
    let scope = pairs.iter().find(|(k, _)| k == "scope").and_then(|(_, v)| Scope::from_code(v))?;
    let filter = Filter::from_pairs(pairs.iter().filter(|(k, _)| k != "scope").map(|(k, v)| (k.as_str(), v.as_str())))?;
    Some((scope, filter))
}

pub async fn export(State(state): State<ExportState>, SignedIn(user): SignedIn, RawQuery(query): RawQuery) -> Result<Response, AppError> {
    let (scope, filter) = parse_query(&query.unwrap_or_default()).ok_or(AppError::BadRequest("report filter".into()))?;
    let slot = state.slots.take(user.id.0).ok_or(AppError::Busy)?;
    let file = unnamed_temp_file().map_err(|_| AppError::Internal)?;
    let writer_end = file.try_clone().map_err(|_| AppError::Internal)?;
    app::reports::ssr::export::export_workbook(&state.app.db, &user, scope, &filter, writer_end).await?;
    let mut file = file;
    let length = file.rewind().and_then(|_| file.metadata()).map_err(|_| AppError::Internal)?.len();
    let name = format!("{}-{}.xlsx", if user.lang == Lang::It { "vendite" } else { "sales" }, chrono::Local::now().format("%Y-%m-%d"));
    // The slot travels with the body: given back when the last byte is sent or the client leaves.
    let stream = tokio_util::io::ReaderStream::new(tokio::fs::File::from_std(file)).map(move |chunk| {
        let _held = &slot;
        chunk
    });
    Ok(crate::workbook_response(Body::from_stream(stream), Some(length), &name))
}

/// A new file in the temporary folder whose name is removed at once: it lives as long as its
/// handles, and no crash, abort or error can leave it behind.
fn unnamed_temp_file() -> std::io::Result<std::fs::File> {
    let path = std::env::temp_dir().join(format!("vendita-export-{}-{}.xlsx", std::process::id(), rand::random::<u64>()));
    let file = std::fs::OpenOptions::new().read(true).write(true).create_new(true).open(&path)?;
    std::fs::remove_file(&path)?;
    Ok(file)
}
