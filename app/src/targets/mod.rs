//! Targets: a seller's monthly target of won net revenue, in total or for one top-level category;
//! the grid managers fill (sellers × the months of a year, with a copy of the year before and an
//! uplift); and attainment: won against target for this month, this quarter and the year to date,
//! with a run-rate projection (won so far + the weighted open deals expected to close in the rest
//! of the period). The attainment fold is shared: the home page, the report pages and the workbook
//! compute it with [`attainment`].

pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

#[cfg(feature = "ssr")]
use crate::auth::ssr::require_user;
use crate::catalog::CategoryId;
use crate::codec::TextJson;
use crate::error::AppResult;
use crate::figures::{Cell, Month, Period, SellerDim, Stage, TargetCell};
use crate::money::{Money, Percent, div_round};
use crate::sellers::SellerId;
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// The targets by seller and month: the total where one is set, else the sum of the categories'.
pub struct TargetIndex(HashMap<(SellerId, Month), Money>);

impl TargetIndex {
    pub fn new(targets: &[TargetCell]) -> TargetIndex {
        let mut totals: HashMap<(SellerId, Month), Money> = HashMap::new();
        let mut parts: HashMap<(SellerId, Month), Money> = HashMap::new();
        for t in targets {
            let map = if t.category.is_none() { &mut totals } else { &mut parts };
            let sum = map.entry((t.seller, t.month)).or_default();
            *sum = Money(sum.0.saturating_add(t.amount.0));
        }
        for (key, sum) in parts {
            totals.entry(key).or_insert(sum);
        }
        TargetIndex(totals)
    }

    /// The target of a seller over the months `from..=to` (`None`: no month has one).
    pub fn over(&self, seller: SellerId, from: Month, to: Month) -> Option<Money> {
        (from.0..=to.0)
            .filter_map(|m| self.0.get(&(seller, Month(m))))
            .fold(None, |sum: Option<Money>, t| Some(Money(sum.unwrap_or_default().0.saturating_add(t.0))))
    }
}

/// Won revenue and the weighted open pipeline of a seller in a month: what attainment reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthFigures {
    pub seller: SellerId,
    pub month: Month,
    pub won: Money,
    /// Σ net cents × probability of the open deals expected to close that month.
    pub weighted: i64,
}

/// The month figures of report cells (their tags and products summed).
pub fn month_figures(cells: &[Cell]) -> Vec<MonthFigures> {
    let mut sums: BTreeMap<(SellerId, Month), MonthFigures> = BTreeMap::new();
    for cell in cells.iter().filter(|c| c.stage != Stage::Lost) {
        let f =
            sums.entry((cell.seller, cell.month)).or_insert(MonthFigures { seller: cell.seller, month: cell.month, won: Money::ZERO, weighted: 0 });
        if cell.stage == Stage::Won {
            f.won = Money(f.won.0.saturating_add(cell.net.0));
        } else {
            f.weighted = f.weighted.saturating_add(cell.weighted);
        }
    }
    sums.into_values().collect()
}

/// One period of attainment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attained {
    pub target: Option<Money>,
    pub won: Money,
    /// Won so far + the weighted open deals expected from this month to the period's end.
    pub projection: Money,
}

impl Attained {
    /// Won ÷ target (none without a target, or with a target of zero).
    pub fn percent(&self) -> Option<Percent> {
        ratio(self.won, self.target?)
    }
    pub fn projected_percent(&self) -> Option<Percent> {
        ratio(self.projection, self.target?)
    }
}

fn ratio(part: Money, whole: Money) -> Option<Percent> {
    (whole.0 > 0).then(|| Percent(div_round(part.0 as i128 * 10_000, whole.0 as i128).clamp(i32::MIN as i128, i32::MAX as i128) as i32))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Span {
    Month,
    Quarter,
    YearToDate,
}

impl Span {
    pub const ALL: [Span; 3] = [Span::Month, Span::Quarter, Span::YearToDate];
    /// The months of the span around today: `(first, last)`. The year to date ends this month.
    pub fn months(self, today: NaiveDate) -> (Month, Month) {
        match self {
            Span::Month => Period::ThisMonth.months(today),
            Span::Quarter => Period::ThisQuarter.months(today),
            Span::YearToDate => (Period::ThisYear.months(today).0, Month::of(today)),
        }
    }
}

/// A seller's attainment for this month, this quarter and the year to date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerAttainment {
    pub seller: SellerId,
    pub name: String,
    pub month: Attained,
    pub quarter: Attained,
    pub year: Attained,
}

impl SellerAttainment {
    pub fn span(&self, span: Span) -> &Attained {
        match span {
            Span::Month => &self.month,
            Span::Quarter => &self.quarter,
            Span::YearToDate => &self.year,
        }
    }
}

/// Attainment of each seller given (in their order) with a target in the year or won revenue in
/// it. Won counts the months of the span up to this one; the projection adds the weighted deals
/// expected from this month to the span's last month (those overdue from earlier months are not
/// expected anywhere, so they are left out).
pub fn attainment(sellers: &[SellerDim], targets: &[TargetCell], figures: &[MonthFigures], today: NaiveDate) -> Vec<SellerAttainment> {
    let index = TargetIndex::new(targets);
    let now = Month::of(today);
    let by_key: HashMap<(SellerId, Month), &MonthFigures> = figures.iter().map(|f| ((f.seller, f.month), f)).collect();
    let period = |seller: SellerId, span: Span| -> Attained {
        let (from, to) = span.months(today);
        let mut won = Money::ZERO;
        let mut weighted: i128 = 0;
        for m in from.0..=to.0 {
            let Some(f) = by_key.get(&(seller, Month(m))) else { continue };
            if Month(m) <= now {
                won = Money(won.0.saturating_add(f.won.0));
            }
            if Month(m) >= now {
                weighted += f.weighted as i128;
            }
        }
        let projection = Money(won.0.saturating_add(Money::from_weighted(weighted).0));
        Attained { target: index.over(seller, from, to), won, projection }
    };
    sellers
        .iter()
        .map(|s| SellerAttainment {
            seller: s.id,
            name: s.name.clone(),
            month: period(s.id, Span::Month),
            quarter: period(s.id, Span::Quarter),
            year: period(s.id, Span::YearToDate),
        })
        .filter(|a| a.year.target.is_some() || a.quarter.target.is_some() || a.year.won.0 != 0)
        .collect()
}

// ---------------------------------------------------------------- the grid

/// The targets page: sellers × the twelve months of a year, for the total or one top-level category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetGrid {
    pub year: i32,
    pub category: Option<CategoryId>,
    /// The top-level categories a target can be split by.
    pub categories: Vec<(CategoryId, String)>,
    pub sellers: Vec<SellerDim>,
    /// One row per seller, twelve months each.
    pub amounts: Vec<Vec<Option<Money>>>,
    /// Managers set targets; a member reads his own sellers'.
    pub can_edit: bool,
    pub currency: String,
}

/// One cell of the grid as the page sends it. An empty amount removes the target.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetForm {
    /// Text, as every flattened form field (a browser posts text).
    pub seller: String,
    /// `2026-03`.
    pub month: String,
    /// Empty: the seller's total; else a top-level category's id.
    pub category: String,
    pub amount: String,
}

#[server(endpoint = "targets_grid", output = TextJson)]
pub async fn get_target_grid(year: i32, category: Option<i64>) -> AppResult<TargetGrid> {
    let (state, me) = require_user().await?;
    ssr::grid(&state.db, &me, year, category.map(CategoryId)).await
}

#[server(endpoint = "targets_set", output = TextJson)]
pub async fn set_target(#[server(flatten)] form: TargetForm) -> AppResult<Option<Money>> {
    let (state, me) = require_user().await?;
    ssr::set(&state.db, &me, &form).await
}

/// Copies the year before's targets (of the total or the category) into `year`, each raised by
/// `uplift` percent (e.g. "5", "-2,5"), rounded to the cent.
#[server(endpoint = "targets_copy", output = TextJson)]
pub async fn copy_targets(year: i32, category: Option<i64>, uplift: String) -> AppResult<TargetGrid> {
    let (state, me) = require_user().await?;
    ssr::copy_previous_year(&state.db, &me, year, category.map(CategoryId), &uplift).await
}

pub use pages::TargetsPage;
