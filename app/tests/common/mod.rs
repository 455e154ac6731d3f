//! Every domain test runs twice: on a fresh SQLite database and on a fresh PostgreSQL database
//! (created for the test on the server named by `VENDITA_TEST_PG`, default the local one).

#![allow(dead_code)]

pub mod world;

use app::auth::{CurrentUser, Role};
use app::users::NewUser;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use std::sync::atomic::{AtomicU32, Ordering};

pub const PASSWORD: &str = "password-123";

pub fn pg_server() -> String {
    std::env::var("VENDITA_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_string())
}

pub async fn sqlite() -> DatabaseConnection {
    app::db::connect("sqlite::memory:").await.expect("sqlite")
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A fresh PostgreSQL database; returns it with its name so the test can drop it.
pub async fn postgres() -> (DatabaseConnection, String) {
    let name = format!(
        "vendita_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        chrono::Utc::now().timestamp_micros() % 1_000_000
    );
    let admin = Database::connect(format!("{}/postgres", pg_server())).await.expect("postgres server");
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create database");
    admin.close().await.ok();
    let db = app::db::connect(&format!("{}/{name}", pg_server())).await.expect("postgres");
    (db, name)
}

pub async fn drop_postgres(db: DatabaseConnection, name: &str) {
    db.close().await.ok();
    let admin = Database::connect(format!("{}/postgres", pg_server())).await.expect("postgres server");
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.ok();
}

/// Drops a test's PostgreSQL database when the test ends, also when it panics (with psql: the
/// test's runtime may be gone by then).
pub struct DropDatabase(pub String);

impl Drop for DropDatabase {
    fn drop(&mut self) {
        let _ = std::process::Command::new("psql")
            .args([&format!("{}/postgres", pg_server()), "-qc", &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.0)])
            .output();
    }
}

/// Declares a test run once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! db_test {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                let db = $crate::common::sqlite().await;
                ($body)(db).await;
            }

            #[tokio::test]
            async fn postgres() {
                let (db, name) = $crate::common::postgres().await;
                let _drop = $crate::common::DropDatabase(name);
                ($body)(db.clone()).await;
                db.close().await.ok();
            }
        }
    };
}

/// Creates a user directly (as the command line does) and returns him as an acting user.
pub async fn user(db: &DatabaseConnection, login: &str, role: Role) -> CurrentUser {
    let new = NewUser { login: login.to_string(), display_name: format!("{login} name"), password: PASSWORD.to_string(), role };
    app::users::ssr::add_user(db, new).await.expect("user");
    let (user, _) = app::auth::ssr::login(db, login, PASSWORD, "127.0.0.1").await.expect("login");
    user
}
