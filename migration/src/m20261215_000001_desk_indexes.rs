//! The desk's orders: the latest changed sales (`updated_at`), and the sales list and board by
//! expected close with the undated last (the same expression the queries order by, so the index
//! walks in that order). The same syntax on SQLite and PostgreSQL.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [(&str, &str); 2] =
    [("idx_sales_updated_id", "sales (updated_at, id)"), ("idx_sales_close_key_id", "sales (COALESCE(expected_close, '9999-12-31'), id)")];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, on) in INDEXES {
            manager.get_connection().execute_unprepared(&format!("CREATE INDEX {name} ON {on}")).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, _) in INDEXES {
            manager.get_connection().execute_unprepared(&format!("DROP INDEX {name}")).await?;
        }
        Ok(())
    }
}
