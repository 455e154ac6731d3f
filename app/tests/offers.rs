//! Offers on SQLite and PostgreSQL: totals, numbering, the lines as sales, answers, roles.

mod common;

use app::auth::scope::SellerScope;
use app::error::{AppError, Field, Problem};
use app::figures::cells;
use app::money::{Money, Percent};
use app::offers::ssr::{self as offers, Answer};
use app::offers::{LineKind, OfferForm, OfferLineForm, OfferNumber, OfferState};
use app::sales::SaleForm;
use app::sales::ssr as sales;
use app::sales::{SaleId, Stage};
use app::sellers::SellerId;
use chrono::{Datelike, Utc};
use common::world::{World, world};
use sea_orm::DatabaseConnection;

fn product_line(w: &World, quantity: &str, price: &str, discount: &str) -> OfferLineForm {
    OfferLineForm {
        kind: "product".into(),
        product: w.product.to_string(),
        quantity: quantity.into(),
        unit_price: price.into(),
        discount: discount.into(),
        ..Default::default()
    }
}

/// Three lines under a section: a product at 3 × 19,99 less 10+5 %, a product at the list price,
/// a free text line at 10 % VAT, and a note.
fn offer_form(w: &World, seller: SellerId) -> OfferForm {
    OfferForm {
        seller: seller.0.to_string(),
        language: "it".into(),
        offer_date: "2026-03-01".into(),
        payment_terms: "Bonifico 30 gg d.f.".into(),
        lines: vec![
            OfferLineForm { kind: "section".into(), description: "Fornitura".into(), ..Default::default() },
            product_line(w, "3", "19,99", "10+5"),
            product_line(w, "2", "", ""),
            OfferLineForm {
                kind: "text".into(),
                description: "Installazione".into(),
                quantity: "1".into(),
                unit: "h".into(),
                unit_price: "40".into(),
                vat_rate: "10".into(),
                ..Default::default()
            },
            OfferLineForm { kind: "note".into(), description: "Consegna a cura del cliente".into(), ..Default::default() },
        ],
        ..Default::default()
    }
}

/// The filter of the customer's Vendita tab.
fn of_contact(w: &World) -> app::offers::OffersFilter {
    app::offers::OffersFilter { contact: w.customer.0.to_string(), ..Default::default() }
}

/// The offers' results as the report pages fold them from the data set's cells.
async fn offer_report(
    db: &DatabaseConnection,
    scope: &SellerScope,
    from: app::figures::Month,
    to: app::figures::Month,
    seller: Option<SellerId>,
) -> app::offers::OfferReport {
    let cells = offers::cells(db, scope).await.unwrap();
    app::offers::results(&cells, |id| format!("seller {}", id.0), from, to, seller, "EUR")
}

async fn assert_cells_match_the_sales(db: &DatabaseConnection) {
    assert_eq!(cells::stored(db).await.unwrap(), cells::grouped(db).await.unwrap(), "report cells equal the sales grouped afresh");
}

db_test!(a_draft_has_its_totals_computed_and_no_number, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let offer = offers::create(&db, &w.manager, w.customer, &offer_form(&w, w.marco_seller)).await.unwrap();
    assert_eq!(offer.state, OfferState::Draft);
    assert_eq!(offer.number, None);
    assert_eq!(offer.valid_until.to_string(), "2026-03-31", "30 days by default");
    let kinds: Vec<LineKind> = offer.lines.iter().map(|l| l.kind).collect();
    assert_eq!(kinds, [LineKind::Section, LineKind::Product, LineKind::Product, LineKind::Text, LineKind::Note]);
    // 3 × 19,99 = 59,97 less 14,5 % = 51,27; 2 × 19,99 = 39,98 (the list price); 40,00 at 10 %.
    let nets: Vec<Money> = offer.lines.iter().map(|l| l.net).collect();
    assert_eq!(nets, [Money(0), Money(5127), Money(3998), Money(4000), Money(0)]);
    assert_eq!(offer.lines[1].discount.effective(), Percent(1450));
    assert_eq!(offer.lines[2].description, "Prodotto P1", "a product line takes the product's name");
    let t = &offer.totals;
    assert_eq!(t.vat_rows.len(), 2);
    assert_eq!((t.vat_rows[0].rate, t.vat_rows[0].taxable, t.vat_rows[0].vat), (Percent(1000), Money(4000), Money(400)));
    // 91,25 at 22 % = 20,075 → 20,08 (rounded once on the rate's taxable).
    assert_eq!((t.vat_rows[1].rate, t.vat_rows[1].taxable, t.vat_rows[1].vat), (Percent(2200), Money(9125), Money(2008)));
    assert_eq!((t.taxable, t.vat, t.total), (Money(13125), Money(2408), Money(15533)));
    // A draft writes no sale.
    let tab = sales::list_for_contact(&db, &w.manager, w.customer, None).await.unwrap();
    assert!(tab.sales.is_empty());
});

db_test!(a_careless_form_is_refused_on_its_line_and_nothing_is_written, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let mut form = offer_form(&w, w.marco_seller);
    form.lines[3].unit_price = "-1".into();
    let err = offers::create(&db, &w.manager, w.customer, &form).await.unwrap_err();
    assert_eq!(err, AppError::InvalidLine { line: 4, field: Field::UnitPrice, problem: Problem::Negative });
    form.lines[3].unit_price = "40".into();
    form.lines[1].discount = "10+5+1+1+1+1".into();
    assert_eq!(
        offers::create(&db, &w.manager, w.customer, &form).await.unwrap_err(),
        AppError::InvalidLine { line: 2, field: Field::Discount, problem: Problem::TooMany }
    );
    form.lines[1].discount = "110".into();
    assert!(matches!(offers::create(&db, &w.manager, w.customer, &form).await.unwrap_err(), AppError::InvalidLine { line: 2, .. }));
    form.lines[1].discount = String::new();
    form.lines[1].product = w.inactive_product.to_string();
    assert!(matches!(
        offers::create(&db, &w.manager, w.customer, &form).await.unwrap_err(),
        AppError::InvalidLine { line: 2, field: Field::Product, .. }
    ));
    form.lines[1].product = w.product.to_string();
    form.valid_until = "2026-02-01".into();
    assert_eq!(offers::create(&db, &w.manager, w.customer, &form).await.unwrap_err(), AppError::invalid(Field::ValidUntil, Problem::BeforeOfferDate));
    form.valid_until = String::new();
    form.lines = vec![OfferLineForm { kind: "note".into(), description: "x".into(), ..Default::default() }; app::offers::MAX_LINES + 1];
    assert_eq!(offers::create(&db, &w.manager, w.customer, &form).await.unwrap_err(), AppError::invalid(Field::Lines, Problem::TooManyLines));
    form.lines = vec![OfferLineForm { kind: "section".into(), description: "x".repeat(2001), ..Default::default() }];
    assert_eq!(
        offers::create(&db, &w.manager, w.customer, &form).await.unwrap_err(),
        AppError::InvalidLine { line: 1, field: Field::Description, problem: Problem::TooLong }
    );
    assert_eq!(offers::list(&db, &w.manager, &of_contact(&w), None).await.unwrap().count, 0);
});

db_test!(sending_numbers_the_offer_and_writes_its_product_lines_as_sales, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let mut form = offer_form(&w, w.marco_seller);
    form.valid_until = "31/12/2099".into();
    let draft = offers::create(&db, &w.manager, w.customer, &form).await.unwrap();
    let sent = offers::send(&db, &w.manager, draft.id, draft.version, None).await.unwrap();
    let year = Utc::now().year();
    assert_eq!(sent.state, OfferState::Sent);
    assert_eq!(sent.number, Some(OfferNumber { year, number: 1, revision: 1 }));
    assert_eq!(sent.number.unwrap().label(), format!("{year}/0001"));
    // Sending it again is refused, and takes no number (the next offer gets 2, below).
    assert_eq!(offers::send(&db, &w.manager, draft.id, draft.version, None).await.unwrap_err(), AppError::OfferNotDraft);
    // One sale per product line, in stage proposal, carrying the line's net to the cent.
    let tab = sales::list_for_contact(&db, &w.manager, w.customer, None).await.unwrap();
    let mut nets: Vec<Money> = tab.sales.iter().map(|s| s.net).collect();
    nets.sort();
    assert_eq!(nets, [Money(3998), Money(5127)]);
    assert!(tab.sales.iter().all(|s| s.stage == Stage::Proposal && s.seller.id == w.marco_seller));
    assert!(tab.sales.iter().all(|s| s.expected_close == Some(sent.valid_until)));
    assert_eq!(tab.totals.open, Money(9125), "the pipeline counts the offer's product lines once");
    assert_cells_match_the_sales(&db).await;
    // The history of each line names the offer.
    let history = sales::history(&db, &w.manager, tab.sales[0].id).await.unwrap();
    assert!(history.iter().any(|h| h.new.as_ref().is_some_and(|v| v.text(app::i18n::Lang::It) == format!("{year}/0001"))), "{history:?}");
    // A second offer takes the next number.
    let other = offers::create(&db, &w.manager, w.customer, &offer_form(&w, w.sara_seller)).await.unwrap();
    let other = offers::send(&db, &w.manager, other.id, other.version, None).await.unwrap();
    assert_eq!(other.number.map(|n| n.number), Some(2));
    // Sent, and valid only until 31 March 2026: it reads as expired.
    assert_eq!(other.state, OfferState::Expired);
    // A sent offer is frozen, and so are its sales.
    assert_eq!(offers::update(&db, &w.manager, sent.id, sent.version, &offer_form(&w, w.marco_seller)).await.unwrap_err(), AppError::OfferNotDraft);
    let sale = &tab.sales[0];
    let err = sales::update(&db, &w.manager, sale.id, sale.version, &SaleForm::of(sale)).await.unwrap_err();
    assert_eq!(err, AppError::SaleOnOffer { offer: format!("{year}/0001") });
    assert_eq!(sales::delete(&db, &w.manager, sale.id, sale.version).await.unwrap_err(), AppError::SaleOnOffer { offer: format!("{year}/0001") });
    assert_eq!(offers::delete(&db, &w.manager, sent.id, sent.version).await.unwrap_err(), AppError::OfferNotDraft);
});

db_test!(what_the_customer_received_stays_as_it_was_sent, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let draft = offers::create(&db, &w.manager, w.customer, &offer_form(&w, w.marco_seller)).await.unwrap();
    let sent = offers::send(&db, &w.manager, draft.id, draft.version, None).await.unwrap();
    // The product is renamed and repriced afterwards.
    use sea_orm::ConnectionTrait;
    db.execute_unprepared("UPDATE products SET name = 'Rinominato', list_price_cents = 1").await.unwrap();
    let kept = offers::sent_revisions(&db, &w.manager, sent.id).await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].revision, 1);
    assert_eq!(kept[0].sent_by, "giulia name");
    assert_eq!(kept[0].offer.lines[2].description, "Prodotto P1");
    assert_eq!(kept[0].offer.totals, sent.totals);
    assert_eq!(kept[0].offer.number, sent.number);
});

db_test!(accepting_wins_the_lines_and_rejecting_loses_them_with_a_reason, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let a = offers::create(&db, &w.manager, w.customer, &offer_form(&w, w.marco_seller)).await.unwrap();
    let a = offers::send(&db, &w.manager, a.id, a.version, None).await.unwrap();
    let b = offers::create(&db, &w.manager, w.customer, &offer_form(&w, w.marco_seller)).await.unwrap();
    let b = offers::send(&db, &w.manager, b.id, b.version, None).await.unwrap();
    // A draft cannot be answered; an answer before the offer's date is refused.
    let draft = offers::create(&db, &w.manager, w.customer, &offer_form(&w, w.marco_seller)).await.unwrap();
    assert_eq!(offers::answer(&db, &w.manager, draft.id, draft.version, Answer::Accepted { on: "" }).await.unwrap_err(), AppError::OfferNotSent);
    assert_eq!(
        offers::answer(&db, &w.manager, a.id, a.version, Answer::Accepted { on: "2026-02-01" }).await.unwrap_err(),
        AppError::invalid(Field::ClosedDate, Problem::BeforeSaleDate)
    );
    let accepted = offers::answer(&db, &w.manager, a.id, a.version, Answer::Accepted { on: "2026-03-10" }).await.unwrap();
    assert_eq!(accepted.state, OfferState::Accepted);
    assert_eq!(accepted.decided_on.map(|d| d.to_string()).as_deref(), Some("2026-03-10"));
    assert_eq!(offers::answer(&db, &w.manager, a.id, accepted.version, Answer::Accepted { on: "" }).await.unwrap_err(), AppError::OfferNotSent);
    // A rejection needs a reason.
    assert_eq!(
        offers::answer(&db, &w.manager, b.id, b.version, Answer::Rejected { on: "", reason: "", note: "" }).await.unwrap_err(),
        AppError::invalid(Field::LostReason, Problem::Required)
    );
    let reason = app::config::ssr::lost_reasons::ordered(&db).await.unwrap().remove(0);
    let rejected =
        offers::answer(&db, &w.manager, b.id, b.version, Answer::Rejected { on: "2026-03-12", reason: &reason.id.to_string(), note: "troppo caro" })
            .await
            .unwrap();
    assert_eq!(rejected.state, OfferState::Rejected);
    assert_eq!(rejected.lost_reason.as_deref(), Some(reason.name.as_str()));
    let sale_of = |offer: &app::offers::Offer, i: usize| offer.lines[i].sale.unwrap();
    let won = sales::get(&db, &w.manager, sale_of(&accepted, 1)).await.unwrap();
    assert_eq!((won.stage, won.probability, won.closed_date.map(|d| d.to_string())), (Stage::Won, 100, Some("2026-03-10".into())));
    let lost = sales::get(&db, &w.manager, sale_of(&rejected, 2)).await.unwrap();
    assert_eq!((lost.stage, lost.probability), (Stage::Lost, 0));
    assert_eq!(lost.lost_note.as_deref(), Some("troppo caro"));
    let totals = sales::totals(&db, w.customer, &SellerScope::All).await.unwrap();
    assert_eq!((totals.won, totals.won_count, totals.open, totals.lost_count), (Money(9125), 2, Money(0), 2));
    assert_cells_match_the_sales(&db).await;
    // Decided, its sales are ordinary sales again.
    let won: app::sales::Sale = sales::get(&db, &w.manager, SaleId(won.id.0)).await.unwrap();
    let mut form = SaleForm::of(&won);
    form.notes = "consegnato".into();
    sales::update(&db, &w.manager, won.id, won.version, &form).await.unwrap();
});

db_test!(a_member_writes_offers_only_for_his_own_sellers, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    // Marco (Team Nord) writing for Sara's seller: refused, nothing written.
    assert_eq!(offers::create(&db, &w.marco, w.customer, &offer_form(&w, w.sara_seller)).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(offers::create(&db, &w.marco, w.customer, &offer_form(&w, w.sud)).await.unwrap_err(), AppError::Forbidden);
    let own = offers::create(&db, &w.marco, w.customer, &offer_form(&w, w.nord)).await.unwrap();
    let saras = offers::create(&db, &w.sara, w.customer, &offer_form(&w, w.sara_seller)).await.unwrap();
    // He neither reads, sends, changes nor deletes Sara's, nor moves his own to her.
    assert_eq!(offers::get(&db, &w.marco, saras.id).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(offers::send(&db, &w.marco, saras.id, saras.version, None).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(offers::update(&db, &w.marco, saras.id, saras.version, &offer_form(&w, w.nord)).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(offers::delete(&db, &w.marco, saras.id, saras.version).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(offers::update(&db, &w.marco, own.id, own.version, &offer_form(&w, w.sara_seller)).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(offers::sent_revisions(&db, &w.marco, saras.id).await.unwrap_err(), AppError::Forbidden);
    let listed: Vec<_> = offers::list(&db, &w.marco, &of_contact(&w), None).await.unwrap().rows.into_iter().map(|o| o.id).collect();
    assert_eq!(listed, [own.id]);
    assert_eq!(offers::list(&db, &w.manager, &of_contact(&w), None).await.unwrap().count, 2);
    // The list shows him his own only, with their count and taxable.
    let page = offers::list(&db, &w.marco, &Default::default(), None).await.unwrap();
    assert_eq!((page.count, page.rows.iter().map(|r| r.id).collect::<Vec<_>>()), (1, vec![own.id]));
    assert_eq!(page.taxable, own.totals.taxable);
    let all = offers::list(&db, &w.manager, &Default::default(), None).await.unwrap();
    assert_eq!((all.count, all.taxable), (2, Money(own.totals.taxable.0 + saras.totals.taxable.0)));
    let sara_only = app::offers::OffersFilter { seller: w.sara_seller.0.to_string(), ..Default::default() };
    assert_eq!(offers::list(&db, &w.marco, &sara_only, None).await.unwrap().count, 0, "another seller's filter shows him nothing");
    let drafts = app::offers::OffersFilter { state: "draft".into(), q: "ROSSI".into(), ..Default::default() };
    assert_eq!(offers::list(&db, &w.manager, &drafts, None).await.unwrap().count, 2);
    let nobody = app::offers::OffersFilter { q: "100%_\\".into(), ..Default::default() };
    assert_eq!(offers::list(&db, &w.manager, &nobody, None).await.unwrap().count, 0);
    let bad = app::offers::OffersFilter { state: "nonsense".into(), ..Default::default() };
    assert!(matches!(offers::list(&db, &w.manager, &bad, None).await.unwrap_err(), AppError::BadRequest(_)));
    // His own he sends and answers.
    let sent = offers::send(&db, &w.marco, own.id, own.version, None).await.unwrap();
    offers::answer(&db, &w.marco, sent.id, sent.version, Answer::Accepted { on: "" }).await.unwrap();
});

db_test!(an_offer_without_a_priced_line_is_not_sent, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let mut form = offer_form(&w, w.marco_seller);
    form.lines.retain(|l| l.kind == "section" || l.kind == "note");
    let draft = offers::create(&db, &w.manager, w.customer, &form).await.unwrap();
    assert_eq!(offers::send(&db, &w.manager, draft.id, draft.version, None).await.unwrap_err(), AppError::OfferEmpty);
    let again = offers::get(&db, &w.manager, draft.id).await.unwrap();
    assert_eq!((again.state, again.number), (OfferState::Draft, None), "nothing half done");
});

/// Twenty sends at once from two server processes' pools on one PostgreSQL database: twenty
/// numbers, no duplicate, no gap.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_sends_at_once_from_two_processes_take_twenty_numbers() {
    let (db, name) = common::postgres().await;
    let _drop = common::DropDatabase(name.clone());
    let w = world(&db).await;
    let other = app::db::connect(&format!("{}/{name}", common::pg_server())).await.unwrap();
    let mut drafts = Vec::new();
    for _ in 0..20 {
        drafts.push(offers::create(&db, &w.manager, w.customer, &offer_form(&w, w.marco_seller)).await.unwrap());
    }
    let sends = drafts.iter().enumerate().map(|(i, d)| {
        let pool = if i % 2 == 0 { db.clone() } else { other.clone() };
        let (actor, id, version) = (w.manager.clone(), d.id, d.version);
        tokio::spawn(async move { offers::send(&pool, &actor, id, version, None).await })
    });
    let mut numbers: Vec<i32> = Vec::new();
    for send in sends.collect::<Vec<_>>() {
        numbers.push(send.await.unwrap().unwrap().number.unwrap().number);
    }
    numbers.sort();
    assert_eq!(numbers, (1..=20).collect::<Vec<_>>());
    assert_cells_match_the_sales(&db).await;
    other.close().await.ok();
    db.close().await.ok();
}

// The PDF read back by poppler's `pdftotext`: the customer, every line, the totals, the terms,
// page numbers; 200 lines take five pages or more, each repeating the table's header.
db_test!(the_pdf_holds_the_customer_every_line_and_the_totals, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let mut form = offer_form(&w, w.marco_seller);
    form.lines[4].description = "Consegna à domicilio: è inclusa, perché è così".into();
    let draft = offers::create(&db, &w.manager, w.customer, &form).await.unwrap();
    let sent = offers::send(&db, &w.manager, draft.id, draft.version, None).await.unwrap();
    let company = app::config::company::CompanyForm { name: "Ferri Forniture Srl".into(), vat_number: "IT01234560157".into(), ..Default::default() };
    app::config::company::ssr::set(&db, &w.manager, 1, &company).await.unwrap();
    let offer = offers::as_sent(&db, &w.manager, sent.id).await.unwrap();
    let letterhead = offers::letterhead(&db, offer.language).await.unwrap();
    let text = pdf_text(&app::offers::pdf::draw(&offer, &letterhead).unwrap());
    let year = Utc::now().year();
    for expected in [
        "Ferri Forniture Srl".to_string(),
        "P.IVA IT01234560157".into(),
        "Rossi Srl".into(),
        format!("Offerta n. {year}/0001"),
        "Fornitura".into(),
        "P1 Prodotto P1".into(),
        "10+5%".into(),
        "€ 51,27".into(),
        "€ 39,98".into(),
        "Installazione".into(),
        "€ 40,00".into(),
        "Consegna à domicilio: è inclusa, perché è così".into(),
        "€ 131,25".into(),
        "€ 24,08".into(),
        "€ 155,33".into(),
        "Bonifico 30 gg d.f.".into(),
        "Per accettazione".into(),
        "Pagina 1 di 1".into(),
    ] {
        assert!(text.contains(&expected), "{expected:?} not in the PDF's text:\n{text}");
    }

    // Two hundred lines: the header on every page, "Pagina n di N" on each.
    let mut long = offer_form(&w, w.marco_seller);
    long.lines = (0..200).map(|i| product_line(&w, &format!("{}", i + 1), "10", "")).collect();
    let long = offers::create(&db, &w.manager, w.customer, &long).await.unwrap();
    let bytes = app::offers::pdf::draw(&long, &letterhead).unwrap();
    let pages: Vec<String> = pdf_text(&bytes).split('\u{c}').filter(|p| !p.trim().is_empty()).map(str::to_string).collect();
    assert!(pages.len() >= 5, "{} pages", pages.len());
    for (i, page) in pages.iter().enumerate() {
        assert!(page.contains("Importo") && page.contains("Descrizione"), "page {} repeats the table's header", i + 1);
        assert!(page.contains(&format!("Pagina {} di {}", i + 1, pages.len())), "page {} is numbered", i + 1);
    }
    assert!(bytes.len() < 2_000_000, "{} bytes", bytes.len());
});

db_test!(the_customers_link_accepts_once_and_then_opens_nothing, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let mut form = offer_form(&w, w.marco_seller);
    form.valid_until = "31/12/2099".into();
    form.online_acceptance = true;
    let draft = offers::create(&db, &w.manager, w.customer, &form).await.unwrap();
    assert_eq!(draft.accept_token, None, "a draft has no link");
    let sent = offers::send(&db, &w.manager, draft.id, draft.version, None).await.unwrap();
    let token = sent.accept_token.clone().expect("a link is made when sent");
    assert_eq!(token.len(), 64);
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    let shown = offers::open_link(&db, &token, "10.0.0.1").await.unwrap();
    assert_eq!((shown.offer.number, shown.offer.customer.name.as_str()), (sent.number, "Rossi Srl"));
    assert_eq!(shown.offer.accept_token, None, "the document shown is the one sent, without its link");
    // An empty or endless name is refused; nothing changes.
    let err = offers::accept_link(&db, &token, "  ", "10.0.0.1").await.unwrap_err();
    assert_eq!(err, AppError::invalid(Field::Name, Problem::Required));
    assert!(matches!(offers::accept_link(&db, &token, &"x".repeat(101), "10.0.0.1").await.unwrap_err(), AppError::Invalid { .. }));
    assert_eq!(offers::get(&db, &w.manager, sent.id).await.unwrap().state, OfferState::Sent);
    let accepted = offers::accept_link(&db, &token, "  Mario   Rossi ", "10.0.0.1").await.unwrap();
    assert_eq!(accepted.signed.as_ref().map(|s| s.name.as_str()), Some("Mario Rossi"));
    let offer = offers::get(&db, &w.manager, sent.id).await.unwrap();
    assert_eq!(offer.state, OfferState::Accepted);
    assert_eq!(offer.decided_on, Some(Utc::now().date_naive()));
    assert_eq!(offer.accept_token, None, "the link dies with the answer");
    let signed = offer.signed.expect("the acceptance is recorded");
    assert_eq!((signed.name.as_str(), signed.address.as_str()), ("Mario Rossi", "10.0.0.1"));
    let tab = sales::list_for_contact(&db, &w.manager, w.customer, None).await.unwrap();
    assert_eq!(tab.sales.len(), 2);
    assert!(tab.sales.iter().all(|s| s.stage == Stage::Won), "the lines are won");
    assert_cells_match_the_sales(&db).await;
    // Accepted: the link opens nothing, and accepting again changes nothing.
    assert_eq!(offers::open_link(&db, &token, "10.0.0.1").await.unwrap_err(), AppError::NotFound);
    assert_eq!(offers::accept_link(&db, &token, "Mario Rossi", "10.0.0.1").await.unwrap_err(), AppError::NotFound);
    // The home page of the seller's member shows the answer with the signer.
    let answers = offers::recent_answers(&db, &SellerScope::All, Utc::now().date_naive(), 10).await.unwrap();
    assert_eq!(answers.iter().find(|r| r.id == sent.id).and_then(|r| r.signed_by.clone()).as_deref(), Some("Mario Rossi"));
});

db_test!(a_revised_or_expired_offer_kills_its_link_and_guessing_is_stopped, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let mut form = offer_form(&w, w.marco_seller);
    form.valid_until = "31/12/2099".into();
    // Without online acceptance there is no link.
    let plain = offers::create(&db, &w.manager, w.customer, &form).await.unwrap();
    assert_eq!(offers::send(&db, &w.manager, plain.id, plain.version, None).await.unwrap().accept_token, None);
    form.online_acceptance = true;
    let draft = offers::create(&db, &w.manager, w.customer, &form).await.unwrap();
    let sent = offers::send(&db, &w.manager, draft.id, draft.version, None).await.unwrap();
    let first = sent.accept_token.clone().unwrap();
    let revised = offers::revise(&db, &w.manager, sent.id, sent.version).await.unwrap();
    assert_eq!(offers::open_link(&db, &first, "10.0.0.1").await.unwrap_err(), AppError::NotFound, "a revision kills the link");
    let again = offers::send(&db, &w.manager, revised.id, revised.version, None).await.unwrap();
    let second = again.accept_token.clone().unwrap();
    assert_ne!(first, second);
    assert_eq!(offers::open_link(&db, &second, "10.0.0.1").await.unwrap().offer.number.unwrap().revision, 2);
    // Expired (validity passed): the link opens nothing.
    form.valid_until = "10/03/2026".into();
    let old = offers::create(&db, &w.manager, w.customer, &form).await.unwrap();
    let old = offers::send(&db, &w.manager, old.id, old.version, None).await.unwrap();
    assert_eq!(old.state, OfferState::Expired);
    assert_eq!(offers::open_link(&db, old.accept_token.as_deref().unwrap(), "10.0.0.1").await.unwrap_err(), AppError::NotFound);
    // Guessing: after MAX_LINK_FAILURES unknown links the address is refused, a right link
    // included; another address is not affected.
    for i in 0..app::auth::ssr::MAX_LINK_FAILURES {
        let guess = format!("{i:064x}");
        assert_eq!(offers::open_link(&db, &guess, "10.9.9.9").await.unwrap_err(), AppError::NotFound);
    }
    assert_eq!(offers::open_link(&db, "not even hex", "10.9.9.9").await.unwrap_err(), AppError::RateLimited);
    assert_eq!(offers::open_link(&db, &second, "10.9.9.9").await.unwrap_err(), AppError::RateLimited);
    assert_eq!(offers::accept_link(&db, &second, "Mario Rossi", "10.9.9.9").await.unwrap_err(), AppError::RateLimited);
    assert!(offers::open_link(&db, &second, "10.0.0.2").await.is_ok());
    assert_eq!(offers::get(&db, &w.manager, again.id).await.unwrap().state, OfferState::Sent);
});

/// A real SMTP server (aiosmtpd, scripts/setup.sh) on a free port, keeping what it receives in a
/// Maildir; stopped when dropped.
struct MailServer {
    child: std::process::Child,
    port: u16,
    dir: std::path::PathBuf,
}

impl MailServer {
    fn start() -> MailServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let dir = std::env::temp_dir().join(format!("vendita-mail-{}-{}", std::process::id(), rand_suffix()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut child = std::process::Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir.join("box"))
            .spawn()
            .expect("python3 with aiosmtpd (scripts/setup.sh)");
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return MailServer { child, port, dir };
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("aiosmtpd did not start");
    }

    /// The message received (through the standard library's e-mail parser) and its attachment.
    fn received(&self) -> (serde_json::Value, Vec<u8>) {
        let attachment = self.dir.join("attachment.bin");
        let out = std::process::Command::new("python3")
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/read_mail.py"))
            .arg(self.dir.join("box"))
            .arg(&attachment)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        (serde_json::from_slice(&out.stdout).unwrap(), std::fs::read(&attachment).unwrap_or_default())
    }
}

impl Drop for MailServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn mail_config(port: u16) -> app::state::Config {
    app::state::Config { smtp_url: Some(format!("smtp://127.0.0.1:{port}")), smtp_from: Some("offerte@ferri.example".into()), ..Default::default() }
}

fn mail(to: &str) -> app::offers::OfferMail {
    app::offers::OfferMail { to: to.into(), subject: "Offerta [numero]".into(), text: "In allegato l'offerta [numero].".into() }
}

db_test!(an_offer_is_emailed_with_its_pdf_through_a_real_mail_server, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let server = MailServer::start();
    let config = mail_config(server.port);
    // Careless recipients are refused before anything is sent; no mail server set is said so.
    let prepare = |to: &str| app::offers::mail::prepare(&config, "", &mail(to)).map(|_| ());
    assert_eq!(prepare("").unwrap_err(), AppError::invalid(Field::MailTo, Problem::Required));
    assert_eq!(prepare("rossi@, x").unwrap_err(), AppError::invalid(Field::MailTo, Problem::Invalid));
    assert_eq!(prepare(&["a@b.it"; 11].join(",")).unwrap_err(), AppError::invalid(Field::MailTo, Problem::TooMany));
    let bare = app::state::Config::default();
    assert_eq!(app::offers::mail::prepare(&bare, "", &mail("a@b.it")).map(|_| ()).unwrap_err(), AppError::MailOff);
    let injected = app::offers::OfferMail { subject: "Offerta\r\nBcc: x@y.it".into(), ..mail("a@b.it") };
    assert!(app::offers::mail::prepare(&config, "", &injected).is_err(), "no header injection through the subject");

    let mut form = offer_form(&w, w.marco_seller);
    form.valid_until = "31/12/2099".into();
    form.online_acceptance = true;
    let draft = offers::create(&db, &w.manager, w.customer, &form).await.unwrap();
    let outgoing = app::offers::mail::prepare(&config, "", &mail("acquisti@rossi.example; titolare@rossi.example")).unwrap();
    let sent = offers::send(&db, &w.manager, draft.id, draft.version, Some((outgoing, "https://vendita.example".into()))).await.unwrap();
    let number = sent.number.unwrap().label();
    let (message, pdf) = server.received();
    assert_eq!(message["messages"], 1);
    assert_eq!(message["subject"], format!("Offerta {number}"));
    assert_eq!(message["from"], "offerte@ferri.example");
    assert_eq!(message["to"], "acquisti@rossi.example, titolare@rossi.example");
    let text = message["text"].as_str().unwrap();
    assert!(text.contains(&format!("In allegato l'offerta {number}.")), "{text}");
    assert!(text.contains(&format!("https://vendita.example/o/{}", sent.accept_token.as_deref().unwrap())), "the acceptance link: {text}");
    assert_eq!(message["attachments"][0][0], sent.file_name());
    assert_eq!(message["attachments"][0][1], "application/pdf");
    // The PDF arrived whole: it reads, and says what the offer says.
    assert!(pdf.starts_with(b"%PDF") && pdf.windows(5).rev().take(64).any(|w| w == b"%%EOF"), "{} bytes", pdf.len());
    let read = pdf_text(&pdf);
    for expected in [number.as_str(), "Rossi Srl", "155,33"] {
        assert!(read.contains(expected), "{expected} in {read}");
    }
    // The send is in the offer's history, with its recipients.
    let sends = offers::sent_revisions(&db, &w.manager, sent.id).await.unwrap();
    assert_eq!(sends[0].sent_to.as_deref(), Some("acquisti@rossi.example, titolare@rossi.example"));
});

db_test!(a_mail_server_that_is_down_leaves_the_offer_unsent_and_its_number_free, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let port = {
        let server = MailServer::start();
        server.port
    }; // stopped: nothing listens there any more
    let config = mail_config(port);
    let mut form = offer_form(&w, w.marco_seller);
    form.valid_until = "31/12/2099".into();
    let draft = offers::create(&db, &w.manager, w.customer, &form).await.unwrap();
    let outgoing = app::offers::mail::prepare(&config, "", &mail("acquisti@rossi.example")).unwrap();
    let err = offers::send(&db, &w.manager, draft.id, draft.version, Some((outgoing, String::new()))).await.unwrap_err();
    assert!(matches!(err, AppError::MailFailed(_)), "{err:?}");
    assert_eq!(err.message(app::i18n::Lang::It), app::i18n::Msg::ErrMailFailed.text(app::i18n::Lang::It));
    // Nothing half done: still a draft, no sale, no number taken, nothing frozen.
    let offer = offers::get(&db, &w.manager, draft.id).await.unwrap();
    assert_eq!((offer.state, offer.number, offer.version), (OfferState::Draft, None, draft.version));
    assert!(sales::list_for_contact(&db, &w.manager, w.customer, None).await.unwrap().sales.is_empty());
    assert!(offers::sent_revisions(&db, &w.manager, draft.id).await.unwrap().is_empty());
    let sent = offers::send(&db, &w.manager, draft.id, draft.version, None).await.unwrap();
    assert_eq!(sent.number.unwrap().number, 1, "the failed send gave its number back");
});

db_test!(a_sale_on_the_tab_becomes_an_offer_and_is_never_counted_twice, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let form = SaleForm {
        product: w.product.to_string(),
        seller: w.marco_seller.0.to_string(),
        quantity: "4".into(),
        unit_price: "25,50".into(),
        discount: "10,5".into(),
        vat_rate: "22".into(),
        stage: "negotiation".into(),
        sale_date: "2026-03-02".into(),
        ..Default::default()
    };
    let sale = sales::create(&db, &w.marco, w.customer, &form).await.unwrap();
    // Sara may not make an offer of Marco's sale.
    assert_eq!(offers::from_sale(&db, &w.sara, sale.id).await.unwrap_err(), AppError::Forbidden);
    let draft = offers::from_sale(&db, &w.marco, sale.id).await.unwrap();
    assert_eq!(draft.seller, w.marco_seller);
    assert_eq!(draft.lines.len(), 1);
    let line = &draft.lines[0];
    assert_eq!(
        (line.product, line.quantity, line.unit_price, line.discount.effective()),
        (Some(app::ids::ProductId(w.product)), sale.quantity, sale.unit_price, sale.discount)
    );
    assert_eq!(line.net, sale.net, "the line is the sale, to the cent");
    assert_eq!(line.sale, Some(sale.id));
    // Held by the draft: no second offer of it, no hand edit meanwhile.
    assert!(matches!(offers::from_sale(&db, &w.marco, sale.id).await.unwrap_err(), AppError::SaleOnOffer { .. }));
    assert!(matches!(sales::update(&db, &w.marco, sale.id, sale.version, &form).await.unwrap_err(), AppError::SaleOnOffer { .. }));
    let sent = offers::send(&db, &w.marco, draft.id, draft.version, None).await.unwrap();
    let tab = sales::list_for_contact(&db, &w.marco, w.customer, None).await.unwrap();
    assert_eq!(tab.sales.len(), 1, "the sale moved with the offer; no second one was written");
    assert_eq!((tab.sales[0].id, tab.sales[0].stage), (sale.id, Stage::Proposal));
    assert_cells_match_the_sales(&db).await;
    let won = offers::answer(&db, &w.marco, sent.id, sent.version, Answer::Accepted { on: "" }).await.unwrap();
    assert_eq!(won.state, OfferState::Accepted);
    let tab = sales::list_for_contact(&db, &w.marco, w.customer, None).await.unwrap();
    assert_eq!((tab.sales.len(), tab.sales[0].stage), (1, Stage::Won));
    // A closed sale does not become an offer.
    assert_eq!(offers::from_sale(&db, &w.marco, sale.id).await.unwrap_err(), AppError::SaleNotOpen);
});

db_test!(the_offers_report_counts_sent_accepted_and_rejected_per_seller, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let mut form = offer_form(&w, w.marco_seller);
    form.offer_date = "2026-03-01".into();
    form.valid_until = "31/12/2099".into();
    let mut ids = Vec::new();
    for _ in 0..3 {
        let d = offers::create(&db, &w.manager, w.customer, &form).await.unwrap();
        ids.push(offers::send(&db, &w.manager, d.id, d.version, None).await.unwrap());
    }
    // A draft is not counted; one accepted after 9 days, one rejected after 19, one waiting.
    offers::create(&db, &w.manager, w.customer, &form).await.unwrap();
    offers::answer(&db, &w.manager, ids[0].id, ids[0].version, Answer::Accepted { on: "10/03/2026" }).await.unwrap();
    let reason = app::config::ssr::lost_reasons::ordered(&db).await.unwrap()[0].id.to_string();
    offers::answer(&db, &w.manager, ids[1].id, ids[1].version, Answer::Rejected { on: "20/03/2026", reason: &reason, note: "" }).await.unwrap();
    let march = app::figures::Month::new(2026, 3);
    let report = offer_report(&db, &SellerScope::All, march, march, None).await;
    let t = &report.total;
    assert_eq!((t.sent, t.accepted, t.rejected), (3, 1, 1));
    // Each offer's taxable is 131,25.
    assert_eq!((t.sent_value, t.accepted_value, t.rejected_value), (Money(3 * 13125), Money(13125), Money(13125)));
    assert_eq!((t.rate_count_bp, t.rate_value_bp), (Some(3333), Some(3333)));
    assert_eq!(t.median_days, Some(14), "the median of 9 and 19 days");
    assert_eq!(report.rows.len(), 1);
    assert_eq!(report.rows[0].sent, 3);
    // Another month, another seller: nothing.
    let april = app::figures::Month::new(2026, 4);
    assert_eq!(offer_report(&db, &SellerScope::All, april, april, None).await.total.sent, 0);
    assert_eq!(offer_report(&db, &SellerScope::All, march, march, Some(w.sara_seller)).await.total.sent, 0);
    // A member sees his own sellers' only.
    let only_sara = SellerScope::Only([w.sara_seller.0].into_iter().collect());
    assert_eq!(offer_report(&db, &only_sara, march, march, None).await.total.sent, 0);
    // The workbook's Offerte sheet holds the same table.
    use calamine::{Reader, Xlsx, open_workbook};
    let filter = app::figures::Filter { period: app::figures::Period::Range { from: march, to: march }, ..Default::default() };
    let path = std::env::temp_dir().join(format!("vendita-offers-{}-{}.xlsx", std::process::id(), rand_suffix()));
    app::reports::ssr::export::export_workbook(&db, &w.manager, app::figures::Scope::All, &filter, std::fs::File::create(&path).unwrap())
        .await
        .unwrap();
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let sheet = book.worksheet_range("Offerte").unwrap();
    let _ = std::fs::remove_file(&path);
    let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(rows[0][1], "Inviate");
    let total = rows.last().unwrap();
    assert_eq!((total[0].as_str(), total[1].as_str(), total[3].as_str(), total[5].as_str()), ("Totale", "3", "1", "1"));
    assert_eq!((total[2].as_str(), total[9].as_str()), ("393.75", "14"));
});

fn pdf_text(pdf: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("vendita-pdf-{}-{}", std::process::id(), rand_suffix()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("offer.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", file.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils, scripts/setup.sh)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let _ = std::fs::remove_dir_all(&dir);
    String::from_utf8(out.stdout).unwrap()
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
}

db_test!(a_revision_changes_the_same_sales_and_keeps_what_was_first_sent, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let draft = offers::create(&db, &w.manager, w.customer, &offer_form(&w, w.marco_seller)).await.unwrap();
    let sent = offers::send(&db, &w.manager, draft.id, draft.version, None).await.unwrap();
    let first_sales: Vec<SaleId> = sent.lines.iter().filter_map(|l| l.sale).collect();
    let revised = offers::revise(&db, &w.manager, sent.id, sent.version).await.unwrap();
    assert_eq!((revised.state, revised.number.map(|n| n.revision)), (OfferState::Draft, Some(2)));
    // Still held by the offer while it is revised; a sent-before draft is not deleted.
    let sale = sales::get(&db, &w.manager, first_sales[0]).await.unwrap();
    assert!(matches!(sales::update(&db, &w.manager, sale.id, sale.version, &SaleForm::of(&sale)).await.unwrap_err(), AppError::SaleOnOffer { .. }));
    assert_eq!(offers::delete(&db, &w.manager, revised.id, revised.version).await.unwrap_err(), AppError::OfferNotDraft);
    // The revision takes out the second product line and doubles the first.
    let mut form = offer_form(&w, w.marco_seller);
    form.lines[1].quantity = "6".into();
    form.lines.remove(2);
    let revised = offers::update(&db, &w.manager, revised.id, revised.version, &form).await.unwrap();
    let listed = offers::list(&db, &w.manager, &Default::default(), None).await.unwrap();
    assert_eq!((listed.taxable, listed.rows[0].taxable), (revised.totals.taxable, revised.totals.taxable), "the list follows the lines");
    assert_ne!(revised.totals.taxable, sent.totals.taxable);
    let resent = offers::send(&db, &w.manager, revised.id, revised.version, None).await.unwrap();
    let year = Utc::now().year();
    assert_eq!(resent.number.unwrap().label(), format!("{year}/0001 rev. 2"));
    let now_sales: Vec<SaleId> = resent.lines.iter().filter_map(|l| l.sale).collect();
    assert_eq!(now_sales, vec![first_sales[0]], "the first line's sale changed in place");
    let tab = sales::list_for_contact(&db, &w.manager, w.customer, None).await.unwrap();
    assert_eq!(tab.sales.len(), 1, "the taken-out line's sale is gone");
    assert_eq!(tab.sales[0].net, Money(10255), "6 × 19,99 = 119,94 less 14,5 % = 102,5487");
    assert_cells_match_the_sales(&db).await;
    // Both revisions as they were sent.
    let kept = offers::sent_revisions(&db, &w.manager, sent.id).await.unwrap();
    assert_eq!(kept.iter().map(|r| r.revision).collect::<Vec<_>>(), vec![1, 2]);
    assert_eq!(kept[0].offer.totals, sent.totals);
    assert_eq!(kept[0].offer.lines.len(), 5);
    assert_eq!(kept[1].offer.lines.len(), 4);
    // A revision of an answered offer is refused.
    let accepted = offers::answer(&db, &w.manager, resent.id, resent.version, Answer::Accepted { on: "" }).await.unwrap();
    assert_eq!(offers::revise(&db, &w.manager, accepted.id, accepted.version).await.unwrap_err(), AppError::OfferNotSent);
});

db_test!(the_company_profile_gives_a_new_offer_its_validity_and_only_managers_change_it, |db: DatabaseConnection| async move {
    use app::config::company::{CompanyForm, ssr as company};
    let w = world(&db).await;
    let form = CompanyForm {
        name: "Ferri Forniture Srl".into(),
        validity_days: "45".into(),
        payment_terms: "Rimessa diretta\n\n  Bonifico 30 gg d.f.  \n".into(),
        iban: "it60 x054 2811 1010 0000 0123 456".into(),
        ..Default::default()
    };
    assert_eq!(company::set(&db, &w.marco, 1, &form).await.unwrap_err(), AppError::Forbidden);
    let saved = company::set(&db, &w.manager, 1, &form).await.unwrap();
    assert_eq!(saved.payment_terms, ["Rimessa diretta", "Bonifico 30 gg d.f."]);
    assert_eq!(saved.iban, "IT60X0542811101000000123456");
    assert_eq!(company::set(&db, &w.manager, 1, &form).await.unwrap_err(), AppError::Conflict, "a stale version");
    let v = saved.version;
    let refused = |f: CompanyForm| {
        let db = db.clone();
        let manager = w.manager.clone();
        async move { company::set(&db, &manager, v, &f).await.unwrap_err() }
    };
    assert_eq!(refused(CompanyForm { validity_days: "0".into(), ..form.clone() }).await, AppError::invalid(Field::ValidUntil, Problem::OutOfRange));
    assert_eq!(
        refused(CompanyForm { validity_days: "tanti".into(), ..form.clone() }).await,
        AppError::invalid(Field::ValidUntil, Problem::OutOfRange)
    );
    let many = (0..21).map(|i| format!("Termine {i}")).collect::<Vec<_>>().join("\n");
    assert_eq!(refused(CompanyForm { delivery_terms: many, ..form.clone() }).await, AppError::invalid(Field::DeliveryTerms, Problem::TooMany));
    assert_eq!(refused(CompanyForm { iban: "IT60 !!".into(), ..form.clone() }).await, AppError::invalid(Field::Iban, Problem::Invalid));
    // A new offer without a validity is valid for the profile's 45 days.
    let draft = offers::create(&db, &w.manager, w.customer, &offer_form(&w, w.marco_seller)).await.unwrap();
    assert_eq!(draft.valid_until.to_string(), "2026-04-15");
});
