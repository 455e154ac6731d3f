//! `import_batches`: one import (who, when, which file, what it did); `import_rows`: the rows it
//! created or updated, to undo it.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "import_batches")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `contacts` | `products` | `sales`
    pub kind: String,
    pub file_name: String,
    pub user_id: i64,
    pub created_at: DateTimeUtc,
    pub created: i64,
    pub updated: i64,
    pub rejected: i64,
    #[sea_orm(column_type = "Text")]
    pub rejected_rows: Option<String>,
    pub undone_at: Option<DateTimeUtc>,
    /// When its last chunk was written; `None` while it runs, and for good if it was interrupted.
    pub finished_at: Option<DateTimeUtc>,
    /// When its latest chunk was written.
    pub written_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
