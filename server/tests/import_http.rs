//! The import over HTTP and on the command line: who may upload (a member is refused before his
//! file is read), the upload's own size limit (a file over 20 MB is refused at once, everything
//! else keeps the 2 MB limit), malformed requests, the answer as JSON; `vendita import` prints the
//! report and exits 0 (all valid), 1 (bad rows) or 2 (unreadable file), as the user it is told.

mod common;

use app::state::Config;
use common::*;
use reqwest::StatusCode;
use serde_json::Value;
use std::process::Command;

const CSV: &str = "Ragione sociale;E-mail;Città\r\nUno Srl;uno@example.it;Forlì\r\nDue Srl;due@@example;Cesena\r\n";

async fn upload(app: &TestApp, client: &reqwest::Client, query: &str, body: Vec<u8>) -> (StatusCode, Value) {
    let res = client.post(app.url(&format!("/import/upload?{query}"))).body(body).send().await.unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

#[tokio::test]
async fn the_upload_checks_who_asks_and_what_is_sent() {
    let app = spawn_app(Config::default()).await;
    let admin = app.with_admin().await;
    let member = app.member(&admin).await;
    let anonymous = browser();
    let query = "kind=contacts&mode=check&name=clienti.csv";

    let (status, body) = upload(&app, &anonymous, query, CSV.into()).await;
    assert_eq!((status, body), (StatusCode::UNAUTHORIZED, Value::from("Unauthenticated")));
    let (status, body) = upload(&app, &member, query, CSV.into()).await;
    assert_eq!((status, body), (StatusCode::FORBIDDEN, Value::from("Forbidden")));

    let (status, report) = upload(&app, &admin, query, CSV.into()).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!((report["rows"].as_u64(), report["creates"].as_u64(), report["written"].as_bool()), (Some(2), Some(1), Some(false)));
    assert_eq!(report["errors"][0]["line"], 3);
    assert_eq!(report["errors"][0]["error"]["Invalid"]["field"], "Email");

    // Malformed: an unknown kind, mode or key, a key twice, a mapping naming no field.
    for bad in ["kind=orders&mode=check", "kind=contacts&mode=now", "kind=contacts&mode=check&x=1", "kind=contacts&kind=sales&mode=check"] {
        let (status, _) = upload(&app, &admin, bad, CSV.into()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
    }
    let (status, _) = upload(&app, &admin, "kind=contacts&mode=check&map=name,password", CSV.into()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // Unreadable files: 422 with the reason.
    let (status, body) = upload(&app, &admin, query, vec![0, 1, 2, 3, 0, 0, 255]).await;
    assert_eq!((status, &body["BadFile"]), (StatusCode::UNPROCESSABLE_ENTITY, &Value::from("Unreadable")));
    let (status, body) = upload(&app, &admin, query, Vec::new()).await;
    assert_eq!((status, &body["BadFile"]), (StatusCode::UNPROCESSABLE_ENTITY, &Value::from("Empty")));

    // Over 20 MB: refused by its declared length before it is read; 3 MB (over the forms' 2 MB)
    // reaches the import, which reads it as a file.
    let (status, _) = upload(&app, &admin, query, vec![b'a'; 21 * 1024 * 1024]).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let mut big = String::from("Ragione sociale;Note\n");
    let note = "nota ".repeat(800);
    while big.len() < 3 * 1024 * 1024 {
        big.push_str(&format!("Cliente;{note}\n"));
    }
    let (status, report) = upload(&app, &admin, query, big.into_bytes()).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert!(report["rows"].as_u64().unwrap() > 700);
    // The forms keep their own 2 MB limit.
    let res = admin.post(app.url("/api/contacts_create")).body(vec![b'a'; 3 * 1024 * 1024]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);

    // Written, and listed with its batch.
    let (status, report) = upload(&app, &admin, "kind=contacts&mode=valid&name=clienti.csv", CSV.into()).await;
    assert_eq!((status, report["written"].as_bool()), (StatusCode::OK, Some(true)));
    let batches = ok(&app, &admin, "import_batches", &[]).await;
    assert_eq!(batches[0]["file_name"], "clienti.csv");
    let id = batches[0]["id"].to_string();
    let res = admin.get(app.url(&format!("/import/batches/{id}/rejected.xlsx"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.bytes().await.unwrap().starts_with(b"PK"));
    let res = member.get(app.url(&format!("/import/batches/{id}/rejected.xlsx"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "a member reads no batch");
}

fn vendita(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_vendita"))
        .args(args)
        .env("DATABASE_URL", format!("sqlite://{}/cli.db?mode=rwc", dir.display()))
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

#[test]
fn vendita_import_prints_the_report_and_exits_by_what_it_found() {
    let dir = std::env::temp_dir().join(format!("vendita-cli-import-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    assert!(vendita(&dir, &["demo"]).status.success());
    let file = dir.join("clienti.csv");
    std::fs::write(&file, CSV).unwrap();
    let file = file.to_str().unwrap();

    let dry = vendita(&dir, &["import", "contacts", file, "--dry-run"]);
    assert_eq!(dry.status.code(), Some(1), "a bad row: 1");
    let out = String::from_utf8_lossy(&dry.stdout);
    assert!(out.contains("line 3: E-mail: "), "{out}");
    assert!(out.contains("Nuovi: 1"), "the admin's language (Italian): {out}");
    let all = vendita(&dir, &["import", "contacts", file]);
    assert_eq!(all.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&all.stdout).contains("nulla è stato importato"));
    let valid = vendita(&dir, &["import", "contacts", file, "--valid-only"]);
    assert_eq!(valid.status.code(), Some(1), "some rows were bad, even if the good ones went in");
    assert!(String::from_utf8_lossy(&valid.stdout).contains("Importazione completata"));
    // Matched again: nothing new, every row valid → 0.
    let good = dir.join("buoni.csv");
    std::fs::write(&good, "Ragione sociale;E-mail\r\nUno Srl;uno@example.it\r\n").unwrap();
    let again = vendita(&dir, &["import", "contacts", good.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(0), "{}", String::from_utf8_lossy(&again.stdout));
    assert!(String::from_utf8_lossy(&again.stdout).contains("Invariati: 1"));

    // As a member: refused (held to his rights); an unreadable file: 2.
    let member = vendita(&dir, &["import", "contacts", file, "--as", "marco"]);
    assert_eq!(member.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&member.stderr).is_empty());
    let junk = dir.join("junk.csv");
    std::fs::write(&junk, [0u8, 1, 2, 3, 0, 255]).unwrap();
    let unreadable = vendita(&dir, &["import", "products", junk.to_str().unwrap()]);
    assert_eq!(unreadable.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unreadable.stderr).contains("leggibile"), "{}", String::from_utf8_lossy(&unreadable.stderr));
    let missing = vendita(&dir, &["import", "orders", file]);
    assert_eq!(missing.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn bulk_exports_are_managers_and_every_one_is_recorded() {
    let app = spawn_app(Config::default()).await;
    let admin = app.with_admin().await;
    let member = app.member(&admin).await;
    let (status, _) =
        upload(&app, &admin, "kind=contacts&mode=all&name=c.csv", "Ragione sociale;Città\nUno Srl;Forlì\nDue Srl;Cesena\n".into()).await;
    assert_eq!(status, StatusCode::OK);

    // A member takes no address book and no product list, and sees no register.
    for path in ["/import/export/contacts.xlsx", "/import/export/products.xlsx"] {
        assert_eq!(member.get(app.url(path)).send().await.unwrap().status(), StatusCode::FORBIDDEN, "{path}");
    }
    let (status, _) = call(&app, &member, "exports", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, register) = call(&app, &admin, "exports", &[]).await;
    assert_eq!(register, serde_json::json!([]), "refused downloads are not exports");

    // The manager's download: recorded with who, what and how many rows.
    let res = admin.get(app.url("/import/export/contacts.xlsx")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.bytes().await.unwrap().starts_with(b"PK"));
    let register = ok(&app, &admin, "exports", &[]).await;
    let entries = register.as_array().unwrap();
    assert_eq!(entries.len(), 1, "{register}");
    assert_eq!((entries[0]["kind"].as_str(), entries[0]["rows"].as_u64(), entries[0]["user"].as_str()), (Some("Contacts"), Some(2), Some("Anna")));
}
