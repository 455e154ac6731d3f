//! Commissions (*provvigioni*): how each seller earns (`commission_plans`: on the close date or on
//! collection), the rules that give the rate or the amount per unit (`commission_rules`, each
//! valid from a date, for the seller's sales of a customer, a product, a category or all), what
//! customers paid on won sales (`collections`), and the statements settled (`commission_statements`,
//! frozen as settled, numbered per seller so that one settlement of a period is ever written) with
//! what each settled per sale (`commission_entries`, read to work out later adjustments).

use sea_orm_migration::{prelude::*, schema::*};

use crate::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CommissionPlans {
    Table,
    SellerId,
    /// `close` | `collection`
    EarnOn,
    UpdatedBy,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum CommissionRules {
    Table,
    Id,
    SellerId,
    /// What the rule is for: a customer, a product, both, a category, or none (the default).
    ContactId,
    ProductId,
    CategoryId,
    /// A rate on the net (basis points), or an amount per unit (cents), never both.
    RateBp,
    PerUnitCents,
    ValidFrom,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Collections {
    Table,
    Id,
    SaleId,
    CollectedOn,
    AmountCents,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CommissionStatements {
    Table,
    Id,
    SellerId,
    /// 1, 2, 3… per seller: two settlements of the same period collide on it.
    Sequence,
    PeriodFrom,
    PeriodTo,
    TotalCents,
    /// The statement as settled (JSON), shown and drawn from then on.
    Document,
    SettledBy,
    SettledAt,
}

#[derive(DeriveIden)]
enum CommissionEntries {
    Table,
    Id,
    StatementId,
    SellerId,
    /// No foreign key: a sale deleted later keeps what was settled on it.
    SaleId,
    AmountCents,
}

#[derive(DeriveIden)]
enum Sellers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Sales {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Contacts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Categories {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CommissionPlans::Table)
                    .col(big_integer(CommissionPlans::SellerId).primary_key())
                    .col(string(CommissionPlans::EarnOn))
                    .col(big_integer(CommissionPlans::UpdatedBy))
                    .col(timestamp_with_time_zone(CommissionPlans::UpdatedAt))
                    .col(integer(CommissionPlans::Version).default(1))
                    .foreign_key(&mut fk(
                        "fk_plans_seller",
                        (CommissionPlans::Table, CommissionPlans::SellerId),
                        (Sellers::Table, Sellers::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_plans_user",
                        (CommissionPlans::Table, CommissionPlans::UpdatedBy),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CommissionRules::Table)
                    .col(big_pk_auto(CommissionRules::Id))
                    .col(big_integer(CommissionRules::SellerId))
                    .col(big_integer_null(CommissionRules::ContactId))
                    .col(big_integer_null(CommissionRules::ProductId))
                    .col(big_integer_null(CommissionRules::CategoryId))
                    .col(integer_null(CommissionRules::RateBp))
                    .col(big_integer_null(CommissionRules::PerUnitCents))
                    .col(date(CommissionRules::ValidFrom))
                    .col(big_integer(CommissionRules::CreatedBy))
                    .col(timestamp_with_time_zone(CommissionRules::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_rules_seller",
                        (CommissionRules::Table, CommissionRules::SellerId),
                        (Sellers::Table, Sellers::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    // What a rule names stays while the rule does.
                    .foreign_key(&mut fk(
                        "fk_rules_contact",
                        (CommissionRules::Table, CommissionRules::ContactId),
                        (Contacts::Table, Contacts::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_rules_product",
                        (CommissionRules::Table, CommissionRules::ProductId),
                        (Products::Table, Products::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_rules_category",
                        (CommissionRules::Table, CommissionRules::CategoryId),
                        (Categories::Table, Categories::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_rules_user",
                        (CommissionRules::Table, CommissionRules::CreatedBy),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_rules_seller")
                    .table(CommissionRules::Table)
                    .col(CommissionRules::SellerId)
                    .col(CommissionRules::ValidFrom)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Collections::Table)
                    .col(big_pk_auto(Collections::Id))
                    .col(big_integer(Collections::SaleId))
                    .col(date(Collections::CollectedOn))
                    .col(big_integer(Collections::AmountCents))
                    .col(big_integer(Collections::CreatedBy))
                    .col(timestamp_with_time_zone(Collections::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_collections_sale",
                        (Collections::Table, Collections::SaleId),
                        (Sales::Table, Sales::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_collections_user",
                        (Collections::Table, Collections::CreatedBy),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager.create_index(Index::create().name("idx_collections_sale").table(Collections::Table).col(Collections::SaleId).to_owned()).await?;
        manager
            .create_table(
                Table::create()
                    .table(CommissionStatements::Table)
                    .col(big_pk_auto(CommissionStatements::Id))
                    .col(big_integer(CommissionStatements::SellerId))
                    .col(integer(CommissionStatements::Sequence))
                    .col(date(CommissionStatements::PeriodFrom))
                    .col(date(CommissionStatements::PeriodTo))
                    .col(big_integer(CommissionStatements::TotalCents))
                    .col(text(CommissionStatements::Document))
                    .col(big_integer(CommissionStatements::SettledBy))
                    .col(timestamp_with_time_zone(CommissionStatements::SettledAt))
                    .foreign_key(&mut fk(
                        "fk_statements_seller",
                        (CommissionStatements::Table, CommissionStatements::SellerId),
                        (Sellers::Table, Sellers::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_statements_user",
                        (CommissionStatements::Table, CommissionStatements::SettledBy),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_statements_sequence")
                    .table(CommissionStatements::Table)
                    .col(CommissionStatements::SellerId)
                    .col(CommissionStatements::Sequence)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CommissionEntries::Table)
                    .col(big_pk_auto(CommissionEntries::Id))
                    .col(big_integer(CommissionEntries::StatementId))
                    .col(big_integer(CommissionEntries::SellerId))
                    .col(big_integer(CommissionEntries::SaleId))
                    .col(big_integer(CommissionEntries::AmountCents))
                    .foreign_key(&mut fk(
                        "fk_entries_statement",
                        (CommissionEntries::Table, CommissionEntries::StatementId),
                        (CommissionStatements::Table, CommissionStatements::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_entries_seller_sale")
                    .table(CommissionEntries::Table)
                    .col(CommissionEntries::SellerId)
                    .col(CommissionEntries::SaleId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(CommissionEntries::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(CommissionStatements::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Collections::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(CommissionRules::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(CommissionPlans::Table).to_owned()).await
    }
}
