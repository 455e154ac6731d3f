//! The command line: `user add` reads the password from stdin; `migrate` and `demo` work on a file
//! database; `demo` refuses a database that already has users.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn vendita(db_dir: &std::path::Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vendita"))
        .args(args)
        .env("DATABASE_URL", format!("sqlite://{}/cli.db?mode=rwc", db_dir.display()))
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("vendita-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn user_add_creates_a_user_who_can_sign_in() {
    let dir = temp_dir("user");
    let out = vendita(&dir, &["user", "add", "Mario", "Mario Rossi", "manager"], "mario-password-1\n");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("user mario created (manager)"));

    let again = vendita(&dir, &["user", "add", "mario", "Other", "member"], "other-password-1\n");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already taken"), "{}", String::from_utf8_lossy(&again.stderr));
    let short = vendita(&dir, &["user", "add", "luca", "Luca", "member"], "short\n");
    assert!(!short.status.success());
    let bad_role = vendita(&dir, &["user", "add", "luca", "Luca", "boss"], "long-enough-1\n");
    assert!(!bad_role.status.success());

    let db = app::db::connect(&format!("sqlite://{}/cli.db?mode=rwc", dir.display())).await.unwrap();
    let (user, _) = app::auth::ssr::login(&db, "mario", "mario-password-1", "127.0.0.1").await.unwrap();
    assert_eq!(user.role, app::auth::Role::Manager);
    assert!(app::auth::ssr::login(&db, "luca", "long-enough-1", "127.0.0.1").await.is_err(), "refused commands created nobody");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn demo_loads_once_and_refuses_a_database_with_users() {
    let dir = temp_dir("demo");
    assert!(vendita(&dir, &["migrate"], "").status.success());
    let out = vendita(&dir, &["demo"], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("5000"), "{}", String::from_utf8_lossy(&out.stdout));
    let again = vendita(&dir, &["demo"], "");
    assert!(!again.status.success(), "a second load is refused");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_unknown_command_prints_the_usage() {
    let dir = temp_dir("usage");
    let out = vendita(&dir, &["frobnicate"], "");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage: vendita"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn backup_writes_a_consistent_copy_and_never_overwrites() {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    let dir = temp_dir("backup");
    assert!(vendita(&dir, &["demo"], "").status.success());
    let file = dir.join("copy.db");
    let out = vendita(&dir, &["backup", file.to_str().unwrap()], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("backup written"));

    let copy = sea_orm::Database::connect(format!("sqlite://{}?mode=ro", file.display())).await.unwrap();
    let one = |sql: &'static str| {
        let copy = &copy;
        async move { copy.query_one_raw(Statement::from_string(DbBackend::Sqlite, sql)).await.unwrap().unwrap() }
    };
    assert_eq!(one("PRAGMA integrity_check").await.try_get_by_index::<String>(0).unwrap(), "ok");
    // 5 000 sales, and two lines of each of the six demo offers that were sent.
    assert_eq!(one("SELECT COUNT(*) FROM sales").await.try_get_by_index::<i64>(0).unwrap(), 5012);
    assert_eq!(one("SELECT COUNT(*) FROM offers").await.try_get_by_index::<i64>(0).unwrap(), 8);
    assert_eq!(one("SELECT COUNT(*) FROM users").await.try_get_by_index::<i64>(0).unwrap(), 5);

    let again = vendita(&dir, &["backup", file.to_str().unwrap()], "");
    assert!(!again.status.success(), "an existing file is never overwritten");
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let _ = std::fs::remove_dir_all(&dir);
}
