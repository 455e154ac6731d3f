//! Black-box tests of the real router on a random port, each with its own fresh SQLite file.

mod common;

use app::state::Config;
use common::*;
use reqwest::{Client, StatusCode};
use std::time::Duration;

#[tokio::test]
async fn healthz_answers_when_the_database_does() {
    let app = spawn_app(Config::default()).await;
    let res = browser().get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.text().await.unwrap(), "ok");
}

#[tokio::test]
async fn a_fresh_install_shows_the_first_run_page_and_then_never_again() {
    let app = spawn_app(Config::default()).await;
    let client = browser();
    let res = app.page(&client, "/").await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(res.headers()["location"], "/setup");
    let page = app.page(&client, "/setup").await.text().await.unwrap();
    assert!(page.contains("Benvenuto: crea l&#x27;amministratore") || page.contains("Benvenuto: crea l'amministratore"), "{page}");

    app.with_admin().await;
    let again = app
        .post(
            &browser(),
            "first_run",
            &[("login", "eve"), ("display_name", "Eve"), ("password", "eve-password-1"), ("password_repeat", "eve-password-1")],
        )
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert_eq!(again.json::<serde_json::Value>().await.unwrap(), "AlreadySetUp");
    let res = app.page(&browser(), "/setup").await;
    assert_eq!(res.headers()["location"], "/login");
}

#[tokio::test]
async fn login_sets_a_new_http_only_session_cookie_each_time() {
    let app = spawn_app(Config::default()).await;
    app.with_admin().await;
    let client = browser();
    let wrong = app.post(&client, "login", &[("login", "anna"), ("password", "wrong-password")]).await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(session_cookie(&wrong).is_none());
    assert_eq!(wrong.json::<serde_json::Value>().await.unwrap(), "BadCredentials");

    let first = app.post(&client, "login", &[("login", "anna"), ("password", ADMIN_PASSWORD)]).await;
    assert_eq!(first.status(), StatusCode::OK);
    let cookie = session_cookie(&first).expect("session cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure"), "not over plain HTTP unless configured");
    let second = app.post(&client, "login", &[("login", "anna"), ("password", ADMIN_PASSWORD)]).await;
    assert_ne!(session_cookie(&second).unwrap(), cookie, "a new session id at every login");
    assert_eq!(app.viewer(&client).await["user"]["login"], "anna");
}

#[tokio::test]
async fn the_secure_setting_marks_the_cookie_secure() {
    let app = spawn_app(Config { secure_cookies: true, ..Config::default() }).await;
    let res = app
        .post(
            &browser(),
            "first_run",
            &[("login", "anna"), ("display_name", "Anna"), ("password", ADMIN_PASSWORD), ("password_repeat", ADMIN_PASSWORD)],
        )
        .await;
    assert!(session_cookie(&res).unwrap().contains("; Secure"));
}

#[tokio::test]
async fn repeated_failures_are_rate_limited() {
    let app = spawn_app(Config::default()).await;
    app.with_admin().await;
    let client = browser();
    for _ in 0..5 {
        let res = app.post(&client, "login", &[("login", "anna"), ("password", "wrong-password")]).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    let res = app.post(&client, "login", &[("login", "anna"), ("password", ADMIN_PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(session_cookie(&res).is_none());
}

#[tokio::test]
async fn an_idle_session_expires() {
    let app = spawn_app(Config { idle_timeout: Duration::from_secs(1), ..Config::default() }).await;
    let admin = app.with_admin().await;
    assert_eq!(app.viewer(&admin).await["user"]["login"], "anna");
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert!(app.viewer(&admin).await["user"].is_null());
    let res = app.post(&admin, "users_list", &[]).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server() {
    let app = spawn_app(Config::default()).await;
    let admin = app.with_admin().await;
    let login = app.post(&admin, "login", &[("login", "anna"), ("password", ADMIN_PASSWORD)]).await;
    let cookie = session_cookie(&login).unwrap();
    let token = cookie.split(';').next().unwrap().to_string();
    let res = app.post(&admin, "logout", &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(session_cookie(&res).unwrap().contains("Max-Age=0"));
    // The old cookie, replayed by hand, no longer opens anything.
    let replay = Client::new().post(app.url("/api/users_list")).header("cookie", token).send().await.unwrap();
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_cross_site_post_is_refused_and_changes_nothing() {
    let app = spawn_app(Config::default()).await;
    let attacker = Client::new();
    let res = attacker
        .post(app.url("/api/first_run"))
        .header("origin", "http://evil.example")
        .form(&[("login", "eve"), ("display_name", "Eve"), ("password", "eve-password-1"), ("password_repeat", "eve-password-1")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = attacker
        .post(app.url("/api/first_run"))
        .header("sec-fetch-site", "cross-site")
        .form(&[("login", "eve"), ("display_name", "Eve"), ("password", "eve-password-1"), ("password_repeat", "eve-password-1")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.viewer(&browser()).await["needs_setup"], true, "no admin was created");

    // The same request from the app's own origin goes through.
    let host = app.base.trim_start_matches("http://").to_string();
    let res = attacker
        .post(app.url("/api/first_run"))
        .header("origin", format!("http://{host}"))
        .form(&[("login", "anna"), ("display_name", "Anna"), ("password", ADMIN_PASSWORD), ("password_repeat", ADMIN_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn every_page_carries_the_security_headers() {
    let app = spawn_app(Config::default()).await;
    let res = app.page(&browser(), "/setup").await;
    let headers = res.headers().clone();
    let csp = headers["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'self'"), "{csp}");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "same-origin");
    assert_eq!(headers["x-frame-options"], "DENY");
    // The inline hydration script carries this response's nonce, and only it may run.
    let nonce = csp.split("'nonce-").nth(1).and_then(|s| s.split('\'').next()).expect("nonce in CSP").to_string();
    let page = res.text().await.unwrap();
    assert!(page.contains(&format!("nonce=\"{nonce}\"")), "page scripts carry the nonce");
    let other = app.page(&browser(), "/setup").await;
    assert!(!other.headers()["content-security-policy"].to_str().unwrap().contains(&nonce), "a fresh nonce per response");
    let api = browser().post(app.url("/api/viewer")).send().await.unwrap();
    assert_eq!(api.headers()["x-content-type-options"], "nosniff");
}

#[tokio::test]
async fn a_member_is_refused_every_admin_operation() {
    let app = spawn_app(Config::default()).await;
    let admin = app.with_admin().await;
    let member = app.member(&admin).await;
    let anna_id = app.post(&admin, "users_list", &[]).await.json::<serde_json::Value>().await.unwrap()[0]["id"].to_string();
    let calls: [(&str, Vec<(&str, &str)>); 5] = [
        ("users_list", vec![]),
        ("users_create", vec![("login", "eve"), ("display_name", "Eve"), ("password", "eve-password-1"), ("role", "admin")]),
        ("users_set_role", vec![("id", anna_id.as_str()), ("version", "1"), ("role", "member")]),
        ("users_set_active", vec![("id", anna_id.as_str()), ("version", "1"), ("active", "false")]),
        ("users_reset_password", vec![("id", anna_id.as_str()), ("password", "taken-over-1")]),
    ];
    for (function, form) in &calls {
        let res = app.post(&member, function, form).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "member on {function}");
        assert_eq!(res.json::<serde_json::Value>().await.unwrap(), "Forbidden");
        let res = app.post(&browser(), function, form).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "anonymous on {function}");
    }
    // Nothing changed: still two users, anna still an active admin with her password.
    let users = app.post(&admin, "users_list", &[]).await.json::<serde_json::Value>().await.unwrap();
    assert_eq!(users.as_array().unwrap().len(), 2);
    assert_eq!(users[0]["role"], "Admin");
    assert_eq!(users[0]["active"], true);
    let res = app.post(&browser(), "login", &[("login", "anna"), ("password", ADMIN_PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::OK);
    // The page itself answers 403 to a member.
    let page = app.page(&member, "/users").await;
    assert_eq!(page.status(), StatusCode::FORBIDDEN);
    assert!(page.text().await.unwrap().contains("Operazione non consentita."));
}

#[tokio::test]
async fn deactivating_a_member_signs_him_out_everywhere() {
    let app = spawn_app(Config::default()).await;
    let admin = app.with_admin().await;
    let member = app.member(&admin).await;
    let users = app.post(&admin, "users_list", &[]).await.json::<serde_json::Value>().await.unwrap();
    let marco = users.as_array().unwrap().iter().find(|u| u["login"] == "marco").unwrap().clone();
    let res = app.post(&admin, "users_set_active", &[("id", &marco["id"].to_string()), ("version", "1"), ("active", "false")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(app.viewer(&member).await["user"].is_null());
}

#[tokio::test]
async fn bad_input_gets_a_clear_error_and_creates_nothing() {
    let app = spawn_app(Config::default()).await;
    let admin = app.with_admin().await;
    let res = app.post(&admin, "users_create", &[("login", ""), ("display_name", "X"), ("password", "long-enough-1"), ("role", "member")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.json::<serde_json::Value>().await.unwrap(), serde_json::json!({"Invalid": {"field": "Login", "problem": "Required"}}));
    let res = app.post(&admin, "users_create", &[("login", "x"), ("display_name", "X"), ("password", "long-enough-1"), ("role", "emperor")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = app.post(&admin, "users_set_active", &[("id", "not-a-number"), ("version", "1"), ("active", "false")]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST, "a malformed request is the client's fault");
    let users = app.post(&admin, "users_list", &[]).await.json::<serde_json::Value>().await.unwrap();
    assert_eq!(users.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn an_unknown_address_is_a_404_page_not_a_dropped_connection() {
    let app = spawn_app(Config::default()).await;
    let admin = app.with_admin().await;
    for client in [&browser(), &admin] {
        let res = app.page(client, "/no/such/page").await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        assert!(res.text().await.unwrap().contains("Pagina non trovata."));
    }
    let res = app.post(&admin, "no_such_function", &[]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}
