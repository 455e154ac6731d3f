//! Indexes for the address book at 100 000 contacts: the list walks `(lower(name), id)` in order
//! from the keyset cursor, and the duplicate-e-mail warning looks up `lower(email)`. Expression
//! indexes have the same syntax on SQLite and PostgreSQL.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("CREATE INDEX idx_contacts_name_key ON contacts (lower(name), id)").await?;
        db.execute_unprepared("CREATE INDEX idx_contacts_email_key ON contacts (lower(email))").await?;
        // The sales tab pages a contact's sales newest first: (contact, date, id) in one index.
        db.execute_unprepared("CREATE INDEX idx_sales_contact_date_id ON sales (contact_id, sale_date, id)").await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for index in ["idx_sales_contact_date_id", "idx_contacts_email_key", "idx_contacts_name_key"] {
            db.execute_unprepared(&format!("DROP INDEX {index}")).await?;
        }
        Ok(())
    }
}
