//! The reports over HTTP: the data set server function and the Excel download, for each role.

mod common;

use common::*;
use reqwest::StatusCode;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[tokio::test]
async fn the_download_checks_who_asks_and_for_what() {
    let app = spawn_app(Default::default()).await;
    let admin = app.with_admin().await;
    let member = app.member(&admin).await;
    let manager = app.signed_in(&admin, "giulia", "manager").await;

    // Nobody signed in: 401, no file.
    let res = browser().get(app.url("/reports/export.xlsx?scope=mine&period=last12")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    // A member's own report downloads; every seller's report does not; nor another seller's numbers.
    let res = member.get(app.url("/reports/export.xlsx?scope=mine&period=year&group=month")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], XLSX);
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("vendite-"));
    let bytes = res.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK"), "a zip (xlsx) file");
    let res = member.get(app.url("/reports/export.xlsx?scope=all&period=year")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = member.get(app.url("/reports/export.xlsx?scope=mine&period=year&seller=1")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // Managers and admins download every seller's report.
    for client in [&manager, &admin] {
        let res = client.get(app.url("/reports/export.xlsx?scope=all&period=range&from=2025-01&to=2026-12&group=seller")).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
    }

    // Malformed filters are the client's fault.
    for query in [
        "scope=everyone",
        "scope=all&period=soon",
        "scope=all&period=range&from=2025-13&to=2026-01",
        "scope=all&seller=abc",
        "scope=all&group=colour",
    ] {
        let res = manager.get(app.url(&format!("/reports/export.xlsx?{query}"))).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{query}");
    }
}

#[tokio::test]
async fn the_data_set_of_every_seller_is_for_managers_only() {
    let app = spawn_app(Default::default()).await;
    let admin = app.with_admin().await;
    let member = app.member(&admin).await;
    let res = app.post(&member, "report_data", &[("scope", "All")]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = app.post(&member, "report_data", &[("scope", "Mine")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let data: serde_json::Value = res.json().await.unwrap();
    assert_eq!(data["cells"], serde_json::json!([]), "a member without a seller sees no numbers");
    let res = app.post(&admin, "report_data", &[("scope", "All")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app.post(&browser(), "report_data", &[("scope", "Mine")]).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    // The pages: members get My sales, not Sellers or Forecast.
    assert_eq!(app.page(&member, "/reports/mine").await.status(), StatusCode::OK);
    assert_eq!(app.page(&member, "/reports/sellers").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.page(&member, "/reports/forecast").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.page(&admin, "/reports/forecast").await.status(), StatusCode::OK);
}
