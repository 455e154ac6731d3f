//! Sellers (*venditori*): a user seller (one user, once) or a generic seller (a team, an office)
//! with optional member users. Names are unique; a seller with sales is deactivated, not deleted.

use crate::auth::ssr::require_manager;
use crate::auth::{CurrentUser, UserId};
use crate::db::entities::{sales, seller_members, sellers, users};
use crate::db::lock_table;
use crate::db::versioned;
use crate::error::{AppError, AppResult, Field, Problem};
use crate::form::required_text;
use crate::sellers::{NewSeller, SellerCandidate, SellerId, SellerKind, SellerRow, UserRef};
use chrono::Utc;
use sea_orm::sea_query::{Expr, Func};
use sea_orm::*;
use std::collections::{BTreeSet, HashMap};

const MAX_SELLER_NAME: usize = 100;

fn user_ref(model: &users::Model) -> UserRef {
    UserRef { id: UserId(model.id), login: model.login.clone(), display_name: model.display_name.clone() }
}

/// Reads what the server function received: `kind`, an optional name, an optional user id and
/// the member ids.
pub fn parse_new_seller(kind: &str, name: String, user: Option<&str>, members: Vec<i64>) -> AppResult<NewSeller> {
    let kind = SellerKind::from_code(kind).ok_or(AppError::BadRequest("seller kind".into()))?;
    let user = match user.map(str::trim).filter(|u| !u.is_empty()) {
        Some(text) => Some(UserId(text.parse().map_err(|_| AppError::invalid(Field::SellerUser, Problem::Invalid))?)),
        None => None,
    };
    Ok(NewSeller { kind, name, user, members: members.into_iter().map(UserId).collect() })
}

/// All sellers, active first, with their users, members and how many sales they carry. A member
/// gets names only: no login names, and sale counts only of his own sellers.
pub async fn list_sellers(db: &DatabaseConnection, actor: &CurrentUser) -> AppResult<Vec<SellerRow>> {
    let models = sellers::Entity::find().order_by_desc(sellers::Column::Active).order_by_asc(sellers::Column::Name).all(db).await?;
    let mut rows = rows(db, models).await?;
    if !actor.role.is_manager() {
        let own = crate::auth::scope::own_sellers(db, actor).await?;
        for row in &mut rows {
            row.user.iter_mut().chain(row.members.iter_mut()).for_each(|u| u.login.clear());
            if !own.contains(&row.id.0) {
                row.sales = 0;
            }
        }
    }
    Ok(rows)
}

async fn rows(db: &impl ConnectionTrait, models: Vec<sellers::Model>) -> AppResult<Vec<SellerRow>> {
    let ids: Vec<i64> = models.iter().map(|m| m.id).collect();
    let users: HashMap<i64, users::Model> = users::Entity::find().all(db).await?.into_iter().map(|u| (u.id, u)).collect();
    let mut members: HashMap<i64, Vec<UserRef>> = HashMap::new();
    for link in seller_members::Entity::find().filter(seller_members::Column::SellerId.is_in(ids.clone())).all(db).await? {
        if let Some(user) = users.get(&link.user_id) {
            members.entry(link.seller_id).or_default().push(user_ref(user));
        }
    }
    let sales: HashMap<i64, i64> = sales::Entity::find()
        .select_only()
        .column(sales::Column::SellerId)
        .column_as(Expr::col(sales::Column::Id).count(), "n")
        .filter(sales::Column::SellerId.is_in(ids))
        .group_by(sales::Column::SellerId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(models
        .into_iter()
        .map(|m| {
            let mut members = members.remove(&m.id).unwrap_or_default();
            members.sort_by(|a, b| a.display_name.cmp(&b.display_name));
            SellerRow {
                id: SellerId(m.id),
                kind: m.kind,
                user: m.user_id.and_then(|id| users.get(&id)).map(user_ref),
                members,
                active: m.active,
                sales: sales.get(&m.id).copied().unwrap_or(0) as u64,
                version: m.version,
                name: m.name,
            }
        })
        .collect())
}

async fn row(db: &impl ConnectionTrait, id: SellerId) -> AppResult<SellerRow> {
    let model = sellers::Entity::find_by_id(id.0).one(db).await?.ok_or(AppError::NotFound)?;
    Ok(rows(db, vec![model]).await?.remove(0))
}

/// The active users the seller forms offer, marking those who already are a user seller.
pub async fn seller_candidates(db: &DatabaseConnection, actor: &CurrentUser) -> AppResult<Vec<SellerCandidate>> {
    require_manager(actor)?;
    let taken: BTreeSet<i64> = sellers::Entity::find().all(db).await?.into_iter().filter_map(|s| s.user_id).collect();
    let users = users::Entity::find().filter(users::Column::Active.eq(true)).order_by_asc(users::Column::DisplayName).all(db).await?;
    Ok(users.iter().map(|u| SellerCandidate { user: user_ref(u), is_seller: taken.contains(&u.id) }).collect())
}

/// Names are unique without regard to case ("Team Nord" and "team nord" are one name).
async fn check_name_free(db: &impl ConnectionTrait, name: &str, except: Option<SellerId>) -> AppResult<()> {
    let mut query = sellers::Entity::find().filter(Expr::expr(Func::lower(Expr::col(sellers::Column::Name))).eq(name.to_lowercase()));
    if let Some(id) = except {
        query = query.filter(sellers::Column::Id.ne(id.0));
    }
    if query.one(db).await?.is_some() {
        return Err(AppError::invalid(Field::Name, Problem::Taken));
    }
    Ok(())
}

/// Every member must be an existing user; duplicates collapse.
async fn check_members(db: &impl ConnectionTrait, members: &[UserId]) -> AppResult<Vec<i64>> {
    let ids: BTreeSet<i64> = members.iter().map(|m| m.0).collect();
    let found = users::Entity::find().filter(users::Column::Id.is_in(ids.clone())).count(db).await?;
    if found != ids.len() as u64 {
        return Err(AppError::invalid(Field::Members, Problem::Invalid));
    }
    Ok(ids.into_iter().collect())
}

async fn insert_members(db: &impl ConnectionTrait, seller: i64, members: &[i64]) -> AppResult<()> {
    if members.is_empty() {
        return Ok(());
    }
    seller_members::Entity::insert_many(members.iter().map(|user| seller_members::ActiveModel { seller_id: Set(seller), user_id: Set(*user) }))
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn create_seller(db: &DatabaseConnection, actor: &CurrentUser, new: NewSeller) -> AppResult<SellerRow> {
    require_manager(actor)?;
    let (name, user_id, members) = match new.kind {
        SellerKind::User => {
            let user_id = new.user.ok_or(AppError::invalid(Field::SellerUser, Problem::Required))?;
            let user = users::Entity::find_by_id(user_id.0)
                .one(db)
                .await?
                .filter(|u| u.active)
                .ok_or(AppError::invalid(Field::SellerUser, Problem::Invalid))?;
            if sellers::Entity::find().filter(sellers::Column::UserId.eq(user.id)).one(db).await?.is_some() {
                return Err(AppError::invalid(Field::SellerUser, Problem::Taken));
            }
            let name = if new.name.trim().is_empty() { user.display_name.clone() } else { new.name.clone() };
            (required_text(Field::Name, &name, MAX_SELLER_NAME)?, Some(user.id), Vec::new())
        }
        SellerKind::Generic => {
            let name = required_text(Field::Name, &new.name, MAX_SELLER_NAME)?;
            (name, None, check_members(db, &new.members).await?)
        }
    };
    check_name_free(db, &name, None).await?;
    let now = Utc::now();
    let kind = new.kind;
    let id = crate::db::transaction(db, |txn| {
        Box::pin(async move {
            let model = sellers::ActiveModel {
                kind: Set(kind),
                name: Set(name),
                user_id: Set(user_id),
                active: Set(true),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            }
            .insert(txn)
            .await
            .map_err(unique_violation)?;
            insert_members(txn, model.id, &members).await?;
            Ok(model.id)
        })
    })
    .await?;
    row(db, SellerId(id)).await
}

/// Two managers racing for one name or one user: the unique index decides, the loser reads why.
fn unique_violation(err: DbErr) -> AppError {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(detail)) if detail.contains("user_id") => AppError::invalid(Field::SellerUser, Problem::Taken),
        Some(SqlErr::UniqueConstraintViolation(_)) => AppError::invalid(Field::Name, Problem::Taken),
        _ => err.into(),
    }
}

async fn update_versioned(db: &impl ConnectionTrait, id: SellerId, version: i32, changes: Vec<(sellers::Column, Expr)>) -> AppResult<()> {
    versioned::update::<sellers::Entity>(db, id.0, version, changes, unique_violation).await
}

pub async fn rename_seller(db: &DatabaseConnection, actor: &CurrentUser, id: SellerId, version: i32, name: &str) -> AppResult<SellerRow> {
    require_manager(actor)?;
    let name = required_text(Field::Name, name, MAX_SELLER_NAME)?;
    check_name_free(db, &name, Some(id)).await?;
    update_versioned(db, id, version, vec![(sellers::Column::Name, Expr::value(name))]).await?;
    row(db, id).await
}

/// Replaces the members of a generic seller.
pub async fn set_seller_members(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: SellerId,
    version: i32,
    members: Vec<UserId>,
) -> AppResult<SellerRow> {
    require_manager(actor)?;
    let seller = sellers::Entity::find_by_id(id.0).one(db).await?.ok_or(AppError::NotFound)?;
    if seller.kind != SellerKind::Generic {
        return Err(AppError::invalid(Field::Members, Problem::Invalid));
    }
    let members = check_members(db, &members).await?;
    crate::db::transaction(db, |txn| {
        Box::pin(async move {
            update_versioned(txn, id, version, vec![]).await?;
            seller_members::Entity::delete_many().filter(seller_members::Column::SellerId.eq(id.0)).exec(txn).await?;
            insert_members(txn, id.0, &members).await
        })
    })
    .await?;
    row(db, id).await
}

/// An inactive seller keeps his sales but is not offered for new ones.
pub async fn set_seller_active(db: &DatabaseConnection, actor: &CurrentUser, id: SellerId, version: i32, active: bool) -> AppResult<SellerRow> {
    require_manager(actor)?;
    update_versioned(db, id, version, vec![(sellers::Column::Active, Expr::value(active))]).await?;
    row(db, id).await
}

/// Only a seller without sales goes away; one with sales is deactivated instead.
pub async fn delete_seller(db: &DatabaseConnection, actor: &CurrentUser, id: SellerId, version: i32) -> AppResult<()> {
    require_manager(actor)?;
    crate::db::transaction(db, |txn| {
        Box::pin(async move {
            lock_table(txn, "sellers").await?;
            let seller = sellers::Entity::find_by_id(id.0).one(txn).await?.ok_or(AppError::NotFound)?;
            if seller.version != version {
                return Err(AppError::Conflict);
            }
            if sales::Entity::find().filter(sales::Column::SellerId.eq(id.0)).count(txn).await? > 0 {
                return Err(AppError::SellerHasSales);
            }
            seller_members::Entity::delete_many().filter(seller_members::Column::SellerId.eq(id.0)).exec(txn).await?;
            // A sale recorded in the meantime: the foreign key keeps the seller.
            versioned::delete::<sellers::Entity>(txn, id.0, version, AppError::SellerHasSales).await
        })
    })
    .await?;
    Ok(())
}
