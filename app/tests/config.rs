//! CRM configuration: the sales tag, sellers, the category tree, products and stage probabilities,
//! on SQLite and PostgreSQL. Every rule of the issue, and who may do what.

mod common;

use app::auth::{CurrentUser, Role};
use app::catalog::ssr as catalog;
use app::catalog::{CategoryId, Direction, ProductFilter, ProductForm};
use app::config::ssr as config;
use app::config::{SalesTag, StagesForm, Step};
use app::db::entities::{contacts, sales};
use app::error::{AppError, Field, Problem};
use app::money::{Money, Percent};
use app::sellers::ssr as sellers;
use app::sellers::{NewSeller, SellerKind};
use chrono::Utc;
use common::user;
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set};

struct Crew {
    admin: CurrentUser,
    manager: CurrentUser,
    member: CurrentUser,
}

async fn crew(db: &DatabaseConnection) -> Crew {
    Crew {
        admin: user(db, "anna", Role::Admin).await,
        manager: user(db, "giulia", Role::Manager).await,
        member: user(db, "marco", Role::Member).await,
    }
}

fn product(code: &str, price: &str) -> ProductForm {
    ProductForm {
        code: code.into(),
        name: format!("Product {code}"),
        description: String::new(),
        category: String::new(),
        unit: "pz".into(),
        list_price: price.into(),
        vat_rate: "22".into(),
    }
}

fn stages(lead: &str, negotiation: &str, proposal: &str) -> StagesForm {
    StagesForm { lead: lead.into(), negotiation: negotiation.into(), proposal: proposal.into(), currency: "EUR".into() }
}

fn team(name: &str, members: &[&CurrentUser]) -> NewSeller {
    NewSeller { kind: SellerKind::Generic, name: name.into(), user: None, members: members.iter().map(|m| m.id).collect() }
}

fn user_seller(who: &CurrentUser) -> NewSeller {
    NewSeller { kind: SellerKind::User, name: String::new(), user: Some(who.id), members: vec![] }
}

fn invalid(field: Field, problem: Problem) -> AppError {
    AppError::invalid(field, problem)
}

/// A sale recorded straight in the table (the sales module is not part of this issue).
async fn record_sale(db: &DatabaseConnection, seller: i64, product: i64, by: &CurrentUser) {
    let now = Utc::now();
    let contact = contacts::ActiveModel {
        kind: Set(app::contacts::ContactKind::Company),
        name: Set("Rossi Srl".into()),
        country: Set("IT".into()),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    sales::ActiveModel {
        contact_id: Set(contact.id),
        product_id: Set(product),
        seller_id: Set(seller),
        quantity_milli: Set(1000),
        unit_price_cents: Set(1000),
        discount_bp: Set(0),
        vat_rate_bp: Set(2200),
        net_cents: Set(1000),
        gross_cents: Set(1220),
        stage: Set(app::sales::Stage::Lead),
        probability: Set(10),
        sale_date: Set(now.date_naive()),
        created_by: Set(by.id.0),
        created_at: Set(now),
        updated_by: Set(by.id.0),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
}

// ---------------------------------------------------------------- wizard and settings

db_test!(a_fresh_install_has_every_step_to_do_and_the_wizard_walks_them_in_order, |db: DatabaseConnection| async move {
    let c = crew(&db).await;
    let start = config::overview(&db, &c.manager).await.unwrap();
    // The lost reasons come with a default list: that step is done from the start.
    assert_eq!(start.done, [false, false, false, false, true, false]);
    assert_eq!(start.next_step(), Some(Step::Tag));
    assert!(start.can_edit);
    assert!(!config::overview(&db, &c.member).await.unwrap().can_edit, "members read only");

    let settings = config::set_sales_tag(&db, &c.manager, start.settings.version, "customers", false).await.unwrap();
    assert_eq!(settings.sales_tag, Some(SalesTag::Customers));
    assert_eq!(config::overview(&db, &c.manager).await.unwrap().next_step(), Some(Step::Sellers));
    sellers::create_seller(&db, &c.manager, user_seller(&c.manager)).await.unwrap();
    assert_eq!(config::overview(&db, &c.manager).await.unwrap().next_step(), Some(Step::Categories));
    let cat = catalog::create_category(&db, &c.manager, "Servizi", None).await.unwrap();
    assert_eq!(config::overview(&db, &c.manager).await.unwrap().next_step(), Some(Step::Products));
    catalog::create_product(&db, &c.manager, &ProductForm { category: cat.id.0.to_string(), ..product("P1", "10") }).await.unwrap();
    let before = config::overview(&db, &c.manager).await.unwrap();
    assert_eq!(before.next_step(), Some(Step::Stages));
    assert!(!before.settings.wizard_done);

    let saved = config::set_stages(&db, &c.manager, before.settings.version, stages("15", "40", "70%")).await.unwrap();
    assert!(saved.wizard_done, "saving the stage probabilities completes the wizard");
    assert_eq!((saved.probabilities.lead, saved.probabilities.negotiation, saved.probabilities.proposal), (15, 40, 70));
    let done = config::overview(&db, &c.member).await.unwrap();
    assert_eq!(done.done, [true; 6]);
    assert_eq!(done.next_step(), None);
});

db_test!(the_sales_tag_is_clienti_or_fornitori_and_nothing_else, |db: DatabaseConnection| async move {
    let c = crew(&db).await;
    let v = config::settings(&db).await.unwrap().version;
    assert_eq!(config::set_sales_tag(&db, &c.admin, v, "friends", false).await.unwrap_err(), invalid(Field::SalesTag, Problem::Invalid));
    assert_eq!(config::settings(&db).await.unwrap().sales_tag, None, "nothing saved on error");
    let s = config::set_sales_tag(&db, &c.admin, v, "suppliers", false).await.unwrap();
    assert_eq!(s.sales_tag, Some(SalesTag::Suppliers));
    assert!(s.sales_tag_id.is_some());
});

db_test!(stage_probabilities_are_whole_percentages_and_the_currency_three_letters, |db: DatabaseConnection| async move {
    let c = crew(&db).await;
    let v = config::settings(&db).await.unwrap().version;
    let cases = [
        (stages("", "30", "60"), invalid(Field::ProbLead, Problem::Required)),
        (stages("10", "abc", "60"), invalid(Field::ProbNegotiation, Problem::Invalid)),
        (stages("10", "30", "101"), invalid(Field::ProbProposal, Problem::OutOfRange)),
        (stages("-1", "30", "60"), invalid(Field::ProbLead, Problem::OutOfRange)),
        (StagesForm { currency: "EURO".into(), ..stages("10", "30", "60") }, invalid(Field::Currency, Problem::Invalid)),
        (StagesForm { currency: " ".into(), ..stages("10", "30", "60") }, invalid(Field::Currency, Problem::Required)),
    ];
    for (form, expected) in cases {
        assert_eq!(config::set_stages(&db, &c.manager, v, form).await.unwrap_err(), expected);
    }
    let unchanged = config::settings(&db).await.unwrap();
    assert_eq!((unchanged.version, unchanged.probabilities.lead, unchanged.wizard_done), (v, 10, false), "nothing saved on error");
    let s = config::set_stages(&db, &c.manager, v, StagesForm { currency: "chf".into(), ..stages("0", "50", "100") }).await.unwrap();
    assert_eq!(s.currency, "CHF");
});

db_test!(two_managers_saving_the_settings_the_second_gets_a_conflict, |db: DatabaseConnection| async move {
    let c = crew(&db).await;
    let v = config::settings(&db).await.unwrap().version;
    config::set_sales_tag(&db, &c.manager, v, "customers", false).await.unwrap();
    assert_eq!(config::set_stages(&db, &c.admin, v, stages("20", "30", "60")).await.unwrap_err(), AppError::Conflict);
    assert_eq!(config::settings(&db).await.unwrap().probabilities.lead, 10);
});

// ---------------------------------------------------------------- sellers

db_test!(a_user_seller_takes_the_users_name_and_a_user_is_a_seller_only_once, |db: DatabaseConnection| async move {
    let c = crew(&db).await;
    let s = sellers::create_seller(&db, &c.manager, user_seller(&c.member)).await.unwrap();
    assert_eq!((s.kind, s.name.as_str()), (SellerKind::User, "marco name"));
    assert_eq!(s.user.as_ref().unwrap().id, c.member.id);
    let again = NewSeller { name: "Marco bis".into(), ..user_seller(&c.member) };
    assert_eq!(sellers::create_seller(&db, &c.manager, again).await.unwrap_err(), invalid(Field::SellerUser, Problem::Taken));
    // Even when deactivated, he stays that user's seller.
    sellers::set_seller_active(&db, &c.manager, s.id, s.version, false).await.unwrap();
    assert_eq!(sellers::create_seller(&db, &c.manager, user_seller(&c.member)).await.unwrap_err(), invalid(Field::SellerUser, Problem::Taken));
    let no_user = NewSeller { user: None, ..user_seller(&c.member) };
    assert_eq!(sellers::create_seller(&db, &c.manager, no_user).await.unwrap_err(), invalid(Field::SellerUser, Problem::Required));
    let candidates = sellers::seller_candidates(&db, &c.manager).await.unwrap();
    assert!(candidates.iter().find(|k| k.user.id == c.member.id).unwrap().is_seller);
    assert!(!candidates.iter().find(|k| k.user.id == c.admin.id).unwrap().is_seller);
    assert_eq!(sellers::list_sellers(&db, &c.member).await.unwrap().len(), 1);
});

db_test!(a_generic_seller_has_a_free_name_and_optional_members, |db: DatabaseConnection| async move {
    let c = crew(&db).await;
    let t = sellers::create_seller(&db, &c.manager, team("Team Nord", &[&c.member, &c.manager])).await.unwrap();
    assert_eq!(t.kind, SellerKind::Generic);
    assert_eq!(t.members.len(), 2);
    let solo = sellers::create_seller(&db, &c.manager, team("Agenzia Esterna", &[])).await.unwrap();
    assert!(solo.members.is_empty());
    assert_eq!(sellers::create_seller(&db, &c.manager, team("  ", &[])).await.unwrap_err(), invalid(Field::Name, Problem::Required));
    let mut ghost = team("Fantasmi", &[]);
    ghost.members = vec![app::auth::UserId(9999)];
    assert_eq!(sellers::create_seller(&db, &c.manager, ghost).await.unwrap_err(), invalid(Field::Members, Problem::Invalid));

    let t = sellers::set_seller_members(&db, &c.manager, t.id, t.version, vec![c.admin.id]).await.unwrap();
    assert_eq!(t.members.iter().map(|m| m.login.as_str()).collect::<Vec<_>>(), ["anna"]);
    assert_eq!(sellers::list_sellers(&db, &c.member).await.unwrap().len(), 2, "nothing else was created");
});

db_test!(seller_names_are_unique_whatever_the_case_on_create_and_rename, |db: DatabaseConnection| async move {
    let c = crew(&db).await;
    sellers::create_seller(&db, &c.manager, team("Team Nord", &[])).await.unwrap();
    assert_eq!(sellers::create_seller(&db, &c.manager, team("team nord", &[])).await.unwrap_err(), invalid(Field::Name, Problem::Taken));
    let sud = sellers::create_seller(&db, &c.manager, team("Team Sud", &[])).await.unwrap();
    assert_eq!(sellers::rename_seller(&db, &c.manager, sud.id, sud.version, "TEAM NORD").await.unwrap_err(), invalid(Field::Name, Problem::Taken));
    let named = NewSeller { name: "Team Sud".into(), ..user_seller(&c.member) };
    assert_eq!(sellers::create_seller(&db, &c.manager, named).await.unwrap_err(), invalid(Field::Name, Problem::Taken));
    let renamed = sellers::rename_seller(&db, &c.manager, sud.id, sud.version, " Team Sud-Est ").await.unwrap();
    assert_eq!(renamed.name, "Team Sud-Est");
    assert_eq!(renamed.version, sud.version + 1);
});

db_test!(a_seller_with_sales_is_deactivated_never_deleted, |db: DatabaseConnection| async move {
    let c = crew(&db).await;
    let busy = sellers::create_seller(&db, &c.manager, user_seller(&c.member)).await.unwrap();
    let idle = sellers::create_seller(&db, &c.manager, team("Vuoto", &[&c.member])).await.unwrap();
    let p = catalog::create_product(&db, &c.manager, &product("P1", "10")).await.unwrap();
    record_sale(&db, busy.id.0, p.id.0, &c.member).await;

    assert_eq!(sellers::delete_seller(&db, &c.manager, busy.id, busy.version).await.unwrap_err(), AppError::SellerHasSales);
    let off = sellers::set_seller_active(&db, &c.manager, busy.id, busy.version, false).await.unwrap();
    assert!(!off.active);
    assert_eq!(off.sales, 1);
    let offered = app::sales::ssr::form_options(&db, &c.manager).await.unwrap().sellers;
    assert!(offered.iter().all(|s| s.id != busy.id), "an inactive seller is not offered");

    assert_eq!(sellers::delete_seller(&db, &c.manager, idle.id, idle.version + 7).await.unwrap_err(), AppError::Conflict);
    sellers::delete_seller(&db, &c.manager, idle.id, idle.version).await.unwrap();
    let left = sellers::list_sellers(&db, &c.manager).await.unwrap();
    assert_eq!(left.len(), 1);
});

db_test!(two_managers_editing_one_seller_the_second_gets_a_conflict, |db: DatabaseConnection| async move {
    let c = crew(&db).await;
    let s = sellers::create_seller(&db, &c.manager, team("Team Nord", &[])).await.unwrap();
    sellers::rename_seller(&db, &c.manager, s.id, s.version, "Team Nord-Ovest").await.unwrap();
    assert_eq!(sellers::rename_seller(&db, &c.admin, s.id, s.version, "Team Nord-Est").await.unwrap_err(), AppError::Conflict);
    assert_eq!(sellers::set_seller_active(&db, &c.admin, s.id, s.version, false).await.unwrap_err(), AppError::Conflict);
    assert_eq!(sellers::set_seller_members(&db, &c.admin, s.id, s.version, vec![c.member.id]).await.unwrap_err(), AppError::Conflict);
    let now = sellers::list_sellers(&db, &c.admin).await.unwrap().remove(0);
    assert_eq!((now.name.as_str(), now.active, now.members.len()), ("Team Nord-Ovest", true, 0));
    assert_eq!(sellers::rename_seller(&db, &c.admin, app::sellers::SellerId(9999), 1, "X").await.unwrap_err(), AppError::NotFound);
});

// ---------------------------------------------------------------- categories

db_test!(categories_form_a_tree_listed_depth_first_in_sibling_order, |db: DatabaseConnection| async move {
    let c = crew(&db).await;
    let hw = catalog::create_category(&db, &c.manager, "Hardware", None).await.unwrap();
    let sw = catalog::create_category(&db, &c.manager, "Software", None).await.unwrap();
    let pc = catalog::create_category(&db, &c.manager, "PC", Some(hw.id)).await.unwrap();
    catalog::create_category(&db, &c.manager, "Licenze", Some(sw.id)).await.unwrap();
    catalog::create_category(&db, &c.manager, "Monitor", Some(hw.id)).await.unwrap();
    catalog::create_category(&db, &c.manager, "Portatili", Some(pc.id)).await.unwrap();
    let tree = catalog::list_categories(&db, &c.member).await.unwrap();
    let shape: Vec<(String, usize)> = tree.iter().map(|n| (n.name.clone(), n.depth)).collect();
    let expected = [("Hardware", 0), ("PC", 1), ("Portatili", 2), ("Monitor", 1), ("Software", 0), ("Licenze", 1)];
    assert_eq!(shape, expected.map(|(n, d)| (n.to_string(), d)));
    assert_eq!(tree[0].children, 2);

    assert_eq!(catalog::create_category(&db, &c.manager, "pc", Some(hw.id)).await.unwrap_err(), invalid(Field::Name, Problem::Taken));
    catalog::create_category(&db, &c.manager, "PC", Some(sw.id)).await.expect("the same name under another parent is fine");
    assert_eq!(catalog::create_category(&db, &c.manager, "", None).await.unwrap_err(), invalid(Field::Name, Problem::Required));
    assert_eq!(catalog::create_category(&db, &c.manager, "X", Some(CategoryId(9999))).await.unwrap_err(), invalid(Field::Parent, Problem::Invalid));
});

db_test!(rename_reorder_and_move_categories, |db: DatabaseConnection| async move {
    let c = crew(&db).await;
    let a = catalog::create_category(&db, &c.manager, "A", None).await.unwrap();
    let b = catalog::create_category(&db, &c.manager, "B", None).await.unwrap();
    let cc = catalog::create_category(&db, &c.manager, "C", None).await.unwrap();
    let names = |tree: Vec<app::catalog::CategoryNode>| tree.into_iter().map(|n| n.name).collect::<Vec<_>>();

    let cc = catalog::reorder_category(&db, &c.manager, cc.id, cc.version, Direction::Up).await.unwrap();
    assert_eq!(names(catalog::list_categories(&db, &c.manager).await.unwrap()), ["A", "C", "B"]);
    let a = catalog::reorder_category(&db, &c.manager, a.id, a.version, Direction::Up).await.unwrap();
    assert_eq!(names(catalog::list_categories(&db, &c.manager).await.unwrap()), ["A", "C", "B"], "the first stays first");
    let a = catalog::reorder_category(&db, &c.manager, a.id, a.version, Direction::Down).await.unwrap();
    assert_eq!(names(catalog::list_categories(&db, &c.manager).await.unwrap()), ["C", "A", "B"]);

    let a = catalog::rename_category(&db, &c.manager, a.id, a.version, "Alfa").await.unwrap();
    assert_eq!(catalog::rename_category(&db, &c.manager, b.id, b.version, "alfa").await.unwrap_err(), invalid(Field::Name, Problem::Taken));

    let b = catalog::move_category(&db, &c.manager, b.id, b.version, Some(a.id)).await.unwrap();
    assert_eq!((b.parent, b.depth), (Some(a.id), 1));
    let b = catalog::move_category(&db, &c.manager, b.id, b.version, None).await.unwrap();
    assert_eq!(b.parent, None);
    assert_eq!(names(catalog::list_categories(&db, &c.manager).await.unwrap()), ["C", "Alfa", "B"], "back at the top, last");
    let _ = cc;
});

db_test!(a_category_cannot_move_under_itself_or_its_descendants, |db: DatabaseConnection| async move {
    let c = crew(&db).await;
    let top = catalog::create_category(&db, &c.manager, "Top", None).await.unwrap();
    let mid = catalog::create_category(&db, &c.manager, "Mid", Some(top.id)).await.unwrap();
    let low = catalog::create_category(&db, &c.manager, "Low", Some(mid.id)).await.unwrap();
    for target in [top.id, mid.id, low.id] {
        let err = catalog::move_category(&db, &c.manager, top.id, top.version, Some(target)).await.unwrap_err();
        assert_eq!(err, invalid(Field::Parent, Problem::Cycle));
    }
    let tree = catalog::list_categories(&db, &c.manager).await.unwrap();
    assert_eq!(tree.iter().map(|n| n.depth).collect::<Vec<_>>(), [0, 1, 2], "the tree is unchanged");
    // Moving a child up one level is fine.
    catalog::move_category(&db, &c.manager, low.id, low.version, Some(top.id)).await.unwrap();
});

db_test!(a_category_with_products_or_children_is_not_deleted, |db: DatabaseConnection| async move {
    let c = crew(&db).await;
    let parent = catalog::create_category(&db, &c.manager, "Servizi", None).await.unwrap();
    let child = catalog::create_category(&db, &c.manager, "Consulenza", Some(parent.id)).await.unwrap();
    let p = catalog::create_product(&db, &c.manager, &ProductForm { category: child.id.0.to_string(), ..product("CONS-1", "90") }).await.unwrap();

    assert_eq!(catalog::delete_category(&db, &c.manager, parent.id, parent.version).await.unwrap_err(), AppError::CategoryHasChildren);
    assert_eq!(catalog::delete_category(&db, &c.manager, child.id, child.version).await.unwrap_err(), AppError::CategoryHasProducts);
    let tree = catalog::list_categories(&db, &c.manager).await.unwrap();
    assert_eq!(tree.len(), 2);
    assert_eq!(tree[1].products, 1, "each node counts its products");
    assert_eq!(
        AppError::CategoryHasProducts.message(app::i18n::Lang::It),
        "La categoria contiene ancora prodotti: spostali in un'altra categoria prima."
    );

    catalog::update_product(&db, &c.manager, p.id, p.version, &product("CONS-1", "90")).await.unwrap();
    assert_eq!(catalog::delete_category(&db, &c.manager, child.id, child.version + 1).await.unwrap_err(), AppError::Conflict);
    catalog::delete_category(&db, &c.manager, child.id, child.version).await.unwrap();
    catalog::delete_category(&db, &c.manager, parent.id, parent.version).await.unwrap();
    assert!(catalog::list_categories(&db, &c.manager).await.unwrap().is_empty());
});

db_test!(two_managers_editing_one_category_the_second_gets_a_conflict, |db: DatabaseConnection| async move {
    let c = crew(&db).await;
    let a = catalog::create_category(&db, &c.manager, "A", None).await.unwrap();
    let b = catalog::create_category(&db, &c.manager, "B", None).await.unwrap();
    catalog::rename_category(&db, &c.manager, a.id, a.version, "A1").await.unwrap();
    assert_eq!(catalog::rename_category(&db, &c.admin, a.id, a.version, "A2").await.unwrap_err(), AppError::Conflict);
    assert_eq!(catalog::move_category(&db, &c.admin, a.id, a.version, Some(b.id)).await.unwrap_err(), AppError::Conflict);
    assert_eq!(catalog::reorder_category(&db, &c.admin, a.id, a.version, Direction::Down).await.unwrap_err(), AppError::Conflict);
    let tree = catalog::list_categories(&db, &c.admin).await.unwrap();
    assert_eq!((tree[0].name.as_str(), tree[0].parent), ("A1", None));
});

// ---------------------------------------------------------------- products

db_test!(every_product_field_is_checked_and_nothing_is_saved_on_error, |db: DatabaseConnection| async move {
    let c = crew(&db).await;
    let base = product("P-1", "10");
    let cases = [
        (ProductForm { code: " ".into(), ..base.clone() }, invalid(Field::Code, Problem::Required)),
        (ProductForm { code: "X".repeat(33), ..base.clone() }, invalid(Field::Code, Problem::TooLong)),
        (ProductForm { name: "".into(), ..base.clone() }, invalid(Field::Name, Problem::Required)),
        (ProductForm { description: "d".repeat(2001), ..base.clone() }, invalid(Field::Description, Problem::TooLong)),
        (ProductForm { category: "abc".into(), ..base.clone() }, invalid(Field::Category, Problem::Invalid)),
        (ProductForm { category: "9999".into(), ..base.clone() }, invalid(Field::Category, Problem::Invalid)),
        (ProductForm { unit: "".into(), ..base.clone() }, invalid(Field::Unit, Problem::Required)),
        (ProductForm { list_price: "".into(), ..base.clone() }, invalid(Field::ListPrice, Problem::Required)),
        (ProductForm { list_price: "-1".into(), ..base.clone() }, invalid(Field::ListPrice, Problem::Negative)),
        (ProductForm { list_price: "10,555".into(), ..base.clone() }, invalid(Field::ListPrice, Problem::TooManyDecimals)),
        (ProductForm { list_price: "dieci".into(), ..base.clone() }, invalid(Field::ListPrice, Problem::Invalid)),
        (ProductForm { vat_rate: "21".into(), ..base.clone() }, invalid(Field::VatRate, Problem::Invalid)),
        (ProductForm { vat_rate: "".into(), ..base.clone() }, invalid(Field::VatRate, Problem::Required)),
    ];
    for (form, expected) in cases {
        assert_eq!(catalog::create_product(&db, &c.manager, &form).await.unwrap_err(), expected, "{form:?}");
    }
    assert!(catalog::list_products(&db, &c.manager, &ProductFilter::default()).await.unwrap().is_empty());
});

db_test!(prices_read_italian_and_english_and_vat_comes_from_the_list, |db: DatabaseConnection| async move {
    let c = crew(&db).await;
    let it = catalog::create_product(&db, &c.manager, &product("IT", "1.234,50")).await.unwrap();
    assert_eq!(it.list_price, Money::from_cents(123_450));
    let en = catalog::create_product(&db, &c.manager, &product("EN", "1234.50")).await.unwrap();
    assert_eq!(en.list_price, Money::from_cents(123_450));
    assert_eq!(en.list_price.to_string(), "1.234,50");
    let free = catalog::create_product(&db, &c.manager, &product("FREE", "0")).await.unwrap();
    assert_eq!(free.list_price, Money::ZERO, "zero is a valid price");
    for (rate, bp) in [("22", 2200), ("10", 1000), ("5", 500), ("4", 400), ("0", 0)] {
        let p = catalog::create_product(&db, &c.manager, &ProductForm { vat_rate: rate.into(), ..product(&format!("V{rate}"), "1") }).await.unwrap();
        assert_eq!(p.vat_rate, Percent::from_bp(bp));
    }
});

db_test!(product_codes_are_unique_whatever_the_case, |db: DatabaseConnection| async move {
    let c = crew(&db).await;
    catalog::create_product(&db, &c.manager, &product("ABC-1", "10")).await.unwrap();
    assert_eq!(catalog::create_product(&db, &c.manager, &product("abc-1", "10")).await.unwrap_err(), invalid(Field::Code, Problem::Taken));
    let other = catalog::create_product(&db, &c.manager, &product("ABC-2", "10")).await.unwrap();
    let err = catalog::update_product(&db, &c.manager, other.id, other.version, &product("ABC-1", "10")).await.unwrap_err();
    assert_eq!(err, invalid(Field::Code, Problem::Taken));
    let same = catalog::update_product(&db, &c.manager, other.id, other.version, &product("ABC-2", "12,50")).await.unwrap();
    assert_eq!(same.list_price, Money::from_cents(1250), "keeping its own code is fine");
});

db_test!(the_product_list_searches_code_and_name_and_filters_by_category_with_its_subcategories, |db: DatabaseConnection| async move {
    let c = crew(&db).await;
    let hw = catalog::create_category(&db, &c.manager, "Hardware", None).await.unwrap();
    let pc = catalog::create_category(&db, &c.manager, "PC", Some(hw.id)).await.unwrap();
    let sw = catalog::create_category(&db, &c.manager, "Software", None).await.unwrap();
    let with = |code: &str, name: &str, cat: CategoryId| ProductForm { name: name.into(), category: cat.0.to_string(), ..product(code, "100") };
    catalog::create_product(&db, &c.manager, &with("HW-MON", "Monitor 27\"", hw.id)).await.unwrap();
    catalog::create_product(&db, &c.manager, &with("PC-LAP", "Portatile 14", pc.id)).await.unwrap();
    catalog::create_product(&db, &c.manager, &with("SW-ERP", "Licenza gestionale", sw.id)).await.unwrap();
    let codes = |rows: Vec<app::catalog::ProductRow>| rows.into_iter().map(|p| p.code).collect::<Vec<_>>();
    let search = |s: &str| ProductFilter { search: s.into(), category: None };

    assert_eq!(codes(catalog::list_products(&db, &c.member, &search("portatile")).await.unwrap()), ["PC-LAP"]);
    assert_eq!(codes(catalog::list_products(&db, &c.member, &search("sw-")).await.unwrap()), ["SW-ERP"]);
    assert_eq!(codes(catalog::list_products(&db, &c.member, &search("%")).await.unwrap()), Vec::<String>::new(), "wildcards are literal");
    let in_hw = ProductFilter { search: String::new(), category: Some(hw.id) };
    assert_eq!(codes(catalog::list_products(&db, &c.member, &in_hw).await.unwrap()), ["HW-MON", "PC-LAP"]);
    let in_pc = ProductFilter { search: String::new(), category: Some(pc.id) };
    let rows = catalog::list_products(&db, &c.member, &in_pc).await.unwrap();
    assert_eq!(rows[0].category_name.as_deref(), Some("PC"));
});

db_test!(an_inactive_product_is_not_offered_for_new_sales, |db: DatabaseConnection| async move {
    let c = crew(&db).await;
    let p = catalog::create_product(&db, &c.manager, &product("OLD", "10")).await.unwrap();
    catalog::create_product(&db, &c.manager, &product("NEW", "10")).await.unwrap();
    let off = catalog::set_product_active(&db, &c.manager, p.id, p.version, false).await.unwrap();
    assert!(!off.active);
    let offered = catalog::products_for_sale(&db, &ProductFilter::default()).await.unwrap();
    assert_eq!(offered.iter().map(|p| p.code.as_str()).collect::<Vec<_>>(), ["NEW"]);
    assert_eq!(catalog::list_products(&db, &c.manager, &ProductFilter::default()).await.unwrap().len(), 2, "the catalogue still shows it");
    catalog::set_product_active(&db, &c.manager, p.id, off.version, true).await.unwrap();
    assert_eq!(catalog::products_for_sale(&db, &ProductFilter::default()).await.unwrap().len(), 2);
});

db_test!(two_managers_editing_one_product_the_second_gets_a_conflict, |db: DatabaseConnection| async move {
    let c = crew(&db).await;
    let p = catalog::create_product(&db, &c.manager, &product("P1", "10")).await.unwrap();
    catalog::update_product(&db, &c.manager, p.id, p.version, &product("P1", "11")).await.unwrap();
    assert_eq!(catalog::update_product(&db, &c.admin, p.id, p.version, &product("P1", "99")).await.unwrap_err(), AppError::Conflict);
    assert_eq!(catalog::set_product_active(&db, &c.admin, p.id, p.version, false).await.unwrap_err(), AppError::Conflict);
    let now = catalog::list_products(&db, &c.admin, &ProductFilter::default()).await.unwrap().remove(0);
    assert_eq!((now.list_price, now.active), (Money::from_cents(1100), true));
});

// ---------------------------------------------------------------- who may do what

db_test!(a_member_reads_everything_and_is_refused_every_change_which_leaves_nothing_changed, |db: DatabaseConnection| async move {
    let c = crew(&db).await;
    let m = &c.member;
    let seller = sellers::create_seller(&db, &c.manager, team("Team", &[])).await.unwrap();
    let cat = catalog::create_category(&db, &c.manager, "Cat", None).await.unwrap();
    let other = catalog::create_category(&db, &c.manager, "Other", None).await.unwrap();
    let p = catalog::create_product(&db, &c.manager, &product("P1", "10")).await.unwrap();
    let v = config::settings(&db).await.unwrap().version;
    let forbidden = Err::<(), _>(AppError::Forbidden);

    assert_eq!(config::set_sales_tag(&db, m, v, "customers", false).await.map(|_| ()), forbidden);
    assert_eq!(config::set_stages(&db, m, v, stages("1", "2", "3")).await.map(|_| ()), forbidden);
    assert_eq!(sellers::seller_candidates(&db, m).await.map(|_| ()), forbidden);
    assert_eq!(sellers::create_seller(&db, m, user_seller(m)).await.map(|_| ()), forbidden);
    assert_eq!(sellers::rename_seller(&db, m, seller.id, seller.version, "Mine").await.map(|_| ()), forbidden);
    assert_eq!(sellers::set_seller_members(&db, m, seller.id, seller.version, vec![m.id]).await.map(|_| ()), forbidden);
    assert_eq!(sellers::set_seller_active(&db, m, seller.id, seller.version, false).await.map(|_| ()), forbidden);
    assert_eq!(sellers::delete_seller(&db, m, seller.id, seller.version).await, forbidden);
    assert_eq!(catalog::create_category(&db, m, "New", None).await.map(|_| ()), forbidden);
    assert_eq!(catalog::rename_category(&db, m, cat.id, cat.version, "Mine").await.map(|_| ()), forbidden);
    assert_eq!(catalog::move_category(&db, m, cat.id, cat.version, Some(other.id)).await.map(|_| ()), forbidden);
    assert_eq!(catalog::reorder_category(&db, m, other.id, other.version, Direction::Up).await.map(|_| ()), forbidden);
    assert_eq!(catalog::delete_category(&db, m, cat.id, cat.version).await, forbidden);
    assert_eq!(catalog::create_product(&db, m, &product("P2", "1")).await.map(|_| ()), forbidden);
    assert_eq!(catalog::update_product(&db, m, p.id, p.version, &product("P1", "0")).await.map(|_| ()), forbidden);
    assert_eq!(catalog::set_product_active(&db, m, p.id, p.version, false).await.map(|_| ()), forbidden);

    // Nothing changed, and the member still reads it all.
    let o = config::overview(&db, m).await.unwrap();
    assert_eq!((o.settings.version, o.settings.sales_tag, o.settings.wizard_done), (v, None, false));
    assert_eq!((o.sellers, o.categories, o.products), (1, 2, 1));
    assert_eq!(sellers::list_sellers(&db, m).await.unwrap(), vec![seller]);
    let tree = catalog::list_categories(&db, m).await.unwrap();
    assert_eq!(tree.iter().map(|n| (n.name.as_str(), n.version)).collect::<Vec<_>>(), [("Cat", 1), ("Other", 1)]);
    assert_eq!(catalog::list_products(&db, m, &ProductFilter::default()).await.unwrap(), vec![p]);
});

db_test!(managers_and_admins_may_change_every_part_of_the_configuration, |db: DatabaseConnection| async move {
    let c = crew(&db).await;
    for (i, who) in [&c.manager, &c.admin].into_iter().enumerate() {
        let v = config::settings(&db).await.unwrap().version;
        let v = config::set_sales_tag(&db, who, v, "customers", false).await.unwrap().version;
        config::set_stages(&db, who, v, stages("10", "30", "60")).await.unwrap();
        sellers::seller_candidates(&db, who).await.unwrap();
        let s = sellers::create_seller(&db, who, team(&format!("Team {i}"), &[])).await.unwrap();
        let s = sellers::rename_seller(&db, who, s.id, s.version, &format!("Squadra {i}")).await.unwrap();
        let s = sellers::set_seller_members(&db, who, s.id, s.version, vec![c.member.id]).await.unwrap();
        let s = sellers::set_seller_active(&db, who, s.id, s.version, false).await.unwrap();
        sellers::delete_seller(&db, who, s.id, s.version).await.unwrap();
        let a = catalog::create_category(&db, who, &format!("A{i}"), None).await.unwrap();
        let b = catalog::create_category(&db, who, &format!("B{i}"), None).await.unwrap();
        let a = catalog::rename_category(&db, who, a.id, a.version, &format!("Alfa{i}")).await.unwrap();
        let a = catalog::move_category(&db, who, a.id, a.version, Some(b.id)).await.unwrap();
        let b = catalog::reorder_category(&db, who, b.id, b.version, Direction::Up).await.unwrap();
        catalog::delete_category(&db, who, a.id, a.version).await.unwrap();
        catalog::delete_category(&db, who, b.id, b.version).await.unwrap();
        let p = catalog::create_product(&db, who, &product(&format!("P{i}"), "1")).await.unwrap();
        let p = catalog::update_product(&db, who, p.id, p.version, &product(&format!("P{i}"), "2")).await.unwrap();
        catalog::set_product_active(&db, who, p.id, p.version, false).await.unwrap();
    }
});
