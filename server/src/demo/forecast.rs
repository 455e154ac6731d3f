//! The demo's targets and forecast history, derived from its generated sales so the Targets and
//! Forecast pages open full: a monthly target per seller for last year and this year (near his
//! average won month, rounded to € 100), a few deals whose expected close was moved later (history
//! lines, the slippage), and the forecast frozen on the first day of each of the last 24 months,
//! from the deals open on that day. The current month is left to the server's own first request.

use app::reports::Month;
use app::reports::ssr::snapshots;
use app::sales::history::{HistoryField, HistoryValue};
use app::sales::{HistoryAction, Stage};
use chrono::{Datelike, Duration, NaiveDate, Utc};
use rand::Rng;
use rand::rngs::StdRng;
use sea_orm::ActiveValue::Set;
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait};
use std::collections::BTreeMap;

use app::db::entities::{sale_history, sales, targets};

/// The probability a deal open on a snapshot day is frozen with when it has closed since.
const CLOSED_SINCE_PROBABILITY: i64 = 50;
/// Months of frozen forecasts before the current one.
const MONTHS: i32 = 24;

pub async fn load(txn: &DatabaseTransaction, rng: &mut StdRng, today: NaiveDate, admin: i64) -> Result<(usize, usize, usize), DbErr> {
    let all = sales::Entity::find().all(txn).await?;
    let slipped = slippage(txn, rng, &all, today).await?;
    let targets = targets_near_average(txn, rng, &all, today, admin).await?;
    let frozen = frozen_months(txn, &all, today).await?;
    Ok((targets, frozen, slipped))
}

/// One deal in eight with an expected close had it moved later once, a few days after it was
/// registered: a history line from the earlier date to the one it has now.
async fn slippage(txn: &DatabaseTransaction, rng: &mut StdRng, all: &[sales::Model], today: NaiveDate) -> Result<usize, DbErr> {
    let now = Utc::now();
    let rows: Vec<sale_history::ActiveModel> = all
        .iter()
        .filter_map(|s| {
            let to = s.expected_close?;
            if !rng.gen_bool(0.125) {
                return None;
            }
            let from = to - Duration::days(rng.gen_range(7..=45));
            let at = (s.created_at + Duration::days(rng.gen_range(2..=20))).min(now);
            (at.date_naive() <= today && from > s.sale_date).then(|| sale_history::ActiveModel {
                sale_id: Set(s.id),
                user_id: Set(s.created_by),
                at: Set(at),
                action: Set(HistoryAction::Update),
                field: Set(Some(HistoryField::ExpectedClose)),
                old_value: Set(Some(HistoryValue::Date(from).encode())),
                new_value: Set(Some(HistoryValue::Date(to).encode())),
                ..Default::default()
            })
        })
        .collect();
    for chunk in rows.chunks(500) {
        sale_history::Entity::insert_many(chunk.iter().cloned()).exec_without_returning(txn).await?;
    }
    Ok(rows.len())
}

/// Each seller with won sales gets, for every month of last year and this year, a target near his
/// average won month over the last twelve complete months (85–125 %), rounded to € 100.
async fn targets_near_average(
    txn: &DatabaseTransaction,
    rng: &mut StdRng,
    all: &[sales::Model],
    today: NaiveDate,
    admin: i64,
) -> Result<usize, DbErr> {
    let now = Month::of(today);
    let mut won: BTreeMap<i64, i64> = BTreeMap::new();
    for s in all.iter().filter(|s| s.stage == Stage::Won) {
        let month = Month::of(s.closed_date.unwrap_or(s.sale_date));
        if month < now && month >= now.plus(-12) {
            *won.entry(s.seller_id).or_default() += s.net_cents;
        }
    }
    let first = Month::new(today.year() - 1, 1);
    let mut rows = Vec::new();
    for (seller, total) in won {
        let average = total / 12;
        for m in first.0..first.0 + 24 {
            let amount = (average * rng.gen_range(85..=125) / 100 / 10_000).max(1) * 10_000;
            rows.push(targets::ActiveModel {
                seller_id: Set(seller),
                month: Set(m),
                category_id: Set(0),
                amount_cents: Set(amount),
                updated_by: Set(admin),
                updated_at: Set(Utc::now()),
                version: Set(1),
                ..Default::default()
            });
        }
    }
    for chunk in rows.chunks(500) {
        targets::Entity::insert_many(chunk.iter().cloned()).exec_without_returning(txn).await?;
    }
    Ok(rows.len())
}

/// The forecast frozen on the first day of each past month: the deals open that day (registered
/// before it, closed on or after it), expected from that month to five after, weighted by their
/// probability (or, for a deal closed since, an even chance).
async fn frozen_months(txn: &DatabaseTransaction, all: &[sales::Model], today: NaiveDate) -> Result<usize, DbErr> {
    let roots = snapshots::product_roots(txn).await.map_err(|e| DbErr::Custom(format!("{e:?}")))?;
    let now = Month::of(today);
    let mut cells = 0;
    for taken in (now.0 - MONTHS..now.0).map(Month) {
        let day = taken.first_day();
        let mut sums = snapshots::FrozenSums::new();
        for s in all.iter().filter(|s| s.sale_date < day && s.closed_date.is_none_or(|c| c >= day)) {
            let close = Month::of(s.expected_close.unwrap_or(s.sale_date));
            if close < taken || close.0 >= taken.0 + snapshots::AHEAD {
                continue;
            }
            let probability = if s.stage.is_open() { i64::from(s.probability) } else { CLOSED_SINCE_PROBABILITY };
            let e = sums.entry((s.seller_id, close.0, roots.get(&s.product_id).copied().unwrap_or(0))).or_default();
            e.0 += 1;
            e.1 += s.net_cents;
            e.2 += s.net_cents * probability;
        }
        let at = day.and_hms_opt(6, 0, 0).expect("valid time").and_utc().format("%Y-%m-%d %H:%M:%S+00:00").to_string();
        txn.execute_unprepared(&format!("INSERT INTO snapshot_months (month, taken_at, late) VALUES ({}, '{at}', false)", taken.0)).await?;
        let frozen = snapshots::frozen_cells(taken, sums);
        snapshots::write_frozen(txn, &frozen).await.map_err(|e| DbErr::Custom(format!("{e:?}")))?;
        cells += frozen.len();
    }
    Ok(cells)
}
