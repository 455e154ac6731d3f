//! `tags`: contact tags. The two system tags have `system_key` `customers` (Clienti) and
//! `suppliers` (Fornitori); user tags have `system_key = NULL`.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// `system_key` of the *Clienti* tag.
pub const SYSTEM_CUSTOMERS: &str = "customers";
/// `system_key` of the *Fornitori* tag.
pub const SYSTEM_SUPPLIERS: &str = "suppliers";

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "tags")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub name: String,
    #[sea_orm(unique)]
    pub system_key: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::contact_tags::Entity")]
    ContactTags,
}

impl Related<super::contact_tags::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ContactTags.def()
    }
}

impl Related<super::contacts::Entity> for Entity {
    fn to() -> RelationDef {
        super::contact_tags::Relation::Contact.def()
    }

    fn via() -> Option<RelationDef> {
        Some(super::contact_tags::Relation::Tag.def().rev())
    }
}

impl ActiveModelBehavior for ActiveModel {}
