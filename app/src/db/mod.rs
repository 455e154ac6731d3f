//! Opening the database (SQLite by default, PostgreSQL when the URL says so) and migrating it.

pub mod entities;
pub mod versioned;

use crate::error::AppResult;
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// Connections to a SQLite file: readers run side by side (WAL), writers take turns (see
/// [`transaction`]). An in-memory database is one connection (each connection would be its own
/// database).
const SQLITE_CONNECTIONS: u32 = 4;

/// How long a SQLite write waits for another connection's (or process's) write transaction.
const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

pub const DEFAULT_URL: &str = "sqlite://data/vendita.db?mode=rwc";

/// Connects and brings the schema up to date. SQLite gets WAL, foreign keys, FULL sync (a commit
/// survives a killed process or a power cut) and a busy timeout of `BUSY_TIMEOUT`: a write that
/// does not queue in [`transaction`] (a sign-out, a language switch) waits for a long import's
/// commit instead of failing.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let file = path.split('?').next().unwrap_or_default();
        if let Some(dir) = std::path::Path::new(file).parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).map_err(|e| DbErr::Custom(format!("cannot create {dir:?}: {e}")))?;
        }
    }
    let mut options = ConnectOptions::new(url);
    if url.starts_with("sqlite:") && !url.contains(":memory:") && !url.contains("mode=memory") {
        options.max_connections(SQLITE_CONNECTIONS);
    }
    options.sqlx_logging(false).map_sqlx_sqlite_opts(|o| {
        o.journal_mode(SqliteJournalMode::Wal).synchronous(SqliteSynchronous::Full).foreign_keys(true).busy_timeout(BUSY_TIMEOUT)
    });
    let db = Database::connect(options).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

/// On PostgreSQL, serialises writers of one table for the length of the transaction, so a check
/// (a cycle, a count) and the write that relies on it agree. SQLite serialises writers by itself.
pub async fn lock_table(txn: &DatabaseTransaction, table: &str) -> AppResult<()> {
    if ConnectionTrait::get_database_backend(txn) == DbBackend::Postgres {
        txn.execute_unprepared(&format!("LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")).await?;
    }
    Ok(())
}

/// SQLite has one writer at a time. Write transactions in this process queue here, in order,
/// instead of meeting at SQLite's busy handler (which sleeps and retries: slow under load).
static SQLITE_WRITER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Runs a small write that may be skipped (a session's last-seen time) only if it need not wait:
/// on SQLite when no write of this process holds the writer, and then without SQLite's busy wait
/// mattering; on PostgreSQL always. `Ok(None)` when skipped.
pub async fn if_writer_free<T, E>(db: &DatabaseConnection, write: impl Future<Output = Result<T, E>>) -> Result<Option<T>, E> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return write.await.map(Some);
    }
    let Ok(_turn) = SQLITE_WRITER.try_lock() else { return Ok(None) };
    write.await.map(Some)
}

/// The future a [`transaction`] body returns, borrowing the transaction.
pub type TxnFuture<'c, T> = Pin<Box<dyn Future<Output = AppResult<T>> + Send + 'c>>;

/// Runs `body` in one transaction: committed when it returns `Ok`, rolled back otherwise (and if
/// the process dies half-way, the database never sees the half). On SQLite the transaction is
/// BEGIN IMMEDIATE (it holds the write lock from the start, so it can never fail half-way because
/// another connection wrote since its first read) and waits for its turn in this process first.
pub async fn transaction<T, F>(db: &DatabaseConnection, body: F) -> AppResult<T>
where
    T: Send,
    F: for<'c> FnOnce(&'c DatabaseTransaction) -> TxnFuture<'c, T> + Send,
{
    let (txn, _turn) = begin(db).await?;
    let result = body(&txn).await.map(|value| (value, true));
    finish(txn, result).await
}

/// As [`transaction`], but `body` says whether to commit: `(value, false)` rolls back and still
/// returns the value (an import's dry run does every write, reports, and keeps none).
pub async fn decided<T, F>(db: &DatabaseConnection, body: F) -> AppResult<T>
where
    T: Send,
    F: for<'c> FnOnce(&'c DatabaseTransaction) -> TxnFuture<'c, (T, bool)> + Send,
{
    let (txn, _turn) = begin(db).await?;
    let result = body(&txn).await;
    finish(txn, result).await
}

/// A write transaction, with this process's writer turn on SQLite (held until it is dropped).
async fn begin(db: &DatabaseConnection) -> AppResult<(DatabaseTransaction, Option<tokio::sync::MutexGuard<'static, ()>>)> {
    let sqlite = db.get_database_backend() == DbBackend::Sqlite;
    let turn = if sqlite { Some(SQLITE_WRITER.lock().await) } else { None };
    Ok((begin_without_turn(db).await?, turn))
}

async fn begin_without_turn(db: &DatabaseConnection) -> AppResult<DatabaseTransaction> {
    let sqlite = db.get_database_backend() == DbBackend::Sqlite;
    let options = TransactionOptions { sqlite_transaction_mode: sqlite.then_some(SqliteTransactionMode::Immediate), ..Default::default() };
    Ok(db.begin_with_options(options).await?)
}

/// A private copy of a SQLite database, for work that writes to see what would happen and keeps
/// nothing (an import's dry run): made with `VACUUM INTO` a temporary file, which reads under a
/// read transaction (other users keep writing meanwhile), and opened as a database of its own
/// that takes no turn of this process's writer queue. Deleted when dropped. PostgreSQL needs
/// none: its writers lock rows, not the database.
pub struct Scratch {
    db: DatabaseConnection,
    /// A folder only this process's user may enter (the copy holds everything the database
    /// does); removed with the copy.
    _dir: tempfile::TempDir,
}

impl Scratch {
    /// A copy of `db` when it is a SQLite file; `None` on PostgreSQL and for an in-memory
    /// database (the tests'), which has one connection and no other writer to wait for.
    pub async fn of(db: &DatabaseConnection) -> AppResult<Option<Scratch>> {
        if db.get_database_backend() != DbBackend::Sqlite {
            return Ok(None);
        }
        let file =
            db.query_one_raw(sea_orm::Statement::from_string(DbBackend::Sqlite, "SELECT file FROM pragma_database_list WHERE name = 'main'")).await?;
        let file: String = file.map(|row| row.try_get_by_index(0)).transpose()?.unwrap_or_default();
        if file.is_empty() {
            return Ok(None);
        }
        let dir = tempfile::Builder::new().prefix("vendita-scratch-").tempdir().map_err(|err| {
            tracing::error!(%err, "cannot make a folder for the dry run's copy");
            crate::error::AppError::Internal
        })?;
        let path = dir.path().join("copy.db");
        let quoted = path.to_string_lossy().replace('\'', "''");
        db.execute_unprepared(&format!("VACUUM INTO '{quoted}'")).await?;
        let mut options = ConnectOptions::new(format!("sqlite://{}?mode=rw", path.display()));
        options
            .max_connections(1)
            .sqlx_logging(false)
            .map_sqlx_sqlite_opts(|o| o.journal_mode(SqliteJournalMode::Memory).synchronous(SqliteSynchronous::Off).foreign_keys(true));
        Ok(Some(Scratch { db: Database::connect(options).await?, _dir: dir }))
    }

    /// As [`decided`], on the copy.
    pub async fn decided<T, F>(&self, body: F) -> AppResult<T>
    where
        T: Send,
        F: for<'c> FnOnce(&'c DatabaseTransaction) -> TxnFuture<'c, (T, bool)> + Send,
    {
        let txn = begin_without_turn(&self.db).await?;
        let result = body(&txn).await;
        finish(txn, result).await
    }
}

async fn finish<T>(txn: DatabaseTransaction, result: AppResult<(T, bool)>) -> AppResult<T> {
    match result {
        Ok((value, true)) => {
            txn.commit().await?;
            Ok(value)
        }
        Ok((value, false)) => {
            txn.rollback().await?;
            Ok(value)
        }
        Err(err) => {
            txn.rollback().await?;
            Err(err)
        }
    }
}

/// A code read back from a column of codes (an import's kind, an export's kind): one this build
/// does not know is an error that names the table, the row and the value in the log, never a row
/// silently dropped or read as a default.
pub fn decoded<T>(table: &'static str, row: i64, value: &str, decoded: Option<T>) -> AppResult<T> {
    decoded.ok_or_else(|| {
        tracing::error!(table, row, value, "unknown code stored");
        crate::error::AppError::Internal
    })
}

/// Answers whether the database answers (the health check).
pub async fn ping(db: &DatabaseConnection) -> bool {
    db.ping().await.is_ok()
}
