//! Offers reach the customer: accepted online through a link (`accept_token`, 256 random bits,
//! live while the offer waits for its answer), the signer's name, time and address kept; each
//! revision remembers to whom it was e-mailed (`offer_revisions.sent_to`); the home page lists
//! the latest answers (`offers.decided_on` indexed); the letterhead carries the company's logo
//! (`company_logo`, one row: a PNG re-encoded on upload, kept apart so the profile reads light).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Offers {
    Table,
    /// Whether the customer may accept online (a link is made when the offer is sent).
    OnlineAcceptance,
    AcceptToken,
    /// Who accepted online, when, from which address.
    AcceptedName,
    AcceptedAt,
    AcceptedAddress,
    DecidedOn,
}

#[derive(DeriveIden)]
enum OfferRevisions {
    Table,
    /// The addresses the revision was e-mailed to; empty when marked sent by hand.
    SentTo,
}

#[derive(DeriveIden)]
enum CompanyLogo {
    Table,
    Id,
    Png,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        let offers = [
            boolean(Offers::OnlineAcceptance).default(false).to_owned(),
            string_null(Offers::AcceptToken),
            string_null(Offers::AcceptedName),
            timestamp_with_time_zone_null(Offers::AcceptedAt),
            string_null(Offers::AcceptedAddress),
        ];
        for mut column in offers {
            manager.alter_table(Table::alter().table(Offers::Table).add_column(&mut column).to_owned()).await?;
        }
        manager.create_index(Index::create().name("offers_accept_token").table(Offers::Table).col(Offers::AcceptToken).unique().to_owned()).await?;
        // The home page's latest answers.
        manager.create_index(Index::create().name("offers_decided_on").table(Offers::Table).col(Offers::DecidedOn).to_owned()).await?;
        manager.alter_table(Table::alter().table(OfferRevisions::Table).add_column(text_null(OfferRevisions::SentTo)).to_owned()).await?;
        manager
            .create_table(
                Table::create()
                    .table(CompanyLogo::Table)
                    .col(integer(CompanyLogo::Id).primary_key())
                    .col(blob(CompanyLogo::Png))
                    .col(timestamp_with_time_zone(CompanyLogo::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(CompanyLogo::Table).to_owned()).await?;
        manager.alter_table(Table::alter().table(OfferRevisions::Table).drop_column(OfferRevisions::SentTo).to_owned()).await?;
        manager.drop_index(Index::drop().name("offers_decided_on").table(Offers::Table).to_owned()).await?;
        manager.drop_index(Index::drop().name("offers_accept_token").table(Offers::Table).to_owned()).await?;
        for column in [Offers::AcceptedAddress, Offers::AcceptedAt, Offers::AcceptedName, Offers::AcceptToken, Offers::OnlineAcceptance] {
            manager.alter_table(Table::alter().table(Offers::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
