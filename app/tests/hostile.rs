//! Input at the edges, on SQLite and PostgreSQL: sums over a million sales at the largest amount a
//! sale may hold, the purge of ended sessions, and whose address the login limit counts.

mod common;

use app::auth::Role;
use app::auth::scope::SellerScope;
use app::catalog::ProductForm;
use app::catalog::ssr as catalog;
use app::config::ssr as config;
use app::contacts::ContactForm;
use app::contacts::ssr as contacts;
use app::money::{Money, bounds};
use app::reports::Scope;
use app::sales::ssr as sales;
use app::sellers::ssr as sellers;
use app::sellers::{NewSeller, SellerKind};
use app::state::Config;
use common::user;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

const MILLION: i64 = 1_000_000;

/// A manager with a user seller of his own, one product and one customer (Clienti is the sales tag).
struct Shop {
    manager: app::auth::CurrentUser,
    seller: app::sellers::SellerId,
    product: app::catalog::ProductId,
    contact: app::contacts::ContactId,
}

async fn shop(db: &DatabaseConnection) -> Shop {
    let manager = user(db, "giulia", Role::Manager).await;
    let overview = config::overview(db, &manager).await.unwrap();
    config::set_sales_tag(db, &manager, overview.settings.version, "customers", false).await.unwrap();
    let own = NewSeller { kind: SellerKind::User, name: String::new(), user: Some(manager.id), members: vec![] };
    let seller = sellers::create_seller(db, &manager, own).await.unwrap().id;
    let product = ProductForm {
        code: "P".into(),
        name: "Prodotto".into(),
        unit: "pz".into(),
        list_price: "1".into(),
        vat_rate: "22".into(),
        ..Default::default()
    };
    let product = catalog::create_product(db, &manager, &product).await.unwrap().id;
    let clienti = contacts::list_tags(db, &manager).await.unwrap().into_iter().find(|t| t.name == "Clienti").unwrap().id;
    let customer = ContactForm { kind: "company".into(), name: "Rossi Srl".into(), tags: vec![clienti], ..Default::default() };
    let contact = contacts::create(db, &manager, &customer).await.unwrap().contact.id;
    Shop { manager, seller, product, contact }
}

db_test!(sums_over_a_million_sales_at_the_maximum_do_not_overflow, |db: DatabaseConnection| async move {
    let Shop { manager, seller, product, contact } = shop(&db).await;

    // A million sales at the largest line a sale may hold: half won, half open at 100%.
    let net = bounds::MAX_LINE_NET.cents();
    let (rows, backend) = match db.get_database_backend() {
        DbBackend::Postgres => ("SELECT i FROM generate_series(1, $1) AS i".to_string(), DbBackend::Postgres),
        _ => ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) SELECT i FROM n".to_string(), DbBackend::Sqlite),
    };
    let (date, now) = match backend {
        DbBackend::Postgres => ("DATE '2026-03-02'", "now()"),
        _ => ("'2026-03-02'", "'2026-03-02 10:00:00+00:00'"),
    };
    let sql = format!(
        "INSERT INTO sales (contact_id, product_id, seller_id, quantity_milli, unit_price_cents, discount_bp, vat_rate_bp, \
         net_cents, gross_cents, stage, probability, sale_date, expected_close, closed_date, created_by, created_at, updated_by, updated_at, version) \
         SELECT {contact}, {product}, {seller}, {qty}, {price}, 0, 0, {net}, {net}, \
         CASE WHEN i % 2 = 0 THEN 'won' ELSE 'proposal' END, 100, {date}, {date}, CASE WHEN i % 2 = 0 THEN {date} END, \
         {user}, {now}, {user}, {now}, 1 FROM ({rows}) AS numbers",
        contact = contact.0,
        product = product.0,
        seller = seller.0,
        qty = bounds::MAX_QUANTITY.milli(),
        price = bounds::MAX_LINE_NET.cents() / 1_000_000,
        user = manager.id.0,
    );
    db.execute_raw(Statement::from_sql_and_values(backend, &sql, [MILLION.into()])).await.unwrap();
    // Written behind the application's back: the report cells are made again, as `vendita rebuild-cells` does.
    app::figures::cells::rebuild(&db).await.unwrap();

    let half = Money::from_cents(net * MILLION / 2);
    let totals = sales::totals(&db, contact, &SellerScope::All).await.unwrap();
    assert_eq!((totals.won, totals.open, totals.weighted), (half, half, half));
    assert_eq!((totals.won_count, totals.open_count), (MILLION as u64 / 2, MILLION as u64 / 2));
    let tab = sales::list_for_contact(&db, &manager, contact, None).await.unwrap();
    assert_eq!(tab.totals, totals, "the card loads");

    let data = app::reports::ssr::report_data(&db, &manager, Scope::All).await.unwrap();
    let sum: i64 = data.cells.iter().map(|c| c.net.0).sum();
    let weighted: i64 = data.cells.iter().map(|c| c.weighted).sum();
    assert_eq!(sum, net * MILLION);
    assert_eq!(weighted, net * 100 * MILLION, "net × probability summed: 10^18, still an i64");
    let report = app::reports::compute(&data, &app::reports::Filter::default(), app::i18n::Lang::It);
    assert_eq!(report.current.won, half);
});

// The sale form at and around its bounds, as proptest draws it: every answer is a sale or a field
// error (never a fault), and afterwards the card, the report data and the workbook all load, with
// totals equal to the accepted sales summed here.
db_test!(the_sale_form_at_its_bounds_answers_a_sale_or_a_field_error, |db: DatabaseConnection| async move {
    use app::error::AppError;
    use app::money::{Percent, Quantity};
    use app::sales::{SaleForm, Stage};
    use proptest::prelude::*;
    use proptest::strategy::ValueTree;
    let Shop { manager, seller, product, contact } = shop(&db).await;

    let max_q = bounds::MAX_QUANTITY.milli();
    let max_p = bounds::MAX_UNIT_PRICE.cents();
    let quantity = prop_oneof![Just(max_q), Just(max_q + 1), Just(1), 1..=max_q, max_q..=max_q * 1000, Just(i64::MAX)];
    let price = prop_oneof![Just(max_p), Just(max_p + 1), Just(0), 0..=max_p, max_p..=i64::MAX / 2];
    let form = (
        quantity,
        price,
        0i32..=10_000,
        prop::sample::select(app::catalog::VAT_RATES.to_vec()),
        0i32..=100,
        prop::sample::select(Stage::ALL.to_vec()),
    );
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut won, mut open, mut accepted) = (Money::ZERO, Money::ZERO, 0);
    for _ in 0..150 {
        let (q, p, discount, vat, probability, stage) = form.new_tree(&mut runner).unwrap().current();
        let sale = SaleForm {
            product: product.0.to_string(),
            seller: seller.0.to_string(),
            quantity: Quantity::from_milli(q).to_input_string(),
            unit_price: Money::from_cents(p).to_input_string(),
            discount: Percent::from_bp(discount).to_input_string(),
            vat_rate: vat.to_input_string(),
            stage: stage.code().into(),
            probability: probability.to_string(),
            sale_date: "2026-03-02".into(),
            expected_close: "2026-05-31".into(),
            closed_date: String::new(),
            lost_reason: "prezzo".into(),
            ..Default::default()
        };
        match sales::create(&db, &manager, contact, &sale).await {
            Ok(saved) => {
                assert!(saved.net <= bounds::MAX_LINE_NET && saved.quantity <= bounds::MAX_QUANTITY && saved.unit_price <= bounds::MAX_UNIT_PRICE);
                accepted += 1;
                match saved.stage {
                    Stage::Won => won += saved.net,
                    s if s.is_open() => open += saved.net,
                    _ => {}
                }
            }
            Err(err) => assert!(matches!(err, AppError::Invalid { .. }), "{sale:?}: {err:?}"),
        }
    }
    assert!(accepted > 20, "the bounds leave room for real sales: {accepted}");
    let tab = sales::list_for_contact(&db, &manager, contact, None).await.unwrap();
    assert_eq!((tab.totals.won, tab.totals.open), (won, open));
    let data = app::reports::ssr::report_data(&db, &manager, Scope::All).await.unwrap();
    // Open sales count in May 2026 (their expected close), won and lost ones in the month they closed.
    let today = chrono::Local::now().date_naive();
    let period = app::reports::Period::Range { from: app::reports::Month::new(2026, 1), to: app::reports::Month::of(today) };
    let all = app::reports::Filter { period, ..Default::default() };
    let report = app::reports::compute(&data, &all, app::i18n::Lang::It);
    assert_eq!((report.current.won, report.current.pipeline), (won, open));
    let path = std::env::temp_dir().join(format!("vendita-bounds-{}-{}.xlsx", std::process::id(), chrono::Utc::now().timestamp_micros()));
    let rows = app::reports::ssr::export::export_workbook(&db, &manager, Scope::All, &all, std::fs::File::create(&path).unwrap()).await.unwrap();
    let _ = std::fs::remove_file(&path);
    assert_eq!(rows, accepted, "the workbook holds every accepted sale");
});

db_test!(ended_sessions_and_old_login_attempts_are_purged, |db: DatabaseConnection| async move {
    use app::db::entities::{login_attempts, sessions};
    use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set};
    let marco = user(&db, "marco", Role::Member).await;
    let config = Config::default();
    let now = chrono::Utc::now();
    let session = |id: &str, created: chrono::Duration, seen: chrono::Duration| sessions::ActiveModel {
        id: Set(id.to_string()),
        user_id: Set(marco.id.0),
        created_at: Set(now - created),
        last_seen_at: Set(now - seen),
        ip: Set(None),
    };
    let hours = chrono::Duration::hours;
    session("idle", hours(9), hours(9)).insert(&db).await.unwrap();
    session("too-old", chrono::Duration::days(31), hours(0)).insert(&db).await.unwrap();
    session("live", hours(2), hours(0)).insert(&db).await.unwrap();
    for (login, age) in [("old", hours(1)), ("recent", chrono::Duration::minutes(1))] {
        login_attempts::ActiveModel { login: Set(login.into()), ip: Set("10.0.0.1".into()), attempted_at: Set(now - age), ..Default::default() }
            .insert(&db)
            .await
            .unwrap();
    }
    let before = sessions::Entity::find().count(&db).await.unwrap();
    let (ended, attempts) = app::auth::ssr::purge(&db, &config).await.unwrap();
    assert_eq!((ended, attempts), (2, 1));
    assert_eq!(sessions::Entity::find().count(&db).await.unwrap(), before - 2);
    assert!(sessions::Entity::find_by_id("live".to_string()).one(&db).await.unwrap().is_some());
    assert_eq!(login_attempts::Entity::find().count(&db).await.unwrap(), 1);
});

db_test!(a_burst_of_logins_gets_exactly_the_limit_of_guesses, |db: DatabaseConnection| async move {
    user(&db, "marco", Role::Member).await;
    let attempts = (0..30).map(|_| app::auth::ssr::login(&db, "marco", "wrong-password", "10.0.0.7"));
    let results = futures_util::future::join_all(attempts).await;
    let checked = results.iter().filter(|r| matches!(r, Err(app::error::AppError::BadCredentials))).count();
    let limited = results.iter().filter(|r| matches!(r, Err(app::error::AppError::RateLimited))).count();
    assert_eq!((checked, limited), (5, 25));
    // A login or a password longer than any account's: refused at once, nothing recorded.
    use sea_orm::{EntityTrait, PaginatorTrait};
    let recorded = app::db::entities::login_attempts::Entity::find().count(&db).await.unwrap();
    let huge = "x".repeat(100_000);
    assert_eq!(app::auth::ssr::login(&db, &huge, "wrong-password", "10.0.0.8").await.unwrap_err(), app::error::AppError::BadCredentials);
    assert_eq!(app::auth::ssr::login(&db, "sara", &huge, "10.0.0.8").await.unwrap_err(), app::error::AppError::BadCredentials);
    assert_eq!(app::db::entities::login_attempts::Entity::find().count(&db).await.unwrap(), recorded);
});

#[test]
fn the_client_address_comes_from_forwarded_for_only_through_a_trusted_proxy() {
    use app::auth::ssr::client_address;
    let proxy: std::net::IpAddr = "127.0.0.1".parse().unwrap();
    let mut headers = http::HeaderMap::new();
    headers.insert("x-forwarded-for", "198.51.100.4, 203.0.113.9".parse().unwrap());
    // Not trusted: the header is the client's own words, ignored.
    assert_eq!(client_address(Some(proxy), &headers, &[]), "127.0.0.1");
    // Trusted: the nearest address that is not a trusted proxy (the left ones are the client's say).
    assert_eq!(client_address(Some(proxy), &headers, &[proxy]), "203.0.113.9");
    let inner: std::net::IpAddr = "203.0.113.9".parse().unwrap();
    assert_eq!(client_address(Some(proxy), &headers, &[proxy, inner]), "198.51.100.4");
    // A peer that is not a proxy sends whatever it likes: its own address counts.
    assert_eq!(client_address(Some("192.0.2.1".parse().unwrap()), &headers, &[proxy]), "192.0.2.1");
    // A malformed header from the proxy: the proxy's address, not a guess.
    headers.insert("x-forwarded-for", "not-an-address".parse().unwrap());
    assert_eq!(client_address(Some(proxy), &headers, &[proxy]), "127.0.0.1");
    assert_eq!(client_address(None, &headers, &[proxy]), "unknown");
}

// A stage or a role written by something else than this code (an old version, a hand edit): the
// read is refused as an error (logged by the server), never mapped silently to another value.
db_test!(an_unknown_stored_enum_value_is_an_error_not_a_fallback, |db: DatabaseConnection| async move {
    use app::error::AppError;
    let Shop { manager, seller, product, contact } = shop(&db).await;
    let form = app::sales::SaleForm {
        product: product.0.to_string(),
        seller: seller.0.to_string(),
        quantity: "1".into(),
        unit_price: "10".into(),
        vat_rate: "22".into(),
        stage: "lead".into(),
        ..Default::default()
    };
    let sale = sales::create(&db, &manager, contact, &form).await.unwrap();
    db.execute_unprepared(&format!("UPDATE sales SET stage = 'chiusa' WHERE id = {}", sale.id.0)).await.unwrap();
    app::figures::cells::rebuild(&db).await.unwrap();
    assert_eq!(sales::get(&db, &manager, sale.id).await.unwrap_err(), AppError::Internal);
    assert_eq!(sales::list_for_contact(&db, &manager, contact, None).await.unwrap_err(), AppError::Internal, "the card says so");
    assert_eq!(app::reports::ssr::report_data(&db, &manager, Scope::All).await.unwrap_err(), AppError::Internal, "the report too");
    let marco = user(&db, "marco", Role::Member).await;
    db.execute_unprepared(&format!("UPDATE users SET role = 'superuser' WHERE id = {}", marco.id.0)).await.unwrap();
    assert!(app::auth::ssr::login(&db, "marco", common::PASSWORD, "10.0.0.9").await.is_err(), "an unknown role signs nobody in");
});
