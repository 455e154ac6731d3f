//! `commission_statements`: a seller's statement as it was settled (`document`, JSON), never
//! changed afterwards. `sequence` numbers a seller's settlements 1, 2, 3… (unique per seller).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "commission_statements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub seller_id: i64,
    pub sequence: i32,
    pub period_from: Date,
    pub period_to: Date,
    pub total_cents: i64,
    #[sea_orm(column_type = "Text")]
    pub document: String,
    pub settled_by: i64,
    pub settled_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
