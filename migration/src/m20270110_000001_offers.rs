//! Offers (*preventivi*) and the company's profile printed on them (`company_profile`, one row).
//! A contact's offer with its lines, numbered per year when first sent
//! (`offer_numbers` holds each year's last number), and what the customer received for each
//! revision, frozen (`offer_revisions`). A product line becomes a sale when the offer is sent
//! (`offer_lines.sale_id`).

use sea_orm_migration::{prelude::*, schema::*};

use crate::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Offers {
    Table,
    Id,
    ContactId,
    SellerId,
    /// `draft` | `sent` | `accepted` | `rejected`
    State,
    /// Given when first sent: the year and the number within it.
    Year,
    Number,
    Revision,
    /// `it` | `en`: the document's language.
    Language,
    OfferDate,
    ValidUntil,
    PaymentTerms,
    DeliveryTerms,
    Intro,
    Closing,
    SentAt,
    DecidedOn,
    LostReasonId,
    CreatedBy,
    CreatedAt,
    UpdatedBy,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum OfferLines {
    Table,
    Id,
    OfferId,
    Position,
    /// `product` | `text` | `section` | `note`
    Kind,
    ProductId,
    Description,
    QuantityMilli,
    Unit,
    UnitPriceCents,
    /// As typed: "10+5".
    Discount,
    /// The effective discount, in basis points.
    DiscountBp,
    VatRateBp,
    NetCents,
    SaleId,
}

#[derive(DeriveIden)]
enum OfferNumbers {
    Table,
    Year,
    Last,
}

#[derive(DeriveIden)]
enum OfferRevisions {
    Table,
    Id,
    OfferId,
    Revision,
    SentAt,
    SentBy,
    /// The offer as the customer received it (JSON): names, prices and totals as they were.
    Document,
}

#[derive(DeriveIden)]
enum CompanyProfile {
    Table,
    Id,
    Name,
    Address,
    Postcode,
    City,
    Province,
    VatNumber,
    TaxCode,
    Rea,
    Phone,
    Email,
    Iban,
    /// Days an offer stays valid when its form leaves the validity empty.
    ValidityDays,
    /// The payment and the delivery terms offered on an offer, one a line.
    PaymentTerms,
    DeliveryTerms,
    /// A new offer's introduction and closing texts.
    OfferIntro,
    OfferClosing,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Contacts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Sellers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Sales {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum LostReasons {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut profile = Table::create();
        profile.table(CompanyProfile::Table).col(integer(CompanyProfile::Id).primary_key());
        for column in [
            CompanyProfile::Name,
            CompanyProfile::Address,
            CompanyProfile::Postcode,
            CompanyProfile::City,
            CompanyProfile::Province,
            CompanyProfile::VatNumber,
            CompanyProfile::TaxCode,
            CompanyProfile::Rea,
            CompanyProfile::Phone,
            CompanyProfile::Email,
            CompanyProfile::Iban,
        ] {
            profile.col(string(column).default(""));
        }
        profile.col(integer(CompanyProfile::ValidityDays).default(30));
        for column in [CompanyProfile::PaymentTerms, CompanyProfile::DeliveryTerms, CompanyProfile::OfferIntro, CompanyProfile::OfferClosing] {
            profile.col(text(column).default(""));
        }
        profile.col(timestamp_with_time_zone(CompanyProfile::UpdatedAt)).col(integer(CompanyProfile::Version).default(1));
        manager.create_table(profile.to_owned()).await?;
        // The one row, empty until a manager fills it.
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(CompanyProfile::Table)
                    .columns([CompanyProfile::Id, CompanyProfile::UpdatedAt, CompanyProfile::Version])
                    .values_panic([1.into(), Expr::current_timestamp(), 1.into()])
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create().table(OfferNumbers::Table).col(integer(OfferNumbers::Year).primary_key()).col(integer(OfferNumbers::Last)).to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Offers::Table)
                    .col(big_pk_auto(Offers::Id))
                    .col(big_integer(Offers::ContactId))
                    .col(big_integer(Offers::SellerId))
                    .col(string(Offers::State))
                    .col(integer_null(Offers::Year))
                    .col(integer_null(Offers::Number))
                    .col(integer(Offers::Revision).default(1))
                    .col(string(Offers::Language))
                    .col(date(Offers::OfferDate))
                    .col(date(Offers::ValidUntil))
                    .col(text_null(Offers::PaymentTerms))
                    .col(text_null(Offers::DeliveryTerms))
                    .col(text_null(Offers::Intro))
                    .col(text_null(Offers::Closing))
                    .col(timestamp_with_time_zone_null(Offers::SentAt))
                    .col(date_null(Offers::DecidedOn))
                    .col(big_integer_null(Offers::LostReasonId))
                    .col(big_integer(Offers::CreatedBy))
                    .col(timestamp_with_time_zone(Offers::CreatedAt))
                    .col(big_integer(Offers::UpdatedBy))
                    .col(timestamp_with_time_zone(Offers::UpdatedAt))
                    .col(integer(Offers::Version).default(1))
                    // A contact's drafts go with it; one with sent offers has their sales and stays.
                    .foreign_key(&mut fk(
                        "fk_offers_contact",
                        (Offers::Table, Offers::ContactId),
                        (Contacts::Table, Contacts::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_offers_seller",
                        (Offers::Table, Offers::SellerId),
                        (Sellers::Table, Sellers::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_offers_lost_reason",
                        (Offers::Table, Offers::LostReasonId),
                        (LostReasons::Table, LostReasons::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_offers_created_by",
                        (Offers::Table, Offers::CreatedBy),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_offers_updated_by",
                        (Offers::Table, Offers::UpdatedBy),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        // One number per year: the same number twice is refused by the database itself.
        manager
            .create_index(Index::create().name("idx_offers_number").table(Offers::Table).col(Offers::Year).col(Offers::Number).unique().to_owned())
            .await?;
        manager
            .create_index(Index::create().name("idx_offers_contact").table(Offers::Table).col(Offers::ContactId).col(Offers::OfferDate).to_owned())
            .await?;
        manager
            .create_index(Index::create().name("idx_offers_seller").table(Offers::Table).col(Offers::SellerId).col(Offers::OfferDate).to_owned())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OfferLines::Table)
                    .col(big_pk_auto(OfferLines::Id))
                    .col(big_integer(OfferLines::OfferId))
                    .col(integer(OfferLines::Position))
                    .col(string(OfferLines::Kind))
                    .col(big_integer_null(OfferLines::ProductId))
                    .col(text(OfferLines::Description))
                    .col(big_integer(OfferLines::QuantityMilli))
                    .col(string(OfferLines::Unit))
                    .col(big_integer(OfferLines::UnitPriceCents))
                    .col(string(OfferLines::Discount))
                    .col(integer(OfferLines::DiscountBp))
                    .col(integer(OfferLines::VatRateBp))
                    .col(big_integer(OfferLines::NetCents))
                    .col(big_integer_null(OfferLines::SaleId))
                    .foreign_key(&mut fk(
                        "fk_offer_lines_offer",
                        (OfferLines::Table, OfferLines::OfferId),
                        (Offers::Table, Offers::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    // A product deleted later leaves the line its description.
                    .foreign_key(&mut fk(
                        "fk_offer_lines_product",
                        (OfferLines::Table, OfferLines::ProductId),
                        (Products::Table, Products::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut fk(
                        "fk_offer_lines_sale",
                        (OfferLines::Table, OfferLines::SaleId),
                        (Sales::Table, Sales::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("idx_offer_lines_offer").table(OfferLines::Table).col(OfferLines::OfferId).col(OfferLines::Position).to_owned(),
            )
            .await?;
        manager.create_index(Index::create().name("idx_offer_lines_sale").table(OfferLines::Table).col(OfferLines::SaleId).to_owned()).await?;
        manager
            .create_table(
                Table::create()
                    .table(OfferRevisions::Table)
                    .col(big_pk_auto(OfferRevisions::Id))
                    .col(big_integer(OfferRevisions::OfferId))
                    .col(integer(OfferRevisions::Revision))
                    .col(timestamp_with_time_zone(OfferRevisions::SentAt))
                    .col(big_integer(OfferRevisions::SentBy))
                    .col(text(OfferRevisions::Document))
                    .foreign_key(&mut fk(
                        "fk_offer_revisions_offer",
                        (OfferRevisions::Table, OfferRevisions::OfferId),
                        (Offers::Table, Offers::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_offer_revisions_sent_by",
                        (OfferRevisions::Table, OfferRevisions::SentBy),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_offer_revisions_offer")
                    .table(OfferRevisions::Table)
                    .col(OfferRevisions::OfferId)
                    .col(OfferRevisions::Revision)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            OfferRevisions::Table.into_iden(),
            OfferLines::Table.into_iden(),
            Offers::Table.into_iden(),
            OfferNumbers::Table.into_iden(),
            CompanyProfile::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
