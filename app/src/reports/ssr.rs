//! Server side of the reports: who sees which sellers, the aggregated data set (one GROUP BY), and
//! the Excel download (in `export`).

pub mod export;
pub mod snapshots;

use crate::auth::CurrentUser;
use crate::auth::scope::{SellerScope, own_sellers};
use crate::catalog::{CategoryId, ProductId};
use crate::config::TagId;
use crate::config::lost_reasons::LostReasonId;
use crate::db::entities::{categories, crm_settings, lost_reasons, products, sellers, tags};
use crate::error::{AppError, AppResult};
use crate::figures::cells::month_sql;
use crate::figures::*;
use crate::money::Money;
use crate::sellers::SellerId;
use chrono::NaiveDate;
use sea_orm::*;
use std::collections::HashMap;

/// The sellers a report of this scope covers, or `Forbidden`: *My sales* is the user's own
/// seller and teams whatever his role; the team reports are the managers'.
pub async fn scope_sellers(db: &impl ConnectionTrait, user: &CurrentUser, scope: Scope) -> AppResult<SellerScope> {
    match scope {
        Scope::Mine => Ok(SellerScope::Only(own_sellers(db, user).await?)),
        Scope::All if user.role.is_manager() => Ok(SellerScope::All),
        Scope::All => Err(AppError::Forbidden),
    }
}

/// A filter naming a seller outside the scope is refused, not silently emptied.
pub fn check_filter(allowed: &SellerScope, filter: &Filter) -> AppResult<()> {
    match filter.seller {
        Some(seller) if !allowed.allows(seller.0) => Err(AppError::Forbidden),
        _ => Ok(()),
    }
}

/// At most this many tags can be filtered on (one bit each in a cell's tag set).
pub const MAX_TAGS: usize = 63;

/// The dimension tables besides the cells.
pub(crate) struct Dimensions {
    pub sellers: Vec<SellerDim>,
    pub categories: Vec<CategoryDim>,
    pub products: Vec<ProductDim>,
    pub tags: Vec<TagDim>,
    pub reasons: Vec<ReasonDim>,
}

/// The dimension tables: sellers (those in scope), the category tree, products, tags, lost reasons.
pub(crate) async fn dimensions(db: &impl ConnectionTrait, allowed: &SellerScope) -> AppResult<Dimensions> {
    let seller_query = allowed.filter_on(sellers::Entity::find().order_by_asc(sellers::Column::Name), sellers::Column::Id);
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

/// The report data set of a scope: what the page folds in the browser.
pub async fn report_data(db: &DatabaseConnection, user: &CurrentUser, scope: Scope) -> AppResult<ReportData> {
    let allowed = scope_sellers(db, user, scope).await?;
    data_for(db, scope, &allowed, None).await
}

pub(crate) async fn data_for(db: &impl ConnectionTrait, scope: Scope, allowed: &SellerScope, filter: Option<&Filter>) -> AppResult<ReportData> {
    let today = chrono::Local::now().date_naive();
    let Dimensions { sellers, categories, products, tags, reasons } = dimensions(db, allowed).await?;
    let cells = read_cells(db, &tags, allowed, filter.map(|f| Narrowing::of(f, today))).await?;
    let currency = crm_settings::Entity::find().one(db).await?.map(|s| s.currency).unwrap_or_else(|| "EUR".to_string());
    let targets = crate::targets::ssr::for_sellers(db, allowed).await?;
    let offers = crate::offers::ssr::cells(db, allowed).await?;
    Ok(ReportData { scope, today, currency, sellers, categories, products, tags, reasons, cells, targets, offers })
}

/// The cells one filter can reach: its months and the same months a year earlier (the
/// comparison), its seller.
struct Narrowing {
    from: Month,
    to: Month,
    seller: Option<SellerId>,
}

impl Narrowing {
    fn of(filter: &Filter, today: NaiveDate) -> Narrowing {
        let (from, to) = filter.period.months(today);
        Narrowing { from: from.plus(-12), to, seller: filter.seller }
    }
}

/// The maintained cells (see [`crate::figures::cells`]) of the sellers in scope, narrowed to what one
/// filter can reach when given: its months and the same months a year earlier, its seller (what
/// the download needs; the page gets every month). A contact's tag ids become the bit set of the
/// tags the data set names; cells that then look alike (tags beyond the first 63) are summed.
async fn read_cells(db: &impl ConnectionTrait, tags: &[TagDim], allowed: &SellerScope, narrow: Option<Narrowing>) -> AppResult<Vec<Cell>> {
    let mut sql = "SELECT month, seller_id, product_id, stage, reason_id, tag_key, n, net, weighted FROM report_cells WHERE n <> 0".to_owned();
    sql.push_str(&allowed.sql("seller_id"));
    if let Some(Narrowing { from, to, seller }) = narrow {
        sql.push_str(&format!(" AND month BETWEEN {} AND {}", from.0, to.0));
        if let Some(seller) = seller {
            sql.push_str(&format!(" AND seller_id = {seller}"));
        }
    }
    let bits: HashMap<i64, u64> = tags.iter().map(|t| (t.id.0, 1u64 << t.bit)).collect();
    let mut masks: HashMap<String, u64> = HashMap::new();
    let mut cells: Vec<Cell> = Vec::new();
    let mut at: HashMap<(Month, i64, i64, Stage, i64, u64), usize> = HashMap::new();
    for row in db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await? {
        let key: String = row.try_get("", "tag_key")?;
        let mask = *masks
            .entry(key)
            .or_insert_with_key(|key| key.split(',').filter_map(|id| id.parse().ok()).filter_map(|id| bits.get(&id)).fold(0, |m, b| m | b));
        // A stage the code does not know is an error (logged, and the page says so), not a skip.
        let stage: Stage = row.try_get("", "stage")?;
        let reason: i64 = row.try_get("", "reason_id")?;
        let cell = Cell {
            month: Month(row.try_get::<i32>("", "month")?),
            seller: SellerId(row.try_get("", "seller_id")?),
            product: ProductId(row.try_get("", "product_id")?),
            stage,
            tags: mask,
            count: row.try_get::<i64>("", "n")? as u64,
            net: Money(row.try_get("", "net")?),
            weighted: row.try_get("", "weighted")?,
            reason: (reason != 0).then_some(LostReasonId(reason)),
        };
        match at.entry((cell.month, cell.seller.0, cell.product.0, stage, reason, mask)) {
            std::collections::hash_map::Entry::Occupied(place) => {
                let same = &mut cells[*place.get()];
                same.count += cell.count;
                same.net = Money(same.net.0 + cell.net.0);
                same.weighted += cell.weighted;
            }
            std::collections::hash_map::Entry::Vacant(place) => {
                place.insert(cells.len());
                cells.push(cell);
            }
        }
    }
    Ok(cells)
}
