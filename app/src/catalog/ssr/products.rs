//! The product catalogue: search and category filter, create, edit, deactivate. Codes are unique,
//! prices are exact (at most two decimals, never negative), VAT rates come from `VAT_RATES`.

use super::categories::{parse_category_ref, subtree};
use crate::auth::CurrentUser;
use crate::auth::ssr::require_manager;
use crate::catalog::{CategoryId, ProductFilter, ProductForm, ProductId, ProductRow, VAT_RATES};
use crate::db::entities::{categories, products};
use crate::db::versioned;
use crate::error::{AppError, AppResult, Field, Problem};
use crate::form::required_text;
use crate::money::{Money, MoneyParseError, Percent};
use chrono::Utc;
use sea_orm::sea_query::{Expr, Func, LikeExpr};
use sea_orm::*;

const MAX_CODE: usize = 32;
const MAX_PRODUCT_NAME: usize = 200;
const MAX_DESCRIPTION: usize = 2000;
const MAX_UNIT: usize = 16;
/// The longest product search (longer than any code or name worth typing).
const MAX_SEARCH: usize = 100;
/// The list answers at most this many rows; the search narrows it.
pub const PRODUCT_LIST_LIMIT: u64 = 500;

/// A product form that passed every check.
struct ValidProduct {
    code: String,
    name: String,
    description: Option<String>,
    category: Option<CategoryId>,
    unit: String,
    list_price: Money,
    vat_rate: Percent,
}

pub fn parse_list_price(text: &str) -> AppResult<Money> {
    let price = Money::parse(text).map_err(|err| {
        let problem = match err {
            MoneyParseError::Empty => Problem::Required,
            MoneyParseError::TooManyDecimals { .. } => Problem::TooManyDecimals,
            MoneyParseError::Invalid | MoneyParseError::OutOfRange => Problem::Invalid,
        };
        AppError::invalid(Field::ListPrice, problem)
    })?;
    if price < Money::ZERO {
        return Err(AppError::invalid(Field::ListPrice, Problem::Negative));
    }
    if price > crate::money::bounds::MAX_UNIT_PRICE {
        return Err(AppError::invalid(Field::ListPrice, Problem::TooLarge));
    }
    Ok(price)
}

pub fn parse_vat_rate(text: &str) -> AppResult<Percent> {
    if text.trim().is_empty() {
        return Err(AppError::invalid(Field::VatRate, Problem::Required));
    }
    Percent::parse(text).ok().filter(|rate| VAT_RATES.contains(rate)).ok_or(AppError::invalid(Field::VatRate, Problem::Invalid))
}

/// Checks the fields in the order the form shows them, so the first error is the topmost field.
async fn validate(db: &impl ConnectionTrait, form: &ProductForm, except: Option<ProductId>) -> AppResult<ValidProduct> {
    let code = required_text(Field::Code, &form.code, MAX_CODE)?;
    let name = required_text(Field::Name, &form.name, MAX_PRODUCT_NAME)?;
    let description = form.description.trim();
    if description.chars().count() > MAX_DESCRIPTION {
        return Err(AppError::invalid(Field::Description, Problem::TooLong));
    }
    let category = parse_category_ref(Field::Category, Some(&form.category))?;
    if let Some(category) = category {
        categories::Entity::find_by_id(category.0).one(db).await?.ok_or(AppError::invalid(Field::Category, Problem::Invalid))?;
    }
    let unit = required_text(Field::Unit, &form.unit, MAX_UNIT)?;
    let list_price = parse_list_price(&form.list_price)?;
    let vat_rate = parse_vat_rate(&form.vat_rate)?;
    let mut same_code = products::Entity::find().filter(Expr::expr(Func::lower(Expr::col(products::Column::Code))).eq(code.to_lowercase()));
    if let Some(id) = except {
        same_code = same_code.filter(products::Column::Id.ne(id.0));
    }
    if same_code.one(db).await?.is_some() {
        return Err(AppError::invalid(Field::Code, Problem::Taken));
    }
    Ok(ValidProduct { code, name, description: Some(description.to_string()).filter(|d| !d.is_empty()), category, unit, list_price, vat_rate })
}

fn to_row(model: products::Model, category: Option<categories::Model>) -> ProductRow {
    ProductRow {
        id: ProductId(model.id),
        category: model.category_id.map(CategoryId),
        category_name: category.map(|c| c.name),
        list_price: Money::from_cents(model.list_price_cents),
        vat_rate: Percent::from_bp(model.vat_rate_bp),
        code: model.code,
        name: model.name,
        description: model.description,
        unit: model.unit,
        active: model.active,
        version: model.version,
    }
}

async fn row(db: &impl ConnectionTrait, id: ProductId) -> AppResult<ProductRow> {
    let (model, category) = products::Entity::find_by_id(id.0).find_also_related(categories::Entity).one(db).await?.ok_or(AppError::NotFound)?;
    Ok(to_row(model, category))
}

async fn find(db: &impl ConnectionTrait, filter: &ProductFilter, only_active: bool) -> AppResult<Vec<ProductRow>> {
    let mut query = products::Entity::find().find_also_related(categories::Entity);
    let search = filter.search.trim().to_lowercase();
    if search.chars().count() > MAX_SEARCH {
        return Err(AppError::invalid(Field::Name, Problem::TooLong));
    }
    if !search.is_empty() {
        let pattern = format!("%{}%", search.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        let like =
            |col: products::Column| Expr::expr(Func::lower(Expr::col((products::Entity, col)))).like(LikeExpr::new(pattern.clone()).escape('\\'));
        query = query.filter(Condition::any().add(like(products::Column::Code)).add(like(products::Column::Name)));
    }
    if let Some(category) = filter.category {
        let all = categories::Entity::find().all(db).await?;
        query = query.filter(products::Column::CategoryId.is_in(subtree(&all, category.0)));
    }
    if only_active {
        query = query.filter(products::Column::Active.eq(true));
    }
    let rows = query.order_by_asc(products::Column::Code).limit(PRODUCT_LIST_LIMIT).all(db).await?;
    Ok(rows.into_iter().map(|(m, c)| to_row(m, c)).collect())
}

/// The catalogue as the configuration shows it: active and inactive products.
pub async fn list_products(db: &DatabaseConnection, _actor: &CurrentUser, filter: &ProductFilter) -> AppResult<Vec<ProductRow>> {
    find(db, filter, false).await
}

/// What a new sale may offer: active products only (old sales keep their inactive ones).
pub async fn products_for_sale(db: &impl ConnectionTrait, filter: &ProductFilter) -> AppResult<Vec<ProductRow>> {
    find(db, filter, true).await
}

fn code_taken(err: DbErr) -> AppError {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => AppError::invalid(Field::Code, Problem::Taken),
        _ => err.into(),
    }
}

pub async fn create_product(db: &impl ConnectionTrait, actor: &CurrentUser, form: &ProductForm) -> AppResult<ProductRow> {
    require_manager(actor)?;
    let valid = validate(db, form, None).await?;
    let now = Utc::now();
    let model = products::ActiveModel {
        code: Set(valid.code),
        name: Set(valid.name),
        description: Set(valid.description),
        category_id: Set(valid.category.map(|c| c.0)),
        unit: Set(valid.unit),
        list_price_cents: Set(valid.list_price.cents()),
        vat_rate_bp: Set(valid.vat_rate.bp()),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(code_taken)?;
    row(db, ProductId(model.id)).await
}

async fn update_versioned(db: &impl ConnectionTrait, id: ProductId, version: i32, changes: Vec<(products::Column, Expr)>) -> AppResult<()> {
    versioned::update::<products::Entity>(db, id.0, version, changes, code_taken).await
}

pub async fn update_product(
    db: &impl ConnectionTrait,
    actor: &CurrentUser,
    id: ProductId,
    version: i32,
    form: &ProductForm,
) -> AppResult<ProductRow> {
    require_manager(actor)?;
    products::Entity::find_by_id(id.0).one(db).await?.ok_or(AppError::NotFound)?;
    let valid = validate(db, form, Some(id)).await?;
    update_versioned(
        db,
        id,
        version,
        vec![
            (products::Column::Code, Expr::value(valid.code)),
            (products::Column::Name, Expr::value(valid.name)),
            (products::Column::Description, Expr::value(valid.description)),
            (products::Column::CategoryId, Expr::value(valid.category.map(|c| c.0))),
            (products::Column::Unit, Expr::value(valid.unit)),
            (products::Column::ListPriceCents, Expr::value(valid.list_price.cents())),
            (products::Column::VatRateBp, Expr::value(valid.vat_rate.bp())),
        ],
    )
    .await?;
    row(db, id).await
}

/// An inactive product stays on its old sales but is not offered for new ones.
pub async fn set_product_active(db: &DatabaseConnection, actor: &CurrentUser, id: ProductId, version: i32, active: bool) -> AppResult<ProductRow> {
    require_manager(actor)?;
    update_versioned(db, id, version, vec![(products::Column::Active, Expr::value(active))]).await?;
    row(db, id).await
}
