//! Reports: the figures of every filter and grouping checked against a plain fold over the sales
//! rows (written independently of the report code), on SQLite and PostgreSQL; and who sees what.

mod common;

use app::auth::{CurrentUser, Role};
use app::catalog::{CategoryId, ProductId};
use app::config::TagId;
use app::config::lost_reasons::LostReasonId;
use app::db::entities::{categories, contact_tags, contacts, lost_reasons, products, sales, seller_members, sellers, tags};
use app::error::AppError;
use app::reports::ssr as reports;
use app::reports::*;
use app::sellers::SellerId;
use chrono::{Datelike, Duration, NaiveDate, Utc};
use common::user;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Set, Statement};
use std::collections::HashMap;

/// One sale as the test wrote it, to fold over independently.
#[derive(Clone, Debug)]
struct Row {
    seller: i64,
    product: i64,
    contact: i64,
    stage: &'static str,
    probability: i64,
    net: i64,
    sale_date: NaiveDate,
    expected: Option<NaiveDate>,
    closed: Option<NaiveDate>,
    /// Lost sales: one of the default reasons, or none (sales lost before reasons existed).
    reason: Option<i64>,
}

struct World {
    manager: CurrentUser,
    marco: CurrentUser,
    sara: CurrentUser,
    /// marco's seller, sara's seller, the team (marco is a member), an agency (no members).
    s_marco: i64,
    s_sara: i64,
    s_team: i64,
    s_agency: i64,
    /// Hardware → Computer → Laptop; Services (a second root).
    c_hardware: i64,
    c_computer: i64,
    c_laptop: i64,
    c_services: i64,
    products: Vec<(i64, Option<i64>)>,
    categories: Vec<(i64, Option<i64>)>,
    /// contact → tag ids
    contact_tags: HashMap<i64, Vec<i64>>,
    t_vip: i64,
    /// The default lost reasons' ids, in order.
    reasons: Vec<i64>,
    rows: Vec<Row>,
    today: NaiveDate,
}

async fn seller(db: &DatabaseConnection, name: &str, user: Option<&CurrentUser>) -> i64 {
    let now = Utc::now();
    sellers::ActiveModel {
        kind: Set(if user.is_some() { app::sellers::SellerKind::User } else { app::sellers::SellerKind::Generic }),
        name: Set(name.into()),
        user_id: Set(user.map(|u| u.id.0)),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
    .id
}

async fn category(db: &DatabaseConnection, name: &str, parent: Option<i64>) -> i64 {
    let now = Utc::now();
    categories::ActiveModel {
        parent_id: Set(parent),
        name: Set(name.into()),
        position: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
    .id
}

async fn product(db: &DatabaseConnection, code: &str, category: Option<i64>) -> i64 {
    let now = Utc::now();
    products::ActiveModel {
        code: Set(code.into()),
        name: Set(format!("Prodotto {code}")),
        category_id: Set(category),
        unit: Set("pz".into()),
        list_price_cents: Set(10_000),
        vat_rate_bp: Set(2200),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
    .id
}

async fn contact(db: &DatabaseConnection, name: &str, tag_ids: &[i64]) -> i64 {
    let now = Utc::now();
    let id = contacts::ActiveModel {
        kind: Set(app::contacts::ContactKind::Company),
        name: Set(name.into()),
        country: Set("IT".into()),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
    .id;
    for &tag_id in tag_ids {
        contact_tags::ActiveModel { contact_id: Set(id), tag_id: Set(tag_id) }.insert(db).await.unwrap();
    }
    id
}

/// A small deterministic generator (no dependency, same rows on both databases).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// Every stage, four sellers (one a team), a three-level category tree plus a product without
/// category, tagged and untagged contacts, dates across two years and a bit ahead.
async fn world(db: &DatabaseConnection) -> World {
    let manager = user(db, "giulia", Role::Manager).await;
    let marco = user(db, "marco", Role::Member).await;
    let sara = user(db, "sara", Role::Member).await;
    let s_marco = seller(db, "Marco Rossi", Some(&marco)).await;
    let s_sara = seller(db, "Sara Bianchi", Some(&sara)).await;
    let s_team = seller(db, "Team Nord", None).await;
    let s_agency = seller(db, "Agenzia Esterna", None).await;
    seller_members::ActiveModel { seller_id: Set(s_team), user_id: Set(marco.id.0) }.insert(db).await.unwrap();
    let c_hardware = category(db, "Hardware", None).await;
    let c_computer = category(db, "Computer", Some(c_hardware)).await;
    let c_laptop = category(db, "Laptop", Some(c_computer)).await;
    let c_services = category(db, "Servizi", None).await;
    let categories = vec![(c_hardware, None), (c_computer, Some(c_hardware)), (c_laptop, Some(c_computer)), (c_services, None)];
    let mut products = Vec::new();
    for (code, cat) in [
        ("HW1", Some(c_hardware)),
        ("PC1", Some(c_computer)),
        ("LP1", Some(c_laptop)),
        ("LP2", Some(c_laptop)),
        ("SV1", Some(c_services)),
        ("XX1", None),
    ] {
        products.push((product(db, code, cat).await, cat));
    }
    let all_tags = tags::Entity::find().all(db).await.unwrap();
    let clienti = all_tags.iter().find(|t| t.system_key.as_deref() == Some("customers")).map(|t| t.id).unwrap_or(all_tags[0].id);
    let t_vip = tags::ActiveModel { name: Set("VIP".into()), created_at: Set(Utc::now()), ..Default::default() }.insert(db).await.unwrap().id;
    let mut contact_tags = HashMap::new();
    for (name, tag_ids) in [("Alfa Srl", vec![clienti]), ("Beta Spa", vec![clienti, t_vip]), ("Gamma Snc", vec![]), ("Delta", vec![t_vip])] {
        let id = contact(db, name, &tag_ids).await;
        contact_tags.insert(id, tag_ids);
    }
    let contacts: Vec<i64> = {
        let mut c: Vec<i64> = contact_tags.keys().copied().collect();
        c.sort();
        c
    };
    let today = Utc::now().date_naive();
    let mut rng = Lcg(42);
    let mut rows = Vec::new();
    let sellers = [s_marco, s_sara, s_team, s_agency];
    let stages = ["lead", "negotiation", "proposal", "won", "lost"];
    let reasons: Vec<i64> = lost_reasons::Entity::find().all(db).await.unwrap().into_iter().map(|r| r.id).collect();
    let now = Utc::now();
    for i in 0..400 {
        let stage = stages[i % 5];
        let sale_date = today - Duration::days(rng.next(760) as i64);
        let probability = match stage {
            "won" => 100,
            "lost" => 0,
            _ => 10 + rng.next(80) as i64,
        };
        let expected = (rng.next(10) > 0).then(|| sale_date + Duration::days(rng.next(120) as i64));
        let closed = matches!(stage, "won" | "lost").then(|| sale_date + Duration::days(rng.next(60) as i64)).filter(|_| rng.next(12) > 0);
        let row = Row {
            seller: sellers[rng.next(4) as usize],
            product: products[rng.next(products.len() as u64) as usize].0,
            contact: contacts[rng.next(contacts.len() as u64) as usize],
            stage,
            probability,
            net: 100 + rng.next(500_000) as i64,
            sale_date,
            expected,
            closed,
            reason: (stage == "lost").then(|| reasons.get(rng.next(reasons.len() as u64 + 1) as usize).copied()).flatten(),
        };
        sales::ActiveModel {
            contact_id: Set(row.contact),
            product_id: Set(row.product),
            seller_id: Set(row.seller),
            quantity_milli: Set(1000),
            unit_price_cents: Set(row.net),
            discount_bp: Set(0),
            vat_rate_bp: Set(2200),
            net_cents: Set(row.net),
            gross_cents: Set(row.net * 122 / 100),
            stage: Set(app::sales::Stage::from_code(stage).unwrap()),
            probability: Set(probability as i32),
            sale_date: Set(sale_date),
            expected_close: Set(expected),
            closed_date: Set(closed),
            lost_reason_id: Set(row.reason),
            created_by: Set(manager.id.0),
            created_at: Set(now),
            updated_by: Set(manager.id.0),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        rows.push(row);
    }
    // Written straight into the table: the report cells are made from them, as a repair would.
    app::figures::cells::rebuild(db).await.unwrap();
    World {
        manager,
        marco,
        sara,
        s_marco,
        s_sara,
        s_team,
        s_agency,
        c_hardware,
        c_computer,
        c_laptop,
        c_services,
        products,
        categories,
        contact_tags,
        t_vip,
        reasons,
        rows,
        today,
    }
}

// ---------------------------------------------------------------- the independent fold

/// (year, month) a row counts in, written from the definition: close date for closed sales,
/// expected close for open ones, the sale date when that is missing.
fn ym(row: &Row) -> (i32, u32) {
    let date = match row.stage {
        "won" | "lost" => row.closed.unwrap_or(row.sale_date),
        _ => row.expected.unwrap_or(row.sale_date),
    };
    (date.year(), date.month())
}

fn months_between(from: (i32, u32), to: (i32, u32), at: (i32, u32)) -> bool {
    at >= from && at <= to
}

fn under(w: &World, mut category: Option<i64>, root: i64) -> bool {
    while let Some(c) = category {
        if c == root {
            return true;
        }
        category = w.categories.iter().find(|(id, _)| *id == c).and_then(|(_, parent)| *parent);
    }
    false
}

#[derive(Debug, Default, PartialEq)]
struct Expected {
    won_count: u64,
    won: i64,
    lost_count: u64,
    lost: i64,
    open_count: u64,
    pipeline: i64,
    weighted_exact: i64,
}

fn fold(w: &World, filter: &Filter, rows: &[Row], from: (i32, u32), to: (i32, u32)) -> Expected {
    let mut e = Expected::default();
    for r in rows {
        let category = w.products.iter().find(|(id, _)| *id == r.product).and_then(|(_, c)| *c);
        let keep = months_between(from, to, ym(r))
            && filter.seller.is_none_or(|s| s.0 == r.seller)
            && filter.product.is_none_or(|p| p.0 == r.product)
            && filter.category.is_none_or(|c| under(w, category, c.0))
            && filter.stage.is_none_or(|s| s.code() == r.stage)
            && filter.tag.is_none_or(|t| w.contact_tags[&r.contact].contains(&t.0))
            && filter.reason.is_none_or(|reason| r.stage == "lost" && r.reason == Some(reason.0));
        if !keep {
            continue;
        }
        match r.stage {
            "won" => {
                e.won_count += 1;
                e.won += r.net;
            }
            "lost" => {
                e.lost_count += 1;
                e.lost += r.net;
            }
            _ => {
                e.open_count += 1;
                e.pipeline += r.net;
                e.weighted_exact += r.net * r.probability;
            }
        }
    }
    e
}

fn as_expected(f: &Figures) -> Expected {
    Expected {
        won_count: f.won_count,
        won: f.won.0,
        lost_count: f.lost_count,
        lost: f.lost.0,
        open_count: f.open_count,
        pipeline: f.pipeline.0,
        weighted_exact: f.weighted,
    }
}

fn ym_of(m: Month) -> (i32, u32) {
    (m.year(), m.month())
}

fn filters(w: &World, today: NaiveDate) -> Vec<Filter> {
    let two_years = Period::Range { from: Month::of(today - Duration::days(800)), to: Month::of(today + Duration::days(200)) };
    let base = Filter::default();
    let mut list = vec![
        base.clone(),
        Filter { period: Period::ThisMonth, ..base.clone() },
        Filter { period: Period::ThisQuarter, ..base.clone() },
        Filter { period: Period::ThisYear, ..base.clone() },
        Filter { period: two_years, ..base.clone() },
        Filter { period: two_years, seller: Some(SellerId(w.s_team)), ..base.clone() },
        Filter { period: two_years, category: Some(CategoryId(w.c_hardware)), ..base.clone() },
        Filter { period: two_years, category: Some(CategoryId(w.c_computer)), seller: Some(SellerId(w.s_marco)), ..base.clone() },
        Filter { period: two_years, category: Some(CategoryId(w.c_laptop)), ..base.clone() },
        Filter { period: two_years, category: Some(CategoryId(w.c_services)), stage: Some(Stage::Won), ..base.clone() },
        Filter { period: two_years, product: Some(ProductId(w.products[3].0)), ..base.clone() },
        Filter { period: two_years, tag: Some(TagId(w.t_vip)), ..base.clone() },
        Filter { period: base.period, stage: Some(Stage::Proposal), tag: Some(TagId(w.t_vip)), seller: Some(SellerId(w.s_agency)), ..base.clone() },
        Filter { period: two_years, reason: Some(LostReasonId(w.reasons[0])), ..base.clone() },
        Filter {
            period: two_years,
            reason: Some(LostReasonId(w.reasons[2])),
            seller: Some(SellerId(w.s_marco)),
            grouping: Grouping::LostReason,
            ..base.clone()
        },
    ];
    let groupings: Vec<Filter> = Grouping::ALL.iter().map(|&g| Filter { period: two_years, grouping: g, ..base.clone() }).collect();
    list.extend(groupings);
    list
}

/// Runs `check` against the figures and the table rows of every filter.
fn check_all(w: &World, data: &ReportData, rows: &[Row]) {
    for filter in filters(w, data.today) {
        let report = compute(data, &filter, app::i18n::Lang::It);
        let (from, to) = (ym_of(report.from), ym_of(report.to));
        let expected = fold(w, &filter, rows, from, to);
        assert_eq!(as_expected(&report.current), expected, "current figures for {filter:?}");
        let previous = fold(w, &filter, rows, ym_of(report.from.plus(-12)), ym_of(report.to.plus(-12)));
        assert_eq!(as_expected(&report.previous), previous, "previous-year figures for {filter:?}");
        // The table adds up to the figures, and each group to its own fold.
        let mut total = Figures::default();
        for row in &report.rows {
            total.won_count += row.figures.won_count;
            total.won += row.figures.won;
            total.lost_count += row.figures.lost_count;
            total.lost += row.figures.lost;
            total.open_count += row.figures.open_count;
            total.pipeline += row.figures.pipeline;
            total.weighted += row.figures.weighted;
            if let GroupKey::Month(m) = row.key {
                assert_eq!(as_expected(&row.figures), fold(w, &filter, rows, ym_of(m), ym_of(m)), "month {m:?}");
                assert_eq!(as_expected(&row.previous), fold(w, &filter, rows, ym_of(m.plus(-12)), ym_of(m.plus(-12))), "month {m:?} a year earlier");
            }
            if let GroupKey::Seller(s) = row.key {
                let one = Filter { seller: Some(s), ..filter.clone() };
                assert_eq!(as_expected(&row.figures), fold(w, &one, rows, from, to), "seller {s}");
            }
            if let GroupKey::Category(Some(c)) = row.key {
                let one = Filter { category: Some(c), ..filter.clone() };
                assert_eq!(as_expected(&row.figures), fold(w, &one, rows, from, to), "category {c}");
            }
            if let GroupKey::LostReason(Some(r)) = row.key {
                let one = Filter { reason: Some(r), ..filter.clone() };
                assert_eq!(as_expected(&row.figures), fold(w, &one, rows, from, to), "lost reason {r}");
            }
        }
        if filter.grouping == Grouping::LostReason {
            // The table holds the lost sales only, and all of them.
            let lost_only = Expected { lost_count: expected.lost_count, lost: expected.lost, ..Expected::default() };
            assert_eq!(as_expected(&total), lost_only, "lost reason table total for {filter:?}");
        } else if !report.current.is_empty() {
            assert_eq!(as_expected(&total), expected, "table total for {filter:?}");
        }
        // Derived figures from the definition.
        let closed = expected.won_count + expected.lost_count;
        let rate = report.current.win_rate().map(|p| p.0);
        assert_eq!(rate, (closed > 0).then(|| ((expected.won_count as f64 * 10_000.0 / closed as f64).round()) as i32));
        assert_eq!(report.current.weighted_forecast().0, (expected.weighted_exact as f64 / 100.0).round() as i64);
        // Forecast against actual: each month's won revenue and open weighted amount.
        for (m, forecast, won) in &report.forecast {
            let e = fold(w, &filter, rows, ym_of(*m), ym_of(*m));
            assert_eq!(won.0, e.won, "actual of {m:?}");
            assert_eq!(forecast.0, (e.weighted_exact as f64 / 100.0).round() as i64, "forecast of {m:?}");
        }
    }
}

db_test!(every_filter_and_grouping_matches_a_plain_fold_over_the_sales, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let data = reports::report_data(&db, &w.manager, Scope::All).await.unwrap();
    assert_eq!(data.today, w.today);
    assert!(data.cells.len() < w.rows.len(), "the data set is aggregated, not one row per sale");
    check_all(&w, &data, &w.rows);
});

db_test!(the_data_set_totals_match_plain_sql, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let data = reports::report_data(&db, &w.manager, Scope::All).await.unwrap();
    let backend = db.get_database_backend();
    for stage in Stage::ALL {
        let sql = format!(
            "SELECT CAST(COUNT(*) AS BIGINT) AS n, CAST(COALESCE(SUM(net_cents), 0) AS BIGINT) AS net FROM sales WHERE stage = '{}'",
            stage.code()
        );
        let row = db.query_one_raw(Statement::from_string(backend, sql)).await.unwrap().unwrap();
        let (n, net): (i64, i64) = (row.try_get("", "n").unwrap(), row.try_get("", "net").unwrap());
        let cells = data.cells.iter().filter(|c| c.stage == stage);
        assert_eq!(cells.clone().map(|c| c.count as i64).sum::<i64>(), n, "{stage:?} count");
        assert_eq!(cells.map(|c| c.net.0).sum::<i64>(), net, "{stage:?} amount");
    }
});

db_test!(a_member_receives_only_his_own_and_his_teams_numbers, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let mine = reports::report_data(&db, &w.marco, Scope::Mine).await.unwrap();
    assert!(!mine.cells.is_empty());
    assert!(mine.cells.iter().all(|c| c.seller.0 == w.s_marco || c.seller.0 == w.s_team), "only marco's seller and his team");
    let mut names: Vec<_> = mine.sellers.iter().map(|s| s.id).collect();
    names.sort();
    assert_eq!(names, vec![SellerId(w.s_marco), SellerId(w.s_team)], "no other seller is even named");
    let own_rows: Vec<Row> = w.rows.iter().filter(|r| r.seller == w.s_marco || r.seller == w.s_team).cloned().collect();
    check_all(&w, &mine, &own_rows);

    assert_eq!(reports::report_data(&db, &w.marco, Scope::All).await.unwrap_err(), AppError::Forbidden, "Sellers/Forecast are for managers");
    let sara = reports::report_data(&db, &w.sara, Scope::Mine).await.unwrap();
    assert!(sara.cells.iter().all(|c| c.seller.0 == w.s_sara));
    use app::auth::scope::{SellerScope, visible_sellers};
    assert_eq!(visible_sellers(&db, &w.sara).await.unwrap(), SellerScope::Only([w.s_sara].into()));
    assert_eq!(visible_sellers(&db, &w.manager).await.unwrap(), SellerScope::All);
    // A manager's own report holds only his own sellers (he has none here).
    assert!(reports::report_data(&db, &w.manager, Scope::Mine).await.unwrap().cells.is_empty());
    // Asking for another seller by filter is refused.
    let allowed = reports::scope_sellers(&db, &w.marco, Scope::Mine).await.unwrap();
    let other = Filter { seller: Some(SellerId(w.s_sara)), ..Filter::default() };
    assert_eq!(reports::check_filter(&allowed, &other).unwrap_err(), AppError::Forbidden);
    let _ = (w.c_laptop, w.s_agency);
});

#[test]
fn a_filter_survives_the_query_string() {
    let filter = Filter {
        period: Period::Range { from: Month::new(2025, 3), to: Month::new(2026, 2) },
        seller: Some(SellerId(4)),
        category: Some(CategoryId(7)),
        product: None,
        stage: Some(Stage::Proposal),
        tag: Some(TagId(2)),
        reason: Some(LostReasonId(3)),
        grouping: Grouping::LostReason,
    };
    let query = filter.to_query();
    let pairs: Vec<(&str, &str)> = query.split('&').filter_map(|p| p.split_once('=')).collect();
    assert_eq!(Filter::from_pairs(pairs), Some(filter));
    assert_eq!(Filter::from_pairs([("period", "soon")]), None);
    assert_eq!(Filter::from_pairs([("seller", "x")]), None);
    assert_eq!(Filter::from_pairs([("reason", "prezzo")]), None);
}

// ---------------------------------------------------------------- the Excel download

use app::reports::ssr::export;
use calamine::{Data, Reader, Xlsx, open_workbook};

fn temp_xlsx() -> std::path::PathBuf {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    std::env::temp_dir().join(format!("vendita-test-{}-{}.xlsx", std::process::id(), N.fetch_add(1, std::sync::atomic::Ordering::SeqCst)))
}

fn cents_of(cell: &Data) -> i64 {
    match cell {
        Data::Float(f) => (f * 100.0).round() as i64,
        Data::Int(i) => i * 100,
        other => panic!("a number, not {other:?}"),
    }
}

struct ReadBack {
    sheets: Vec<String>,
    sales: calamine::Range<Data>,
    summary: calamine::Range<Data>,
    targets: calamine::Range<Data>,
    filters: calamine::Range<Data>,
    /// Each table's name and number of data rows.
    tables: Vec<(String, usize)>,
}

fn read_back(path: &std::path::Path) -> ReadBack {
    let mut book: Xlsx<_> = open_workbook(path).expect("a readable workbook");
    let sheets = book.sheet_names();
    book.load_tables().unwrap();
    let names: Vec<String> = book.table_names().into_iter().cloned().collect();
    let tables = names.into_iter().map(|name| (name.clone(), book.table_by_name(&name).unwrap().data().height())).collect();
    let sales = book.worksheet_range(&sheets[0]).unwrap();
    let summary = book.worksheet_range(&sheets[1]).unwrap();
    let targets = book.worksheet_range(&sheets[2]).unwrap();
    let filters = book.worksheet_range(sheets.last().unwrap()).unwrap();
    std::fs::remove_file(path).ok();
    ReadBack { sheets, sales, summary, targets, filters, tables }
}

db_test!(the_workbook_holds_exactly_what_is_on_screen, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let two_years = Period::Range { from: Month::of(w.today - Duration::days(800)), to: Month::of(w.today + Duration::days(200)) };
    let filter = Filter { period: two_years, category: Some(CategoryId(w.c_hardware)), grouping: Grouping::Seller, ..Filter::default() };
    let path = temp_xlsx();
    // A target this month for Marco: the Obiettivi sheet sets it against his won revenue.
    let this_month = Month::of(w.today);
    let target_form =
        app::targets::TargetForm { seller: w.s_marco.to_string(), month: this_month.code(), category: String::new(), amount: "1234,56".into() };
    app::targets::ssr::set(&db, &w.manager, &target_form).await.unwrap();
    let written = export::export_workbook(&db, &w.manager, Scope::All, &filter, std::fs::File::create(&path).unwrap()).await.unwrap();
    let data = reports::report_data(&db, &w.manager, Scope::All).await.unwrap();
    let screen = compute(&data, &filter, app::i18n::Lang::It);
    let on_screen = screen.current.won_count + screen.current.lost_count + screen.current.open_count;
    assert_eq!(written, on_screen);
    let book = read_back(&path);
    assert_eq!(book.sheets, ["Vendite", "Riepilogo", "Obiettivi", "Offerte", "Provvigioni", "Filtri"]);
    let marco_now = book
        .targets
        .rows()
        .find(|r| r[0] == "Marco Rossi" && r[1].to_string() == this_month.label(app::i18n::Lang::It))
        .expect("marco's target month in the Obiettivi sheet");
    assert_eq!(cents_of(&marco_now[2]), 123_456);
    let won_now: i64 = w
        .rows
        .iter()
        .filter(|r| r.seller == w.s_marco && r.stage == "won" && Month::of(r.closed.unwrap_or(r.sale_date)) == this_month)
        .map(|r| r.net)
        .sum();
    assert_eq!(cents_of(&marco_now[3]), won_now);
    assert_eq!(book.tables, [("Vendite".to_string(), on_screen as usize)], "the sales are an Excel table (with its filter buttons) over every sale");
    // Vendite: the headers, one row per sale, real dates and numbers, totals equal to the screen.
    let headers: Vec<String> = book.sales.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(headers, export::sales_headers(app::i18n::Lang::It));
    assert_eq!(book.sales.height() as u64, on_screen + 1);
    let (mut won, mut pipeline, mut won_count) = (0i64, 0i64, 0u64);
    for row in book.sales.rows().skip(1) {
        assert!(matches!(row[0], Data::DateTime(_)), "sale date is a date: {:?}", row[0]);
        assert!(matches!(row[9], Data::Float(_)), "probability is a number");
        let net = cents_of(&row[11]);
        // Quantity 1 at the net price, no discount, 22% VAT, registered by the manager.
        assert_eq!((cents_of(&row[14]), row[15].clone(), row[16].clone()), (net, Data::Float(0.0), Data::Float(0.22)));
        assert_eq!(row[22].to_string(), w.manager.display_name);
        match row[8].to_string().as_str() {
            "Vinta" => {
                won += net;
                won_count += 1;
            }
            // The lost reason by name (or none, for sales lost before reasons existed).
            "Persa" => assert!(["", "Prezzo", "Concorrenza", "Tempistica", "Nessuna risposta", "Altro"].contains(&row[17].to_string().as_str())),
            _ => {
                pipeline += net;
                assert_eq!(row[17].to_string(), "", "only lost sales have a reason");
            }
        }
    }
    assert_eq!((won, won_count, pipeline), (screen.current.won.0, screen.current.won_count, screen.current.pipeline.0));
    // Riepilogo: the table on screen, row by row, with its total.
    assert_eq!(book.summary.height(), screen.rows.len() + 2);
    for (i, group) in screen.rows.iter().enumerate() {
        let row = &book.summary.rows().nth(i + 1).unwrap();
        assert_eq!(row[0].to_string(), group.label);
        assert_eq!(cents_of(&row[2]), group.figures.won.0);
        assert_eq!(cents_of(&row[3]), group.figures.pipeline.0);
        assert_eq!(cents_of(&row[7]), group.previous.won.0);
    }
    let total = book.summary.rows().next_back().unwrap();
    assert_eq!(total[0].to_string(), "Totale");
    assert_eq!(cents_of(&total[2]), screen.current.won.0);
    assert_eq!(cents_of(&total[4]), screen.current.weighted_forecast().0);
    // Filtri: the category chosen and who exported.
    let filters: Vec<(String, String)> = book.filters.rows().map(|r| (r[0].to_string(), r[1].to_string())).collect();
    assert!(filters.contains(&("Categoria".into(), "Hardware".into())), "{filters:?}");
    assert!(filters.contains(&("Esportato da".into(), w.manager.display_name.clone())));
});

db_test!(the_workbook_of_a_tag_and_of_no_tag_holds_the_sales_the_independent_fold_counts, |db: DatabaseConnection| async move {
    // The download reads the contacts' tags only when the filter names one: both paths.
    let w = world(&db).await;
    let two_years = Period::Range { from: Month::of(w.today - Duration::days(800)), to: Month::of(w.today + Duration::days(200)) };
    for filter in [
        Filter { period: two_years, tag: Some(TagId(w.t_vip)), grouping: Grouping::Product, ..Filter::default() },
        Filter { period: two_years, grouping: Grouping::Product, ..Filter::default() },
        Filter { period: Period::ThisYear, seller: Some(SellerId(w.s_sara)), ..Filter::default() },
    ] {
        let path = temp_xlsx();
        let written = export::export_workbook(&db, &w.manager, Scope::All, &filter, std::fs::File::create(&path).unwrap()).await.unwrap();
        let data = reports::report_data(&db, &w.manager, Scope::All).await.unwrap();
        let report = compute(&data, &filter, app::i18n::Lang::It);
        let expected = fold(&w, &filter, &w.rows, ym_of(report.from), ym_of(report.to));
        assert_eq!(written, expected.won_count + expected.lost_count + expected.open_count, "{filter:?}");
        let book = read_back(&path);
        let total = book.summary.rows().next_back().unwrap();
        assert_eq!((cents_of(&total[2]), cents_of(&total[3])), (expected.won, expected.pipeline), "Riepilogo total for {filter:?}");
        let previous = fold(&w, &filter, &w.rows, ym_of(report.from.plus(-12)), ym_of(report.to.plus(-12)));
        assert_eq!(cents_of(&total[7]), previous.won, "a year earlier, for {filter:?}");
    }
});

db_test!(a_members_workbook_holds_only_his_sales_and_asking_for_more_is_refused, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let two_years = Period::Range { from: Month::of(w.today - Duration::days(800)), to: Month::of(w.today + Duration::days(200)) };
    let filter = Filter { period: two_years, ..Filter::default() };
    let path = temp_xlsx();
    let written = export::export_workbook(&db, &w.marco, Scope::Mine, &filter, std::fs::File::create(&path).unwrap()).await.unwrap();
    let own = w.rows.iter().filter(|r| r.seller == w.s_marco || r.seller == w.s_team).count() as u64;
    assert_eq!(written, own);
    let book = read_back(&path);
    for row in book.sales.rows().skip(1) {
        assert!(["Marco Rossi", "Team Nord"].contains(&row[3].to_string().as_str()), "{:?}", row[3]);
    }
    let other = Filter { seller: Some(SellerId(w.s_sara)), ..filter.clone() };
    assert_eq!(
        export::export_workbook(&db, &w.marco, Scope::Mine, &other, std::fs::File::create(temp_xlsx()).unwrap()).await.unwrap_err(),
        AppError::Forbidden
    );
    assert_eq!(
        export::export_workbook(&db, &w.marco, Scope::All, &filter, std::fs::File::create(temp_xlsx()).unwrap()).await.unwrap_err(),
        AppError::Forbidden
    );
    // In English the sheets and columns are English.
    let english = CurrentUser { lang: app::i18n::Lang::En, ..w.sara.clone() };
    let path = temp_xlsx();
    export::export_workbook(&db, &english, Scope::Mine, &filter, std::fs::File::create(&path).unwrap()).await.unwrap();
    let book = read_back(&path);
    assert_eq!(book.sheets, ["Sales", "Summary", "Targets", "Offers", "Commissions", "Filters"]);
    assert_eq!(book.sales.rows().next().unwrap()[0].to_string(), "Sale date");
});

// Three open sales of one cent each at 50 %: rounded row by row they would weigh 3 cents, the
// screen rounds the exact sum once (1,5 → 2 cents). The workbook's weighted column adds up to the
// screen's figure, and no row is more than a cent from its own rounding.
db_test!(the_workbooks_weighted_column_adds_up_to_the_screens_figure, |db: DatabaseConnection| async move {
    let w = common::world::world(&db).await;
    for _ in 0..3 {
        let form = app::sales::SaleForm { probability: "50".into(), ..common::world::sale(&w, w.marco_seller, "1", "0,01", "negotiation") };
        app::sales::ssr::create(&db, &w.manager, w.customer, &form).await.unwrap();
    }
    let april = Month::new(2026, 4);
    let filter = Filter { period: Period::Range { from: april, to: april }, ..Filter::default() };
    let data = reports::report_data(&db, &w.manager, Scope::All).await.unwrap();
    let screen = compute(&data, &filter, app::i18n::Lang::It);
    assert_eq!((screen.current.open_count, screen.current.weighted_forecast()), (3, app::money::Money(2)));
    let path = temp_xlsx();
    export::export_workbook(&db, &w.manager, Scope::All, &filter, std::fs::File::create(&path).unwrap()).await.unwrap();
    let book = read_back(&path);
    let weighted: Vec<i64> = book.sales.rows().skip(1).map(|row| cents_of(&row[13])).collect();
    assert_eq!(weighted.iter().sum::<i64>(), screen.current.weighted_forecast().0, "rows {weighted:?}");
    assert!(weighted.iter().all(|c| (0..=1).contains(c)));
    let _ = std::fs::remove_file(&path);
});
