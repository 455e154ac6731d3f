//! Two server processes on one PostgreSQL database behind one address (a round-robin proxy that
//! sends each new connection to the next process): a session opened on one works on the other,
//! and their writes interleave without loss. And the month's forecast snapshot, taken by the
//! first requests of two processes starting at once, is taken exactly once.

use reqwest::{Client, StatusCode};
use sea_orm::{ConnectionTrait, Database};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::process::Child;

mod common;
use common::{free_port, pg_server, spawn_server};

async fn start_server(database_url: &str, port: u16) -> Child {
    let child = spawn_server(database_url, port);
    let health = format!("http://127.0.0.1:{port}/healthz");
    for _ in 0..100 {
        if reqwest::get(&health).await.is_ok_and(|r| r.status() == StatusCode::OK) {
            return child;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("server on port {port} did not start");
}

/// An empty PostgreSQL database of this test run: the server's connection, its name, its URL.
async fn fresh_database(what: &str) -> (sea_orm::DatabaseConnection, String, String) {
    let name = format!("vendita_test_{what}_{}", std::process::id());
    let admin_db = Database::connect(format!("{}/postgres", pg_server())).await.unwrap();
    admin_db.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.unwrap();
    admin_db.execute_unprepared(&format!("CREATE DATABASE {name}")).await.unwrap();
    let url = format!("{}/{name}", pg_server());
    (admin_db, name, url)
}

/// Round-robin over the backends, one connection at a time. Returns the proxy's port.
async fn proxy(backends: Vec<u16>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut next = 0usize;
        loop {
            let Ok((mut inbound, _)) = listener.accept().await else { return };
            let backend = backends[next % backends.len()];
            next += 1;
            tokio::spawn(async move {
                if let Ok(mut outbound) = TcpStream::connect(("127.0.0.1", backend)).await {
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                }
            });
        }
    });
    port
}

/// Keeps cookies, and opens a new connection per request so the proxy alternates processes.
fn alternating_browser() -> Client {
    Client::builder().cookie_store(true).pool_max_idle_per_host(0).build().unwrap()
}

#[tokio::test]
async fn two_processes_share_sessions_and_interleave_writes() {
    let (admin_db, name, url) = fresh_database("scale").await;

    let (a, b) = (free_port().await, free_port().await);
    let first = start_server(&url, a).await;
    let second = start_server(&url, b).await;
    let base = format!("http://127.0.0.1:{}", proxy(vec![a, b]).await);
    let api = |f: &str| format!("{base}/api/{f}");

    let admin = alternating_browser();
    let res = admin
        .post(api("first_run"))
        .form(&[("login", "anna"), ("display_name", "Anna"), ("password", "admin-password-1"), ("password_repeat", "admin-password-1")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    // Every request lands on the other process than the one before: the session holds on both.
    for _ in 0..6 {
        let viewer: serde_json::Value = admin.post(api("viewer")).send().await.unwrap().json().await.unwrap();
        assert_eq!(viewer["user"]["login"], "anna");
    }

    // Twenty users created at once through both processes: all twenty are there.
    let creations = (0..20).map(|i| {
        let (admin, url) = (admin.clone(), api("users_create"));
        async move {
            let login = format!("seller{i:02}");
            let form = [("login", login.as_str()), ("display_name", "Venditore"), ("password", "seller-password-1"), ("role", "member")];
            admin.post(url).form(&form).send().await.unwrap().status()
        }
    });
    let statuses = futures_join_all(creations).await;
    assert!(statuses.iter().all(|s| *s == StatusCode::OK), "{statuses:?}");
    let users: serde_json::Value = admin.post(api("users_list")).send().await.unwrap().json().await.unwrap();
    assert_eq!(users.as_array().unwrap().len(), 21);

    // Logging out on one process ends the session on the other too.
    assert_eq!(admin.post(api("logout")).send().await.unwrap().status(), StatusCode::OK);
    let viewer: serde_json::Value = admin.post(api("viewer")).send().await.unwrap().json().await.unwrap();
    assert!(viewer["user"].is_null());

    drop((first, second));
    admin_db.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.ok();
}

/// The month's forecast snapshot, with two processes starting at once on one PostgreSQL and ten
/// first requests at each: one month row and one set of frozen rows. (The servers' clock is the
/// real one: on any day but the 1st the snapshot is the late one of this month; the claim that
/// makes it happen once is the same.)
#[tokio::test]
async fn two_processes_take_one_forecast_snapshot() {
    let (admin_db, name, url) = fresh_database("snap").await;
    // Migrated, with open deals expected this month and the next two, before either server starts.
    let db = app::db::connect(&url).await.unwrap();
    let today = chrono::Local::now().date_naive();
    let now = chrono::Utc::now().to_rfc3339();
    for sql in [
        format!(
            "INSERT INTO users (id, login, display_name, password_hash, role, active, language, created_at, updated_at, version) VALUES (1, 'anna', 'Anna', 'x', 'admin', true, 'it', '{now}', '{now}', 1)"
        ),
        format!(
            "INSERT INTO sellers (id, kind, name, user_id, active, created_at, updated_at, version) VALUES (1, 'generic', 'Nord', NULL, true, '{now}', '{now}', 1), (2, 'generic', 'Sud', NULL, true, '{now}', '{now}', 1)"
        ),
        format!(
            "INSERT INTO categories (id, parent_id, name, position, created_at, updated_at, version) VALUES (1, NULL, 'Hardware', 1, '{now}', '{now}', 1)"
        ),
        format!(
            "INSERT INTO products (id, code, name, category_id, unit, list_price_cents, vat_rate_bp, active, created_at, updated_at, version) VALUES (1, 'P1', 'Prodotto', 1, 'pz', 10000, 2200, true, '{now}', '{now}', 1)"
        ),
        format!(
            "INSERT INTO contacts (id, kind, name, country, created_at, updated_at, version) VALUES (1, 'company', 'Cliente', 'IT', '{now}', '{now}', 1)"
        ),
    ] {
        db.execute_unprepared(&sql).await.unwrap();
    }
    for (i, (seller, days)) in [(1, 0), (1, 35), (2, 5), (2, 70), (1, 64)].into_iter().enumerate() {
        let close = today + chrono::Days::new(days);
        let net = 10_000 * (i as i64 + 1);
        db.execute_unprepared(&format!(
            "INSERT INTO sales (contact_id, product_id, seller_id, quantity_milli, unit_price_cents, discount_bp, vat_rate_bp, net_cents, gross_cents, stage, probability, sale_date, expected_close, closed_date, created_by, created_at, updated_by, updated_at, version) \
             VALUES (1, 1, {seller}, 1000, {net}, 0, 2200, {net}, {}, 'proposal', 60, '{today}', '{close}', NULL, 1, '{now}', 1, '{now}', 1)",
            net * 122 / 100
        ))
        .await
        .unwrap();
    }
    app::figures::cells::rebuild(&db).await.unwrap();
    let month = app::reports::Month::of(today);
    let expected = app::reports::ssr::snapshots::frozen_now(&db, month).await.unwrap().len();
    assert!(expected >= 3, "open deals in three months at least: {expected}");

    // Both processes start together; twenty requests wait for them, ten at each.
    let (a, b) = (free_port().await, free_port().await);
    let (first, second) = (spawn_server(&url, a), spawn_server(&url, b));
    let requests = (0..20).map(|i| {
        let port = if i % 2 == 0 { a } else { b };
        async move {
            let client = alternating_browser();
            for _ in 0..200 {
                if let Ok(res) = client.get(format!("http://127.0.0.1:{port}/healthz")).send().await {
                    return res.status();
                }
                tokio::time::sleep(Duration::from_millis(25)).await;
            }
            panic!("server on port {port} did not answer");
        }
    });
    let statuses = futures_join_all(requests).await;
    assert!(statuses.iter().all(|s| *s == StatusCode::OK), "{statuses:?}");

    let counts = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!("SELECT (SELECT COUNT(*) FROM snapshot_months) AS months, (SELECT COUNT(*) FROM forecast_snapshots) AS frozen, (SELECT COUNT(*) FROM snapshot_months WHERE month = {}) AS this_month", month.0),
        ))
        .await
        .unwrap()
        .unwrap();
    let read = |column: &str| -> i64 { counts.try_get("", column).unwrap() };
    assert_eq!((read("months"), read("this_month")), (1, 1), "one snapshot, this month's");
    assert_eq!(read("frozen") as usize, expected, "one set of frozen rows");

    drop((first, second));
    db.close().await.ok();
    admin_db.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.ok();
}

/// Runs the futures at the same time, each on its own task.
async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for handle in handles {
        out.push(handle.await.unwrap());
    }
    out
}
