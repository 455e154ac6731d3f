//! The lost reasons' rules: anyone signed in reads them, managers and admins change them. Names are
//! unique in any case; at least one reason stays offered; a reason sales name is archived, never
//! deleted; the list holds at most [`MAX_REASONS`].

use crate::auth::CurrentUser;
use crate::auth::ssr::require_manager;
use crate::config::lost_reasons::{LostReason, LostReasonId, LostReasonRef, MAX_NAME, MAX_REASONS};
use crate::db::entities::{lost_reasons, sales};
use crate::db::lock_table;
use crate::error::{AppError, AppResult, Field, Problem};
use crate::form::required_text;
use sea_orm::sea_query::{Expr, Func};
use sea_orm::*;
use std::collections::HashMap;

/// Every reason in order, with the number of sales naming each among the sales `actor` may see
/// (a member counts his own sellers' only: the figure is about sales, so it keeps their rule).
pub async fn list(db: &impl ConnectionTrait, actor: &CurrentUser) -> AppResult<Vec<LostReason>> {
    let scope = crate::auth::scope::visible_sellers(db, actor).await?;
    let counts: HashMap<i64, i64> = scope
        .filter(sales::Entity::find())
        .select_only()
        .column(sales::Column::LostReasonId)
        .column_as(sales::Column::Id.count(), "n")
        .filter(sales::Column::LostReasonId.is_not_null())
        .group_by(sales::Column::LostReasonId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(ordered(db)
        .await?
        .into_iter()
        .map(|r| LostReason { id: LostReasonId(r.id), sales: counts.get(&r.id).copied().unwrap_or(0) as u64, name: r.name, active: r.active })
        .collect())
}

/// Every reason, archived too, in order.
pub async fn ordered(db: &impl ConnectionTrait) -> AppResult<Vec<lost_reasons::Model>> {
    Ok(lost_reasons::Entity::find().order_by_asc(lost_reasons::Column::Position).order_by_asc(lost_reasons::Column::Id).all(db).await?)
}

/// The reasons a lost sale may choose now, in order.
pub async fn offered(db: &impl ConnectionTrait) -> AppResult<Vec<LostReasonRef>> {
    Ok(ordered(db).await?.into_iter().filter(|r| r.active).map(|r| LostReasonRef { id: LostReasonId(r.id), name: r.name }).collect())
}

/// The reason a form names among `reasons` (all of them, [`ordered`]), by id (what the page sends)
/// or by name in any case (what a file or a script sends). An archived reason is accepted only as
/// the one the sale already has (`current`).
pub fn pick(reasons: &[lost_reasons::Model], text: &str, current: Option<i64>) -> AppResult<lost_reasons::Model> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::invalid(Field::LostReason, Problem::Required));
    }
    let found = match text.parse::<i64>() {
        Ok(id) => reasons.iter().find(|r| r.id == id),
        Err(_) => {
            let name = text.to_lowercase();
            reasons.iter().find(|r| r.name.to_lowercase() == name)
        }
    };
    found.filter(|r| r.active || current == Some(r.id)).cloned().ok_or(AppError::invalid(Field::LostReason, Problem::Invalid))
}

async fn by_name(db: &impl ConnectionTrait, name: &str) -> AppResult<Option<lost_reasons::Model>> {
    Ok(lost_reasons::Entity::find().filter(Expr::expr(Func::lower(Expr::col(lost_reasons::Column::Name))).eq(name.to_lowercase())).one(db).await?)
}

/// A valid new name: required, short, and no other reason's in any case.
async fn check_name(db: &impl ConnectionTrait, name: &str, except: Option<i64>) -> AppResult<String> {
    let name = required_text(Field::Name, name, MAX_NAME)?;
    if by_name(db, &name).await?.is_some_and(|other| Some(other.id) != except) {
        return Err(AppError::invalid(Field::Name, Problem::Taken));
    }
    Ok(name)
}

pub async fn add(db: &DatabaseConnection, actor: &CurrentUser, name: &str) -> AppResult<LostReason> {
    require_manager(actor)?;
    let name = name.to_string();
    crate::db::transaction(db, |txn| {
        Box::pin(async move {
            lock_table(txn, "lost_reasons").await?;
            let name = check_name(txn, &name, None).await?;
            let all = ordered(txn).await?;
            if all.len() as u64 >= MAX_REASONS {
                return Err(AppError::invalid(Field::Name, Problem::TooMany));
            }
            let position = all.iter().map(|r| r.position).max().unwrap_or(0) + 1;
            let model =
                lost_reasons::ActiveModel { name: Set(name), position: Set(position), active: Set(true), ..Default::default() }.insert(txn).await?;
            Ok(LostReason { id: LostReasonId(model.id), name: model.name, active: true, sales: 0 })
        })
    })
    .await
}

async fn find(db: &impl ConnectionTrait, id: LostReasonId) -> AppResult<lost_reasons::Model> {
    lost_reasons::Entity::find_by_id(id.0).one(db).await?.ok_or(AppError::NotFound)
}

/// A new name; the sales naming the reason show it (their history keeps the name they had).
pub async fn rename(db: &DatabaseConnection, actor: &CurrentUser, id: LostReasonId, name: &str) -> AppResult<()> {
    require_manager(actor)?;
    let name = name.to_string();
    crate::db::transaction(db, |txn| {
        Box::pin(async move {
            lock_table(txn, "lost_reasons").await?;
            find(txn, id).await?;
            let name = check_name(txn, &name, Some(id.0)).await?;
            lost_reasons::Entity::update_many()
                .col_expr(lost_reasons::Column::Name, Expr::value(name))
                .filter(lost_reasons::Column::Id.eq(id.0))
                .exec(txn)
                .await?;
            Ok(())
        })
    })
    .await
}

/// Archives (no longer offered) or restores a reason. The last one offered stays.
pub async fn set_active(db: &DatabaseConnection, actor: &CurrentUser, id: LostReasonId, active: bool) -> AppResult<()> {
    require_manager(actor)?;
    crate::db::transaction(db, |txn| {
        Box::pin(async move {
            lock_table(txn, "lost_reasons").await?;
            let reason = find(txn, id).await?;
            if !active && reason.active && offered(txn).await?.len() <= 1 {
                return Err(AppError::LastLostReason);
            }
            lost_reasons::Entity::update_many()
                .col_expr(lost_reasons::Column::Active, Expr::value(active))
                .filter(lost_reasons::Column::Id.eq(id.0))
                .exec(txn)
                .await?;
            Ok(())
        })
    })
    .await
}

/// One place earlier in the order (the first stays first).
pub async fn move_up(db: &DatabaseConnection, actor: &CurrentUser, id: LostReasonId) -> AppResult<()> {
    require_manager(actor)?;
    crate::db::transaction(db, |txn| {
        Box::pin(async move {
            lock_table(txn, "lost_reasons").await?;
            let mut all = ordered(txn).await?;
            let index = all.iter().position(|r| r.id == id.0).ok_or(AppError::NotFound)?;
            if index > 0 {
                all.swap(index, index - 1);
            }
            for (position, reason) in all.iter().enumerate() {
                let position = position as i32 + 1;
                if reason.position != position {
                    lost_reasons::Entity::update_many()
                        .col_expr(lost_reasons::Column::Position, Expr::value(position))
                        .filter(lost_reasons::Column::Id.eq(reason.id))
                        .exec(txn)
                        .await?;
                }
            }
            Ok(())
        })
    })
    .await
}

/// Deletes a reason no sale names; one in use is refused with its number of sales (archive it).
pub async fn delete(db: &DatabaseConnection, actor: &CurrentUser, id: LostReasonId) -> AppResult<()> {
    require_manager(actor)?;
    crate::db::transaction(db, |txn| {
        Box::pin(async move {
            lock_table(txn, "lost_reasons").await?;
            // A sale saved with this reason at the same moment meets the foreign key: one of the
            // two writes fails and nothing is half-done.
            let reason = find(txn, id).await?;
            let sales = sales::Entity::find().filter(sales::Column::LostReasonId.eq(id.0)).count(txn).await?;
            if sales > 0 {
                return Err(AppError::LostReasonInUse { sales });
            }
            if reason.active && offered(txn).await?.len() <= 1 {
                return Err(AppError::LastLostReason);
            }
            lost_reasons::Entity::delete_by_id(id.0).exec(txn).await?;
            Ok(())
        })
    })
    .await
}
