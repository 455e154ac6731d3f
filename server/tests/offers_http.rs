//! Offers over HTTP: the customer's link (no account: the page, its PDF, accepting with a name,
//! a closed link, guessing stopped), sending without a mail server, and the letterhead's logo
//! (who may change it, what is refused).

mod common;

use app::state::Config;
use common::*;
use reqwest::{Client, StatusCode};

/// Marco's offer on the shop's customer, with online acceptance, sent; its id and link token.
async fn sent_offer(shop: &Shop) -> (String, String) {
    let app = &shop.app;
    let draft = ok(
        app,
        &shop.marco,
        "offers_create",
        &[
            ("contact", &shop.customer),
            ("form[seller]", &shop.marco_seller),
            ("form[valid_until]", "31/12/2099"),
            ("form[online_acceptance]", "true"),
            ("form[lines][0][kind]", "product"),
            ("form[lines][0][product]", &shop.product),
            ("form[lines][0][quantity]", "2"),
        ],
    )
    .await;
    let sent = ok(app, &shop.marco, "offers_send", &[("id", &s(&draft["id"])), ("version", &s(&draft["version"]))]).await;
    (s(&sent["id"]), sent["accept_token"].as_str().expect("a link").to_string())
}

#[tokio::test]
async fn the_customer_opens_his_link_without_an_account_and_accepts_once() {
    let shop = Shop::open(spawn_app(Config::default()).await).await;
    let app = &shop.app;
    let (id, token) = sent_offer(&shop).await;
    let customer = browser();
    let page = customer.get(app.url(&format!("/o/{token}"))).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["cache-control"], "no-store");
    assert_eq!(page.headers()["referrer-policy"], "same-origin", "the token never leaves for another site in a Referer");
    assert!(page.headers()["content-security-policy"].to_str().unwrap().contains("default-src 'self'"));
    let html = page.text().await.unwrap();
    assert!(html.contains("Rossi Srl") && html.contains("Consulenza"), "{html}");
    assert!(!html.contains("<nav") && !html.contains("<script"), "nothing else of the CRM, no script");
    let pdf = customer.get(app.url(&format!("/o/{token}/offer.pdf"))).send().await.unwrap();
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));

    // An empty name: 422, the page again with the message, nothing accepted.
    let origin = app.url("");
    let post = |name: &'static str| {
        customer.post(app.url(&format!("/o/{token}"))).header("origin", origin.trim_end_matches('/')).form(&[("name", name)]).send()
    };
    let refused = post(" ").await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("field-error"));
    let offer = ok(app, &shop.marco, "offers_get", &[("id", &id)]).await;
    assert_eq!(offer["state"], "sent");
    // From another site: refused like every cross-site write.
    let forged =
        customer.post(app.url(&format!("/o/{token}"))).header("origin", "https://evil.example").form(&[("name", "X Y")]).send().await.unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);

    let accepted = post("Mario Rossi").await.unwrap();
    assert_eq!(accepted.status(), StatusCode::OK);
    assert!(accepted.text().await.unwrap().contains("Mario Rossi"));
    let offer = ok(app, &shop.marco, "offers_get", &[("id", &id)]).await;
    assert_eq!(offer["state"], "accepted");
    assert_eq!(offer["signed"]["name"], "Mario Rossi");
    assert_eq!(offer["signed"]["address"], "127.0.0.1");
    // The link is closed: 404 with the page saying so, the PDF too; accepting again changes nothing.
    let closed = customer.get(app.url(&format!("/o/{token}"))).send().await.unwrap();
    assert_eq!(closed.status(), StatusCode::NOT_FOUND);
    assert!(closed.text().await.unwrap().contains("link-closed"));
    assert_eq!(customer.get(app.url(&format!("/o/{token}/offer.pdf"))).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(post("Someone Else").await.unwrap().status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn guessing_links_is_stopped_and_other_users_go_on() {
    let shop = Shop::open(spawn_app(Config::default()).await).await;
    let app = &shop.app;
    let (_, token) = sent_offer(&shop).await;
    let guesser = browser();
    let guesses = ["x", "zz", &"f".repeat(64), &"F".repeat(64), &"g".repeat(64), &"0".repeat(10_000)];
    for (i, guess) in guesses.iter().cycle().take(app::auth::ssr::MAX_LINK_FAILURES as usize).enumerate() {
        let status = guesser.get(app.url(&format!("/o/{guess}"))).send().await.unwrap().status();
        assert_eq!(status, StatusCode::NOT_FOUND, "guess {i}");
    }
    let stopped = guesser.get(app.url(&format!("/o/{token}"))).send().await.unwrap();
    assert_eq!(stopped.status(), StatusCode::TOO_MANY_REQUESTS, "the address is stopped, a right link included");
    // The CRM's users are not affected (their pages and functions do not count link guesses).
    assert_eq!(app.post(&shop.manager, "offers_list", &[]).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn without_a_mail_server_sending_by_mail_is_refused_and_nothing_is_sent() {
    let shop = Shop::open(spawn_app(Config::default()).await).await;
    let app = &shop.app;
    let draft = ok(
        app,
        &shop.marco,
        "offers_create",
        &[
            ("contact", &shop.customer),
            ("form[seller]", &shop.marco_seller),
            ("form[lines][0][kind]", "product"),
            ("form[lines][0][product]", &shop.product),
            ("form[lines][0][quantity]", "1"),
        ],
    )
    .await;
    let (id, version) = (s(&draft["id"]), s(&draft["version"]));
    let mail = [("id", id.as_str()), ("version", version.as_str()), ("mail[to]", "a@b.it"), ("mail[subject]", "Offerta"), ("mail[text]", "Testo")];
    let (status, body) = call(app, &shop.marco, "offers_send", &mail).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(ok(app, &shop.marco, "offers_get", &[("id", &id)]).await["state"], "draft");
    assert_eq!(ok(app, &shop.marco, "config_company", &[]).await["mail"], false);
}

/// A PNG of `width` × `height`, made by the png crate.
fn png_image(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    let pixels: Vec<u8> = (0..width * height).flat_map(|i| [(i % 251) as u8, (i / 7 % 256) as u8, 90]).collect();
    writer.write_image_data(&pixels).unwrap();
    writer.finish().unwrap();
    out
}

async fn put_logo(app: &TestApp, client: &Client, body: Vec<u8>) -> (StatusCode, String) {
    let res = client.put(app.url("/config/crm/company/logo")).body(body).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

#[tokio::test]
async fn a_manager_sets_the_logo_and_what_is_not_an_image_is_refused() {
    let shop = Shop::open(spawn_app(Config::default()).await).await;
    let app = &shop.app;
    let logo = app.url("/config/crm/company/logo.png");
    assert_eq!(shop.manager.get(&logo).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    // A member may not; signed out not at all.
    assert_eq!(put_logo(app, &shop.marco, png_image(40, 20)).await.0, StatusCode::FORBIDDEN);
    assert_eq!(put_logo(app, &shop.anonymous, png_image(40, 20)).await.0, StatusCode::UNAUTHORIZED);
    // Not an image, a cut one, one too wide, one too heavy: refused, translated, nothing kept.
    let mut cut = png_image(300, 300);
    cut.truncate(cut.len() / 2);
    for (body, status) in [
        (b"GIF89a not really".to_vec(), StatusCode::UNPROCESSABLE_ENTITY),
        (Vec::new(), StatusCode::UNPROCESSABLE_ENTITY),
        (cut, StatusCode::UNPROCESSABLE_ENTITY),
        (png_image(4001, 1), StatusCode::UNPROCESSABLE_ENTITY),
        (vec![0xFF; app::config::logo::MAX_BYTES + 1], StatusCode::PAYLOAD_TOO_LARGE),
    ] {
        let (got, body) = put_logo(app, &shop.manager, body).await;
        assert_eq!(got, status, "{body}");
        assert!(serde_json::from_str::<app::error::AppError>(&body).is_ok(), "an answer the page can show: {body}");
    }
    assert_eq!(shop.manager.get(&logo).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    // A large PNG is kept scaled down, as a PNG of our own making.
    assert_eq!(put_logo(app, &shop.manager, png_image(1800, 600)).await.0, StatusCode::NO_CONTENT);
    let kept = shop.marco.get(&logo).send().await.unwrap();
    assert_eq!(kept.headers()["content-type"], "image/png");
    let kept = kept.bytes().await.unwrap();
    let info = png::Decoder::new(std::io::Cursor::new(kept.to_vec())).read_info().unwrap().info().clone();
    assert_eq!((info.width, info.height), (600, 200));
    assert_eq!(ok(app, &shop.marco, "config_company", &[]).await["logo"], true);
    // Printed on the offers' PDF.
    let (id, _) = sent_offer(&shop).await;
    let pdf = shop.marco.get(app.url(&format!("/offers/{id}/offer.pdf"))).send().await.unwrap().bytes().await.unwrap();
    let dir = std::env::temp_dir().join(format!("vendita-logo-{}-{}", std::process::id(), rand_suffix()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("offer.pdf"), &pdf).unwrap();
    let images = std::process::Command::new("pdfimages").arg("-list").arg(dir.join("offer.pdf")).output().expect("pdfimages (poppler-utils)");
    let listing = String::from_utf8_lossy(&images.stdout).to_string();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(listing.contains(" 600 ") && listing.contains(" 200 "), "the logo in the PDF: {listing}");
    assert!(pdf.len() < 2_000_000);
    // Taken away.
    let res = shop.manager.delete(app.url("/config/crm/company/logo")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(shop.manager.get(&logo).send().await.unwrap().status(), StatusCode::NOT_FOUND);
}
