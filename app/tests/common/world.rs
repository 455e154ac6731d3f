//! A small sales team to test sales against, shared by the sales and desk tests.

use super::user;
use app::auth::{CurrentUser, Role};
use app::catalog::ProductForm;
use app::catalog::ssr as catalog;
use app::config::TagId;
use app::config::ssr as config;
use app::contacts::ssr as contacts;
use app::contacts::{ContactForm, ContactId};
use app::sales::SaleForm;
use app::sellers::ssr as sellers;
use app::sellers::{NewSeller, SellerId, SellerKind};
use sea_orm::DatabaseConnection;

/// A small sales team: marco and sara (members) each with a user seller, a team "Nord" with marco,
/// a team "Sud" with sara; Clienti is the sales tag; two products (one inactive); one customer.
pub struct World {
    pub manager: CurrentUser,
    pub marco: CurrentUser,
    pub sara: CurrentUser,
    pub marco_seller: SellerId,
    pub sara_seller: SellerId,
    pub nord: SellerId,
    pub sud: SellerId,
    pub product: i64,
    pub inactive_product: i64,
    pub customer: ContactId,
    pub clienti: TagId,
}

pub async fn world(db: &DatabaseConnection) -> World {
    let manager = user(db, "giulia", Role::Manager).await;
    let marco = user(db, "marco", Role::Member).await;
    let sara = user(db, "sara", Role::Member).await;
    let overview = config::overview(db, &manager).await.unwrap();
    config::set_sales_tag(db, &manager, overview.settings.version, "customers", false).await.unwrap();
    let seller = |who: &CurrentUser| NewSeller { kind: SellerKind::User, name: String::new(), user: Some(who.id), members: vec![] };
    let team = |name: &str, who: &CurrentUser| NewSeller { kind: SellerKind::Generic, name: name.into(), user: None, members: vec![who.id] };
    let marco_seller = sellers::create_seller(db, &manager, seller(&marco)).await.unwrap().id;
    let sara_seller = sellers::create_seller(db, &manager, seller(&sara)).await.unwrap().id;
    let nord = sellers::create_seller(db, &manager, team("Team Nord", &marco)).await.unwrap().id;
    let sud = sellers::create_seller(db, &manager, team("Team Sud", &sara)).await.unwrap().id;
    let product_form = |code: &str, price: &str| ProductForm {
        code: code.into(),
        name: format!("Prodotto {code}"),
        description: String::new(),
        category: String::new(),
        unit: "pz".into(),
        list_price: price.into(),
        vat_rate: "22".into(),
    };
    let product = catalog::create_product(db, &manager, &product_form("P1", "19,99")).await.unwrap();
    let old = catalog::create_product(db, &manager, &product_form("OLD", "5")).await.unwrap();
    catalog::set_product_active(db, &manager, old.id, old.version, false).await.unwrap();
    let tags = contacts::list_tags(db, &manager).await.unwrap();
    let clienti = tags.iter().find(|t| t.name == "Clienti").unwrap().id;
    let customer =
        contacts::create(db, &manager, &ContactForm { tags: vec![clienti], kind: "company".into(), name: "Rossi Srl".into(), ..Default::default() })
            .await
            .unwrap()
            .contact
            .id;
    World { manager, marco, sara, marco_seller, sara_seller, nord, sud, product: product.id.0, inactive_product: old.id.0, customer, clienti }
}

pub fn sale(w: &World, seller: SellerId, quantity: &str, price: &str, stage: &str) -> SaleForm {
    SaleForm {
        product: w.product.to_string(),
        seller: seller.0.to_string(),
        quantity: quantity.into(),
        unit_price: price.into(),
        discount: String::new(),
        vat_rate: "22".into(),
        stage: stage.into(),
        probability: String::new(),
        sale_date: "2026-03-01".into(),
        expected_close: "2026-04-30".into(),
        closed_date: String::new(),
        lost_reason: String::new(),
        lost_note: String::new(),
        notes: String::new(),
    }
}
