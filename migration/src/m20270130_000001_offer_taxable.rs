//! Each offer keeps its taxable (Σ the nets of its priced lines, written with its lines), so the
//! offers list counts and sums a filtered set of any size without reading a line; the list's
//! order (`offer_date`, `id`) has its index.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Offers {
    Table,
    TaxableCents,
    OfferDate,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(Offers::Table).add_column(big_integer(Offers::TaxableCents).default(0)).to_owned()).await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE offers SET taxable_cents = COALESCE((SELECT SUM(l.net_cents) FROM offer_lines l \
                 WHERE l.offer_id = offers.id AND l.kind IN ('product', 'text')), 0)",
            )
            .await?;
        manager.create_index(Index::create().name("offers_by_date").table(Offers::Table).col(Offers::OfferDate).col(Offers::Id).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("offers_by_date").table(Offers::Table).to_owned()).await?;
        manager.alter_table(Table::alter().table(Offers::Table).drop_column(Offers::TaxableCents).to_owned()).await
    }
}
