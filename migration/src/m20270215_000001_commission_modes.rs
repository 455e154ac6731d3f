//! When a seller earns (on closing or on collection) is dated like his rules: each mode applies
//! to the sales closed from its date (`commission_modes`), so a change never rewrites what was
//! earned, and settled, under the mode before.

use sea_orm_migration::{prelude::*, schema::*};

use crate::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CommissionModes {
    Table,
    SellerId,
    ValidFrom,
    /// `close` | `collection`
    EarnOn,
}

#[derive(DeriveIden)]
enum CommissionPlans {
    Table,
    SellerId,
    EarnOn,
}

#[derive(DeriveIden)]
enum Sellers {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CommissionModes::Table)
                    .col(big_integer(CommissionModes::SellerId))
                    .col(date(CommissionModes::ValidFrom))
                    .col(string(CommissionModes::EarnOn))
                    .primary_key(Index::create().col(CommissionModes::SellerId).col(CommissionModes::ValidFrom))
                    .foreign_key(&mut fk(
                        "fk_modes_seller",
                        (CommissionModes::Table, CommissionModes::SellerId),
                        (Sellers::Table, Sellers::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        // Each plan's mode, from the beginning.
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(CommissionModes::Table)
                    .columns([CommissionModes::SellerId, CommissionModes::ValidFrom, CommissionModes::EarnOn])
                    .select_from(
                        Query::select()
                            .column(CommissionPlans::SellerId)
                            .expr(Expr::cust("date('1900-01-01')"))
                            .column(CommissionPlans::EarnOn)
                            .from(CommissionPlans::Table)
                            .to_owned(),
                    )
                    .map_err(|e| DbErr::Migration(e.to_string()))?
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(CommissionModes::Table).to_owned()).await
    }
}
