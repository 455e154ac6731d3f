//! `commission_entries`: what a settled statement paid a seller on each sale, and the sale's
//! version then; their sums per seller and sale are what later statements adjust against, for
//! the sales changed since.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "commission_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub statement_id: i64,
    pub seller_id: i64,
    pub sale_id: i64,
    pub amount_cents: i64,
    /// The sale's version when the statement was worked out (0 for a sale gone since).
    pub sale_version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
