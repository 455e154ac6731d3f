//! `targets`: a seller's monthly target of won net revenue, in total (`category_id` 0) or for one
//! top-level category. `month` is a report `Month` (`year × 12 + month − 1`).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "targets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Seller × month × category is unique.
    pub seller_id: i64,
    pub month: i32,
    pub category_id: i64,
    pub amount_cents: i64,
    pub updated_by: i64,
    pub updated_at: DateTimeUtc,
    /// Raised by every write.
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
