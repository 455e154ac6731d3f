//! The report's aggregate cells kept as data (written in the same transaction as every sale, so
//! the report data set is read, not computed), the sellers' monthly targets, and the forecast
//! frozen on the first day of each month. The same SQL on SQLite and PostgreSQL.
//!
//! - `report_cells`: one row per (month the sale counts in, seller, product, stage, lost reason
//!   (0: none), the contact's tag ids as text, e.g. `4,9`), with the count and sums of its sales.
//!   Filled by the application at start when empty (`reports::ssr::cells::build_if_missing`).
//! - `targets`: a seller's won net revenue target for a month, in total (category 0) or for one
//!   top-level category; one row per seller × month × category, with a version (an import's undo
//!   checks it).
//! - `snapshot_months`: one row per month whose forecast was frozen (its primary key makes it
//!   exactly once); `forecast_snapshots`: what was frozen, per seller × expected-close month ×
//!   top-level category (0: products without one).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: [&str; 4] = ["report_cells", "targets", "forecast_snapshots", "snapshot_months"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let (timestamp, id) = match manager.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => ("TIMESTAMP WITH TIME ZONE", "BIGSERIAL PRIMARY KEY"),
            _ => ("TEXT", "INTEGER PRIMARY KEY AUTOINCREMENT"),
        };
        let statements = [
            "CREATE TABLE report_cells (month INTEGER NOT NULL, seller_id BIGINT NOT NULL, product_id BIGINT NOT NULL, \
             stage VARCHAR NOT NULL, reason_id BIGINT NOT NULL, tag_key VARCHAR NOT NULL, \
             n BIGINT NOT NULL, net BIGINT NOT NULL, weighted BIGINT NOT NULL, \
             PRIMARY KEY (month, seller_id, product_id, stage, reason_id, tag_key))"
                .to_owned(),
            "CREATE INDEX idx_report_cells_seller ON report_cells (seller_id, month)".to_owned(),
            format!(
                "CREATE TABLE targets (id {id}, seller_id BIGINT NOT NULL REFERENCES sellers (id) ON DELETE CASCADE, month INTEGER NOT NULL, \
                 category_id BIGINT NOT NULL, amount_cents BIGINT NOT NULL, updated_by BIGINT NOT NULL REFERENCES users (id), \
                 updated_at {timestamp} NOT NULL, version INTEGER NOT NULL DEFAULT 1)"
            ),
            "CREATE UNIQUE INDEX idx_targets_key ON targets (seller_id, month, category_id)".to_owned(),
            format!("CREATE TABLE snapshot_months (month INTEGER NOT NULL PRIMARY KEY, taken_at {timestamp} NOT NULL, late BOOLEAN NOT NULL)"),
            "CREATE TABLE forecast_snapshots (month INTEGER NOT NULL REFERENCES snapshot_months (month) ON DELETE CASCADE, \
             seller_id BIGINT NOT NULL, close_month INTEGER NOT NULL, category_id BIGINT NOT NULL, \
             n BIGINT NOT NULL, open_net BIGINT NOT NULL, weighted BIGINT NOT NULL, \
             PRIMARY KEY (month, seller_id, close_month, category_id))"
                .to_owned(),
        ];
        for sql in statements {
            manager.get_connection().execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES.iter().rev() {
            manager.get_connection().execute_unprepared(&format!("DROP TABLE {table}")).await?;
        }
        Ok(())
    }
}
