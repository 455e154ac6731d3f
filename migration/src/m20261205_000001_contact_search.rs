//! Indexes for the address book at 100 000 contacts: the list walks `(lower(name), id)` in order
//! from the keyset cursor, and the duplicate-e-mail warning looks up `lower(email)`. Expression
//! indexes have the same syntax on SQLite and PostgreSQL. On SQLite a full-text index with the
//! trigram tokenizer answers "contains this text" searches without scanning the table; triggers
//! keep it in step with `contacts`. PostgreSQL searches with LIKE.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

const SEARCHED: &str = "name, company, email, vat_number, city";

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
        if manager.get_database_backend() == DbBackend::Sqlite {
            let old = SEARCHED.split(", ").map(|c| format!("old.{c}")).collect::<Vec<_>>().join(", ");
            let new = SEARCHED.split(", ").map(|c| format!("new.{c}")).collect::<Vec<_>>().join(", ");
            for sql in [
                format!("CREATE VIRTUAL TABLE contacts_search USING fts5({SEARCHED}, content='contacts', content_rowid='id', tokenize='trigram')"),
                format!(
                    "CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts BEGIN INSERT INTO contacts_search(rowid, {SEARCHED}) VALUES (new.id, {new}); END"
                ),
                format!(
                    "CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts BEGIN INSERT INTO contacts_search(contacts_search, rowid, {SEARCHED}) VALUES ('delete', old.id, {old}); END"
                ),
                format!(
                    "CREATE TRIGGER contacts_search_update AFTER UPDATE ON contacts BEGIN \
                     INSERT INTO contacts_search(contacts_search, rowid, {SEARCHED}) VALUES ('delete', old.id, {old}); \
                     INSERT INTO contacts_search(rowid, {SEARCHED}) VALUES (new.id, {new}); END"
                ),
                "INSERT INTO contacts_search(contacts_search) VALUES ('rebuild')".to_string(),
            ] {
                db.execute_unprepared(&sql).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if manager.get_database_backend() == DbBackend::Sqlite {
            for trigger in ["contacts_search_insert", "contacts_search_delete", "contacts_search_update"] {
                db.execute_unprepared(&format!("DROP TRIGGER {trigger}")).await?;
            }
            db.execute_unprepared("DROP TABLE contacts_search").await?;
        }
        for index in ["idx_sales_contact_date_id", "idx_contacts_email_key", "idx_contacts_name_key"] {
            db.execute_unprepared(&format!("DROP INDEX {index}")).await?;
        }
        Ok(())
    }
}
