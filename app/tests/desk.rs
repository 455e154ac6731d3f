//! The day's work, on SQLite and PostgreSQL: the close date of won and lost sales (its rules, the
//! history, the month the reports count it in), the home page against an independent fold over
//! the rows on a fixed "today", the sales list (filters, keyset pages, totals) and the stage move
//! from the list, and what a member may see of all of it.

mod common;

use app::desk::ssr as desk;
use app::desk::{SALES_LIST_PAGE, SalesFilter};
use app::error::{AppError, Field, Problem};
use app::figures::{Month, Scope, report_month};
use app::money::Money;
use app::sales::ssr as sales;
use app::sales::ssr::StageMove;
use app::sales::{HistoryField, HistoryValue, Sale, SaleForm, SaleId, Stage};
use app::sellers::SellerId;
use chrono::NaiveDate;
use common::world::{World, sale, world};
use sea_orm::DatabaseConnection;

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

#[test]
fn days_are_read_as_either_language_writes_them_and_nothing_else() {
    use app::i18n::{Lang, parse_day};
    for text in ["2026-03-02", "02/03/2026", "2/3/2026", " 02/03/2026 "] {
        assert_eq!(parse_day(text), Some(day("2026-03-02")), "{text}");
    }
    for text in ["", "2026-3-2", "31/02/2026", "02/03/26", "1/1/2026/1", "+202-01-01", "2026/03/02", "02-03-2026", "0x/03/2026", "２/３/２０２６"]
    {
        assert_eq!(parse_day(text), None, "{text}");
    }
    assert_eq!(Lang::It.date_input("2026-03-02"), "02/03/2026");
    assert_eq!(Lang::En.date_input("02/03/2026"), "2026-03-02");
    assert_eq!(Lang::It.date_input("domani"), "domani", "not a date: left as typed, for the server to name");
}

/// A sale on `sale_date`, expected to close on `expected`, for `seller`, of `price` × 1.
fn dated(w: &World, seller: SellerId, price: &str, stage: &str, sale_date: &str, expected: &str) -> SaleForm {
    SaleForm { sale_date: sale_date.into(), expected_close: expected.into(), ..sale(w, seller, "1", price, stage) }
}

db_test!(a_won_or_lost_sale_closes_on_the_day_given_and_is_counted_in_its_month, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let s = sales::create(&db, &w.marco, w.customer, &dated(&w, w.marco_seller, "100", "proposal", "2026-01-10", "2026-01-31")).await.unwrap();
    let won = |closed: &str| SaleForm { closed_date: closed.into(), ..dated(&w, w.marco_seller, "100", "won", "2026-01-10", "2026-01-31") };
    let bad = |closed: &'static str, version: i32| {
        let db = db.clone();
        let form = won(closed);
        let marco = w.marco.clone();
        async move { sales::update(&db, &marco, s.id, version, &form).await.unwrap_err() }
    };
    assert_eq!(bad("2026-01-09", s.version).await, AppError::invalid(Field::ClosedDate, Problem::BeforeSaleDate));
    assert_eq!(bad("2999-01-01", s.version).await, AppError::invalid(Field::ClosedDate, Problem::InFuture));
    assert_eq!(bad("30.01.2026", s.version).await, AppError::invalid(Field::ClosedDate, Problem::BadDate));
    assert_eq!(sales::get(&db, &w.marco, s.id).await.unwrap().version, s.version, "a refused close changes nothing");

    // Won on 30 January, entered later: it counts in January.
    let closed = sales::update(&db, &w.marco, s.id, s.version, &won("2026-01-30")).await.unwrap();
    assert_eq!(closed.closed_date, Some(day("2026-01-30")));
    let data = app::reports::ssr::report_data(&db, &w.manager, Scope::All).await.unwrap();
    let months: Vec<(Month, Stage)> = data.cells.iter().map(|c| (c.month, c.stage)).collect();
    assert_eq!(months, [(Month::new(2026, 1), Stage::Won)]);
    assert_eq!(report_month(Stage::Won, closed.sale_date, closed.expected_close, closed.closed_date), Month::new(2026, 1));

    // Saved again with the date left empty: it keeps its day; corrected: the history says so.
    let kept = sales::update(&db, &w.marco, s.id, closed.version, &SaleForm { notes: "firmato".into(), ..won("") }).await.unwrap();
    assert_eq!(kept.closed_date, Some(day("2026-01-30")));
    // Typed as an Italian reader writes it.
    let corrected = sales::update(&db, &w.marco, s.id, kept.version, &won("20/01/2026")).await.unwrap();
    assert_eq!(corrected.closed_date, Some(day("2026-01-20")));
    let history = sales::history(&db, &w.marco, s.id).await.unwrap();
    let changes: Vec<(Option<HistoryValue>, Option<HistoryValue>)> =
        history.iter().filter(|h| h.field == Some(HistoryField::ClosedDate)).map(|h| (h.old.clone(), h.new.clone())).collect();
    let date = |d: &str| Some(HistoryValue::Date(day(d)));
    assert_eq!(changes, [(None, date("2026-01-30")), (date("2026-01-30"), date("2026-01-20"))]);

    // Reopened: no close date.
    let reopened = sales::update(&db, &w.marco, s.id, corrected.version, &dated(&w, w.marco_seller, "100", "lead", "2026-01-10", "")).await.unwrap();
    assert_eq!(reopened.closed_date, None);
});

db_test!(a_stage_move_uses_the_forms_rules, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let s = sales::create(&db, &w.marco, w.customer, &dated(&w, w.marco_seller, "100", "lead", "2026-02-01", "2026-02-28")).await.unwrap();
    // To another open stage: that stage's probability.
    let moved = sales::move_stage(&db, &w.marco, s.id, s.version, StageMove { stage: "proposal", closed_date: "", lost_reason: "", lost_note: "" })
        .await
        .unwrap();
    assert_eq!((moved.stage, moved.probability), (Stage::Proposal, 60));
    // An old version is refused with the current values; a member cannot move another's sale.
    assert!(matches!(
        sales::move_stage(&db, &w.marco, s.id, s.version, StageMove { stage: "won", closed_date: "", lost_reason: "", lost_note: "" }).await,
        Err(AppError::SaleConflict(_))
    ));
    let saras = sales::create(&db, &w.sara, w.customer, &sale(&w, w.sara_seller, "1", "5", "lead")).await.unwrap();
    assert_eq!(
        sales::move_stage(&db, &w.marco, saras.id, saras.version, StageMove { stage: "won", closed_date: "", lost_reason: "", lost_note: "" })
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    // Lost needs a reason; the close date has the form's limits.
    assert_eq!(
        sales::move_stage(&db, &w.marco, s.id, moved.version, StageMove { stage: "lost", closed_date: "2026-03-01", lost_reason: "", lost_note: "" })
            .await
            .unwrap_err(),
        AppError::invalid(Field::LostReason, Problem::Required)
    );
    assert_eq!(
        sales::move_stage(&db, &w.marco, s.id, moved.version, StageMove { stage: "won", closed_date: "2026-01-01", lost_reason: "", lost_note: "" })
            .await
            .unwrap_err(),
        AppError::invalid(Field::ClosedDate, Problem::BeforeSaleDate)
    );
    assert_eq!(
        sales::move_stage(&db, &w.marco, s.id, moved.version, StageMove { stage: "chiusa", closed_date: "", lost_reason: "", lost_note: "" })
            .await
            .unwrap_err(),
        AppError::invalid(Field::Stage, Problem::Invalid)
    );
    let lost = sales::move_stage(
        &db,
        &w.marco,
        s.id,
        moved.version,
        StageMove { stage: "lost", closed_date: "2026-03-01", lost_reason: "prezzo", lost_note: "" },
    )
    .await
    .unwrap();
    assert_eq!(
        (lost.stage, lost.probability, lost.closed_date, lost.lost_reason.map(|r| r.name)),
        (Stage::Lost, 0, Some(day("2026-03-01")), Some("Prezzo".to_string()))
    );
    // Nothing else of the sale changed.
    assert_eq!((lost.net, lost.product.id, lost.seller.id, lost.sale_date), (moved.net, moved.product.id, moved.seller.id, moved.sale_date));
});

/// Sales on both sides of a fixed today (2026-06-15): overdue, closing soon, later, won this month
/// and in June 2025, lost; marco's, his team's and sara's.
async fn season(db: &DatabaseConnection, w: &World) -> Vec<Sale> {
    let mut made = Vec::new();
    let add = |who, form: SaleForm| {
        let db = db.clone();
        async move { sales::create(&db, who, w.customer, &form).await.unwrap() }
    };
    made.push(add(&w.marco, dated(w, w.marco_seller, "100", "lead", "2026-05-01", "2026-06-01")).await); // overdue
    made.push(add(&w.marco, dated(w, w.nord, "200", "proposal", "2026-05-02", "2026-06-14")).await); // overdue (team)
    made.push(add(&w.marco, dated(w, w.marco_seller, "300", "negotiation", "2026-05-03", "2026-06-15")).await); // due today: soon
    made.push(add(&w.marco, dated(w, w.marco_seller, "400", "lead", "2026-05-04", "2026-06-29")).await); // soon (14 days)
    made.push(add(&w.marco, dated(w, w.marco_seller, "500", "lead", "2026-05-05", "2026-06-30")).await); // later
    made.push(add(&w.marco, dated(w, w.marco_seller, "600", "lead", "2026-05-06", "")).await); // no date
    made.push(add(&w.sara, dated(w, w.sara_seller, "700", "lead", "2026-05-07", "2026-06-02")).await); // sara overdue
    made.push(add(&w.sara, dated(w, w.sud, "800", "proposal", "2026-05-08", "2026-06-20")).await); // sara soon
    let won = |seller, price, sale_date: &str, closed: &str| SaleForm { closed_date: closed.into(), ..dated(w, seller, price, "won", sale_date, "") };
    made.push(add(&w.marco, won(w.marco_seller, "1000", "2026-05-10", "2026-06-03")).await);
    made.push(add(&w.marco, won(w.nord, "2000", "2026-06-01", "2026-06-10")).await);
    made.push(add(&w.sara, won(w.sara_seller, "4000", "2026-06-01", "2026-06-11")).await);
    made.push(add(&w.marco, won(w.marco_seller, "50", "2025-06-01", "2025-06-20")).await); // June 2025
    made.push(add(&w.marco, won(w.marco_seller, "70", "2026-04-01", "2026-05-31")).await); // May: not this month
    let lost =
        SaleForm { lost_reason: "prezzo".into(), closed_date: "2026-06-05".into(), ..dated(w, w.marco_seller, "900", "lost", "2026-05-01", "") };
    made.push(add(&w.marco, lost).await);
    made
}

db_test!(the_home_page_equals_a_fold_over_the_rows_the_user_may_see, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let all = season(&db, &w).await;
    let today = day("2026-06-15");
    for (who, sellers) in [(&w.marco, vec![w.marco_seller, w.nord]), (&w.manager, vec![w.marco_seller, w.nord, w.sara_seller, w.sud])] {
        let home = desk::home(&db, who, today).await.unwrap();
        let mine: Vec<&Sale> = all.iter().filter(|s| sellers.contains(&s.seller.id)).collect();
        // The fold, written out: the report month of each sale, sums in i128.
        let sum = |keep: &dyn Fn(&Sale) -> bool| -> Money { Money(mine.iter().filter(|s| keep(s)).map(|s| s.net.0 as i128).sum::<i128>() as i64) };
        let month = |s: &Sale| report_month(s.stage, s.sale_date, s.expected_close, s.closed_date);
        assert_eq!(home.won_month, sum(&|s| s.stage == Stage::Won && month(s) == Month::new(2026, 6)));
        assert_eq!(home.won_last_year, sum(&|s| s.stage == Stage::Won && month(s) == Month::new(2025, 6)));
        assert_eq!(home.pipeline, sum(&|s| s.stage.is_open()));
        let weighted: i128 = mine.iter().filter(|s| s.stage.is_open()).map(|s| s.net.0 as i128 * s.probability as i128).sum();
        assert_eq!(home.weighted, Money::from_weighted(weighted));
        let overdue: Vec<SaleId> = {
            let mut v: Vec<&&Sale> = mine.iter().filter(|s| s.stage.is_open() && s.expected_close.is_some_and(|d| d < today)).collect();
            v.sort_by_key(|s| (s.expected_close, s.id));
            v.into_iter().map(|s| s.id).collect()
        };
        assert_eq!(home.overdue.iter().map(|s| s.id).collect::<Vec<_>>(), overdue);
        assert_eq!(home.overdue_count, overdue.len() as u64);
        let soon: Vec<NaiveDate> = home.closing_soon.iter().filter_map(|s| s.expected_close).collect();
        let expected: Vec<NaiveDate> = {
            let mut v: Vec<NaiveDate> = mine
                .iter()
                .filter(|s| s.stage.is_open())
                .filter_map(|s| s.expected_close)
                .filter(|d| *d >= today && *d <= day("2026-06-29"))
                .collect();
            v.sort();
            v
        };
        assert_eq!(soon, expected);
        assert!(home.recent.iter().all(|s| mine.iter().any(|m| m.id == s.id)), "nobody else's sale in his latest");
    }
    // Marco's figures, by hand: won 1 000 + 2 000 this month against 50; overdue: two of his.
    let marco = desk::home(&db, &w.marco, today).await.unwrap();
    assert_eq!((marco.won_month, marco.won_month_count, marco.won_last_year), (Money(300_000), 2, Money(5_000)));
    assert_eq!(marco.overdue_count, 2);
    assert!(!marco.team && marco.sellers.is_empty() && marco.wizard.is_none(), "no team rows for a member");
    // The manager's seller rows add up to the team.
    let team = desk::home(&db, &w.manager, today).await.unwrap();
    assert!(team.team);
    let row = |id: SellerId| team.sellers.iter().find(|s| s.id == id).unwrap().clone();
    assert_eq!((row(w.sara_seller).won_month, row(w.sara_seller).overdue), (Money(400_000), 1));
    assert_eq!(team.sellers.iter().map(|s| s.overdue).sum::<u64>(), team.overdue_count);
    assert_eq!(Money(team.sellers.iter().map(|s| s.pipeline.0).sum()), team.pipeline);
    assert_eq!(Money(team.sellers.iter().map(|s| s.won_month.0).sum()), team.won_month);
});

db_test!(the_sales_list_filters_sorts_pages_and_totals_what_the_user_may_see, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let all = season(&db, &w).await;
    let today = day("2026-06-15");
    let list = |who, filter: SalesFilter, after: Option<String>| {
        let db = db.clone();
        async move { desk::list(&db, who, &filter, after.as_deref(), today).await }
    };
    // A member: only his own and his team's sales, and totals over just those.
    let marco = list(&w.marco, SalesFilter::default(), None).await.unwrap();
    let mine: Vec<&Sale> = all.iter().filter(|s| [w.marco_seller, w.nord].contains(&s.seller.id)).collect();
    assert_eq!(marco.totals.count, mine.len() as u64);
    assert_eq!(marco.totals.net, Money(mine.iter().map(|s| s.net.0).sum()));
    assert!(marco.rows.iter().all(|r| r.seller != "sara name" && r.seller != "Team Sud"));
    // Newest first: sale dates never increase.
    assert!(marco.rows.windows(2).all(|p| (p[0].sale_date, p[0].id) > (p[1].sale_date, p[1].id)));
    // A member asking for sara's seller gets none of her sales.
    let sneaky = list(&w.marco, SalesFilter { seller: w.sara_seller.0.to_string(), ..Default::default() }, None).await.unwrap();
    assert_eq!(sneaky.totals.count, 0);

    // Filters: overdue, stage, expected-close range, text (contact, product, notes).
    let overdue = list(&w.manager, SalesFilter { overdue: "1".into(), ..Default::default() }, None).await.unwrap();
    assert_eq!(overdue.totals.count, 3);
    assert!(overdue.rows.iter().all(|r| r.stage.is_open() && r.expected_close.is_some_and(|d| d < today)));
    let won = list(&w.manager, SalesFilter { stage: "won".into(), ..Default::default() }, None).await.unwrap();
    assert_eq!(won.totals.count, 5);
    assert_eq!(won.totals.weighted, won.totals.net, "won counts whole in the weighted total");
    let open_june = SalesFilter { stage: "open".into(), close_from: "2026-06-01".into(), close_to: "2026-06-30".into(), ..Default::default() };
    assert_eq!(list(&w.manager, open_june, None).await.unwrap().totals.count, 7);
    let by_product = list(&w.manager, SalesFilter { q: "prodotto p1".into(), ..Default::default() }, None).await.unwrap();
    assert_eq!(by_product.totals.count, all.len() as u64);
    assert_eq!(list(&w.manager, SalesFilter { q: "ROSSI".into(), ..Default::default() }, None).await.unwrap().totals.count, all.len() as u64);
    assert_eq!(list(&w.manager, SalesFilter { q: "nessuno".into(), ..Default::default() }, None).await.unwrap().totals.count, 0);
    assert_eq!(
        list(&w.manager, SalesFilter { q: "100%_".into(), ..Default::default() }, None).await.unwrap().totals.count,
        0,
        "wildcards are literal"
    );

    // A category takes its sub-categories' products along.
    let hardware = app::catalog::ssr::create_category(&db, &w.manager, "Hardware", None).await.unwrap();
    let notebook = app::catalog::ssr::create_category(&db, &w.manager, "Notebook", Some(hardware.id)).await.unwrap();
    let form = app::catalog::ProductForm {
        code: "NB1".into(),
        name: "Notebook".into(),
        category: notebook.id.0.to_string(),
        unit: "pz".into(),
        list_price: "900".into(),
        vat_rate: "22".into(),
        ..Default::default()
    };
    let nb = app::catalog::ssr::create_product(&db, &w.manager, &form).await.unwrap();
    sales::create(
        &db,
        &w.marco,
        w.customer,
        &SaleForm { product: nb.id.0.to_string(), ..dated(&w, w.marco_seller, "900", "lead", "2026-05-01", "") },
    )
    .await
    .unwrap();
    let in_hardware = list(&w.manager, SalesFilter { category: hardware.id.0.to_string(), ..Default::default() }, None).await.unwrap();
    assert_eq!((in_hardware.totals.count, in_hardware.rows[0].product.as_str()), (1, "NB1 Notebook"));

    // Sorted by net, both ways; by expected close with the undated last.
    let by_net = list(&w.manager, SalesFilter { sort: "-net".into(), ..Default::default() }, None).await.unwrap();
    assert_eq!(by_net.rows[0].net, Money(400_000));
    let closing = list(&w.manager, SalesFilter { stage: "open".into(), sort: "close".into(), ..Default::default() }, None).await.unwrap();
    assert_eq!(closing.rows.last().unwrap().expected_close, None);
    assert_eq!(closing.rows[0].expected_close, Some(day("2026-06-01")));

    // Bad input: a clear refusal, never a silent "everything".
    let refused = |f: SalesFilter| {
        let db = db.clone();
        let manager = w.manager.clone();
        async move { desk::list(&db, &manager, &f, None, today).await.unwrap_err() }
    };
    assert_eq!(refused(SalesFilter { stage: "chiusa".into(), ..Default::default() }).await, AppError::invalid(Field::Stage, Problem::Invalid));
    assert_eq!(refused(SalesFilter { from: "31/13/2026".into(), ..Default::default() }).await, AppError::invalid(Field::SaleDate, Problem::BadDate));
    assert_eq!(refused(SalesFilter { seller: "1 OR 1=1".into(), ..Default::default() }).await, AppError::invalid(Field::Seller, Problem::Invalid));
    assert_eq!(refused(SalesFilter { q: "x".repeat(101), ..Default::default() }).await, AppError::invalid(Field::Name, Problem::TooLong));
    assert!(matches!(refused(SalesFilter { sort: "drop".into(), ..Default::default() }).await, AppError::BadRequest(_)));
    let cursor = desk::list(&db, &w.manager, &SalesFilter::default(), Some("-net~1~1"), today).await.unwrap_err();
    assert!(matches!(cursor, AppError::BadRequest(_)), "a cursor of another sort");
});

db_test!(the_sales_list_pages_by_keyset_without_gaps_or_repeats, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let n = SALES_LIST_PAGE as usize * 2 + 7;
    for i in 0..n {
        // Many sales on the same day and amount: the id breaks the ties.
        let form = dated(&w, w.marco_seller, ["10", "20", "30"][i % 3], "lead", ["2026-03-01", "2026-03-02"][i % 2], "2026-07-01");
        sales::create(&db, &w.marco, w.customer, &form).await.unwrap();
    }
    for sort in ["-date", "date", "close", "-close", "-net", "net"] {
        let filter = SalesFilter { sort: sort.into(), ..Default::default() };
        let mut seen: Vec<SaleId> = Vec::new();
        let mut after: Option<String> = None;
        let mut pages = 0;
        loop {
            let page = desk::list(&db, &w.marco, &filter, after.as_deref(), day("2026-06-15")).await.unwrap();
            assert_eq!(page.totals.count, n as u64, "the totals cover every page");
            seen.extend(page.rows.iter().map(|r| r.id));
            pages += 1;
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        assert_eq!(pages, 3, "{sort}");
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!((seen.len(), unique.len()), (n, n), "{sort}: every sale once");
    }
});

db_test!(the_board_has_a_column_per_stage_with_this_months_won_and_lost, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    season(&db, &w).await;
    let today = day("2026-06-15");
    let columns = |who: app::auth::CurrentUser, filter: SalesFilter| {
        let db = db.clone();
        async move {
            desk::board(&db, &who, &filter, today)
                .await
                .unwrap()
                .columns
                .into_iter()
                .map(|c| (c.stage, c.totals.count, c.cards.iter().map(|s| s.net.0 / 100).collect::<Vec<_>>()))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        columns(w.manager.clone(), SalesFilter::default()).await,
        [
            (Stage::Lead, 5, vec![100, 700, 400, 500, 600]),
            (Stage::Negotiation, 1, vec![300]),
            (Stage::Proposal, 2, vec![200, 800]),
            (Stage::Won, 3, vec![1000, 2000, 4000]),
            (Stage::Lost, 1, vec![900]),
        ],
        "soonest expected close first, undated last; won and lost of June 2026 only"
    );
    // A member's board holds his own sellers' cards only, and the filter applies.
    assert_eq!(
        columns(w.marco.clone(), SalesFilter::default()).await,
        [
            (Stage::Lead, 4, vec![100, 400, 500, 600]),
            (Stage::Negotiation, 1, vec![300]),
            (Stage::Proposal, 1, vec![200]),
            (Stage::Won, 2, vec![1000, 2000]),
            (Stage::Lost, 1, vec![900]),
        ]
    );
    let overdue = columns(w.marco.clone(), SalesFilter { overdue: "1".into(), ..Default::default() }).await;
    assert_eq!(overdue.iter().map(|c| c.1).collect::<Vec<_>>(), [1, 0, 1, 0, 0]);
});
