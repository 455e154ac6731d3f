//! `users`: people who log in. `role` is `admin` | `manager` | `member`.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub login: String,
    pub display_name: String,
    /// argon2id PHC string. Never sent to the client.
    #[serde(skip_serializing)]
    pub password_hash: String,
    /// `admin` | `manager` | `member`
    pub role: crate::codes::Role,
    pub active: bool,
    /// `it` | `en`
    pub language: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::sessions::Entity")]
    Sessions,
    #[sea_orm(has_many = "super::seller_members::Entity")]
    SellerMembers,
}

impl Related<super::sessions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Sessions.def()
    }
}

impl Related<super::seller_members::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::SellerMembers.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
