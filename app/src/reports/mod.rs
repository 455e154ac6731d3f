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

/// The offers' results of the months `from` to `to` (and `seller`) in `data`: the report pages'
/// offers table and the workbook's *Offerte* sheet, folded the same way.
pub fn offer_results(data: &ReportData, from: Month, to: Month, seller: Option<crate::ids::SellerId>) -> crate::offers::OfferReport {
    let name = |id| data.sellers.iter().find(|s| s.id == id).map(|s| s.name.clone()).unwrap_or_default();
    crate::offers::results(&data.offers, name, from, to, seller, &data.currency)
}

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
