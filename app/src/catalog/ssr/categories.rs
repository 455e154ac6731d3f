//! The product category tree: add, rename, move (never under itself or a descendant), reorder
//! among siblings, delete (only when it holds neither products nor sub-categories).

use crate::auth::CurrentUser;
use crate::auth::ssr::require_manager;
use crate::catalog::{CategoryId, CategoryNode, Direction};
use crate::db::entities::{categories, products};
use crate::db::lock_table;
use crate::db::versioned;
use crate::error::{AppError, AppResult, Field, Problem};
use crate::form::required_text;
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::*;
use std::collections::HashMap;

const MAX_CATEGORY_NAME: usize = 100;

/// Reads an optional category id from a form ("" means none).
pub fn parse_category_ref(field: Field, text: Option<&str>) -> AppResult<Option<CategoryId>> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(text) => Ok(Some(CategoryId(text.parse().map_err(|_| AppError::invalid(field, Problem::Invalid))?))),
        None => Ok(None),
    }
}

/// The whole tree (a few hundred rows at most), in display order: depth first, siblings by position.
pub async fn list_categories(db: &DatabaseConnection, _actor: &CurrentUser) -> AppResult<Vec<CategoryNode>> {
    tree(db).await
}

pub(crate) async fn tree(db: &impl ConnectionTrait) -> AppResult<Vec<CategoryNode>> {
    let all = categories::Entity::find().all(db).await?;
    let counts = product_counts(db).await?;
    let mut children: HashMap<Option<i64>, Vec<&categories::Model>> = HashMap::new();
    for c in &all {
        children.entry(c.parent_id).or_default().push(c);
    }
    for list in children.values_mut() {
        list.sort_by_key(|c| (c.position, c.id));
    }
    let mut out = Vec::with_capacity(all.len());
    let mut stack: Vec<(&categories::Model, usize)> = children.get(&None).map(|l| l.iter().rev().map(|c| (*c, 0)).collect()).unwrap_or_default();
    while let Some((c, depth)) = stack.pop() {
        let kids = children.get(&Some(c.id)).map(Vec::as_slice).unwrap_or_default();
        out.push(CategoryNode {
            id: CategoryId(c.id),
            parent: c.parent_id.map(CategoryId),
            name: c.name.clone(),
            position: c.position,
            depth,
            products: counts.get(&c.id).copied().unwrap_or(0),
            children: kids.len() as u64,
            version: c.version,
        });
        stack.extend(kids.iter().rev().map(|k| (*k, depth + 1)));
    }
    Ok(out)
}

async fn product_counts(db: &impl ConnectionTrait) -> AppResult<HashMap<i64, u64>> {
    let rows = products::Entity::find()
        .select_only()
        .column(products::Column::CategoryId)
        .column_as(Expr::col(products::Column::Id).count(), "n")
        .filter(products::Column::CategoryId.is_not_null())
        .group_by(products::Column::CategoryId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(id, n)| (id, n as u64)).collect())
}

async fn node(db: &impl ConnectionTrait, id: CategoryId) -> AppResult<CategoryNode> {
    tree(db).await?.into_iter().find(|n| n.id == id).ok_or(AppError::NotFound)
}

/// The ids of `root` and everything below it.
pub(crate) fn subtree(all: &[categories::Model], root: i64) -> Vec<i64> {
    let mut out = vec![root];
    let mut i = 0;
    while i < out.len() {
        let parent = out[i];
        out.extend(all.iter().filter(|c| c.parent_id == Some(parent)).map(|c| c.id));
        i += 1;
    }
    out
}

/// Siblings share no name (case aside), so a path such as "Servizi / Consulenza" means one node.
async fn check_name_free(db: &impl ConnectionTrait, parent: Option<i64>, name: &str, except: Option<i64>) -> AppResult<()> {
    let siblings = categories::Entity::find()
        .filter(match parent {
            Some(p) => categories::Column::ParentId.eq(p),
            None => categories::Column::ParentId.is_null(),
        })
        .all(db)
        .await?;
    if siblings.iter().any(|s| Some(s.id) != except && s.name.to_lowercase() == name.to_lowercase()) {
        return Err(AppError::invalid(Field::Name, Problem::Taken));
    }
    Ok(())
}

async fn check_parent_exists(db: &impl ConnectionTrait, parent: Option<CategoryId>) -> AppResult<()> {
    if let Some(parent) = parent {
        categories::Entity::find_by_id(parent.0).one(db).await?.ok_or(AppError::invalid(Field::Parent, Problem::Invalid))?;
    }
    Ok(())
}

async fn next_position(db: &impl ConnectionTrait, parent: Option<i64>) -> AppResult<i32> {
    let last = categories::Entity::find()
        .filter(match parent {
            Some(p) => categories::Column::ParentId.eq(p),
            None => categories::Column::ParentId.is_null(),
        })
        .order_by_desc(categories::Column::Position)
        .one(db)
        .await?;
    Ok(last.map(|c| c.position + 1).unwrap_or(0))
}

pub async fn create_category(db: &DatabaseConnection, actor: &CurrentUser, name: &str, parent: Option<CategoryId>) -> AppResult<CategoryNode> {
    require_manager(actor)?;
    let name = name.to_string();
    let id = crate::db::transaction(db, |txn| {
        Box::pin(async move {
            lock_table(txn, "categories").await?;
            check_parent_exists(txn, parent).await?;
            insert_category(txn, &name, parent.map(|p| p.0)).await
        })
    })
    .await?;
    node(db, CategoryId(id)).await
}

/// A new category last among its siblings, its name checked (inside the caller's transaction,
/// which knows the parent exists): the page's rule, and the import's for a category path.
pub(crate) async fn insert_category(txn: &DatabaseTransaction, name: &str, parent: Option<i64>) -> AppResult<i64> {
    let name = required_text(Field::Name, name, MAX_CATEGORY_NAME)?;
    check_name_free(txn, parent, &name, None).await?;
    let now = Utc::now();
    let model = categories::ActiveModel {
        parent_id: Set(parent),
        name: Set(name),
        position: Set(next_position(txn, parent).await?),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(model.id)
}

async fn update_versioned(db: &impl ConnectionTrait, id: CategoryId, version: i32, changes: Vec<(categories::Column, Expr)>) -> AppResult<()> {
    versioned::update::<categories::Entity>(db, id.0, version, changes, AppError::from).await
}

pub async fn rename_category(db: &DatabaseConnection, actor: &CurrentUser, id: CategoryId, version: i32, name: &str) -> AppResult<CategoryNode> {
    require_manager(actor)?;
    let name = required_text(Field::Name, name, MAX_CATEGORY_NAME)?;
    crate::db::transaction(db, |txn| {
        Box::pin(async move {
            lock_table(txn, "categories").await?;
            let current = categories::Entity::find_by_id(id.0).one(txn).await?.ok_or(AppError::NotFound)?;
            check_name_free(txn, current.parent_id, &name, Some(id.0)).await?;
            update_versioned(txn, id, version, vec![(categories::Column::Name, Expr::value(name))]).await
        })
    })
    .await?;
    node(db, id).await
}

/// Moves a category (with its sub-tree) under another parent, or to the top level; it goes last
/// among its new siblings. Under itself or one of its descendants is refused: the tree stays a tree.
pub async fn move_category(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: CategoryId,
    version: i32,
    parent: Option<CategoryId>,
) -> AppResult<CategoryNode> {
    require_manager(actor)?;
    crate::db::transaction(db, |txn| {
        Box::pin(async move {
            lock_table(txn, "categories").await?;
            let all = categories::Entity::find().all(txn).await?;
            let current = all.iter().find(|c| c.id == id.0).ok_or(AppError::NotFound)?;
            if current.version != version {
                return Err(AppError::Conflict);
            }
            check_parent_exists(txn, parent).await?;
            let parent = parent.map(|p| p.0);
            if let Some(p) = parent
                && subtree(&all, id.0).contains(&p)
            {
                return Err(AppError::invalid(Field::Parent, Problem::Cycle));
            }
            if parent == current.parent_id {
                return update_versioned(txn, id, version, vec![]).await;
            }
            check_name_free(txn, parent, &current.name, Some(id.0)).await?;
            let position = next_position(txn, parent).await?;
            update_versioned(
                txn,
                id,
                version,
                vec![(categories::Column::ParentId, Expr::value(parent)), (categories::Column::Position, Expr::value(position))],
            )
            .await
        })
    })
    .await?;
    node(db, id).await
}

/// One place up or down among the siblings; the siblings are renumbered 0, 1, 2 … on the way.
pub async fn reorder_category(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: CategoryId,
    version: i32,
    direction: Direction,
) -> AppResult<CategoryNode> {
    require_manager(actor)?;
    crate::db::transaction(db, |txn| {
        Box::pin(async move {
            lock_table(txn, "categories").await?;
            let current = categories::Entity::find_by_id(id.0).one(txn).await?.ok_or(AppError::NotFound)?;
            if current.version != version {
                return Err(AppError::Conflict);
            }
            let mut siblings = categories::Entity::find()
                .filter(match current.parent_id {
                    Some(p) => categories::Column::ParentId.eq(p),
                    None => categories::Column::ParentId.is_null(),
                })
                .order_by_asc(categories::Column::Position)
                .order_by_asc(categories::Column::Id)
                .all(txn)
                .await?;
            let index = siblings.iter().position(|s| s.id == id.0).ok_or(AppError::NotFound)?;
            let other = match direction {
                Direction::Up => index.checked_sub(1),
                Direction::Down => Some(index + 1).filter(|i| *i < siblings.len()),
            };
            if let Some(other) = other {
                siblings.swap(index, other);
            }
            for (position, sibling) in siblings.iter().enumerate() {
                let position = position as i32;
                if sibling.id == id.0 {
                    update_versioned(txn, id, version, vec![(categories::Column::Position, Expr::value(position))]).await?;
                } else if sibling.position != position {
                    categories::Entity::update_many()
                        .col_expr(categories::Column::Position, Expr::value(position))
                        .filter(categories::Column::Id.eq(sibling.id))
                        .exec(txn)
                        .await?;
                }
            }
            Ok(())
        })
    })
    .await?;
    node(db, id).await
}

/// Deletes an empty category. One holding sub-categories or products is refused, with the reason.
pub async fn delete_category(db: &DatabaseConnection, actor: &CurrentUser, id: CategoryId, version: i32) -> AppResult<()> {
    require_manager(actor)?;
    crate::db::transaction(db, |txn| {
        Box::pin(async move {
            lock_table(txn, "categories").await?;
            let current = categories::Entity::find_by_id(id.0).one(txn).await?.ok_or(AppError::NotFound)?;
            if current.version != version {
                return Err(AppError::Conflict);
            }
            if categories::Entity::find().filter(categories::Column::ParentId.eq(id.0)).count(txn).await? > 0 {
                return Err(AppError::CategoryHasChildren);
            }
            if products::Entity::find().filter(products::Column::CategoryId.eq(id.0)).count(txn).await? > 0 {
                return Err(AppError::CategoryHasProducts);
            }
            // A product filed under it in the meantime: the foreign key keeps the category.
            versioned::delete::<categories::Entity>(txn, id.0, version, AppError::CategoryHasProducts).await
        })
    })
    .await?;
    Ok(())
}
