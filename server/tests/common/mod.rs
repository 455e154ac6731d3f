//! The harness shared by the HTTP tests: the real router on a random port, each test with its own
//! fresh SQLite file, and browser-like clients that keep cookies.

#![allow(dead_code)]

use app::state::{AppState, Config};
use leptos::prelude::LeptosOptions;
use reqwest::{Client, StatusCode};
use std::net::SocketAddr;

pub const ADMIN_PASSWORD: &str = "admin-password-1";
pub const MEMBER_PASSWORD: &str = "member-password-1";

pub struct TestApp {
    pub base: String,
    _dir: Cleanup,
}

pub async fn spawn_app(config: Config) -> TestApp {
    let dir = std::env::temp_dir().join(format!("vendita-http-{}-{}", std::process::id(), rand_suffix()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = app::db::connect(&format!("sqlite://{}/test.db?mode=rwc", dir.display())).await.unwrap();
    serve(db, config, Cleanup::Dir(dir)).await
}

/// The same router on a fresh PostgreSQL database (on `VENDITA_TEST_PG`), dropped when the test ends.
pub async fn spawn_app_pg(config: Config) -> TestApp {
    let server = std::env::var("VENDITA_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_string());
    let name = format!("vendita_test_http_{}_{}", std::process::id(), rand_suffix() % 1_000_000_000);
    let admin = sea_orm::Database::connect(format!("{server}/postgres")).await.expect("postgres server");
    sea_orm::ConnectionTrait::execute_unprepared(&admin, &format!("CREATE DATABASE {name}")).await.expect("create database");
    admin.close().await.ok();
    let db = app::db::connect(&format!("{server}/{name}")).await.unwrap();
    serve(db, config, Cleanup::Database { server, name }).await
}

/// Both backends, for tests that touch storage.
pub async fn spawn_both(config: Config) -> [TestApp; 2] {
    [spawn_app(config.clone()).await, spawn_app_pg(config).await]
}

async fn serve(db: sea_orm::DatabaseConnection, config: Config, cleanup: Cleanup) -> TestApp {
    let options = LeptosOptions::builder().output_name("vendita").site_root("target/site").site_pkg_dir("pkg").build();
    let router = server::router(AppState { db, config }, options);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
    });
    TestApp { base: format!("http://{addr}"), _dir: cleanup }
}

/// What a test leaves behind and removes when it ends: its SQLite folder or its PostgreSQL database.
pub enum Cleanup {
    Dir(std::path::PathBuf),
    Database { server: String, name: String },
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        match self {
            Cleanup::Dir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Database { server, name } => {
                let _ = std::process::Command::new("psql")
                    .args([&format!("{server}/postgres"), "-qc", &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")])
                    .output();
            }
        }
    }
}

pub fn rand_suffix() -> u64 {
    use rand::Rng;
    rand::thread_rng().r#gen()
}

/// A browser-like client: keeps cookies.
pub fn browser() -> Client {
    Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn post(&self, client: &Client, function: &str, form: &[(&str, &str)]) -> reqwest::Response {
        client.post(self.url(&format!("/api/{function}"))).form(form).send().await.unwrap()
    }

    /// A fresh install with its admin signed in on the returned client.
    pub async fn with_admin(&self) -> Client {
        let admin = browser();
        let res = self
            .post(&admin, "first_run", &[("login", "anna"), ("display_name", "Anna"), ("password", ADMIN_PASSWORD), ("password_repeat", ADMIN_PASSWORD)])
            .await;
        assert_eq!(res.status(), StatusCode::OK, "first run: {}", res.text().await.unwrap());
        admin
    }

    pub async fn member(&self, admin: &Client) -> Client {
        let res = self
            .post(admin, "users_create", &[("login", "marco"), ("display_name", "Marco"), ("password", MEMBER_PASSWORD), ("role", "member")])
            .await;
        assert_eq!(res.status(), StatusCode::OK, "create member: {}", res.text().await.unwrap());
        let member = browser();
        let res = self.post(&member, "login", &[("login", "marco"), ("password", MEMBER_PASSWORD)]).await;
        assert_eq!(res.status(), StatusCode::OK);
        member
    }

    /// Creates a user with the given role (as the admin) and returns a client signed in as him.
    pub async fn signed_in(&self, admin: &Client, login: &str, role: &str) -> Client {
        let password = format!("{login}-password-1");
        let res = self
            .post(admin, "users_create", &[("login", login), ("display_name", login), ("password", &password), ("role", role)])
            .await;
        assert_eq!(res.status(), StatusCode::OK, "create {login}: {}", res.text().await.unwrap());
        let client = browser();
        let res = self.post(&client, "login", &[("login", login), ("password", &password)]).await;
        assert_eq!(res.status(), StatusCode::OK);
        client
    }

    /// A page as a browser asks for it (browsers say they accept HTML, which makes redirects real 302s).
    pub async fn page(&self, client: &Client, path: &str) -> reqwest::Response {
        client.get(self.url(path)).header("accept", "text/html").send().await.unwrap()
    }

    pub async fn viewer(&self, client: &Client) -> serde_json::Value {
        self.post(client, "viewer", &[]).await.json().await.unwrap()
    }
}

pub fn session_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("vendita_session="))
        .map(str::to_string)
}
