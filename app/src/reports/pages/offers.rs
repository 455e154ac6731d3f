//! The offers' table of the report pages: per seller, what went out in the period and how it came
//! back, folded in the page from the data set's offer cells (`offer_results`) as the filter
//! changes.

use super::*;
use crate::ids::SellerId;
use crate::money::Percent;

/// The offers' results for the report's period and seller.
#[component]
pub fn OffersReport(data: Arc<ReportData>, #[prop(into)] key: Signal<(Month, Month, Option<SellerId>)>) -> impl IntoView {
    let lang = use_lang();
    let results = Memo::new(move |_| {
        let (from, to, seller) = key.get();
        super::super::offer_results(&data, from, to, seller)
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
            {move || {
                let r = results.get();
                if r.total.sent == 0 {
                    return view! { <p class="muted">{Msg::OffersNoneFound.text(lang)}</p> }.erase();
                }
                view! {
                    <div class="table-scroll">
                        <table class="data compact" id="offers-report-table">
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
                }.erase()
            }}
        </details>
    }
}
