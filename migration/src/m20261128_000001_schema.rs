//! The whole Vendita schema in one migration.
//!
//! Portable between SQLite and PostgreSQL: only the schema builder is used, foreign keys are declared
//! inside `CREATE TABLE` (SQLite cannot add them later), and the seed rows take their timestamp from
//! the database itself, written in the same RFC 3339 shape SeaORM uses for `DateTime<Utc>`.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Login,
    DisplayName,
    PasswordHash,
    Role,
    Active,
    Language,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    UserId,
    CreatedAt,
    LastSeenAt,
    Ip,
}

#[derive(DeriveIden)]
enum LoginAttempts {
    Table,
    Id,
    Login,
    Ip,
    AttemptedAt,
}

#[derive(DeriveIden)]
enum Tags {
    Table,
    Id,
    Name,
    SystemKey,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Contacts {
    Table,
    Id,
    Kind,
    Name,
    Company,
    VatNumber,
    TaxCode,
    Email,
    Phone,
    Address,
    Postcode,
    City,
    Province,
    Country,
    Notes,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum ContactTags {
    Table,
    ContactId,
    TagId,
}

#[derive(DeriveIden)]
enum CrmSettings {
    Table,
    Id,
    SalesTagId,
    Currency,
    ProbLead,
    ProbNegotiation,
    ProbProposal,
    WizardDone,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Sellers {
    Table,
    Id,
    Kind,
    Name,
    UserId,
    Active,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum SellerMembers {
    Table,
    SellerId,
    UserId,
}

#[derive(DeriveIden)]
enum Categories {
    Table,
    Id,
    ParentId,
    Name,
    Position,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
    Code,
    Name,
    Description,
    CategoryId,
    Unit,
    ListPriceCents,
    VatRateBp,
    Active,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden, Clone, Copy)]
enum Sales {
    Table,
    Id,
    ContactId,
    ProductId,
    SellerId,
    QuantityMilli,
    UnitPriceCents,
    DiscountBp,
    VatRateBp,
    NetCents,
    GrossCents,
    Stage,
    Probability,
    SaleDate,
    ExpectedClose,
    ClosedDate,
    LostReason,
    Notes,
    CreatedBy,
    CreatedAt,
    UpdatedBy,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum SaleHistory {
    Table,
    Id,
    SaleId,
    UserId,
    At,
    Action,
    Field,
    OldValue,
    NewValue,
}

/// `CREATE TABLE` (no `IF NOT EXISTS`: a half-applied schema must fail loudly).
fn create(table: impl IntoIden + 'static) -> TableCreateStatement {
    Table::create().table(table).to_owned()
}

/// A foreign key `from_table.from_col -> to_table.to_col` with the given delete action.
fn fk(
    name: &str,
    from_table: impl IntoIden + 'static,
    from_col: impl IntoIden + 'static,
    to_table: impl IntoIden + 'static,
    to_col: impl IntoIden + 'static,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from_table, from_col)
        .to(to_table, to_col)
        .on_delete(on_delete)
        .on_update(ForeignKeyAction::NoAction)
        .to_owned()
}

/// The current instant as the database should store it.
/// SQLite has no timestamp type: write RFC 3339 text (`2026-11-28T10:00:00.123+00:00`), which is
/// what sqlx writes for `DateTime<Utc>`, so text comparisons keep ordering.
fn now_expr(backend: DbBackend) -> Expr {
    match backend {
        DbBackend::Sqlite => Expr::cust("strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')"),
        _ => Expr::current_timestamp(),
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();

        // ---------------------------------------------------------------- users
        manager
            .create_table(
                create(Users::Table)
                    .col(big_pk_auto(Users::Id))
                    .col(string_uniq(Users::Login))
                    .col(string(Users::DisplayName))
                    .col(string(Users::PasswordHash))
                    .col(string(Users::Role))
                    .col(boolean(Users::Active).default(true))
                    .col(string(Users::Language).default("it"))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .col(integer(Users::Version).default(1))
                    .to_owned(),
            )
            .await?;

        // ---------------------------------------------------------------- sessions
        manager
            .create_table(
                create(Sessions::Table)
                    .col(string(Sessions::Id).primary_key())
                    .col(big_integer(Sessions::UserId))
                    .col(timestamp_with_time_zone(Sessions::CreatedAt))
                    .col(timestamp_with_time_zone(Sessions::LastSeenAt))
                    .col(string_null(Sessions::Ip))
                    .foreign_key(&mut fk("fk_sessions_user", Sessions::Table, Sessions::UserId, Users::Table, Users::Id, ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(Index::create().name("idx_sessions_user").table(Sessions::Table).col(Sessions::UserId).to_owned()).await?;

        // ---------------------------------------------------------------- login_attempts
        manager
            .create_table(
                create(LoginAttempts::Table)
                    .col(big_pk_auto(LoginAttempts::Id))
                    .col(string(LoginAttempts::Login))
                    .col(string(LoginAttempts::Ip))
                    .col(timestamp_with_time_zone(LoginAttempts::AttemptedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_login_attempts_login")
                    .table(LoginAttempts::Table)
                    .col(LoginAttempts::Login)
                    .col(LoginAttempts::AttemptedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_login_attempts_ip")
                    .table(LoginAttempts::Table)
                    .col(LoginAttempts::Ip)
                    .col(LoginAttempts::AttemptedAt)
                    .to_owned(),
            )
            .await?;

        // ---------------------------------------------------------------- tags
        manager
            .create_table(
                create(Tags::Table)
                    .col(big_pk_auto(Tags::Id))
                    .col(string_uniq(Tags::Name))
                    .col(string_null(Tags::SystemKey).unique_key())
                    .col(timestamp_with_time_zone(Tags::CreatedAt))
                    .to_owned(),
            )
            .await?;

        // ---------------------------------------------------------------- contacts
        manager
            .create_table(
                create(Contacts::Table)
                    .col(big_pk_auto(Contacts::Id))
                    .col(string(Contacts::Kind))
                    .col(string(Contacts::Name))
                    .col(string_null(Contacts::Company))
                    .col(string_null(Contacts::VatNumber))
                    .col(string_null(Contacts::TaxCode))
                    .col(string_null(Contacts::Email))
                    .col(string_null(Contacts::Phone))
                    .col(string_null(Contacts::Address))
                    .col(string_null(Contacts::Postcode))
                    .col(string_null(Contacts::City))
                    .col(string_null(Contacts::Province))
                    .col(string(Contacts::Country).default("IT"))
                    .col(text_null(Contacts::Notes))
                    .col(timestamp_with_time_zone(Contacts::CreatedAt))
                    .col(timestamp_with_time_zone(Contacts::UpdatedAt))
                    .col(integer(Contacts::Version).default(1))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("idx_contacts_name_id", &[Contacts::Name, Contacts::Id][..]),
            ("idx_contacts_company", &[Contacts::Company][..]),
            ("idx_contacts_email", &[Contacts::Email][..]),
            ("idx_contacts_vat_number", &[Contacts::VatNumber][..]),
            ("idx_contacts_city", &[Contacts::City][..]),
        ] {
            let mut idx = Index::create();
            idx.name(name).table(Contacts::Table);
            for c in cols {
                idx.col(*c);
            }
            manager.create_index(idx.to_owned()).await?;
        }

        // ---------------------------------------------------------------- contact_tags
        manager
            .create_table(
                create(ContactTags::Table)
                    .col(big_integer(ContactTags::ContactId))
                    .col(big_integer(ContactTags::TagId))
                    .primary_key(Index::create().name("pk_contact_tags").col(ContactTags::ContactId).col(ContactTags::TagId))
                    .foreign_key(&mut fk(
                        "fk_contact_tags_contact",
                        ContactTags::Table,
                        ContactTags::ContactId,
                        Contacts::Table,
                        Contacts::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_contact_tags_tag",
                        ContactTags::Table,
                        ContactTags::TagId,
                        Tags::Table,
                        Tags::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_contact_tags_tag_contact")
                    .table(ContactTags::Table)
                    .col(ContactTags::TagId)
                    .col(ContactTags::ContactId)
                    .to_owned(),
            )
            .await?;

        // ---------------------------------------------------------------- crm_settings
        manager
            .create_table(
                create(CrmSettings::Table)
                    .col(integer(CrmSettings::Id).primary_key())
                    .col(big_integer_null(CrmSettings::SalesTagId))
                    .col(string(CrmSettings::Currency).default("EUR"))
                    .col(integer(CrmSettings::ProbLead).default(10))
                    .col(integer(CrmSettings::ProbNegotiation).default(30))
                    .col(integer(CrmSettings::ProbProposal).default(60))
                    .col(boolean(CrmSettings::WizardDone).default(false))
                    .col(timestamp_with_time_zone(CrmSettings::UpdatedAt))
                    .col(integer(CrmSettings::Version).default(1))
                    .foreign_key(&mut fk(
                        "fk_crm_settings_sales_tag",
                        CrmSettings::Table,
                        CrmSettings::SalesTagId,
                        Tags::Table,
                        Tags::Id,
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;

        // ---------------------------------------------------------------- sellers
        manager
            .create_table(
                create(Sellers::Table)
                    .col(big_pk_auto(Sellers::Id))
                    .col(string(Sellers::Kind))
                    .col(string_uniq(Sellers::Name))
                    .col(big_integer_null(Sellers::UserId).unique_key())
                    .col(boolean(Sellers::Active).default(true))
                    .col(timestamp_with_time_zone(Sellers::CreatedAt))
                    .col(timestamp_with_time_zone(Sellers::UpdatedAt))
                    .col(integer(Sellers::Version).default(1))
                    .foreign_key(&mut fk("fk_sellers_user", Sellers::Table, Sellers::UserId, Users::Table, Users::Id, ForeignKeyAction::Restrict))
                    .to_owned(),
            )
            .await?;

        // ---------------------------------------------------------------- seller_members
        manager
            .create_table(
                create(SellerMembers::Table)
                    .col(big_integer(SellerMembers::SellerId))
                    .col(big_integer(SellerMembers::UserId))
                    .primary_key(Index::create().name("pk_seller_members").col(SellerMembers::SellerId).col(SellerMembers::UserId))
                    .foreign_key(&mut fk(
                        "fk_seller_members_seller",
                        SellerMembers::Table,
                        SellerMembers::SellerId,
                        Sellers::Table,
                        Sellers::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_seller_members_user",
                        SellerMembers::Table,
                        SellerMembers::UserId,
                        Users::Table,
                        Users::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("idx_seller_members_user").table(SellerMembers::Table).col(SellerMembers::UserId).to_owned())
            .await?;

        // ---------------------------------------------------------------- categories
        manager
            .create_table(
                create(Categories::Table)
                    .col(big_pk_auto(Categories::Id))
                    .col(big_integer_null(Categories::ParentId))
                    .col(string(Categories::Name))
                    .col(integer(Categories::Position).default(0))
                    .col(timestamp_with_time_zone(Categories::CreatedAt))
                    .col(timestamp_with_time_zone(Categories::UpdatedAt))
                    .col(integer(Categories::Version).default(1))
                    .foreign_key(&mut fk(
                        "fk_categories_parent",
                        Categories::Table,
                        Categories::ParentId,
                        Categories::Table,
                        Categories::Id,
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager.create_index(Index::create().name("idx_categories_parent").table(Categories::Table).col(Categories::ParentId).to_owned()).await?;

        // ---------------------------------------------------------------- products
        manager
            .create_table(
                create(Products::Table)
                    .col(big_pk_auto(Products::Id))
                    .col(string_uniq(Products::Code))
                    .col(string(Products::Name))
                    .col(text_null(Products::Description))
                    .col(big_integer_null(Products::CategoryId))
                    .col(string(Products::Unit).default("pz"))
                    .col(big_integer(Products::ListPriceCents))
                    .col(integer(Products::VatRateBp))
                    .col(boolean(Products::Active).default(true))
                    .col(timestamp_with_time_zone(Products::CreatedAt))
                    .col(timestamp_with_time_zone(Products::UpdatedAt))
                    .col(integer(Products::Version).default(1))
                    .foreign_key(&mut fk(
                        "fk_products_category",
                        Products::Table,
                        Products::CategoryId,
                        Categories::Table,
                        Categories::Id,
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager.create_index(Index::create().name("idx_products_category").table(Products::Table).col(Products::CategoryId).to_owned()).await?;

        // ---------------------------------------------------------------- sales
        manager
            .create_table(
                create(Sales::Table)
                    .col(big_pk_auto(Sales::Id))
                    .col(big_integer(Sales::ContactId))
                    .col(big_integer(Sales::ProductId))
                    .col(big_integer(Sales::SellerId))
                    .col(big_integer(Sales::QuantityMilli))
                    .col(big_integer(Sales::UnitPriceCents))
                    .col(integer(Sales::DiscountBp).default(0))
                    .col(integer(Sales::VatRateBp))
                    .col(big_integer(Sales::NetCents))
                    .col(big_integer(Sales::GrossCents))
                    .col(string(Sales::Stage))
                    .col(integer(Sales::Probability))
                    .col(date(Sales::SaleDate))
                    .col(date_null(Sales::ExpectedClose))
                    .col(date_null(Sales::ClosedDate))
                    .col(string_null(Sales::LostReason))
                    .col(text_null(Sales::Notes))
                    .col(big_integer(Sales::CreatedBy))
                    .col(timestamp_with_time_zone(Sales::CreatedAt))
                    .col(big_integer(Sales::UpdatedBy))
                    .col(timestamp_with_time_zone(Sales::UpdatedAt))
                    .col(integer(Sales::Version).default(1))
                    .foreign_key(&mut fk(
                        "fk_sales_contact",
                        Sales::Table,
                        Sales::ContactId,
                        Contacts::Table,
                        Contacts::Id,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_sales_product",
                        Sales::Table,
                        Sales::ProductId,
                        Products::Table,
                        Products::Id,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk("fk_sales_seller", Sales::Table, Sales::SellerId, Sellers::Table, Sellers::Id, ForeignKeyAction::Restrict))
                    .foreign_key(&mut fk("fk_sales_created_by", Sales::Table, Sales::CreatedBy, Users::Table, Users::Id, ForeignKeyAction::Restrict))
                    .foreign_key(&mut fk("fk_sales_updated_by", Sales::Table, Sales::UpdatedBy, Users::Table, Users::Id, ForeignKeyAction::Restrict))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("idx_sales_contact_date", &[Sales::ContactId, Sales::SaleDate][..]),
            ("idx_sales_seller_date", &[Sales::SellerId, Sales::SaleDate][..]),
            ("idx_sales_sale_date", &[Sales::SaleDate][..]),
            ("idx_sales_stage_expected", &[Sales::Stage, Sales::ExpectedClose][..]),
            ("idx_sales_product", &[Sales::ProductId][..]),
        ] {
            let mut idx = Index::create();
            idx.name(name).table(Sales::Table);
            for c in cols {
                idx.col(*c);
            }
            manager.create_index(idx.to_owned()).await?;
        }

        // ---------------------------------------------------------------- sale_history
        // No foreign key on sale_id: the history outlives a deleted sale.
        manager
            .create_table(
                create(SaleHistory::Table)
                    .col(big_pk_auto(SaleHistory::Id))
                    .col(big_integer(SaleHistory::SaleId))
                    .col(big_integer(SaleHistory::UserId))
                    .col(timestamp_with_time_zone(SaleHistory::At))
                    .col(string(SaleHistory::Action))
                    .col(string_null(SaleHistory::Field))
                    .col(string_null(SaleHistory::OldValue))
                    .col(string_null(SaleHistory::NewValue))
                    .foreign_key(&mut fk(
                        "fk_sale_history_user",
                        SaleHistory::Table,
                        SaleHistory::UserId,
                        Users::Table,
                        Users::Id,
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("idx_sale_history_sale_at").table(SaleHistory::Table).col(SaleHistory::SaleId).col(SaleHistory::At).to_owned(),
            )
            .await?;

        // ---------------------------------------------------------------- seed rows
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(Tags::Table)
                    .columns([Tags::Name, Tags::SystemKey, Tags::CreatedAt])
                    .values_panic(["Clienti".into(), "customers".into(), now_expr(backend)])
                    .values_panic(["Fornitori".into(), "suppliers".into(), now_expr(backend)])
                    .to_owned(),
            )
            .await?;

        manager
            .exec_stmt(
                Query::insert()
                    .into_table(CrmSettings::Table)
                    .columns([
                        CrmSettings::Id,
                        CrmSettings::SalesTagId,
                        CrmSettings::Currency,
                        CrmSettings::ProbLead,
                        CrmSettings::ProbNegotiation,
                        CrmSettings::ProbProposal,
                        CrmSettings::WizardDone,
                        CrmSettings::UpdatedAt,
                        CrmSettings::Version,
                    ])
                    .values_panic([
                        1i32.into(),
                        Expr::val(Option::<i64>::None),
                        "EUR".into(),
                        10i32.into(),
                        30i32.into(),
                        60i32.into(),
                        false.into(),
                        now_expr(backend),
                        1i32.into(),
                    ])
                    .to_owned(),
            )
            .await?;

        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The category tree references itself with RESTRICT, and SQLite's DROP TABLE deletes row by
        // row: detach the children first.
        if manager.has_table("categories").await? {
            manager.exec_stmt(Query::update().table(Categories::Table).value(Categories::ParentId, Option::<i64>::None).to_owned()).await?;
        }
        // Children before parents.
        for table in [
            SaleHistory::Table.into_iden(),
            Sales::Table.into_iden(),
            Products::Table.into_iden(),
            Categories::Table.into_iden(),
            SellerMembers::Table.into_iden(),
            Sellers::Table.into_iden(),
            CrmSettings::Table.into_iden(),
            ContactTags::Table.into_iden(),
            Contacts::Table.into_iden(),
            Tags::Table.into_iden(),
            LoginAttempts::Table.into_iden(),
            Sessions::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).if_exists().to_owned()).await?;
        }
        Ok(())
    }
}
