//! An import writes its rows in chunks, each its own transaction, so other users' saves take
//! turns with it. A batch is finished (`finished_at`) when its last chunk is written;
//! `written_at` is the time of its last chunk, so an unfinished batch that has written nothing
//! for a while is known to be interrupted (a crash, a restart) and can be undone.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ImportBatches {
    Table,
    CreatedAt,
    FinishedAt,
    WrittenAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        for column in [ImportBatches::FinishedAt, ImportBatches::WrittenAt] {
            manager.alter_table(Table::alter().table(ImportBatches::Table).add_column(timestamp_with_time_zone_null(column)).to_owned()).await?;
        }
        // Every batch written so far was written in one transaction: finished when it was made.
        let done = Query::update()
            .table(ImportBatches::Table)
            .value(ImportBatches::FinishedAt, Expr::col(ImportBatches::CreatedAt))
            .value(ImportBatches::WrittenAt, Expr::col(ImportBatches::CreatedAt))
            .to_owned();
        manager.exec_stmt(done).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [ImportBatches::WrittenAt, ImportBatches::FinishedAt] {
            manager.alter_table(Table::alter().table(ImportBatches::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
