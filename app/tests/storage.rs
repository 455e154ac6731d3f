//! The schema as later features rely on it: system tags, the settings row, enforced foreign keys
//! and unique keys, and SQLite's durability settings.

mod common;

use app::db::entities::{contact_tags, crm_settings, tags};
use chrono::Utc;
use sea_orm::*;

db_test!(migrations_create_the_system_tags_and_the_settings_row, |db: DatabaseConnection| async move {
    let mut system: Vec<(String, Option<String>)> =
        tags::Entity::find().all(&db).await.unwrap().into_iter().map(|t| (t.name, t.system_key)).collect();
    system.sort();
    assert_eq!(system, vec![("Clienti".into(), Some("customers".into())), ("Fornitori".into(), Some("suppliers".into()))]);
    let settings = crm_settings::Entity::find().all(&db).await.unwrap();
    assert_eq!(settings.len(), 1);
    assert_eq!(settings[0].currency, "EUR");
    assert!(!settings[0].wizard_done);
});

db_test!(foreign_keys_are_enforced, |db: DatabaseConnection| async move {
    let orphan = contact_tags::ActiveModel { contact_id: Set(999_999), tag_id: Set(1) }.insert(&db).await;
    assert!(orphan.is_err(), "a tag on a contact that does not exist is refused");
    assert_eq!(contact_tags::Entity::find().count(&db).await.unwrap(), 0);
});

db_test!(tag_names_are_unique, |db: DatabaseConnection| async move {
    let dup =
        tags::ActiveModel { name: Set("Clienti".into()), system_key: Set(None), created_at: Set(Utc::now()), ..Default::default() }.insert(&db).await;
    assert!(matches!(dup.unwrap_err().sql_err(), Some(SqlErr::UniqueConstraintViolation(_))));
});

#[tokio::test]
async fn sqlite_files_use_wal_full_sync_and_foreign_keys() {
    let dir = std::env::temp_dir().join(format!("vendita-storage-{}", std::process::id()));
    let db = app::db::connect(&format!("sqlite://{}/nested/v.db?mode=rwc", dir.display())).await.unwrap();
    let pragma = |name: &'static str| {
        let db = db.clone();
        async move {
            let row = db.query_one_raw(Statement::from_string(DbBackend::Sqlite, format!("PRAGMA {name}"))).await.unwrap().unwrap();
            row.try_get_by_index::<String>(0).or_else(|_| row.try_get_by_index::<i64>(0).map(|v| v.to_string())).unwrap()
        }
    };
    assert_eq!(pragma("journal_mode").await, "wal");
    assert_eq!(pragma("synchronous").await, "2", "FULL: a commit survives a killed process");
    assert_eq!(pragma("foreign_keys").await, "1");
    assert!(dir.join("nested").is_dir(), "the data folder is created");
    let _ = std::fs::remove_dir_all(&dir);
}
