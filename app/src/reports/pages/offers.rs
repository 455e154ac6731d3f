//! The offers' table of the report pages: per seller, what went out in the period and how it came
//! back (`offers::ssr::report`).

use super::*;
use crate::money::Percent;

/// The offers' results on a report page, for its period and seller: read from the server as the
/// filter changes (the report's other figures fold in the page; offers are counted there).
#[component]
pub fn OffersReport(scope: Scope, #[prop(into)] key: Signal<(i32, i32, Option<i64>)>) -> impl IntoView {
    let lang = use_lang();
    let report = LocalResource::new(move || {
        let (from, to, seller) = key.get();
        super::super::get_offer_report(scope, from, to, seller)
    });
    let percent = move |bp: Option<i64>| bp.map(|bp| Percent(bp as i32).text(lang)).unwrap_or_else(|| "–".into());
    let row = move |r: crate::offers::OfferResults, currency: &str, total: bool| {
        let money = |m: Money| m.text(lang, currency);
        let name = if total { Msg::RepTotal.text(lang).to_string() } else { r.seller.clone() };
        view! {
            <tr class:total=total>
                <td>{name}</td>
                <td class="num">{r.sent}</td>
                <td class="num">{money(r.sent_value)}</td>
                <td class="num">{r.accepted}</td>
                <td class="num">{money(r.accepted_value)}</td>
                <td class="num">{r.rejected}</td>
                <td class="num">{money(r.rejected_value)}</td>
                <td class="num">{percent(r.rate_count_bp)}</td>
                <td class="num">{percent(r.rate_value_bp)}</td>
                <td class="num">{r.median_days.map(|d| d.to_string()).unwrap_or_else(|| "–".into())}</td>
            </tr>
        }
    };
    view! {
        <details class="offers-report" id="offers-report" open>
            <summary>{Msg::OffersTitle.text(lang)}</summary>
            // Read in the browser only (a local resource): the server draws "loading", and so does
            // the page when it takes over, so both agree.
            {move || {
                    match report.get() {
                        None => view! { <p class="muted">{Msg::Loading.text(lang)}</p> }.erase(),
                        Some(Ok(r)) if r.total.sent == 0 => view! { <p class="muted">{Msg::OffersNoneFound.text(lang)}</p> }.erase(),
                        Some(Ok(r)) => view! {
                            <div class="table-scroll">
                                <table class="data compact">
                                    <thead><tr>
                                        <th>{Msg::FieldSeller.text(lang)}</th>
                                        <th class="num">{Msg::RepOffersSent.text(lang)}</th>
                                        <th class="num">{Msg::OfferTaxable.text(lang)}</th>
                                        <th class="num">{Msg::OfferAccepted.text(lang)}</th>
                                        <th class="num">{Msg::OfferTaxable.text(lang)}</th>
                                        <th class="num">{Msg::OfferRejected.text(lang)}</th>
                                        <th class="num">{Msg::OfferTaxable.text(lang)}</th>
                                        <th class="num">{Msg::RepOffersRateCount.text(lang)}</th>
                                        <th class="num">{Msg::RepOffersRateValue.text(lang)}</th>
                                        <th class="num">{Msg::RepOffersDays.text(lang)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {r.rows.into_iter().map(|x| row(x, &r.currency, false)).collect_view()}
                                        {row(r.total, &r.currency, true)}
                                    </tbody>
                                </table>
                            </div>
                        }.erase(),
                        Some(Err(e)) => refused(&e, lang),
                    }
            }}
        </details>
    }
}
