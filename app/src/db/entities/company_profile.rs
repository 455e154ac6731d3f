//! `company_profile`: the single row (`id = 1`, created by the migration) of the company's
//! letterhead; empty texts until a manager fills them.

use sea_orm::entity::prelude::*;

/// The id of the one and only profile row.
pub const PROFILE_ID: i32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "company_profile")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    pub name: String,
    pub address: String,
    pub postcode: String,
    pub city: String,
    pub province: String,
    pub vat_number: String,
    pub tax_code: String,
    pub rea: String,
    pub phone: String,
    pub email: String,
    pub iban: String,
    pub validity_days: i32,
    /// One a line.
    #[sea_orm(column_type = "Text")]
    pub payment_terms: String,
    /// One a line.
    #[sea_orm(column_type = "Text")]
    pub delivery_terms: String,
    #[sea_orm(column_type = "Text")]
    pub offer_intro: String,
    #[sea_orm(column_type = "Text")]
    pub offer_closing: String,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
