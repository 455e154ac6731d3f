//! `GET /commissions/statements/{id}/statement.pdf`: a settled commission statement as PDF, drawn
//! from the statement as it was settled (whoever may read the statement may download it).

use app::auth::ssr::SignedIn;
use app::error::AppError;
use app::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;

pub async fn pdf(State(state): State<AppState>, SignedIn(me): SignedIn, Path(id): Path<i64>) -> Result<Response, AppError> {
    let statement = app::commissions::ssr::settled_statement(&state.db, &me, id).await?;
    let letterhead = app::offers::ssr::letterhead(&state.db, me.lang).await?;
    let number = statement.settled.as_ref().map(|s| s.sequence).unwrap_or_default();
    let name = format!("provvigioni-{}-{number}.pdf", statement.seller.0);
    let lang = me.lang;
    crate::offers::pdf_file(name, move || app::commissions::pdf::draw(&statement, &letterhead, lang)).await
}
