//! The figures: the report data set and everything computed from it (the report cells that
//! sales and contacts keep up to date are in [`cells`]). Shared by the server (the Excel
//! download) and the page (WASM), so a figure on screen and in the workbook come from one fold.
//!
//! The data set is pre-aggregated: one [`Cell`] per (month, seller, product, stage, contact tags,
//! lost reason), never one row per sale. The month of a cell is the month the sale *counts in*: the close date
//! for won and lost sales, the expected close date for open ones (the sale date when missing).

#[cfg(feature = "ssr")]
pub mod cells;

use crate::catalog::{CategoryId, ProductId};
use crate::config::TagId;
use crate::config::lost_reasons::LostReasonId;
use crate::i18n::{Lang, Msg};
use crate::money::{Money, Percent, div_round};
use crate::sellers::SellerId;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// A calendar month as `year × 12 + month − 1`, so months subtract and compare as integers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Month(pub i32);

const MONTHS_IT: [&str; 12] = ["gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"];
const MONTHS_EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

impl Month {
    pub fn of(date: NaiveDate) -> Month {
        Month(date.year() * 12 + date.month0() as i32)
    }
    pub fn new(year: i32, month: u32) -> Month {
        Month(year * 12 + month as i32 - 1)
    }
    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }
    /// 1..=12
    pub fn month(self) -> u32 {
        self.0.rem_euclid(12) as u32 + 1
    }
    /// 1..=4
    pub fn quarter(self) -> u32 {
        (self.month() - 1) / 3 + 1
    }
    pub fn plus(self, months: i32) -> Month {
        Month(self.0 + months)
    }
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year(), self.month(), 1).expect("valid month")
    }
    /// "2026-03", as `<input type="month">` and query strings write it.
    pub fn code(self) -> String {
        format!("{:04}-{:02}", self.year(), self.month())
    }
    pub fn parse(text: &str) -> Option<Month> {
        let (y, m) = text.trim().split_once('-')?;
        let (y, m) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?);
        ((1..=12).contains(&m) && (1900..=9999).contains(&y)).then(|| Month::new(y, m))
    }
    pub fn label(self, lang: Lang) -> String {
        let names = if lang == Lang::It { MONTHS_IT } else { MONTHS_EN };
        format!("{} {}", names[self.month() as usize - 1], self.year())
    }
}

/// The stage of a sale: the one type the sales module defines.
pub use crate::codes::Stage;

/// The month a sale counts in (see the module comment). The SQL that builds the data set computes
/// the same thing; the tests hold the two together.
pub fn report_month(stage: Stage, sale_date: NaiveDate, expected_close: Option<NaiveDate>, closed_date: Option<NaiveDate>) -> Month {
    let date = if stage.is_open() { expected_close } else { closed_date };
    Month::of(date.unwrap_or(sale_date))
}

/// One aggregated cell of the data set. Short field names: the page receives thousands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    #[serde(rename = "m")]
    pub month: Month,
    #[serde(rename = "s")]
    pub seller: SellerId,
    #[serde(rename = "p")]
    pub product: ProductId,
    #[serde(rename = "st")]
    pub stage: Stage,
    /// Bit `TagDim::bit` is set when the sale's contact carries that tag.
    #[serde(rename = "t")]
    pub tags: u64,
    #[serde(rename = "n")]
    pub count: u64,
    /// Σ net amount.
    #[serde(rename = "v")]
    pub net: Money,
    /// Σ net cents × probability (0..100): the weighted amount in hundredths of a cent, exact.
    #[serde(rename = "w")]
    pub weighted: i64,
    /// The lost reason of lost sales (none for the others): absent on the wire when none.
    #[serde(rename = "r", default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<LostReasonId>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerDim {
    pub id: SellerId,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryDim {
    pub id: CategoryId,
    pub parent: Option<CategoryId>,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductDim {
    pub id: ProductId,
    pub code: String,
    pub name: String,
    pub category: Option<CategoryId>,
}

/// A lost reason, archived ones included (old sales name them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonDim {
    pub id: LostReasonId,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagDim {
    pub id: TagId,
    pub name: String,
    pub bit: u8,
}

/// Which sellers a report covers: the user's own (his seller and his teams), or all of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    Mine,
    All,
}

impl Scope {
    pub fn code(self) -> &'static str {
        match self {
            Scope::Mine => "mine",
            Scope::All => "all",
        }
    }
    pub fn from_code(code: &str) -> Option<Scope> {
        match code {
            "mine" => Some(Scope::Mine),
            "all" => Some(Scope::All),
            _ => None,
        }
    }
}

/// What the server sends: the cells the user may see and the dimension tables to name them.
/// One seller's offers of one month (by the offer's date; sent at least once): how many and how
/// much went out and came back accepted or rejected, and how many answers took each number of
/// days, so a report page folds them for any period and seller.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferCell {
    pub month: Month,
    pub seller: SellerId,
    pub sent: u64,
    pub sent_value: i64,
    pub accepted: u64,
    pub accepted_value: i64,
    pub rejected: u64,
    pub rejected_value: i64,
    /// (days from the offer to its answer, how many answers took them).
    pub days: Vec<(i64, u64)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportData {
    pub scope: Scope,
    /// The server's today, so "this month" means the same on both sides.
    pub today: NaiveDate,
    pub currency: String,
    pub sellers: Vec<SellerDim>,
    pub categories: Vec<CategoryDim>,
    pub products: Vec<ProductDim>,
    pub tags: Vec<TagDim>,
    pub reasons: Vec<ReasonDim>,
    pub cells: Vec<Cell>,
    /// The targets of the sellers in scope, every month.
    #[serde(default)]
    pub targets: Vec<TargetCell>,
    /// The offers of the sellers in scope, per month and seller.
    #[serde(default)]
    pub offers: Vec<OfferCell>,
}

// ---------------------------------------------------------------- filters and grouping

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Period {
    ThisMonth,
    ThisQuarter,
    ThisYear,
    Last12Months,
    /// From the first to the last month, both included.
    Range {
        from: Month,
        to: Month,
    },
}

impl Period {
    pub fn code(self) -> &'static str {
        match self {
            Period::ThisMonth => "month",
            Period::ThisQuarter => "quarter",
            Period::ThisYear => "year",
            Period::Last12Months => "last12",
            Period::Range { .. } => "range",
        }
    }

    /// The months covered, first and last included.
    pub fn months(self, today: NaiveDate) -> (Month, Month) {
        let now = Month::of(today);
        match self {
            Period::ThisMonth => (now, now),
            Period::ThisQuarter => {
                let first = Month::new(now.year(), (now.quarter() - 1) * 3 + 1);
                (first, first.plus(2))
            }
            Period::ThisYear => (Month::new(now.year(), 1), Month::new(now.year(), 12)),
            Period::Last12Months => (now.plus(-11), now),
            Period::Range { from, to } => (from.min(to), from.max(to)),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Grouping {
    Month,
    Quarter,
    Year,
    Seller,
    Category,
    Product,
    /// The lost sales by their reason.
    LostReason,
}

impl Grouping {
    pub const ALL: [Grouping; 7] =
        [Grouping::Month, Grouping::Quarter, Grouping::Year, Grouping::Seller, Grouping::Category, Grouping::Product, Grouping::LostReason];
    pub fn code(self) -> &'static str {
        match self {
            Grouping::Month => "month",
            Grouping::Quarter => "quarter",
            Grouping::Year => "year",
            Grouping::Seller => "seller",
            Grouping::Category => "category",
            Grouping::Product => "product",
            Grouping::LostReason => "reason",
        }
    }
    pub fn from_code(code: &str) -> Option<Grouping> {
        Grouping::ALL.into_iter().find(|g| g.code() == code)
    }
    pub fn label(self) -> Msg {
        match self {
            Grouping::Month => Msg::RepGroupMonth,
            Grouping::Quarter => Msg::RepGroupQuarter,
            Grouping::Year => Msg::RepGroupYear,
            Grouping::Seller => Msg::RepSeller,
            Grouping::Category => Msg::RepCategory,
            Grouping::Product => Msg::RepProduct,
            Grouping::LostReason => Msg::RepLostReason,
        }
    }
}

/// Everything the user chose on screen. It travels in the download's query string too.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    pub period: Period,
    pub seller: Option<SellerId>,
    /// A category and all its sub-categories.
    pub category: Option<CategoryId>,
    pub product: Option<ProductId>,
    pub stage: Option<Stage>,
    pub tag: Option<TagId>,
    /// Only the lost sales with this reason.
    pub reason: Option<LostReasonId>,
    pub grouping: Grouping,
}

impl Default for Filter {
    fn default() -> Self {
        Filter {
            period: Period::Last12Months,
            seller: None,
            category: None,
            product: None,
            stage: None,
            tag: None,
            reason: None,
            grouping: Grouping::Month,
        }
    }
}

impl Filter {
    /// `key=value` pairs for a URL (no value needs escaping: codes, ids and months only).
    pub fn to_query(&self) -> String {
        let mut parts = vec![format!("period={}", self.period.code())];
        if let Period::Range { from, to } = self.period {
            parts.push(format!("from={}", from.code()));
            parts.push(format!("to={}", to.code()));
        }
        let ids = [
            ("seller", self.seller.map(|id| id.0)),
            ("category", self.category.map(|id| id.0)),
            ("product", self.product.map(|id| id.0)),
            ("tag", self.tag.map(|id| id.0)),
            ("reason", self.reason.map(|id| id.0)),
        ];
        parts.extend(ids.into_iter().filter_map(|(k, v)| v.map(|v| format!("{k}={v}"))));
        if let Some(stage) = self.stage {
            parts.push(format!("stage={}", stage.code()));
        }
        parts.push(format!("group={}", self.grouping.code()));
        parts.join("&")
    }

    /// Reads what `to_query` wrote; anything malformed is `None` (the caller answers 400).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Option<Filter> {
        let map: HashMap<&str, &str> = pairs.into_iter().collect();
        fn id<T: From<i64>>(map: &HashMap<&str, &str>, key: &str) -> Option<Option<T>> {
            match map.get(key).filter(|v| !v.is_empty()) {
                None => Some(None),
                Some(v) => v.parse::<i64>().ok().map(|n| Some(T::from(n))),
            }
        }
        let period = match map.get("period").copied().unwrap_or("last12") {
            "month" => Period::ThisMonth,
            "quarter" => Period::ThisQuarter,
            "year" => Period::ThisYear,
            "last12" => Period::Last12Months,
            "range" => Period::Range { from: Month::parse(map.get("from")?)?, to: Month::parse(map.get("to")?)? },
            _ => return None,
        };
        let stage = match map.get("stage").filter(|v| !v.is_empty()) {
            None => None,
            Some(code) => Some(Stage::from_code(code)?),
        };
        let grouping = match map.get("group") {
            None => Grouping::Month,
            Some(code) => Grouping::from_code(code)?,
        };
        Some(Filter {
            period,
            seller: id(&map, "seller")?,
            category: id(&map, "category")?,
            product: id(&map, "product")?,
            stage,
            tag: id(&map, "tag")?,
            reason: id(&map, "reason")?,
            grouping,
        })
    }
}

/// A filter made ready for testing cells (and sales) quickly.
#[derive(Clone, Debug)]
pub struct Matcher {
    pub from: Month,
    pub to: Month,
    seller: Option<SellerId>,
    /// The products allowed by the category and product filters (`None`: all).
    products: Option<HashSet<ProductId>>,
    stage: Option<Stage>,
    /// A tag filter naming a tag the data set does not know matches nothing.
    tag_mask: Option<u64>,
    reason: Option<LostReasonId>,
}

impl Matcher {
    pub fn new(data: &ReportData, filter: &Filter) -> Matcher {
        let (from, to) = filter.period.months(data.today);
        let products = match (filter.category, filter.product) {
            (None, None) => None,
            (category, product) => {
                let subtree = category.map(|c| category_subtree(&data.categories, c));
                Some(
                    data.products
                        .iter()
                        .filter(|p| product.is_none_or(|id| p.id == id))
                        .filter(|p| subtree.as_ref().is_none_or(|tree| p.category.is_some_and(|c| tree.contains(&c))))
                        .map(|p| p.id)
                        .collect(),
                )
            }
        };
        let tag_mask = filter.tag.map(|id| data.tags.iter().find(|t| t.id == id).map(|t| 1u64 << t.bit).unwrap_or(0));
        Matcher { from, to, seller: filter.seller, products, stage: filter.stage, tag_mask, reason: filter.reason }
    }

    /// The same filter one year earlier.
    pub fn year_earlier(&self) -> Matcher {
        Matcher { from: self.from.plus(-12), to: self.to.plus(-12), ..self.clone() }
    }

    /// Everything but the period. A reason filter keeps only the lost sales with that reason.
    pub fn matches_key(&self, key: &SaleKey) -> bool {
        self.seller.is_none_or(|s| s == key.seller)
            && self.products.as_ref().is_none_or(|set| set.contains(&key.product))
            && self.stage.is_none_or(|s| s == key.stage)
            && self.tag_mask.is_none_or(|mask| key.tags & mask != 0)
            && self.reason.is_none_or(|r| key.reason == Some(r))
    }

    pub fn matches(&self, month: Month, key: &SaleKey) -> bool {
        month >= self.from && month <= self.to && self.matches_key(key)
    }

    pub fn matches_cell(&self, cell: &Cell) -> bool {
        self.matches(cell.month, &cell.key())
    }
}

/// What a filter looks at of a sale (or a cell), besides its month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SaleKey {
    pub seller: SellerId,
    pub product: ProductId,
    pub stage: Stage,
    pub tags: u64,
    pub reason: Option<LostReasonId>,
}

impl Cell {
    pub fn key(&self) -> SaleKey {
        SaleKey { seller: self.seller, product: self.product, stage: self.stage, tags: self.tags, reason: self.reason }
    }
}

/// A category and every category below it.
pub fn category_subtree(categories: &[CategoryDim], root: CategoryId) -> HashSet<CategoryId> {
    let mut children: HashMap<CategoryId, Vec<CategoryId>> = HashMap::new();
    for c in categories {
        if let Some(parent) = c.parent {
            children.entry(parent).or_default().push(c.id);
        }
    }
    let mut tree = HashSet::from([root]);
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        for &child in children.get(&id).into_iter().flatten() {
            if tree.insert(child) {
                stack.push(child);
            }
        }
    }
    tree
}

// ---------------------------------------------------------------- figures

/// The headline figures of a set of cells.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub won_count: u64,
    pub won: Money,
    pub lost_count: u64,
    /// Σ net amount of the lost sales.
    pub lost: Money,
    pub open_count: u64,
    pub pipeline: Money,
    /// Σ net cents × probability of the open sales.
    pub weighted: i64,
}

impl Figures {
    pub fn add(&mut self, stage: Stage, count: u64, net: Money, weighted: i64) {
        match stage {
            Stage::Won => {
                self.won_count += count;
                self.won += net;
            }
            Stage::Lost => {
                self.lost_count += count;
                self.lost += net;
            }
            _ => {
                self.open_count += count;
                self.pipeline += net;
                self.weighted += weighted;
            }
        }
    }
    pub fn add_cell(&mut self, cell: &Cell) {
        self.add(cell.stage, cell.count, cell.net, cell.weighted);
    }
    /// Amount × probability, rounded half away from zero to the cent.
    pub fn weighted_forecast(&self) -> Money {
        Money::from_weighted(self.weighted as i128)
    }
    /// Won ÷ (won + lost), in basis points.
    pub fn win_rate(&self) -> Option<Percent> {
        let closed = self.won_count + self.lost_count;
        (closed > 0).then(|| Percent(div_round(self.won_count as i128 * 10_000, closed as i128) as i32))
    }
    pub fn average_won(&self) -> Option<Money> {
        (self.won_count > 0).then(|| Money(div_round(self.won.0 as i128, self.won_count as i128) as i64))
    }
    pub fn is_empty(&self) -> bool {
        self.won_count + self.lost_count + self.open_count == 0
    }
}

/// One row of the table: a group, its figures, and the same group one year earlier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupRow {
    pub key: GroupKey,
    pub label: String,
    pub figures: Figures,
    pub previous: Figures,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GroupKey {
    Month(Month),
    Quarter(i32, u32),
    Year(i32),
    Seller(SellerId),
    /// The top category under the filtered one (or a root), `None` for products without one.
    Category(Option<CategoryId>),
    Product(ProductId),
    /// Lost sales only; `None` for those without a reason.
    LostReason(Option<LostReasonId>),
}

/// A series of the revenue chart: one seller's won revenue per period bucket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Series {
    pub seller: SellerId,
    pub name: String,
    pub values: Vec<Money>,
}

/// Everything on screen for one filter: figures, the table, the two charts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub from: Month,
    pub to: Month,
    pub current: Figures,
    pub previous: Figures,
    pub rows: Vec<GroupRow>,
    /// Revenue chart: bucket labels and one series per seller with sales in the period.
    pub buckets: Vec<String>,
    pub series: Vec<Series>,
    /// Forecast against actual, month by month: (month, weighted forecast, won).
    pub forecast: Vec<(Month, Money, Money)>,
}

/// Folds the data set under a filter: one pass over the cells for the period, one for the year before.
pub fn compute(data: &ReportData, filter: &Filter, lang: Lang) -> Report {
    let matcher = Matcher::new(data, filter);
    let earlier = matcher.year_earlier();
    let (from, to) = (matcher.from, matcher.to);
    let products: HashMap<ProductId, &ProductDim> = data.products.iter().map(|p| (p.id, p)).collect();
    let parents: HashMap<CategoryId, Option<CategoryId>> = data.categories.iter().map(|c| (c.id, c.parent)).collect();
    // The category a product rolls up to: the child of the filtered category (or a root) above it.
    let top_category = |product: ProductId| -> Option<CategoryId> {
        let mut id = products.get(&product).and_then(|p| p.category)?;
        if Some(id) == filter.category {
            return Some(id);
        }
        loop {
            match parents.get(&id).copied().flatten() {
                Some(parent) if Some(parent) != filter.category => id = parent,
                _ => return Some(id),
            }
        }
    };
    let key_of = |cell: &Cell, month: Month| -> GroupKey {
        match filter.grouping {
            Grouping::Month => GroupKey::Month(month),
            Grouping::Quarter => GroupKey::Quarter(month.year(), month.quarter()),
            Grouping::Year => GroupKey::Year(month.year()),
            Grouping::Seller => GroupKey::Seller(cell.seller),
            Grouping::Category => GroupKey::Category(top_category(cell.product)),
            Grouping::Product => GroupKey::Product(cell.product),
            Grouping::LostReason => GroupKey::LostReason(cell.reason),
        }
    };
    // Grouped by lost reason, the table holds the lost sales only; the headline figures all.
    let in_groups = |cell: &Cell| filter.grouping != Grouping::LostReason || cell.stage == Stage::Lost;
    // The revenue chart buckets by quarter or year when the table does, by month otherwise.
    let bucket_of = |month: Month| -> usize {
        match filter.grouping {
            Grouping::Quarter => ((month.year() - from.year()) * 4 + month.quarter() as i32 - from.quarter() as i32) as usize,
            Grouping::Year => (month.year() - from.year()) as usize,
            _ => (month.0 - from.0) as usize,
        }
    };
    let bucket_count = bucket_of(to) + 1;
    let mut current = Figures::default();
    let mut previous = Figures::default();
    let mut groups: BTreeMap<GroupKey, (Figures, Figures)> = BTreeMap::new();
    let mut series: BTreeMap<SellerId, Vec<Money>> = BTreeMap::new();
    let months = (to.0 - from.0 + 1) as usize;
    // Per month: Σ net × probability of the open sales (hundredths of a cent), Σ won.
    let mut forecast = vec![(0i64, Money::ZERO); months];
    for cell in &data.cells {
        if matcher.matches_cell(cell) {
            current.add_cell(cell);
            if in_groups(cell) {
                groups.entry(key_of(cell, cell.month)).or_default().0.add_cell(cell);
            }
            let slot = (cell.month.0 - from.0) as usize;
            match cell.stage {
                Stage::Won => {
                    series.entry(cell.seller).or_insert_with(|| vec![Money::ZERO; bucket_count])[bucket_of(cell.month)] += cell.net;
                    forecast[slot].1 += cell.net;
                }
                s if s.is_open() => forecast[slot].0 += cell.weighted,
                _ => {}
            }
        }
        // Not `else`: a period longer than a year overlaps the one a year earlier.
        if earlier.matches_cell(cell) {
            previous.add_cell(cell);
            // Shifted a year forward, so the row of March 2026 holds March 2025 beside it.
            if in_groups(cell) {
                groups.entry(key_of(cell, cell.month.plus(12))).or_default().1.add_cell(cell);
            }
        }
    }
    let seller_names: HashMap<SellerId, &str> = data.sellers.iter().map(|s| (s.id, s.name.as_str())).collect();
    let category_names: HashMap<CategoryId, &str> = data.categories.iter().map(|c| (c.id, c.name.as_str())).collect();
    let reason_names: HashMap<LostReasonId, &str> = data.reasons.iter().map(|r| (r.id, r.name.as_str())).collect();
    let label = |key: &GroupKey| -> String {
        match *key {
            GroupKey::Month(m) => m.label(lang),
            GroupKey::Quarter(y, q) => format!("{}{q} {y}", if lang == Lang::It { "T" } else { "Q" }),
            GroupKey::Year(y) => y.to_string(),
            GroupKey::Seller(id) => seller_names.get(&id).map(|s| s.to_string()).unwrap_or_else(|| format!("#{id}")),
            GroupKey::Category(Some(id)) => category_names.get(&id).map(|s| s.to_string()).unwrap_or_else(|| format!("#{id}")),
            GroupKey::Category(None) => Msg::RepNoCategory.text(lang).to_string(),
            GroupKey::Product(id) => products.get(&id).map(|p| format!("{} · {}", p.code, p.name)).unwrap_or_else(|| format!("#{id}")),
            GroupKey::LostReason(Some(id)) => reason_names.get(&id).map(|s| s.to_string()).unwrap_or_else(|| format!("#{id}")),
            GroupKey::LostReason(None) => Msg::RepNoLostReason.text(lang).to_string(),
        }
    };
    let mut rows: Vec<GroupRow> =
        groups.into_iter().map(|(key, (figures, previous))| GroupRow { label: label(&key), key, figures, previous }).collect();
    match filter.grouping {
        Grouping::Seller | Grouping::Category | Grouping::Product => {
            rows.sort_by(|a, b| b.figures.won.cmp(&a.figures.won).then_with(|| a.label.cmp(&b.label)))
        }
        Grouping::LostReason => rows.sort_by(|a, b| b.figures.lost_count.cmp(&a.figures.lost_count).then_with(|| a.label.cmp(&b.label))),
        _ => {}
    }
    let buckets = (0..bucket_count)
        .map(|i| match filter.grouping {
            Grouping::Quarter => {
                let m = Month::new(from.year(), (from.quarter() - 1) * 3 + 1).plus(i as i32 * 3);
                label(&GroupKey::Quarter(m.year(), m.quarter()))
            }
            Grouping::Year => (from.year() + i as i32).to_string(),
            _ => from.plus(i as i32).label(lang),
        })
        .collect();
    let mut series: Vec<Series> =
        series.into_iter().map(|(seller, values)| Series { seller, name: label(&GroupKey::Seller(seller)), values }).collect();
    series.sort_by(|a, b| a.name.cmp(&b.name));
    let forecast = forecast.into_iter().enumerate().map(|(i, (w, won))| (from.plus(i as i32), Money::from_weighted(w as i128), won)).collect();
    Report { from, to, current, previous, rows, buckets, series, forecast }
}

/// A target as the report data set carries it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetCell {
    #[serde(rename = "s")]
    pub seller: SellerId,
    #[serde(rename = "m")]
    pub month: Month,
    /// `None`: the seller's total for the month.
    #[serde(rename = "c", default, skip_serializing_if = "Option::is_none")]
    pub category: Option<CategoryId>,
    #[serde(rename = "a")]
    pub amount: Money,
}
