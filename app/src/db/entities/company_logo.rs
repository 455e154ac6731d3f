//! `company_logo`: the letterhead's logo, one row (`id = 1`) while there is one: a PNG made by
//! `config::logo` from the upload.

use sea_orm::entity::prelude::*;

/// The id of the one logo row.
pub const LOGO_ID: i32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "company_logo")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    #[sea_orm(column_type = "Blob")]
    pub png: Vec<u8>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
