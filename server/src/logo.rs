//! The letterhead's logo: `PUT /config/crm/company/logo` (the image as the body, managers),
//! `DELETE` the same to take it away, `GET /config/crm/company/logo.png` to show it (signed in).
//! What is accepted and kept is decided by `app::config::logo`.

use app::auth::ssr::SignedIn;
use app::error::AppError;
use app::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub const PATH: &str = "/config/crm/company/logo";

pub fn routes(state: AppState) -> axum::Router {
    use axum::routing::{get, put};
    axum::Router::new().route(PATH, put(upload).delete(remove)).route("/config/crm/company/logo.png", get(show)).with_state(state)
}

async fn upload(State(state): State<AppState>, SignedIn(me): SignedIn, body: Bytes) -> Result<StatusCode, AppError> {
    app::config::logo::set(&state.db, &me, Some(body.to_vec())).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn remove(State(state): State<AppState>, SignedIn(me): SignedIn) -> Result<StatusCode, AppError> {
    app::config::logo::set(&state.db, &me, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn show(State(state): State<AppState>, SignedIn(_): SignedIn) -> Result<Response, AppError> {
    let png = app::config::logo::get(&state.db).await?.ok_or(AppError::NotFound)?;
    let mut response = Body::from(png).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    Ok(response)
}
