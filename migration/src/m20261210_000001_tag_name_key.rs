//! Tags are looked up by name in any case (`lower(name) = ?`, when a contact's save names a tag):
//! an expression index answers it without scanning the table. The same syntax on SQLite and
//! PostgreSQL.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared("CREATE INDEX idx_tags_name_key ON tags (lower(name))").await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared("DROP INDEX idx_tags_name_key").await?;
        Ok(())
    }
}
