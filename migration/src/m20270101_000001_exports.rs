//! The exports' register: who downloaded which bulk data (the address book, the product list, a
//! sales workbook, an import's rejected rows), when, and how many rows, for managers to see.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Exports {
    Table,
    Id,
    UserId,
    At,
    /// `contacts` | `products` | `sales` | `rejected`
    What,
    Rows,
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
                    .table(Exports::Table)
                    .col(big_pk_auto(Exports::Id))
                    .col(big_integer(Exports::UserId))
                    .col(timestamp_with_time_zone(Exports::At))
                    .col(string(Exports::What))
                    .col(big_integer(Exports::Rows))
                    .foreign_key(ForeignKey::create().name("fk_exports_user").from(Exports::Table, Exports::UserId).to(Users::Table, Users::Id))
                    .to_owned(),
            )
            .await?;
        manager.create_index(Index::create().name("idx_exports_at").table(Exports::Table).col(Exports::At).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Exports::Table).to_owned()).await
    }
}
