//! Agents (*agenti di commercio*): a seller's plan says whether he is one, mono- or
//! plurimandatario, and whether the company accrues FIRR for him; the Enasarco rates, ceilings,
//! minimums and FIRR brackets are kept per year (`enasarco_years`), prefilled with the values
//! the Fondazione Enasarco published for 2025 and 2026 (their sources: `docs/commissions.md`),
//! and changed by a manager when a new year's are out.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CommissionPlans {
    Table,
    /// `none` | `mono` | `pluri`
    Agent,
    Firr,
}

#[derive(DeriveIden)]
enum EnasarcoYears {
    Table,
    Year,
    /// The contribution on commissions (1700 = 17 %), of which the company pays `company_bp`.
    RateBp,
    CompanyBp,
    /// The yearly commissions on which contributions are due, at most, per agency relationship.
    CeilingMonoCents,
    CeilingPluriCents,
    /// The yearly minimum contribution.
    MinimumMonoCents,
    MinimumPluriCents,
    /// FIRR: `firr_rate1` on commissions up to `*_step1`, `firr_rate2` up to `*_step2`,
    /// `firr_rate3` above.
    FirrRate1Bp,
    FirrRate2Bp,
    FirrRate3Bp,
    FirrMonoStep1Cents,
    FirrMonoStep2Cents,
    FirrPluriStep1Cents,
    FirrPluriStep2Cents,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(CommissionPlans::Table).add_column(string(CommissionPlans::Agent).default("none")).to_owned())
            .await?;
        manager
            .alter_table(Table::alter().table(CommissionPlans::Table).add_column(boolean(CommissionPlans::Firr).default(false)).to_owned())
            .await?;
        let mut table = Table::create();
        table.table(EnasarcoYears::Table).col(integer(EnasarcoYears::Year).primary_key());
        table.col(integer(EnasarcoYears::RateBp)).col(integer(EnasarcoYears::CompanyBp));
        for c in [
            EnasarcoYears::CeilingMonoCents,
            EnasarcoYears::CeilingPluriCents,
            EnasarcoYears::MinimumMonoCents,
            EnasarcoYears::MinimumPluriCents,
            EnasarcoYears::FirrMonoStep1Cents,
            EnasarcoYears::FirrMonoStep2Cents,
            EnasarcoYears::FirrPluriStep1Cents,
            EnasarcoYears::FirrPluriStep2Cents,
        ] {
            table.col(big_integer(c));
        }
        table.col(integer(EnasarcoYears::FirrRate1Bp)).col(integer(EnasarcoYears::FirrRate2Bp)).col(integer(EnasarcoYears::FirrRate3Bp));
        table.col(timestamp_with_time_zone(EnasarcoYears::UpdatedAt));
        manager.create_table(table.to_owned()).await?;
        // 17 % (8,50 % the company's); ceilings and minimums of 2025 and 2026; FIRR 4 / 2 / 1 %
        // up to 12 400 and 18 600 € (mono), 6 200 and 9 300 € (pluri).
        for (year, ceiling_mono, ceiling_pluri, minimum_mono, minimum_pluri) in
            [(2025, 4_508_500i64, 3_005_700i64, 101_100i64, 50_700i64), (2026, 4_571_700, 3_047_800, 102_600, 51_500)]
        {
            manager
                .exec_stmt(
                    Query::insert()
                        .into_table(EnasarcoYears::Table)
                        .columns([
                            EnasarcoYears::Year,
                            EnasarcoYears::RateBp,
                            EnasarcoYears::CompanyBp,
                            EnasarcoYears::CeilingMonoCents,
                            EnasarcoYears::CeilingPluriCents,
                            EnasarcoYears::MinimumMonoCents,
                            EnasarcoYears::MinimumPluriCents,
                            EnasarcoYears::FirrRate1Bp,
                            EnasarcoYears::FirrRate2Bp,
                            EnasarcoYears::FirrRate3Bp,
                            EnasarcoYears::FirrMonoStep1Cents,
                            EnasarcoYears::FirrMonoStep2Cents,
                            EnasarcoYears::FirrPluriStep1Cents,
                            EnasarcoYears::FirrPluriStep2Cents,
                            EnasarcoYears::UpdatedAt,
                        ])
                        .values_panic([
                            year.into(),
                            1700.into(),
                            850.into(),
                            ceiling_mono.into(),
                            ceiling_pluri.into(),
                            minimum_mono.into(),
                            minimum_pluri.into(),
                            400.into(),
                            200.into(),
                            100.into(),
                            1_240_000i64.into(),
                            1_860_000i64.into(),
                            620_000i64.into(),
                            930_000i64.into(),
                            Expr::current_timestamp(),
                        ])
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(EnasarcoYears::Table).to_owned()).await?;
        manager.alter_table(Table::alter().table(CommissionPlans::Table).drop_column(CommissionPlans::Firr).to_owned()).await?;
        manager.alter_table(Table::alter().table(CommissionPlans::Table).drop_column(CommissionPlans::Agent).to_owned()).await
    }
}
