//! `offers` (*preventivi*): a contact's offer, numbered per year when first sent (`year`,
//! `number`), its revision, state and terms; `version` guards concurrent edits.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "offers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub contact_id: i64,
    pub seller_id: i64,
    pub state: crate::codes::OfferState,
    pub year: Option<i32>,
    pub number: Option<i32>,
    pub revision: i32,
    /// The document's language: `it` | `en`.
    pub language: String,
    pub offer_date: Date,
    pub valid_until: Date,
    /// Σ the nets of its priced lines, written with them.
    pub taxable_cents: i64,
    pub payment_terms: Option<String>,
    pub delivery_terms: Option<String>,
    pub intro: Option<String>,
    pub closing: Option<String>,
    pub sent_at: Option<DateTimeUtc>,
    /// The day it was accepted or rejected.
    pub decided_on: Option<Date>,
    /// Why a rejected offer was rejected.
    pub lost_reason_id: Option<i64>,
    /// Whether the customer may accept online: a link is made each time the offer is sent.
    pub online_acceptance: bool,
    /// The live link's token (64 hex digits), while the offer waits for its answer.
    pub accept_token: Option<String>,
    /// Who accepted online, when and from which address.
    pub accepted_name: Option<String>,
    pub accepted_at: Option<DateTimeUtc>,
    pub accepted_address: Option<String>,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_by: i64,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::offer_lines::Entity")]
    Lines,
}

impl Related<super::offer_lines::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Lines.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
