//! Server side of the targets: the grid, setting one cell, copying the year before, and the
//! targets and month figures attainment reads (for the sellers a user may see).

use super::*;
use crate::auth::CurrentUser;
use crate::auth::scope::{SellerScope, visible_sellers};
use crate::auth::ssr::require_manager;
use crate::db::entities::{categories, crm_settings, sellers, targets};
use crate::error::{AppError, Field, Problem};
use chrono::{Datelike, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::*;

/// The largest monthly target: € 10 000 000 000,00 (twelve months of every seller still sum far
/// below `i64::MAX` cents).
pub const MAX_TARGET: Money = Money(1_000_000_000_000);
/// The years the grid opens.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;
/// An uplift between −100 % and +1 000 %.
const UPLIFT_BP: std::ops::RangeInclusive<i32> = -10_000..=100_000;

pub(crate) fn check_year(year: i32) -> AppResult<()> {
    if YEARS.contains(&year) { Ok(()) } else { Err(AppError::invalid(Field::Month, Problem::OutOfRange)) }
}

/// `None` (the total) or a top-level category that exists.
async fn top_category(db: &impl ConnectionTrait, category: Option<CategoryId>) -> AppResult<i64> {
    let Some(id) = category else { return Ok(0) };
    match categories::Entity::find_by_id(id.0).one(db).await? {
        Some(c) if c.parent_id.is_none() => Ok(c.id),
        _ => Err(AppError::invalid(Field::Category, Problem::Invalid)),
    }
}

/// The sellers a user's grid shows: every active seller for managers, his own for a member.
async fn grid_sellers(db: &impl ConnectionTrait, scope: &SellerScope) -> AppResult<Vec<SellerDim>> {
    let query =
        scope.filter_on(sellers::Entity::find().filter(sellers::Column::Active.eq(true)).order_by_asc(sellers::Column::Name), sellers::Column::Id);
    Ok(query.all(db).await?.into_iter().map(|s| SellerDim { id: SellerId(s.id), name: s.name }).collect())
}

pub async fn grid(db: &DatabaseConnection, actor: &CurrentUser, year: i32, category: Option<CategoryId>) -> AppResult<TargetGrid> {
    check_year(year)?;
    let category_id = top_category(db, category).await?;
    let scope = visible_sellers(db, actor).await?;
    let sellers = grid_sellers(db, &scope).await?;
    let first = Month::new(year, 1);
    let rows = targets::Entity::find()
        .filter(targets::Column::Month.between(first.0, first.0 + 11))
        .filter(targets::Column::CategoryId.eq(category_id))
        .all(db)
        .await?;
    let at: HashMap<(i64, i32), Money> = rows.into_iter().map(|t| ((t.seller_id, t.month), Money(t.amount_cents))).collect();
    let amounts = sellers.iter().map(|s| (0..12).map(|m| at.get(&(s.id.0, first.0 + m)).copied()).collect()).collect();
    let categories = categories::Entity::find()
        .filter(categories::Column::ParentId.is_null())
        .order_by_asc(categories::Column::Position)
        .order_by_asc(categories::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|c| (CategoryId(c.id), c.name))
        .collect();
    let currency = crm_settings::Entity::find().one(db).await?.map(|s| s.currency).unwrap_or_else(|| "EUR".to_string());
    Ok(TargetGrid { year, category, categories, sellers, amounts, can_edit: actor.role.is_manager(), currency })
}

/// A target's amount: empty (none), or between zero and [`MAX_TARGET`].
pub fn parse_amount(text: &str) -> AppResult<Option<Money>> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let amount = Money::parse(text).map_err(|_| AppError::invalid(Field::Target, Problem::Invalid))?;
    if amount.0 < 0 {
        return Err(AppError::invalid(Field::Target, Problem::Negative));
    }
    if amount > MAX_TARGET {
        return Err(AppError::invalid(Field::Target, Problem::TooLarge));
    }
    Ok(Some(amount))
}

/// Sets (or, with an empty amount, removes) one target. Managers and admins.
pub async fn set(db: &DatabaseConnection, actor: &CurrentUser, form: &TargetForm) -> AppResult<Option<Money>> {
    require_manager(actor)?;
    let month = Month::parse(&form.month).ok_or(AppError::invalid(Field::Month, Problem::Invalid))?;
    check_year(month.year())?;
    let category = match form.category.trim() {
        "" => None,
        text => Some(CategoryId(text.parse().map_err(|_| AppError::invalid(Field::Category, Problem::Invalid))?)),
    };
    let amount = parse_amount(&form.amount)?;
    let seller: i64 = form.seller.trim().parse().map_err(|_| AppError::invalid(Field::Seller, Problem::Invalid))?;
    let actor = actor.clone();
    crate::db::transaction(db, |txn| {
        Box::pin(async move {
            let category = top_category(txn, category).await?;
            if sellers::Entity::find_by_id(seller).one(txn).await?.is_none() {
                return Err(AppError::invalid(Field::Seller, Problem::Invalid));
            }
            write(txn, &actor, &[(seller, month, category, amount)]).await
        })
    })
    .await?;
    Ok(amount)
}

/// Writes targets (`None`: removes it), each as a seller × month × category (0: the total).
pub(crate) async fn write(txn: &DatabaseTransaction, actor: &CurrentUser, rows: &[(i64, Month, i64, Option<Money>)]) -> AppResult<()> {
    let now = Utc::now();
    for chunk in rows.chunks(500) {
        let (set, removed): (Vec<_>, Vec<_>) = chunk.iter().partition(|(_, _, _, amount)| amount.is_some());
        for &(seller, month, category, _) in removed {
            targets::Entity::delete_many()
                .filter(targets::Column::SellerId.eq(seller))
                .filter(targets::Column::Month.eq(month.0))
                .filter(targets::Column::CategoryId.eq(category))
                .exec(txn)
                .await?;
        }
        if set.is_empty() {
            continue;
        }
        let models = set.into_iter().map(|&(seller, month, category, amount)| targets::ActiveModel {
            seller_id: Set(seller),
            month: Set(month.0),
            category_id: Set(category),
            amount_cents: Set(amount.unwrap_or_default().0),
            updated_by: Set(actor.id.0),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        });
        targets::Entity::insert_many(models)
            .on_conflict(
                OnConflict::columns([targets::Column::SellerId, targets::Column::Month, targets::Column::CategoryId])
                    .update_columns([targets::Column::AmountCents, targets::Column::UpdatedBy, targets::Column::UpdatedAt])
                    .value(targets::Column::Version, Expr::col((targets::Entity, targets::Column::Version)).add(1))
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

/// Copies the year before's targets of the total (or one category) into `year`, raised by the
/// uplift and rounded to the cent; months the year before left empty stay as they are.
pub async fn copy_previous_year(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    year: i32,
    category: Option<CategoryId>,
    uplift: &str,
) -> AppResult<TargetGrid> {
    require_manager(actor)?;
    check_year(year)?;
    check_year(year - 1)?;
    let uplift = match uplift.trim() {
        "" => Percent::ZERO,
        text => Percent::parse(text).map_err(|_| AppError::invalid(Field::Uplift, Problem::Invalid))?,
    };
    if !UPLIFT_BP.contains(&uplift.0) {
        return Err(AppError::invalid(Field::Uplift, Problem::OutOfRange));
    }
    let owner = actor.clone();
    crate::db::transaction(db, |txn| {
        Box::pin(async move {
            let category = top_category(txn, category).await?;
            let first = Month::new(year - 1, 1);
            let before = targets::Entity::find()
                .filter(targets::Column::Month.between(first.0, first.0 + 11))
                .filter(targets::Column::CategoryId.eq(category))
                .all(txn)
                .await?;
            let rows: Vec<(i64, Month, i64, Option<Money>)> = before
                .into_iter()
                .map(|t| {
                    let raised = div_round(t.amount_cents as i128 * (10_000 + uplift.0 as i128), 10_000);
                    (t.seller_id, Month(t.month + 12), category, Some(Money(raised.clamp(0, MAX_TARGET.0 as i128) as i64)))
                })
                .collect();
            write(txn, &owner, &rows).await
        })
    })
    .await?;
    grid(db, actor, year, category).await
}

/// The targets of the sellers in scope, every month.
pub async fn for_sellers(db: &impl ConnectionTrait, allowed: &SellerScope) -> AppResult<Vec<TargetCell>> {
    let query = allowed
        .filter_on(targets::Entity::find().order_by_asc(targets::Column::SellerId).order_by_asc(targets::Column::Month), targets::Column::SellerId);
    Ok(query
        .all(db)
        .await?
        .into_iter()
        .map(|t| TargetCell {
            seller: SellerId(t.seller_id),
            month: Month(t.month),
            category: (t.category_id != 0).then_some(CategoryId(t.category_id)),
            amount: Money(t.amount_cents),
        })
        .collect())
}

/// Won and weighted open revenue per seller and month of this year, read from the report cells.
pub async fn year_figures(db: &impl ConnectionTrait, allowed: &SellerScope, today: NaiveDate) -> AppResult<Vec<MonthFigures>> {
    let first = Month::new(today.year(), 1);
    let mut sql = format!(
        "SELECT seller_id, month, stage, CAST(SUM(net) AS BIGINT) AS net, CAST(SUM(weighted) AS BIGINT) AS weighted FROM report_cells \
         WHERE month BETWEEN {} AND {} AND stage <> 'lost'",
        first.0,
        first.0 + 11
    );
    sql.push_str(&allowed.sql("seller_id"));
    sql.push_str(" GROUP BY seller_id, month, stage");
    let mut sums: BTreeMap<(i64, i32), MonthFigures> = BTreeMap::new();
    for row in db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await? {
        let (seller, month): (i64, i32) = (row.try_get("", "seller_id")?, row.try_get("", "month")?);
        let stage: Stage = row.try_get("", "stage")?;
        let f = sums.entry((seller, month)).or_insert(MonthFigures { seller: SellerId(seller), month: Month(month), won: Money::ZERO, weighted: 0 });
        if stage == Stage::Won {
            f.won = Money(f.won.0.saturating_add(row.try_get("", "net")?));
        } else {
            f.weighted = f.weighted.saturating_add(row.try_get("", "weighted")?);
        }
    }
    Ok(sums.into_values().collect())
}

/// Attainment of the sellers in scope for today, named.
pub async fn attainment_of(db: &impl ConnectionTrait, allowed: &SellerScope, today: NaiveDate) -> AppResult<Vec<SellerAttainment>> {
    let query = allowed.filter_on(sellers::Entity::find().order_by_asc(sellers::Column::Name), sellers::Column::Id);
    let (sellers, targets, figures) =
        tokio::try_join!(async { AppResult::Ok(query.all(db).await?) }, for_sellers(db, allowed), year_figures(db, allowed, today))?;
    let sellers: Vec<SellerDim> = sellers.into_iter().map(|s| SellerDim { id: SellerId(s.id), name: s.name }).collect();
    Ok(attainment(&sellers, &targets, &figures, today))
}
