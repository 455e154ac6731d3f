//! The report cells kept with every write: after any mix of creates, edits (stage, seller,
//! amount, dates, product), deletes, stage moves and changes of a contact's tags, made through the
//! application's own functions, the cells equal a fresh GROUP BY over the sales. On SQLite and
//! PostgreSQL, several random walks each.

mod common;

use app::catalog::ProductForm;
use app::catalog::ssr as catalog;
use app::contacts::ssr as contacts;
use app::contacts::{ContactForm, ContactId};
use app::db::entities::lost_reasons;
use app::figures::cells;
use app::sales::ssr as sales;
use app::sales::ssr::StageMove;
use app::sales::{SaleForm, SaleId};
use chrono::{Duration, NaiveDate};
use common::world::{World, sale, world};
use sea_orm::{DatabaseConnection, EntityTrait};

/// A small deterministic generator (same walk on both databases).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

const STAGES: [&str; 5] = ["lead", "negotiation", "proposal", "won", "lost"];

fn random_form(w: &World, rng: &mut Lcg, products: &[i64], reasons: &[i64]) -> SaleForm {
    let sellers = [w.marco_seller, w.sara_seller, w.nord, w.sud];
    let stage = STAGES[rng.next(5) as usize];
    let mut form =
        sale(w, sellers[rng.next(4) as usize], &(1 + rng.next(9)).to_string(), &format!("{},{:02}", 1 + rng.next(5000), rng.next(100)), stage);
    form.product = products[rng.next(products.len() as u64) as usize].to_string();
    let day = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap() + Duration::days(rng.next(500) as i64);
    form.sale_date = day.to_string();
    form.expected_close = if rng.next(5) == 0 { String::new() } else { (day + Duration::days(rng.next(200) as i64)).to_string() };
    if matches!(stage, "won" | "lost") {
        form.closed_date = (day + Duration::days(rng.next(90) as i64)).to_string();
    }
    if stage == "lost" {
        form.lost_reason = reasons[rng.next(reasons.len() as u64) as usize].to_string();
    }
    form
}

async fn assert_cells_match(db: &DatabaseConnection, step: &str) {
    let stored = cells::stored(db).await.unwrap();
    let grouped = cells::grouped(db).await.unwrap();
    assert_eq!(stored, grouped, "after {step}");
}

db_test!(the_cells_always_equal_a_fresh_group_by, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let second = catalog::create_product(
        &db,
        &w.manager,
        &ProductForm {
            code: "P2".into(),
            name: "Prodotto 2".into(),
            description: String::new(),
            category: String::new(),
            unit: "pz".into(),
            list_price: "10".into(),
            vat_rate: "22".into(),
        },
    )
    .await
    .unwrap();
    let products = [w.product, second.id.0];
    // A second customer, with a tag of its own beside the sales tag.
    let other = contacts::create(
        &db,
        &w.manager,
        &ContactForm { tags: vec![w.clienti], new_tags: "VIP".into(), kind: "company".into(), name: "Bianchi Spa".into(), ..Default::default() },
    )
    .await
    .unwrap()
    .contact
    .id;
    let customers: [ContactId; 2] = [w.customer, other];
    let reasons: Vec<i64> = lost_reasons::Entity::find().all(&db).await.unwrap().into_iter().map(|r| r.id).collect();
    for seed in [7u64, 99, 2026] {
        let mut rng = Lcg(seed);
        let mut live: Vec<SaleId> = Vec::new();
        for op in 0..60 {
            let what = rng.next(6);
            let step = format!("seed {seed}, step {op}, operation {what}");
            match what {
                0 | 1 => {
                    let form = random_form(&w, &mut rng, &products, &reasons);
                    let contact = customers[rng.next(2) as usize];
                    live.push(sales::create(&db, &w.manager, contact, &form).await.unwrap().id);
                }
                2 if !live.is_empty() => {
                    let id = live[rng.next(live.len() as u64) as usize];
                    let current = sales::get(&db, &w.manager, id).await.unwrap();
                    let form = random_form(&w, &mut rng, &products, &reasons);
                    sales::update(&db, &w.manager, id, current.version, &form).await.unwrap();
                }
                3 if !live.is_empty() => {
                    let id = live.swap_remove(rng.next(live.len() as u64) as usize);
                    let current = sales::get(&db, &w.manager, id).await.unwrap();
                    sales::delete(&db, &w.manager, id, current.version).await.unwrap();
                }
                4 if !live.is_empty() => {
                    let id = live[rng.next(live.len() as u64) as usize];
                    let current = sales::get(&db, &w.manager, id).await.unwrap();
                    let stage = STAGES[rng.next(5) as usize];
                    let reason = reasons[rng.next(reasons.len() as u64) as usize].to_string();
                    // No close date: the validation's own default (today) for won and lost.
                    sales::move_stage(&db, &w.manager, id, current.version, StageMove { stage, lost_reason: &reason, ..Default::default() })
                        .await
                        .unwrap();
                }
                _ => {
                    // The second customer gains or loses a tag: all its sales change cells.
                    let contact = contacts::get(&db, &w.manager, other).await.unwrap();
                    let mut form = ContactForm { kind: "company".into(), name: contact.name.clone(), tags: vec![w.clienti], ..Default::default() };
                    if rng.next(2) == 0 {
                        form.new_tags = format!("Fiera {}", rng.next(3));
                    }
                    contacts::update(&db, &w.manager, other, contact.version, &form).await.unwrap();
                }
            }
            assert_cells_match(&db, &step).await;
        }
    }
    // A tag merged into another and a tag deleted move every carrier's sales.
    let tags = contacts::list_tags(&db, &w.manager).await.unwrap();
    let fairs: Vec<_> = tags.iter().filter(|t| t.name.starts_with("Fiera")).map(|t| t.id).collect();
    let contact = contacts::get(&db, &w.manager, other).await.unwrap();
    let form =
        ContactForm { kind: "company".into(), name: contact.name.clone(), tags: [vec![w.clienti], fairs.clone()].concat(), ..Default::default() };
    contacts::update(&db, &w.manager, other, contact.version, &form).await.unwrap();
    assert_cells_match(&db, "every fair tag on the second customer").await;
    if let [first, second, ..] = fairs.as_slice() {
        contacts::merge_tags(&db, &w.manager, *first, *second).await.unwrap();
        assert_cells_match(&db, "a tag merged").await;
        contacts::delete_tag(&db, &w.manager, *second).await.unwrap();
        assert_cells_match(&db, "a tag deleted").await;
    }
    assert!(!cells::stored(&db).await.unwrap().is_empty(), "the walk left sales behind");
});

db_test!(a_rebuild_repairs_cells_written_behind_the_applications_back, |db: DatabaseConnection| async move {
    use sea_orm::ConnectionTrait;
    let w = world(&db).await;
    sales::create(&db, &w.manager, w.customer, &sale(&w, w.nord, "2", "100", "won")).await.unwrap();
    db.execute_unprepared("UPDATE report_cells SET n = n + 5, net = net * 2").await.unwrap();
    assert_ne!(cells::stored(&db).await.unwrap(), cells::grouped(&db).await.unwrap());
    cells::rebuild(&db).await.unwrap();
    assert_eq!(cells::stored(&db).await.unwrap(), cells::grouped(&db).await.unwrap());
});
