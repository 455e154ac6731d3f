//! `sales` (*vendite*). Money in cents, quantity in thousandths, percentages in basis points;
//! `stage` is `lead` | `negotiation` | `proposal` | `won` | `lost`; `version` guards concurrent edits.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "sales")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub contact_id: i64,
    pub product_id: i64,
    pub seller_id: i64,
    /// 1.000 = 1000
    pub quantity_milli: i64,
    pub unit_price_cents: i64,
    /// 1050 = 10.50%
    pub discount_bp: i32,
    /// 2200 = 22%
    pub vat_rate_bp: i32,
    pub net_cents: i64,
    pub gross_cents: i64,
    /// `lead` | `negotiation` | `proposal` | `won` | `lost`
    pub stage: crate::codes::Stage,
    /// 0..=100
    pub probability: i32,
    pub sale_date: Date,
    pub expected_close: Option<Date>,
    pub closed_date: Option<Date>,
    /// Set for a lost sale (`lost_reasons`).
    pub lost_reason_id: Option<i64>,
    /// A lost sale's optional note beside its reason.
    pub lost_note: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub notes: Option<String>,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_by: i64,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::contacts::Entity", from = "Column::ContactId", to = "super::contacts::Column::Id", on_delete = "Restrict")]
    Contact,
    #[sea_orm(belongs_to = "super::products::Entity", from = "Column::ProductId", to = "super::products::Column::Id", on_delete = "Restrict")]
    Product,
    #[sea_orm(belongs_to = "super::sellers::Entity", from = "Column::SellerId", to = "super::sellers::Column::Id", on_delete = "Restrict")]
    Seller,
    #[sea_orm(belongs_to = "super::users::Entity", from = "Column::CreatedBy", to = "super::users::Column::Id", on_delete = "Restrict")]
    CreatedBy,
    #[sea_orm(belongs_to = "super::users::Entity", from = "Column::UpdatedBy", to = "super::users::Column::Id", on_delete = "Restrict")]
    UpdatedBy,
}

impl Related<super::contacts::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Contact.def()
    }
}

impl Related<super::products::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Product.def()
    }
}

impl Related<super::sellers::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Seller.def()
    }
}

// No `Related<users::Entity>`: two paths (created_by / updated_by); join with
// `Relation::CreatedBy.def()` or `Relation::UpdatedBy.def()` explicitly.

impl ActiveModelBehavior for ActiveModel {}
