//! Targets, attainment, forecast snapshots and accuracy, on SQLite and PostgreSQL. Expected values
//! are folded here over the sales the test wrote, independently of the code under test.

mod common;

use app::auth::scope::SellerScope;
use app::error::{AppError, Field, Problem};
use app::money::Money;
use app::reports::forecast::{ForecastHistory, accuracy, accuracy_bp};
use app::reports::ssr::snapshots;
use app::reports::{Filter, Month, Period, Scope};
use app::sales::ssr as sales;
use app::sellers::SellerId;
use app::targets::ssr as targets;
use app::targets::{Span, TargetForm};
use chrono::NaiveDate;
use common::world::{World, sale, world};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn target(seller: SellerId, month: &str, amount: &str) -> TargetForm {
    TargetForm { seller: seller.0.to_string(), month: month.into(), category: String::new(), amount: amount.into() }
}

/// A sale as the test keeps it, to fold over.
struct Kept {
    seller: SellerId,
    net: i64,
    stage: &'static str,
    probability: i64,
    /// The month it counts in: the close date for won, the expected close for open.
    month: Month,
}

async fn record(db: &DatabaseConnection, w: &World, kept: &mut Vec<Kept>, seller: SellerId, units: i64, stage: &'static str, date: &str) {
    let mut form = sale(w, seller, &units.to_string(), "100", stage);
    form.sale_date = "2026-01-05".into();
    form.expected_close = date.into();
    if matches!(stage, "won" | "lost") {
        form.closed_date = date.into();
    }
    if stage == "lost" {
        use sea_orm::EntityTrait;
        let reason = app::db::entities::lost_reasons::Entity::find().one(db).await.unwrap().unwrap();
        form.lost_reason = reason.id.to_string();
    }
    let created = sales::create(db, &w.manager, w.customer, &form).await.unwrap();
    kept.push(Kept { seller, net: created.net.0, stage, probability: created.probability as i64, month: Month::of(day(date)) });
}

db_test!(attainment_and_run_rate_match_a_plain_fold, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let today = day("2026-05-14");
    let mut kept = Vec::new();
    for (seller, units, stage, date) in [
        (w.marco_seller, 3, "won", "2026-05-02"),
        (w.marco_seller, 2, "won", "2026-04-20"),
        (w.marco_seller, 7, "won", "2026-01-10"),
        (w.marco_seller, 4, "proposal", "2026-05-30"),
        (w.marco_seller, 5, "negotiation", "2026-06-15"),
        (w.marco_seller, 9, "lead", "2026-03-01"), // overdue: expected nowhere
        (w.marco_seller, 6, "lost", "2026-05-03"),
        (w.sara_seller, 8, "won", "2026-05-09"),
        (w.sara_seller, 1, "proposal", "2026-12-01"),
    ] {
        record(&db, &w, &mut kept, seller, units, stage, date).await;
    }
    for (month, amount) in [("2026-01", "1000"), ("2026-04", "1000"), ("2026-05", "1500"), ("2026-06", "1500")] {
        targets::set(&db, &w.manager, &target(w.marco_seller, month, amount)).await.unwrap();
    }
    targets::set(&db, &w.manager, &target(w.sara_seller, "2026-05", "500,50")).await.unwrap();

    let got = targets::attainment_of(&db, &SellerScope::All, today).await.unwrap();
    let now = Month::of(today);
    for (seller, targets_by_month) in
        [(w.marco_seller, vec![(1, 100_000), (4, 100_000), (5, 150_000), (6, 150_000)]), (w.sara_seller, vec![(5, 50_050)])]
    {
        let row = got.iter().find(|a| a.seller == seller).expect("a row for each seller with a target");
        for span in Span::ALL {
            let (from, to) = span.months(today);
            let in_span = |m: Month| m >= from && m <= to;
            let won: i64 = kept.iter().filter(|k| k.seller == seller && k.stage == "won" && in_span(k.month) && k.month <= now).map(|k| k.net).sum();
            let weighted: i64 = kept
                .iter()
                .filter(|k| k.seller == seller && !matches!(k.stage, "won" | "lost") && in_span(k.month) && k.month >= now)
                .map(|k| k.net * k.probability)
                .sum();
            let target: i64 = targets_by_month.iter().filter(|(m, _)| in_span(Month::new(2026, *m))).map(|(_, a)| a).sum();
            let a = row.span(span);
            assert_eq!(a.won, Money(won), "{span:?} won of {seller:?}");
            assert_eq!(a.projection, Money(won + Money::from_weighted(weighted as i128).0), "{span:?} projection of {seller:?}");
            assert_eq!(a.target, (target > 0).then_some(Money(target)), "{span:?} target of {seller:?}");
            if target > 0 {
                assert_eq!(a.percent().unwrap().0 as i64, (won * 10_000 + target / 2) / target, "{span:?} % of {seller:?}");
            }
        }
    }
    // A member sees only his own sellers' attainment and targets.
    let marco_only = SellerScope::Only([w.marco_seller.0, w.nord.0].into());
    let his = targets::attainment_of(&db, &marco_only, today).await.unwrap();
    assert!(his.iter().all(|a| a.seller != w.sara_seller));
    let grid = targets::grid(&db, &w.marco, 2026, None).await.unwrap();
    assert!(!grid.can_edit);
    assert!(grid.sellers.iter().all(|s| s.id != w.sara_seller), "sara's targets are not in marco's grid");
    let row = grid.sellers.iter().position(|s| s.id == w.marco_seller).unwrap();
    assert_eq!(grid.amounts[row][4], Some(Money(150_000)));
});

db_test!(copying_last_year_raises_every_target_by_the_uplift, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    for (month, amount) in [("2025-01", "1000"), ("2025-02", "333,33"), ("2025-12", "0,01")] {
        targets::set(&db, &w.manager, &target(w.marco_seller, month, amount)).await.unwrap();
    }
    targets::set(&db, &w.manager, &target(w.sara_seller, "2026-03", "42")).await.unwrap();
    let grid = targets::copy_previous_year(&db, &w.manager, 2026, None, "5").await.unwrap();
    let row = |id: SellerId| grid.amounts[grid.sellers.iter().position(|s| s.id == id).unwrap()].clone();
    // 1000 × 1.05; 333,33 × 1.05 = 349,9965 → 350,00; 0,01 × 1.05 = 0,0105 → 0,01.
    assert_eq!(row(w.marco_seller)[0], Some(Money(105_000)));
    assert_eq!(row(w.marco_seller)[1], Some(Money(35_000)));
    assert_eq!(row(w.marco_seller)[11], Some(Money(1)));
    assert_eq!(row(w.marco_seller)[2], None);
    assert_eq!(row(w.sara_seller)[2], Some(Money(4_200)), "a month the year before left empty keeps its target");
    // A member may not copy nor set.
    assert_eq!(targets::copy_previous_year(&db, &w.marco, 2026, None, "5").await.unwrap_err(), AppError::Forbidden);
    assert_eq!(targets::set(&db, &w.marco, &target(w.marco_seller, "2026-01", "1")).await.unwrap_err(), AppError::Forbidden);
});

db_test!(absurd_targets_are_refused_and_change_nothing, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    targets::set(&db, &w.manager, &target(w.marco_seller, "2026-01", "10")).await.unwrap();
    let before = targets::grid(&db, &w.manager, 2026, None).await.unwrap();
    let refusals = [
        (target(w.marco_seller, "2026-01", "-5"), AppError::invalid(Field::Target, Problem::Negative)),
        (target(w.marco_seller, "2026-01", "1e9"), AppError::invalid(Field::Target, Problem::Invalid)),
        (target(w.marco_seller, "2026-01", "99999999999999999999"), AppError::invalid(Field::Target, Problem::Invalid)),
        (target(w.marco_seller, "2026-01", "10000000001"), AppError::invalid(Field::Target, Problem::TooLarge)),
        (target(w.marco_seller, "2026-13", "1"), AppError::invalid(Field::Month, Problem::Invalid)),
        (target(w.marco_seller, "", "1"), AppError::invalid(Field::Month, Problem::Invalid)),
        (target(w.marco_seller, "2101-01", "1"), AppError::invalid(Field::Month, Problem::OutOfRange)),
        (target(SellerId(999_999), "2026-01", "1"), AppError::invalid(Field::Seller, Problem::Invalid)),
        (TargetForm { category: "999999".into(), ..target(w.marco_seller, "2026-01", "1") }, AppError::invalid(Field::Category, Problem::Invalid)),
        (TargetForm { category: "x".into(), ..target(w.marco_seller, "2026-01", "1") }, AppError::invalid(Field::Category, Problem::Invalid)),
        (TargetForm { seller: "marco".into(), ..target(w.marco_seller, "2026-01", "1") }, AppError::invalid(Field::Seller, Problem::Invalid)),
    ];
    for (form, expected) in refusals {
        assert_eq!(targets::set(&db, &w.manager, &form).await.unwrap_err(), expected, "{form:?}");
    }
    for uplift in ["abc", "-101", "1001", "5%%"] {
        assert!(matches!(targets::copy_previous_year(&db, &w.manager, 2026, None, uplift).await.unwrap_err(), AppError::Invalid { .. }), "{uplift}");
    }
    assert!(targets::grid(&db, &w.manager, 1999, None).await.is_err());
    assert!(targets::copy_previous_year(&db, &w.manager, 2000, None, "1").await.is_err(), "1999 is out of range");
    assert_eq!(targets::grid(&db, &w.manager, 2026, None).await.unwrap(), before, "nothing changed");
    // An empty amount removes the target.
    targets::set(&db, &w.manager, &target(w.marco_seller, "2026-01", " ")).await.unwrap();
    let after = targets::grid(&db, &w.manager, 2026, None).await.unwrap();
    assert!(after.amounts.iter().all(|row| row[0].is_none()));
});

async fn snapshot_rows(db: &DatabaseConnection) -> (i64, i64) {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT (SELECT COUNT(*) FROM snapshot_months) AS months, (SELECT COUNT(*) FROM forecast_snapshots) AS cells",
        ))
        .await
        .unwrap()
        .unwrap();
    (row.try_get("", "months").unwrap(), row.try_get("", "cells").unwrap())
}

db_test!(a_snapshot_freezes_the_forecast_of_that_moment_and_accuracy_and_slippage_follow, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let mut kept = Vec::new();
    for (seller, units, stage, date) in [
        (w.marco_seller, 4, "proposal", "2026-03-20"),
        (w.marco_seller, 6, "negotiation", "2026-03-05"),
        (w.marco_seller, 2, "lead", "2026-08-31"),
        (w.marco_seller, 3, "proposal", "2026-09-01"), // beyond the six months frozen
        (w.sara_seller, 5, "proposal", "2026-04-11"),
        (w.sara_seller, 7, "won", "2026-03-02"),
    ] {
        record(&db, &w, &mut kept, seller, units, stage, date).await;
    }
    let first = day("2026-03-01");
    assert!(snapshots::take_if_due(&db, first).await.unwrap());
    assert!(!snapshots::take_if_due(&db, day("2026-03-20")).await.unwrap(), "once a month");
    let history = snapshots::history(&db, &w.manager).await.unwrap();
    let march = Month::new(2026, 3);
    // The expected snapshot, folded over the kept sales: open, expected from March to August.
    for seller in [w.marco_seller, w.sara_seller] {
        for close in march.0..march.0 + 6 {
            let expected: i64 = kept
                .iter()
                .filter(|k| k.seller == seller && !matches!(k.stage, "won" | "lost") && k.month.0 == close)
                .map(|k| k.net * k.probability)
                .sum();
            let frozen: i64 = history.frozen.iter().filter(|f| f.seller == seller && f.close.0 == close).map(|f| f.weighted).sum();
            assert_eq!(frozen, expected, "{seller:?} closing in {}", Month(close).code());
        }
    }
    assert!(history.frozen.iter().all(|f| f.taken == march && f.close.0 < march.0 + 6));
    assert_eq!(history.months.len(), 1);
    assert!(!history.months[0].late);
    // Marco wins the March proposal and moves the other deal to May: accuracy and slippage.
    let open = sales::list_for_contact(&db, &w.manager, w.customer, None).await.unwrap();
    let proposal = open.sales.iter().find(|s| s.expected_close == Some(day("2026-03-20"))).unwrap().clone();
    let mut won = app::sales::SaleForm::of(&proposal);
    won.stage = "won".into();
    won.probability = String::new();
    won.closed_date = "2026-03-25".into();
    sales::update(&db, &w.manager, proposal.id, proposal.version, &won).await.unwrap();
    let moving = open.sales.iter().find(|s| s.expected_close == Some(day("2026-03-05"))).unwrap().clone();
    let mut later = app::sales::SaleForm::of(&moving);
    later.expected_close = "2026-05-10".into();
    sales::update(&db, &w.manager, moving.id, moving.version, &later).await.unwrap();

    let history: ForecastHistory = snapshots::history(&db, &w.manager).await.unwrap();
    let mut data = app::reports::ssr::report_data(&db, &w.manager, Scope::All).await.unwrap();
    data.today = day("2026-04-10");
    let now = Month::of(chrono::Local::now().date_naive());
    let filter = Filter { period: Period::Range { from: march, to: now }, ..Filter::default() };
    let result = accuracy(&data, &history, &filter);
    let row = result.rows.iter().find(|r| r.month == march).unwrap();
    let marco_forecast: i64 =
        kept.iter().filter(|k| k.seller == w.marco_seller && k.month == march && k.stage != "won").map(|k| k.net * k.probability).sum();
    let sara_forecast: i64 =
        kept.iter().filter(|k| k.seller == w.sara_seller && k.month == march && k.stage != "won").map(|k| k.net * k.probability).sum();
    let forecast = Money::from_weighted((marco_forecast + sara_forecast) as i128);
    let won_march = kept.iter().find(|k| k.seller == w.sara_seller && k.stage == "won").unwrap().net + proposal.net.0;
    assert_eq!(row.won, Money(won_march));
    assert_eq!(row.at_start, Some(forecast));
    assert_eq!(row.three_before, None, "no snapshot in December 2025");
    assert_eq!(row.accuracy, accuracy_bp(forecast, Money(won_march)));
    assert!(result.rows.iter().all(|r| r.month <= Month::new(2026, 3)), "only complete months by the data's today");
    let marco = result.sellers.iter().find(|s| s.seller == w.marco_seller).unwrap();
    assert_eq!((marco.slipped, marco.slipped_net), (1, moving.net), "one deal slipped later");
    let sara = result.sellers.iter().find(|s| s.seller == w.sara_seller).unwrap();
    assert_eq!(sara.slipped, 0);
    // A member's history holds only his own sellers.
    let his = snapshots::history(&db, &w.marco).await.unwrap();
    assert!(his.frozen.iter().all(|f| f.seller == w.marco_seller || f.seller == w.nord));
    assert!(!his.frozen.is_empty());
});

db_test!(a_missed_first_day_is_taken_late_and_marked, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    sales::create(&db, &w.manager, w.customer, &sale(&w, w.nord, "1", "100", "proposal")).await.unwrap();
    assert!(snapshots::take_if_due(&db, day("2026-06-17")).await.unwrap());
    let history = snapshots::history(&db, &w.manager).await.unwrap();
    assert_eq!(history.months.len(), 1);
    assert!(history.months[0].late);
});

/// Two pools on one database, as two server processes, and twenty requests at once on the 1st:
/// one month row, one set of snapshot rows.
#[tokio::test]
async fn exactly_one_snapshot_from_two_processes_and_twenty_requests() {
    let (db, name) = common::postgres().await;
    let w = world(&db).await;
    for (units, date) in [(1, "2026-07-03"), (2, "2026-08-03"), (3, "2026-07-20")] {
        let mut form = sale(&w, w.nord, &units.to_string(), "100", "proposal");
        form.expected_close = date.into();
        sales::create(&db, &w.manager, w.customer, &form).await.unwrap();
    }
    let url = format!("{}/{name}", common::pg_server());
    let second = app::db::connect(&url).await.unwrap();
    let first = day("2026-07-01");
    let mut calls = Vec::new();
    for i in 0..20 {
        let pool = if i % 2 == 0 { db.clone() } else { second.clone() };
        calls.push(tokio::spawn(async move { snapshots::take_if_due(&pool, first).await.unwrap() }));
    }
    let mut taken = 0;
    for call in calls {
        taken += call.await.unwrap() as i32;
    }
    assert_eq!(taken, 1, "exactly one request took it");
    let (months, cells) = snapshot_rows(&db).await;
    assert_eq!(months, 1);
    assert_eq!(cells as usize, snapshots::frozen_now(&db, Month::new(2026, 7)).await.unwrap().len());
    assert!(cells > 0);
    second.close().await.ok();
    common::drop_postgres(db, &name).await;
}
