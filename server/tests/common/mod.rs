//! The harness shared by the HTTP tests: the real router on a random port, each test with its own
//! fresh SQLite file, and browser-like clients that keep cookies.

#![allow(dead_code)]

use app::state::{AppState, Config};
use leptos::prelude::LeptosOptions;
use reqwest::{Client, StatusCode};
use serde_json::Value;
use std::net::SocketAddr;

pub const ADMIN_PASSWORD: &str = "admin-password-1";
pub const MEMBER_PASSWORD: &str = "member-password-1";

pub struct TestApp {
    pub base: String,
    _dir: Cleanup,
}

pub async fn spawn_app(config: Config) -> TestApp {
    spawn_app_with_site(config, std::path::Path::new("target/site")).await
}

/// The PostgreSQL server the tests create their databases on (`VENDITA_TEST_PG`).
pub fn pg_server() -> String {
    std::env::var("VENDITA_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_string())
}

/// A loopback port free at the time of asking.
pub async fn free_port() -> u16 {
    tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap().port()
}

/// `vendita serve` as a process of its own (the real binary) on `port`, not yet waited for.
pub fn spawn_server(database_url: &str, port: u16) -> tokio::process::Child {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_vendita"))
        .arg("serve")
        .env("DATABASE_URL", database_url)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap()
}

/// A server process, healthy; killed when dropped.
pub struct ServerProcess {
    pub child: tokio::process::Child,
    pub base: String,
}

impl ServerProcess {
    /// Starts one on a free port and waits (up to 30 s) until `/healthz` answers.
    pub async fn start(database_url: &str) -> ServerProcess {
        let port = free_port().await;
        let child = spawn_server(database_url, port);
        let base = format!("http://127.0.0.1:{port}");
        for _ in 0..300 {
            if reqwest::get(format!("{base}/healthz")).await.is_ok_and(|r| r.status() == StatusCode::OK) {
                return ServerProcess { child, base };
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("server on port {port} did not start");
    }

    /// SIGKILL (what `start_kill` sends on Unix), then reap the process.
    pub async fn kill(&mut self) {
        self.child.start_kill().unwrap();
        self.child.wait().await.unwrap();
    }

    pub fn pid(&self) -> u32 {
        self.child.id().expect("running")
    }

    pub async fn alive(&self) -> bool {
        reqwest::get(format!("{}/healthz", self.base)).await.is_ok_and(|r| r.status() == StatusCode::OK)
    }
}

/// The same router on a fresh PostgreSQL database (on `VENDITA_TEST_PG`), dropped when the test ends.
pub async fn spawn_app_pg(config: Config) -> TestApp {
    let server = pg_server();
    let name = format!("vendita_test_http_{}_{}", std::process::id(), rand_suffix() % 1_000_000_000);
    let admin = sea_orm::Database::connect(format!("{server}/postgres")).await.expect("postgres server");
    sea_orm::ConnectionTrait::execute_unprepared(&admin, &format!("CREATE DATABASE {name}")).await.expect("create database");
    admin.close().await.ok();
    let db = app::db::connect(&format!("{server}/{name}")).await.unwrap();
    serve_site(db, config, Cleanup::Database { server, name }, "target/site").await
}

/// Both backends, for tests that touch storage.
pub async fn spawn_both(config: Config) -> [TestApp; 2] {
    [spawn_app(config.clone()).await, spawn_app_pg(config).await]
}

/// The router serving the site's files from `site_root` (the tests of compression and caching).
pub async fn spawn_app_with_site(config: Config, site_root: &std::path::Path) -> TestApp {
    let dir = std::env::temp_dir().join(format!("vendita-http-{}-{}", std::process::id(), rand_suffix()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = app::db::connect(&format!("sqlite://{}/test.db?mode=rwc", dir.display())).await.unwrap();
    serve_site(db, config, Cleanup::Dir(dir), &site_root.to_string_lossy()).await
}

async fn serve_site(db: sea_orm::DatabaseConnection, config: Config, cleanup: Cleanup, site_root: &str) -> TestApp {
    // The server's warnings and errors go to the test's output, shown when it fails.
    let _ = tracing_subscriber::fmt().with_env_filter("warn").with_test_writer().try_init();
    server::upload::use_reader(env!("CARGO_BIN_EXE_vendita"));
    let options = LeptosOptions::builder().output_name("vendita").site_root(site_root).site_pkg_dir("pkg").build();
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
            .post(
                &admin,
                "first_run",
                &[("login", "anna"), ("display_name", "Anna"), ("password", ADMIN_PASSWORD), ("password_repeat", ADMIN_PASSWORD)],
            )
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
        let res = self.post(admin, "users_create", &[("login", login), ("display_name", login), ("password", &password), ("role", role)]).await;
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
    res.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).find(|v| v.starts_with("vendita_session=")).map(str::to_string)
}

/// A server function's status and answer (JSON, or the text when it is not JSON).
pub async fn call(app: &TestApp, client: &Client, function: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let res = app.post(client, function, form).await;
    let status = res.status();
    let body = res.text().await.unwrap();
    (status, serde_json::from_str(&body).unwrap_or(Value::String(body)))
}

/// A server function's answer, which must be 200.
pub async fn ok(app: &TestApp, client: &Client, function: &str, form: &[(&str, &str)]) -> Value {
    let (status, body) = call(app, client, function, form).await;
    assert_eq!(status, StatusCode::OK, "{function}: {body}");
    body
}

/// A JSON value as a form field: strings as they are, numbers written out.
pub fn s(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// An installed CRM: admin Anna, manager Giulia, members Marco and Sara with a user seller each,
/// Clienti as the sales tag, one product, a customer (tagged Clienti) and a plain contact, both
/// created by Marco.
pub struct Shop {
    pub app: TestApp,
    pub admin: Client,
    pub manager: Client,
    pub marco: Client,
    pub sara: Client,
    pub anonymous: Client,
    pub customer: String,
    pub plain: String,
    pub clienti: String,
    pub marco_seller: String,
    pub sara_seller: String,
    pub product: String,
}

impl Shop {
    pub async fn open(app: TestApp) -> Shop {
        let admin = app.with_admin().await;
        let manager = app.signed_in(&admin, "giulia", "manager").await;
        let marco = app.signed_in(&admin, "marco", "member").await;
        let sara = app.signed_in(&admin, "sara", "member").await;
        let overview = ok(&app, &admin, "config_overview", &[]).await;
        ok(&app, &admin, "config_set_sales_tag", &[("version", &s(&overview["settings"]["version"])), ("tag", "customers")]).await;
        let candidates = ok(&app, &admin, "config_seller_candidates", &[]).await;
        let user_id = |login: &str| s(&candidates.as_array().unwrap().iter().find(|c| c["user"]["login"] == login).unwrap()["user"]["id"]);
        let marco_seller = s(&ok(&app, &admin, "config_create_seller", &[("kind", "user"), ("user", &user_id("marco"))]).await["id"]);
        let sara_seller = s(&ok(&app, &admin, "config_create_seller", &[("kind", "user"), ("user", &user_id("sara"))]).await["id"]);
        let product = ok(
            &app,
            &admin,
            "config_create_product",
            &[("code", "CONS"), ("name", "Consulenza"), ("unit", "h"), ("list_price", "80"), ("vat_rate", "22")],
        )
        .await;
        let tags = ok(&app, &marco, "tags_list", &[]).await;
        let clienti = s(&tags.as_array().unwrap().iter().find(|t| t["name"] == "Clienti").unwrap()["id"]);
        let customer = ok(&app, &marco, "contacts_create", &[("kind", "company"), ("name", "Rossi Srl"), ("tags[]", &clienti)]).await;
        let plain = ok(&app, &marco, "contacts_create", &[("kind", "person"), ("name", "Verdi Anna")]).await;
        Shop {
            anonymous: browser(),
            customer: s(&customer["contact"]["id"]),
            plain: s(&plain["contact"]["id"]),
            product: s(&product["id"]),
            app,
            admin,
            manager,
            marco,
            sara,
            clienti,
            marco_seller,
            sara_seller,
        }
    }
}
