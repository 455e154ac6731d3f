//! Hostile and careless input over HTTP, on the real router: each answer is a clear 4xx, nothing
//! changes, and nobody else is affected. Where storage is involved the test runs on SQLite and on
//! PostgreSQL (`spawn_both`).

mod common;

use app::error::AppError;
use app::state::Config;
use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn invalid(field: &str, problem: &str) -> Value {
    json!({ "Invalid": { "field": field, "problem": problem } })
}

impl Shop {
    fn sale<'a>(&'a self, seller: &'a str, quantity: &'a str, unit_price: &'a str, stage: &'a str) -> Vec<(&'a str, &'a str)> {
        vec![
            ("contact", &self.customer),
            ("product", &self.product),
            ("seller", seller),
            ("quantity", quantity),
            ("unit_price", unit_price),
            ("discount", "0"),
            ("vat_rate", "0"),
            ("stage", stage),
            ("sale_date", "2026-03-02"),
        ]
    }
}

// ---------------------------------------------------------------- 1. amounts that overflow

#[tokio::test]
async fn amounts_beyond_the_bounds_are_refused_and_sums_at_the_bounds_load_for_everyone() {
    for app in spawn_both(Config::default()).await {
        let shop = Shop::open(app).await;
        let app = &shop.app;
        // The amount that used to take every report down: refused, on its field.
        let absurd = shop.sale(&shop.marco_seller, "1", "500000000000000", "won");
        let (status, body) = call(app, &shop.marco, "sales_create", &absurd).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body, invalid("UnitPrice", "TooLarge"));
        let (status, body) = call(app, &shop.marco, "sales_create", &shop.sale(&shop.marco_seller, "1000001", "1", "won")).await;
        assert_eq!((status, body), (StatusCode::UNPROCESSABLE_ENTITY, invalid("Quantity", "TooLarge")));
        // Quantity and price each within bounds, their product beyond the line maximum.
        let (status, body) = call(app, &shop.marco, "sales_create", &shop.sale(&shop.marco_seller, "1000000", "100000000", "won")).await;
        assert_eq!((status, body), (StatusCode::UNPROCESSABLE_ENTITY, invalid("UnitPrice", "TooLarge")));
        let tab = ok(app, &shop.manager, "sales_tab", &[("contact", &shop.customer)]).await;
        assert_eq!(tab["sales"].as_array().unwrap().len(), 0, "nothing was written");

        // At the maximum, won and open, by two sellers: the card, the reports and the workbook load.
        for (client, seller, stage) in
            [(&shop.marco, &shop.marco_seller, "won"), (&shop.sara, &shop.sara_seller, "proposal"), (&shop.marco, &shop.marco_seller, "won")]
        {
            let mut form = shop.sale(seller, "1000000", "100", stage);
            form.push(("probability", "100"));
            ok(app, client, "sales_create", &form).await;
        }
        let tab = ok(app, &shop.manager, "sales_tab", &[("contact", &shop.customer)]).await;
        assert_eq!(tab["totals"]["won"], json!(2 * 10_000_000_000i64));
        assert_eq!(tab["totals"]["weighted"], json!(10_000_000_000i64));
        ok(app, &shop.marco, "sales_tab", &[("contact", &shop.customer)]).await;
        let data = ok(app, &shop.manager, "report_data", &[("scope", "All")]).await;
        let net: i64 = data["cells"].as_array().unwrap().iter().map(|c| c["v"].as_i64().unwrap()).sum();
        assert_eq!(net, 3 * 10_000_000_000i64);
        ok(app, &shop.sara, "report_data", &[("scope", "Mine")]).await;
        let res = shop.manager.get(app.url("/reports/export.xlsx?scope=all&period=year")).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
    }
}

// ---------------------------------------------------------------- 3. the login limit

#[tokio::test]
async fn a_burst_of_wrong_passwords_gets_exactly_the_limit_and_the_office_still_signs_in() {
    for app in spawn_both(Config::default()).await {
        let admin = app.with_admin().await;
        app.signed_in(&admin, "marco", "member").await;
        ok(&app, &admin, "users_create", &[("login", "sara"), ("display_name", "Sara"), ("password", "sara-password-1"), ("role", "member")]).await;
        let attempts = (0..50).map(|_| {
            let app = &app;
            async move { app.post(&browser(), "login", &[("login", "marco"), ("password", "wrong-password")]).await.status() }
        });
        let statuses = futures_util::future::join_all(attempts).await;
        let checked = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
        let limited = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
        assert_eq!((checked, limited), (5, 45), "{statuses:?}");
        // Marco's account is closed for now, even to his right password ...
        let res = app.post(&browser(), "login", &[("login", "marco"), ("password", "marco-password-1")]).await;
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
        // ... but Sara, from the same address, signs in.
        let sara = browser();
        let res = app.post(&sara, "login", &[("login", "sara"), ("password", "sara-password-1")]).await;
        assert_eq!(res.status(), StatusCode::OK, "{}", res.text().await.unwrap());
        assert_eq!(app.viewer(&sara).await["user"]["login"], "sara");
    }
}

// ---------------------------------------------------------------- 4. tag flood

#[tokio::test]
async fn a_flood_of_new_tags_is_refused_at_once_and_writes_nothing() {
    let shop = Shop::open(spawn_app(Config::default()).await).await;
    let app = &shop.app;
    let names: Vec<String> = (0..20_000).map(|i| format!("tag{i}")).collect();
    let flood = names.join(",");
    let (status, body) = call(app, &shop.marco, "contacts_create", &[("kind", "company"), ("name", "Flood Srl"), ("new_tags", &flood)]).await;
    assert_eq!((status, body), (StatusCode::UNPROCESSABLE_ENTITY, invalid("Tags", "TooManyTags")));
    let tags = ok(app, &shop.marco, "tags_list", &[]).await;
    assert_eq!(tags.as_array().unwrap().len(), 2, "only the two system tags: {tags}");
    // 20 new tags in one save are fine; 21 are not; a name of 51 characters is too long.
    let twenty = names[..20].join(",");
    ok(app, &shop.marco, "contacts_create", &[("kind", "company"), ("name", "Twenty Srl"), ("new_tags", &twenty)]).await;
    let (status, _) = call(app, &shop.marco, "contacts_create", &[("kind", "company"), ("name", "X"), ("new_tags", &names[..21].join(","))]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = call(app, &shop.marco, "contacts_create", &[("kind", "company"), ("name", "X"), ("new_tags", &"x".repeat(51))]).await;
    assert_eq!((status, body), (StatusCode::UNPROCESSABLE_ENTITY, invalid("Tags", "TooLong")));
    // A thousand existing tag ids in one save: refused before any lookup.
    let ids: Vec<(&str, String)> = (0..1000).map(|i| ("tags[]", i.to_string())).collect();
    let mut form: Vec<(&str, &str)> = ids.iter().map(|(k, v)| (*k, v.as_str())).collect();
    form.extend([("kind", "company"), ("name", "Ids Srl")]);
    let (status, body) = call(app, &shop.marco, "contacts_create", &form).await;
    assert_eq!((status, body), (StatusCode::UNPROCESSABLE_ENTITY, invalid("Tags", "TooManyTags")));
}

// ---------------------------------------------------------------- 5. the sales tag stays while there are sales

#[tokio::test]
async fn the_sales_tag_cannot_be_taken_off_a_contact_with_sales() {
    for app in spawn_both(Config::default()).await {
        let shop = Shop::open(app).await;
        let app = &shop.app;
        let mut form = shop.sale(&shop.sara_seller, "1", "80", "lead");
        form.retain(|(k, _)| *k != "vat_rate");
        form.push(("vat_rate", "22"));
        let saras = ok(app, &shop.sara, "sales_create", &form).await;
        let contact = ok(app, &shop.marco, "contacts_get", &[("id", &shop.customer)]).await;
        // Marco saves the customer without its tags: refused; the sale is Sara's, so he is told
        // that other sellers' sales exist, never how many.
        let version = s(&contact["version"]);
        let (status, body) =
            call(app, &shop.marco, "contacts_update", &[("id", &shop.customer), ("version", &version), ("kind", "company"), ("name", "Rossi Srl")])
                .await;
        assert_eq!((status, body.clone()), (StatusCode::CONFLICT, json!({ "SalesTagInUse": { "sales": 0 } })));
        let error: AppError = serde_json::from_value(body).unwrap();
        assert!(
            error.message(app::i18n::Lang::It).starts_with("Il contatto ha vendite di altri venditori"),
            "{}",
            error.message(app::i18n::Lang::It)
        );
        let many = AppError::SalesTagInUse { sales: 3 };
        assert!(many.message(app::i18n::Lang::En).starts_with("The contact has 3 sales"));
        // A manager too, told how many; nothing changed, and Sara still reaches her sale.
        let (status, body) =
            call(app, &shop.manager, "contacts_update", &[("id", &shop.customer), ("version", &version), ("kind", "company"), ("name", "Rossi Srl")])
                .await;
        assert_eq!((status, body), (StatusCode::CONFLICT, json!({ "SalesTagInUse": { "sales": 1 } })));
        assert_eq!(ok(app, &shop.marco, "contacts_get", &[("id", &shop.customer)]).await, contact);
        ok(app, &shop.sara, "sales_get", &[("id", &s(&saras["id"]))]).await;
        // Other edits keep working when the tag stays.
        ok(
            app,
            &shop.marco,
            "contacts_update",
            &[("id", &shop.customer), ("version", &version), ("kind", "company"), ("name", "Rossi Spa"), ("tags[]", &shop.clienti)],
        )
        .await;
        // A contact without sales may lose the tag.
        let plain = ok(app, &shop.marco, "contacts_get", &[("id", &shop.plain)]).await;
        ok(
            app,
            &shop.marco,
            "contacts_update",
            &[("id", &shop.plain), ("version", &s(&plain["version"])), ("kind", "person"), ("name", "Verdi Anna"), ("tags[]", &shop.clienti)],
        )
        .await;

        // Switching the configured sales tag: told how many contacts with sales lose their tab,
        // then done on confirmation; the reports still count the sales.
        let settings = ok(app, &shop.manager, "config_overview", &[]).await["settings"].clone();
        let version = s(&settings["version"]);
        let (status, body) = call(app, &shop.manager, "config_set_sales_tag", &[("version", &version), ("tag", "suppliers")]).await;
        assert_eq!((status, body), (StatusCode::CONFLICT, json!({ "SalesTagSwitch": { "contacts": 1 } })));
        assert_eq!(ok(app, &shop.manager, "config_overview", &[]).await["settings"], settings, "nothing changed");
        ok(app, &shop.manager, "config_set_sales_tag", &[("version", &version), ("tag", "suppliers"), ("confirm", "true")]).await;
        let data = ok(app, &shop.manager, "report_data", &[("scope", "All")]).await;
        assert_eq!(data["cells"].as_array().unwrap().len(), 1, "the sale is still in the reports");
    }
}

// ---------------------------------------------------------------- 6. members do not delete

#[tokio::test]
async fn members_cannot_delete_contacts_or_tags() {
    let shop = Shop::open(spawn_app(Config::default()).await).await;
    let app = &shop.app;
    let saved = ok(app, &shop.marco, "contacts_create", &[("kind", "company"), ("name", "Bianchi Srl"), ("new_tags", "fiera")]).await;
    let (id, version) = (s(&saved["contact"]["id"]), s(&saved["contact"]["version"]));
    let fiera = s(&saved["contact"]["tags"].as_array().unwrap().iter().find(|t| t["name"] == "fiera").unwrap()["id"]);
    let (status, _) = call(app, &shop.marco, "contacts_delete", &[("id", &id), ("version", &version)]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(app, &shop.marco, "tags_delete", &[("id", &fiera)]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(ok(app, &shop.marco, "contacts_get", &[("id", &id)]).await, saved["contact"], "nothing changed");
    // The card offers him no delete button; a manager gets one and may delete.
    let page = app.page(&shop.marco, &format!("/contacts/{id}")).await.text().await.unwrap();
    assert!(!page.contains("id=\"delete-contact\""), "no delete button for a member");
    let page = app.page(&shop.manager, &format!("/contacts/{id}")).await.text().await.unwrap();
    assert!(page.contains("id=\"delete-contact\""));
    ok(app, &shop.manager, "tags_delete", &[("id", &fiera)]).await;
    ok(app, &shop.manager, "contacts_delete", &[("id", &id), ("version", &version)]).await;
}

// ---------------------------------------------------------------- 7. sessions

#[tokio::test]
async fn changing_the_password_ends_the_other_sessions() {
    for app in spawn_both(Config::default()).await {
        let admin = app.with_admin().await;
        let laptop = app.signed_in(&admin, "marco", "member").await;
        let phone = browser();
        assert_eq!(app.post(&phone, "login", &[("login", "marco"), ("password", "marco-password-1")]).await.status(), StatusCode::OK);
        ok(
            &app,
            &laptop,
            "change_password",
            &[("current", "marco-password-1"), ("new_password", "marco-password-2"), ("new_password_repeat", "marco-password-2")],
        )
        .await;
        assert_eq!(app.viewer(&laptop).await["user"]["login"], "marco", "the session that changed it stays");
        assert_eq!(app.viewer(&phone).await["user"], Value::Null, "the other one ended");
        let (status, _) = call(&app, &phone, "contacts_list", &[]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(app.viewer(&admin).await["user"]["login"], "anna", "other users are untouched");
    }
}

#[tokio::test]
async fn a_session_ends_after_its_absolute_lifetime_however_busy() {
    let app = spawn_app(Config { session_lifetime: std::time::Duration::from_secs(2), ..Config::default() }).await;
    let admin = app.with_admin().await;
    for _ in 0..3 {
        assert_eq!(app.viewer(&admin).await["user"]["login"], "anna");
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    assert_eq!(app.viewer(&admin).await["user"], Value::Null);
}

// ---------------------------------------------------------------- also found by reading the code

#[tokio::test]
async fn bodies_over_the_limit_are_413_with_a_message() {
    let app = spawn_app(Config::default()).await;
    let admin = app.with_admin().await;
    let huge = "x".repeat(3 * 1024 * 1024);
    let res = admin.post(app.url("/api/contacts_create")).form(&[("kind", "company"), ("name", huge.as_str())]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(res.headers()["x-content-type-options"], "nosniff", "refusals carry the security headers too");
    // As every refusal: the error as JSON, which the page puts in the user's words.
    let refusal: AppError = serde_json::from_str(&res.text().await.unwrap()).unwrap();
    assert_eq!((refusal.message(app::i18n::Lang::It).as_str(), refusal), ("La richiesta è troppo grande.", AppError::TooLarge));
    assert_eq!(app.viewer(&admin).await["user"]["login"], "anna", "the server carries on");
}

#[tokio::test]
async fn free_text_filters_have_a_length_cap() {
    let shop = Shop::open(spawn_app(Config::default()).await).await;
    let app = &shop.app;
    let long = "a".repeat(10_000);
    for (function, form) in [
        ("contacts_list", vec![("search", long.as_str())]),
        ("sales_products", vec![("search", long.as_str())]),
        ("config_products", vec![("search", long.as_str())]),
    ] {
        let (status, body) = call(app, &shop.marco, function, &form).await;
        assert_eq!((status, body), (StatusCode::UNPROCESSABLE_ENTITY, invalid("Name", "TooLong")), "{function}");
    }
}

#[tokio::test]
async fn a_version_at_the_top_of_its_range_is_a_conflict_not_a_crash() {
    for app in spawn_both(Config::default()).await {
        let shop = Shop::open(app).await;
        let app = &shop.app;
        let max = i32::MAX.to_string();
        let (status, _) = call(
            app,
            &shop.marco,
            "contacts_update",
            &[("id", &shop.customer), ("version", &max), ("kind", "company"), ("name", "Rossi Srl"), ("tags[]", &shop.clienti)],
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT);
        let mut form = shop.sale(&shop.marco_seller, "1", "80", "lead");
        let sale = ok(app, &shop.marco, "sales_create", &form).await;
        let id = s(&sale["id"]);
        form.extend([("id", id.as_str()), ("version", max.as_str())]);
        let (status, _) = call(app, &shop.marco, "sales_update", &form).await;
        assert_eq!(status, StatusCode::CONFLICT);
        let (status, _) = call(app, &shop.marco, "sales_delete", &[("id", &id), ("version", &max)]).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(ok(app, &shop.marco, "sales_get", &[("id", &id)]).await, sale, "nothing changed");
    }
}

#[tokio::test]
async fn members_get_seller_names_only() {
    let shop = Shop::open(spawn_app(Config::default()).await).await;
    let app = &shop.app;
    let mut form = shop.sale(&shop.sara_seller, "1", "80", "lead");
    ok(app, &shop.sara, "sales_create", &form).await;
    form.retain(|(k, _)| *k != "seller");
    form.push(("seller", &shop.marco_seller));
    ok(app, &shop.marco, "sales_create", &form).await;
    let rows = ok(app, &shop.marco, "config_sellers", &[]).await;
    for row in rows.as_array().unwrap() {
        assert_eq!(row["user"]["login"], "", "no login names: {row}");
        let own = s(&row["id"]) == shop.marco_seller;
        assert_eq!(row["sales"], if own { 1 } else { 0 }, "{row}");
    }
    let rows = ok(app, &shop.manager, "config_sellers", &[]).await;
    assert!(rows.as_array().unwrap().iter().any(|r| r["user"]["login"] == "sara" && r["sales"] == 1), "managers see everything");
}

#[tokio::test]
async fn the_download_decodes_its_query_and_refuses_unknown_keys() {
    let shop = Shop::open(spawn_app(Config::default()).await).await;
    let app = &shop.app;
    let get = |query: &str| shop.manager.get(app.url(&format!("/reports/export.xlsx?{query}"))).send();
    assert_eq!(get("scope=all&period=year").await.unwrap().status(), StatusCode::OK);
    // Percent-encoded, as a browser may send it.
    assert_eq!(get("scope=%61ll&period=range&from=2026%2D01&to=2026-12").await.unwrap().status(), StatusCode::OK);
    for bad in ["scope=all&period=year&evil=1", "scope=all&scope=mine", "scope=all&period=year&seller=1%3B", "period=year"] {
        let res = get(bad).await.unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(serde_json::from_str::<AppError>(&res.text().await.unwrap()).unwrap(), AppError::BadRequest("report filter".into()));
    }
}

#[tokio::test]
async fn downloads_leave_nothing_in_the_temporary_folder() {
    let shop = Shop::open(spawn_app(Config::default()).await).await;
    let app = &shop.app;
    let prefix = format!("vendita-export-{}-", std::process::id());
    let leftovers = || {
        std::fs::read_dir(std::env::temp_dir())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
            .count()
    };
    let res = shop.manager.get(app.url("/reports/export.xlsx?scope=all&period=year")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(!res.bytes().await.unwrap().is_empty());
    // A client that goes away before reading the answer.
    for _ in 0..3 {
        let request = shop.manager.get(app.url("/reports/export.xlsx?scope=all&period=last12")).send();
        let _ = tokio::time::timeout(std::time::Duration::from_millis(1), request).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(leftovers(), 0);
}

#[test]
fn downloads_are_limited_per_user_and_server_wide() {
    let slots = std::sync::Arc::new(server::reports::Slots::default());
    let (a1, a2) = (slots.take(1).expect("first"), slots.take(1).expect("second"));
    assert!(slots.take(1).is_none(), "a third download of one user waits");
    let b1 = slots.take(2).expect("another user");
    let b2 = slots.take(2).expect("another user, second");
    assert!(slots.take(3).is_none(), "the server runs at most four");
    drop(a1);
    let a3 = slots.take(1).expect("a place was given back");
    drop((a2, a3, b1, b2));
    assert!(slots.take(1).is_some() && slots.take(3).is_some());
}

#[tokio::test]
async fn requests_no_page_sends_are_400_not_500() {
    let shop = Shop::open(spawn_app(Config::default()).await).await;
    let app = &shop.app;
    for (client, function, form) in [
        (&shop.marco, "contacts_list", vec![("after", "not-a-cursor")]),
        (&shop.marco, "sales_tab", vec![("contact", shop.customer.as_str()), ("after", "2026-13-40:x")]),
        (&shop.manager, "config_create_seller", vec![("kind", "alien"), ("name", "X")]),
    ] {
        let (status, body) = call(app, client, function, &form).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{function}: {body}");
        assert!(body.get("BadRequest").is_some(), "{function}: {body}");
    }
}

// ---------------------------------------------------------------- guesses and figures

#[tokio::test]
async fn a_stolen_session_cannot_guess_the_current_password() {
    for app in spawn_both(Config::default()).await {
        let admin = app.with_admin().await;
        let marco = app.signed_in(&admin, "marco", "member").await;
        let guess =
            |current: &'static str| [("current", current), ("new_password", "stolen-password-1"), ("new_password_repeat", "stolen-password-1")];
        for _ in 0..app::auth::ssr::MAX_FAILURES_PER_LOGIN {
            let (status, body) = call(&app, &marco, "change_password", &guess("wrong-guess-1")).await;
            assert_eq!((status, body), (StatusCode::UNPROCESSABLE_ENTITY, invalid("Password", "Invalid")));
        }
        // The account's guesses are spent: even the right password is not checked, here or at sign-in.
        let (status, _) = call(&app, &marco, "change_password", &guess("marco-password-1")).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        let (status, _) = call(&app, &browser(), "login", &[("login", "marco"), ("password", "marco-password-1")]).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(app.viewer(&marco).await["user"]["login"], "marco", "the session itself goes on");
    }
}

#[tokio::test]
async fn a_member_counts_only_his_own_lost_sales_per_reason() {
    for app in spawn_both(Config::default()).await {
        let shop = Shop::open(app).await;
        let app = &shop.app;
        for (client, seller, times) in [(&shop.marco, &shop.marco_seller, 1), (&shop.sara, &shop.sara_seller, 3)] {
            let mut form = shop.sale(seller, "1", "80", "lost");
            form.push(("lost_reason", "Prezzo"));
            form.push(("closed_date", "2026-03-03"));
            for _ in 0..times {
                ok(app, client, "sales_create", &form).await;
            }
        }
        let prezzo = |list: Value| list.as_array().unwrap().iter().find(|r| r["name"] == "Prezzo").unwrap()["sales"].as_u64();
        assert_eq!(prezzo(ok(app, &shop.manager, "lost_reasons", &[]).await), Some(4));
        assert_eq!(prezzo(ok(app, &shop.marco, "lost_reasons", &[]).await), Some(1), "never Sara's three");
    }
}
