//! The three report pages. Each loads the data set once; every filter or grouping change folds it
//! again here in the browser (`model::compute`) and redraws figures, table and SVG charts.

use super::*;
use crate::config::{CategoryId, ProductId};
use crate::i18n::{Lang, Msg};
use crate::money::Money;
use crate::shell::use_lang;
use std::sync::Arc;

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
                        Ok(data) => view! { <ReportView kind data=Arc::new(data) /> }.into_any(),
                        Err(e) => view! { <p class="notice error" role="alert">{e.message(lang)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn parse_id<T: From<i64>>(value: &str) -> Option<T> {
    value.parse::<i64>().ok().map(T::from)
}

#[component]
fn ReportView(kind: ReportKind, data: Arc<ReportData>) -> impl IntoView {
    let lang = use_lang();
    let filter = RwSignal::new(kind.default_filter(data.today));
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
    view! {
        <Filters data=data.clone() filter show_seller />
        <div class="report-body" data-compute-ms=move || format!("{:.2}", compute_ms.get())>
            <Figures report currency=currency.clone() />
            <p class="report-note">{Msg::RepCountingNote.text(lang)}</p>
            {move || {
                let r = report.get();
                if r.current.is_empty() && r.previous.is_empty() {
                    return view! { <p class="notice" id="report-empty">{Msg::RepNoData.text(lang)}</p> }.into_any();
                }
                ().into_any()
            }}
            {match kind {
                ReportKind::Forecast => view! { <ForecastChart report currency=currency.clone() /> }.into_any(),
                _ => view! { <RevenueChart report currency=currency.clone() /> }.into_any(),
            }}
            <GroupTable report filter currency=currency.clone() />
            <p class="download">
                <a class="button primary" id="report-download" href=download download=""
                    on:click=move |ev| start_download(ev, download(), progress, lang)>{Msg::RepDownload.text(lang)}</a>
                <span class="download-progress" id="download-progress" aria-live="polite">{move || progress.get()}</span>
            </p>
        </div>
    }
}

fn now_ms() -> f64 {
    #[cfg(feature = "hydrate")]
    {
        window().performance().map(|p| p.now()).unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0.0
    }
}

/// Downloads the workbook with progress shown beside the button (before hydration the plain link
/// downloads it all the same).
#[allow(unused_variables)]
fn start_download(ev: leptos::ev::MouseEvent, url: String, progress: RwSignal<String>, lang: Lang) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;
        let Ok(xhr) = web_sys::XmlHttpRequest::new() else { return };
        ev.prevent_default();
        progress.set(Msg::RepDownloading.text(lang).to_string());
        let _ = xhr.open("GET", &url);
        xhr.set_response_type(web_sys::XmlHttpRequestResponseType::Blob);
        let on_progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            let mb = |bytes: f64| format!("{:.1} MB", bytes / 1_000_000.0);
            let text = if e.length_computable() && e.total() > 0.0 {
                format!("{} {} / {} ({:.0}%)", Msg::RepDownloading.text(lang), mb(e.loaded()), mb(e.total()), e.loaded() / e.total() * 100.0)
            } else {
                format!("{} {}", Msg::RepDownloading.text(lang), mb(e.loaded()))
            };
            progress.set(text);
        });
        xhr.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        on_progress.forget();
        let request = xhr.clone();
        let on_load = Closure::<dyn FnMut()>::new(move || {
            let status = request.status().unwrap_or(0);
            if status != 200 {
                let err = match status {
                    401 => crate::error::AppError::Unauthenticated,
                    403 => crate::error::AppError::Forbidden,
                    429 => crate::error::AppError::Busy,
                    _ => crate::error::AppError::Internal,
                };
                progress.set(err.message(lang));
                return;
            }
            let name = request
                .get_response_header("content-disposition")
                .ok()
                .flatten()
                .and_then(|h| h.split("filename=\"").nth(1).map(|n| n.trim_end_matches('"').to_string()))
                .unwrap_or_else(|| "vendite.xlsx".to_string());
            let Some(blob) = request.response().ok().and_then(|r| r.dyn_into::<web_sys::Blob>().ok()) else { return };
            let Ok(href) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
            let document = document();
            if let Some(a) = document.create_element("a").ok().and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok()) {
                a.set_href(&href);
                a.set_download(&name);
                a.click();
            }
            // Revoked later: revoking at once can cancel the download the click just started.
            set_timeout(
                move || {
                    let _ = web_sys::Url::revoke_object_url(&href);
                },
                std::time::Duration::from_secs(60),
            );
            let size = blob.size() / 1_000_000.0;
            progress.set(format!("{} ({size:.1} MB)", Msg::RepDownloaded.text(lang)));
        });
        xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
        on_load.forget();
        let _ = xhr.send();
    }
}

#[component]
fn Filters(data: Arc<ReportData>, filter: RwSignal<Filter>, show_seller: bool) -> impl IntoView {
    let lang = use_lang();
    let all = Msg::RepAll.text(lang);
    let today = data.today;
    let set_period = move |code: String| {
        filter.update(|f| {
            f.period = match code.as_str() {
                "month" => Period::ThisMonth,
                "quarter" => Period::ThisQuarter,
                "year" => Period::ThisYear,
                "range" => {
                    let (from, to) = f.period.months(today);
                    Period::Range { from, to }
                }
                _ => Period::Last12Months,
            }
        })
    };
    let set_from = move |text: String| {
        if let (Some(m), Period::Range { to, .. }) = (Month::parse(&text), filter.get_untracked().period) {
            filter.update(|f| f.period = Period::Range { from: m, to });
        }
    };
    let set_to = move |text: String| {
        if let (Some(m), Period::Range { from, .. }) = (Month::parse(&text), filter.get_untracked().period) {
            filter.update(|f| f.period = Period::Range { from, to: m });
        }
    };
    // The category tree, indented by depth, each node after its parent.
    let mut tree: Vec<(CategoryId, String)> = Vec::new();
    fn walk(cats: &[CategoryDim], parent: Option<CategoryId>, depth: usize, out: &mut Vec<(CategoryId, String)>) {
        for c in cats.iter().filter(|c| c.parent == parent) {
            out.push((c.id, format!("{}{}", "\u{a0}\u{a0}".repeat(depth), c.name)));
            walk(cats, Some(c.id), depth + 1, out);
        }
    }
    walk(&data.categories, None, 0, &mut tree);
    let products: Vec<(ProductId, String, Option<CategoryId>)> =
        data.products.iter().map(|p| (p.id, format!("{} · {}", p.code, p.name), p.category)).collect();
    let categories = data.categories.clone();
    // Only the products of the chosen category (and below) are offered.
    let product_options = move || {
        let subtree = filter.get().category.map(|c| category_subtree(&categories, c));
        products
            .iter()
            .filter(|(_, _, cat)| subtree.as_ref().is_none_or(|t| cat.is_some_and(|c| t.contains(&c))))
            .map(
                |(id, label, _)| view! { <option value=id.to_string() selected=filter.get_untracked().product == Some(*id)>{label.clone()}</option> },
            )
            .collect_view()
    };
    let is_range = move || matches!(filter.get().period, Period::Range { .. });
    let period_code = move || filter.get().period.code();
    let months = move || filter.get().period.months(today);
    view! {
        <form class="report-filters" on:submit=|ev| ev.prevent_default()>
            <label>{Msg::RepPeriod.text(lang)}
                <select id="filter-period" on:change=move |ev| set_period(event_target_value(&ev)) prop:value=period_code>
                    <option value="month">{Msg::RepPeriodThisMonth.text(lang)}</option>
                    <option value="quarter">{Msg::RepPeriodThisQuarter.text(lang)}</option>
                    <option value="year">{Msg::RepPeriodThisYear.text(lang)}</option>
                    <option value="last12" selected=move || filter.get_untracked().period == Period::Last12Months>{Msg::RepPeriodLast12.text(lang)}</option>
                    <option value="range" selected=move || matches!(filter.get_untracked().period, Period::Range { .. })>{Msg::RepPeriodRange.text(lang)}</option>
                </select>
            </label>
            <Show when=is_range>
                <label>{Msg::RepFrom.text(lang)}
                    <input type="month" id="filter-from" prop:value=move || months().0.code() on:change=move |ev| set_from(event_target_value(&ev)) />
                </label>
                <label>{Msg::RepTo.text(lang)}
                    <input type="month" id="filter-to" prop:value=move || months().1.code() on:change=move |ev| set_to(event_target_value(&ev)) />
                </label>
            </Show>
            {show_seller.then(|| view! {
                <label>{Msg::RepSeller.text(lang)}
                    <select id="filter-seller" on:change=move |ev| filter.update(|f| f.seller = parse_id(&event_target_value(&ev)))>
                        <option value="">{all}</option>
                        {data.sellers.iter().map(|s| view! { <option value=s.id.to_string()>{s.name.clone()}</option> }).collect_view()}
                    </select>
                </label>
            })}
            <label>{Msg::RepCategory.text(lang)}
                <select id="filter-category" on:change=move |ev| filter.update(|f| { f.category = parse_id(&event_target_value(&ev)); f.product = None; })>
                    <option value="">{all}</option>
                    {tree.into_iter().map(|(id, label)| view! { <option value=id.to_string()>{label}</option> }).collect_view()}
                </select>
            </label>
            <label>{Msg::RepProduct.text(lang)}
                <select id="filter-product" on:change=move |ev| filter.update(|f| f.product = parse_id(&event_target_value(&ev)))>
                    <option value="" selected=move || filter.get().product.is_none()>{all}</option>
                    {product_options}
                </select>
            </label>
            <label>{Msg::RepStage.text(lang)}
                <select id="filter-stage" on:change=move |ev| filter.update(|f| f.stage = Stage::from_code(&event_target_value(&ev)))>
                    <option value="">{all}</option>
                    {Stage::ALL.into_iter().map(|s| view! { <option value=s.code()>{s.label().text(lang)}</option> }).collect_view()}
                </select>
            </label>
            <label>{Msg::RepTag.text(lang)}
                <select id="filter-tag" on:change=move |ev| filter.update(|f| f.tag = parse_id(&event_target_value(&ev)))>
                    <option value="">{all}</option>
                    {data.tags.iter().map(|t| view! { <option value=t.id.to_string()>{t.name.clone()}</option> }).collect_view()}
                </select>
            </label>
            <label>{Msg::RepGrouping.text(lang)}
                <select id="filter-grouping" on:change=move |ev| filter.update(|f| f.grouping = Grouping::from_code(&event_target_value(&ev)).unwrap_or(Grouping::Month))>
                    {Grouping::ALL.into_iter().map(|g| view! { <option value=g.code() selected=filter.get_untracked().grouping == g>{g.label().text(lang)}</option> }).collect_view()}
                </select>
            </label>
        </form>
    }
}

/// The headline figures, each beside the same period one year earlier.
#[component]
fn Figures(report: Memo<Report>, currency: String) -> impl IntoView {
    let lang = use_lang();
    let card = move |id: &'static str, label: Msg, value: Box<dyn Fn(&Figures) -> String + Send + Sync>| {
        let value = Arc::new(value);
        let (now, before) = (value.clone(), value);
        view! {
            <div class="figure" id=id>
                <span class="figure-label">{label.text(lang)}</span>
                <strong class="figure-value">{move || now(&report.get().current)}</strong>
                <span class="figure-previous">{Msg::RepYearEarlier.text(lang)}": "{move || before(&report.get().previous)}</span>
            </div>
        }
    };
    let (c1, c2, c3, c4) = (currency.clone(), currency.clone(), currency.clone(), currency);
    let dash = || "—".to_string();
    view! {
        <div class="figures">
            {card("fig-won", Msg::RepWon, Box::new(move |f| f.won.text(lang, &c1)))}
            {card("fig-won-count", Msg::RepWonCount, Box::new(|f| f.won_count.to_string()))}
            {card("fig-pipeline", Msg::RepPipeline, Box::new(move |f| f.pipeline.text(lang, &c2)))}
            {card("fig-weighted", Msg::RepWeighted, Box::new(move |f| f.weighted_forecast().text(lang, &c3)))}
            {card("fig-win-rate", Msg::RepWinRate, Box::new(move |f| f.win_rate().map(|p| p.text(lang)).unwrap_or_else(dash)))}
            {card("fig-average", Msg::RepAverageWon, Box::new(move |f| f.average_won().map(|m| m.text(lang, &c4)).unwrap_or_else(dash)))}
        </div>
    }
}

#[component]
fn GroupTable(report: Memo<Report>, filter: RwSignal<Filter>, currency: String) -> impl IntoView {
    let lang = use_lang();
    let cur = Arc::new(currency);
    let row_view = move |label: String, f: Figures, p: Figures, cur: Arc<String>, class: &'static str| {
        view! {
            <tr class=class>
                <th scope="row">{label}</th>
                <td class="num">{f.won_count}</td>
                <td class="num">{f.won.text(lang, &cur)}</td>
                <td class="num">{f.pipeline.text(lang, &cur)}</td>
                <td class="num">{f.weighted_forecast().text(lang, &cur)}</td>
                <td class="num">{f.win_rate().map(|p| p.text(lang)).unwrap_or_else(|| "—".into())}</td>
                <td class="num">{f.average_won().map(|m| m.text(lang, &cur)).unwrap_or_else(|| "—".into())}</td>
                <td class="num previous">{p.won.text(lang, &cur)}</td>
            </tr>
        }
    };
    view! {
        <div class="table-scroll">
        <table class="data report-table" id="report-table">
            <thead>
                <tr>
                    <th>{move || filter.get().grouping.label().text(lang)}</th>
                    <th class="num">{Msg::XlsWonCount.text(lang)}</th>
                    <th class="num">{Msg::RepWon.text(lang)}</th>
                    <th class="num">{Msg::RepPipeline.text(lang)}</th>
                    <th class="num">{Msg::RepWeighted.text(lang)}</th>
                    <th class="num">{Msg::RepWinRate.text(lang)}</th>
                    <th class="num">{Msg::RepAverageWon.text(lang)}</th>
                    <th class="num">{Msg::RepWonYearEarlier.text(lang)}</th>
                </tr>
            </thead>
            <tbody>
                {move || {
                    let r = report.get();
                    let cur = cur.clone();
                    let mut rows: Vec<_> = r.rows.iter().map(|g| row_view(g.label.clone(), g.figures, g.previous, cur.clone(), "")).collect();
                    rows.push(row_view(Msg::RepTotal.text(lang).to_string(), r.current, r.previous, cur, "total"));
                    rows.collect_view()
                }}
            </tbody>
        </table>
        </div>
    }
}

const PALETTE: [&str; 8] = ["#2f6fb3", "#e07b39", "#3a9d5d", "#c0504d", "#8064a2", "#4bacc6", "#9b8b3a", "#d45d9c"];
const W: f64 = 860.0;
const H: f64 = 300.0;
const LEFT: f64 = 90.0;
const BOTTOM: f64 = 40.0;
const TOP: f64 = 16.0;

/// A rounded axis maximum and its four gridlines (in currency units: SVG geometry only).
fn axis(max: Money) -> (f64, Vec<f64>) {
    let max = (max.0.max(100) as f64) / 100.0;
    let step = {
        let raw = max / 4.0;
        let mag = 10f64.powf(raw.log10().floor());
        [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(raw)
    };
    let top = step * 4.0;
    (top, (0..=4).map(|i| i as f64 * step).collect())
}

/// A chart axis tick ("1,5k", "2 Mln"): SVG geometry only, never a figure the user reads as money
/// (those are `Money`, exact).
fn axis_tick_label(value: f64, lang: Lang) -> String {
    let (v, suffix) = if value >= 1_000_000.0 {
        (value / 1_000_000.0, if lang == Lang::It { " Mln" } else { "M" })
    } else if value >= 1_000.0 {
        (value / 1_000.0, "k")
    } else {
        (value, "")
    };
    let text = format!("{:.1}", v).trim_end_matches('0').trim_end_matches('.').to_string();
    let text = if lang == Lang::It { text.replace('.', ",") } else { text };
    format!("{text}{suffix}")
}

fn grid(top: f64, ticks: &[f64], lang: Lang) -> impl IntoView + use<> {
    let plot = H - BOTTOM - TOP;
    ticks
        .iter()
        .map(|t| {
            let y = TOP + plot - t / top * plot;
            view! {
                <line x1=LEFT y1=y x2=W y2=y class="grid" />
                <text x=LEFT - 6.0 y=y + 4.0 text-anchor="end" class="tick">{axis_tick_label(*t, lang)}</text>
            }
        })
        .collect_view()
}

fn x_labels(labels: &[String]) -> impl IntoView + use<> {
    let n = labels.len().max(1);
    let slot = (W - LEFT) / n as f64;
    let every = (n / 12).max(1);
    labels
        .iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0)
        .map(|(i, l)| view! { <text x=LEFT + slot * (i as f64 + 0.5) y=H - BOTTOM + 16.0 text-anchor="middle" class="tick">{l.clone()}</text> })
        .collect_view()
}

/// Won revenue by period, one stacked colour per seller.
#[component]
fn RevenueChart(report: Memo<Report>, currency: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <figure class="chart" id="chart-revenue">
            <figcaption>{Msg::RepChartRevenue.text(lang)}</figcaption>
            {move || {
                let r = report.get();
                let n = r.buckets.len().max(1);
                let totals: Vec<Money> =
                    (0..n).map(|i| r.series.iter().map(|s| s.values.get(i).copied().unwrap_or(Money::ZERO).max(Money::ZERO)).sum()).collect();
                let (top, ticks) = axis(totals.iter().copied().max().unwrap_or(Money::ZERO));
                let plot = H - BOTTOM - TOP;
                let slot = (W - LEFT) / n as f64;
                let mut bars = Vec::new();
                let mut base = vec![0.0f64; n];
                for (k, s) in r.series.iter().enumerate() {
                    for (i, v) in s.values.iter().enumerate() {
                        if *v <= Money::ZERO {
                            continue;
                        }
                        let h = (v.0 as f64 / 100.0) / top * plot;
                        let y = TOP + plot - base[i] - h;
                        base[i] += h;
                        let title = format!("{} · {}: {}", s.name, r.buckets[i], v.text(lang, &currency));
                        bars.push(view! {
                            <rect x=LEFT + slot * i as f64 + slot * 0.15 y=y width=slot * 0.7 height=h fill=PALETTE[k % PALETTE.len()] data-seller=s.seller.0>
                                <title>{title}</title>
                            </rect>
                        });
                    }
                }
                let bar_count = bars.len();
                let legend = r.series.iter().enumerate().map(|(k, s)| view! {
                    <span class="legend-item"><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" rx="2" fill=PALETTE[k % PALETTE.len()] /></svg>{s.name.clone()}</span>
                }).collect_view();
                view! {
                    <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=Msg::RepChartRevenue.text(lang) data-series=r.series.len() data-bars=bar_count>
                        {grid(top, &ticks, lang)}
                        {bars}
                        {x_labels(&r.buckets)}
                    </svg>
                    <div class="legend">{legend}</div>
                }
            }}
        </figure>
    }
}

/// Weighted forecast against won revenue, month by month.
#[component]
fn ForecastChart(report: Memo<Report>, currency: String) -> impl IntoView {
    let lang = use_lang();
    let cur = currency;
    view! {
        <figure class="chart" id="chart-forecast">
            <figcaption>{Msg::RepChartForecast.text(lang)}</figcaption>
            {move || {
                let r = report.get();
                let n = r.forecast.len().max(1);
                let max = r.forecast.iter().map(|(_, f, a)| (*f).max(*a)).max().unwrap_or(Money::ZERO);
                let (top, ticks) = axis(max);
                let plot = H - BOTTOM - TOP;
                let slot = (W - LEFT) / n as f64;
                let labels: Vec<String> = r.forecast.iter().map(|(m, _, _)| m.label(lang)).collect();
                let bars = r.forecast.iter().enumerate().map(|(i, (m, forecast, actual))| {
                    let hf = (forecast.0.max(0) as f64 / 100.0) / top * plot;
                    let ha = (actual.0.max(0) as f64 / 100.0) / top * plot;
                    let x = LEFT + slot * i as f64 + slot * 0.1;
                    let tf = format!("{} · {}: {}", m.label(lang), Msg::RepWeighted.text(lang), forecast.text(lang, &cur));
                    let ta = format!("{} · {}: {}", m.label(lang), Msg::RepActual.text(lang), actual.text(lang, &cur));
                    view! {
                        <rect x=x y=TOP + plot - hf width=slot * 0.4 height=hf class="bar-forecast"><title>{tf}</title></rect>
                        <rect x=x + slot * 0.4 y=TOP + plot - ha width=slot * 0.4 height=ha class="bar-actual"><title>{ta}</title></rect>
                    }
                }).collect_view();
                view! {
                    <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=Msg::RepChartForecast.text(lang) data-months=r.forecast.len()>
                        {grid(top, &ticks, lang)}
                        {bars}
                        {x_labels(&labels)}
                    </svg>
                    <div class="legend">
                        <span class="legend-item"><i class="bar-forecast"></i>{Msg::RepWeighted.text(lang)}</span>
                        <span class="legend-item"><i class="bar-actual"></i>{Msg::RepActual.text(lang)}</span>
                    </div>
                }
            }}
        </figure>
    }
}
