//! Two server processes on one PostgreSQL database behind one address (a round-robin proxy that
//! sends each new connection to the next process): a session opened on one works on the other,
//! and their writes interleave without loss.

use reqwest::{Client, StatusCode};
use sea_orm::{ConnectionTrait, Database};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::process::{Child, Command};

fn pg_server() -> String {
    std::env::var("VENDITA_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_string())
}

async fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap().port()
}

async fn start_server(database_url: &str, port: u16) -> Child {
    let child = Command::new(env!("CARGO_BIN_EXE_vendita"))
        .arg("serve")
        .env("DATABASE_URL", database_url)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "warn")
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let health = format!("http://127.0.0.1:{port}/healthz");
    for _ in 0..100 {
        if reqwest::get(&health).await.is_ok_and(|r| r.status() == StatusCode::OK) {
            return child;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("server on port {port} did not start");
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
fn browser() -> Client {
    Client::builder().cookie_store(true).pool_max_idle_per_host(0).build().unwrap()
}

#[tokio::test]
async fn two_processes_share_sessions_and_interleave_writes() {
    let name = format!("vendita_test_scale_{}", std::process::id());
    let admin_db = Database::connect(format!("{}/postgres", pg_server())).await.unwrap();
    admin_db.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.unwrap();
    admin_db.execute_unprepared(&format!("CREATE DATABASE {name}")).await.unwrap();
    let url = format!("{}/{name}", pg_server());

    let (a, b) = (free_port().await, free_port().await);
    let first = start_server(&url, a).await;
    let second = start_server(&url, b).await;
    let base = format!("http://127.0.0.1:{}", proxy(vec![a, b]).await);
    let api = |f: &str| format!("{base}/api/{f}");

    let admin = browser();
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
