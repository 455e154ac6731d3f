//! The desk: what a sales team opens every morning, across contacts. The home page (this month's
//! wins against last year's, the pipeline, overdue deals and those closing soon, the latest changes,
//! and for managers one row per seller) and the sales list (`/sales`: every sale the user may see,
//! filtered, sorted, paged by keyset, with the totals of the filtered set and the stage changed in
//! place), and the pipeline board (`/sales/board`: a column per stage, cards moved by drag and drop
//! or from a menu, through the same rule as the form). The rule of who sees which sale is `auth::scope`'s (`visible_sellers`).

pub mod board;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

#[cfg(feature = "ssr")]
use crate::auth::ssr::require_user;
use crate::codec::TextJson;
use crate::config::Step;
use crate::contacts::ContactId;
use crate::error::AppResult;
use crate::money::Money;
use crate::sales::{SaleId, Stage};
use crate::sellers::SellerId;
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A sale as the desk lists it: enough to recognise it and open it on its contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskSale {
    pub id: SaleId,
    pub version: i32,
    pub contact: ContactId,
    pub contact_name: String,
    pub product: String,
    pub seller: String,
    pub net: Money,
    pub stage: Stage,
    pub probability: i32,
    pub sale_date: NaiveDate,
    pub expected_close: Option<NaiveDate>,
    pub closed_date: Option<NaiveDate>,
    pub updated_at: DateTime<Utc>,
}

impl DeskSale {
    /// Where the sale is edited: its contact's Vendita tab, with the sale open in the form.
    pub fn href(&self) -> String {
        format!("/contacts/{}/vendita?sale={}", self.contact.0, self.id.0)
    }
}

/// One seller's row on a manager's home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerFigures {
    pub id: SellerId,
    pub name: String,
    pub won_month: Money,
    pub pipeline: Money,
    pub overdue: u64,
}

/// The CRM wizard while it is not finished: shown first to managers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WizardProgress {
    pub done: usize,
    pub total: usize,
    pub next: Step,
}

/// Days ahead that count as "closing soon".
pub const CLOSING_SOON_DAYS: i64 = 14;
/// Deals listed in each block of the home page.
pub const HOME_LIST: u64 = 10;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Home {
    pub today: NaiveDate,
    pub currency: String,
    /// The whole team's figures (managers and admins) rather than the user's own sellers'.
    pub team: bool,
    pub won_month: Money,
    pub won_month_count: u64,
    /// Won in the same month one year earlier.
    pub won_last_year: Money,
    /// Net of the open sales.
    pub pipeline: Money,
    pub pipeline_count: u64,
    /// Σ net × probability of the open sales, rounded once to the cent.
    pub weighted: Money,
    pub overdue_count: u64,
    /// The oldest overdue deals first.
    pub overdue: Vec<DeskSale>,
    /// Open deals expected to close from today to `CLOSING_SOON_DAYS` ahead, soonest first.
    pub closing_soon: Vec<DeskSale>,
    /// The latest registered or changed sales: the user's own, or the team's for managers.
    pub recent: Vec<DeskSale>,
    /// Managers only: one row per seller with sales or an active seller.
    pub sellers: Vec<SellerFigures>,
    /// Won against target of the sellers the user sees (his own, or every seller for managers).
    pub attainment: Vec<crate::targets::SellerAttainment>,
    /// The customers' latest answers to the offers of the sellers the user sees.
    pub offers_answered: Vec<crate::offers::OfferRow>,
    /// The user's own commissions, when he is a seller who earns them.
    pub commissions: Option<crate::commissions::MyCommissions>,
    pub wizard: Option<WizardProgress>,
}

/// How the sales list is sorted; each keeps the sale id as the last key, so pages never overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum SalesSort {
    /// Newest sale first (the default).
    #[default]
    DateDesc,
    DateAsc,
    /// Soonest expected close first; sales with none come last.
    CloseAsc,
    CloseDesc,
    NetDesc,
    NetAsc,
}

impl SalesSort {
    pub const ALL: [SalesSort; 6] =
        [SalesSort::DateDesc, SalesSort::DateAsc, SalesSort::CloseAsc, SalesSort::CloseDesc, SalesSort::NetDesc, SalesSort::NetAsc];

    pub fn code(self) -> &'static str {
        match self {
            SalesSort::DateDesc => "-date",
            SalesSort::DateAsc => "date",
            SalesSort::CloseAsc => "close",
            SalesSort::CloseDesc => "-close",
            SalesSort::NetDesc => "-net",
            SalesSort::NetAsc => "net",
        }
    }

    pub fn from_code(code: &str) -> Option<SalesSort> {
        SalesSort::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn descending(self) -> bool {
        matches!(self, SalesSort::DateDesc | SalesSort::CloseDesc | SalesSort::NetDesc)
    }

    /// The same column in the other direction (a second click on its heading).
    pub fn flipped(self) -> SalesSort {
        match self {
            SalesSort::DateDesc => SalesSort::DateAsc,
            SalesSort::DateAsc => SalesSort::DateDesc,
            SalesSort::CloseAsc => SalesSort::CloseDesc,
            SalesSort::CloseDesc => SalesSort::CloseAsc,
            SalesSort::NetDesc => SalesSort::NetAsc,
            SalesSort::NetAsc => SalesSort::NetDesc,
        }
    }
}

/// The filters of the sales list as the URL carries them (`/sales?q=…&stage=open…`): the one
/// form type of the list, checked on the server. An empty field does not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SalesFilter {
    /// Contained in the contact's name, the product's code or name, or the notes.
    pub q: String,
    pub seller: String,
    /// A stage code, or `open` for the three open stages.
    pub stage: String,
    /// A category id: its products and those of its sub-categories.
    pub category: String,
    pub product: String,
    /// Sale date from / to (`YYYY-MM-DD`, both included).
    pub from: String,
    pub to: String,
    /// Expected close from / to.
    pub close_from: String,
    pub close_to: String,
    /// `1`: open sales whose expected close has passed.
    pub overdue: String,
    /// A `SalesSort` code; empty: newest first.
    pub sort: String,
}

impl SalesFilter {
    /// Each field with its key in the URL: the one list `query` and `from_query` go by.
    fn fields(&mut self) -> [(&'static str, &mut String); 11] {
        [
            ("q", &mut self.q),
            ("seller", &mut self.seller),
            ("stage", &mut self.stage),
            ("category", &mut self.category),
            ("product", &mut self.product),
            ("from", &mut self.from),
            ("to", &mut self.to),
            ("close_from", &mut self.close_from),
            ("close_to", &mut self.close_to),
            ("overdue", &mut self.overdue),
            ("sort", &mut self.sort),
        ]
    }

    /// The filter as a query string, in a fixed order, without the empty fields.
    pub fn query(&self) -> String {
        let mut filter = self.clone();
        filter
            .fields()
            .into_iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| format!("{k}={}", crate::form::url_encode(v.trim())))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The filter a URL carries, read key by key with `get`.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> SalesFilter {
        let mut filter = SalesFilter::default();
        for (key, value) in filter.fields() {
            *value = get(key).unwrap_or_default();
        }
        filter
    }
}

/// Sales listed per page.
pub const SALES_LIST_PAGE: u64 = 50;

/// Count, net and weighted amount of every sale the filter keeps (not only the page shown).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListTotals {
    pub count: u64,
    pub net: Money,
    /// Σ net × probability, rounded once to the cent (won counts whole, lost not at all).
    pub weighted: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesList {
    pub rows: Vec<DeskSale>,
    /// The cursor of the next page (opaque text for the URL), if there is one.
    pub next: Option<String>,
    pub totals: ListTotals,
    pub currency: String,
}

/// Cards shown per column of the board (the column's count and totals cover all of them).
pub const BOARD_CARDS: u64 = 50;

/// One column of the pipeline board: an open stage (every open sale in it), or won / lost (those
/// closed this month).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardColumn {
    pub stage: Stage,
    pub totals: ListTotals,
    /// Soonest expected close first, at most `BOARD_CARDS`.
    pub cards: Vec<DeskSale>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Board {
    pub columns: Vec<BoardColumn>,
    pub currency: String,
}

// ---------------------------------------------------------------- server functions

#[server(endpoint = "desk_home", output = TextJson)]
pub async fn get_home() -> AppResult<Home> {
    let (state, me) = require_user().await?;
    ssr::home(&state.db, &me, Utc::now().date_naive()).await
}

#[server(endpoint = "desk_sales", output = TextJson)]
pub async fn list_sales(#[server(flatten)] filter: SalesFilter, after: Option<String>) -> AppResult<SalesList> {
    let (state, me) = require_user().await?;
    ssr::list(&state.db, &me, &filter, after.as_deref(), Utc::now().date_naive()).await
}

#[server(endpoint = "desk_board", output = TextJson)]
pub async fn get_board(#[server(flatten)] filter: SalesFilter) -> AppResult<Board> {
    let (state, me) = require_user().await?;
    ssr::board(&state.db, &me, &filter, Utc::now().date_naive()).await
}
