//! `crm_settings`: the single configuration row (`id = 1`, created by the migration).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// The id of the one and only settings row.
pub const SETTINGS_ID: i32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "crm_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    /// The tag whose contacts show the *Vendita* tab (Clienti or Fornitori); `None` until configured.
    pub sales_tag_id: Option<i64>,
    pub currency: String,
    pub prob_lead: i32,
    pub prob_negotiation: i32,
    pub prob_proposal: i32,
    pub wizard_done: bool,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::tags::Entity", from = "Column::SalesTagId", to = "super::tags::Column::Id", on_delete = "Restrict")]
    SalesTag,
}

impl Related<super::tags::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::SalesTag.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
