//! Who sees which sellers (SPEC §2): every seller for managers and admins; for a member, his own
//! user seller and the teams he belongs to. Every list, count, total and report of sales goes
//! through [`SellerScope`].

use super::CurrentUser;
use crate::db::entities::{sales, seller_members, sellers};
use crate::error::AppResult;
use sea_orm::*;
use std::collections::BTreeSet;

/// The sellers whose sales a user may read and write, and whose figures he sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SellerScope {
    /// Managers and admins.
    All,
    /// A member: his own user seller and the generic sellers he belongs to.
    Only(BTreeSet<i64>),
}

impl SellerScope {
    pub fn allows(&self, seller: i64) -> bool {
        match self {
            SellerScope::All => true,
            SellerScope::Only(ids) => ids.contains(&seller),
        }
    }

    /// Narrows a query on `sales` to the visible sellers.
    pub fn filter<S: QueryFilter>(&self, query: S) -> S {
        self.filter_on(query, sales::Column::SellerId)
    }

    /// Narrows a query to the rows whose `column` names a visible seller.
    pub fn filter_on<S: QueryFilter, C: ColumnTrait>(&self, query: S, column: C) -> S {
        match self {
            SellerScope::All => query,
            SellerScope::Only(ids) => query.filter(column.is_in(ids.iter().copied())),
        }
    }

    /// ` AND {column} IN (…)` for raw SQL: nothing for all, ` AND 1 = 0` for none. The ids are
    /// integers read from the database, written inline.
    pub fn sql(&self, column: &str) -> String {
        match self {
            SellerScope::All => String::new(),
            SellerScope::Only(ids) if ids.is_empty() => " AND 1 = 0".to_owned(),
            SellerScope::Only(ids) => format!(" AND {column} IN ({})", ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")),
        }
    }
}

/// The scope of a user's role: all sellers for managers, his own for a member.
pub async fn visible_sellers(db: &impl ConnectionTrait, user: &CurrentUser) -> AppResult<SellerScope> {
    if user.role.is_manager() {
        return Ok(SellerScope::All);
    }
    Ok(SellerScope::Only(own_sellers(db, user).await?))
}

/// The user's own user seller and the generic sellers (teams) he belongs to, whatever his role
/// (*My sales*).
pub async fn own_sellers(db: &impl ConnectionTrait, user: &CurrentUser) -> AppResult<BTreeSet<i64>> {
    let mut ids: BTreeSet<i64> =
        sellers::Entity::find().filter(sellers::Column::UserId.eq(user.id.0)).all(db).await?.into_iter().map(|s| s.id).collect();
    ids.extend(seller_members::Entity::find().filter(seller_members::Column::UserId.eq(user.id.0)).all(db).await?.into_iter().map(|m| m.seller_id));
    Ok(ids)
}
