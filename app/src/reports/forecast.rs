//! Forecast accuracy: the weighted forecast frozen on the first day of each month (a snapshot per
//! seller × expected-close month × top-level category), set against what was then won; and the
//! slippage of deals whose expected close moved later. Shared by the Forecast page (folded in the
//! browser, with the page's filters) and the workbook.

use crate::catalog::CategoryId;
use crate::figures::*;
use crate::money::{Money, div_round};
use crate::sellers::SellerId;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// A month whose forecast was frozen; `late` when it was taken after the month's first day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotMonth {
    pub month: Month,
    pub late: bool,
}

/// One frozen cell: the open deals of a seller expected to close in `close`, as they stood when
/// the forecast of month `taken` was frozen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrozenCell {
    #[serde(rename = "t")]
    pub taken: Month,
    #[serde(rename = "s")]
    pub seller: SellerId,
    #[serde(rename = "m")]
    pub close: Month,
    /// The top-level category (`None`: products without one).
    #[serde(rename = "c", default, skip_serializing_if = "Option::is_none")]
    pub category: Option<CategoryId>,
    #[serde(rename = "n")]
    pub count: u64,
    #[serde(rename = "v")]
    pub open_net: Money,
    /// Σ net cents × probability.
    #[serde(rename = "w")]
    pub weighted: i64,
}

/// Deals of a seller whose expected close moved later, by the month the move was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlipCell {
    pub seller: SellerId,
    pub month: Month,
    pub count: u64,
    /// The deals' net amount.
    pub net: Money,
}

/// What the Forecast page reads besides the report data set.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForecastHistory {
    pub months: Vec<SnapshotMonth>,
    pub frozen: Vec<FrozenCell>,
    pub slips: Vec<SlipCell>,
}

/// A month of the accuracy table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AccuracyRow {
    pub month: Month,
    pub won: Money,
    /// Frozen on the month's first day, and three months before (`None`: no snapshot then).
    pub at_start: Option<Money>,
    pub three_before: Option<Money>,
    /// Of the forecast frozen at the start, in basis points (`None` without it or without won revenue).
    pub accuracy: Option<i64>,
    pub late: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SellerAccuracy {
    pub seller: SellerId,
    pub name: String,
    /// Mean over the months of the period that have a forecast and won revenue, in basis points.
    pub mean: Option<i64>,
    pub months: u32,
    pub slipped: u64,
    pub slipped_net: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Accuracy {
    pub rows: Vec<AccuracyRow>,
    pub sellers: Vec<SellerAccuracy>,
}

/// 1 − |forecast − won| ÷ won, in basis points; none without won revenue.
pub fn accuracy_bp(forecast: Money, won: Money) -> Option<i64> {
    (won.0 > 0).then(|| {
        let miss = (forecast.0 as i128 - won.0 as i128).abs();
        div_round((won.0 as i128 - miss) * 10_000, won.0 as i128) as i64
    })
}

/// The top-level category above a category.
pub fn root_of(categories: &[CategoryDim], id: CategoryId) -> CategoryId {
    let parents: HashMap<CategoryId, Option<CategoryId>> = categories.iter().map(|c| (c.id, c.parent)).collect();
    let mut id = id;
    // A cycle cannot be stored (the categories refuse one); the bound only guards the loop.
    for _ in 0..categories.len() {
        match parents.get(&id).copied().flatten() {
            Some(parent) => id = parent,
            None => break,
        }
    }
    id
}

/// The accuracy table of the months of the filter's period up to the last complete month, and
/// per seller. Frozen cells know seller and top-level category only: the filter's seller applies,
/// its category through its top-level category; product, stage, tag and reason do not.
pub fn accuracy(data: &ReportData, history: &ForecastHistory, filter: &Filter) -> Accuracy {
    let (from, to) = filter.period.months(data.today);
    let last = to.min(Month::of(data.today).plus(-1));
    let root = filter.category.map(|c| root_of(&data.categories, c));
    let won_filter = Filter { stage: None, tag: None, reason: None, product: None, ..filter.clone() };
    let matcher = Matcher::new(data, &won_filter);
    let mut won: HashMap<(SellerId, Month), Money> = HashMap::new();
    for cell in data.cells.iter().filter(|c| c.stage == Stage::Won && c.month >= from && c.month <= last && matcher.matches_cell(c)) {
        let sum = won.entry((cell.seller, cell.month)).or_default();
        *sum = Money(sum.0.saturating_add(cell.net.0));
    }
    // (seller, taken, close) → Σ weighted
    let mut frozen: HashMap<(SellerId, Month, Month), i128> = HashMap::new();
    for f in history.frozen.iter().filter(|f| filter.seller.is_none_or(|s| s == f.seller) && root.is_none_or(|r| f.category == Some(r))) {
        *frozen.entry((f.seller, f.taken, f.close)).or_default() += f.weighted as i128;
    }
    let taken: HashMap<Month, bool> = history.months.iter().map(|m| (m.month, m.late)).collect();
    let sellers: Vec<&SellerDim> = data.sellers.iter().filter(|s| filter.seller.is_none_or(|id| id == s.id)).collect();
    let forecast_of = |seller: Option<SellerId>, taken_in: Month, close: Month| -> Option<Money> {
        taken.contains_key(&taken_in).then(|| {
            let sum: i128 = sellers
                .iter()
                .filter(|s| seller.is_none_or(|id| id == s.id))
                .map(|s| frozen.get(&(s.id, taken_in, close)).copied().unwrap_or(0))
                .sum();
            Money::from_weighted(sum)
        })
    };
    let won_of = |seller: Option<SellerId>, month: Month| -> Money {
        Money(sellers.iter().filter(|s| seller.is_none_or(|id| id == s.id)).map(|s| won.get(&(s.id, month)).map(|m| m.0).unwrap_or(0)).sum())
    };
    let rows: Vec<AccuracyRow> = (from.0..=last.0)
        .map(Month)
        .map(|month| {
            let won = won_of(None, month);
            let at_start = forecast_of(None, month, month);
            AccuracyRow {
                month,
                won,
                at_start,
                three_before: forecast_of(None, month.plus(-3), month),
                accuracy: at_start.and_then(|f| accuracy_bp(f, won)),
                late: taken.get(&month).copied().unwrap_or(false),
            }
        })
        .collect();
    let mut slips: BTreeMap<SellerId, (u64, i64)> = BTreeMap::new();
    for s in history.slips.iter().filter(|s| s.month >= from && s.month <= to) {
        let e = slips.entry(s.seller).or_default();
        e.0 += s.count;
        e.1 = e.1.saturating_add(s.net.0);
    }
    let per_seller = sellers
        .iter()
        .map(|s| {
            let values: Vec<i64> = (from.0..=last.0)
                .map(Month)
                .filter_map(|m| forecast_of(Some(s.id), m, m).and_then(|f| accuracy_bp(f, won_of(Some(s.id), m))))
                .collect();
            let (slipped, net) = slips.get(&s.id).copied().unwrap_or_default();
            SellerAccuracy {
                seller: s.id,
                name: s.name.clone(),
                mean: (!values.is_empty()).then(|| div_round(values.iter().map(|v| *v as i128).sum(), values.len() as i128) as i64),
                months: values.len() as u32,
                slipped,
                slipped_net: Money(net),
            }
        })
        .filter(|s| s.months > 0 || s.slipped > 0)
        .collect();
    Accuracy { rows, sellers: per_seller }
}
