//! The headline figures and the table of groups, each beside the same period a year earlier.

use super::*;
use crate::money::{Percent, div_round};

/// The headline figures, each beside the same period one year earlier.
#[component]
pub(crate) fn Figures(report: Memo<Report>, currency: String) -> impl IntoView {
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
pub(crate) fn GroupTable(report: Memo<Report>, filter: RwSignal<Filter>, currency: String) -> impl IntoView {
    let lang = use_lang();
    let cur = Arc::new(currency);
    let by_reason = move || filter.with(|f| f.grouping == Grouping::LostReason);
    let row_view = move |label: String, f: Figures, p: Figures, all_lost: u64, cur: Arc<String>, class: &'static str| {
        if by_reason() {
            // The share of all lost sales in the period, in basis points.
            let share = (all_lost > 0).then(|| Percent(div_round(f.lost_count as i128 * 10_000, all_lost as i128) as i32));
            return view! {
                <tr class=class>
                    <th scope="row">{label}</th>
                    <td class="num">{f.lost_count}</td>
                    <td class="num">{f.lost.text(lang, &cur)}</td>
                    <td class="num">{share.map(|p| p.text(lang)).unwrap_or_else(|| "—".into())}</td>
                    <td class="num previous">{p.lost_count}</td>
                </tr>
            }
            .erase();
        }
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
        .erase()
    };
    let headings = move || {
        let columns: &[Msg] = if by_reason() {
            &[Msg::RepLostCount, Msg::RepLostValue, Msg::RepLostShare, Msg::RepLostYearEarlier]
        } else {
            &[Msg::XlsWonCount, Msg::RepWon, Msg::RepPipeline, Msg::RepWeighted, Msg::RepWinRate, Msg::RepAverageWon, Msg::RepWonYearEarlier]
        };
        columns.iter().map(|m| view! { <th class="num">{m.text(lang)}</th> }).collect_view()
    };
    view! {
        <div class="table-scroll">
        <table class="data report-table" id="report-table">
            <thead>
                <tr>
                    <th>{move || filter.get().grouping.label().text(lang)}</th>
                    {headings}
                </tr>
            </thead>
            <tbody>
                {move || {
                    let r = report.get();
                    let cur = cur.clone();
                    let all_lost = r.current.lost_count;
                    let mut rows: Vec<_> = r.rows.iter().map(|g| row_view(g.label.clone(), g.figures, g.previous, all_lost, cur.clone(), "")).collect();
                    rows.push(row_view(Msg::RepTotal.text(lang).to_string(), r.current, r.previous, all_lost, cur, "total"));
                    rows.collect_view()
                }}
            </tbody>
        </table>
        </div>
    }
}
