//! The three report pages. Each loads the data set once; every filter or grouping change folds it
//! again here in the browser (`model::compute`) and redraws figures, table and SVG charts.

mod accuracy;
mod chart;
mod download;
mod filters;
mod offers;
mod table;

use super::*;
use crate::i18n::{Lang, Msg};
use crate::money::Money;
use crate::ui::{Erase, refused, use_lang};
use chart::*;
use download::*;
use filters::*;
use std::sync::Arc;
use table::*;

/// The query keys `Filter::to_query` writes.
const URL_KEYS: [&str; 10] = ["period", "from", "to", "seller", "category", "product", "tag", "reason", "stage", "group"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportKind {
    Mine,
    Sellers,
    Forecast,
}

impl ReportKind {
    fn scope(self) -> Scope {
        if self == ReportKind::Mine { Scope::Mine } else { Scope::All }
    }
    fn title(self) -> Msg {
        match self {
            ReportKind::Mine => Msg::RepMine,
            ReportKind::Sellers => Msg::RepSellers,
            ReportKind::Forecast => Msg::RepForecast,
        }
    }
    fn intro(self) -> Msg {
        match self {
            ReportKind::Mine => Msg::RepMineIntro,
            ReportKind::Sellers => Msg::RepSellersIntro,
            ReportKind::Forecast => Msg::RepForecastIntro,
        }
    }
    /// The forecast looks ahead: six months back, six ahead (open sales count in their expected
    /// close month, so a period ending today shows little pipeline).
    fn default_filter(self, today: chrono::NaiveDate) -> Filter {
        let now = Month::of(today);
        match self {
            ReportKind::Mine => Filter::default(),
            ReportKind::Sellers => Filter { grouping: Grouping::Seller, ..Filter::default() },
            ReportKind::Forecast => Filter { period: Period::Range { from: now.plus(-5), to: now.plus(6) }, ..Filter::default() },
        }
    }
}

#[component]
pub fn MySalesPage() -> impl IntoView {
    view! { <ReportPage kind=ReportKind::Mine /> }
}

#[component]
pub fn SellersReportPage() -> impl IntoView {
    view! { <ReportPage kind=ReportKind::Sellers /> }
}

#[component]
pub fn ForecastPage() -> impl IntoView {
    view! { <ReportPage kind=ReportKind::Forecast /> }
}

#[component]
fn ReportPage(kind: ReportKind) -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(move || kind.scope(), get_report_data);
    view! {
        <section class="panel reports" data-report=format!("{kind:?}").to_lowercase()>
            <h1>{kind.title().text(lang)}</h1>
            <p class="intro">{kind.intro().text(lang)}</p>
            <Suspense fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(data) => view! { <ReportView kind data=Arc::new(data) /> }.erase(),
                        Err(e) => refused(&e, lang),
                    }
                })}
            </Suspense>
        </section>
    }
}
#[component]
fn ReportView(kind: ReportKind, data: Arc<ReportData>) -> impl IntoView {
    let lang = use_lang();
    // The filters live in the URL: a reload or a shared link opens the same report.
    let query = leptos_router::hooks::use_query_map();
    let from_url = query.with_untracked(|q| {
        let pairs: Vec<(&str, String)> = URL_KEYS.iter().filter_map(|k| q.get(k).map(|v| (*k, v))).collect();
        (!pairs.is_empty()).then(|| Filter::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())))).flatten()
    });
    let filter = RwSignal::new(from_url.unwrap_or_else(|| kind.default_filter(data.today)));
    // Written with the history API, not the router: the page stays as it is, nothing reloads.
    let path = leptos_router::hooks::use_location().pathname.get_untracked();
    Effect::watch(
        move || filter.get(),
        move |f, _, _| {
            let url = format!("{path}?{}", f.to_query());
            #[cfg(feature = "hydrate")]
            if let Ok(history) = window().history() {
                let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = url;
        },
        false,
    );
    let compute_ms = RwSignal::new(0.0f64);
    let report = {
        let data = data.clone();
        Memo::new(move |_| {
            let started = now_ms();
            let report = compute(&data, &filter.get(), lang);
            compute_ms.set(now_ms() - started);
            report
        })
    };
    let currency = data.currency.clone();
    let download = move || format!("/reports/export.xlsx?scope={}&{}", kind.scope().code(), filter.get().to_query());
    let progress = RwSignal::new(String::new());
    let show_seller = kind != ReportKind::Mine || data.sellers.len() > 1;
    let attainment = (kind != ReportKind::Forecast).then(|| {
        let rows = crate::targets::attainment(&data.sellers, &data.targets, &crate::targets::month_figures(&data.cells), data.today);
        view! {
            <details class="attainment-panel" open>
                <summary>{Msg::AttTitle.text(lang)}</summary>
                <crate::targets::pages::AttainmentTable rows currency=data.currency.clone() />
            </details>
        }
    });
    view! {
        {attainment}
        <Filters data=data.clone() filter show_seller />
        <div class="report-body" data-compute-ms=move || format!("{:.2}", compute_ms.get())>
            <Figures report currency=currency.clone() />
            <p class="report-note">{Msg::RepCountingNote.text(lang)}</p>
            {move || {
                let r = report.get();
                if r.current.is_empty() && r.previous.is_empty() {
                    return view! { <p class="notice" id="report-empty">{Msg::RepNoData.text(lang)}</p> }.erase();
                }
                ().erase()
            }}
            {match kind {
                ReportKind::Forecast => view! { <ForecastChart report currency=currency.clone() /> }.erase(),
                _ => view! { <RevenueChart report currency=currency.clone() /> }.erase(),
            }}
            <GroupTable report filter currency=currency.clone() />
            {(kind != ReportKind::Forecast).then(|| {
                let key = Signal::derive(move || {
                    let r = report.get();
                    (r.from, r.to, filter.get().seller)
                });
                view! { <offers::OffersReport data=data.clone() key /> }
            })}
            {(kind == ReportKind::Forecast).then(|| view! { <accuracy::AccuracyPanel data=data.clone() filter /> })}
            <p class="download">
                <a class="button primary" id="report-download" href=download download=""
                    on:click=move |ev| start_download(ev, download(), progress, lang)>{Msg::RepDownload.text(lang)}</a>
                <span class="download-progress" id="download-progress" aria-live="polite">{move || progress.get()}</span>
            </p>
        </div>
    }
}
