//! Import batches: who imported which file when, what it created and updated (so the batch can be
//! undone while those rows are unchanged), and the rows it rejected (to download, fix and import
//! again).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ImportBatches {
    Table,
    Id,
    Kind,
    FileName,
    UserId,
    CreatedAt,
    Created,
    Updated,
    Rejected,
    /// JSON: the header row and each rejected row with its line and error.
    RejectedRows,
    UndoneAt,
}

#[derive(DeriveIden)]
enum ImportRows {
    Table,
    Id,
    BatchId,
    EntityId,
    /// `create` or `update`.
    Action,
    /// The row's version right after the import: a later change blocks the undo.
    Version,
    /// JSON: the row as it was before an update.
    Before,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ImportBatches::Table)
                    .col(big_pk_auto(ImportBatches::Id))
                    .col(string(ImportBatches::Kind))
                    .col(string(ImportBatches::FileName))
                    .col(big_integer(ImportBatches::UserId))
                    .col(timestamp_with_time_zone(ImportBatches::CreatedAt))
                    .col(big_integer(ImportBatches::Created))
                    .col(big_integer(ImportBatches::Updated))
                    .col(big_integer(ImportBatches::Rejected))
                    .col(text_null(ImportBatches::RejectedRows))
                    .col(timestamp_with_time_zone_null(ImportBatches::UndoneAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_import_batches_user")
                            .from(ImportBatches::Table, ImportBatches::UserId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ImportRows::Table)
                    .col(big_pk_auto(ImportRows::Id))
                    .col(big_integer(ImportRows::BatchId))
                    .col(big_integer(ImportRows::EntityId))
                    .col(string(ImportRows::Action))
                    .col(integer(ImportRows::Version))
                    .col(text_null(ImportRows::Before))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_import_rows_batch")
                            .from(ImportRows::Table, ImportRows::BatchId)
                            .to(ImportBatches::Table, ImportBatches::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager.create_index(Index::create().name("idx_import_rows_batch").table(ImportRows::Table).col(ImportRows::BatchId).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ImportRows::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(ImportBatches::Table).to_owned()).await
    }
}
