//! `vendita-bench addressbook`: seeds a fresh SQLite file (in a temporary directory, never committed) with
//! 100 000 contacts and 1 000 000 sales, then prints the median time of the address-book search
//! page, the contact card with its Vendita tab (a contact with 1 000 sales) and a sale creation,
//! each beside the bare SQL for the same rows measured in the same run.

use app::auth::{CurrentUser, Role, UserId};
use app::contacts::{ContactId, ContactQuery};
use app::i18n::Lang;
use app::sales::SaleForm;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, TransactionTrait};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

pub const CONTACTS: usize = 100_000;
pub const SALES: usize = 1_000_000;
/// Sales of the one contact whose card is measured.
pub const BIG_CONTACT_SALES: usize = 1_000;
const SELLERS: usize = 20;
const PRODUCTS: usize = 50;
const RUNS: usize = 50;

const FIRST: [&str; 20] = [
    "Marco", "Giulia", "Luca", "Sara", "Paolo", "Anna", "Franco", "Elena", "Matteo", "Chiara", "Davide", "Laura", "Stefano", "Marta", "Andrea",
    "Silvia", "Giorgio", "Paola", "Roberto", "Federica",
];
const LAST: [&str; 25] = [
    "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca",
    "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi", "Moretti", "Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi",
];
const CITIES: [&str; 12] = ["Milano", "Roma", "Torino", "Napoli", "Bologna", "Firenze", "Bari", "Verona", "Padova", "Trieste", "Genova", "Parma"];
const STAGES: [(&str, i32); 5] = [("lead", 10), ("negotiation", 30), ("proposal", 60), ("won", 100), ("lost", 0)];

/// A tiny deterministic generator: the same data every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

async fn exec(db: &impl ConnectionTrait, sql: &str) -> Result<(), String> {
    db.execute_unprepared(sql).await.map(|_| ()).map_err(|e| e.to_string())
}

/// Multi-row INSERTs of `rows` (already-escaped value tuples), 500 a statement.
async fn insert_rows(db: &impl ConnectionTrait, head: &str, rows: impl Iterator<Item = String>) -> Result<(), String> {
    let mut batch = Vec::with_capacity(500);
    for row in rows {
        batch.push(row);
        if batch.len() == 500 {
            exec(db, &format!("{head} VALUES {}", batch.join(","))).await?;
            batch.clear();
        }
    }
    if !batch.is_empty() {
        exec(db, &format!("{head} VALUES {}", batch.join(","))).await?;
    }
    Ok(())
}

const STAMP: &str = "'2026-01-15T09:00:00.000+00:00'";

/// Seeds the database; returns (a member with his own seller, the contact with 1 000 sales).
async fn seed(db: &DatabaseConnection) -> Result<(CurrentUser, CurrentUser, ContactId, i64, i64), String> {
    let hash = app::auth::ssr::hash_password_blocking("benchmark-password");
    let txn = db.begin().await.map_err(|e| e.to_string())?;
    insert_rows(
        &txn,
        "INSERT INTO users (login, display_name, password_hash, role, active, language, created_at, updated_at, version)",
        (0..=SELLERS).map(|i| {
            let role = if i == 0 { "manager" } else { "member" };
            format!("('user{i}', 'User {i}', '{hash}', '{role}', true, 'it', {STAMP}, {STAMP}, 1)")
        }),
    )
    .await?;
    insert_rows(
        &txn,
        "INSERT INTO sellers (kind, name, user_id, active, created_at, updated_at, version)",
        (1..=SELLERS).map(|i| format!("('user', 'Seller {i}', {}, true, {STAMP}, {STAMP}, 1)", i + 1)),
    )
    .await?;
    exec(
        &txn,
        &format!(
            "INSERT INTO categories (parent_id, name, position, created_at, updated_at, version) VALUES (NULL, 'Servizi', 1, {STAMP}, {STAMP}, 1)"
        ),
    )
    .await?;
    insert_rows(
        &txn,
        "INSERT INTO products (code, name, description, category_id, unit, list_price_cents, vat_rate_bp, active, created_at, updated_at, version)",
        (1..=PRODUCTS).map(|i| format!("('P{i:03}', 'Prodotto {i}', NULL, 1, 'pz', {}, 2200, true, {STAMP}, {STAMP}, 1)", 1_000 + i * 937)),
    )
    .await?;
    exec(&txn, "UPDATE crm_settings SET sales_tag_id = (SELECT id FROM tags WHERE system_key = 'customers')").await?;
    let mut rng = Rng(0x5eed_cafe);
    insert_rows(
        &txn,
        "INSERT INTO contacts (kind, name, company, vat_number, tax_code, email, phone, address, postcode, city, province, country, notes, created_at, updated_at, version)",
        (1..=CONTACTS).map(|i| {
            let (first, last, city) = (FIRST[rng.below(FIRST.len())], LAST[rng.below(LAST.len())], CITIES[rng.below(CITIES.len())]);
            let name = if i == 1 { "Benchmark Spa".to_string() } else { format!("{last} {first} {i}") };
            format!(
                "('{kind}', '{name}', '{last} Srl', '{vat:011}', NULL, '{mail}{i}@example.it', '02 {i:07}', 'Via Roma {n}', '20100', '{city}', 'MI', 'IT', NULL, {STAMP}, {STAMP}, 1)",
                kind = if i % 3 == 0 { "person" } else { "company" },
                vat = 10_000_000_000u64 + i as u64 * 7,
                mail = first.to_lowercase(),
                n = i % 200,
            )
        }),
    )
    .await?;
    // Every other contact is a customer (Clienti).
    exec(&txn, "INSERT INTO contact_tags (contact_id, tag_id) SELECT id, (SELECT id FROM tags WHERE system_key = 'customers') FROM contacts WHERE id % 2 = 1").await?;
    txn.commit().await.map_err(|e| e.to_string())?;

    // 1 000 000 sales: the first 1 000 on contact 1, the rest spread over the customers.
    for chunk in 0..(SALES / 100_000) {
        let txn = db.begin().await.map_err(|e| e.to_string())?;
        insert_rows(
            &txn,
            "INSERT INTO sales (contact_id, product_id, seller_id, quantity_milli, unit_price_cents, discount_bp, vat_rate_bp, net_cents, gross_cents, stage, probability, sale_date, expected_close, closed_date, lost_note, notes, created_by, created_at, updated_by, updated_at, version)",
            (chunk * 100_000..(chunk + 1) * 100_000).map(|i| {
                let contact = if i < BIG_CONTACT_SALES { 1 } else { 1 + 2 * rng.below(CONTACTS / 2) };
                let seller = 1 + rng.below(SELLERS);
                let (stage, probability) = STAGES[rng.below(STAGES.len())];
                let quantity = 1_000 * (1 + rng.below(10) as i64);
                let price = 1_000 + rng.below(100_000) as i64;
                let (net, gross) = app::money::line_totals(
                    app::money::Quantity(quantity),
                    app::money::Money(price),
                    app::money::Percent(0),
                    app::money::Percent(2200),
                );
                let day = 1 + rng.below(28);
                let month = 1 + rng.below(12);
                format!(
                    "({contact}, {product}, {seller}, {quantity}, {price}, 0, 2200, {net}, {gross}, '{stage}', {probability}, '2025-{month:02}-{day:02}', NULL, NULL, NULL, NULL, {user}, {STAMP}, {user}, {STAMP}, 1)",
                    product = 1 + rng.below(PRODUCTS),
                    net = net.0,
                    gross = gross.0,
                    user = seller + 1,
                )
            }),
        )
        .await?;
        txn.commit().await.map_err(|e| e.to_string())?;
    }
    exec(db, "ANALYZE").await?;
    let manager = CurrentUser { id: UserId(1), login: "user0".into(), display_name: "User 0".into(), role: Role::Manager, lang: Lang::It };
    let member = CurrentUser { id: UserId(2), login: "user1".into(), display_name: "User 1".into(), role: Role::Member, lang: Lang::It };
    Ok((manager, member, ContactId(1), 1, 1))
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

async fn measure<F, Fut, T>(mut f: F) -> (Duration, T)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let mut out = f().await; // warm-up
    let mut samples = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        out = f().await;
        samples.push(started.elapsed());
    }
    (median(samples), out)
}

async fn raw(db: &DatabaseConnection, sql: &str, values: Vec<sea_orm::Value>) -> usize {
    db.query_all_raw(Statement::from_sql_and_values(DbBackend::Sqlite, sql, values)).await.expect("bare query").len()
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

pub async fn run() -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("vendita-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let url = format!("sqlite://{}/bench.db?mode=rwc", dir.display());
    let db = app::db::connect(&url).await.map_err(|e| e.to_string())?;
    println!("seeding {CONTACTS} contacts and {SALES} sales into {} …", dir.display());
    let started = Instant::now();
    let (manager, member, big, product, member_seller) = seed(&db).await?;
    println!("seeded in {:.1?}; each figure is the median of {RUNS} runs\n", started.elapsed());

    let mut report = String::new();
    let _ = writeln!(report, "{:<58} {:>12} {:>12} {:>6}", "figure", "Vendita", "bare SQL", "rows");
    let bare_list = "SELECT id, kind, name, company, email, vat_number, city, lower(name) AS name_key FROM contacts";
    // SQLite answers "contains" through the trigram full-text index (see the second migration).
    let like = " id IN (SELECT rowid FROM contacts_search WHERE contacts_search MATCH $1)";
    let order = " ORDER BY lower(name), id LIMIT 51";
    let middle: (String, i64) = {
        let row = db
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                "SELECT lower(name) AS k, id FROM contacts ORDER BY lower(name), id LIMIT 1 OFFSET 50000",
            ))
            .await
            .map_err(|e| e.to_string())?
            .ok_or("no middle row")?;
        (row.try_get::<String>("", "k").map_err(|e| e.to_string())?, row.try_get::<i64>("", "id").map_err(|e| e.to_string())?)
    };
    let clienti: i64 = 1;
    let email: String = db
        .query_one_raw(Statement::from_string(DbBackend::Sqlite, "SELECT email FROM contacts WHERE id = 12345"))
        .await
        .map_err(|e| e.to_string())?
        .ok_or("no contact 12345")?
        .try_get("", "email")
        .map_err(|e| e.to_string())?;
    let cases: Vec<(&str, ContactQuery, String, Vec<sea_orm::Value>)> = vec![
        ("address book, first page (no search)", ContactQuery::default(), format!("{bare_list}{order}"), vec![]),
        (
            "address book, page 1 001 of 2 000 (keyset cursor)",
            ContactQuery { after: Some(app::contacts::ContactCursor { name_key: middle.0.clone(), id: ContactId(middle.1) }), ..Default::default() },
            format!("{bare_list} WHERE lower(name) >= $1 AND (lower(name) > $1 OR id > $2){order}"),
            vec![middle.0.clone().into(), middle.1.into()],
        ),
        (
            "search \"rossi\" (common: name/company)",
            ContactQuery { search: "rossi".into(), ..Default::default() },
            format!("{bare_list} WHERE{like}{order}"),
            vec!["\"rossi\"".into()],
        ),
        (
            "search \"torino\" (city)",
            ContactQuery { search: "torino".into(), ..Default::default() },
            format!("{bare_list} WHERE{like}{order}"),
            vec!["\"torino\"".into()],
        ),
        (
            "search one e-mail (a single match)",
            ContactQuery { search: email.clone(), ..Default::default() },
            format!("{bare_list} WHERE{like}{order}"),
            vec![format!("\"{email}\"").into()],
        ),
        (
            "search \"zzz\" (no match)",
            ContactQuery { search: "zzz".into(), ..Default::default() },
            format!("{bare_list} WHERE{like}{order}"),
            vec!["\"zzz\"".into()],
        ),
        (
            "tag Clienti + search \"bianchi\"",
            ContactQuery { search: "bianchi".into(), tag: Some(app::config::TagId(clienti)), ..Default::default() },
            format!("{bare_list} WHERE{like} AND EXISTS (SELECT 1 FROM contact_tags ct WHERE ct.contact_id = contacts.id AND ct.tag_id = $2){order}"),
            vec!["\"bianchi\"".into(), clienti.into()],
        ),
    ];
    for (label, query, sql, values) in cases {
        let (vendita, page) = measure(|| app::contacts::ssr::list(&db, &manager, &query)).await;
        let rows = page.map_err(|e| format!("{e:?}"))?.rows.len();
        let (bare, bare_rows) = measure(|| raw(&db, &sql, values.clone())).await;
        let _ = writeln!(report, "{label:<58} {:>12} {:>12} {:>6}", ms(vendita), ms(bare), format!("{rows}/{}", bare_rows.min(50)));
    }

    // The card of the contact with 1 000 sales: the contact, then its Vendita tab (first page + totals).
    let card = |user: CurrentUser| {
        let db = db.clone();
        async move {
            let contact = app::contacts::ssr::get(&db, &user, big).await.expect("contact");
            let tab = app::sales::ssr::list_for_contact(&db, &user, contact.id, None).await.expect("tab");
            tab.sales.len()
        }
    };
    let bare_card = |member: bool| {
        let db = db.clone();
        async move {
            let scope = if member {
                " AND seller_id IN (SELECT id FROM sellers WHERE user_id = 2 UNION SELECT seller_id FROM seller_members WHERE user_id = 2)"
            } else {
                ""
            };
            raw(&db, "SELECT * FROM contacts WHERE id = 1", vec![]).await;
            raw(&db, "SELECT tags.* FROM tags JOIN contact_tags ON contact_tags.tag_id = tags.id WHERE contact_tags.contact_id = 1", vec![]).await;
            let n = raw(&db, &format!("SELECT * FROM sales WHERE contact_id = 1{scope} ORDER BY sale_date DESC, id DESC LIMIT 51"), vec![]).await;
            raw(
                &db,
                &format!(
                    "SELECT stage, COUNT(*), SUM(net_cents), SUM(net_cents * probability) FROM sales WHERE contact_id = 1{scope} GROUP BY stage"
                ),
                vec![],
            )
            .await;
            n.min(50)
        }
    };
    let (vendita, rows) = measure(|| card(manager.clone())).await;
    let (bare, _) = measure(|| bare_card(false)).await;
    let _ = writeln!(report, "{:<58} {:>12} {:>12} {:>6}", "card + Vendita tab, 1 000 sales (manager)", ms(vendita), ms(bare), rows);
    let (vendita, rows) = measure(|| card(member.clone())).await;
    let (bare, _) = measure(|| bare_card(true)).await;
    let _ = writeln!(report, "{:<58} {:>12} {:>12} {:>6}", "card + Vendita tab, 1 000 sales (member: own seller only)", ms(vendita), ms(bare), rows);

    // Creating a sale: validation, totals, insert and history in one durable transaction.
    let form = SaleForm {
        product: product.to_string(),
        seller: member_seller.to_string(),
        quantity: "2".into(),
        unit_price: "123,45".into(),
        discount: "5".into(),
        vat_rate: "22".into(),
        stage: "proposal".into(),
        sale_date: "2026-02-01".into(),
        ..Default::default()
    };
    let (vendita, _) = measure(|| app::sales::ssr::create(&db, &member, big, &form)).await;
    let (bare, _) = measure(|| {
        let db = db.clone();
        async move {
            let txn = db.begin().await.expect("begin");
            txn.execute_unprepared(&format!(
                "INSERT INTO sales (contact_id, product_id, seller_id, quantity_milli, unit_price_cents, discount_bp, vat_rate_bp, net_cents, gross_cents, stage, probability, sale_date, created_by, created_at, updated_by, updated_at, version) \
                 VALUES (1, {product}, {member_seller}, 2000, 12345, 500, 2200, 23456, 28616, 'proposal', 60, '2026-02-01', 2, {STAMP}, 2, {STAMP}, 1)"
            ))
            .await
            .expect("insert");
            txn.execute_unprepared(&format!("INSERT INTO sale_history (sale_id, user_id, at, action, field, old_value, new_value) VALUES (last_insert_rowid(), 2, {STAMP}, 'create', NULL, NULL, 'x')"))
                .await
                .expect("history");
            txn.commit().await.expect("commit");
        }
    })
    .await;
    let _ = writeln!(report, "{:<58} {:>12} {:>12} {:>6}", "sale creation (+ history, durable commit)", ms(vendita), ms(bare), 1);

    let plan = db
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            format!("EXPLAIN QUERY PLAN {bare_list} WHERE lower(name) >= 'm' AND (lower(name) > 'm' OR id > 1){order}"),
        ))
        .await
        .map_err(|e| e.to_string())?;
    println!("{report}");
    let details: Vec<String> = plan.iter().filter_map(|r| r.try_get::<String>("", "detail").ok()).collect();
    println!("query plan of a keyset page: {}", details.join("; "));
    db.close().await.ok();
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
