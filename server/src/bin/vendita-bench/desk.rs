//! `vendita-bench desk [SALES]`: the desk on the reports benchmark's generated data set (1 000 000
//! sales by default, 20 000 contacts, 10 sellers), its open sales mostly expected ahead (one in
//! twenty overdue). Each page of the sales list is timed whole (its
//! rows and the totals of the filtered set) and printed beside the bare SQL for the same rows and
//! totals, run in the same process; the manager's home page is timed beside the bare SQL of its
//! figures. Target: each under 30 ms median.

use super::reports::{Scratch, median, seed};
use app::auth::{CurrentUser, Role, UserId};
use app::desk::SalesFilter;
use app::desk::ssr as desk;
use app::i18n::Lang;
use chrono::{Datelike, Months};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

const RUNS: usize = 9;
const TARGET_MS: f64 = 30.0;

pub async fn run(sales: u64) -> Result<(), String> {
    let scratch = Scratch::new("desk").await?;
    let result = bench(&scratch.db, sales).await;
    scratch.remove().await;
    result
}

/// Runs `sql` statements one after another and reads every row, as the floor of a page.
async fn bare(db: &DatabaseConnection, statements: &[String]) -> Result<usize, String> {
    let mut rows = 0;
    for sql in statements {
        rows += db.query_all_raw(Statement::from_string(db.get_database_backend(), sql.clone())).await.map_err(|e| e.to_string())?.len();
    }
    Ok(rows)
}

fn line(what: &str, value: f64, floor: f64) {
    let verdict = if value < TARGET_MS { "ok" } else { "OVER TARGET" };
    println!("{what:<52} {value:>8.2} ms   bare SQL {floor:>8.2} ms   ratio {:>5.2}×   target < {TARGET_MS} ms {verdict}", value / floor);
}

const ROWS: &str = "SELECT s.id, s.version, s.contact_id, s.net_cents, s.stage, s.probability, s.sale_date, s.expected_close, s.closed_date, s.updated_at, \
    c.name, p.code, p.name, sl.name FROM sales s JOIN contacts c ON c.id = s.contact_id JOIN products p ON p.id = s.product_id JOIN sellers sl ON sl.id = s.seller_id";
const TOTALS: &str = "SELECT COUNT(*), SUM(s.net_cents), SUM(s.net_cents * s.probability) FROM sales s";

async fn bench(db: &DatabaseConnection, sales: u64) -> Result<(), String> {
    let started = std::time::Instant::now();
    let today = seed(db, sales).await?;
    // The generated open sales all expected to close within 90 days of a sale up to two years
    // old, so half the table would be overdue. A sales team's pipeline looks ahead: one open sale
    // in twenty runs late, the others close within the next six months.
    let ahead = format!(
        "UPDATE sales SET expected_close = date('{today}', '+' || (id % 180 + 1) || ' days') WHERE stage IN ('lead','negotiation','proposal') AND id % 20 <> 0"
    );
    db.execute_unprepared(&ahead).await.map_err(|e| e.to_string())?;
    app::figures::cells::rebuild(db).await.map_err(|e| format!("{e:?}"))?;
    db.execute_unprepared("ANALYZE").await.map_err(|e| e.to_string())?;
    println!("seeded {sales} sales in {:.1?}", started.elapsed());
    let manager = CurrentUser { id: UserId(1), login: "bench".into(), display_name: "Bench".into(), role: Role::Manager, lang: Lang::It };
    let month = today.with_day(1).expect("day 1");
    let next = month + Months::new(1);
    let cases: [(&str, SalesFilter, String); 3] = [
        ("/sales, first page (newest first)", SalesFilter::default(), String::new()),
        (
            "/sales, seller + stage + expected-close month",
            SalesFilter {
                seller: "2".into(),
                stage: "proposal".into(),
                close_from: month.to_string(),
                close_to: (next - chrono::Days::new(1)).to_string(),
                ..Default::default()
            },
            format!("s.seller_id = 2 AND s.stage = 'proposal' AND s.expected_close >= '{month}' AND s.expected_close < '{next}'"),
        ),
        (
            "/sales, overdue only",
            SalesFilter { overdue: "1".into(), sort: "close".into(), ..Default::default() },
            format!("s.stage IN ('lead','negotiation','proposal') AND s.expected_close < '{today}'"),
        ),
    ];
    for (what, filter, condition) in cases {
        let filter_sql = if condition.is_empty() { String::new() } else { format!(" WHERE {condition}") };
        // The overdue deals all have an expected close: ordered on the column itself.
        let order = if filter.sort == "close" { "s.expected_close ASC, s.id ASC" } else { "s.sale_date DESC, s.id DESC" };
        let statements = [format!("{ROWS}{filter_sql} ORDER BY {order} LIMIT 51"), format!("{TOTALS}{filter_sql}")];
        let (floor, _) = median(RUNS, || bare(db, &statements)).await?;
        let (value, list) = median(RUNS, || async { desk::list(db, &manager, &filter, None, today).await.map_err(|e| e.message(Lang::En)) }).await?;
        line(&format!("{what} ({} of {})", list.rows.len(), list.totals.count), value, floor);
    }

    // The manager's home page: won this month and a year earlier, the pipeline, the overdue count
    // and lists, closing soon, the latest changes and one row per seller.
    let open = "s.stage IN ('lead','negotiation','proposal')";
    let closed = "COALESCE(s.closed_date, s.sale_date)";
    let year_ago = month - Months::new(12);
    let soon = today + chrono::Days::new(14);
    let statements = [
        format!("{TOTALS} WHERE s.stage = 'won' AND {closed} >= '{month}' AND {closed} < '{next}'"),
        format!("{TOTALS} WHERE s.stage = 'won' AND {closed} >= '{year_ago}' AND {closed} < '{}'", year_ago + Months::new(1)),
        format!("{TOTALS} WHERE {open}"),
        format!("SELECT COUNT(*) FROM sales s WHERE {open} AND s.expected_close < '{today}'"),
        format!("{ROWS} WHERE {open} AND s.expected_close < '{today}' ORDER BY s.expected_close, s.id LIMIT 10"),
        format!("{ROWS} WHERE {open} AND s.expected_close >= '{today}' AND s.expected_close <= '{soon}' ORDER BY s.expected_close, s.id LIMIT 10"),
        format!("{ROWS} ORDER BY s.updated_at DESC, s.id DESC LIMIT 10"),
        format!(
            "SELECT seller_id, SUM(CASE WHEN s.stage = 'won' AND {closed} >= '{month}' AND {closed} < '{next}' THEN net_cents ELSE 0 END), \
             SUM(CASE WHEN {open} THEN net_cents ELSE 0 END), SUM(CASE WHEN {open} AND s.expected_close < '{today}' THEN 1 ELSE 0 END) FROM sales s GROUP BY seller_id"
        ),
    ];
    let (floor, _) = median(RUNS, || bare(db, &statements)).await?;
    let (value, home) = median(RUNS, || async { desk::home(db, &manager, today).await.map_err(|e| e.message(Lang::En)) }).await?;
    line(&format!("home page, manager ({} overdue, {} sellers)", home.overdue_count, home.sellers.len()), value, floor);
    Ok(())
}
