//! `commission_plans`: how a seller earns commissions (on the close date or on collection), and
//! whether he is an agent (Enasarco, FIRR). A seller without a row earns on the close date and is
//! no agent.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "commission_plans")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub seller_id: i64,
    pub earn_on: crate::codes::EarnOn,
    pub agent: crate::codes::AgentKind,
    /// Whether the company accrues FIRR for the agent.
    pub firr: bool,
    pub updated_by: i64,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
