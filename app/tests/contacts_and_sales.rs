//! The address book and the sales of a contact, on SQLite and PostgreSQL: contact checks and
//! warnings, search and keyset paging, tags; sale totals (exact), stage rules, history, conflicts,
//! the tag rule and who may see and touch which sale.

mod common;

use app::auth::Role;
use app::config::TagId;
use app::config::ssr as config;
use app::contacts::ssr as contacts;
use app::contacts::{ContactCursor, ContactForm, ContactId, ContactQuery, ContactWarning};
use app::error::{AppError, Field, Problem};
use app::i18n::Lang;
use app::money::{Money, Quantity};
use app::sales::ssr as sales;
use app::sales::{HistoryAction, HistoryField, HistoryValue, SaleForm, SaleId, Stage};
use app::sellers::SellerId;
use chrono::Utc;
use common::user;
use common::world::{sale, world};
use sea_orm::DatabaseConnection;

fn invalid(field: Field, problem: Problem) -> AppError {
    AppError::invalid(field, problem)
}

fn company(name: &str) -> ContactForm {
    ContactForm { kind: "company".into(), name: name.into(), ..Default::default() }
}

async fn customers_tag(db: &DatabaseConnection) -> TagId {
    let manager = user(db, "boss", Role::Manager).await;
    let tags = contacts::list_tags(db, &manager).await.unwrap();
    tags.iter().find(|t| t.name == "Clienti").unwrap().id
}

// ---------------------------------------------------------------- contacts

db_test!(a_contact_is_checked_and_warned_about, |db: DatabaseConnection| async move {
    let me = user(&db, "anna", Role::Member).await;
    assert_eq!(contacts::create(&db, &me, &company("  ")).await.unwrap_err(), invalid(Field::Name, Problem::Required));
    let bad_email = ContactForm { email: "mario.rossi@".into(), ..company("Rossi") };
    assert_eq!(contacts::create(&db, &me, &bad_email).await.unwrap_err(), invalid(Field::Email, Problem::EmailShape));
    let bad_vat = ContactForm { vat_number: "01114601007".into(), ..company("Rossi") };
    assert_eq!(contacts::create(&db, &me, &bad_vat).await.unwrap_err(), invalid(Field::VatNumber, Problem::VatChecksum));
    // A foreign VAT number is not checked against the Italian rule.
    let foreign = ContactForm { vat_number: "DE123456789".into(), country: "de".into(), ..company("Müller GmbH") };
    let saved = contacts::create(&db, &me, &foreign).await.unwrap();
    assert_eq!((saved.contact.country.as_str(), saved.contact.vat_number.as_deref()), ("DE", Some("DE123456789")));

    let first = ContactForm { vat_number: "IT 01114601006".into(), email: "info@rossi.it".into(), ..company("Rossi Srl") };
    let first = contacts::create(&db, &me, &first).await.unwrap();
    assert_eq!(first.contact.vat_number.as_deref(), Some("01114601006"), "stored as its 11 digits");
    assert!(first.warnings.is_empty());
    let twin = ContactForm { vat_number: "01114601006".into(), email: "INFO@rossi.it".into(), ..company("Rossi S.r.l.") };
    let twin = contacts::create(&db, &me, &twin).await.unwrap();
    assert_eq!(
        twin.warnings,
        vec![
            ContactWarning::SameVatNumber { id: first.contact.id, name: "Rossi Srl".into() },
            ContactWarning::SameEmail { id: first.contact.id, name: "Rossi Srl".into() },
        ],
        "saved, with a warning for each duplicate"
    );
});

db_test!(contact_edits_conflict_and_a_contact_with_sales_stays, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let c = contacts::get(&db, &w.marco, w.customer).await.unwrap();
    let form = ContactForm { city: "Milano".into(), tags: vec![w.clienti], new_tags: "VIP, Fiera 2026".into(), ..company("Rossi Srl") };
    let saved = contacts::update(&db, &w.marco, c.id, c.version, &form).await.unwrap();
    let names: Vec<&str> = saved.contact.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Clienti", "Fiera 2026", "VIP"], "system tags first, new user tags created");
    assert!(saved.contact.sales_tab);
    assert_eq!(contacts::update(&db, &w.sara, c.id, c.version, &form).await.unwrap_err(), AppError::Conflict, "an old version is refused");
    let vip = saved.contact.tags.iter().find(|t| t.name == "VIP").unwrap().id;
    assert_eq!(contacts::delete_tag(&db, &w.manager, w.clienti).await.unwrap_err(), AppError::SystemTag);
    assert_eq!(contacts::delete_tag(&db, &w.marco, vip).await.unwrap_err(), AppError::Forbidden, "members do not delete tags");
    contacts::delete_tag(&db, &w.manager, vip).await.unwrap();

    sales::create(&db, &w.marco, w.customer, &sale(&w, w.marco_seller, "1", "10", "lead")).await.unwrap();
    let c = contacts::get(&db, &w.marco, w.customer).await.unwrap();
    assert_eq!(contacts::delete(&db, &w.manager, c.id, c.version).await.unwrap_err(), AppError::ContactHasSales);
    let lone = contacts::create(&db, &w.marco, &company("Bianchi")).await.unwrap().contact;
    assert_eq!(contacts::delete(&db, &w.marco, lone.id, lone.version).await.unwrap_err(), AppError::Forbidden, "members do not delete contacts");
    contacts::delete(&db, &w.manager, lone.id, lone.version).await.unwrap();
    assert_eq!(contacts::get(&db, &w.marco, lone.id).await.unwrap_err(), AppError::NotFound);
});

db_test!(the_address_book_searches_filters_and_pages_by_keyset, |db: DatabaseConnection| async move {
    let clienti = customers_tag(&db).await;
    let me = user(&db, "anna", Role::Member).await;
    for i in 0..120 {
        let form = ContactForm {
            email: format!("contact{i}@example.com"),
            city: if i % 3 == 0 { "Torino".into() } else { "Bari".into() },
            company: if i == 7 { "Acme SpA".into() } else { String::new() },
            vat_number: if i == 8 { "12345678903".into() } else { String::new() },
            tags: if i % 2 == 0 { vec![clienti] } else { vec![] },
            ..ContactForm { kind: "person".into(), name: format!("{} {i:03}", if i % 2 == 0 { "bianchi" } else { "Rossi" }), ..Default::default() }
        };
        contacts::create(&db, &me, &form).await.unwrap();
    }
    // Paging walks every contact once, in case-insensitive name order, 50 at a time.
    let mut seen = Vec::new();
    let mut query = ContactQuery::default();
    loop {
        let page = contacts::list(&db, &me, &query).await.unwrap();
        assert!(page.rows.len() <= 50);
        seen.extend(page.rows.iter().map(|r| r.name.clone()));
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }
    assert_eq!(seen.len(), 120);
    assert_eq!(seen[0], "bianchi 000");
    assert_eq!(seen[60], "Rossi 001", "lower-case b before upper-case R");
    let search = |text: &str| ContactQuery { search: text.into(), ..Default::default() };
    let count = |q: ContactQuery| {
        let db = db.clone();
        let me = me.clone();
        async move { contacts::list(&db, &me, &q).await.unwrap().rows.len() }
    };
    assert_eq!(count(search("ROSSI 00")).await, 5, "name, any case");
    assert_eq!(count(search("acme")).await, 1, "company");
    assert_eq!(count(search("contact11@")).await, 1, "e-mail");
    assert_eq!(count(search("345678")).await, 1, "VAT number");
    assert_eq!(count(search("torino")).await, 40, "city");
    assert_eq!(count(search("100%")).await, 0, "a % typed is a literal");
    let tagged = ContactQuery { tag: Some(clienti), search: "bianchi 01".into(), ..Default::default() };
    let page = contacts::list(&db, &me, &tagged).await.unwrap();
    assert_eq!(page.rows.len(), 5, "bianchi 010, 012, …, 018");
    assert!(page.rows.iter().all(|r| r.tags == ["Clienti"]));
    assert_eq!(ContactCursor::decode(&ContactCursor { name_key: "a:b".into(), id: ContactId(7) }.encode()).unwrap().name_key, "a:b");
});

// ---------------------------------------------------------------- sales

db_test!(totals_are_exact_and_computed_on_the_server, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    // 3 × 19,99 −10% = 53,973 → 53,97; VAT 22% = 11,87; gross 65,84.
    let form = SaleForm { discount: "10".into(), ..sale(&w, w.marco_seller, "3", "19,99", "proposal") };
    let s = sales::create(&db, &w.marco, w.customer, &form).await.unwrap();
    assert_eq!((s.net, s.gross), (Money(5_397), Money(6_584)));
    assert_eq!(s.probability, 60, "the proposal stage's default probability");
    // 0,1 × 0,10 = 0,01 exactly (no floating point drift).
    let tiny = sales::create(&db, &w.marco, w.customer, &SaleForm { probability: "33".into(), ..sale(&w, w.marco_seller, "0,1", "0,10", "lead") })
        .await
        .unwrap();
    assert_eq!((tiny.net, tiny.gross, tiny.probability), (Money(1), Money(1), 33));
    sales::create(&db, &w.marco, w.customer, &sale(&w, w.marco_seller, "1,5", "1.000", "won")).await.unwrap();
    sales::create(&db, &w.marco, w.customer, &SaleForm { lost_reason: "prezzo".into(), ..sale(&w, w.marco_seller, "1", "999", "lost") })
        .await
        .unwrap();
    let tab = sales::list_for_contact(&db, &w.marco, w.customer, None).await.unwrap();
    assert_eq!(tab.totals.won, Money(150_000));
    assert_eq!(tab.totals.open, Money(5_398));
    // Σ net × p = 5397 × 60 + 1 × 33 = 323853 → /100 = 3238,53 → 3239 cents (rounded once).
    assert_eq!(tab.totals.weighted, Money(3_239));
    assert_eq!((tab.totals.won_count, tab.totals.open_count, tab.totals.lost_count), (1, 2, 1));
    assert_eq!(tab.sales.len(), 4);

    let bad = |f: SaleForm| {
        let (db, marco, customer) = (db.clone(), w.marco.clone(), w.customer);
        async move { sales::create(&db, &marco, customer, &f).await.unwrap_err() }
    };
    assert_eq!(bad(sale(&w, w.marco_seller, "0", "1", "lead")).await, invalid(Field::Quantity, Problem::NotPositive));
    assert_eq!(bad(sale(&w, w.marco_seller, "1", "1,234", "lead")).await, invalid(Field::UnitPrice, Problem::TooManyDecimals));
    assert_eq!(bad(sale(&w, w.marco_seller, "1", "-1", "lead")).await, invalid(Field::UnitPrice, Problem::Negative));
    assert_eq!(
        bad(SaleForm { discount: "101".into(), ..sale(&w, w.marco_seller, "1", "1", "lead") }).await,
        invalid(Field::Discount, Problem::OutOfRange)
    );
    assert_eq!(
        bad(SaleForm { vat_rate: "23".into(), ..sale(&w, w.marco_seller, "1", "1", "lead") }).await,
        invalid(Field::VatRate, Problem::Invalid)
    );
    assert_eq!(bad(sale(&w, w.marco_seller, "1", "1", "maybe")).await, invalid(Field::Stage, Problem::Invalid));
    assert_eq!(
        bad(SaleForm { sale_date: "31/02/2026".into(), ..sale(&w, w.marco_seller, "1", "1", "lead") }).await,
        invalid(Field::SaleDate, Problem::BadDate)
    );
    assert_eq!(
        bad(SaleForm { product: w.inactive_product.to_string(), ..sale(&w, w.marco_seller, "1", "1", "lead") }).await,
        invalid(Field::Product, Problem::Invalid)
    );
    assert_eq!(bad(sale(&w, w.marco_seller, "1", "1", "lost")).await, invalid(Field::LostReason, Problem::Required), "lost asks for a reason");
    assert_eq!(sales::list_for_contact(&db, &w.marco, w.customer, None).await.unwrap().sales.len(), 4, "refusals change nothing");
});

db_test!(stage_changes_set_the_closed_date_and_are_in_the_history, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let s = sales::create(&db, &w.marco, w.customer, &sale(&w, w.marco_seller, "2", "100", "lead")).await.unwrap();
    assert_eq!((s.probability, s.closed_date), (10, None));
    let won = sales::update(&db, &w.marco, s.id, s.version, &SaleForm { probability: "40".into(), ..sale(&w, w.marco_seller, "2", "100", "won") })
        .await
        .unwrap();
    assert_eq!(won.probability, 100, "won is 100%");
    assert_eq!(won.closed_date, Some(Utc::now().date_naive()));
    assert_eq!(won.version, s.version + 1);
    let reopened = sales::update(&db, &w.manager, won.id, won.version, &sale(&w, w.marco_seller, "3", "100", "negotiation")).await.unwrap();
    assert_eq!((reopened.closed_date, reopened.probability, reopened.net), (None, 30, Money(30_000)));
    let lost = sales::update(
        &db,
        &w.marco,
        s.id,
        reopened.version,
        &SaleForm { lost_reason: "TEMPISTICA".into(), lost_note: " budget rinviato ".into(), ..sale(&w, w.marco_seller, "3", "100", "lost") },
    )
    .await
    .unwrap();
    let reason = lost.lost_reason.as_ref().map(|r| r.name.as_str());
    assert_eq!(
        (lost.probability, reason, lost.lost_note.as_deref()),
        (0, Some("Tempistica"), Some("budget rinviato")),
        "a reason by name in any case"
    );
    assert!(lost.closed_date.is_some());

    let history = sales::history(&db, &w.marco, s.id).await.unwrap();
    assert_eq!(history[0].action, HistoryAction::Create);
    assert_eq!(history[0].user, "marco name");
    let changes = |field: HistoryField| -> Vec<(Option<HistoryValue>, Option<HistoryValue>)> {
        history.iter().filter(|h| h.field == Some(field)).map(|h| (h.old.clone(), h.new.clone())).collect()
    };
    let stage = |s: Stage| Some(HistoryValue::Stage(s));
    assert_eq!(
        changes(HistoryField::Stage),
        vec![
            (stage(Stage::Lead), stage(Stage::Won)),
            (stage(Stage::Won), stage(Stage::Negotiation)),
            (stage(Stage::Negotiation), stage(Stage::Lost))
        ]
    );
    assert_eq!(changes(HistoryField::Quantity), vec![(Some(HistoryValue::Quantity(Quantity(2000))), Some(HistoryValue::Quantity(Quantity(3000))))]);
    assert_eq!(changes(HistoryField::Net), vec![(Some(HistoryValue::Money(Money(20_000))), Some(HistoryValue::Money(Money(30_000))))]);
    assert_eq!(changes(HistoryField::LostReason), vec![(None, Some(HistoryValue::Text("Tempistica".into())))]);
    assert_eq!(changes(HistoryField::LostNote), vec![(None, Some(HistoryValue::Text("budget rinviato".into())))]);
    assert!(history.iter().filter(|h| h.action == HistoryAction::Update).all(|h| h.field.is_some()), "one row per changed field");
    let changers: Vec<&str> = history.iter().filter(|h| h.field == Some(HistoryField::Stage)).map(|h| h.user.as_str()).collect();
    assert_eq!(changers, ["marco name", "giulia name", "marco name"], "who changed it");
    // Shown in the reader's language: the same entry reads "200,00 → 300,00" and "200.00 → 300.00".
    let net = &history.iter().find(|h| h.field == Some(HistoryField::Net)).unwrap().new;
    assert_eq!(net.as_ref().map(|v| (v.text(Lang::It), v.text(Lang::En))), Some(("300,00".to_string(), "300.00".to_string())));

    // An entry written before values were typed (Italian-formatted text) still reads, as stored.
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    app::db::entities::sale_history::ActiveModel {
        sale_id: Set(s.id.0),
        user_id: Set(w.marco.id.0),
        at: Set(Utc::now()),
        action: Set(HistoryAction::Update),
        field: Set(Some(HistoryField::Net)),
        old_value: Set(Some("200,00".into())),
        new_value: Set(Some("1.300,00".into())),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();
    let history = sales::history(&db, &w.marco, s.id).await.unwrap();
    let old = history.last().unwrap();
    assert_eq!(
        (old.field, old.old.clone(), old.new.clone()),
        (Some(HistoryField::Net), Some(HistoryValue::Legacy("200,00".into())), Some(HistoryValue::Legacy("1.300,00".into())))
    );
    assert_eq!(old.new.as_ref().unwrap().text(Lang::En), "1.300,00");

    sales::delete(&db, &w.marco, s.id, lost.version).await.unwrap();
    assert_eq!(sales::get(&db, &w.marco, s.id).await.unwrap_err(), AppError::NotFound);
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let rows =
        app::db::entities::sale_history::Entity::find().filter(app::db::entities::sale_history::Column::SaleId.eq(s.id.0)).all(&db).await.unwrap();
    assert_eq!(rows.last().unwrap().action, HistoryAction::Delete, "the history outlives the sale");
});

db_test!(a_save_over_an_old_version_is_refused_with_the_current_values, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let s = sales::create(&db, &w.marco, w.customer, &sale(&w, w.nord, "1", "100", "lead")).await.unwrap();
    // Marco and the manager both opened version 1; the manager saves first.
    let theirs = sales::update(&db, &w.manager, s.id, s.version, &sale(&w, w.nord, "5", "100", "proposal")).await.unwrap();
    let mine = sales::update(&db, &w.marco, s.id, s.version, &sale(&w, w.nord, "9", "100", "won")).await.unwrap_err();
    let AppError::SaleConflict(current) = mine else { panic!("expected a conflict, got {mine:?}") };
    assert_eq!(current.sale::<app::sales::Sale>(), Some(theirs.clone()), "the refusal carries the sale as it is now");
    assert_eq!(sales::get(&db, &w.marco, s.id).await.unwrap(), theirs, "nothing was overwritten");
    let late_delete = sales::delete(&db, &w.marco, s.id, s.version).await.unwrap_err();
    assert!(matches!(late_delete, AppError::SaleConflict(_)));
    assert_eq!(sales::history(&db, &w.marco, s.id).await.unwrap().iter().filter(|h| h.field == Some(HistoryField::Stage)).count(), 1);
});

db_test!(a_stored_value_the_code_does_not_know_is_an_error_not_a_default, |db: DatabaseConnection| async move {
    use sea_orm::ConnectionTrait;
    let w = world(&db).await;
    let s = sales::create(&db, &w.marco, w.customer, &sale(&w, w.nord, "1", "100", "won")).await.unwrap();
    sales::update(&db, &w.marco, s.id, s.version, &sale(&w, w.nord, "2", "100", "won")).await.unwrap();
    // A stage written by a newer version of Vendita, or by hand: the sale is not shown as a lead.
    db.execute_unprepared(&format!("UPDATE sales SET stage = 'ordered' WHERE id = {}", s.id.0)).await.unwrap();
    assert_eq!(sales::get(&db, &w.marco, s.id).await.unwrap_err(), AppError::Internal);
    assert_eq!(sales::list_for_contact(&db, &w.marco, w.customer, None).await.unwrap_err(), AppError::Internal);
    db.execute_unprepared(&format!("UPDATE sales SET stage = 'won' WHERE id = {}", s.id.0)).await.unwrap();
    assert_eq!(sales::get(&db, &w.marco, s.id).await.unwrap().stage, Stage::Won);
    // The same for a history field and a user's role.
    db.execute_unprepared(&format!("UPDATE sale_history SET field = 'colour' WHERE sale_id = {} AND field IS NOT NULL", s.id.0)).await.unwrap();
    assert_eq!(sales::history(&db, &w.marco, s.id).await.unwrap_err(), AppError::Internal);
    let admin = user(&db, "anna", Role::Admin).await;
    db.execute_unprepared(&format!("UPDATE users SET role = 'owner' WHERE id = {}", w.marco.id.0)).await.unwrap();
    assert_eq!(app::users::ssr::list(&db, &admin).await.unwrap_err(), AppError::Internal);
});

db_test!(an_untagged_contact_has_no_sales_tab_on_the_server_either, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let plain = contacts::create(&db, &w.manager, &company("Verdi")).await.unwrap().contact;
    assert!(!plain.sales_tab);
    assert_eq!(sales::list_for_contact(&db, &w.manager, plain.id, None).await.unwrap_err(), AppError::NoSalesTag);
    assert_eq!(sales::create(&db, &w.manager, plain.id, &sale(&w, w.marco_seller, "1", "1", "lead")).await.unwrap_err(), AppError::NoSalesTag);
    // A customer with sales keeps the sales tag: untagging it is refused, for a manager too.
    let s = sales::create(&db, &w.marco, w.customer, &sale(&w, w.marco_seller, "1", "1", "lead")).await.unwrap();
    let c = contacts::get(&db, &w.manager, w.customer).await.unwrap();
    assert_eq!(contacts::update(&db, &w.manager, c.id, c.version, &company("Rossi Srl")).await.unwrap_err(), AppError::SalesTagInUse { sales: 1 });
    assert!(contacts::get(&db, &w.manager, w.customer).await.unwrap().sales_tab);
    // Switching the configured sales tag asks first, then takes the tab and its sales out of reach.
    let v = config::overview(&db, &w.manager).await.unwrap().settings.version;
    assert_eq!(config::set_sales_tag(&db, &w.manager, v, "suppliers", false).await.unwrap_err(), AppError::SalesTagSwitch { contacts: 1 });
    config::set_sales_tag(&db, &w.manager, v, "suppliers", true).await.unwrap();
    assert_eq!(sales::update(&db, &w.marco, s.id, s.version, &sale(&w, w.marco_seller, "2", "1", "lead")).await.unwrap_err(), AppError::NoSalesTag);
    assert_eq!(sales::list_for_contact(&db, &w.marco, w.customer, None).await.unwrap_err(), AppError::NoSalesTag);
    assert_eq!(sales::list_for_contact(&db, &w.marco, ContactId(999_999), None).await.unwrap_err(), AppError::NotFound);
});

db_test!(a_member_only_sees_and_touches_his_own_sellers_sales, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let marcos = sales::create(&db, &w.marco, w.customer, &sale(&w, w.marco_seller, "1", "100", "lead")).await.unwrap();
    let teams = sales::create(&db, &w.marco, w.customer, &sale(&w, w.nord, "1", "200", "won")).await.unwrap();
    let saras = sales::create(&db, &w.sara, w.customer, &sale(&w, w.sara_seller, "1", "400", "lead")).await.unwrap();
    let sud = sales::create(&db, &w.manager, w.customer, &sale(&w, w.sud, "1", "800", "won")).await.unwrap();

    // Reading: the list and its totals hold only his own and his team's sales.
    let tab = sales::list_for_contact(&db, &w.marco, w.customer, None).await.unwrap();
    let ids: Vec<SaleId> = tab.sales.iter().map(|s| s.id).collect();
    assert_eq!(ids, [teams.id, marcos.id], "newest first (same date: higher id first)");
    assert_eq!((tab.totals.won, tab.totals.open), (Money(20_000), Money(10_000)));
    let all = sales::list_for_contact(&db, &w.manager, w.customer, None).await.unwrap();
    assert_eq!(all.sales.len(), 4);
    assert_eq!(all.totals.won, Money(100_000));

    // Another seller's sale, by any route: not allowed, and nothing changes.
    for other in [&saras, &sud] {
        assert_eq!(sales::get(&db, &w.marco, other.id).await.unwrap_err(), AppError::Forbidden);
        assert_eq!(sales::history(&db, &w.marco, other.id).await.unwrap_err(), AppError::Forbidden);
        let steal = sale(&w, w.marco_seller, "1", "1", "won");
        assert_eq!(sales::update(&db, &w.marco, other.id, other.version, &steal).await.unwrap_err(), AppError::Forbidden);
        assert_eq!(sales::delete(&db, &w.marco, other.id, other.version).await.unwrap_err(), AppError::Forbidden);
        assert_eq!(&sales::get(&db, &w.manager, other.id).await.unwrap(), other);
    }
    // Nor register a sale for a seller that is not his, nor move his own sale to one.
    for seller in [w.sara_seller, w.sud] {
        assert_eq!(sales::create(&db, &w.marco, w.customer, &sale(&w, seller, "1", "1", "lead")).await.unwrap_err(), AppError::Forbidden);
        assert_eq!(
            sales::update(&db, &w.marco, marcos.id, marcos.version, &sale(&w, seller, "1", "1", "lead")).await.unwrap_err(),
            AppError::Forbidden
        );
    }
    // His form offers himself and his team, defaulting to himself.
    let options = sales::form_options(&db, &w.marco).await.unwrap();
    let offered: Vec<SellerId> = options.sellers.iter().map(|s| s.id).collect();
    assert_eq!(offered, [w.marco_seller, w.nord]);
    assert_eq!(options.default_seller, Some(w.marco_seller));
    assert_eq!(sales::form_options(&db, &w.manager).await.unwrap().sellers.len(), 4);
    // The product picker offers active products only.
    let products = sales::products(&db, &w.marco, "", None).await.unwrap();
    assert_eq!(products.iter().map(|p| p.code.as_str()).collect::<Vec<_>>(), ["P1"]);
});

db_test!(tags_are_renamed_merged_without_duplicates_and_system_tags_stay, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let with = |name: &str, tags: &str| ContactForm { tags: vec![w.clienti], new_tags: tags.into(), ..company(name) };
    let one = contacts::create(&db, &w.manager, &with("Uno Srl", "Fiera")).await.unwrap().contact;
    let both = contacts::create(&db, &w.manager, &with("Due Srl", "Fiera, Expo")).await.unwrap().contact;
    let three = contacts::create(&db, &w.manager, &with("Tre Srl", "expo")).await.unwrap().contact;
    let id_of = |c: &app::contacts::Contact, name: &str| c.tags.iter().find(|t| t.name.eq_ignore_ascii_case(name)).unwrap().id;
    let (fiera, expo) = (id_of(&both, "Fiera"), id_of(&both, "Expo"));
    let usage = |db: DatabaseConnection, who: app::auth::CurrentUser| async move {
        contacts::tag_usage(&db, &who).await.map(|all| all.into_iter().map(|u| (u.tag.name, u.contacts)).collect::<Vec<_>>())
    };
    assert_eq!(
        usage(db.clone(), w.manager.clone()).await.unwrap(),
        [("Clienti".to_string(), 4), ("Fornitori".to_string(), 0), ("Expo".to_string(), 2), ("Fiera".to_string(), 2)]
    );

    // Members do none of it; system tags are neither renamed nor merged, either way round.
    assert_eq!(usage(db.clone(), w.marco.clone()).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(contacts::rename_tag(&db, &w.marco, fiera, "Fiere").await.unwrap_err(), AppError::Forbidden);
    assert_eq!(contacts::merge_tags(&db, &w.marco, fiera, expo).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(contacts::rename_tag(&db, &w.manager, w.clienti, "Clientela").await.unwrap_err(), AppError::SystemTag);
    assert_eq!(contacts::merge_tags(&db, &w.manager, fiera, w.clienti).await.unwrap_err(), AppError::SystemTag);
    assert_eq!(contacts::merge_tags(&db, &w.manager, w.clienti, fiera).await.unwrap_err(), AppError::SystemTag);
    assert_eq!(contacts::merge_tags(&db, &w.manager, fiera, fiera).await.unwrap_err(), invalid(Field::Tags, Problem::Invalid));
    // A rename may not take another tag's name (any case), be empty, too long, or hold a comma.
    assert_eq!(contacts::rename_tag(&db, &w.manager, fiera, "clienti").await.unwrap_err(), invalid(Field::Name, Problem::Taken));
    assert_eq!(contacts::rename_tag(&db, &w.manager, fiera, "  ").await.unwrap_err(), invalid(Field::Name, Problem::Required));
    assert_eq!(contacts::rename_tag(&db, &w.manager, fiera, &"x".repeat(51)).await.unwrap_err(), invalid(Field::Name, Problem::TooLong));
    assert_eq!(contacts::rename_tag(&db, &w.manager, fiera, "a, b").await.unwrap_err(), invalid(Field::Name, Problem::Invalid));
    assert_eq!(contacts::rename_tag(&db, &w.manager, fiera, "Fiere 2027").await.unwrap().name, "Fiere 2027");

    // Merge Fiere into Expo: the contact that had both keeps one Expo.
    contacts::merge_tags(&db, &w.manager, fiera, expo).await.unwrap();
    for (contact, expected) in [(one.id, vec!["Clienti", "Expo"]), (both.id, vec!["Clienti", "Expo"]), (three.id, vec!["Clienti", "Expo"])] {
        let tags: Vec<String> = contacts::get(&db, &w.manager, contact).await.unwrap().tags.into_iter().map(|t| t.name).collect();
        assert_eq!(tags, expected);
    }
    assert_eq!(
        usage(db.clone(), w.manager.clone()).await.unwrap(),
        [("Clienti".to_string(), 4), ("Fornitori".to_string(), 0), ("Expo".to_string(), 3)]
    );
    assert_eq!(contacts::merge_tags(&db, &w.manager, fiera, expo).await.unwrap_err(), AppError::NotFound, "merged once");
});

db_test!(tag_merges_and_deletes_at_once_refuse_cleanly_and_keep_every_contacts_tag, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let with = |name: &str, tags: &str| ContactForm { tags: vec![w.clienti], new_tags: tags.into(), ..company(name) };
    let a = contacts::create(&db, &w.manager, &with("Alfa Srl", "Fiera, Expo, Web")).await.unwrap().contact;
    let b = contacts::create(&db, &w.manager, &with("Beta Srl", "Fiera")).await.unwrap().contact;
    let id_of = |name: &str| a.tags.iter().find(|t| t.name == name).unwrap().id;
    let (fiera, expo, web) = (id_of("Fiera"), id_of("Expo"), id_of("Web"));
    // Four managers at once: Fiera into Expo, Expo into Fiera, Fiera into Web, and Expo deleted.
    let (m, d) = (&w.manager, &db);
    let (one, two, three, four) = tokio::join!(
        contacts::merge_tags(d, m, fiera, expo),
        contacts::merge_tags(d, m, expo, fiera),
        contacts::merge_tags(d, m, fiera, web),
        contacts::delete_tag(d, m, expo),
    );
    for result in [&one, &two, &three, &four] {
        assert!(matches!(result, Ok(()) | Err(AppError::NotFound)), "a clear answer, never a fault: {result:?}");
    }
    // Every tag still named on a contact exists, and both contacts keep the sales tag.
    let left: Vec<TagId> = contacts::list_tags(&db, &w.manager).await.unwrap().into_iter().map(|t| t.id).collect();
    for contact in [a.id, b.id] {
        let tags = contacts::get(&db, &w.manager, contact).await.unwrap().tags;
        assert!(tags.iter().all(|t| left.contains(&t.id)));
        assert!(tags.iter().any(|t| t.id == w.clienti));
    }
    // Beta's only user tag was Fiera: unless a delete took the tag it was merged into, it carries
    // the survivor of the merges.
    let beta: Vec<String> = contacts::get(&db, &w.manager, b.id).await.unwrap().tags.into_iter().map(|t| t.name).collect();
    assert!(beta.len() <= 2, "{beta:?}");
});
