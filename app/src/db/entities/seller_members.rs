//! `seller_members`: the users belonging to a generic seller (composite primary key).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "seller_members")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub seller_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::sellers::Entity", from = "Column::SellerId", to = "super::sellers::Column::Id", on_delete = "Cascade")]
    Seller,
    #[sea_orm(belongs_to = "super::users::Entity", from = "Column::UserId", to = "super::users::Column::Id", on_delete = "Cascade")]
    User,
}

impl Related<super::sellers::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Seller.def()
    }
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
