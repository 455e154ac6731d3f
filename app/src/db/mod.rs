//! Opening the database (SQLite by default, PostgreSQL when the URL says so) and migrating it.

pub mod entities;
pub mod versioned;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};
use std::time::Duration;

pub const DEFAULT_URL: &str = "sqlite://data/vendita.db?mode=rwc";

/// Connects and brings the schema up to date. SQLite gets WAL, foreign keys, FULL sync (a commit
/// survives a killed process or a power cut) and a busy timeout.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let file = path.split('?').next().unwrap_or_default();
        if let Some(dir) = std::path::Path::new(file).parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir).map_err(|e| DbErr::Custom(format!("cannot create {dir:?}: {e}")))?;
            }
        }
    }
    let mut options = ConnectOptions::new(url);
    options.sqlx_logging(false).map_sqlx_sqlite_opts(|o| {
        o.journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
    });
    let db = Database::connect(options).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

/// Answers whether the database answers (the health check).
pub async fn ping(db: &DatabaseConnection) -> bool {
    db.ping().await.is_ok()
}
