//! `contacts`: the address book. `kind` is `person` | `company`.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "contacts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `person` | `company`
    pub kind: crate::codes::ContactKind,
    pub name: String,
    pub company: Option<String>,
    pub vat_number: Option<String>,
    pub tax_code: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub province: Option<String>,
    pub country: String,
    #[sea_orm(column_type = "Text")]
    pub notes: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::contact_tags::Entity")]
    ContactTags,
    #[sea_orm(has_many = "super::sales::Entity")]
    Sales,
}

impl Related<super::contact_tags::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ContactTags.def()
    }
}

impl Related<super::sales::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Sales.def()
    }
}

impl Related<super::tags::Entity> for Entity {
    fn to() -> RelationDef {
        super::contact_tags::Relation::Tag.def()
    }

    fn via() -> Option<RelationDef> {
        Some(super::contact_tags::Relation::Contact.def().rev())
    }
}

impl ActiveModelBehavior for ActiveModel {}
