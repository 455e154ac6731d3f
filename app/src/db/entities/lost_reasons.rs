//! `lost_reasons`: why sales are lost, a list managers keep. A reason in use is archived
//! (`active = false`: no longer offered, still named on its sales), not deleted.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "lost_reasons")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Unique in any case.
    pub name: String,
    /// The order the reasons are offered in.
    pub position: i32,
    pub active: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
