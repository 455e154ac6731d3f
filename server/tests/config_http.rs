//! CRM configuration over HTTP: every configuration server function × anonymous, member, manager
//! and admin, plus the answers a form gets when something is wrong.

mod common;

use app::state::Config;
use common::*;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

const READS: [&str; 4] = ["config_overview", "config_sellers", "config_categories", "config_products"];

const WRITES: [&str; 15] = [
    "config_set_sales_tag",
    "config_set_stages",
    "config_seller_candidates",
    "config_create_seller",
    "config_rename_seller",
    "config_set_seller_members",
    "config_set_seller_active",
    "config_delete_seller",
    "config_create_category",
    "config_rename_category",
    "config_move_category",
    "config_reorder_category",
    "config_delete_category",
    "config_create_product",
    "config_update_product",
];
// `config_set_product_active` is a write too; the walk below covers it.

async fn ok(app: &TestApp, client: &Client, function: &str, form: &[(&str, &str)]) -> Value {
    let res = app.post(client, function, form).await;
    let status = res.status();
    let body = res.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{function}: {body}");
    serde_json::from_str(&body).unwrap()
}

fn s(v: &Value) -> String {
    v.to_string()
}

/// Walks every write as `client`, each on records it creates itself; returns the functions called.
async fn every_write(app: &TestApp, client: &Client, tag: &str) -> Vec<&'static str> {
    let mut called = Vec::new();
    let overview = ok(app, client, "config_overview", &[]).await;
    let v = s(&overview["settings"]["version"]);
    let settings = ok(app, client, "config_set_sales_tag", &[("version", &v), ("tag", "customers")]).await;
    called.push("config_set_sales_tag");
    let v = s(&settings["version"]);
    ok(app, client, "config_set_stages", &[("version", &v), ("lead", "10"), ("negotiation", "30"), ("proposal", "60"), ("currency", "EUR")]).await;
    called.push("config_set_stages");
    let candidates = ok(app, client, "config_seller_candidates", &[]).await;
    called.push("config_seller_candidates");
    let member_id = s(&candidates[0]["user"]["id"]);

    let name = format!("Team {tag}");
    let seller = ok(app, client, "config_create_seller", &[("kind", "generic"), ("name", &name), ("members[]", &member_id)]).await;
    called.push("config_create_seller");
    assert_eq!(seller["members"].as_array().unwrap().len(), 1, "members[] reaches the server");
    let (id, v) = (s(&seller["id"]), s(&seller["version"]));
    let seller = ok(app, client, "config_rename_seller", &[("id", &id), ("version", &v), ("name", &format!("Squadra {tag}"))]).await;
    called.push("config_rename_seller");
    let seller = ok(app, client, "config_set_seller_members", &[("id", &id), ("version", &s(&seller["version"]))]).await;
    called.push("config_set_seller_members");
    assert!(seller["members"].as_array().unwrap().is_empty(), "no members[] at all empties the team");
    let seller = ok(app, client, "config_set_seller_active", &[("id", &id), ("version", &s(&seller["version"])), ("active", "false")]).await;
    called.push("config_set_seller_active");
    ok(app, client, "config_delete_seller", &[("id", &id), ("version", &s(&seller["version"]))]).await;
    called.push("config_delete_seller");

    let parent = ok(app, client, "config_create_category", &[("name", &format!("Top {tag}")), ("parent", "")]).await;
    called.push("config_create_category");
    let child = ok(app, client, "config_create_category", &[("name", "Child"), ("parent", &s(&parent["id"]))]).await;
    let child = ok(app, client, "config_rename_category", &[("id", &s(&child["id"])), ("version", &s(&child["version"])), ("name", "Figlio")]).await;
    called.push("config_rename_category");
    let child = ok(app, client, "config_move_category", &[("id", &s(&child["id"])), ("version", &s(&child["version"])), ("parent", "")]).await;
    called.push("config_move_category");
    let child =
        ok(app, client, "config_reorder_category", &[("id", &s(&child["id"])), ("version", &s(&child["version"])), ("direction", "up")]).await;
    called.push("config_reorder_category");
    ok(app, client, "config_delete_category", &[("id", &s(&child["id"])), ("version", &s(&child["version"]))]).await;
    called.push("config_delete_category");

    let code = format!("P-{tag}");
    let product = [("code", code.as_str()), ("name", "Prodotto"), ("category", ""), ("unit", "pz"), ("list_price", "1.234,50"), ("vat_rate", "22")];
    let p = ok(app, client, "config_create_product", &product).await;
    called.push("config_create_product");
    assert_eq!(p["list_price"], 123450);
    let (id, v) = (s(&p["id"]), s(&p["version"]));
    let mut update = vec![("id", id.as_str()), ("version", v.as_str())];
    update.extend_from_slice(&product);
    let p = ok(app, client, "config_update_product", &update).await;
    called.push("config_update_product");
    ok(app, client, "config_set_product_active", &[("id", &id), ("version", &s(&p["version"])), ("active", "false")]).await;
    called
}

#[tokio::test]
async fn managers_and_admins_may_call_every_configuration_function() {
    let app = spawn_app(Config::default()).await;
    let admin = app.with_admin().await;
    let _member = app.signed_in(&admin, "marco", "member").await;
    let manager = app.signed_in(&admin, "giulia", "manager").await;
    for (who, client) in [("manager", &manager), ("admin", &admin)] {
        let called = every_write(&app, client, who).await;
        assert_eq!(called, WRITES, "{who} walked every write");
        for function in READS {
            ok(&app, client, function, &[]).await;
        }
    }
}

#[tokio::test]
async fn a_member_reads_the_configuration_and_every_change_is_refused_and_anonymous_gets_nothing() {
    let app = spawn_app(Config::default()).await;
    let admin = app.with_admin().await;
    let member = app.signed_in(&admin, "marco", "member").await;
    let team = ok(&app, &admin, "config_create_seller", &[("kind", "generic"), ("name", "Team Nord")]).await;
    let cat = ok(&app, &admin, "config_create_category", &[("name", "Servizi")]).await;
    let product =
        ok(&app, &admin, "config_create_product", &[("code", "P1"), ("name", "P"), ("unit", "pz"), ("list_price", "10"), ("vat_rate", "22")]).await;
    let (sid, sv) = (s(&team["id"]), s(&team["version"]));
    let (cid, cv) = (s(&cat["id"]), s(&cat["version"]));
    let (pid, pv) = (s(&product["id"]), s(&product["version"]));
    let mut before: Vec<Value> = {
        let mut all = Vec::new();
        for function in READS {
            all.push(ok(&app, &admin, function, &[]).await);
        }
        all
    };
    assert_eq!(before[0]["can_edit"], true, "the admin may edit");
    before[0]["can_edit"] = false.into();
    let pform = [("code", "P1"), ("name", "Mine"), ("unit", "pz"), ("list_price", "0"), ("vat_rate", "0")];
    let mut update_product = vec![("id", pid.as_str()), ("version", pv.as_str())];
    update_product.extend_from_slice(&pform);
    let writes: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("config_set_sales_tag", vec![("version", "1"), ("tag", "suppliers")]),
        ("config_set_stages", vec![("version", "1"), ("lead", "1"), ("negotiation", "2"), ("proposal", "3"), ("currency", "USD")]),
        ("config_seller_candidates", vec![]),
        ("config_create_seller", vec![("kind", "generic"), ("name", "Mine")]),
        ("config_rename_seller", vec![("id", &sid), ("version", &sv), ("name", "Mine")]),
        ("config_set_seller_members", vec![("id", &sid), ("version", &sv), ("members[]", "1")]),
        ("config_set_seller_active", vec![("id", &sid), ("version", &sv), ("active", "false")]),
        ("config_delete_seller", vec![("id", &sid), ("version", &sv)]),
        ("config_create_category", vec![("name", "Mine")]),
        ("config_rename_category", vec![("id", &cid), ("version", &cv), ("name", "Mine")]),
        ("config_move_category", vec![("id", &cid), ("version", &cv), ("parent", "")]),
        ("config_reorder_category", vec![("id", &cid), ("version", &cv), ("direction", "down")]),
        ("config_delete_category", vec![("id", &cid), ("version", &cv)]),
        ("config_create_product", pform.to_vec()),
        ("config_update_product", update_product.clone()),
        ("config_set_product_active", vec![("id", &pid), ("version", &pv), ("active", "false")]),
    ];
    assert_eq!(writes.len(), WRITES.len() + 1);
    for (function, form) in &writes {
        let res = app.post(&member, function, form).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "member on {function}");
        assert_eq!(res.json::<Value>().await.unwrap(), "Forbidden");
        let res = app.post(&browser(), function, form).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "anonymous on {function}");
    }
    for (function, old) in READS.iter().zip(&before) {
        assert_eq!(&ok(&app, &member, function, &[]).await, old, "the member reads {function}, unchanged");
        let res = app.post(&browser(), function, &[]).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "anonymous on {function}");
    }
}

#[tokio::test]
async fn a_bad_form_gets_the_field_and_the_reason_and_saves_nothing() {
    let app = spawn_app(Config::default()).await;
    let admin = app.with_admin().await;
    let res = app
        .post(&admin, "config_create_product", &[("code", "P1"), ("name", "P"), ("unit", "pz"), ("list_price", "10,555"), ("vat_rate", "22")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.json::<Value>().await.unwrap(), json!({"Invalid": {"field": "ListPrice", "problem": "TooManyDecimals"}}));
    let res = app
        .post(&admin, "config_set_stages", &[("version", "1"), ("lead", "120"), ("negotiation", "30"), ("proposal", "60"), ("currency", "EUR")])
        .await;
    assert_eq!(res.json::<Value>().await.unwrap(), json!({"Invalid": {"field": "ProbLead", "problem": "OutOfRange"}}));
    let res = app.post(&admin, "config_rename_seller", &[("id", "x"), ("version", "1"), ("name", "A")]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST, "a malformed request");
    assert_eq!(ok(&app, &admin, "config_products", &[]).await, json!([]));
    assert_eq!(ok(&app, &admin, "config_overview", &[]).await["settings"]["version"], 1);
}

#[tokio::test]
async fn refusals_that_are_not_a_field_say_why() {
    let app = spawn_app(Config::default()).await;
    let admin = app.with_admin().await;
    let parent = ok(&app, &admin, "config_create_category", &[("name", "Servizi")]).await;
    let child = ok(&app, &admin, "config_create_category", &[("name", "Consulenza"), ("parent", &s(&parent["id"]))]).await;
    let res = app.post(&admin, "config_delete_category", &[("id", &s(&parent["id"])), ("version", &s(&parent["version"]))]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(res.json::<Value>().await.unwrap(), "CategoryHasChildren");
    let res = app
        .post(&admin, "config_move_category", &[("id", &s(&parent["id"])), ("version", &s(&parent["version"])), ("parent", &s(&child["id"]))])
        .await;
    assert_eq!(res.json::<Value>().await.unwrap(), json!({"Invalid": {"field": "Parent", "problem": "Cycle"}}));
    // Two managers on one record: the second save is refused.
    ok(&app, &admin, "config_rename_category", &[("id", &s(&child["id"])), ("version", &s(&child["version"])), ("name", "A")]).await;
    let res = app.post(&admin, "config_rename_category", &[("id", &s(&child["id"])), ("version", &s(&child["version"])), ("name", "B")]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(res.json::<Value>().await.unwrap(), "Conflict");
}
