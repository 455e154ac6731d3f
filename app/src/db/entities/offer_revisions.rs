//! `offer_revisions`: what the customer received for each revision of an offer, frozen as sent.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "offer_revisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub offer_id: i64,
    pub revision: i32,
    pub sent_at: DateTimeUtc,
    pub sent_by: i64,
    /// The offer as sent (`offers::OfferDocument`, JSON).
    #[sea_orm(column_type = "Text")]
    pub document: String,
    /// The addresses it was e-mailed to (comma separated); none when marked sent by hand.
    #[sea_orm(column_type = "Text", nullable)]
    pub sent_to: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
