//! Reports: *My sales* (everyone: his seller and his teams), *Sellers* and *Forecast* (managers).
//! The server sends a pre-aggregated data set of what the user may see; every filter change folds
//! it again in the page (see `model`), and the Excel download repeats the fold on the server.

pub mod forecast;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use crate::figures::*;

#[cfg(feature = "ssr")]
use crate::auth::ssr::require_user;
use crate::codec::TextJson;
use crate::error::AppResult;
use leptos::prelude::*;

#[server(endpoint = "report_data", output = TextJson)]
pub async fn get_report_data(scope: Scope) -> AppResult<ReportData> {
    let (state, me) = require_user().await?;
    ssr::report_data(&state.db, &me, scope).await
}

/// The frozen forecasts and the slippage the Forecast page sets against the won revenue
/// (managers: every seller).
#[server(endpoint = "forecast_history", output = TextJson)]
pub async fn get_forecast_history() -> AppResult<forecast::ForecastHistory> {
    let (state, me) = require_user().await?;
    ssr::snapshots::history(&state.db, &me).await
}

pub mod pages;
pub use pages::{ForecastPage, MySalesPage, SellersReportPage};
