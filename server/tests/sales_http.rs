//! The address book and sales over HTTP, on the real router: the authorization matrix for sales
//! (a member cannot read, edit, delete, list or see the history of another seller's sale, nor
//! register a sale for a seller that is not his), conflicts, bad input, and the card's first load
//! rendered on the server with its Vendita tab only for tagged contacts.

mod common;

use app::state::Config;
use common::*;
use reqwest::{Client, StatusCode};
use serde_json::Value;

async fn shop() -> Shop {
    Shop::open(spawn_app(Config::default()).await).await
}

impl Shop {
    fn sale<'a>(&'a self, seller: &'a str, quantity: &'a str, stage: &'a str) -> Vec<(&'a str, &'a str)> {
        vec![
            ("product", &self.product),
            ("seller", seller),
            ("quantity", quantity),
            ("unit_price", "80"),
            ("discount", "0"),
            ("vat_rate", "22"),
            ("stage", stage),
            ("sale_date", "2026-03-02"),
        ]
    }

    async fn create(&self, client: &Client, seller: &str, quantity: &str) -> Value {
        let mut form = self.sale(seller, quantity, "lead");
        form.push(("contact", &self.customer));
        ok(&self.app, client, "sales_create", &form).await
    }
}

#[tokio::test]
async fn a_member_cannot_reach_another_sellers_sale_by_any_route() {
    let shop = shop().await;
    let app = &shop.app;
    let mine = shop.create(&shop.marco, &shop.marco_seller, "1").await;
    let saras = shop.create(&shop.admin, &shop.sara_seller, "2").await;
    let (id, version) = (s(&saras["id"]), s(&saras["version"]));

    // Read, history, edit, delete: 403 each, and the sale is untouched.
    let mut update = shop.sale(&shop.marco_seller, "9", "won");
    update.extend([("id", id.as_str()), ("version", version.as_str())]);
    let attempts: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("sales_get", vec![("id", &id)]),
        ("sales_history", vec![("id", &id)]),
        ("sales_update", update),
        ("sales_delete", vec![("id", &id), ("version", &version)]),
    ];
    for (function, form) in &attempts {
        let (status, body) = call(app, &shop.marco, function, form).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{function}: {body}");
        assert_eq!(body, Value::String("Forbidden".into()), "{function}");
        let (status, _) = call(app, &shop.anonymous, function, form).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{function} signed out");
    }
    assert_eq!(ok(app, &shop.admin, "sales_get", &[("id", &id)]).await, saras, "nothing changed");

    // Listing: only his own sale, and totals over his sales only.
    let tab = ok(app, &shop.marco, "sales_tab", &[("contact", &shop.customer)]).await;
    let ids: Vec<String> = tab["sales"].as_array().unwrap().iter().map(|s| s["id"].to_string()).collect();
    assert_eq!(ids, [mine["id"].to_string()]);
    assert_eq!(tab["totals"]["open"], 8000);
    let all = ok(app, &shop.manager, "sales_tab", &[("contact", &shop.customer)]).await;
    assert_eq!(all["sales"].as_array().unwrap().len(), 2, "a manager sees every sale");
    assert_eq!(all["totals"]["open"], 24000);

    // Registering a sale for someone else's seller, or moving his own sale there: 403.
    let mut steal = shop.sale(&shop.sara_seller, "1", "lead");
    steal.push(("contact", &shop.customer));
    assert_eq!(call(app, &shop.marco, "sales_create", &steal).await.0, StatusCode::FORBIDDEN);
    let (mine_id, mine_version) = (s(&mine["id"]), s(&mine["version"]));
    let mut moved = shop.sale(&shop.sara_seller, "1", "lead");
    moved.extend([("id", mine_id.as_str()), ("version", mine_version.as_str())]);
    assert_eq!(call(app, &shop.marco, "sales_update", &moved).await.0, StatusCode::FORBIDDEN);
    assert_eq!(ok(app, &shop.manager, "sales_tab", &[("contact", &shop.customer)]).await["sales"].as_array().unwrap().len(), 2);

    // His form only offers his own seller.
    let options = ok(app, &shop.marco, "sales_form_options", &[]).await;
    assert_eq!(options["sellers"].as_array().unwrap().len(), 1);
    assert_eq!(s(&options["default_seller"]), shop.marco_seller);
}

#[tokio::test]
async fn a_stale_save_is_refused_with_the_current_values_and_bad_input_changes_nothing() {
    let shop = shop().await;
    let app = &shop.app;
    let sale = shop.create(&shop.marco, &shop.marco_seller, "1").await;
    let (id, v1) = (s(&sale["id"]), s(&sale["version"]));
    let mut first = shop.sale(&shop.marco_seller, "2", "won");
    first.extend([("id", id.as_str()), ("version", v1.as_str())]);
    let saved = ok(app, &shop.manager, "sales_update", &first).await;
    assert_eq!((saved["stage"].as_str(), saved["probability"].as_i64()), (Some("Won"), Some(100)));
    assert!(saved["closed_date"].is_string(), "won sets the closed date");
    let mut second = shop.sale(&shop.marco_seller, "5", "proposal");
    second.extend([("id", id.as_str()), ("version", v1.as_str())]);
    let (status, body) = call(app, &shop.marco, "sales_update", &second).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let current: Value = serde_json::from_str(body["SaleConflict"].as_str().expect("the current values, as a JSON text")).unwrap();
    assert_eq!(current, saved, "the refusal carries the current values");

    let mut bad = shop.sale(&shop.marco_seller, "tre", "lead");
    bad.push(("contact", &shop.customer));
    let (status, body) = call(app, &shop.marco, "sales_create", &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["Invalid"]["field"], "Quantity");
    // A form with its fields left out: each is empty, the first required one is named.
    let (status, body) = call(app, &shop.marco, "sales_create", &[("contact", &shop.customer)]).await;
    assert_eq!((status, &body["Invalid"]["problem"]), (StatusCode::UNPROCESSABLE_ENTITY, &Value::from("Required")), "{body}");
    let (status, _) = call(app, &shop.marco, "sales_create", &shop.sale(&shop.marco_seller, "1", "lead")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "no contact: a malformed request");
    let mut lost = shop.sale(&shop.marco_seller, "1", "lost");
    lost.push(("contact", &shop.customer));
    let (status, body) = call(app, &shop.marco, "sales_create", &lost).await;
    assert_eq!((status, &body["Invalid"]["field"]), (StatusCode::UNPROCESSABLE_ENTITY, &Value::from("LostReason")));
    assert_eq!(ok(app, &shop.marco, "sales_tab", &[("contact", &shop.customer)]).await["sales"].as_array().unwrap().len(), 1);

    // A contact without the sales tag: no sales on the server either.
    let mut untagged = shop.sale(&shop.marco_seller, "1", "lead");
    untagged.push(("contact", &shop.plain));
    assert_eq!(call(app, &shop.marco, "sales_create", &untagged).await.0, StatusCode::CONFLICT);
    assert_eq!(call(app, &shop.marco, "sales_tab", &[("contact", &shop.plain)]).await.1, Value::String("NoSalesTag".into()));
    // A contact with sales is not deleted (by a manager: members delete no contacts at all).
    let contact = ok(app, &shop.marco, "contacts_get", &[("id", &shop.customer)]).await;
    let (status, body) = call(app, &shop.manager, "contacts_delete", &[("id", &shop.customer), ("version", &s(&contact["version"]))]).await;
    assert_eq!((status, body), (StatusCode::CONFLICT, Value::String("ContactHasSales".into())));
}

#[tokio::test]
async fn the_card_is_rendered_on_the_server_with_its_tab_in_the_url() {
    let shop = shop().await;
    let app = &shop.app;
    shop.create(&shop.marco, &shop.marco_seller, "3").await;
    let res = app.page(&shop.marco, &format!("/contacts/{}/vendita", shop.customer)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"sales-table\""), "the sales are in the first response");
    assert!(html.contains("CONS"));
    assert!(html.contains("240,00"), "3 × 80,00 net, Italian format");
    let res = app.page(&shop.marco, &format!("/contacts/{}/vendita", shop.plain)).await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "no Vendita tab for an untagged contact");
    let html = res.text().await.unwrap();
    assert!(html.contains("non ha il tag di vendita"));
    assert!(!html.contains("id=\"tab-sales\""));
    let res = app.page(&shop.marco, &format!("/contacts?q={}", "rossi")).await;
    let html = res.text().await.unwrap();
    assert!(html.contains("Rossi Srl") && !html.contains("Verdi Anna"), "the search runs on the server's first render");
    assert_eq!(app.page(&shop.anonymous, "/contacts").await.status(), StatusCode::FOUND);
}
