//! A statement reads the seller's won sales by close date (`idx_sales_seller_won`), and each
//! settled entry remembers the version of the sale it was worked out from
//! (`commission_entries.sale_version`): a later statement works out again only the settled sales
//! changed since (a collection recorded or removed moves the sale's version too).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CommissionEntries {
    Table,
    SaleVersion,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(CommissionEntries::Table).add_column(integer(CommissionEntries::SaleVersion).default(0)).to_owned())
            .await?;
        manager.get_connection().execute_unprepared("CREATE INDEX idx_sales_seller_won ON sales (seller_id, stage, closed_date)").await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared("DROP INDEX idx_sales_seller_won").await?;
        manager.alter_table(Table::alter().table(CommissionEntries::Table).drop_column(CommissionEntries::SaleVersion).to_owned()).await
    }
}
