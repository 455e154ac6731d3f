//! `products`: the catalogue. `list_price_cents` is the net unit price in cents,
//! `vat_rate_bp` the VAT rate in basis points (2200 = 22%).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "products")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub description: Option<String>,
    pub category_id: Option<i64>,
    /// `pz`, `h`, `kg`, …
    pub unit: String,
    pub list_price_cents: i64,
    pub vat_rate_bp: i32,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::categories::Entity", from = "Column::CategoryId", to = "super::categories::Column::Id", on_delete = "Restrict")]
    Category,
    #[sea_orm(has_many = "super::sales::Entity")]
    Sales,
}

impl Related<super::categories::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Category.def()
    }
}

impl Related<super::sales::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Sales.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
