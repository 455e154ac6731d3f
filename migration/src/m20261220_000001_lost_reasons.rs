//! Lost reasons: a list managers keep (*Configurazione → CRM → Motivi di perdita*), seeded with an
//! Italian default list. A lost sale names one of them (`sales.lost_reason_id`) and may add a note
//! (`sales.lost_note`, the free text every lost sale carried so far). The sales lost before the
//! list existed point at *Altro*, their text kept as the note.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LostReasons {
    Table,
    Id,
    Name,
    Position,
    Active,
}

/// The default list, in the order it is offered; the last one takes the older lost sales.
pub const DEFAULTS: [&str; 5] = ["Prezzo", "Concorrenza", "Tempistica", "Nessuna risposta", "Altro"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LostReasons::Table)
                    .col(big_pk_auto(LostReasons::Id))
                    .col(string(LostReasons::Name))
                    .col(integer(LostReasons::Position))
                    .col(boolean(LostReasons::Active).default(true))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        // Unique in any case: "Prezzo" and "prezzo" are one reason.
        db.execute_unprepared("CREATE UNIQUE INDEX idx_lost_reasons_name_key ON lost_reasons (lower(name))").await?;
        for (position, name) in DEFAULTS.iter().enumerate() {
            db.execute_unprepared(&format!("INSERT INTO lost_reasons (name, position, active) VALUES ('{name}', {}, TRUE)", position + 1)).await?;
        }
        // SQLite adds a column with a reference only when its default is NULL, as here.
        db.execute_unprepared("ALTER TABLE sales ADD COLUMN lost_reason_id BIGINT NULL REFERENCES lost_reasons (id)").await?;
        db.execute_unprepared("ALTER TABLE sales RENAME COLUMN lost_reason TO lost_note").await?;
        db.execute_unprepared("UPDATE sales SET lost_reason_id = (SELECT id FROM lost_reasons WHERE name = 'Altro') WHERE stage = 'lost'").await?;
        db.execute_unprepared("CREATE INDEX idx_sales_lost_reason ON sales (lost_reason_id)").await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("DROP INDEX idx_sales_lost_reason").await?;
        db.execute_unprepared("ALTER TABLE sales RENAME COLUMN lost_note TO lost_reason").await?;
        db.execute_unprepared("ALTER TABLE sales DROP COLUMN lost_reason_id").await?;
        manager.drop_table(Table::drop().table(LostReasons::Table).to_owned()).await
    }
}
