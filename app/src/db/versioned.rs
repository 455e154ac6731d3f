//! Optimistic concurrency, written once. Every editable row carries `version`: a write names the
//! version it was based on, and touches no row when somebody else saved first.

use crate::error::{AppError, AppResult};
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::*;

/// A table whose rows carry `id`, `version` and `updated_at`.
pub trait Versioned: EntityTrait<PrimaryKey: PrimaryKeyTrait<ValueType: From<i64>>> {
    const ID: Self::Column;
    const VERSION: Self::Column;
    const UPDATED_AT: Self::Column;
}

macro_rules! versioned {
    ($($table:ident),*) => {$(
        impl Versioned for super::entities::$table::Entity {
            const ID: Self::Column = super::entities::$table::Column::Id;
            const VERSION: Self::Column = super::entities::$table::Column::Version;
            const UPDATED_AT: Self::Column = super::entities::$table::Column::UpdatedAt;
        }
    )*};
}
versioned!(categories, contacts, offers, products, sales, sellers, targets, users);

/// After a write `WHERE id AND version` touched no row: gone, or changed by someone else.
pub async fn missing_or_conflict<E: Versioned>(db: &impl ConnectionTrait, id: i64) -> AppError {
    match E::find_by_id(id).one(db).await {
        Ok(Some(_)) => AppError::Conflict,
        Ok(None) => AppError::NotFound,
        Err(err) => err.into(),
    }
}

/// `UPDATE … SET changes, updated_at = now, version = version + 1 WHERE id AND version`. A database
/// error goes through `on_error` (which names a unique value already taken, say).
pub async fn update<E: Versioned>(
    db: &impl ConnectionTrait,
    id: i64,
    version: i32,
    changes: Vec<(E::Column, Expr)>,
    on_error: fn(DbErr) -> AppError,
) -> AppResult<()> {
    if !try_update::<E>(db, id, version, changes, on_error).await? {
        return Err(missing_or_conflict::<E>(db, id).await);
    }
    Ok(())
}

/// [`update`] with the columns an active model sets (the others keep their value).
pub async fn update_model<A>(db: &impl ConnectionTrait, id: i64, version: i32, model: A, on_error: fn(DbErr) -> AppError) -> AppResult<()>
where
    A: ActiveModelTrait,
    A::Entity: Versioned,
{
    update::<A::Entity>(db, id, version, changes_of(&model), on_error).await
}

/// [`update_model`] for a caller that answers a conflict itself: whether the row was touched (not:
/// gone, or saved by someone else since `version`).
pub async fn try_update_model<A>(db: &impl ConnectionTrait, id: i64, version: i32, model: A) -> AppResult<bool>
where
    A: ActiveModelTrait,
    A::Entity: Versioned,
{
    try_update::<A::Entity>(db, id, version, changes_of(&model), AppError::from).await
}

fn changes_of<A: ActiveModelTrait>(model: &A) -> Vec<(<A::Entity as EntityTrait>::Column, Expr)> {
    <A::Entity as EntityTrait>::Column::iter()
        .filter_map(|column| match model.get(column) {
            ActiveValue::Set(value) => Some((column, Expr::value(value))),
            _ => None,
        })
        .collect()
}

async fn try_update<E: Versioned>(
    db: &impl ConnectionTrait,
    id: i64,
    version: i32,
    changes: Vec<(E::Column, Expr)>,
    on_error: fn(DbErr) -> AppError,
) -> AppResult<bool> {
    // A version at the top of its range cannot move on: nobody can save over it (a conflict).
    if version.checked_add(1).is_none() {
        return Ok(false);
    }
    let mut update = E::update_many()
        .col_expr(E::UPDATED_AT, Expr::value(Utc::now()))
        .col_expr(E::VERSION, Expr::col(E::VERSION).add(1))
        .filter(E::ID.eq(id))
        .filter(E::VERSION.eq(version));
    for (column, value) in changes {
        update = update.col_expr(column, value);
    }
    Ok(update.exec(db).await.map_err(on_error)?.rows_affected == 1)
}

/// `DELETE … WHERE id AND version`, for a caller that answers a conflict itself: whether the row
/// went.
pub async fn try_delete<E: Versioned>(db: &impl ConnectionTrait, id: i64, version: i32) -> AppResult<bool> {
    Ok(E::delete_many().filter(E::ID.eq(id)).filter(E::VERSION.eq(version)).exec(db).await?.rows_affected == 1)
}

/// `DELETE … WHERE id AND version`. A row that a foreign key still needs (something added in the
/// meantime) is `kept_by`; no row deleted is a conflict.
pub async fn delete<E: Versioned>(db: &impl ConnectionTrait, id: i64, version: i32, kept_by: AppError) -> AppResult<()> {
    let result = E::delete_many().filter(E::ID.eq(id)).filter(E::VERSION.eq(version)).exec(db).await.map_err(|err| match err.sql_err() {
        Some(SqlErr::ForeignKeyConstraintViolation(_)) => kept_by,
        _ => err.into(),
    })?;
    if result.rows_affected != 1 {
        return Err(AppError::Conflict);
    }
    Ok(())
}
