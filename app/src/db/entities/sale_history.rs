//! `sale_history`: one row per create/delete of a sale and per changed field on update.
//! `sale_id` deliberately has no foreign key: the history outlives a deleted sale.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "sale_history")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub sale_id: i64,
    pub user_id: i64,
    pub at: DateTimeUtc,
    /// `create` | `update` | `delete`
    pub action: crate::codes::HistoryAction,
    pub field: Option<crate::codes::HistoryField>,
    /// `HistoryValue` as JSON (Italian-formatted text in entries written before values were typed).
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::users::Entity", from = "Column::UserId", to = "super::users::Column::Id", on_delete = "Restrict")]
    User,
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
