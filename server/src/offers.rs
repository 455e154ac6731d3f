//! `GET /offers/{id}/offer.pdf`: an offer's PDF. A sent offer is drawn from what was frozen when
//! it was sent (names, prices and totals of that day); a draft as it is now, marked as a draft.

use app::auth::ssr::SignedIn;
use app::error::AppError;
use app::offers::OfferId;
use app::state::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;

pub async fn pdf(State(state): State<AppState>, SignedIn(me): SignedIn, Path(id): Path<i64>) -> Result<Response, AppError> {
    let offer = app::offers::ssr::as_sent(&state.db, &me, OfferId(id)).await?;
    let letterhead = app::offers::ssr::letterhead(&state.db, offer.language).await?;
    let name = match offer.number {
        Some(n) if n.revision > 1 => format!("offerta-{}-{:04}-rev{}.pdf", n.year, n.number, n.revision),
        Some(n) => format!("offerta-{}-{:04}.pdf", n.year, n.number),
        None => format!("offerta-bozza-{}.pdf", offer.id.0),
    };
    // Laying out and compressing a long offer is CPU work: off the request threads.
    let bytes = tokio::task::spawn_blocking(move || app::offers::pdf::draw(&offer, &letterhead)).await.map_err(|_| AppError::Internal)??;
    let mut response = Response::new(Body::from(bytes));
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}
