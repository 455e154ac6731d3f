//! The two SVG charts: won revenue per seller, and the weighted forecast against won revenue.

use super::*;

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
pub(crate) fn RevenueChart(report: Memo<Report>, currency: String) -> impl IntoView {
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
pub(crate) fn ForecastChart(report: Memo<Report>, currency: String) -> impl IntoView {
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
