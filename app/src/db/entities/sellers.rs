//! `sellers` (*venditori*): `kind` `user` (linked to exactly one user through `user_id`) or
//! `generic` (a team/office/agency; its users are in `seller_members`).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "sellers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `user` | `generic`
    pub kind: crate::codes::SellerKind,
    #[sea_orm(unique)]
    pub name: String,
    /// Set for `user` sellers only.
    #[sea_orm(unique)]
    pub user_id: Option<i64>,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::users::Entity", from = "Column::UserId", to = "super::users::Column::Id", on_delete = "Restrict")]
    User,
    #[sea_orm(has_many = "super::seller_members::Entity")]
    SellerMembers,
    #[sea_orm(has_many = "super::sales::Entity")]
    Sales,
}

/// The user of a `user` seller (not the members of a generic seller: see `seller_members`).
impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

impl Related<super::seller_members::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::SellerMembers.def()
    }
}

impl Related<super::sales::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Sales.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
