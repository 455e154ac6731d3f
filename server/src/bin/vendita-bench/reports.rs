//! `vendita-bench reports [SALES]`: seeds a fresh SQLite database with generated sales (1 000 000
//! by default) and prints each measurement beside its floor, measured in the same run:
//! - reading the report data set from the kept cells vs the hand-written GROUP BY over the sales
//!   it replaces (target under 300 ms), and its size as JSON and gzipped (target under 1 MB);
//! - freezing the month's forecast vs the hand-written GROUP BY of the same figures (≤ 2×);
//! - one sale written with its report cell vs the same write alone (≤ 1.3×);
//! - a 100 000-row Excel download vs writing the same rows with rust_xlsxwriter from memory
//!   (target ≤ 1.5×), and the download's peak memory (target under 100 MB);
//! - a filter change: the fold the page runs in WASM, here natively on the same data set (the
//!   browser's own figure is measured by the Playwright journey, target under 50 ms).

use app::auth::{CurrentUser, Role, UserId};
use app::catalog::CategoryId;
use app::config::TagId;
use app::i18n::Lang;
use app::reports::ssr::export::{self, ExportContext, SaleLine};
use app::reports::*;
use app::sellers::SellerId;
use chrono::{Duration, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement, TransactionTrait};
use std::time::Instant;

const SELLERS: i64 = 10;
const PRODUCTS: i64 = 60;
const CONTACTS: i64 = 20_000;

pub async fn run(sales: u64) -> Result<(), String> {
    let scratch = Scratch::new("reports").await?;
    let result = bench(&scratch.db, &scratch.url, sales).await;
    scratch.remove().await;
    result
}

/// A throw-away SQLite database in a folder of its own under the temporary folder.
pub struct Scratch {
    pub db: DatabaseConnection,
    pub url: String,
    dir: std::path::PathBuf,
}

impl Scratch {
    pub async fn new(name: &str) -> Result<Scratch, String> {
        let dir = std::env::temp_dir().join(format!("vendita-bench-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let url = format!("sqlite://{}/bench.db?mode=rwc", dir.display());
        let db = app::db::connect(&url).await.map_err(|e| e.to_string())?;
        Ok(Scratch { db, url, dir })
    }

    /// Removes the database, or keeps it and says where when `VENDITA_BENCH_KEEP` is set (to
    /// look at a query's plan on the generated data).
    pub async fn remove(self) {
        self.db.close().await.ok();
        if std::env::var_os("VENDITA_BENCH_KEEP").is_some() {
            println!("kept {}", self.url);
        } else {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

async fn exec(db: &impl ConnectionTrait, sql: &str) -> Result<(), String> {
    db.execute_unprepared(sql).await.map(|_| ()).map_err(|e| e.to_string())
}

/// Users, sellers (the first three in a team), a category tree, products, tagged contacts, sales.
pub async fn seed(pool: &DatabaseConnection, sales: u64) -> Result<NaiveDate, String> {
    let now = Utc::now().format("%Y-%m-%dT%H:%M:%S%.3f+00:00").to_string();
    // One transaction on one connection of the pool (a bare BEGIN could land on another).
    let txn = pool.begin().await.map_err(|e| e.to_string())?;
    let db = &txn;
    exec(db, &format!("INSERT INTO users (id, login, display_name, password_hash, role, active, language, created_at, updated_at, version) VALUES (1, 'bench', 'Bench', 'x', 'manager', true, 'it', '{now}', '{now}', 1)")).await?;
    for s in 1..=SELLERS {
        exec(db, &format!("INSERT INTO sellers (id, kind, name, user_id, active, created_at, updated_at, version) VALUES ({s}, 'generic', 'Venditore {s:02}', NULL, true, '{now}', '{now}', 1)")).await?;
    }
    for c in 1..=12i64 {
        let parent = if c <= 3 { "NULL".to_string() } else { ((c - 1) % 3 + 1).to_string() };
        exec(db, &format!("INSERT INTO categories (id, parent_id, name, position, created_at, updated_at, version) VALUES ({c}, {parent}, 'Categoria {c}', {c}, '{now}', '{now}', 1)")).await?;
    }
    for p in 1..=PRODUCTS {
        exec(db, &format!("INSERT INTO products (id, code, name, category_id, unit, list_price_cents, vat_rate_bp, active, created_at, updated_at, version) VALUES ({p}, 'P{p:03}', 'Prodotto {p}', {}, 'pz', 10000, 2200, true, '{now}', '{now}', 1)", p % 12 + 1)).await?;
    }
    let mut batch = Vec::new();
    for c in 1..=CONTACTS {
        batch.push(format!("({c}, 'company', 'Cliente {c}', 'IT', '{now}', '{now}', 1)"));
        if batch.len() == 500 || c == CONTACTS {
            exec(db, &format!("INSERT INTO contacts (id, kind, name, country, created_at, updated_at, version) VALUES {}", batch.join(","))).await?;
            batch.clear();
        }
    }
    exec(db, "INSERT INTO contact_tags (contact_id, tag_id) SELECT id, (SELECT MIN(id) FROM tags) FROM contacts WHERE id % 10 < 7").await?;
    exec(db, "INSERT INTO contact_tags (contact_id, tag_id) SELECT id, (SELECT MAX(id) FROM tags) FROM contacts WHERE id % 10 >= 6").await?;
    let today = Utc::now().date_naive();
    let stages = ["lead", "negotiation", "proposal", "won", "lost", "won"];
    let mut x: u64 = 0x5eed;
    for i in 0..sales {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let r = x >> 20;
        let stage = stages[(r % 6) as usize];
        let sale = today - Duration::days((r >> 3) as i64 % 730);
        let expected = sale + Duration::days((r >> 13) as i64 % 90);
        let closed = if matches!(stage, "won" | "lost") { format!("'{}'", sale + Duration::days((r >> 17) as i64 % 45)) } else { "NULL".into() };
        let prob = match stage {
            "won" => 100,
            "lost" => 0,
            _ => 10 + (r >> 23) % 80,
        };
        let net = 1_000 + ((r >> 27) % 2_000_000) as i64;
        batch.push(format!(
            "({}, {}, {}, 1000, {net}, 0, 2200, {net}, {}, '{stage}', {prob}, '{sale}', '{expected}', {closed}, 1, '{now}', 1, '{now}', 1)",
            (r >> 30) as i64 % CONTACTS + 1,
            (r >> 40) as i64 % PRODUCTS + 1,
            i as i64 % SELLERS + 1,
            net * 122 / 100,
        ));
        if batch.len() == 500 || i + 1 == sales {
            exec(db, &format!(
                "INSERT INTO sales (contact_id, product_id, seller_id, quantity_milli, unit_price_cents, discount_bp, vat_rate_bp, net_cents, gross_cents, stage, probability, sale_date, expected_close, closed_date, created_by, created_at, updated_by, updated_at, version) VALUES {}",
                batch.join(",")
            )).await?;
            batch.clear();
        }
    }
    app::figures::cells::rebuild_in(&txn).await.map_err(|e| format!("{e:?}"))?;
    txn.commit().await.map_err(|e| e.to_string())?;
    exec(pool, "ANALYZE").await?;
    Ok(today)
}

/// The median of `runs` timings, in milliseconds, and the last run's value.
pub async fn median<F, Fut, T>(runs: usize, mut f: F) -> Result<(f64, T), String>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, String>>,
{
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let started = Instant::now();
        let value = f().await?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        last = Some(value);
    }
    Ok((middle(times), last.expect("at least one run")))
}

/// The median of timings in milliseconds (wall-clock durations, not money).
pub fn middle(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn line(what: &str, value: f64, floor: f64, target: f64) {
    let ratio = value / floor;
    let verdict = if ratio <= target { "ok" } else { "OVER TARGET" };
    println!("{what:<46} {value:>9.1} ms   floor {floor:>9.1} ms   ratio {ratio:>5.2}× (target ≤ {target}×) {verdict}");
}

/// Peak resident memory since the last reset, in MB (Linux).
pub fn peak_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

pub fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

async fn bench(db: &DatabaseConnection, url: &str, sales: u64) -> Result<(), String> {
    let started = Instant::now();
    let today = seed(db, sales).await?;
    println!("seeded {sales} sales in {:.1?}", started.elapsed());
    let manager = CurrentUser { id: UserId(1), login: "bench".into(), display_name: "Bench".into(), role: Role::Manager, lang: Lang::It };

    // 1. The data set against the hand-written GROUP BY it is made of.
    let handwritten = "SELECT CAST(substr(d, 1, 4) AS INTEGER) * 12 + CAST(substr(d, 6, 2) AS INTEGER) - 1 AS ym, seller_id, product_id, stage, mask, COUNT(*) AS n, SUM(net_cents) AS net, SUM(net_cents * probability) AS weighted \
        FROM (SELECT CASE WHEN stage IN ('won','lost') THEN COALESCE(closed_date, sale_date) ELSE COALESCE(expected_close, sale_date) END AS d, s.*, COALESCE(cm.mask, 0) AS mask \
              FROM sales s LEFT JOIN (SELECT contact_id, SUM(CASE tag_id WHEN 1 THEN 1 WHEN 2 THEN 2 ELSE 0 END) AS mask FROM contact_tags GROUP BY contact_id) cm ON cm.contact_id = s.contact_id) \
        GROUP BY 1, seller_id, product_id, stage, mask";
    let (floor, groups) = median(3, || async {
        let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), handwritten)).await.map_err(|e| e.to_string())?;
        // Every column decoded, as the data set decodes its cells.
        type Row = (i64, i64, i64, String, i64, i64, i64, i64);
        let rows: Vec<Row> = rows
            .iter()
            .map(|r| {
                (
                    r.try_get("", "ym").unwrap_or_default(),
                    r.try_get("", "seller_id").unwrap_or_default(),
                    r.try_get("", "product_id").unwrap_or_default(),
                    r.try_get("", "stage").unwrap_or_default(),
                    r.try_get("", "mask").unwrap_or_default(),
                    r.try_get("", "n").unwrap_or_default(),
                    r.try_get("", "net").unwrap_or_default(),
                    r.try_get("", "weighted").unwrap_or_default(),
                )
            })
            .collect();
        Ok(rows.len())
    })
    .await?;
    let (value, data) =
        median(5, || async { app::reports::ssr::report_data(db, &manager, Scope::All).await.map_err(|e| e.message(Lang::En)) }).await?;
    let json = serde_json::to_vec(&data).map_err(|e| e.to_string())?;
    let gzipped = {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&json).map_err(|e| e.to_string())?;
        gz.finish().map_err(|e| e.to_string())?.len()
    };
    println!(
        "data set: {} cells for {sales} sales ({groups} groups by hand), {:.2} MB as JSON, {:.2} MB gzipped (target under 1 MB on the wire {})",
        data.cells.len(),
        json.len() as f64 / 1e6,
        gzipped as f64 / 1e6,
        if gzipped < 1_000_000 { "ok" } else { "OVER TARGET" }
    );
    println!(
        "{:<46} {value:>9.1} ms   the GROUP BY it replaces {floor:>9.1} ms   ratio {:>5.2}×   target < 300 ms {}",
        "report data set, read from the kept cells",
        value / floor,
        if value < 300.0 { "ok" } else { "OVER TARGET" }
    );

    // 1b. Freezing the month's forecast against the hand-written GROUP BY over the sales.
    let month = Month::of(today);
    let open_by_hand = format!(
        "SELECT s.seller_id, CAST(substr(COALESCE(s.expected_close, s.sale_date), 1, 4) AS INTEGER) * 12 + CAST(substr(COALESCE(s.expected_close, s.sale_date), 6, 2) AS INTEGER) - 1 AS ym, \
         COALESCE(p.category_id, 0) AS category, COUNT(*) AS n, SUM(s.net_cents) AS net, SUM(s.net_cents * s.probability) AS weighted \
         FROM sales s JOIN products p ON p.id = s.product_id WHERE s.stage IN ('lead','negotiation','proposal') \
         AND COALESCE(s.expected_close, s.sale_date) >= '{}' AND COALESCE(s.expected_close, s.sale_date) < '{}' GROUP BY 1, 2, 3",
        month.first_day(),
        month.plus(app::reports::ssr::snapshots::AHEAD).first_day()
    );
    let (snapshot_floor, _) = median(5, || async {
        db.query_all_raw(Statement::from_string(db.get_database_backend(), open_by_hand.clone())).await.map(|r| r.len()).map_err(|e| e.to_string())
    })
    .await?;
    let mut times = Vec::new();
    for _ in 0..5 {
        exec(db, "DELETE FROM snapshot_months").await?;
        let started = Instant::now();
        app::reports::ssr::snapshots::take_if_due(db, today).await.map_err(|e| e.message(Lang::En))?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let snapshot = middle(times);
    line("forecast snapshot vs hand-written GROUP BY", snapshot, snapshot_floor, 2.0);

    // 1c. One sale written with its cell update, against the same write alone.
    let (with_cells, alone) = sale_writes(db).await?;
    line("sale write + its report cell vs the write alone", with_cells, alone, 1.3);

    // 2. A 100 000-row download against the same rows written from memory.
    let all = Period::Range { from: Month::of(today - Duration::days(800)), to: Month::of(today + Duration::days(200)) };
    let filter = Filter { period: all, seller: Some(SellerId(1)), grouping: Grouping::Month, ..Filter::default() };
    let path = std::env::temp_dir().join(format!("vendita-bench-{}.xlsx", std::process::id()));
    reset_peak();
    let before = peak_mb().unwrap_or(0.0);
    let (download, rows) =
        median(3, || async { export::export_workbook(db, &manager, Scope::All, &filter, create(&path)?).await.map_err(|e| e.message(Lang::En)) })
            .await?;
    let peak = peak_mb().unwrap_or(0.0);
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let _ = std::fs::remove_file(&path);
    // The floor: the same rows, already in memory, written by rust_xlsxwriter in its default mode.
    let lines = load_lines(db, 1).await?;
    let report = compute(&data, &filter, Lang::It);
    let ctx = ExportContext {
        data: data.clone(),
        filter: filter.clone(),
        report,
        lang: Lang::It,
        exported_by: "Bench".into(),
        exported_at: Utc::now(),
        history: Default::default(),
        offers: Default::default(),
        commissions: Vec::new(),
    };
    let (floor, _) = median(3, || async { write_from_memory(&ctx, &lines, &path).map_err(|e| e.to_string()) }).await?;
    let _ = std::fs::remove_file(&path);
    println!("download: {rows} rows, {:.1} MB workbook", size as f64 / 1e6);
    line(&format!("{rows}-row download vs rust_xlsxwriter from memory"), download, floor, 1.5);
    let grew = (peak - before).max(0.0);
    println!(
        "(in this process, which holds the 1M-sale data set: RSS high-water mark {peak:.1} MB, {before:.1} MB before the download, grew {grew:.1} MB)"
    );
    // The peak of a download on its own: a fresh process that opens the database and writes the
    // same workbook, as a server answering only that request would.
    let out = std::process::Command::new(std::env::current_exe().map_err(|e| e.to_string())?)
        .args(["download", url])
        .env("RUST_LOG", "warn")
        .output()
        .map_err(|e| e.to_string())?;
    let report = String::from_utf8_lossy(&out.stdout);
    let peak: Option<f64> = report.split_whitespace().find_map(|w| w.strip_prefix("peak_mb=")).and_then(|v| v.parse().ok());
    match peak {
        Some(peak) => println!(
            "download peak memory, own process (RSS high-water mark)  {peak:>7.1} MB   target under 100 MB {}",
            if peak < 100.0 { "ok" } else { "OVER TARGET" }
        ),
        None => return Err(format!("download failed: {report} {}", String::from_utf8_lossy(&out.stderr))),
    }

    // 3. A filter change: the fold the page runs in WASM, natively on the 1M-sale data set.
    let filters = [
        Filter { period: Period::Last12Months, ..Filter::default() },
        Filter { period: Period::Last12Months, seller: Some(SellerId(2)), category: Some(CategoryId(1)), ..Filter::default() },
        Filter { period: all, grouping: Grouping::Category, ..Filter::default() },
        Filter { period: all, grouping: Grouping::Product, tag: Some(TagId(2)), ..Filter::default() },
    ];
    let started = Instant::now();
    for f in &filters {
        std::hint::black_box(compute(&data, f, Lang::It));
    }
    let per_change = started.elapsed().as_secs_f64() * 1000.0 / filters.len() as f64;
    println!(
        "filter change (fold of {} cells, native)           {per_change:>9.2} ms   target under 50 ms in the browser {}",
        data.cells.len(),
        if per_change < 50.0 { "ok" } else { "OVER TARGET" }
    );
    println!("(the browser's own figure on the demo data is printed by end2end/tests/reports.spec.ts)");
    Ok(())
}

/// Median of 200 one-sale write transactions (the sale and its history line), with and without
/// the update of its report cell, interleaved so both meet the same machine.
async fn sale_writes(db: &DatabaseConnection) -> Result<(f64, f64), String> {
    use app::db::entities::{sale_history, sales};
    use sea_orm::{ActiveModelTrait, Set};
    let sale = |i: i64| sales::ActiveModel {
        contact_id: Set(i % CONTACTS + 1),
        product_id: Set(i % PRODUCTS + 1),
        seller_id: Set(i % SELLERS + 1),
        quantity_milli: Set(1000),
        unit_price_cents: Set(12_345),
        discount_bp: Set(0),
        vat_rate_bp: Set(2200),
        net_cents: Set(12_345),
        gross_cents: Set(15_061),
        stage: Set(app::sales::Stage::Proposal),
        probability: Set(60),
        sale_date: Set(Utc::now().date_naive()),
        expected_close: Set(Some(Utc::now().date_naive() + Duration::days(i % 90))),
        created_by: Set(1),
        created_at: Set(Utc::now()),
        updated_by: Set(1),
        updated_at: Set(Utc::now()),
        version: Set(1),
        ..Default::default()
    };
    let write = |i: i64, cells: bool| async move {
        let started = Instant::now();
        let result = app::db::transaction(db, |txn| {
            Box::pin(async move {
                let model = sale(i).insert(txn).await?;
                sale_history::ActiveModel {
                    sale_id: Set(model.id),
                    user_id: Set(1),
                    at: Set(Utc::now()),
                    action: Set(app::sales::HistoryAction::Create),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                if cells {
                    app::figures::cells::sale_written(txn, None, Some(&model)).await?;
                }
                Ok(())
            })
        })
        .await;
        result.map(|_| started.elapsed().as_secs_f64() * 1000.0).map_err(|e| e.message(Lang::En))
    };
    let (mut with, mut without) = (Vec::new(), Vec::new());
    for i in 0..200 {
        with.push(write(i, true).await?);
        without.push(write(i + 1, false).await?);
    }
    // The writes without their cells are undone from the cells' point of view: a rebuild after.
    app::figures::cells::rebuild(db).await.map_err(|e| e.message(Lang::En))?;
    Ok((middle(with), middle(without)))
}

/// `vendita-bench download URL`: one download of seller 1's sales over the whole generated period
/// from the database at URL, printing its rows, time and the process's peak memory.
pub async fn download_alone(url: &str) -> Result<(), String> {
    let db = app::db::connect(url).await.map_err(|e| e.to_string())?;
    let manager = CurrentUser { id: UserId(1), login: "bench".into(), display_name: "Bench".into(), role: Role::Manager, lang: Lang::It };
    let today = chrono::Local::now().date_naive();
    let all = Period::Range { from: Month::of(today - Duration::days(800)), to: Month::of(today + Duration::days(200)) };
    let filter = Filter { period: all, seller: Some(SellerId(1)), grouping: Grouping::Month, ..Filter::default() };
    let path = std::env::temp_dir().join(format!("vendita-bench-alone-{}.xlsx", std::process::id()));
    let started = Instant::now();
    let rows = export::export_workbook(&db, &manager, Scope::All, &filter, create(&path)?).await.map_err(|e| e.message(Lang::En))?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let _ = std::fs::remove_file(&path);
    println!("rows={rows} ms={ms:.1} peak_mb={:.1}", peak_mb().unwrap_or(f64::NAN));
    Ok(())
}

async fn load_lines(db: &DatabaseConnection, seller: i64) -> Result<Vec<SaleLine>, String> {
    let sql = format!(
        "SELECT s.*, c.name AS contact, c.city, c.province, u.display_name AS registered_by \
         FROM sales s JOIN contacts c ON c.id = s.contact_id JOIN users u ON u.id = s.created_by WHERE s.seller_id = {seller} ORDER BY s.id"
    );
    let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await.map_err(|e| e.to_string())?;
    let lines: Result<Vec<Option<SaleLine>>, _> = rows.iter().map(SaleLine::from_row).collect();
    Ok(lines.map_err(|e| e.to_string())?.into_iter().flatten().collect())
}

/// The floor: the same workbook writer, fed from a vector already in memory.
fn write_from_memory(ctx: &ExportContext, lines: &[SaleLine], path: &std::path::Path) -> Result<u64, export::WriteError> {
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    let rows = lines.len() as u64;
    let lines = lines.to_vec();
    std::thread::spawn(move || {
        for chunk in lines.chunks(5_000) {
            let _ = tx.send(chunk.to_vec());
        }
    });
    export::write_workbook(ctx, rows, rx, std::fs::File::create(path)?)
}

fn create(path: &std::path::Path) -> Result<std::fs::File, String> {
    std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))
}
