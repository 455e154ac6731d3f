//! Faults, on SQLite and on PostgreSQL, with the real `vendita` binary:
//!
//! * the server is killed with SIGKILL in the middle of a burst of sales: after a restart every
//!   acknowledged sale is there with exactly the values sent, no sale lacks its `create` history
//!   row (nor the other way round), no sale appears that nobody sent, and SQLite's file is intact;
//! * a dozen clients edit the same five sales at once, each saving over the version it read:
//!   every answer is a save (200) or a refusal with the current values (409), the version counts
//!   the saves exactly, the history holds one entry per save in order, and the stored values are
//!   those of the last save — no update is lost.

use app::db::entities::{sale_history, sales};
use app::error::AppError;
use app::i18n::{Lang, Msg};
use app::money::{Money, Quantity};
use app::sales::{HistoryField, HistoryValue};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::{Client, StatusCode};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, EntityTrait, QueryOrder, Statement};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod common;
use common::{ServerProcess, browser, pg_server, s};

const ADMIN_PASSWORD: &str = "admin-password-1";
const MEMBER_PASSWORD: &str = "member-password-1";
const MANAGER_PASSWORD: &str = "manager-password-1";

/// One test at a time in this file: the kill lands on a server that is busy with its own load, not
/// starved by another test's, and the figures printed mean something on a 2-core machine.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

// ---------------------------------------------------------------- databases

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh database, removed (SQLite directory) or dropped (PostgreSQL) when the test ends, even
/// when it fails.
struct TestDb {
    url: String,
    dir: Option<PathBuf>,
    pg_name: Option<String>,
}

impl TestDb {
    async fn new(backend: Backend, what: &str) -> TestDb {
        let suffix = format!("{}_{}", std::process::id(), rand::random::<u32>());
        match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(format!("vendita-faults-{what}-{suffix}"));
                std::fs::create_dir_all(&dir).unwrap();
                let url = format!("sqlite://{}/vendita.db?mode=rwc", dir.display());
                TestDb { url, dir: Some(dir), pg_name: None }
            }
            Backend::Postgres => {
                let name = format!("vendita_test_{what}_{suffix}");
                let admin = Database::connect(format!("{}/postgres", pg_server())).await.expect("PostgreSQL (VENDITA_TEST_PG) answers");
                admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.unwrap();
                admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.unwrap();
                admin.close().await.ok();
                TestDb { url: format!("{}/{name}", pg_server()), dir: None, pg_name: Some(name) }
            }
        }
    }

    /// A connection of the test's own, to look at the tables directly.
    async fn connect(&self) -> DatabaseConnection {
        Database::connect(&self.url).await.unwrap()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
        if let Some(name) = self.pg_name.take() {
            // Drop may run inside the test's runtime (or while it unwinds): a thread of its own.
            let server = pg_server();
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                runtime.block_on(async {
                    if let Ok(admin) = Database::connect(format!("{server}/postgres")).await {
                        let _ = admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
                        let _ = admin.close().await;
                    }
                });
            })
            .join();
        }
    }
}

// ---------------------------------------------------------------- HTTP

type Form = Vec<(&'static str, String)>;
const NOTHING: &[(&str, &str)] = &[];

#[derive(Clone)]
struct Api {
    base: String,
}

impl Api {
    fn url(&self, function: &str) -> String {
        format!("{}/api/{function}", self.base)
    }

    async fn call(&self, client: &Client, function: &str, form: &(impl Serialize + ?Sized)) -> (StatusCode, String) {
        let res = client.post(self.url(function)).form(form).send().await.unwrap();
        let status = res.status();
        (status, res.text().await.unwrap())
    }

    async fn ok(&self, client: &Client, function: &str, form: &(impl Serialize + ?Sized)) -> Value {
        let (status, body) = self.call(client, function, form).await;
        assert_eq!(status, StatusCode::OK, "{function}: {body}");
        serde_json::from_str(&body).unwrap()
    }

    async fn sign_in(&self, login: &str, password: &str) -> Client {
        let client = browser();
        self.ok(&client, "login", &[("login", login), ("password", password)]).await;
        client
    }
}

/// What the sales need: the sales tag, a member with his seller (the sales are his), a manager,
/// a product and a customer carrying the sales tag.
struct Shop {
    admin: Client,
    customer: String,
    product: String,
    seller: String,
}

async fn set_up(api: &Api) -> Shop {
    let admin = browser();
    api.ok(&admin, "first_run", &[("login", "anna"), ("display_name", "Anna"), ("password", ADMIN_PASSWORD), ("password_repeat", ADMIN_PASSWORD)])
        .await;
    let overview = api.ok(&admin, "config_overview", NOTHING).await;
    api.ok(&admin, "config_set_sales_tag", &[("version", s(&overview["settings"]["version"]).as_str()), ("tag", "customers")]).await;
    for (login, password, role) in [("marco", MEMBER_PASSWORD, "member"), ("giulia", MANAGER_PASSWORD, "manager")] {
        api.ok(&admin, "users_create", &[("login", login), ("display_name", login), ("password", password), ("role", role)]).await;
    }
    let candidates = api.ok(&admin, "config_seller_candidates", NOTHING).await;
    let marco = s(&candidates.as_array().unwrap().iter().find(|c| c["user"]["login"] == "marco").unwrap()["user"]["id"]);
    let seller = s(&api.ok(&admin, "config_create_seller", &[("kind", "user"), ("user", marco.as_str())]).await["id"]);
    let product = api
        .ok(&admin, "config_create_product", &[("code", "CONS"), ("name", "Consulenza"), ("unit", "h"), ("list_price", "80"), ("vat_rate", "22")])
        .await;
    let tags = api.ok(&admin, "tags_list", NOTHING).await;
    let clienti = s(&tags.as_array().unwrap().iter().find(|t| t["name"] == "Clienti").unwrap()["id"]);
    let customer = api.ok(&admin, "contacts_create", &[("kind", "company"), ("name", "Rossi Srl"), ("tags[]", clienti.as_str())]).await;
    Shop { admin, customer: s(&customer["contact"]["id"]), product: s(&product["id"]), seller }
}

impl Shop {
    /// The sale form as the page sends it (decimal comma, as the inputs are pre-filled).
    fn form(&self, quantity_milli: i64, price_cents: i64, notes: &str) -> Form {
        vec![
            ("product", self.product.clone()),
            ("seller", self.seller.clone()),
            ("quantity", Quantity(quantity_milli).to_input_string()),
            ("unit_price", Money(price_cents).to_input_string()),
            ("discount", "0".into()),
            ("vat_rate", "22".into()),
            ("stage", "lead".into()),
            ("sale_date", "2026-03-02".into()),
            ("notes", notes.into()),
        ]
    }

    fn create_form(&self, quantity_milli: i64, price_cents: i64, notes: &str) -> Form {
        let mut form = self.form(quantity_milli, price_cents, notes);
        form.push(("contact", self.customer.clone()));
        form
    }
}

/// quantity × price to the cent, half away from zero (no discount).
fn net_cents(quantity_milli: i64, price_cents: i64) -> i64 {
    (quantity_milli * price_cents + 500) / 1000
}

/// Signs in `n` clients, the admin, the manager and the member in turn (the sales are the member's,
/// so all three may write them).
async fn clients(api: &Api, n: usize) -> Vec<Client> {
    let mut out = Vec::new();
    for i in 0..n {
        let (login, password) = [("anna", ADMIN_PASSWORD), ("giulia", MANAGER_PASSWORD), ("marco", MEMBER_PASSWORD)][i % 3];
        out.push(api.sign_in(login, password).await);
    }
    out
}

// ---------------------------------------------------------------- 1. kill -9 mid-burst

const CRASH_CLIENTS: usize = 16;
/// The server is killed once this many sales are acknowledged and at least `CRASH_AFTER` passed…
const CRASH_ACKED: usize = 200;
const CRASH_AFTER: Duration = Duration::from_millis(1500);
/// …or after this long anyway (a very slow machine).
const CRASH_AT_THE_LATEST: Duration = Duration::from_secs(15);

#[derive(Debug, Clone)]
struct Ack {
    id: i64,
    quantity_milli: i64,
    price_cents: i64,
    net_cents: i64,
    gross_cents: i64,
    notes: String,
}

#[derive(Default)]
struct Burst {
    acked: Mutex<Vec<Ack>>,
    /// Notes of requests sent before the kill that got no complete answer.
    cut: Mutex<Vec<String>>,
    /// Requests sent after the kill (each fails: nobody listens).
    after_kill: AtomicUsize,
    /// Anything but a 200 while the server was up, or a 200 with unexpected values.
    unexpected: Mutex<Vec<String>>,
    in_flight: AtomicUsize,
    killed: AtomicBool,
}

async fn kill_mid_burst(backend: Backend) {
    let _serial = SERIAL.lock().await;
    let started = Instant::now();
    let db = TestDb::new(backend, "crash").await;
    let mut server = ServerProcess::start(&db.url).await;
    let api = Api { base: server.base.clone() };
    let shop = Arc::new(set_up(&api).await);
    let clients = clients(&api, CRASH_CLIENTS).await;

    let burst = Arc::new(Burst::default());
    let workers: Vec<_> = clients
        .into_iter()
        .enumerate()
        .map(|(c, client)| {
            let (api, shop, burst) = (api.clone(), shop.clone(), burst.clone());
            tokio::spawn(async move {
                for k in 0..100_000i64 {
                    // Values differ from one request to the next, so a sale stored with another
                    // request's values (or half of them) would show.
                    let quantity_milli = 250 * (1 + (k * 7 + c as i64) % 40);
                    let price_cents = 1_000 + (k * 13 + c as i64 * 101) % 9_000;
                    let notes = format!("crash c{c} k{k}");
                    let form = shop.create_form(quantity_milli, price_cents, &notes);
                    let before_kill = !burst.killed.load(Ordering::SeqCst);
                    burst.in_flight.fetch_add(1, Ordering::SeqCst);
                    let answer = async {
                        let res = client.post(api.url("sales_create")).form(&form).timeout(Duration::from_secs(20)).send().await?;
                        let status = res.status();
                        Ok::<_, reqwest::Error>((status, res.text().await?))
                    }
                    .await;
                    burst.in_flight.fetch_sub(1, Ordering::SeqCst);
                    match answer {
                        Ok((StatusCode::OK, body)) => {
                            let sale: Value = serde_json::from_str(&body).unwrap();
                            let ack = Ack {
                                id: sale["id"].as_i64().unwrap(),
                                quantity_milli,
                                price_cents,
                                net_cents: net_cents(quantity_milli, price_cents),
                                gross_cents: sale["gross"].as_i64().unwrap(),
                                notes,
                            };
                            let echoed = (sale["quantity"].as_i64(), sale["unit_price"].as_i64(), sale["net"].as_i64(), sale["notes"].as_str());
                            if echoed != (Some(ack.quantity_milli), Some(ack.price_cents), Some(ack.net_cents), Some(ack.notes.as_str())) {
                                burst.unexpected.lock().unwrap().push(format!("answer differs from what was sent: {ack:?} vs {body}"));
                            }
                            burst.acked.lock().unwrap().push(ack);
                        }
                        Ok((status, body)) => {
                            burst.unexpected.lock().unwrap().push(format!("{status}: {body}"));
                            return;
                        }
                        Err(_) if before_kill => {
                            burst.cut.lock().unwrap().push(notes);
                            return;
                        }
                        Err(_) => {
                            burst.after_kill.fetch_add(1, Ordering::SeqCst);
                            return;
                        }
                    }
                }
            })
        })
        .collect();

    // Let the burst run, then kill the server in the middle of it.
    let load_started = Instant::now();
    loop {
        let acked = burst.acked.lock().unwrap().len();
        let elapsed = load_started.elapsed();
        let done = workers.iter().all(|w| w.is_finished());
        if (acked >= CRASH_ACKED && elapsed >= CRASH_AFTER) || elapsed >= CRASH_AT_THE_LATEST || done {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    burst.killed.store(true, Ordering::SeqCst);
    let in_flight_at_kill = burst.in_flight.load(Ordering::SeqCst);
    let acked_at_kill = burst.acked.lock().unwrap().len();
    let killed_after = load_started.elapsed();
    server.kill().await;
    for worker in workers {
        tokio::time::timeout(Duration::from_secs(30), worker).await.expect("a client hung after the kill").unwrap();
    }

    let unexpected = burst.unexpected.lock().unwrap().clone();
    assert!(unexpected.is_empty(), "{backend:?}: answers other than 200 while the server was up: {unexpected:#?}");
    let acked = burst.acked.lock().unwrap().clone();
    let cut = burst.cut.lock().unwrap().clone();
    assert!(!acked.is_empty(), "{backend:?}: no sale acknowledged before the kill");
    // Proof the kill landed while requests were being served: some sent before it got no answer.
    assert!(!cut.is_empty(), "{backend:?}: no request was cut by the kill ({in_flight_at_kill} in flight when it was sent)");

    // Restart on the same database.
    let server = ServerProcess::start(&db.url).await;
    let api = Api { base: server.base.clone() };
    let admin = api.sign_in("anna", ADMIN_PASSWORD).await;

    // Every acknowledged sale, through the server: there, with exactly the values sent.
    let acked = Arc::new(acked);
    let readers: Vec<_> = (0..8)
        .map(|r| {
            let (api, admin, acked) = (api.clone(), admin.clone(), acked.clone());
            tokio::spawn(async move {
                for ack in acked.iter().skip(r).step_by(8) {
                    let sale = api.ok(&admin, "sales_get", &[("id", ack.id.to_string())]).await;
                    let got = (
                        sale["quantity"].as_i64(),
                        sale["unit_price"].as_i64(),
                        sale["net"].as_i64(),
                        sale["gross"].as_i64(),
                        sale["notes"].as_str(),
                        sale["version"].as_i64(),
                    );
                    let want = (
                        Some(ack.quantity_milli),
                        Some(ack.price_cents),
                        Some(ack.net_cents),
                        Some(ack.gross_cents),
                        Some(ack.notes.as_str()),
                        Some(1),
                    );
                    assert_eq!(got, want, "acknowledged sale {} after the restart", ack.id);
                }
            })
        })
        .collect();
    for reader in readers {
        reader.await.unwrap();
    }

    // The tables themselves.
    let conn = db.connect().await;
    let rows = sales::Entity::find().all(&conn).await.unwrap();
    let history = sale_history::Entity::find().all(&conn).await.unwrap();
    let by_id: HashMap<i64, &sales::Model> = rows.iter().map(|r| (r.id, r)).collect();
    for ack in acked.iter() {
        let row = by_id.get(&ack.id).unwrap_or_else(|| panic!("{backend:?}: acknowledged sale {} lost in the crash", ack.id));
        assert_eq!(
            (row.quantity_milli, row.unit_price_cents, row.net_cents, row.gross_cents, row.notes.as_deref(), row.version),
            (ack.quantity_milli, ack.price_cents, ack.net_cents, ack.gross_cents, Some(ack.notes.as_str()), 1),
            "{backend:?}: sale {} as stored",
            ack.id
        );
    }
    // No half-written sale: each sale has exactly one `create` entry, each entry its sale.
    assert!(history.iter().all(|h| h.action == app::sales::HistoryAction::Create), "{backend:?}: only creations happened");
    let mut creates: BTreeMap<i64, usize> = BTreeMap::new();
    for h in &history {
        *creates.entry(h.sale_id).or_default() += 1;
    }
    let sale_ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let history_ids: Vec<i64> = creates.keys().copied().collect();
    let mut sorted_sale_ids = sale_ids.clone();
    sorted_sale_ids.sort();
    assert_eq!(sorted_sale_ids, history_ids, "{backend:?}: sales without their history row, or history without its sale");
    assert!(creates.values().all(|n| *n == 1), "{backend:?}: a sale with more than one create entry: {creates:?}");
    // Nothing nobody sent: a sale not acknowledged is one whose request the kill cut, whole.
    let acked_notes: HashSet<&str> = acked.iter().map(|a| a.notes.as_str()).collect();
    let cut_notes: HashSet<&str> = cut.iter().map(String::as_str).collect();
    let unacknowledged: Vec<&sales::Model> = rows.iter().filter(|r| !acked_notes.contains(r.notes.as_deref().unwrap_or_default())).collect();
    for row in &unacknowledged {
        assert!(cut_notes.contains(row.notes.as_deref().unwrap_or_default()), "{backend:?}: a sale nobody sent: {row:?}");
        assert_eq!(row.net_cents, net_cents(row.quantity_milli, row.unit_price_cents), "{backend:?}: committed but unacknowledged sale {row:?}");
    }
    assert_eq!(rows.len(), acked.len() + unacknowledged.len(), "{backend:?}: the same request stored twice");
    if backend == Backend::Sqlite {
        let check = conn.query_one_raw(Statement::from_string(conn.get_database_backend(), "PRAGMA integrity_check")).await.unwrap().unwrap();
        assert_eq!(check.try_get_by_index::<String>(0).unwrap(), "ok", "SQLite integrity_check");
        let dangling = conn.query_all_raw(Statement::from_string(conn.get_database_backend(), "PRAGMA foreign_key_check")).await.unwrap();
        assert!(dangling.is_empty(), "SQLite foreign_key_check: {} rows", dangling.len());
    }

    // And the restarted server takes new sales.
    let after = api.ok(&admin, "sales_create", &shop.create_form(1_000, 8_000, "after the crash")).await;
    assert_eq!(after["version"], 1);

    println!(
        "{backend:?} crash: killed after {:.2} s with {acked_at_kill} sales acknowledged and {in_flight_at_kill} requests in flight; \
         {} cut by the kill ({} of them committed without an answer), {} refused afterwards; {} sales in the database, all intact; \
         whole test {:.1} s",
        killed_after.as_secs_f64(),
        cut.len(),
        unacknowledged.len(),
        burst.after_kill.load(Ordering::SeqCst),
        rows.len(),
        started.elapsed().as_secs_f64(),
    );
    conn.close().await.ok();
    drop(server);
    drop(db);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_keeps_every_acknowledged_sale_across_a_kill_9() {
    kill_mid_burst(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_keeps_every_acknowledged_sale_across_a_kill_9() {
    kill_mid_burst(Backend::Postgres).await;
}

// ---------------------------------------------------------------- 2. concurrent saves

const SALES: usize = 5;
const EDITORS: usize = 12;
const ROUNDS: usize = 25;
const FIRST_QUANTITY: i64 = 1_000;

#[derive(Debug, Clone, PartialEq, Eq)]
struct State {
    quantity_milli: i64,
    notes: Option<String>,
}

#[derive(Debug, Clone)]
enum Change {
    Quantity(i64),
    Notes(String),
}

/// A save the server accepted: what it was based on, what it wrote, the version it got.
#[derive(Debug, Clone)]
struct Saved {
    read_version: i64,
    new_version: i64,
    read: State,
    change: Change,
}

#[derive(Default)]
struct Edits {
    saved: Mutex<Vec<Vec<Saved>>>,
    conflicts: Mutex<Vec<usize>>,
    unexpected: Mutex<Vec<String>>,
}

async fn concurrent_saves(backend: Backend) {
    let _serial = SERIAL.lock().await;
    let started = Instant::now();
    let db = TestDb::new(backend, "saves").await;
    let server = ServerProcess::start(&db.url).await;
    let api = Api { base: server.base.clone() };
    let shop = Arc::new(set_up(&api).await);
    let mut ids = Vec::new();
    for _ in 0..SALES {
        let sale = api.ok(&shop.admin, "sales_create", &shop.create_form(FIRST_QUANTITY, 8_000, "")).await;
        assert_eq!(sale["version"], 1, "a new sale starts at version 1");
        ids.push(sale["id"].as_i64().unwrap());
    }
    let ids = Arc::new(ids);
    let edits = Arc::new(Edits { saved: Mutex::new(vec![Vec::new(); SALES]), conflicts: Mutex::new(vec![0; SALES]), unexpected: Mutex::default() });

    let editors: Vec<_> = clients(&api, EDITORS)
        .await
        .into_iter()
        .enumerate()
        .map(|(c, client)| {
            let (api, shop, ids, edits) = (api.clone(), shop.clone(), ids.clone(), edits.clone());
            tokio::spawn(async move {
                let mut rng = StdRng::seed_from_u64(c as u64);
                for round in 0..ROUNDS {
                    let which = rng.gen_range(0..SALES);
                    let id = ids[which];
                    // Read the sale as the edit form does…
                    let (status, body) = api.call(&client, "sales_get", &[("id", id.to_string())]).await;
                    if status != StatusCode::OK {
                        edits.unexpected.lock().unwrap().push(format!("sales_get {id}: {status} {body}"));
                        continue;
                    }
                    let sale: Value = serde_json::from_str(&body).unwrap();
                    let read_version = sale["version"].as_i64().unwrap();
                    let read = State { quantity_milli: sale["quantity"].as_i64().unwrap(), notes: sale["notes"].as_str().map(str::to_string) };
                    // …change one field (to a value nobody else ever writes), think a little, save.
                    let change = if rng.gen_bool(0.5) {
                        Change::Quantity((2 + c as i64 * 100 + round as i64) * 1000)
                    } else {
                        Change::Notes(format!("editor {c} round {round}"))
                    };
                    let (quantity, notes) = match &change {
                        Change::Quantity(q) => (*q, read.notes.clone().unwrap_or_default()),
                        Change::Notes(n) => (read.quantity_milli, n.clone()),
                    };
                    let pause = rng.gen_range(0..4);
                    tokio::time::sleep(Duration::from_millis(pause)).await;
                    let mut form = shop.form(quantity, 8_000, &notes);
                    form.push(("id", id.to_string()));
                    form.push(("version", read_version.to_string()));
                    let (status, body) = api.call(&client, "sales_update", &form).await;
                    match status {
                        StatusCode::OK => {
                            let saved: Value = serde_json::from_str(&body).unwrap();
                            let new_version = saved["version"].as_i64().unwrap();
                            if new_version != read_version + 1
                                || saved["quantity"].as_i64() != Some(quantity)
                                || saved["notes"].as_str() != Some(notes.as_str()).filter(|n| !n.is_empty())
                            {
                                edits.unexpected.lock().unwrap().push(format!("save over v{read_version} of {id} answered {body}"));
                            }
                            edits.saved.lock().unwrap()[which].push(Saved { read_version, new_version, read, change });
                        }
                        StatusCode::CONFLICT => {
                            // The refusal carries the sale as it is now, newer than what was read,
                            // and the page has a sentence for it in both languages.
                            let ok = match serde_json::from_str::<AppError>(&body) {
                                Ok(AppError::SaleConflict(snapshot)) => {
                                    let err = AppError::SaleConflict(snapshot.clone());
                                    snapshot
                                        .sale::<app::sales::Sale>()
                                        .is_some_and(|current| current.id.0 == id && i64::from(current.version) > read_version)
                                        && err.message(Lang::It) == Msg::ErrSaleConflict.text(Lang::It)
                                        && err.message(Lang::En) == Msg::ErrSaleConflict.text(Lang::En)
                                        && !err.message(Lang::En).is_empty()
                                }
                                _ => false,
                            };
                            if ok {
                                edits.conflicts.lock().unwrap()[which] += 1;
                            } else {
                                edits.unexpected.lock().unwrap().push(format!("409 over v{read_version} of {id}: {body}"));
                            }
                        }
                        _ => edits.unexpected.lock().unwrap().push(format!("sales_update over v{read_version} of {id}: {status} {body}")),
                    }
                }
            })
        })
        .collect();
    for editor in editors {
        tokio::time::timeout(Duration::from_secs(40), editor).await.expect("an editor hung").unwrap();
    }
    let unexpected = edits.unexpected.lock().unwrap().clone();
    assert!(unexpected.is_empty(), "{backend:?}: answers other than 200 or 409 ({}): {unexpected:#?}", unexpected.len());

    let conn = db.connect().await;
    let history = sale_history::Entity::find().order_by_asc(sale_history::Column::Id).all(&conn).await.unwrap();
    let saved = edits.saved.lock().unwrap().clone();
    let conflicts = edits.conflicts.lock().unwrap().clone();
    let mut figures = Vec::new();
    for (which, &id) in ids.iter().enumerate() {
        let mut saves = saved[which].clone();
        saves.sort_by_key(|s| s.new_version);
        let n = saves.len() as i64;
        // Each save produced its own version: 2, 3, … 1 + n, none twice.
        let versions: Vec<i64> = saves.iter().map(|s| s.new_version).collect();
        assert_eq!(versions, (2..=1 + n).collect::<Vec<_>>(), "{backend:?}: sale {id}: versions handed out by the saves");
        // Replaying the saves in version order: each was based on exactly what the one before
        // left, so nothing it did not change was undone.
        let mut state = State { quantity_milli: FIRST_QUANTITY, notes: None };
        for save in &saves {
            assert_eq!(save.read_version, save.new_version - 1);
            assert_eq!(save.read, state, "{backend:?}: sale {id}: v{} was saved over another state than v{}", save.new_version, save.read_version);
            match &save.change {
                Change::Quantity(q) => state.quantity_milli = *q,
                Change::Notes(text) => state.notes = Some(text.clone()),
            }
        }
        // The row: version counts the saves, values are the last save's.
        let row = sales::Entity::find_by_id(id).one(&conn).await.unwrap().unwrap();
        assert_eq!(i64::from(row.version), 1 + n, "{backend:?}: sale {id}: version vs {n} saves");
        assert_eq!((row.quantity_milli, row.notes.clone()), (state.quantity_milli, state.notes.clone()), "{backend:?}: sale {id}: stored values");
        assert_eq!(row.net_cents, net_cents(row.quantity_milli, row.unit_price_cents), "{backend:?}: sale {id}: net");
        let sale = api.ok(&shop.admin, "sales_get", &[("id", id.to_string())]).await;
        assert_eq!(
            (sale["version"].as_i64(), sale["quantity"].as_i64()),
            (Some(1 + n), Some(state.quantity_milli)),
            "{backend:?}: sale {id} as served"
        );
        // The history: one create, then per save one entry for the field it changed (a quantity
        // also changes net and gross), in the order of the versions.
        let entries: Vec<&sale_history::Model> = history.iter().filter(|h| h.sale_id == id).collect();
        assert_eq!(entries.iter().filter(|h| h.action == app::sales::HistoryAction::Create).count(), 1, "{backend:?}: sale {id}: create entries");
        let updates: Vec<&&sale_history::Model> = entries.iter().filter(|h| h.action == app::sales::HistoryAction::Update).collect();
        assert_eq!(updates.len(), entries.len() - 1, "{backend:?}: sale {id}: only creates and updates");
        let changed: Vec<(HistoryField, Option<HistoryValue>)> = updates
            .iter()
            .filter(|h| matches!(h.field, Some(HistoryField::Quantity | HistoryField::Notes)))
            .map(|h| (h.field.unwrap(), h.new_value.as_deref().map(HistoryValue::decode)))
            .collect();
        let expected: Vec<(HistoryField, Option<HistoryValue>)> = saves
            .iter()
            .map(|s| match &s.change {
                Change::Quantity(q) => (HistoryField::Quantity, Some(HistoryValue::Quantity(Quantity(*q)))),
                Change::Notes(text) => (HistoryField::Notes, Some(HistoryValue::Text(text.clone()))),
            })
            .collect();
        assert_eq!(changed.len() as i64, n, "{backend:?}: sale {id}: history entries vs 200 saves");
        assert_eq!(changed, expected, "{backend:?}: sale {id}: history in version order");
        let quantity_saves = saves.iter().filter(|s| matches!(s.change, Change::Quantity(_))).count();
        for field in [HistoryField::Net, HistoryField::Gross] {
            assert_eq!(updates.iter().filter(|h| h.field == Some(field)).count(), quantity_saves, "{backend:?}: sale {id}: {field:?} entries");
        }
        assert_eq!(updates.len(), n as usize + 2 * quantity_saves, "{backend:?}: sale {id}: no other field changed");
        figures.push(format!("sale {id}: {n}×200 {}×409 → v{}", conflicts[which], 1 + n));
    }
    let (ok, refused): (usize, usize) = (saved.iter().map(Vec::len).sum(), conflicts.iter().sum());
    assert_eq!(ok + refused, EDITORS * ROUNDS);
    assert!(refused > 0, "{backend:?}: no save ever collided: the test did not test anything");
    println!(
        "{backend:?} concurrent saves: {EDITORS} clients × {ROUNDS} saves on {SALES} sales: {ok} saved (200), {refused} refused (409), 0 other; {}; whole test {:.1} s",
        figures.join(", "),
        started.elapsed().as_secs_f64()
    );
    conn.close().await.ok();
    drop(server);
    drop(db);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_concurrent_saves_lose_nothing() {
    concurrent_saves(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_concurrent_saves_lose_nothing() {
    concurrent_saves(Backend::Postgres).await;
}
