//! `import_rows`: a row an import created or updated, with its version right after the import and,
//! for an update, the row as it was before (JSON).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "import_rows")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub batch_id: i64,
    pub entity_id: i64,
    /// `create` | `update`
    pub action: String,
    pub version: i32,
    #[sea_orm(column_type = "Text")]
    pub before: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
