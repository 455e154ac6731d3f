//! The forecast frozen on the first day of each month: the open deals per seller × expected-close
//! month × top-level category for this month and the five after, read from the report cells.
//! Taken by the first request of the month (the server's middleware) or by `vendita snapshot`
//! (cron). Exactly once a month, whatever the number of processes and requests: the month's row in
//! `snapshot_months` is inserted with ON CONFLICT DO NOTHING in the transaction that writes the
//! snapshot, so a second writer waits for the first's key and then writes nothing. A month whose
//! first day passed without a snapshot gets it late, marked so (the months before it cannot be
//! taken any more: their pipeline has moved on).

use super::super::forecast::{ForecastHistory, FrozenCell, SlipCell, SnapshotMonth};
use super::Month;
use crate::auth::CurrentUser;
use crate::catalog::CategoryId;
use crate::db::entities::{categories, products};
use crate::error::AppResult;
use crate::money::Money;
use crate::sales::history::{HistoryField, HistoryValue};
use crate::sellers::SellerId;
use chrono::{Datelike, NaiveDate, Utc};
use futures_util::StreamExt;
use sea_orm::*;
use std::collections::{BTreeMap, HashMap};

/// Months frozen ahead: the snapshot's own month and the five after.
pub const AHEAD: i32 = 6;

/// Freezes the forecast of `today`'s month unless it is frozen already. Returns whether this call
/// took it.
pub async fn take_if_due(db: &DatabaseConnection, today: NaiveDate) -> AppResult<bool> {
    crate::db::transaction(db, |txn| Box::pin(async move { take_in(txn, today).await })).await
}

async fn take_in(txn: &DatabaseTransaction, today: NaiveDate) -> AppResult<bool> {
    let month = Month::of(today);
    let backend = ConnectionTrait::get_database_backend(txn);
    let claimed = txn
        .execute_raw(Statement::from_sql_and_values(
            backend,
            match backend {
                DbBackend::Postgres => "INSERT INTO snapshot_months (month, taken_at, late) VALUES ($1, $2, $3) ON CONFLICT (month) DO NOTHING",
                _ => "INSERT INTO snapshot_months (month, taken_at, late) VALUES (?, ?, ?) ON CONFLICT (month) DO NOTHING",
            },
            [month.0.into(), Utc::now().into(), (today.day() != 1).into()],
        ))
        .await?
        .rows_affected();
    if claimed == 0 {
        return Ok(false);
    }
    write_frozen(txn, &frozen_now(txn, month).await?).await?;
    Ok(true)
}

/// Writes frozen cells (their month's row in `snapshot_months` exists). Integers only: inline.
pub async fn write_frozen(txn: &DatabaseTransaction, cells: &[FrozenCell]) -> AppResult<()> {
    let rows: Vec<String> = cells
        .iter()
        .map(|f| {
            let category = f.category.map(|c| c.0).unwrap_or(0);
            format!("({}, {}, {}, {category}, {}, {}, {})", f.taken.0, f.seller.0, f.close.0, f.count, f.open_net.0, f.weighted)
        })
        .collect();
    for chunk in rows.chunks(300) {
        txn.execute_unprepared(&format!(
            "INSERT INTO forecast_snapshots (month, seller_id, close_month, category_id, n, open_net, weighted) VALUES {}",
            chunk.join(", ")
        ))
        .await?;
    }
    Ok(())
}

/// The forecast as it stands now, frozen as month `month` would be: open deals expected from
/// `month` to `AHEAD − 1` months after, per seller × close month × top-level category.
pub async fn frozen_now(db: &impl ConnectionTrait, month: Month) -> AppResult<Vec<FrozenCell>> {
    let roots = product_roots(db).await?;
    let sql = format!(
        "SELECT seller_id, month, product_id, CAST(SUM(n) AS BIGINT) AS n, CAST(SUM(net) AS BIGINT) AS net, CAST(SUM(weighted) AS BIGINT) AS weighted \
         FROM report_cells WHERE month BETWEEN {} AND {} AND stage IN ({}) GROUP BY seller_id, month, product_id",
        month.0,
        month.0 + AHEAD - 1,
        crate::figures::cells::open_stages()
    );
    let mut sums = FrozenSums::new();
    for row in db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await? {
        let product: i64 = row.try_get("", "product_id")?;
        let key = (row.try_get("", "seller_id")?, row.try_get::<i32>("", "month")?, roots.get(&product).copied().unwrap_or(0));
        let e = sums.entry(key).or_default();
        e.0 += row.try_get::<i64>("", "n")?;
        e.1 += row.try_get::<i64>("", "net")?;
        e.2 += row.try_get::<i64>("", "weighted")?;
    }
    Ok(frozen_cells(month, sums))
}

/// Sums per (seller, close month, top-level category or 0) → (count, net, weighted) as the
/// frozen cells of month `taken`; empty sums are left out.
pub type FrozenSums = BTreeMap<(i64, i32, i64), (i64, i64, i64)>;

pub fn frozen_cells(taken: Month, sums: FrozenSums) -> Vec<FrozenCell> {
    sums.into_iter()
        .filter(|(_, (n, _, _))| *n != 0)
        .map(|((seller, close, root), (n, net, weighted))| FrozenCell {
            taken,
            seller: SellerId(seller),
            close: Month(close),
            category: (root != 0).then_some(CategoryId(root)),
            count: n as u64,
            open_net: Money(net),
            weighted,
        })
        .collect()
}

/// Each product's top-level category (0: none).
pub async fn product_roots(db: &impl ConnectionTrait) -> AppResult<HashMap<i64, i64>> {
    let parents: HashMap<i64, Option<i64>> = categories::Entity::find().all(db).await?.into_iter().map(|c| (c.id, c.parent_id)).collect();
    let root = |mut id: i64| {
        for _ in 0..parents.len() {
            match parents.get(&id).copied().flatten() {
                Some(parent) => id = parent,
                None => break,
            }
        }
        id
    };
    Ok(products::Entity::find().all(db).await?.into_iter().map(|p| (p.id, p.category_id.map(root).unwrap_or(0))).collect())
}

/// The snapshots and slippage of the sellers a user sees (managers: all; a member: his own).
pub async fn history(db: &(impl ConnectionTrait + StreamTrait), actor: &CurrentUser) -> AppResult<ForecastHistory> {
    let allowed = crate::auth::scope::visible_sellers(db, actor).await?;
    let seller_clause = |column: &str| allowed.sql(column);
    let backend = ConnectionTrait::get_database_backend(db);
    let months = db
        .query_all_raw(Statement::from_string(backend, "SELECT month, late FROM snapshot_months ORDER BY month"))
        .await?
        .iter()
        .map(|r| Ok(SnapshotMonth { month: Month(r.try_get("", "month")?), late: r.try_get("", "late")? }))
        .collect::<AppResult<Vec<_>>>()?;
    let sql = format!(
        "SELECT month, seller_id, close_month, category_id, n, open_net, weighted FROM forecast_snapshots WHERE 1 = 1{}",
        seller_clause("seller_id")
    );
    let frozen = db
        .query_all_raw(Statement::from_string(backend, sql))
        .await?
        .iter()
        .map(|r| {
            let category: i64 = r.try_get("", "category_id")?;
            Ok(FrozenCell {
                taken: Month(r.try_get("", "month")?),
                seller: SellerId(r.try_get("", "seller_id")?),
                close: Month(r.try_get("", "close_month")?),
                category: (category != 0).then_some(CategoryId(category)),
                count: r.try_get::<i64>("", "n")? as u64,
                open_net: Money(r.try_get("", "open_net")?),
                weighted: r.try_get("", "weighted")?,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(ForecastHistory { months, frozen, slips: slips(db, &seller_clause("s.seller_id")).await? })
}

/// Moves of a deal's expected close to a later date, read from the sales' history: per seller
/// (the sale's seller now) and month of the move, their count and the deals' net. The moves are
/// folded as they stream in: however long the history, memory holds the cells, not the rows.
async fn slips(db: &(impl ConnectionTrait + StreamTrait), seller_clause: &str) -> AppResult<Vec<SlipCell>> {
    let sql = format!(
        "SELECT h.at, h.old_value, h.new_value, s.seller_id, s.net_cents FROM sale_history h JOIN sales s ON s.id = h.sale_id \
         WHERE h.field = '{}'{seller_clause}",
        HistoryField::ExpectedClose.code()
    );
    let mut cells: BTreeMap<(i64, Month), (u64, i64)> = BTreeMap::new();
    let backend = ConnectionTrait::get_database_backend(db);
    let mut rows = std::pin::pin!(db.stream_raw(Statement::from_string(backend, sql)).await?);
    while let Some(row) = rows.next().await {
        let row = row?;
        let (old, new): (Option<String>, Option<String>) = (row.try_get("", "old_value")?, row.try_get("", "new_value")?);
        let (Some(HistoryValue::Date(old)), Some(HistoryValue::Date(new))) =
            (old.as_deref().map(HistoryValue::decode), new.as_deref().map(HistoryValue::decode))
        else {
            continue;
        };
        if new <= old {
            continue;
        }
        let at: chrono::DateTime<Utc> = row.try_get("", "at")?;
        let e = cells.entry((row.try_get("", "seller_id")?, Month::of(at.date_naive()))).or_default();
        e.0 += 1;
        e.1 = e.1.saturating_add(row.try_get::<i64>("", "net_cents")?);
    }
    Ok(cells.into_iter().map(|((seller, month), (count, net))| SlipCell { seller: SellerId(seller), month, count, net: Money(net) }).collect())
}
