//! The report's aggregate cells, kept as data in `report_cells`: one row per (month the sale counts
//! in, seller, product, stage, lost reason, the contact's tags), with the count, net and weighted
//! sums of its sales. Every write of a sale, and every change of the tags of a contact with sales,
//! updates them in its own transaction, so the report data set and the forecast snapshots read
//! them instead of grouping every sale. [`rebuild`] makes them again from the sales (`vendita
//! rebuild-cells`, for repair); a property test holds them equal to a fresh GROUP BY.
//!
//! A contact's tags are kept as their ids in rising order, comma-separated (`4,9`; empty for
//! none): the data set turns them into the bit set of the tags it names.

use super::{Month, Stage, report_month};
use crate::db::entities::{contact_tags, sales};
use crate::error::{AppError, AppResult};
use sea_orm::*;
use std::collections::{BTreeMap, HashMap};

/// Rows of one upsert statement.
const CHUNK: usize = 300;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellKey {
    pub month: Month,
    pub seller: i64,
    pub product: i64,
    pub stage: Stage,
    /// 0: none.
    pub reason: i64,
    pub tags: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CellSums {
    pub count: i64,
    pub net: i64,
    pub weighted: i64,
}

impl CellSums {
    fn add(&mut self, other: CellSums, sign: i64) {
        self.count += sign * other.count;
        self.net += sign * other.net;
        self.weighted += sign * other.weighted;
    }
}

/// What a write changes in the cells, summed per cell; applied by [`Changes::apply`].
#[derive(Default)]
pub(crate) struct Changes(BTreeMap<CellKey, CellSums>);

impl Changes {
    /// Adds (`sign` 1) or takes out (−1) one sale whose contact carries `tags`.
    pub fn sale(&mut self, sale: &sales::Model, tags: &str, sign: i64) {
        let key = CellKey {
            month: report_month(sale.stage, sale.sale_date, sale.expected_close, sale.closed_date),
            seller: sale.seller_id,
            product: sale.product_id,
            stage: sale.stage,
            reason: sale.lost_reason_id.unwrap_or(0),
            tags: tags.to_owned(),
        };
        let sums = CellSums { count: 1, net: sale.net_cents, weighted: sale.net_cents * i64::from(sale.probability) };
        self.0.entry(key).or_default().add(sums, sign);
    }

    fn group(&mut self, key: CellKey, sums: CellSums, sign: i64) {
        self.0.entry(key).or_default().add(sums, sign);
    }

    /// Upserts the changed cells, in key order (two transactions touching the same cells lock
    /// them in the same order). The values are integers, a stage code and a tag key of digits
    /// and commas, all made here: written inline.
    pub async fn apply(self, db: &impl ConnectionTrait) -> AppResult<()> {
        let rows: Vec<String> = self
            .0
            .into_iter()
            .filter(|(_, s)| *s != CellSums::default())
            .map(|(k, s)| {
                format!(
                    "({}, {}, {}, '{}', {}, '{}', {}, {}, {})",
                    k.month.0,
                    k.seller,
                    k.product,
                    k.stage.code(),
                    k.reason,
                    k.tags,
                    s.count,
                    s.net,
                    s.weighted
                )
            })
            .collect();
        for chunk in rows.chunks(CHUNK) {
            let sql = format!(
                "INSERT INTO report_cells (month, seller_id, product_id, stage, reason_id, tag_key, n, net, weighted) VALUES {} \
                 ON CONFLICT (month, seller_id, product_id, stage, reason_id, tag_key) DO UPDATE SET \
                 n = report_cells.n + excluded.n, net = report_cells.net + excluded.net, weighted = report_cells.weighted + excluded.weighted",
                chunk.join(", ")
            );
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }
}

/// A sale written in this transaction: `old` as it was (`None`: created), `new` as it is now
/// (`None`: deleted). A sale keeps its contact.
pub async fn sale_written(db: &impl ConnectionTrait, old: Option<&sales::Model>, new: Option<&sales::Model>) -> AppResult<()> {
    let Some(contact) = old.or(new).map(|s| s.contact_id) else { return Ok(()) };
    let tags = tag_key(db, contact).await?;
    let mut changes = Changes::default();
    if let Some(old) = old {
        changes.sale(old, &tags, -1);
    }
    if let Some(new) = new {
        changes.sale(new, &tags, 1);
    }
    changes.apply(db).await
}

/// Sales just created (an import's chunk).
pub(crate) async fn sales_created(db: &impl ConnectionTrait, new: &[sales::Model]) -> AppResult<()> {
    let contacts: Vec<i64> = new.iter().map(|s| s.contact_id).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    let tags = tag_keys(db, &contacts).await?;
    let mut changes = Changes::default();
    for sale in new {
        changes.sale(sale, tags.get(&sale.contact_id).map(String::as_str).unwrap_or(""), 1);
    }
    changes.apply(db).await
}

/// A contact's tags as the cells name them.
pub(crate) async fn tag_key(db: &impl ConnectionTrait, contact: i64) -> AppResult<String> {
    Ok(tag_keys(db, &[contact]).await?.remove(&contact).unwrap_or_default())
}

/// The tag keys of these contacts (a contact without tags is absent).
pub(crate) async fn tag_keys(db: &impl ConnectionTrait, contacts: &[i64]) -> AppResult<HashMap<i64, String>> {
    let mut keys: HashMap<i64, String> = HashMap::new();
    for chunk in contacts.chunks(500) {
        let links = contact_tags::Entity::find()
            .filter(contact_tags::Column::ContactId.is_in(chunk.iter().copied()))
            .order_by_asc(contact_tags::Column::ContactId)
            .order_by_asc(contact_tags::Column::TagId)
            .all(db)
            .await?;
        for link in links {
            let key = keys.entry(link.contact_id).or_default();
            if !key.is_empty() {
                key.push(',');
            }
            key.push_str(&link.tag_id.to_string());
        }
    }
    Ok(keys)
}

/// The tag keys of contacts about to have their tags changed: give them to [`retagged`] after.
pub(crate) struct TagsBefore(Vec<(i64, String)>);

pub(crate) async fn tags_before(db: &impl ConnectionTrait, contacts: &[i64]) -> AppResult<TagsBefore> {
    let mut keys = tag_keys(db, contacts).await?;
    Ok(TagsBefore(contacts.iter().map(|c| (*c, keys.remove(c).unwrap_or_default())).collect()))
}

/// Moves the sales of the contacts whose tags changed since [`tags_before`] to the cells of
/// their tags as they are now.
pub(crate) async fn retagged(db: &impl ConnectionTrait, before: TagsBefore) -> AppResult<()> {
    let ids: Vec<i64> = before.0.iter().map(|(c, _)| *c).collect();
    let mut now = tag_keys(db, &ids).await?;
    let moved: HashMap<i64, (String, String)> = before
        .0
        .into_iter()
        .filter_map(|(contact, old)| {
            let new = now.remove(&contact).unwrap_or_default();
            (old != new).then_some((contact, (old, new)))
        })
        .collect();
    if moved.is_empty() {
        return Ok(());
    }
    let backend = db.get_database_backend();
    let month = month_sql(backend);
    let mut changes = Changes::default();
    let moved_ids: Vec<i64> = moved.keys().copied().collect();
    for chunk in moved_ids.chunks(500) {
        let list = chunk.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let sql = format!(
            "SELECT {month} AS ym, s.seller_id AS seller, s.product_id AS product, s.stage AS stage, COALESCE(s.lost_reason_id, 0) AS reason, \
             s.contact_id AS contact, CAST(COUNT(*) AS BIGINT) AS n, CAST(SUM(s.net_cents) AS BIGINT) AS net, \
             CAST(SUM(s.net_cents * s.probability) AS BIGINT) AS weighted \
             FROM sales s WHERE s.contact_id IN ({list}) \
             GROUP BY {month}, s.seller_id, s.product_id, s.stage, COALESCE(s.lost_reason_id, 0), s.contact_id"
        );
        for row in db.query_all_raw(Statement::from_string(backend, sql)).await? {
            let (old, new) = &moved[&row.try_get::<i64>("", "contact")?];
            let (key, sums) = read_group(&row, old)?;
            changes.group(key.clone(), sums, -1);
            changes.group(CellKey { tags: new.clone(), ..key }, sums, 1);
        }
    }
    changes.apply(db).await
}

fn read_group(row: &QueryResult, tags: &str) -> AppResult<(CellKey, CellSums)> {
    Ok((
        CellKey {
            month: Month(row.try_get::<i64>("", "ym")? as i32),
            seller: row.try_get("", "seller")?,
            product: row.try_get("", "product")?,
            stage: row.try_get("", "stage")?,
            reason: row.try_get("", "reason")?,
            tags: tags.to_owned(),
        },
        CellSums { count: row.try_get("", "n")?, net: row.try_get("", "net")?, weighted: row.try_get("", "weighted")? },
    ))
}

/// The GROUP BY the cells stand for, over every sale: what [`rebuild`] writes and what the tests
/// and the benchmark compare the cells with.
pub fn group_by_sql(backend: DbBackend) -> String {
    let month = month_sql(backend);
    let tags = match backend {
        DbBackend::Postgres => "string_agg(CAST(tag_id AS TEXT), ',' ORDER BY tag_id)",
        _ => "group_concat(tag_id, ',' ORDER BY tag_id)",
    };
    format!(
        "SELECT {month} AS ym, s.seller_id AS seller, s.product_id AS product, s.stage AS stage, COALESCE(s.lost_reason_id, 0) AS reason, \
         COALESCE(ct.tag_key, '') AS tags, CAST(COUNT(*) AS BIGINT) AS n, CAST(SUM(s.net_cents) AS BIGINT) AS net, \
         CAST(SUM(s.net_cents * s.probability) AS BIGINT) AS weighted \
         FROM sales s LEFT JOIN (SELECT contact_id, {tags} AS tag_key FROM contact_tags GROUP BY contact_id) ct ON ct.contact_id = s.contact_id \
         GROUP BY {month}, s.seller_id, s.product_id, s.stage, COALESCE(s.lost_reason_id, 0), COALESCE(ct.tag_key, '')"
    )
}

/// The cells with at least one sale, read whole (tests and repair compare them).
pub async fn stored(db: &impl ConnectionTrait) -> AppResult<BTreeMap<CellKey, CellSums>> {
    let sql = "SELECT CAST(month AS BIGINT) AS ym, seller_id AS seller, product_id AS product, stage, reason_id AS reason, tag_key AS tags, n, net, weighted \
               FROM report_cells WHERE n <> 0";
    rows_to_map(db, sql.to_owned()).await
}

/// The same figures grouped afresh from the sales.
pub async fn grouped(db: &impl ConnectionTrait) -> AppResult<BTreeMap<CellKey, CellSums>> {
    rows_to_map(db, group_by_sql(db.get_database_backend())).await
}

async fn rows_to_map(db: &impl ConnectionTrait, sql: String) -> AppResult<BTreeMap<CellKey, CellSums>> {
    let mut cells = BTreeMap::new();
    for row in db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await? {
        let tags: String = row.try_get("", "tags")?;
        let (key, sums) = read_group(&row, &tags)?;
        cells.insert(key, sums);
    }
    Ok(cells)
}

/// Makes the cells again from the sales, in one transaction (PostgreSQL: with the cells locked, so
/// a sale written meanwhile waits and then adds itself to the new cells). Returns the cells written.
pub async fn rebuild(db: &DatabaseConnection) -> AppResult<u64> {
    crate::db::transaction(db, |txn| Box::pin(async move { rebuild_in(txn).await })).await
}

/// [`rebuild`] inside a transaction already open (the demo data, the benchmarks' seeds).
pub async fn rebuild_in(txn: &DatabaseTransaction) -> AppResult<u64> {
    let backend = ConnectionTrait::get_database_backend(txn);
    if backend == DbBackend::Postgres {
        txn.execute_unprepared("LOCK TABLE report_cells IN EXCLUSIVE MODE").await?;
    }
    txn.execute_unprepared("DELETE FROM report_cells").await?;
    let sql = format!(
        "INSERT INTO report_cells (month, seller_id, product_id, stage, reason_id, tag_key, n, net, weighted) \
         SELECT ym, seller, product, stage, reason, tags, n, net, weighted FROM ({}) g",
        group_by_sql(backend)
    );
    Ok(txn.execute_unprepared(&sql).await?.rows_affected())
}

/// At start: a database whose sales have no cells yet (just migrated) gets them.
pub async fn build_if_missing(db: &DatabaseConnection) -> AppResult<()> {
    let backend = db.get_database_backend();
    let probe = "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM report_cells LIMIT 1) c) AS cells, (SELECT COUNT(*) FROM (SELECT 1 FROM sales LIMIT 1) s) AS sales";
    let row = db.query_one_raw(Statement::from_string(backend, probe)).await?.ok_or(AppError::Internal)?;
    let (cells, sales): (i64, i64) = (row.try_get("", "cells")?, row.try_get("", "sales")?);
    if cells == 0 && sales > 0 {
        let written = rebuild(db).await?;
        tracing::info!(cells = written, "report cells built from the sales");
    }
    Ok(())
}

/// The month a sale counts in, as SQL (see [`report_month`]).
pub fn month_sql(backend: DbBackend) -> String {
    let date = "CASE WHEN s.stage IN ('won','lost') THEN COALESCE(s.closed_date, s.sale_date) ELSE COALESCE(s.expected_close, s.sale_date) END";
    match backend {
        DbBackend::Postgres => format!("CAST(EXTRACT(YEAR FROM {date}) * 12 + EXTRACT(MONTH FROM {date}) - 1 AS BIGINT)"),
        _ => format!("(CAST(substr({date}, 1, 4) AS INTEGER) * 12 + CAST(substr({date}, 6, 2) AS INTEGER) - 1)"),
    }
}

/// The open stages' codes as an SQL list: `'lead','negotiation','proposal'`.
pub fn open_stages() -> String {
    Stage::OPEN.iter().map(|s| format!("'{}'", s.code())).collect::<Vec<_>>().join(",")
}
