//! Offers (*preventivi*): the document a customer signs, on a contact's *Vendita* tab.
//!
//! An offer is written as a draft (no number), sent (numbered `2026/0007` in its year's
//! sequence, frozen as the customer received it), then accepted or rejected; a sent offer past its
//! validity reads as expired. Its product lines *are* sales: sending writes one sale per product
//! line in stage *offerta*, so the pipeline, the board, the reports, the targets and the forecast
//! count them with no second model; accepting closes them won, rejecting lost with a reason.
//! Totals are computed on the server, one way ([`totals`]).

pub mod pages;
pub mod totals;

#[cfg(feature = "ssr")]
pub mod link;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod pdf;
#[cfg(feature = "ssr")]
pub mod ssr;

#[cfg(feature = "ssr")]
use crate::auth::ssr::require_user;
use crate::codec::TextJson;
pub use crate::codes::{LineKind, OfferNumber, OfferState};
use crate::error::AppResult;
use crate::i18n::Lang;
pub use crate::ids::OfferId;
use crate::ids::{ContactId, ProductId, SaleId, SellerId};
use crate::money::{Money, Percent, Quantity};
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
pub use totals::{Discount, OfferTotals, VatRow};

/// At most this many lines on an offer (sections and notes included).
pub const MAX_LINES: usize = 300;

/// One line as typed: the single form type of an offer's line. A field left out is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OfferLineForm {
    /// `product` | `text` | `section` | `note`
    pub kind: String,
    /// A product line's product id.
    pub product: String,
    /// The product's name when empty (product line); the text (other kinds).
    pub description: String,
    pub quantity: String,
    /// The product's unit when empty.
    pub unit: String,
    /// The product's list price when empty.
    pub unit_price: String,
    /// "10", "10+5": see [`Discount::parse`].
    pub discount: String,
    /// The product's VAT rate when empty.
    pub vat_rate: String,
}

/// An offer as typed: the single form type of an offer, sent by the page and checked on the
/// server (`ssr::check`). A field left out is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OfferForm {
    pub seller: String,
    /// `it` | `en`; empty: the user's language.
    pub language: String,
    /// Empty: today.
    pub offer_date: String,
    /// Empty: the company profile's validity (30 days unless changed) after the offer's date.
    pub valid_until: String,
    pub payment_terms: String,
    pub delivery_terms: String,
    pub intro: String,
    pub closing: String,
    /// Whether the customer may accept online (a link is made when the offer is sent).
    pub online_acceptance: bool,
    pub lines: Vec<OfferLineForm>,
}

/// A line as saved, with its net computed on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferLine {
    pub kind: LineKind,
    pub product: Option<ProductId>,
    /// The product's code, as the line was saved ("" for other kinds).
    pub code: String,
    pub description: String,
    pub quantity: Quantity,
    pub unit: String,
    pub unit_price: Money,
    pub discount: Discount,
    pub vat_rate: Percent,
    pub net: Money,
    /// The sale the line became when the offer was sent.
    pub sale: Option<SaleId>,
}

/// The customer as the offer addresses him.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub id: ContactId,
    pub name: String,
    /// Street, postcode and city, province, country: the lines of the address block.
    pub address: Vec<String>,
    pub vat_number: String,
    pub tax_code: String,
    pub email: String,
}

/// An offer as read, with its state as of today and its totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub id: OfferId,
    pub customer: Customer,
    pub seller: SellerId,
    pub seller_name: String,
    pub state: OfferState,
    pub number: Option<OfferNumber>,
    pub language: Lang,
    pub offer_date: NaiveDate,
    pub valid_until: NaiveDate,
    pub payment_terms: String,
    pub delivery_terms: String,
    pub intro: String,
    pub closing: String,
    pub lines: Vec<OfferLine>,
    pub totals: OfferTotals,
    /// The currency the amounts are in (an ISO code).
    pub currency: String,
    pub sent_at: Option<DateTime<Utc>>,
    pub decided_on: Option<NaiveDate>,
    pub lost_reason: Option<String>,
    /// Whether the customer may accept online.
    #[serde(default)]
    pub online_acceptance: bool,
    /// The live acceptance link's token (`/o/{token}`), while the offer waits for its answer.
    #[serde(default)]
    pub accept_token: Option<String>,
    /// Who accepted it online, when and from where.
    #[serde(default)]
    pub signed: Option<Signature>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

impl Offer {
    /// The PDF's file name: `offerta-2026-0007.pdf`, `offerta-2026-0007-rev2.pdf`, a draft's by id.
    pub fn file_name(&self) -> String {
        match self.number {
            Some(n) if n.revision > 1 => format!("offerta-{}-{:04}-rev{}.pdf", n.year, n.number, n.revision),
            Some(n) => format!("offerta-{}-{:04}.pdf", n.year, n.number),
            None => format!("offerta-bozza-{}.pdf", self.id.0),
        }
    }
}

/// The e-mail an offer is sent with, as typed: the single form type of it. `[numero]` (or
/// `[number]`) in the subject and text becomes the offer's number.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OfferMail {
    /// Addresses separated by commas.
    pub to: String,
    pub subject: String,
    pub text: String,
}

/// An online acceptance: the name the customer typed, when, and the address it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    pub name: String,
    pub at: DateTime<Utc>,
    pub address: String,
}

/// The filters of the offers list, as its URL carries them (`/offers?state=sent&seller=3&q=rossi`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct OffersFilter {
    /// A state's code (`draft`, `sent`, `expired`, `accepted`, `rejected`), or empty for all.
    pub state: String,
    /// A seller's id, or empty for every seller the user may see.
    pub seller: String,
    /// Text in the customer's name.
    pub q: String,
    /// One contact's id (its Vendita tab), or empty for every contact.
    pub contact: String,
}

impl OffersFilter {
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> OffersFilter {
        let get = |k: &str| get(k).unwrap_or_default();
        OffersFilter { state: get("state"), seller: get("seller"), q: get("q"), contact: get("contact") }
    }
}

/// One offer in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferRow {
    pub id: OfferId,
    pub number: Option<OfferNumber>,
    pub contact: ContactId,
    pub customer: String,
    pub seller: String,
    pub state: OfferState,
    pub offer_date: NaiveDate,
    pub valid_until: NaiveDate,
    pub taxable: Money,
    /// The day it was accepted or rejected.
    pub decided_on: Option<NaiveDate>,
    /// The name typed by the customer who accepted it online.
    pub signed_by: Option<String>,
}

/// Offers listed per page.
pub const OFFERS_PAGE: u64 = 50;

/// A page of the offers list, with the count and taxable of the whole filtered set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OffersPage {
    pub rows: Vec<OfferRow>,
    pub count: u64,
    pub taxable: Money,
    /// Where the next page starts (`date:id`), if there is one.
    pub next: Option<String>,
    pub currency: String,
}

/// What the customer received for one revision, exactly as it was sent (names and prices of the
/// day): kept for good, whatever changes later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentRevision {
    pub revision: i32,
    pub sent_at: DateTime<Utc>,
    pub sent_by: String,
    /// The addresses it was e-mailed to; none when marked sent by hand.
    pub sent_to: Option<String>,
    pub offer: Offer,
}

/// One seller's offers in a report's period (by the offer's date; sent at least once): how many
/// and how much went out, came back accepted or rejected, and how long answers took.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferResults {
    /// The seller's name; empty on the total row.
    pub seller: String,
    pub sent: u64,
    pub sent_value: Money,
    pub accepted: u64,
    pub accepted_value: Money,
    pub rejected: u64,
    pub rejected_value: Money,
    /// Accepted over sent, in basis points (`None` with nothing sent).
    pub rate_count_bp: Option<i64>,
    pub rate_value_bp: Option<i64>,
    /// Days from the offer's date to the answer, the median of those answered.
    pub median_days: Option<i64>,
}

/// The offers' results of a report: one row per seller, and the whole.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferReport {
    pub rows: Vec<OfferResults>,
    pub total: OfferResults,
    pub currency: String,
}

/// The offers' results of the months `from` to `to`, per seller (or `seller` only) and in all,
/// folded from the report data's offer cells; `name` names a seller. Values are summed in i128.
pub fn results(
    cells: &[crate::figures::OfferCell],
    name: impl Fn(SellerId) -> String,
    from: crate::figures::Month,
    to: crate::figures::Month,
    seller: Option<SellerId>,
    currency: &str,
) -> OfferReport {
    use std::collections::BTreeMap;
    #[derive(Default)]
    struct Tally {
        sent: u64,
        values: [i128; 3],
        accepted: u64,
        rejected: u64,
        days: BTreeMap<i64, u64>,
    }
    impl Tally {
        fn add(&mut self, c: &crate::figures::OfferCell) {
            self.sent += c.sent;
            self.accepted += c.accepted;
            self.rejected += c.rejected;
            for (v, add) in self.values.iter_mut().zip([c.sent_value, c.accepted_value, c.rejected_value]) {
                *v += add as i128;
            }
            for (d, n) in &c.days {
                *self.days.entry(*d).or_default() += n;
            }
        }
        /// The `k`-th (from 0) of the days, in order.
        fn nth_day(&self, k: u64) -> Option<i64> {
            let mut seen = 0;
            self.days
                .iter()
                .find(|(_, n)| {
                    seen += **n;
                    seen > k
                })
                .map(|(d, _)| *d)
        }
        fn results(self, seller: String) -> OfferResults {
            let money = |v: i128| Money(v.clamp(i64::MIN as i128, i64::MAX as i128) as i64);
            let rate = |part: i128, whole: i128| (whole > 0).then(|| (part * 10_000 / whole) as i64);
            let n: u64 = self.days.values().sum();
            let median = match n {
                0 => None,
                n if n % 2 == 1 => self.nth_day(n / 2),
                n => Some((self.nth_day(n / 2 - 1).unwrap_or(0) + self.nth_day(n / 2).unwrap_or(0)) / 2),
            };
            OfferResults {
                seller,
                sent: self.sent,
                sent_value: money(self.values[0]),
                accepted: self.accepted,
                accepted_value: money(self.values[1]),
                rejected: self.rejected,
                rejected_value: money(self.values[2]),
                rate_count_bp: rate(self.accepted as i128, self.sent as i128),
                rate_value_bp: rate(self.values[1], self.values[0]),
                median_days: median,
            }
        }
    }
    let mut per_seller: BTreeMap<SellerId, Tally> = BTreeMap::new();
    let mut total = Tally::default();
    for c in cells.iter().filter(|c| c.month >= from && c.month <= to && seller.is_none_or(|s| s == c.seller)) {
        per_seller.entry(c.seller).or_default().add(c);
        total.add(c);
    }
    let mut rows: Vec<OfferResults> = per_seller.into_iter().map(|(id, t)| t.results(name(id))).collect();
    rows.sort_by(|a, b| a.seller.cmp(&b.seller));
    OfferReport { rows, total: total.results(String::new()), currency: currency.to_string() }
}

// ---------------------------------------------------------------- server functions

#[server(endpoint = "offers_get", output = TextJson)]
pub async fn get_offer(id: i64) -> AppResult<Offer> {
    let (state, me) = require_user().await?;
    ssr::get(&state.db, &me, OfferId(id)).await
}

#[server(endpoint = "offers_create", output = TextJson)]
pub async fn create_offer(contact: i64, form: OfferForm) -> AppResult<Offer> {
    let (state, me) = require_user().await?;
    ssr::create(&state.db, &me, ContactId(contact), &form).await
}

#[server(endpoint = "offers_update", output = TextJson)]
pub async fn update_offer(id: i64, version: i32, form: OfferForm) -> AppResult<Offer> {
    let (state, me) = require_user().await?;
    ssr::update(&state.db, &me, OfferId(id), version, &form).await
}

#[server(endpoint = "offers_delete", output = TextJson)]
pub async fn delete_offer(id: i64, version: i32) -> AppResult<()> {
    let (state, me) = require_user().await?;
    ssr::delete(&state.db, &me, OfferId(id), version).await
}

/// A draft offer made of an open sale on the contact's tab (see `ssr::from_sale`).
#[server(endpoint = "offers_from_sale", output = TextJson)]
pub async fn make_offer_from_sale(sale: i64) -> AppResult<Offer> {
    let (state, me) = require_user().await?;
    ssr::from_sale(&state.db, &me, SaleId(sale)).await
}

/// Sends the draft (numbered, its lines written as sales, frozen as sent): e-mailed with its PDF
/// when `mail` is given, else marked sent (the user hands the PDF over himself).
#[server(endpoint = "offers_send", output = TextJson)]
pub async fn send_offer(id: i64, version: i32, mail: Option<OfferMail>) -> AppResult<Offer> {
    let (state, me) = require_user().await?;
    let mail = match mail {
        Some(mail) => {
            let company = crate::config::company::ssr::get(&state.db).await?;
            Some((mail::prepare(&state.config, &company.email, &mail)?, ssr::site_origin()))
        }
        None => None,
    };
    ssr::send(&state.db, &me, OfferId(id), version, mail).await
}

/// Opens a sent offer for its next revision (a draft again, same number).
#[server(endpoint = "offers_revise", output = TextJson)]
pub async fn revise_offer(id: i64, version: i32) -> AppResult<Offer> {
    let (state, me) = require_user().await?;
    ssr::revise(&state.db, &me, OfferId(id), version).await
}

/// The customer's answer: `accepted`, or `rejected` with a lost reason and an optional note; on
/// the day given (empty: today).
#[server(endpoint = "offers_answer", output = TextJson)]
pub async fn answer_offer(
    id: i64,
    version: i32,
    answer: String,
    on: Option<String>,
    reason: Option<String>,
    note: Option<String>,
) -> AppResult<Offer> {
    let (state, me) = require_user().await?;
    let on = on.as_deref().unwrap_or_default();
    let answer = match answer.as_str() {
        "accepted" => ssr::Answer::Accepted { on },
        "rejected" => ssr::Answer::Rejected { on, reason: reason.as_deref().unwrap_or_default(), note: note.as_deref().unwrap_or_default() },
        _ => return Err(crate::error::AppError::BadRequest("answer".into())),
    };
    ssr::answer(&state.db, &me, OfferId(id), version, answer).await
}

/// The offers the user may see, filtered, newest first.
#[server(endpoint = "offers_list", output = TextJson)]
pub async fn list_offers(#[server(flatten)] filter: OffersFilter, after: Option<String>) -> AppResult<OffersPage> {
    let (state, me) = require_user().await?;
    ssr::list(&state.db, &me, &filter, after.as_deref()).await
}

/// What the customer received for each revision, as sent.
#[server(endpoint = "offers_revisions", output = TextJson)]
pub async fn offer_revisions(id: i64) -> AppResult<Vec<SentRevision>> {
    let (state, me) = require_user().await?;
    ssr::sent_revisions(&state.db, &me, OfferId(id)).await
}
