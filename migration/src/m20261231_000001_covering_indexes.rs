//! Indexes that answer the desk's figures without reading the rows:
//! - the open deals by expected close also carry the seller, the net and the probability, so the
//!   overdue counts per seller and the totals of a list filtered on stage and expected close (the
//!   overdue deals, a month's proposals) read the index alone; it replaces the (stage, expected
//!   close) index, which it starts with;
//! - the open deals alone by expected close and id (a partial index), so the home page's overdue
//!   and closing-soon lists and the list's overdue page read their first rows in order, however
//!   many won and lost sales closed before them;
//! - the report cells by stage, month and seller carry their sums, so the home page's pipeline and
//!   won figures read a few thousand index entries, not the cells table.
//!
//! The same syntax on SQLite and PostgreSQL.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const CREATE: [&str; 3] = [
    "CREATE INDEX idx_sales_stage_close ON sales (stage, expected_close, seller_id, net_cents, probability)",
    // The condition as the queries write it (`desk::ssr::open`), values in the same order: SQLite
    // uses a partial index only for a query that repeats its condition.
    "CREATE INDEX idx_sales_open_close ON sales (expected_close, id) WHERE stage IN ('lead', 'negotiation', 'proposal')",
    "CREATE INDEX idx_report_cells_stage ON report_cells (stage, month, seller_id, n, net, weighted)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for sql in CREATE {
            db.execute_unprepared(sql).await?;
        }
        db.execute_unprepared("DROP INDEX idx_sales_stage_expected").await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("CREATE INDEX idx_sales_stage_expected ON sales (stage, expected_close)").await?;
        for name in ["idx_sales_stage_close", "idx_sales_open_close", "idx_report_cells_stage"] {
            db.execute_unprepared(&format!("DROP INDEX {name}")).await?;
        }
        Ok(())
    }
}
