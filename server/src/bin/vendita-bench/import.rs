//! `vendita-bench import [ROWS]`: the import of ROWS contacts and ROWS sales (100 000 each by
//! default) from CSV on SQLite, as `vendita import` runs it: a dry run, then the import, for each
//! file. Each figure is printed beside the floor measured in the same run: a bare batched INSERT
//! of the same rows (500 a statement, one transaction) into a second throw-away database, the
//! sales with their totals computed as the import computes them. Also the process's peak memory.
//! Targets: the import ≤ 3× its floor, peak memory < 200 MB.

use super::reports::{Scratch, peak_mb, reset_peak};
use app::auth::{CurrentUser, Role, UserId};
use app::i18n::Lang;
use app::import::{ImportKind, ImportMode, ImportRequest};
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};
use std::time::Instant;

const RATIO_TARGET: f64 = 3.0;
const MEMORY_TARGET_MB: f64 = 200.0;

async fn exec(db: &impl ConnectionTrait, sql: &str) -> Result<(), String> {
    db.execute_unprepared(sql).await.map(|_| ()).map_err(|e| e.to_string())
}

/// An admin with a seller of his own, Clienti as the sales tag, one product.
async fn prepare(db: &DatabaseConnection) -> Result<(), String> {
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3f+00:00").to_string();
    exec(db, &format!("INSERT INTO users (id, login, display_name, password_hash, role, active, language, created_at, updated_at, version) VALUES (1, 'bench', 'Bench', 'x', 'admin', true, 'it', '{now}', '{now}', 1)")).await?;
    exec(db, &format!("INSERT INTO sellers (id, kind, name, user_id, active, created_at, updated_at, version) VALUES (1, 'user', 'Bench', 1, true, '{now}', '{now}', 1)")).await?;
    exec(db, &format!("INSERT INTO products (id, code, name, unit, list_price_cents, vat_rate_bp, active, created_at, updated_at, version) VALUES (1, 'P001', 'Prodotto', 'pz', 10000, 2200, true, '{now}', '{now}', 1)")).await?;
    exec(db, "UPDATE crm_settings SET sales_tag_id = (SELECT id FROM tags WHERE system_key = 'customers')").await
}

fn contacts_csv(rows: usize) -> String {
    let mut csv = String::from("Ragione sociale;E-mail;Città;Provincia;Tag\n");
    for i in 0..rows {
        csv.push_str(&format!("Cliente {i} Srl;cliente{i}@example.it;Forlì;FC;Clienti\n"));
    }
    csv
}

fn sales_csv(rows: usize) -> String {
    let mut csv = String::from("Data;E-mail;Codice prodotto;Quantità;Prezzo;Fase;Data chiusura\n");
    for i in 0..rows {
        let day = 1 + i % 28;
        let (stage, closed) = if i % 3 == 0 { ("Vinta", format!("{day:02}/06/2025")) } else { ("Trattativa", String::new()) };
        csv.push_str(&format!("{day:02}/05/2025;cliente{i}@example.it;P001;{};{},50;{stage};{closed}\n", 1 + i % 5, 10 + i % 900));
    }
    csv
}

/// The same rows as bare batched INSERTs, in one transaction: the floor.
async fn bare(db: &DatabaseConnection, rows: usize) -> Result<(f64, f64), String> {
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3f+00:00").to_string();
    let started = Instant::now();
    let txn = db.begin().await.map_err(|e| e.to_string())?;
    for chunk in (0..rows).collect::<Vec<_>>().chunks(500) {
        let values: Vec<String> = chunk
            .iter()
            .map(|i| format!("({}, 'company', 'Cliente {i} Srl', 'cliente{i}@example.it', 'Forlì', 'FC', 'IT', '{now}', '{now}', 1)", i + 1))
            .collect();
        exec(
            &txn,
            &format!(
                "INSERT INTO contacts (id, kind, name, email, city, province, country, created_at, updated_at, version) VALUES {}",
                values.join(",")
            ),
        )
        .await?;
        let tags: Vec<String> = chunk.iter().map(|i| format!("({}, (SELECT id FROM tags WHERE system_key = 'customers'))", i + 1)).collect();
        exec(&txn, &format!("INSERT INTO contact_tags (contact_id, tag_id) VALUES {}", tags.join(","))).await?;
    }
    txn.commit().await.map_err(|e| e.to_string())?;
    let contacts = started.elapsed().as_secs_f64() * 1000.0;
    let started = Instant::now();
    let txn = db.begin().await.map_err(|e| e.to_string())?;
    for chunk in (0..rows).collect::<Vec<_>>().chunks(500) {
        let values: Vec<String> = chunk
            .iter()
            .map(|&i| {
                let day = 1 + i % 28;
                let quantity = app::money::Quantity((1 + i as i64 % 5) * 1000);
                let price = app::money::Money((10 + i as i64 % 900) * 100 + 50);
                let (net, gross) = app::money::line_totals(quantity, price, app::money::Percent(0), app::money::Percent(2200));
                let (stage, probability, closed) =
                    if i % 3 == 0 { ("won", 100, format!("'2025-06-{day:02}'")) } else { ("negotiation", 30, "NULL".into()) };
                format!(
                    "({}, 1, 1, {}, {}, 0, 2200, {}, {}, '{stage}', {probability}, '2025-05-{day:02}', {closed}, 1, '{now}', 1, '{now}', 1)",
                    i + 1,
                    quantity.0,
                    price.0,
                    net.0,
                    gross.0
                )
            })
            .collect();
        exec(&txn, &format!("INSERT INTO sales (contact_id, product_id, seller_id, quantity_milli, unit_price_cents, discount_bp, vat_rate_bp, net_cents, gross_cents, stage, probability, sale_date, closed_date, created_by, created_at, updated_by, updated_at, version) VALUES {}", values.join(","))).await?;
    }
    txn.commit().await.map_err(|e| e.to_string())?;
    Ok((contacts, started.elapsed().as_secs_f64() * 1000.0))
}

fn line(what: &str, value: f64, floor: f64) {
    let ratio = value / floor;
    let verdict = if ratio <= RATIO_TARGET { "ok" } else { "OVER TARGET" };
    println!("{what:<40} {value:>10.0} ms   bare INSERT {floor:>8.0} ms   ratio {ratio:>6.2}× (target ≤ {RATIO_TARGET}×) {verdict}");
}

pub async fn run(rows: usize) -> Result<(), String> {
    let scratch = Scratch::new("import").await?;
    let floor_db = Scratch::new("import-floor").await?;
    let result = bench(&scratch.db, &floor_db.db, rows).await;
    scratch.remove().await;
    floor_db.remove().await;
    result
}

async fn bench(db: &DatabaseConnection, floor_db: &DatabaseConnection, rows: usize) -> Result<(), String> {
    prepare(db).await?;
    prepare(floor_db).await?;
    let admin = CurrentUser { id: UserId(1), login: "bench".into(), display_name: "Bench".into(), role: Role::Admin, lang: Lang::It };
    let files = [(ImportKind::Contacts, contacts_csv(rows)), (ImportKind::Sales, sales_csv(rows))];
    println!("{rows} contacts ({:.1} MB of CSV) and {rows} sales ({:.1} MB)", files[0].1.len() as f64 / 1e6, files[1].1.len() as f64 / 1e6);
    reset_peak();
    let mut timings = Vec::new();
    for (kind, csv) in &files {
        for mode in [ImportMode::DryRun, ImportMode::All] {
            let request =
                ImportRequest { kind: *kind, file_name: format!("{}.csv", kind.code()), sheet: None, mapping: None, mode, add_sales_tag: false };
            let started = Instant::now();
            let report = app::import::ssr::run(db, &admin, &request, csv.as_bytes()).await.map_err(|e| e.message(Lang::En))?;
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            if report.creates as usize != rows || report.bad > 0 {
                return Err(format!("{kind:?} {mode:?}: {} created, {} bad rows", report.creates, report.bad));
            }
            timings.push(ms);
            println!("  {kind:?} {mode:?}: peak memory so far {:.1} MB", peak_mb().unwrap_or(0.0));
        }
    }
    let peak = peak_mb().unwrap_or(0.0);
    let (contacts_floor, sales_floor) = bare(floor_db, rows).await?;
    line("contacts, dry run", timings[0], contacts_floor);
    line("contacts, import", timings[1], contacts_floor);
    line("sales, dry run", timings[2], sales_floor);
    line("sales, import", timings[3], sales_floor);
    let verdict = if peak < MEMORY_TARGET_MB { "ok" } else { "OVER TARGET" };
    println!("peak memory of the imports {peak:>8.1} MB   (target < {MEMORY_TARGET_MB} MB) {verdict}");
    Ok(())
}
