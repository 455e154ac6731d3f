//! `commission_rules`: a seller's rate on the net (`rate_bp`) or amount per unit
//! (`per_unit_cents`), valid from a date, for the sales of a customer and product, a product, a
//! customer, a category (and the categories under it) or, with none of them, all his sales.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "commission_rules")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub seller_id: i64,
    pub contact_id: Option<i64>,
    pub product_id: Option<i64>,
    pub category_id: Option<i64>,
    pub rate_bp: Option<i32>,
    pub per_unit_cents: Option<i64>,
    pub valid_from: Date,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
