//! The demo's company profile and offers, written through the domain's own rules once the rest is loaded: Giulia's and
//! Marco's offers to a few customers in the last two months — drafts, sent ones waiting for an
//! answer (one past its validity), accepted and rejected ones — so the pipeline, the board and
//! the reports count their lines like any other sale.

use app::auth::{CurrentUser, Role};
use app::db::entities::{contact_tags, crm_settings, lost_reasons, products, sellers, users};
use app::ids::{ContactId, UserId};
use app::offers::ssr::{self as offers, Answer};
use app::offers::{OfferForm, OfferLineForm};
use chrono::{Duration, NaiveDate};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// What happens to each demo offer after it is written.
#[derive(Clone, Copy)]
enum Fate {
    Draft,
    Sent,
    Accepted,
    /// Accepted by the customer through his link.
    AcceptedOnline,
    Rejected,
}

pub(super) async fn user(db: &DatabaseConnection, login: &str, role: Role) -> Result<CurrentUser, DbErr> {
    let u = users::Entity::find().filter(users::Column::Login.eq(login)).one(db).await?.ok_or(DbErr::Custom(format!("demo user {login}")))?;
    Ok(CurrentUser { id: UserId(u.id), login: u.login, display_name: u.display_name, role, lang: app::i18n::Lang::It })
}

fn err(what: &str) -> impl Fn(app::error::AppError) -> DbErr + '_ {
    move |e| DbErr::Custom(format!("demo offer ({what}): {e:?}"))
}

/// Writes the demo offers; returns how many.
pub async fn load(db: &DatabaseConnection, today: NaiveDate) -> Result<usize, DbErr> {
    let giulia = user(db, "giulia", Role::Manager).await?;
    let marco = user(db, "marco", Role::Member).await?;
    let seller = |name: &'static str| async move {
        sellers::Entity::find()
            .filter(sellers::Column::Name.eq(name))
            .one(db)
            .await?
            .map(|s| s.id)
            .ok_or(DbErr::Custom(format!("demo seller {name}")))
    };
    let (giulia_seller, marco_seller) = (seller("Giulia Ferri").await?, seller("Marco Galli").await?);
    let sales_tag = crm_settings::Entity::find().one(db).await?.and_then(|s| s.sales_tag_id).ok_or(DbErr::Custom("demo sales tag".into()))?;
    let customers: Vec<i64> = contact_tags::Entity::find()
        .filter(contact_tags::Column::TagId.eq(sales_tag))
        .order_by_asc(contact_tags::Column::ContactId)
        .limit(8)
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.contact_id)
        .collect();
    let products: Vec<i64> = products::Entity::find()
        .filter(products::Column::Active.eq(true))
        .order_by_asc(products::Column::Id)
        .limit(12)
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    let reason =
        lost_reasons::Entity::find().order_by_asc(lost_reasons::Column::Position).one(db).await?.ok_or(DbErr::Custom("demo lost reason".into()))?;
    let line = |product: i64, quantity: &str, discount: &str| OfferLineForm {
        kind: "product".into(),
        product: product.to_string(),
        quantity: quantity.into(),
        discount: discount.into(),
        ..Default::default()
    };
    let plan: [(usize, &CurrentUser, i64, i64, Fate, &str); 8] = [
        (0, &giulia, giulia_seller, 52, Fate::Accepted, "10+5"),
        (1, &giulia, giulia_seller, 40, Fate::Rejected, "5"),
        (2, &giulia, giulia_seller, 45, Fate::Sent, ""),
        (3, &marco, marco_seller, 20, Fate::AcceptedOnline, "10"),
        (4, &giulia, giulia_seller, 12, Fate::Sent, "10+5"),
        (5, &marco, marco_seller, 6, Fate::Sent, ""),
        (6, &giulia, giulia_seller, 3, Fate::Draft, "15"),
        (7, &marco, marco_seller, 1, Fate::Draft, ""),
    ];
    let company = app::config::company::CompanyForm {
        name: "Ferri Forniture Srl".into(),
        address: "Via Torino 18".into(),
        postcode: "20123".into(),
        city: "Milano".into(),
        province: "MI".into(),
        vat_number: "IT01234560157".into(),
        tax_code: "01234560157".into(),
        rea: "MI-1234567".into(),
        phone: "+39 02 1234 5678".into(),
        email: "commerciale@ferriforniture.it".into(),
        iban: "IT60X0542811101000000123456".into(),
        validity_days: "30".into(),
        payment_terms: "Rimessa diretta\nBonifico 30 gg d.f.\nBonifico 60 gg d.f.f.m.\nRi.Ba. 30/60 gg d.f.f.m.".into(),
        delivery_terms: "Franco destino\nFranco partenza\nPorto assegnato".into(),
        offer_intro: "Facendo seguito al Vostro gentile interessamento, Vi sottoponiamo la nostra migliore offerta.".into(),
        offer_closing: "Restiamo a disposizione per ogni chiarimento. Cordiali saluti.".into(),
    };
    app::config::company::ssr::set(db, &giulia, 1, &company).await.map_err(err("company"))?;
    app::config::logo::set(db, &giulia, Some(sample_logo(600, 200))).await.map_err(err("logo"))?;
    let mut written = 0;
    for (i, who, seller, days_ago, fate, discount) in plan {
        let (Some(&contact), Some(&first)) = (customers.get(i), products.get(i % products.len().max(1))) else { break };
        let second = products[(i + 5) % products.len()];
        let offer_date = today - Duration::days(days_ago);
        let form = OfferForm {
            seller: seller.to_string(),
            language: "it".into(),
            offer_date: offer_date.to_string(),
            payment_terms: "Bonifico 30 gg d.f.".into(),
            delivery_terms: "Franco destino".into(),
            intro: "Facendo seguito al Vostro gentile interessamento, Vi sottoponiamo la nostra migliore offerta.".into(),
            closing: "Restiamo a disposizione per ogni chiarimento. Cordiali saluti.".into(),
            online_acceptance: true,
            lines: vec![
                OfferLineForm { kind: "section".into(), description: "Fornitura".into(), ..Default::default() },
                line(first, &format!("{}", 2 + i), discount),
                line(second, "1", ""),
                OfferLineForm { kind: "section".into(), description: "Servizi".into(), ..Default::default() },
                OfferLineForm {
                    kind: "text".into(),
                    description: "Installazione e collaudo presso il cliente".into(),
                    quantity: "4".into(),
                    unit: "h".into(),
                    unit_price: "45".into(),
                    vat_rate: "22".into(),
                    ..Default::default()
                },
                OfferLineForm {
                    kind: "note".into(),
                    description: "Prezzi validi per ordini entro la data di validità.".into(),
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        let draft = offers::create(db, who, ContactId(contact), &form).await.map_err(err("create"))?;
        written += 1;
        if matches!(fate, Fate::Draft) {
            continue;
        }
        let sent = offers::send(db, who, draft.id, draft.version, None).await.map_err(err("send"))?;
        let answered_on = (offer_date + Duration::days(9)).min(today).to_string();
        match fate {
            Fate::Accepted => {
                offers::answer(db, who, sent.id, sent.version, Answer::Accepted { on: &answered_on }).await.map_err(err("accept"))?;
            }
            Fate::Rejected => {
                let answer = Answer::Rejected { on: &answered_on, reason: &reason.id.to_string(), note: "Scelto un concorrente più economico" };
                offers::answer(db, who, sent.id, sent.version, answer).await.map_err(err("reject"))?;
            }
            Fate::AcceptedOnline => {
                let token = sent.accept_token.as_deref().unwrap_or_default();
                offers::accept_link(db, token, "Luca Bianchi", "93.41.12.7").await.map_err(err("accept online"))?;
            }
            Fate::Draft | Fate::Sent => {}
        }
    }
    Ok(written)
}

/// The demo company's logo: a green band fading to blue, as PNG (`width` × `height`).
pub fn sample_logo(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    if let Ok(mut writer) = encoder.write_header() {
        let pixels: Vec<u8> =
            (0..width * height).flat_map(|i| [16, (110 + i % width * 60 / width) as u8, (70 + i / width * 120 / height) as u8]).collect();
        let _ = writer.write_image_data(&pixels);
        let _ = writer.finish();
    }
    out
}
