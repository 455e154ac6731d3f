//! Lost reasons, on SQLite and PostgreSQL: the default list, its rules (names unique in any case,
//! at most 50, one always offered, a reason in use archived rather than deleted), a lost sale
//! naming one (by id or by name; an archived one only as the reason it already has), the history,
//! and what a member may change (nothing).

mod common;

use app::config::lost_reasons::{LostReasonId, MAX_REASONS};
use app::config::ssr::lost_reasons as reasons;
use app::error::{AppError, Field, Problem};
use app::sales::ssr as sales;
use app::sales::{HistoryField, HistoryValue, SaleForm};
use common::world::{sale, world};
use sea_orm::DatabaseConnection;

db_test!(the_default_list_is_offered_in_order, |db: DatabaseConnection| async move {
    let manager = common::user(&db, "giulia", app::auth::Role::Manager).await;
    let list = reasons::list(&db, &manager).await.unwrap();
    let names: Vec<&str> = list.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["Prezzo", "Concorrenza", "Tempistica", "Nessuna risposta", "Altro"]);
    assert!(list.iter().all(|r| r.active && r.sales == 0));
    assert_eq!(reasons::offered(&db).await.unwrap().len(), 5);
});

db_test!(managers_keep_the_list_and_its_rules_hold, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let m = &w.manager;
    // A member changes nothing.
    assert_eq!(reasons::add(&db, &w.marco, "Budget").await.unwrap_err(), AppError::Forbidden);
    let prezzo = reasons::list(&db, &w.manager).await.unwrap()[0].id;
    assert_eq!(reasons::rename(&db, &w.marco, prezzo, "Costo").await.unwrap_err(), AppError::Forbidden);
    assert_eq!(reasons::set_active(&db, &w.marco, prezzo, false).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(reasons::move_up(&db, &w.marco, prezzo).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(reasons::delete(&db, &w.marco, prezzo).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(reasons::list(&db, &w.manager).await.unwrap()[0].name, "Prezzo", "nothing changed");

    // Names: required, short, unique in any case.
    assert_eq!(reasons::add(&db, m, "   ").await.unwrap_err(), AppError::invalid(Field::Name, Problem::Required));
    assert_eq!(reasons::add(&db, m, &"x".repeat(61)).await.unwrap_err(), AppError::invalid(Field::Name, Problem::TooLong));
    assert_eq!(reasons::add(&db, m, " PREZZO ").await.unwrap_err(), AppError::invalid(Field::Name, Problem::Taken));
    let budget = reasons::add(&db, m, " Budget ").await.unwrap();
    assert_eq!(budget.name, "Budget");
    assert_eq!(reasons::rename(&db, m, budget.id, "altro").await.unwrap_err(), AppError::invalid(Field::Name, Problem::Taken));
    reasons::rename(&db, m, budget.id, "BUDGET").await.expect("its own name in another case");
    assert_eq!(reasons::rename(&db, m, LostReasonId(999_999), "x").await.unwrap_err(), AppError::NotFound);

    // New ones go last; moving up swaps with the one before; the first stays first.
    reasons::move_up(&db, m, budget.id).await.unwrap();
    reasons::move_up(&db, m, prezzo).await.unwrap();
    let names: Vec<String> = reasons::list(&db, &w.manager).await.unwrap().into_iter().map(|r| r.name).collect();
    assert_eq!(names, ["Prezzo", "Concorrenza", "Tempistica", "Nessuna risposta", "BUDGET", "Altro"]);

    // At most 50, archived ones included.
    for i in 0..(MAX_REASONS - 6) {
        reasons::add(&db, m, &format!("Motivo {i}")).await.unwrap();
    }
    assert_eq!(reasons::add(&db, m, "Uno di troppo").await.unwrap_err(), AppError::invalid(Field::Name, Problem::TooMany));
    assert_eq!(reasons::list(&db, &w.manager).await.unwrap().len() as u64, MAX_REASONS);
});

db_test!(a_lost_sale_names_an_offered_reason_and_an_archived_one_stays_on_its_sales, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let m = &w.manager;
    let list = reasons::list(&db, &w.manager).await.unwrap();
    let (prezzo, concorrenza) = (list[0].id, list[1].id);
    let lost =
        |reason: &str, note: &str| SaleForm { lost_reason: reason.into(), lost_note: note.into(), ..sale(&w, w.marco_seller, "1", "100", "lost") };
    let create = async |form: SaleForm| sales::create(&db, &w.marco, w.customer, &form).await;

    // Required, one of the list (by id or name), the note optional and at most 500 characters.
    assert_eq!(create(lost("", "")).await.unwrap_err(), AppError::invalid(Field::LostReason, Problem::Required));
    assert_eq!(create(lost("999999", "")).await.unwrap_err(), AppError::invalid(Field::LostReason, Problem::Invalid));
    assert_eq!(create(lost("Costava troppo", "")).await.unwrap_err(), AppError::invalid(Field::LostReason, Problem::Invalid));
    assert_eq!(create(lost("prezzo", &"n".repeat(501))).await.unwrap_err(), AppError::invalid(Field::LostNote, Problem::TooLong));
    let by_id = create(lost(&prezzo.0.to_string(), "")).await.unwrap();
    assert_eq!((by_id.lost_reason.as_ref().map(|r| r.id), by_id.lost_note.as_deref()), (Some(prezzo), None));
    let by_name = create(lost(" concorrenza ", " Ha scelto Bianchi ")).await.unwrap();
    assert_eq!((by_name.lost_reason.as_ref().map(|r| r.id), by_name.lost_note.as_deref()), (Some(concorrenza), Some("Ha scelto Bianchi")));
    // A reason on a won sale is dropped: only lost sales have one.
    let won =
        create(SaleForm { lost_reason: prezzo.0.to_string(), lost_note: "x".into(), ..sale(&w, w.marco_seller, "1", "100", "won") }).await.unwrap();
    assert_eq!((won.lost_reason, won.lost_note), (None, None));

    // In use: counted, not deletable; archived instead, no longer offered, still on its sale.
    assert_eq!(reasons::list(&db, &w.manager).await.unwrap()[0].sales, 1);
    assert_eq!(reasons::delete(&db, m, prezzo).await.unwrap_err(), AppError::LostReasonInUse { sales: 1 });
    reasons::set_active(&db, m, prezzo, false).await.unwrap();
    assert!(!reasons::offered(&db).await.unwrap().iter().any(|r| r.id == prezzo));
    assert_eq!(create(lost("Prezzo", "")).await.unwrap_err(), AppError::invalid(Field::LostReason, Problem::Invalid), "archived: not offered");
    // The sale that has it keeps it when saved again; changing to another reason is fine.
    let again = sales::update(&db, &w.marco, by_id.id, by_id.version, &SaleForm::of(&by_id)).await.unwrap();
    assert_eq!(again.lost_reason.as_ref().map(|r| r.name.as_str()), Some("Prezzo"));
    let form = SaleForm { lost_reason: "Concorrenza".into(), lost_note: "sconto del 20%".into(), ..SaleForm::of(&again) };
    let changed = sales::update(&db, &w.marco, again.id, again.version, &form).await.unwrap();
    let history = sales::history(&db, &w.marco, changed.id).await.unwrap();
    let change = |field| history.iter().find(|h| h.field == Some(field)).map(|h| (h.old.clone(), h.new.clone()));
    let text = |t: &str| Some(HistoryValue::Text(t.into()));
    assert_eq!(change(HistoryField::LostReason), Some((text("Prezzo"), text("Concorrenza"))));
    assert_eq!(change(HistoryField::LostNote), Some((None, text("sconto del 20%"))));
    // Renaming shows on the sales; the history keeps the name it had.
    reasons::rename(&db, m, concorrenza, "Concorrente").await.unwrap();
    assert_eq!(sales::get(&db, &w.marco, changed.id).await.unwrap().lost_reason.map(|r| r.name).as_deref(), Some("Concorrente"));
    assert_eq!(sales::history(&db, &w.marco, changed.id).await.unwrap(), history);
    // Restored, it is offered again; an unused one is deleted.
    reasons::set_active(&db, m, prezzo, true).await.unwrap();
    let altro = reasons::list(&db, &w.manager).await.unwrap().into_iter().find(|r| r.name == "Altro").unwrap();
    reasons::delete(&db, m, altro.id).await.unwrap();
    assert_eq!(reasons::list(&db, &w.manager).await.unwrap().len(), 4);
});

db_test!(the_last_reason_offered_stays, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let m = &w.manager;
    let list = reasons::list(&db, &w.manager).await.unwrap();
    for r in &list[1..] {
        reasons::set_active(&db, m, r.id, false).await.unwrap();
    }
    assert_eq!(reasons::set_active(&db, m, list[0].id, false).await.unwrap_err(), AppError::LastLostReason);
    assert_eq!(reasons::delete(&db, m, list[0].id).await.unwrap_err(), AppError::LastLostReason);
    // An archived one goes without a fuss.
    reasons::delete(&db, m, list[1].id).await.unwrap();
    assert_eq!(reasons::offered(&db).await.unwrap().len(), 1);
});

db_test!(a_member_counts_only_his_own_sellers_lost_sales, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let lost = |seller| SaleForm { lost_reason: "Prezzo".into(), ..sale(&w, seller, "1", "100", "lost") };
    sales::create(&db, &w.marco, w.customer, &lost(w.marco_seller)).await.unwrap();
    for _ in 0..3 {
        sales::create(&db, &w.sara, w.customer, &lost(w.sara_seller)).await.unwrap();
    }
    let prezzo = |list: Vec<app::config::lost_reasons::LostReason>| list.into_iter().find(|r| r.name == "Prezzo").unwrap().sales;
    assert_eq!(prezzo(reasons::list(&db, &w.manager).await.unwrap()), 4, "a manager counts every seller's");
    assert_eq!(prezzo(reasons::list(&db, &w.marco).await.unwrap()), 1, "marco sees his own, never sara's three");
    assert_eq!(prezzo(reasons::list(&db, &w.sara).await.unwrap()), 3);
});
