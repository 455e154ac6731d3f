//! Commissions over HTTP: a settled statement's PDF, read back by poppler's `pdftotext`, is the
//! same file after its sale changes; another member may not download it.

mod common;

use app::state::Config;
use common::*;
use reqwest::StatusCode;

fn text_of(pdf: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("vendita-statement-{}", rand_suffix()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("statement.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", file.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils, scripts/setup.sh)");
    std::fs::remove_dir_all(&dir).ok();
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn a_settled_statement_downloads_as_the_same_pdf_after_its_sale_changes() {
    let shop = Shop::open(spawn_app(Config::default()).await).await;
    let app = &shop.app;
    let rule = [("seller", shop.marco_seller.as_str()), ("kind", "rate"), ("value", "8"), ("valid_from", "2026-01-01")];
    ok(app, &shop.manager, "commissions_add_rule", &rule).await;
    let sale = ok(
        app,
        &shop.marco,
        "sales_create",
        &[
            ("contact", &shop.customer),
            ("product", &shop.product),
            ("seller", &shop.marco_seller),
            ("quantity", "10"),
            ("unit_price", "80"),
            ("vat_rate", "22"),
            ("stage", "won"),
            ("sale_date", "2026-03-02"),
            ("closed_date", "2026-03-10"),
        ],
    )
    .await;
    let settled = ok(app, &shop.manager, "commissions_settle", &[("seller", &shop.marco_seller), ("period", "2026-03")]).await;
    let id = s(&settled["settled"]["id"]);
    let path = format!("/commissions/statements/{id}/statement.pdf");
    let first = shop.marco.get(app.url(&path)).send().await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(first.headers()["content-type"], "application/pdf");
    let first = first.bytes().await.unwrap();
    let text = text_of(&first);
    // 10 × 80,00 = 800,00 at 8 % = 64,00.
    for expected in [
        "Estratto conto provvigioni n. 1",
        "marco",
        "Rossi Srl",
        "Consulenza",
        "€ 800,00",
        "€ 64,00",
        "Predefinita del venditore",
        "8% · valida dal 01/01/2026",
        "Pagina 1 di 1",
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }
    // The sale doubles: the statement's PDF is the same file; the next statement adjusts.
    let fields = [
        ("id", s(&sale["id"])),
        ("version", s(&sale["version"])),
        ("contact", shop.customer.clone()),
        ("product", shop.product.clone()),
        ("seller", shop.marco_seller.clone()),
        ("quantity", "20".into()),
        ("unit_price", "80".into()),
        ("vat_rate", "22".into()),
        ("stage", "won".into()),
        ("sale_date", "2026-03-02".into()),
        ("closed_date", "2026-03-10".into()),
    ];
    let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    ok(app, &shop.marco, "sales_update", &form).await;
    let again = shop.manager.get(app.url(&path)).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(again, first, "a settled statement's PDF never changes");
    let april = ok(app, &shop.marco, "commissions_statement", &[("seller", &shop.marco_seller), ("period", "2026-04")]).await;
    assert_eq!(april["adjustments"], 6400, "{april}");
    // Sara neither downloads it nor reads the statement; nobody signed out does.
    assert_eq!(shop.sara.get(app.url(&path)).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(shop.anonymous.get(app.url(&path)).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
}
