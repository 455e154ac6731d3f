//! Server side of the reports: who sees which sellers, the aggregated data set (one GROUP BY), and
//! the Excel download (in `export`).

pub mod export;

use super::model::*;
use crate::auth::CurrentUser;
use crate::catalog::{CategoryId, ProductId};
use crate::config::TagId;
use crate::config::lost_reasons::LostReasonId;
use crate::db::entities::{categories, crm_settings, lost_reasons, products, sellers, tags};
use crate::error::{AppError, AppResult};
use crate::money::Money;
use crate::sellers::SellerId;
use chrono::NaiveDate;
use sea_orm::*;

/// The user's own seller and his teams ("My sales"): the one rule, kept by the sales module.
pub async fn own_sellers(db: &impl ConnectionTrait, user: &CurrentUser) -> AppResult<Vec<i64>> {
    Ok(crate::sales::ssr::own_sellers(db, user).await?.into_iter().collect())
}

/// The sellers a report of this scope covers (`None`: all), or `Forbidden`.
pub async fn scope_sellers(db: &impl ConnectionTrait, user: &CurrentUser, scope: Scope) -> AppResult<Option<Vec<i64>>> {
    match scope {
        Scope::Mine => own_sellers(db, user).await.map(Some),
        Scope::All if user.role.is_manager() => Ok(None),
        Scope::All => Err(AppError::Forbidden),
    }
}

/// A filter naming a seller outside the scope is refused, not silently emptied.
pub fn check_filter(allowed: &Option<Vec<i64>>, filter: &Filter) -> AppResult<()> {
    match (allowed, filter.seller) {
        (Some(ids), Some(seller)) if !ids.contains(&seller.0) => Err(AppError::Forbidden),
        _ => Ok(()),
    }
}

/// At most this many tags can be filtered on (one bit each in a cell's tag set).
pub const MAX_TAGS: usize = 63;

/// `SUM(CASE tag_id WHEN 4 THEN 1 WHEN 9 THEN 2 … END)`: a contact's tags as a bit set.
pub(crate) fn tag_mask_sql(tags: &[TagDim]) -> String {
    if tags.is_empty() {
        return "0".to_string();
    }
    let whens: String = tags.iter().map(|t| format!(" WHEN {} THEN {}", t.id, 1i64 << t.bit)).collect();
    format!("SUM(CASE tag_id{whens} ELSE 0 END)")
}

/// The month a sale counts in, as SQL (see [`report_month`]).
pub(crate) fn month_sql(backend: DbBackend) -> String {
    let date = "CASE WHEN s.stage IN ('won','lost') THEN COALESCE(s.closed_date, s.sale_date) ELSE COALESCE(s.expected_close, s.sale_date) END";
    match backend {
        DbBackend::Postgres => format!("CAST(EXTRACT(YEAR FROM {date}) * 12 + EXTRACT(MONTH FROM {date}) - 1 AS BIGINT)"),
        _ => format!("(CAST(substr({date}, 1, 4) AS INTEGER) * 12 + CAST(substr({date}, 6, 2) AS INTEGER) - 1)"),
    }
}

pub(crate) fn seller_clause(allowed: &Option<Vec<i64>>) -> String {
    match allowed {
        None => String::new(),
        Some(ids) if ids.is_empty() => " WHERE 1 = 0".to_string(),
        Some(ids) => format!(" WHERE s.seller_id IN ({})", ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")),
    }
}

/// The dimension tables besides the cells.
pub(crate) struct Dimensions {
    pub sellers: Vec<SellerDim>,
    pub categories: Vec<CategoryDim>,
    pub products: Vec<ProductDim>,
    pub tags: Vec<TagDim>,
    pub reasons: Vec<ReasonDim>,
}

/// The dimension tables: sellers (those in scope), the category tree, products, tags, lost reasons.
pub(crate) async fn dimensions(db: &impl ConnectionTrait, allowed: &Option<Vec<i64>>) -> AppResult<Dimensions> {
    let mut seller_query = sellers::Entity::find().order_by_asc(sellers::Column::Name);
    if let Some(ids) = allowed {
        seller_query = seller_query.filter(sellers::Column::Id.is_in(ids.clone()));
    }
    let sellers = seller_query.all(db).await?.into_iter().map(|s| SellerDim { id: SellerId(s.id), name: s.name }).collect();
    let categories = categories::Entity::find()
        .order_by_asc(categories::Column::Position)
        .order_by_asc(categories::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|c| CategoryDim { id: CategoryId(c.id), parent: c.parent_id.map(CategoryId), name: c.name })
        .collect();
    let products = products::Entity::find()
        .order_by_asc(products::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|p| ProductDim { id: ProductId(p.id), code: p.code, name: p.name, category: p.category_id.map(CategoryId) })
        .collect();
    let tags = tags::Entity::find()
        .order_by_asc(tags::Column::Id)
        .limit(MAX_TAGS as u64)
        .all(db)
        .await?
        .into_iter()
        .enumerate()
        .map(|(bit, t)| TagDim { id: TagId(t.id), name: t.name, bit: bit as u8 })
        .collect();
    let reasons = lost_reasons::Entity::find()
        .order_by_asc(lost_reasons::Column::Position)
        .order_by_asc(lost_reasons::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|r| ReasonDim { id: LostReasonId(r.id), name: r.name })
        .collect();
    Ok(Dimensions { sellers, categories, products, tags, reasons })
}

/// The GROUP BY behind the data set, for the sellers given (`None`: all).
pub fn cells_sql(backend: DbBackend, tags: &[TagDim], allowed: &Option<Vec<i64>>) -> String {
    cells_sql_where(backend, tags, allowed, None)
}

/// The same GROUP BY narrowed to what one filter can reach: its seller, its months and the same
/// months a year earlier (what the download needs; the page gets every month). A filter without a
/// tag does not need the contacts' tags: their join is left out and every cell's tag set is empty.
fn cells_sql_where(backend: DbBackend, tags: &[TagDim], allowed: &Option<Vec<i64>>, filter: Option<(&Filter, NaiveDate)>) -> String {
    let month = month_sql(backend);
    let with_tags = filter.is_none_or(|(f, _)| f.tag.is_some());
    let (mask, join) = if with_tags {
        (
            "COALESCE(cm.mask, 0)",
            format!(
                " LEFT JOIN (SELECT contact_id, {} AS mask FROM contact_tags GROUP BY contact_id) cm ON cm.contact_id = s.contact_id",
                tag_mask_sql(tags)
            ),
        )
    } else {
        ("0", String::new())
    };
    // (A bare 0 in GROUP BY would name a column by position.)
    let group_mask = if with_tags { format!(", {mask}") } else { String::new() };
    let mut sellers = seller_clause(allowed);
    if let Some((filter, today)) = filter {
        let (from, to) = filter.period.months(today);
        let glue = if sellers.is_empty() { " WHERE" } else { " AND" };
        sellers.push_str(&format!("{glue} {month} BETWEEN {} AND {}", from.0 - 12, to.0));
        if let Some(seller) = filter.seller {
            sellers.push_str(&format!(" AND s.seller_id = {seller}"));
        }
    }
    format!(
        "SELECT {month} AS ym, s.seller_id AS seller, s.product_id AS product, s.stage AS stage, \
         CAST({mask} AS BIGINT) AS tags, CAST(COUNT(*) AS BIGINT) AS n, \
         CAST(SUM(s.net_cents) AS BIGINT) AS net, CAST(SUM(s.net_cents * s.probability) AS BIGINT) AS weighted, \
         s.lost_reason_id AS reason \
         FROM sales s{join}{sellers} \
         GROUP BY {month}, s.seller_id, s.product_id, s.stage, s.lost_reason_id{group_mask}"
    )
}

/// The report data set of a scope: what the page folds in the browser.
pub async fn report_data(db: &DatabaseConnection, user: &CurrentUser, scope: Scope) -> AppResult<ReportData> {
    let allowed = scope_sellers(db, user, scope).await?;
    data_for(db, scope, &allowed, None).await
}

pub(crate) async fn data_for(db: &impl ConnectionTrait, scope: Scope, allowed: &Option<Vec<i64>>, filter: Option<&Filter>) -> AppResult<ReportData> {
    let today = chrono::Local::now().date_naive();
    let Dimensions { sellers, categories, products, tags, reasons } = dimensions(db, allowed).await?;
    let backend = db.get_database_backend();
    let sql = cells_sql_where(backend, &tags, allowed, filter.map(|f| (f, today)));
    let rows = db.query_all_raw(Statement::from_string(backend, sql)).await?;
    let mut cells = Vec::with_capacity(rows.len());
    for row in rows {
        // A stage the code does not know is an error (logged, and the page says so), not a skip.
        let stage: Stage = row.try_get("", "stage")?;
        cells.push(Cell {
            month: Month(row.try_get::<i64>("", "ym")? as i32),
            seller: SellerId(row.try_get("", "seller")?),
            product: ProductId(row.try_get("", "product")?),
            stage,
            tags: row.try_get::<i64>("", "tags")? as u64,
            count: row.try_get::<i64>("", "n")? as u64,
            net: Money(row.try_get("", "net")?),
            weighted: row.try_get("", "weighted")?,
            reason: row.try_get::<Option<i64>>("", "reason")?.map(LostReasonId),
        });
    }
    let currency = crm_settings::Entity::find().one(db).await?.map(|s| s.currency).unwrap_or_else(|| "EUR".to_string());
    Ok(ReportData { scope, today, currency, sellers, categories, products, tags, reasons, cells })
}
