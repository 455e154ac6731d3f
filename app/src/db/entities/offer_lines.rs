//! `offer_lines`: an offer's lines in order (`position`): a product, a free text with a price, a
//! section title or a note. A product line sent becomes a sale (`sale_id`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "offer_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub offer_id: i64,
    pub position: i32,
    pub kind: crate::codes::LineKind,
    pub product_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub quantity_milli: i64,
    pub unit: String,
    pub unit_price_cents: i64,
    /// As typed ("10+5"); `discount_bp` is its effective percentage.
    pub discount: String,
    pub discount_bp: i32,
    pub vat_rate_bp: i32,
    pub net_cents: i64,
    pub sale_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::offers::Entity", from = "Column::OfferId", to = "super::offers::Column::Id", on_delete = "Cascade")]
    Offer,
}

impl Related<super::offers::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Offer.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
