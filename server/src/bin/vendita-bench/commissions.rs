//! `vendita-bench commissions [SALES]`: on the reports benchmark's generated sales (1 000 000 by
//! default, ten sellers), every seller earning 5 % and 7 % on one category:
//! - one seller's statement for the last full quarter, his earlier quarters settled (target under
//!   100 ms), beside the bare query of the same quarter's won sales with their sum;
//! - settling a quarter of 100 000 lines (one more seller's, generated; target under 2 s), beside
//!   the bare INSERT … SELECT of as many entries in one transaction.

use crate::reports::{Scratch, median, seed};
use app::auth::{CurrentUser, Role, UserId};
use app::commissions::ssr as com;
use app::commissions::{Period, RuleForm};
use app::figures::Month;
use app::i18n::Lang;
use app::sellers::SellerId;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

const RUNS: usize = 7;
const QUARTER_LINES: i64 = 100_000;

pub async fn run(sales: u64) -> Result<(), String> {
    let scratch = Scratch::new("commissions").await?;
    let result = bench(&scratch.db, sales).await;
    scratch.remove().await;
    result
}

async fn bench(db: &DatabaseConnection, sales: u64) -> Result<(), String> {
    let err = |e: app::error::AppError| format!("{e:?}");
    let started = std::time::Instant::now();
    let today = seed(db, sales).await?;
    println!("seeded {sales} sales in {:.1?}", started.elapsed());
    let manager = CurrentUser { id: UserId(1), login: "bench".into(), display_name: "Bench".into(), role: Role::Manager, lang: Lang::It };
    let since = "2000-01-01".to_string();
    for seller in 1..=11i64 {
        if seller == 11 {
            db.execute_unprepared("INSERT INTO sellers (id, kind, name, user_id, active, created_at, updated_at, version) VALUES (11, 'generic', 'Agenzia', NULL, true, '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00', 1)")
                .await
                .map_err(|e| e.to_string())?;
        }
        let rule = RuleForm { seller: seller.to_string(), kind: "rate".into(), value: "5".into(), valid_from: since.clone(), ..Default::default() };
        com::add_rule(db, &manager, &rule).await.map_err(err)?;
        let category = RuleForm { category: "1".into(), value: "7".into(), ..rule };
        com::add_rule(db, &manager, &category).await.map_err(err)?;
    }
    // Seller 1: everything up to the quarter before last settled; then his last full quarter.
    let last = Period::quarter_of(Month::of(today).plus(-3));
    let before = Period::quarter_of(Month::of(last.from).plus(-3));
    let settled = std::time::Instant::now();
    let first = com::settle(db, &manager, SellerId(1), &before.code()).await.map_err(err)?;
    println!("seller 1 settled up to {} ({} lines) in {:.1?}", before.to, first.lines.len(), settled.elapsed());
    let (statement, shown) = median(RUNS, || async { com::statement(db, &manager, SellerId(1), &last.code()).await.map_err(err) }).await?;
    let bare_sql = format!(
        "SELECT s.id, s.net_cents, s.closed_date, c.name, p.name FROM sales s JOIN contacts c ON c.id = s.contact_id JOIN products p ON p.id = s.product_id \
         WHERE s.seller_id = 1 AND s.stage = 'won' AND s.closed_date >= '{}' AND s.closed_date <= '{}'",
        last.from, last.to
    );
    let (bare, rows) = median(RUNS, || async {
        db.query_all_raw(Statement::from_string(db.get_database_backend(), bare_sql.clone())).await.map(|r| r.len()).map_err(|e| e.to_string())
    })
    .await?;
    println!("one seller's quarter statement at {sales} sales ({} lines, {rows} sales in the bare query), median of {RUNS}:", shown.lines.len());
    println!("  statement {statement:>8.1} ms   bare query of its sales {bare:>6.1} ms   ratio {:>5.2}×   target < 100 ms", statement / bare);

    // Seller 11: 100 000 won sales closed in the last full quarter, settled at once.
    let days = (last.to - last.from).num_days() + 1;
    db.execute_unprepared(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {QUARTER_LINES}) \
         INSERT INTO sales (contact_id, product_id, seller_id, quantity_milli, unit_price_cents, discount_bp, vat_rate_bp, net_cents, gross_cents, stage, probability, sale_date, expected_close, closed_date, created_by, created_at, updated_by, updated_at, version) \
         SELECT i % 1000 + 1, i % 60 + 1, 11, 1000, 1000 + i % 997, 0, 2200, 1000 + i % 997, (1000 + i % 997) * 122 / 100, 'won', 100, \
                date('{from}', '+' || (i % {days}) || ' days'), NULL, date('{from}', '+' || (i % {days}) || ' days'), 1, '2026-01-01T00:00:00+00:00', 1, '2026-01-01T00:00:00+00:00', 1 FROM n",
        from = last.from
    ))
    .await
    .map_err(|e| e.to_string())?;
    db.execute_unprepared("ANALYZE").await.map_err(|e| e.to_string())?;
    let started = std::time::Instant::now();
    let big = com::settle(db, &manager, SellerId(11), &last.code()).await.map_err(err)?;
    let settle = started.elapsed().as_secs_f64() * 1000.0;
    // The floor: as many entries written by one INSERT … SELECT in one transaction.
    let started = std::time::Instant::now();
    db.execute_unprepared(&format!(
        "BEGIN; INSERT INTO commission_entries (statement_id, seller_id, sale_id, amount_cents) \
         SELECT {id}, 99, sale_id, amount_cents FROM commission_entries WHERE statement_id = {id}; ROLLBACK;",
        id = big.settled.as_ref().map(|s| s.id).unwrap_or_default()
    ))
    .await
    .map_err(|e| e.to_string())?;
    let floor = started.elapsed().as_secs_f64() * 1000.0;
    println!("settling a quarter of {} lines:", big.lines.len());
    println!("  settle {settle:>8.1} ms   bare INSERT of its entries {floor:>6.1} ms   ratio {:>5.1}×   target < 2 000 ms", settle / floor);
    Ok(())
}
