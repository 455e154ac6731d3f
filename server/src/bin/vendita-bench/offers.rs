//! `vendita-bench offers`: an offer of 200 lines saved as a draft, sent (numbered, its lines
//! written as sales with their report cells and history), and drawn as its PDF with a logo, on a
//! fresh SQLite file. The save and the send are printed beside the bare INSERT of the same 200
//! lines in one transaction, measured in the same run; the PDF with its size. Then the offers
//! list's first page (with the count and taxable of all) at 100 000 offers, beside the bare query
//! of that page's rows.

use crate::reports::{Scratch, median, middle};
use app::auth::Role;
use app::offers::ssr as offers;
use app::offers::{OfferForm, OfferLineForm};
use sea_orm::{ConnectionTrait, TransactionTrait};

const LINES: usize = 200;
const RUNS: usize = 15;

pub async fn run() -> Result<(), String> {
    let scratch = Scratch::new("offers").await?;
    let result = bench(&scratch.db).await;
    scratch.remove().await;
    result
}

async fn bench(db: &sea_orm::DatabaseConnection) -> Result<(), String> {
    let err = |e: app::error::AppError| format!("{e:?}");
    let new = app::users::NewUser { login: "bench".into(), display_name: "Bench".into(), password: "benchmark-password".into(), role: Role::Manager };
    app::users::ssr::add_user(db, new).await.map_err(err)?;
    let (manager, _) = app::auth::ssr::login(db, "bench", "benchmark-password", "127.0.0.1").await.map_err(err)?;
    let overview = app::config::ssr::overview(db, &manager).await.map_err(err)?;
    app::config::ssr::set_sales_tag(db, &manager, overview.settings.version, "customers", false).await.map_err(err)?;
    let own = app::sellers::NewSeller { kind: app::sellers::SellerKind::User, name: String::new(), user: Some(manager.id), members: vec![] };
    let seller = app::sellers::ssr::create_seller(db, &manager, own).await.map_err(err)?.id;
    let mut products = Vec::new();
    for i in 0..20 {
        let form = app::catalog::ProductForm {
            code: format!("P{i:02}"),
            name: format!("Articolo di prova numero {i} con una descrizione lunga il giusto"),
            unit: "pz".into(),
            list_price: format!("{},{:02}", 10 + i * 7, i * 3 % 100),
            vat_rate: if i % 4 == 0 { "10".into() } else { "22".into() },
            ..Default::default()
        };
        products.push(app::catalog::ssr::create_product(db, &manager, &form).await.map_err(err)?.id.0);
    }
    let clienti =
        app::contacts::ssr::list_tags(db, &manager).await.map_err(err)?.into_iter().find(|t| t.name == "Clienti").ok_or("no Clienti tag")?.id;
    let contact_form = app::contacts::ContactForm { tags: vec![clienti], kind: "company".into(), name: "Rossi Srl".into(), ..Default::default() };
    let contact = app::contacts::ssr::create(db, &manager, &contact_form).await.map_err(err)?.contact.id;
    let form = OfferForm {
        seller: seller.0.to_string(),
        lines: (0..LINES)
            .map(|i| OfferLineForm {
                kind: "product".into(),
                product: products[i % products.len()].to_string(),
                quantity: format!("{}", 1 + i % 9),
                discount: if i % 3 == 0 { "10+5".into() } else { String::new() },
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    };

    let (save, draft) = median(RUNS, || async { offers::create(db, &manager, contact, &form).await.map_err(err) }).await?;
    // Each send needs a draft of its own: only the send is timed.
    let sends = {
        let mut times = Vec::new();
        for _ in 0..RUNS {
            let draft = offers::create(db, &manager, contact, &form).await.map_err(err)?;
            let started = std::time::Instant::now();
            offers::send(db, &manager, draft.id, draft.version, None).await.map_err(err)?;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        middle(times)
    };
    // The floor: the same 200 lines written by one bare INSERT, with their offer, in one transaction.
    let values: Vec<String> = (0..LINES)
        .map(|i| format!("(OFFER, {}, 'product', {}, 'x', 1000, 'pz', 1000, '', 0, 2200, 1000, NULL)", i + 1, products[i % products.len()]))
        .collect();
    let (floor, _) = median(RUNS, || async {
        let txn = db.begin().await.map_err(|e| e.to_string())?;
        txn.execute_unprepared(&format!(
            "INSERT INTO offers (contact_id, seller_id, state, revision, language, offer_date, valid_until, created_by, created_at, updated_by, updated_at, version) \
             VALUES ({}, {}, 'draft', 1, 'it', '2026-01-01', '2026-01-31', {}, '2026-01-01T00:00:00+00:00', {}, '2026-01-01T00:00:00+00:00', 1)",
            contact.0, seller.0, manager.id.0, manager.id.0
        ))
        .await
        .map_err(|e| e.to_string())?;
        let sql = format!(
            "INSERT INTO offer_lines (offer_id, position, kind, product_id, description, quantity_milli, unit, unit_price_cents, discount, discount_bp, vat_rate_bp, net_cents, sale_id) VALUES {}",
            values.join(",")
        )
        .replace("OFFER", "(SELECT MAX(id) FROM offers)");
        txn.execute_unprepared(&sql).await.map_err(|e| e.to_string())?;
        txn.commit().await.map_err(|e| e.to_string())
    })
    .await?;
    // A logo of 600 × 200 pixels, as a manager would upload it.
    app::config::logo::set(db, &manager, Some(server::demo::sample_logo(600, 200))).await.map_err(err)?;
    let letterhead = offers::letterhead(db, app::i18n::Lang::It).await.map_err(err)?;
    let (pdf, bytes) = median(RUNS, || async { app::offers::pdf::draw(&draft, &letterhead).map_err(err) }).await?;
    println!("an offer of {LINES} lines, {RUNS} runs each, median (SQLite, this machine):");
    println!(
        "  saved as a draft            {save:>8.1} ms   bare INSERT of its lines {floor:>6.1} ms   ratio {:>5.2}×   target < 50 ms",
        save / floor
    );
    println!("  sent (numbered, 200 sales)  {sends:>8.1} ms   bare INSERT of its lines {floor:>6.1} ms   ratio {:>5.2}×", sends / floor);
    println!("  drawn as PDF with a logo    {pdf:>8.1} ms   {:.0} KB   target < 300 ms and < 2 MB", bytes.len() as f64 / 1024.0);
    list_at_scale(db, &manager, contact.0, seller.0, products[0]).await
}

const AT_SCALE: u64 = 100_000;

/// `/offers`' first page at `AT_SCALE` offers of three lines each (written by bare SQL): the list
/// with its count and taxable of all, beside the bare query of the page's 51 rows.
async fn list_at_scale(
    db: &sea_orm::DatabaseConnection,
    manager: &app::auth::CurrentUser,
    contact: i64,
    seller: i64,
    product: i64,
) -> Result<(), String> {
    let sql = |s: String| async move { db.execute_unprepared(&s).await.map(|_| ()).map_err(|e| e.to_string()) };
    sql(format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {AT_SCALE}) \
         INSERT INTO offers (contact_id, seller_id, state, year, number, revision, language, offer_date, valid_until, created_by, created_at, updated_by, updated_at, version) \
         SELECT {contact}, {seller}, CASE i % 4 WHEN 0 THEN 'draft' WHEN 1 THEN 'sent' WHEN 2 THEN 'accepted' ELSE 'rejected' END, \
                CASE i % 4 WHEN 0 THEN NULL ELSE 2000 + i / 10000 END, CASE i % 4 WHEN 0 THEN NULL ELSE i END, 1, 'it', \
                date('2026-12-01', '-' || (i % 1500) || ' days'), date('2026-12-31', '-' || (i % 1500) || ' days'), {uid}, '2026-01-01T00:00:00+00:00', {uid}, '2026-01-01T00:00:00+00:00', 1 FROM n",
        uid = manager.id.0
    ))
    .await?;
    sql(format!(
        "INSERT INTO offer_lines (offer_id, position, kind, product_id, description, quantity_milli, unit, unit_price_cents, discount, discount_bp, vat_rate_bp, net_cents, sale_id) \
         SELECT o.id, p.p, 'product', {product}, 'x', 1000, 'pz', 1000 + o.id % 997, '', 0, 2200, 1000 + o.id % 997, NULL \
         FROM offers o CROSS JOIN (SELECT 1 AS p UNION ALL SELECT 2 UNION ALL SELECT 3) p WHERE o.created_at = '2026-01-01T00:00:00+00:00'"
    ))
    .await?;
    sql("UPDATE offers SET taxable_cents = 3 * (1000 + id % 997) WHERE created_at = '2026-01-01T00:00:00+00:00'".into()).await?;
    sql("ANALYZE".into()).await?;
    let filter = app::offers::OffersFilter::default();
    let (page, first) = median(RUNS, || async { offers::list(db, manager, &filter, None).await.map_err(|e| format!("{e:?}")) }).await?;
    let (bare, _) = median(RUNS, || async {
        db.query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Sqlite,
            "SELECT * FROM offers ORDER BY offer_date DESC, id DESC LIMIT 51".to_string(),
        ))
        .await
        .map_err(|e| e.to_string())
    })
    .await?;
    println!("the offers list at {} offers ({} lines), first page of {}, median of {RUNS}:", first.count, first.count * 3, first.rows.len());
    println!(
        "  with count and taxable of all {page:>6.1} ms   bare query of the page's rows {bare:>6.1} ms   ratio {:>5.1}×   target < 30 ms",
        page / bare
    );
    Ok(())
}
