//! The Forecast page's accuracy: month by month, the won revenue against the forecast frozen at
//! the start of the month and three months before; per seller, the mean accuracy and the deals
//! whose expected close slipped. Folded here with the page's filters, like the rest of the report.

use super::super::forecast::{ForecastHistory, accuracy};
use super::super::*;
use crate::i18n::Msg;
use crate::money::Money;
use crate::ui::{Erase, refused, use_lang};
use std::sync::Arc;

fn bp_text(bp: Option<i64>, lang: crate::i18n::Lang) -> String {
    bp.map(|v| crate::money::Percent(v.clamp(i32::MIN as i64, i32::MAX as i64) as i32).text(lang)).unwrap_or_else(|| "—".into())
}

#[component]
pub fn AccuracyPanel(data: Arc<ReportData>, filter: RwSignal<Filter>) -> impl IntoView {
    let lang = use_lang();
    let history = Resource::new(|| (), |_| get_forecast_history());
    view! {
        <section class="accuracy" id="forecast-accuracy">
            <h2>{Msg::AccTitle.text(lang)}</h2>
            <p class="hint">{Msg::AccNote.text(lang)}</p>
            <Suspense fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || {
                    let data = data.clone();
                    Suspend::new(async move {
                        history.await.map(|h| view! { <AccuracyTables data history=Arc::new(h) filter /> }).map_or_else(|e| refused(&e, lang), Erase::erase)
                    })
                }}
            </Suspense>
        </section>
    }
}

#[component]
fn AccuracyTables(data: Arc<ReportData>, history: Arc<ForecastHistory>, filter: RwSignal<Filter>) -> impl IntoView {
    let lang = use_lang();
    let currency = data.currency.clone();
    let result = Memo::new(move |_| accuracy(&data, &history, &filter.get()));
    let money = move |m: Option<Money>, currency: &str| m.map(|m| m.text(lang, currency)).unwrap_or_else(|| "—".into());
    view! {
        {move || {
            let acc = result.get();
            let currency = currency.clone();
            if acc.rows.is_empty() {
                return view! { <p class="notice" id="accuracy-empty">{Msg::AccNoPast.text(lang)}</p> }.erase();
            }
            view! {
                <div class="table-scroll">
                    <table class="data" id="accuracy-months">
                        <thead><tr>
                            <th>{Msg::RepGroupMonth.text(lang)}</th>
                            <th class="num">{Msg::RepWon.text(lang)}</th>
                            <th class="num">{Msg::AccAtStart.text(lang)}</th>
                            <th class="num">{Msg::AccThreeBefore.text(lang)}</th>
                            <th class="num">{Msg::AccAccuracy.text(lang)}</th>
                        </tr></thead>
                        <tbody>
                            {acc.rows.iter().rev().map(|r| view! {
                                <tr data-month=r.month.code()>
                                    <th scope="row">{r.month.label(lang)}{r.late.then(|| view! { " " <span class="badge" title=Msg::AccLateHint.text(lang)>{Msg::AccLate.text(lang)}</span> })}</th>
                                    <td class="num">{r.won.text(lang, &currency)}</td>
                                    <td class="num frozen">{money(r.at_start, &currency)}</td>
                                    <td class="num">{money(r.three_before, &currency)}</td>
                                    <td class="num">{bp_text(r.accuracy, lang)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <h3>{Msg::AccPerSeller.text(lang)}</h3>
                <div class="table-scroll">
                    <table class="data" id="accuracy-sellers">
                        <thead><tr>
                            <th>{Msg::RepSeller.text(lang)}</th>
                            <th class="num">{Msg::AccMean.text(lang)}</th>
                            <th class="num">{Msg::AccMonths.text(lang)}</th>
                            <th class="num">{Msg::AccSlipped.text(lang)}</th>
                            <th class="num">{Msg::AccSlippedNet.text(lang)}</th>
                        </tr></thead>
                        <tbody>
                            {acc.sellers.iter().map(|s| view! {
                                <tr data-seller=s.name.clone()>
                                    <th scope="row">{s.name.clone()}</th>
                                    <td class="num">{bp_text(s.mean, lang)}</td>
                                    <td class="num">{s.months}</td>
                                    <td class="num">{s.slipped}</td>
                                    <td class="num">{s.slipped_net.text(lang, &currency)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.erase()
        }}
    }
}
