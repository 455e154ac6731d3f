//! Commissions on SQLite and PostgreSQL: rules and their precedence through the catalog's tree,
//! accrual on collection, settlement frozen and adjusted, concurrent settlement, roles, and
//! random sequences of changes against a plain recomputation.

mod common;

use app::catalog::ssr as catalog;
use app::commissions::ssr as com;
use app::commissions::{CollectionForm, PlanForm, RuleForm, RuleScope, RuleValue};
use app::error::{AppError, Field, Problem};
use app::money::{Money, Percent};
use app::sales::SaleForm;
use app::sales::ssr as sales;
use app::sellers::SellerId;
use common::world::{World, sale, world};
use sea_orm::DatabaseConnection;

fn rule(seller: SellerId, kind: &str, value: &str, from: &str) -> RuleForm {
    RuleForm { seller: seller.0.to_string(), kind: kind.into(), value: value.into(), valid_from: from.into(), ..Default::default() }
}

/// A won sale of `seller`: `quantity` × `price` at 22 %, closed on `closed`.
async fn won(db: &DatabaseConnection, w: &World, seller: SellerId, quantity: &str, price: &str, closed: &str) -> app::sales::Sale {
    let mut form = sale(w, seller, quantity, price, "won");
    form.closed_date = closed.into();
    form.sale_date = "2026-01-01".into();
    sales::create(db, &w.manager, w.customer, &form).await.unwrap()
}

async fn collect(
    db: &DatabaseConnection,
    w: &World,
    sale: app::sales::SaleId,
    on: &str,
    amount: &str,
) -> Result<app::commissions::SaleCollections, AppError> {
    com::add_collection(db, &w.manager, sale, &CollectionForm { on: on.into(), amount: amount.into() }).await
}

async fn on_collection(db: &DatabaseConnection, w: &World, seller: SellerId) {
    com::save_plan(db, &w.manager, seller, 0, &PlanForm { earn_on: "collection".into(), ..Default::default() }).await.unwrap();
}

db_test!(an_agent_earns_half_on_half_collected_and_a_settled_statement_never_changes, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    // 8 % by default, 5 % on the category "Ferramenta" (the product sits in its child "Viti").
    let ferramenta = catalog::create_category(&db, &w.manager, "Ferramenta", None).await.unwrap();
    let viti = catalog::create_category(&db, &w.manager, "Viti", Some(ferramenta.id)).await.unwrap();
    let form = app::catalog::ProductForm {
        code: "P1".into(),
        name: "Prodotto P1".into(),
        description: String::new(),
        category: viti.id.0.to_string(),
        unit: "pz".into(),
        list_price: "19,99".into(),
        vat_rate: "22".into(),
    };
    catalog::update_product(&db, &w.manager, app::catalog::ProductId(w.product), 1, &form).await.unwrap();
    on_collection(&db, &w, w.marco_seller).await;
    com::add_rule(&db, &w.manager, &rule(w.marco_seller, "rate", "8", "2026-01-01")).await.unwrap();
    let five = RuleForm { category: ferramenta.id.0.to_string(), ..rule(w.marco_seller, "rate", "5", "2026-01-01") };
    com::add_rule(&db, &w.manager, &five).await.unwrap();
    // 10 × 100,00 = 1 000,00 net, 1 220,00 gross; half collected.
    let s = won(&db, &w, w.marco_seller, "10", "100", "2026-03-10").await;
    collect(&db, &w, s.id, "2026-03-20", "610").await.unwrap();
    let march = com::statement(&db, &w.marco, w.marco_seller, "2026-03").await.unwrap();
    assert_eq!(march.lines.len(), 1);
    let line = &march.lines[0];
    assert_eq!((line.base, line.commission, line.on.to_string()), (Money(50_000), Money(2_500), "2026-03-20".into()), "5 % of half");
    let applied = line.applied.unwrap();
    assert_eq!((applied.scope, applied.value), (RuleScope::Category, RuleValue::Rate(Percent(500))), "the category above the product's applies");
    assert_eq!(march.total, Money(2_500));
    // Settled: frozen byte for byte; the month cannot be settled again.
    let settled = com::settle(&db, &w.manager, w.marco_seller, "2026-03").await.unwrap();
    let id = settled.settled.as_ref().unwrap().id;
    let frozen = com::settled_document(&db, id).await.unwrap();
    assert_eq!(com::settle(&db, &w.manager, w.marco_seller, "2026-03").await.unwrap_err(), AppError::PeriodSettled);
    assert_eq!(com::settle(&db, &w.manager, w.marco_seller, "2026-02").await.unwrap_err(), AppError::PeriodSettled);
    // A rule reaching back into the settled month is refused; one after it is taken.
    assert_eq!(com::add_rule(&db, &w.manager, &rule(w.marco_seller, "rate", "9", "2026-03-31")).await.unwrap_err(), AppError::PeriodSettled);
    // The sale doubles: the next statement adjusts (+25,00 on the half collected in March) and
    // the new collection earns its own share.
    let now = sales::get(&db, &w.manager, s.id).await.unwrap();
    let mut form = SaleForm::of(&now);
    form.unit_price = "200".into();
    let now = sales::update(&db, &w.manager, s.id, now.version, &form).await.unwrap();
    assert_eq!(now.gross, Money(244_000));
    collect(&db, &w, s.id, "2026-04-05", "610").await.unwrap();
    let april = com::statement(&db, &w.manager, w.marco_seller, "2026-04").await.unwrap();
    // Collected by March: 610 of 2 440 = 25 % of 100,00 = 25,00, of which 25,00 was paid: 0.
    // Collected by April: 50 % → 50,00 − 25,00 = 25,00 on 5 April.
    assert_eq!(april.lines.iter().map(|l| (l.commission, l.adjusts.clone())).collect::<Vec<_>>(), vec![(Money(2_500), None)]);
    // A collection removed: March's share is taken back in the next statement, naming No. 1.
    let collections = com::collections(&db, &w.manager, s.id).await.unwrap();
    com::delete_collection(&db, &w.manager, collections.rows[0].id).await.unwrap();
    let april = com::statement(&db, &w.manager, w.marco_seller, "2026-04").await.unwrap();
    let adjustment = april.lines.iter().find(|l| l.adjusts.is_some()).expect("an adjustment");
    assert_eq!((adjustment.commission, adjustment.adjusts.clone()), (Money(-2_500), Some(vec![1])));
    assert_eq!(april.adjustments, Money(-2_500));
    assert_eq!(com::settled_document(&db, id).await.unwrap(), frozen, "the settled statement is as it was");
    assert_eq!(com::settled_statement(&db, &w.marco, id).await.unwrap().total, Money(2_500));
    // The workbook's Provvigioni sheet: April's earning (25,00 on 5 April), with its rule, and the total.
    use calamine::{Reader, Xlsx, open_workbook};
    let april = app::figures::Month::new(2026, 4);
    let filter = app::figures::Filter { period: app::figures::Period::Range { from: april, to: april }, ..Default::default() };
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let path = std::env::temp_dir().join(format!("vendita-commissions-{}-{nanos}.xlsx", std::process::id()));
    app::reports::ssr::export::export_workbook(&db, &w.manager, app::figures::Scope::All, &filter, std::fs::File::create(&path).unwrap())
        .await
        .unwrap();
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let sheet = book.worksheet_range("Provvigioni").unwrap();
    let _ = std::fs::remove_file(&path);
    let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!((rows[1][1].as_str(), rows[1][6].as_str()), ("05/04/2026", "25"));
    assert!(rows[1][5].starts_with("Categoria"), "{:?}", rows[1][5]);
    assert_eq!((rows[2][0].as_str(), rows[2][6].as_str()), ("Totale", "25"));
});

db_test!(each_level_of_rule_applies_in_its_order_and_on_its_date, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let s = won(&db, &w, w.marco_seller, "4", "50", "2026-02-10").await;
    let line = |st: &app::commissions::Statement| (st.lines[0].applied.map(|a| a.scope), st.lines[0].commission);
    let feb = || com::statement(&db, &w.manager, w.marco_seller, "2026-02");
    // No rule: the line shows, earning nothing, so the missing rule is seen.
    assert_eq!(line(&feb().await.unwrap()), (None, Money(0)));
    com::add_rule(&db, &w.manager, &rule(w.marco_seller, "rate", "10", "2026-01-01")).await.unwrap();
    assert_eq!(line(&feb().await.unwrap()), (Some(RuleScope::Default), Money(2_000)));
    let customer = RuleForm { contact: "rossi srl".into(), ..rule(w.marco_seller, "rate", "6", "2026-01-01") };
    com::add_rule(&db, &w.manager, &customer).await.unwrap();
    assert_eq!(line(&feb().await.unwrap()), (Some(RuleScope::Customer), Money(1_200)));
    let product = RuleForm { product: w.product.to_string(), ..rule(w.marco_seller, "per_unit", "1,50", "2026-01-01") };
    com::add_rule(&db, &w.manager, &product).await.unwrap();
    assert_eq!(line(&feb().await.unwrap()), (Some(RuleScope::Product), Money(600)), "4 units × 1,50");
    let both = RuleForm { contact: "Rossi Srl".into(), product: w.product.to_string(), ..rule(w.marco_seller, "rate", "3", "2026-01-01") };
    com::add_rule(&db, &w.manager, &both).await.unwrap();
    assert_eq!(line(&feb().await.unwrap()), (Some(RuleScope::CustomerProduct), Money(600)));
    // A newer rule of the same level applies from its own date only.
    let later = RuleForm { contact: "Rossi Srl".into(), product: w.product.to_string(), ..rule(w.marco_seller, "rate", "4", "2026-02-11") };
    com::add_rule(&db, &w.manager, &later).await.unwrap();
    assert_eq!(line(&feb().await.unwrap()), (Some(RuleScope::CustomerProduct), Money(600)));
    // Another seller's rules never apply; the sale moved to him earns at his.
    com::add_rule(&db, &w.manager, &rule(w.sara_seller, "rate", "20", "2026-01-01")).await.unwrap();
    let now = sales::get(&db, &w.manager, s.id).await.unwrap();
    let mut form = SaleForm::of(&now);
    form.seller = w.sara_seller.0.to_string();
    sales::update(&db, &w.manager, s.id, now.version, &form).await.unwrap();
    assert!(feb().await.unwrap().lines.is_empty());
    let saras = com::statement(&db, &w.manager, w.sara_seller, "2026-02").await.unwrap();
    assert_eq!(line(&saras), (Some(RuleScope::Default), Money(4_000)));
    // What a rule form may not be.
    let (db, w) = (&db, &w);
    let bad = |form: RuleForm| async move { com::add_rule(db, &w.manager, &form).await.unwrap_err() };
    assert_eq!(bad(rule(w.marco_seller, "rate", "101", "2026-01-01")).await, AppError::invalid(Field::Rate, Problem::OutOfRange));
    assert_eq!(bad(rule(w.marco_seller, "rate", "-1", "2026-01-01")).await, AppError::invalid(Field::Rate, Problem::OutOfRange));
    assert_eq!(bad(rule(w.marco_seller, "per_unit", "1,234", "2026-01-01")).await, AppError::invalid(Field::PerUnit, Problem::TooManyDecimals));
    assert_eq!(bad(rule(w.marco_seller, "rate", "8", "")).await, AppError::invalid(Field::ValidFrom, Problem::Required));
    assert_eq!(
        bad(RuleForm { contact: "Nessuno".into(), ..rule(w.marco_seller, "rate", "8", "2026-01-01") }).await,
        AppError::invalid(Field::Contact, Problem::Invalid)
    );
    assert_eq!(
        bad(RuleForm { seller: "999999".into(), ..rule(w.marco_seller, "rate", "8", "2026-01-01") }).await,
        AppError::invalid(Field::Seller, Problem::Invalid)
    );
    assert_eq!(
        bad(RuleForm { kind: "bonus".into(), ..rule(w.marco_seller, "rate", "8", "2026-01-01") }).await,
        AppError::invalid(Field::Kind, Problem::Invalid)
    );
});

db_test!(collections_are_checked_and_held_to_the_gross_total, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let s = won(&db, &w, w.marco_seller, "1", "100", "2026-03-10").await;
    // 122,00 gross: 100 then 22 fit; one cent more does not.
    collect(&db, &w, s.id, "2026-03-11", "100").await.unwrap();
    assert_eq!(collect(&db, &w, s.id, "2026-03-12", "22,01").await.unwrap_err(), AppError::invalid(Field::Amount, Problem::TooLarge));
    let all = collect(&db, &w, s.id, "12/03/2026", "22").await.unwrap();
    assert_eq!((all.collected, all.rows.len()), (Money(12_200), 2));
    for (amount, problem) in [("0", Problem::NotPositive), ("-5", Problem::NotPositive), ("", Problem::Required), ("abc", Problem::Invalid)] {
        let other = won(&db, &w, w.marco_seller, "1", "100", "2026-03-10").await;
        assert_eq!(collect(&db, &w, other.id, "2026-03-11", amount).await.unwrap_err(), AppError::invalid(Field::Amount, problem), "{amount:?}");
    }
    let later = won(&db, &w, w.marco_seller, "1", "100", "2026-03-10").await;
    assert_eq!(collect(&db, &w, later.id, "2099-01-01", "1").await.unwrap_err(), AppError::invalid(Field::CollectedOn, Problem::InFuture));
    assert_eq!(collect(&db, &w, later.id, "31/02/2026", "1").await.unwrap_err(), AppError::invalid(Field::CollectedOn, Problem::BadDate));
    // An open sale takes no collection.
    let open = sales::create(&db, &w.manager, w.customer, &sale(&w, w.marco_seller, "1", "100", "lead")).await.unwrap();
    assert_eq!(collect(&db, &w, open.id, "2026-03-11", "1").await.unwrap_err(), AppError::SaleNotWon);
    // Sara neither reads nor writes Marco's collections; Marco does.
    let saras = com::add_collection(&db, &w.sara, later.id, &CollectionForm { on: "2026-03-11".into(), amount: "1".into() }).await;
    assert_eq!(saras.unwrap_err(), AppError::Forbidden);
    assert_eq!(com::collections(&db, &w.sara, s.id).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(com::delete_collection(&db, &w.sara, all.rows[0].id).await.unwrap_err(), AppError::Forbidden);
    com::add_collection(&db, &w.marco, later.id, &CollectionForm { on: "2026-03-11".into(), amount: "1".into() }).await.unwrap();
});

db_test!(a_member_reads_his_own_statements_and_settles_nothing, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    com::add_rule(&db, &w.manager, &rule(w.marco_seller, "rate", "8", "2026-01-01")).await.unwrap();
    won(&db, &w, w.marco_seller, "1", "100", "2026-03-10").await;
    assert_eq!(com::statement(&db, &w.marco, w.marco_seller, "2026-03").await.unwrap().total, Money(800));
    assert_eq!(com::statement(&db, &w.sara, w.marco_seller, "2026-03").await.unwrap_err(), AppError::Forbidden);
    // His home page: earned in March, to be settled; Sara, with no rule, sees no such figure.
    let march = chrono::NaiveDate::from_ymd_opt(2026, 3, 15).unwrap();
    let mine = com::mine(&db, &w.marco, march).await.unwrap().unwrap();
    assert_eq!((mine.seller, mine.earned, mine.to_settle), (w.marco_seller, Money(800), Money(800)));
    assert_eq!(com::mine(&db, &w.sara, march).await.unwrap(), None);
    assert_eq!(com::settle(&db, &w.marco, w.marco_seller, "2026-03").await.unwrap_err(), AppError::Forbidden);
    // Nothing to settle for Sara: refused on the server too, not only by the page's hidden button.
    assert_eq!(com::settle(&db, &w.manager, w.sara_seller, "2026-03").await.unwrap_err(), AppError::NothingToSettle);
    assert!(com::settled(&db, &w.manager, w.sara_seller).await.unwrap().rows.is_empty());
    assert_eq!(com::settled(&db, &w.sara, w.marco_seller).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(com::add_rule(&db, &w.marco, &rule(w.marco_seller, "rate", "50", "2026-01-01")).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(com::setup(&db, &w.marco).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(
        com::save_plan(&db, &w.marco, w.marco_seller, 0, &PlanForm { earn_on: "collection".into(), ..Default::default() }).await.unwrap_err(),
        AppError::Forbidden
    );
    let settled = com::settle(&db, &w.manager, w.marco_seller, "2026-03").await.unwrap();
    let id = settled.settled.unwrap().id;
    let mine = com::mine(&db, &w.marco, march).await.unwrap().unwrap();
    assert_eq!((mine.earned, mine.to_settle), (Money(800), Money(0)), "earned stays, nothing left to settle");
    assert_eq!(com::settled_statement(&db, &w.sara, id).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(com::settled_statement(&db, &w.marco, id).await.unwrap().total, Money(800));
    // Marco's overview lists his sellers only (his own and Team Nord).
    let overview = com::overview(&db, &w.marco, "2026-03").await.unwrap();
    let names: Vec<_> = overview.rows.iter().map(|r| r.seller).collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&w.marco_seller) && names.contains(&w.nord));
    // Periods: malformed, or not begun yet.
    assert_eq!(com::statement(&db, &w.marco, w.marco_seller, "2026-13").await.unwrap_err(), AppError::invalid(Field::Period, Problem::Invalid));
    assert_eq!(com::statement(&db, &w.marco, w.marco_seller, "9999-Q4").await.unwrap_err(), AppError::invalid(Field::Period, Problem::InFuture));
});

db_test!(two_managers_settling_at_once_settle_once, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    com::add_rule(&db, &w.manager, &rule(w.marco_seller, "rate", "8", "2026-01-01")).await.unwrap();
    for _ in 0..5 {
        won(&db, &w, w.marco_seller, "1", "100", "2026-03-10").await;
    }
    let tries = (0..6).map(|i| {
        let (db, manager) = (db.clone(), w.manager.clone());
        let period = if i % 2 == 0 { "2026-03" } else { "2026-Q1" };
        tokio::spawn(async move { com::settle(&db, &manager, w.marco_seller, period).await })
    });
    let results: Vec<_> = futures_util::future::join_all(tries).await.into_iter().map(|r| r.unwrap()).collect();
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "{results:?}");
    assert!(results.iter().filter_map(|r| r.as_ref().err()).all(|e| *e == AppError::PeriodSettled));
    let settled = com::settled(&db, &w.manager, w.marco_seller).await.unwrap().rows;
    assert_eq!((settled.len(), settled[0].total), (1, Money(4_000)));
    // Nothing is left to settle, and nothing is paid twice.
    assert_eq!(com::statement(&db, &w.manager, w.marco_seller, "2026-04").await.unwrap().total, Money(0));
});

db_test!(an_agents_enasarco_stops_at_the_years_ceiling_crossed_within_a_quarter, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    // Plurimandatario with FIRR: 2026's ceiling is 30 478 €, the FIRR 4 % to 6 200 €, 2 % to 9 300 €, 1 % above.
    com::save_plan(&db, &w.manager, w.marco_seller, 0, &PlanForm { earn_on: "close".into(), agent: "pluri".into(), firr: "true".into() })
        .await
        .unwrap();
    com::add_rule(&db, &w.manager, &rule(w.marco_seller, "rate", "10", "2026-01-01")).await.unwrap();
    // 300 000 € in Q1: 30 000 € of commissions, all under the ceiling.
    won(&db, &w, w.marco_seller, "1000", "300", "2026-02-10").await;
    let q1 = com::settle(&db, &w.manager, w.marco_seller, "2026-Q1").await.unwrap();
    let a = q1.agent.clone().expect("an agent's estimate");
    assert_eq!((a.year, a.contributing, a.company, a.agent), (2026, Money(3_000_000), Money(255_000), Money(255_000)), "17 % of 30 000, half each");
    // FIRR: 4 % of 6 200 + 2 % of 3 100 + 1 % of 20 700 = 248 + 62 + 207.
    assert_eq!(a.firr, Some(Money(51_700)));
    // 10 000 € in Q2: 1 000 € of commissions, of which 478 € under the ceiling.
    won(&db, &w, w.marco_seller, "100", "100", "2026-05-10").await;
    let q2 = com::statement(&db, &w.manager, w.marco_seller, "2026-Q2").await.unwrap();
    let a = q2.agent.expect("an agent's estimate");
    assert_eq!((a.before, a.base, a.contributing), (Money(3_000_000), Money(100_000), Money(47_800)));
    assert_eq!((a.company, a.agent), (Money(4_063), Money(4_063)), "8,5 % of 478,00 = 40,63 each");
    assert_eq!(a.firr, Some(Money(1_000)), "1 % of 1 000");
    // The settled statement keeps its estimate; a seller who is no agent has none.
    assert_eq!(com::settled_statement(&db, &w.manager, q1.settled.unwrap().id).await.unwrap().agent.unwrap().contributing, Money(3_000_000));
    assert_eq!(com::statement(&db, &w.manager, w.sara_seller, "2026-Q2").await.unwrap().agent, None);
    // The year's values are the configuration's: a manager changes them, a member may not.
    let mut form = app::commissions::EnasarcoForm::of(&com::setup(&db, &w.manager).await.unwrap().years[0]);
    assert_eq!(form.year, "2026");
    form.ceiling_pluri = "40000".into();
    com::save_year(&db, &w.manager, &form).await.unwrap();
    let a = com::statement(&db, &w.manager, w.marco_seller, "2026-Q2").await.unwrap().agent.unwrap();
    assert_eq!(a.contributing, Money(100_000), "the whole 1 000 € under the new ceiling");
    assert_eq!(com::save_year(&db, &w.marco, &form).await.unwrap_err(), AppError::Forbidden);
    form.company = "18".into();
    assert_eq!(
        com::save_year(&db, &w.manager, &form).await.unwrap_err(),
        AppError::invalid(Field::Rate, Problem::OutOfRange),
        "the company's share above the rate"
    );
});

db_test!(a_new_mode_applies_to_the_sales_closed_after_the_last_settled_period, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    com::add_rule(&db, &w.manager, &rule(w.marco_seller, "rate", "10", "2026-01-01")).await.unwrap();
    won(&db, &w, w.marco_seller, "1", "100", "2026-02-10").await;
    com::settle(&db, &w.manager, w.marco_seller, "2026-02").await.unwrap();
    // From March on collection: February's sale, settled on closing, is not taken back.
    com::save_plan(&db, &w.manager, w.marco_seller, 0, &PlanForm { earn_on: "collection".into(), ..Default::default() }).await.unwrap();
    let s = won(&db, &w, w.marco_seller, "1", "100", "2026-03-10").await;
    let march = com::statement(&db, &w.manager, w.marco_seller, "2026-03").await.unwrap();
    assert!(march.lines.is_empty(), "{:?}", march.lines);
    collect(&db, &w, s.id, "2026-03-20", "122").await.unwrap();
    let march = com::statement(&db, &w.manager, w.marco_seller, "2026-03").await.unwrap();
    assert_eq!(march.lines.iter().map(|l| (l.commission, l.adjusts.is_some())).collect::<Vec<_>>(), vec![(Money(1_000), false)]);
});

/// A plain pseudo-random sequence (xorshift), so a failing seed can be replayed.
struct Dice(u64);

impl Dice {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// What a sale earns on the final data, recomputed plainly: 5 % up to March, 7 % from April, on
/// the close date (Marco) or on each collection's share of the gross (Sara).
/// A won sale as the recomputation reads it: net, gross, close date, collections (date, cents).
type Won = (i64, i64, Option<chrono::NaiveDate>, Vec<(chrono::NaiveDate, i64)>);

fn due(rows: &[Won], by_collection: bool) -> i128 {
    let rate = |d: chrono::NaiveDate| if d.to_string().as_str() < "2026-04-01" { 500i128 } else { 700 };
    let round = |n: i128, d: i128| if n >= 0 { (n + d / 2) / d } else { -((-n + d / 2) / d) };
    rows.iter()
        .map(|(net, gross, closed, paid)| {
            if !by_collection {
                return round(*net as i128 * rate(closed.unwrap()), 10_000);
            }
            let mut sum = 0i128;
            let mut total = 0i128;
            for (on, amount) in paid {
                let before = total.min(*gross as i128);
                total += *amount as i128;
                let whole = round(*net as i128 * rate(*on), 10_000);
                sum += round(whole * total.min(*gross as i128), *gross as i128) - round(whole * before, *gross as i128);
            }
            sum
        })
        .sum()
}

db_test!(random_changes_and_settlements_keep_every_statement_and_add_up_to_what_is_due, |db: DatabaseConnection| async move {
    use app::db::entities::{collections, sales as sale_rows};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let w = world(&db).await;
    on_collection(&db, &w, w.sara_seller).await;
    for seller in [w.marco_seller, w.sara_seller] {
        com::add_rule(&db, &w.manager, &rule(seller, "rate", "5", "2026-01-01")).await.unwrap();
        com::add_rule(&db, &w.manager, &rule(seller, "rate", "7", "2026-04-01")).await.unwrap();
    }
    let mut dice = Dice(0x9E37_79B9_7F4A_7C15);
    let mut frozen: Vec<(i64, String)> = Vec::new();
    let mut next_month = [1u32, 1u32];
    let day = |dice: &mut Dice| format!("2026-{:02}-{:02}", 1 + dice.next(8), 1 + dice.next(28));
    for step in 0..120 {
        let ids: Vec<i64> = sale_rows::Entity::find().all(&db).await.unwrap().into_iter().map(|s| s.id).collect();
        let pick = |dice: &mut Dice| ids.get(dice.next(ids.len().max(1) as u64) as usize).copied();
        let seller = if dice.next(2) == 0 { w.marco_seller } else { w.sara_seller };
        match dice.next(10) {
            0..=2 => {
                let quantity = (1 + dice.next(9)).to_string();
                let price = format!("{},{:02}", 1 + dice.next(500), dice.next(100));
                won(&db, &w, seller, &quantity, &price, &day(&mut dice)).await;
            }
            3 | 4 => {
                let Some(id) = pick(&mut dice) else { continue };
                let now = sales::get(&db, &w.manager, app::sales::SaleId(id)).await.unwrap();
                let mut form = SaleForm::of(&now);
                match dice.next(4) {
                    0 => form.unit_price = format!("{},{:02}", 1 + dice.next(500), dice.next(100)),
                    1 => form.seller = seller.0.to_string(),
                    2 => {
                        form.stage = if now.stage == app::sales::Stage::Won { "negotiation".into() } else { "won".into() };
                        form.closed_date = day(&mut dice);
                        form.probability = String::new();
                    }
                    _ => form.closed_date = day(&mut dice),
                }
                // A change the form refuses (a close date before the sale's) is simply skipped.
                let _ = sales::update(&db, &w.manager, now.id, now.version, &form).await;
            }
            5 | 6 => {
                let Some(id) = pick(&mut dice) else { continue };
                let amount = format!("{},{:02}", 1 + dice.next(400), dice.next(100));
                let _ = collect(&db, &w, app::sales::SaleId(id), &day(&mut dice), &amount).await;
            }
            7 => {
                let all = collections::Entity::find().all(&db).await.unwrap();
                if let Some(c) = all.get(dice.next(all.len().max(1) as u64) as usize) {
                    com::delete_collection(&db, &w.manager, c.id).await.unwrap();
                }
            }
            8 => {
                let Some(id) = pick(&mut dice) else { continue };
                let now = sales::get(&db, &w.manager, app::sales::SaleId(id)).await.unwrap();
                sales::delete(&db, &w.manager, now.id, now.version).await.unwrap();
            }
            _ => {
                let i = usize::from(seller == w.sara_seller);
                if next_month[i] > 8 {
                    continue;
                }
                let period = format!("2026-{:02}", next_month[i]);
                next_month[i] += 1 + dice.next(2) as u32;
                let settled = match com::settle(&db, &w.manager, seller, &period).await {
                    // A month with nothing to settle stays open.
                    Err(AppError::NothingToSettle) => continue,
                    other => other.unwrap_or_else(|e| panic!("step {step}: {e:?}")),
                };
                let id = settled.settled.unwrap().id;
                frozen.push((id, com::settled_document(&db, id).await.unwrap()));
            }
        }
    }
    assert!(frozen.len() >= 4, "the sequence settles some statements: {}", frozen.len());
    // (a) Every settled statement is, byte for byte, what it was when settled.
    for (id, document) in &frozen {
        assert_eq!(&com::settled_document(&db, *id).await.unwrap(), document, "statement {id}");
    }
    // (b) Per seller, all statements (settled, and the open one up to the end) add up to what his
    // sales earn on the final data at the rules of each date.
    for (seller, by_collection) in [(w.marco_seller, false), (w.sara_seller, true)] {
        let settled: i128 = com::settled(&db, &w.manager, seller).await.unwrap().rows.iter().map(|s| s.total.0 as i128).sum();
        let open = com::statement(&db, &w.manager, seller, "2026-12").await.unwrap();
        let mut rows = Vec::new();
        for s in sale_rows::Entity::find()
            .filter(sale_rows::Column::SellerId.eq(seller.0))
            .filter(sale_rows::Column::Stage.eq(app::sales::Stage::Won))
            .order_by_asc(sale_rows::Column::Id)
            .all(&db)
            .await
            .unwrap()
        {
            let paid = collections::Entity::find()
                .filter(collections::Column::SaleId.eq(s.id))
                .order_by_asc(collections::Column::CollectedOn)
                .order_by_asc(collections::Column::Id)
                .all(&db)
                .await
                .unwrap()
                .into_iter()
                .map(|c| (c.collected_on, c.amount_cents))
                .collect();
            rows.push((s.net_cents, s.gross_cents, s.closed_date, paid));
        }
        assert_eq!(settled + open.total.0 as i128, due(&rows, by_collection), "seller {seller:?}");
    }
});
