//! The import, on SQLite and PostgreSQL, with the hand-made files in `fixtures/import`: an Italian
//! Excel CSV (";", Windows-1252, quoted fields), an ODS price list, an XLSX of past sales with real
//! Excel dates under a merged title row, and broken files. Each test asserts the exact report
//! (counts, lines, fields) and what was written: nothing on a dry run or a refused file.

mod common;

use app::auth::CurrentUser;
use app::db::entities::{categories, contacts, import_batches, products, sales};
use app::error::SourceError;
use app::error::{AppError, Field, Problem};
use app::import::ssr as import;
use app::import::{BatchState, ImportKind, ImportMode, ImportReport, ImportRequest};
use app::sales::{HistoryAction, HistoryValue, SaleForm, Stage};
use common::world::{World, world};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/import/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn request(kind: ImportKind, file: &str, mode: ImportMode) -> ImportRequest {
    ImportRequest { kind, file_name: file.into(), sheet: None, mapping: None, mode, add_sales_tag: false }
}

async fn run(db: &DatabaseConnection, who: &CurrentUser, request: &ImportRequest, file: &str) -> Result<ImportReport, AppError> {
    import::run(db, who, request, &fixture(file)).await
}

/// (line, field, problem) of each bad row.
fn bad_rows(report: &ImportReport) -> Vec<(usize, Option<Field>, Option<Problem>)> {
    report
        .errors
        .iter()
        .map(|e| match &e.error {
            AppError::Invalid { field, problem } => (e.line, Some(*field), Some(*problem)),
            _ => (e.line, None, None),
        })
        .collect()
}

async fn counts(db: &DatabaseConnection) -> (u64, u64, u64, u64) {
    (
        contacts::Entity::find().count(db).await.unwrap(),
        products::Entity::find().count(db).await.unwrap(),
        sales::Entity::find().count(db).await.unwrap(),
        categories::Entity::find().count(db).await.unwrap(),
    )
}

/// The contacts and the price list of the fixtures, imported (their valid rows).
async fn contacts_and_products(db: &DatabaseConnection, w: &World) {
    run(db, &w.manager, &request(ImportKind::Contacts, "c.csv", ImportMode::ValidOnly), "contatti-excel.csv").await.unwrap();
    run(db, &w.manager, &request(ImportKind::Products, "p.ods", ImportMode::ValidOnly), "prodotti.ods").await.unwrap();
}

db_test!(an_italian_excel_csv_is_checked_row_by_row_and_a_dry_run_writes_nothing, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let before = counts(&db).await;
    let report = run(&db, &w.manager, &request(ImportKind::Contacts, "contatti-excel.csv", ImportMode::DryRun), "contatti-excel.csv").await.unwrap();
    let fields: Vec<Option<&str>> = report.columns.iter().map(|c| c.field.as_deref()).collect();
    assert_eq!(
        fields,
        [
            Some("name"),
            Some("vat_number"),
            Some("tax_code"),
            Some("address"),
            Some("postcode"),
            Some("city"),
            Some("province"),
            Some("email"),
            Some("phone"),
            Some("new_tags")
        ],
        "Italian headers, accents (Città) read from Windows-1252"
    );
    assert_eq!((report.rows, report.creates, report.updates, report.unchanged), (6, 3, 0, 0));
    assert_eq!(
        bad_rows(&report),
        [
            (5, Some(Field::VatNumber), Some(Problem::VatChecksum)),
            (6, Some(Field::Email), Some(Problem::EmailShape)),
            (7, Some(Field::Name), Some(Problem::Required))
        ]
    );
    assert_eq!(report.preview[0].1[0], "Ferramenta Forlì Srl");
    assert_eq!(report.preview[1].1[0], "Caffè Ré; Pasticceria Sas", "a quoted field keeps its separator");
    assert!(!report.written && report.batch.is_none());
    assert_eq!(counts(&db).await, before, "a dry run writes nothing");

    // "All": refused as a whole because of the three bad rows.
    let all = run(&db, &w.manager, &request(ImportKind::Contacts, "c.csv", ImportMode::All), "contatti-excel.csv").await.unwrap();
    assert_eq!((all.creates, all.errors.len(), all.written), (3, 3, false));
    assert_eq!(counts(&db).await, before, "all or nothing: nothing");

    // "Valid only": the three good rows, with their tags (created when missing), in one batch.
    let valid = run(&db, &w.manager, &request(ImportKind::Contacts, "c.csv", ImportMode::ValidOnly), "contatti-excel.csv").await.unwrap();
    assert_eq!((valid.creates, valid.errors.len(), valid.written), (3, 3, true));
    assert_eq!(counts(&db).await.0, before.0 + 3);
    let all_contacts = contacts::Entity::find().all(&db).await.unwrap();
    let caffe = all_contacts.iter().find(|c| c.name.starts_with("Caffè")).unwrap();
    assert_eq!((caffe.vat_number.as_deref(), caffe.city.as_deref()), (Some("12345678903"), Some("Milano")), "IT prefix and spaces dropped");
    let forli = all_contacts.iter().find(|c| c.name.starts_with("Ferramenta")).unwrap();
    let card = app::contacts::ssr::get(&db, &w.manager, app::contacts::ContactId(forli.id)).await.unwrap();
    let tags: Vec<&str> = card.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(tags, ["Clienti", "Romagna"]);
    let rejected = import::rejected(&db, &w.manager, valid.batch.unwrap()).await.unwrap();
    assert_eq!(rejected.rows.iter().map(|r| r.0).collect::<Vec<_>>(), [5, 6, 7]);
    assert!(rejected.rows[0].2.starts_with("Partita IVA:"), "{}", rejected.rows[0].2);
    let workbook = import::rejected_workbook(&rejected, app::i18n::Lang::It).unwrap();
    assert!(workbook.starts_with(b"PK"), "the rejected rows download as .xlsx");

    // The same file again: matched by VAT number, tax code, e-mail: nothing new, nothing changed.
    let again = run(&db, &w.manager, &request(ImportKind::Contacts, "c.csv", ImportMode::DryRun), "contatti-excel.csv").await.unwrap();
    assert_eq!((again.creates, again.updates, again.unchanged), (0, 0, 3));
});

db_test!(an_ods_price_list_creates_its_categories_and_products_by_code, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let before = counts(&db).await;
    let report = run(&db, &w.manager, &request(ImportKind::Products, "p.ods", ImportMode::ValidOnly), "prodotti.ods").await.unwrap();
    assert_eq!((report.rows, report.creates, report.written), (5, 3, true));
    assert_eq!(bad_rows(&report), [(5, Some(Field::Name), Some(Problem::Required)), (6, Some(Field::ListPrice), Some(Problem::Negative))]);
    let after = counts(&db).await;
    assert_eq!((after.1, after.3), (before.1 + 3, before.3 + 4), "Hardware, Notebook, Accessori, Software");
    let notebook = products::Entity::find().all(&db).await.unwrap().into_iter().find(|p| p.code == "HW-100").unwrap();
    assert_eq!((notebook.list_price_cents, notebook.vat_rate_bp, notebook.unit.as_str()), (123_456, 2200, "pz"));
    let mouse = products::Entity::find().all(&db).await.unwrap().into_iter().find(|p| p.code == "HW-101").unwrap();
    assert_eq!(mouse.list_price_cents, 1_990, "a spreadsheet number");
    assert_eq!(categories::Entity::find_by_id(mouse.category_id.unwrap()).one(&db).await.unwrap().map(|c| c.name).as_deref(), Some("Accessori"));
});

db_test!(past_sales_from_xlsx_find_their_contact_product_and_seller, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    contacts_and_products(&db, &w).await;
    let before = counts(&db).await;
    let check = run(&db, &w.manager, &request(ImportKind::Sales, "v.xlsx", ImportMode::DryRun), "vendite.xlsx").await.unwrap();
    assert_eq!(check.sheets, ["Vendite 2025", "Note"]);
    assert_eq!(check.columns[0].field.as_deref(), Some("sale_date"), "the header row under the merged title");
    assert_eq!(check.preview[0], (3, check.preview[0].1.clone()), "lines as the spreadsheet numbers its rows");
    assert_eq!(check.preview[0].1[0], "2025-01-15", "an Excel date is a day");
    assert_eq!(check.creates, 2);
    // Rossi Mario has no sales tag; the unknown contact and the unknown product are named.
    assert_eq!(
        bad_rows(&check),
        [(5, None, None), (6, Some(Field::Contact), Some(Problem::Invalid)), (7, Some(Field::Product), Some(Problem::Invalid))]
    );
    assert_eq!(check.errors[0].error, AppError::NoSalesTag);
    assert_eq!(counts(&db).await, before);

    // Offered the sales tag, Rossi Mario gets it and his sale goes in.
    let with_tag = ImportRequest { add_sales_tag: true, ..request(ImportKind::Sales, "vendite.xlsx", ImportMode::ValidOnly) };
    let done = import::run(&db, &w.manager, &with_tag, &fixture("vendite.xlsx")).await.unwrap();
    assert_eq!((done.creates, done.errors.len(), done.written), (3, 2, true));
    let imported = sales::Entity::find().all(&db).await.unwrap();
    assert_eq!(imported.len() as u64, before.2 + 3);
    let won = imported.iter().find(|s| s.stage == Stage::Won).unwrap();
    assert_eq!((won.quantity_milli, won.unit_price_cents, won.net_cents), (2_000, 123_456, 246_912));
    assert_eq!((won.sale_date.to_string(), won.closed_date.map(|d| d.to_string())), ("2025-01-15".to_string(), Some("2025-01-20".to_string())));
    assert_eq!(won.seller_id, w.nord.0, "the seller by name, in any case");
    let lost = imported.iter().find(|s| s.stage == Stage::Lost).unwrap();
    let lost_sale = app::sales::ssr::get(&db, &w.manager, app::sales::SaleId(lost.id)).await.unwrap();
    assert_eq!(lost_sale.lost_reason.map(|r| r.name).as_deref(), Some("Prezzo"));
    let history = app::sales::ssr::history(&db, &w.manager, app::sales::SaleId(won.id)).await.unwrap();
    assert_eq!(history[0].action, HistoryAction::Import, "the history says it was imported");
    assert!(
        matches!(&history[0].new, Some(HistoryValue::Sale { import: Some(from), .. }) if Some(from.batch) == done.batch && from.file == "vendite.xlsx"),
        "and from which import: {:?}",
        history[0].new
    );
    assert!(history[0].new.as_ref().unwrap().text(app::i18n::Lang::It).ends_with(&format!("importazione n. {} (vendite.xlsx)", done.batch.unwrap())));

    // Another sheet by name: it has no sales columns.
    let other = ImportRequest { sheet: Some("Note".into()), ..request(ImportKind::Sales, "v.xlsx", ImportMode::DryRun) };
    assert_eq!(import::run(&db, &w.manager, &other, &fixture("vendite.xlsx")).await.unwrap_err(), AppError::BadFile(SourceError::OnlyHeaders));
    let missing = ImportRequest { sheet: Some("Foglio9".into()), ..other };
    assert_eq!(
        import::run(&db, &w.manager, &missing, &fixture("vendite.xlsx")).await.unwrap_err(),
        AppError::BadFile(SourceError::NoSuchSheet("Foglio9".into()))
    );
});

db_test!(broken_files_are_refused_whole_and_write_nothing, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let before = counts(&db).await;
    let dry = |kind| request(kind, "x", ImportMode::All);
    for (file, kind, error) in [
        ("binario.csv", ImportKind::Contacts, SourceError::Unreadable),
        ("troncato.xlsx", ImportKind::Sales, SourceError::Unreadable),
        ("vuoto.csv", ImportKind::Contacts, SourceError::Empty),
        ("solo-intestazione.csv", ImportKind::Contacts, SourceError::OnlyHeaders),
    ] {
        assert_eq!(run(&db, &w.manager, &dry(kind), file).await.unwrap_err(), AppError::BadFile(error), "{file}");
    }
    // A file whose headers name nothing of the kind, and a mapping naming a field it lacks.
    let nothing = b"Colonna A;Colonna B\n1;2\n";
    assert_eq!(import::run(&db, &w.manager, &dry(ImportKind::Products), nothing).await.unwrap_err(), AppError::BadFile(SourceError::NoColumns));
    let bad_map = ImportRequest { mapping: Some(vec![Some("password".into())]), ..dry(ImportKind::Products) };
    assert!(matches!(import::run(&db, &w.manager, &bad_map, nothing).await.unwrap_err(), AppError::BadRequest(_)));
    // Formulas are text, never evaluated: a name keeps it, a price is no number.
    let formulas = "Codice;Descrizione;Prezzo\nF-1;=HYPERLINK(\"http://x\");10\nF-2;Ok;=1+1\n".as_bytes();
    let report = import::run(&db, &w.manager, &request(ImportKind::Products, "f.csv", ImportMode::DryRun), formulas).await.unwrap();
    assert_eq!(bad_rows(&report), [(3, Some(Field::ListPrice), Some(Problem::Invalid))]);
    assert_eq!(report.preview[0].1[1], "=HYPERLINK(\"http://x\")");
    // Many bad rows: all counted, the first thousand listed (the answer stays small).
    let many: String = std::iter::once("Ragione sociale;E-mail\n".to_string()).chain((0..1_500).map(|i| format!(";x{i}@@\n"))).collect();
    let report = import::run(&db, &w.manager, &request(ImportKind::Contacts, "m.csv", ImportMode::DryRun), many.as_bytes()).await.unwrap();
    assert_eq!((report.bad, report.errors.len(), report.exit_code()), (1_500, app::import::LISTED_ERRORS, 1));
    // A member imports nothing, whatever the file.
    assert_eq!(run(&db, &w.marco, &dry(ImportKind::Contacts), "contatti-excel.csv").await.unwrap_err(), AppError::Forbidden);
    assert_eq!(counts(&db).await, before);
    assert_eq!(import_batches::Entity::find().count(&db).await.unwrap(), 0);
});

db_test!(export_edit_two_cells_import_updates_exactly_two, |db: DatabaseConnection| async move {
    use calamine::{Data, Reader};
    let w = world(&db).await;
    contacts_and_products(&db, &w).await;
    let before = counts(&db).await;
    let exported = import::export_workbook(&db, &w.manager, ImportKind::Contacts).await.unwrap();
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(exported)).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let mut rows: Vec<Vec<String>> = book
        .worksheet_range(&sheet)
        .unwrap()
        .rows()
        .map(|r| r.iter().map(|c| if *c == Data::Empty { String::new() } else { c.to_string() }).collect())
        .collect();
    let (name, phone) = (rows[0].iter().position(|h| h == "Nome").unwrap(), rows[0].iter().position(|h| h == "Telefono").unwrap());
    let row_of = |rows: &Vec<Vec<String>>, prefix: &str| rows.iter().position(|r| r[name].starts_with(prefix)).unwrap();
    let forli = row_of(&rows, "Ferramenta");
    rows[forli][phone] = "0543 999999".into();
    let rossi = row_of(&rows, "Rossi Mario");
    rows[rossi][name] = "Rossi Mario Luigi".into();
    let csv: String = rows.iter().map(|r| r.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect::<Vec<_>>().join(";") + "\n").collect();
    let report = import::run(&db, &w.manager, &request(ImportKind::Contacts, "e.csv", ImportMode::All), csv.as_bytes()).await.unwrap();
    assert_eq!((report.creates, report.updates, report.errors.len()), (0, 2, 0), "{:?}", report.errors);
    assert_eq!(report.unchanged, report.rows - 2);
    assert_eq!(counts(&db).await, before);
    let all = contacts::Entity::find().all(&db).await.unwrap();
    assert!(all.iter().any(|c| c.name == "Rossi Mario Luigi"), "matched by its tax code, renamed");
    assert!(all.iter().any(|c| c.phone.as_deref() == Some("0543 999999")));

    // Undo: both back as they were.
    import::undo(&db, &w.manager, report.batch.unwrap()).await.unwrap();
    let back = contacts::Entity::find().all(&db).await.unwrap();
    assert!(back.iter().any(|c| c.name == "Rossi Mario") && !back.iter().any(|c| c.name == "Rossi Mario Luigi"));
    assert!(back.iter().any(|c| c.phone.as_deref() == Some("0543 123456")));
    assert_eq!(import::undo(&db, &w.manager, report.batch.unwrap()).await.unwrap_err(), AppError::Conflict, "undone once");
});

db_test!(an_import_is_undone_while_its_rows_are_unchanged_and_names_them_otherwise, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    contacts_and_products(&db, &w).await;
    let before = counts(&db).await;
    let with_tag = ImportRequest { add_sales_tag: true, ..request(ImportKind::Sales, "vendite.xlsx", ImportMode::ValidOnly) };
    let done = import::run(&db, &w.manager, &with_tag, &fixture("vendite.xlsx")).await.unwrap();
    let batch = done.batch.unwrap();
    assert_eq!(counts(&db).await.2, before.2 + 3);
    // One imported sale edited since: the undo refuses and names it; nothing is undone.
    let one = sales::Entity::find().all(&db).await.unwrap().into_iter().find(|s| s.stage == Stage::Negotiation).unwrap();
    let sale = app::sales::ssr::get(&db, &w.manager, app::sales::SaleId(one.id)).await.unwrap();
    let edited = app::sales::ssr::update(&db, &w.manager, sale.id, sale.version, &SaleForm { notes: "richiamare".into(), ..SaleForm::of(&sale) })
        .await
        .unwrap();
    assert_eq!(import::undo(&db, &w.manager, batch).await.unwrap_err(), AppError::ImportUndoBlocked { rows: vec![format!("#{}", one.id)] });
    assert_eq!(counts(&db).await.2, before.2 + 3);
    // A member may not undo.
    assert_eq!(import::undo(&db, &w.marco, batch).await.unwrap_err(), AppError::Forbidden);
    // Deleted by hand, the edited one no longer blocks: the other two go.
    app::sales::ssr::delete(&db, &w.manager, edited.id, edited.version).await.unwrap();
    import::undo(&db, &w.manager, batch).await.unwrap();
    assert_eq!(counts(&db).await.2, before.2);
    let listed = import::batches(&db, &w.manager).await.unwrap();
    assert!(listed.iter().find(|b| b.id == batch).is_some_and(|b| b.state == BatchState::Undone && b.created == 3 && b.rejected == 2));
});

db_test!(a_file_of_many_chunks_puts_every_row_on_its_own_record, |db: DatabaseConnection| async move {
    use app::db::entities::{contact_tags, sale_history, tags};
    use sea_orm::{ColumnTrait, QueryFilter};
    let w = world(&db).await;
    let before = counts(&db).await;
    // 1 200 contacts, written some hundreds at a time. Line 702 names the contact of line 5 (written
    // in an earlier chunk), line 1 102 the one of line 1 052 (still waiting in the same chunk): both
    // update it instead of creating another.
    let mut csv = String::from("Ragione sociale;E-mail;Telefono;Città;Tag\n");
    for i in 0..1_200 {
        match i {
            700 => csv.push_str("Azienda 3;a3@esempio.it;;Bologna;\n"),
            1_100 => csv.push_str("Azienda 1050;A1050@esempio.it;111;;\n"),
            _ => csv.push_str(&format!("Azienda {i};a{i}@esempio.it;;;Gruppo {}\n", i % 3)),
        }
    }
    let report = import::run(&db, &w.manager, &request(ImportKind::Contacts, "molti.csv", ImportMode::All), csv.as_bytes()).await.unwrap();
    assert_eq!((report.creates, report.updates, report.bad, report.written), (1_198, 2, 0, true), "{:?}", report.errors);
    assert_eq!(counts(&db).await.0, before.0 + 1_198);
    let all = contacts::Entity::find().filter(contacts::Column::Name.starts_with("Azienda ")).all(&db).await.unwrap();
    assert_eq!(all.len(), 1_198);
    let group_of: std::collections::HashMap<i64, String> = tags::Entity::find().all(&db).await.unwrap().into_iter().map(|t| (t.id, t.name)).collect();
    let links = contact_tags::Entity::find().all(&db).await.unwrap();
    for contact in &all {
        let i: usize = contact.name["Azienda ".len()..].parse().unwrap();
        assert_eq!(contact.email.as_deref().map(str::to_lowercase), Some(format!("a{i}@esempio.it")), "{}", contact.name);
        let groups: Vec<&str> = links.iter().filter(|l| l.contact_id == contact.id).map(|l| group_of[&l.tag_id].as_str()).collect();
        assert_eq!(groups, [format!("Gruppo {}", i % 3)], "{}: its own tag, created once", contact.name);
    }
    assert_eq!(all.iter().find(|c| c.name == "Azienda 3").unwrap().city.as_deref(), Some("Bologna"));
    assert_eq!(all.iter().find(|c| c.name == "Azienda 1050").unwrap().phone.as_deref(), Some("111"));

    // 1 200 sales on them (the sales tag added), quantity i + 1 on line i + 2: each sale on the
    // contact its line names, each with one history line.
    let mut csv = String::from("E-mail;Codice prodotto;Quantità;Venditore;Fase\n");
    for i in 0..1_200 {
        let contact = if i == 700 || i == 1_100 { 0 } else { i };
        csv.push_str(&format!("a{contact}@esempio.it;P1;{};Team Nord;Trattativa\n", i + 1));
    }
    let with_tag = ImportRequest { add_sales_tag: true, ..request(ImportKind::Sales, "vendite.csv", ImportMode::All) };
    let report = import::run(&db, &w.manager, &with_tag, csv.as_bytes()).await.unwrap();
    assert_eq!((report.creates, report.bad), (1_200, 0), "{:?}", report.errors);
    let email_of: std::collections::HashMap<i64, String> = all.iter().map(|c| (c.id, c.email.as_deref().unwrap().to_lowercase())).collect();
    let imported = sales::Entity::find().filter(sales::Column::SellerId.eq(w.nord.0)).all(&db).await.unwrap();
    assert_eq!(imported.len(), 1_200);
    for sale in &imported {
        let i = (sale.quantity_milli / 1_000 - 1) as usize;
        let contact = if i == 700 || i == 1_100 { 0 } else { i };
        assert_eq!(email_of[&sale.contact_id], format!("a{contact}@esempio.it"), "the sale of line {}", i + 2);
        assert_eq!(sale.net_cents, (i as i64 + 1) * 1_999);
    }
    let history = sale_history::Entity::find().filter(sale_history::Column::SaleId.is_in(imported.iter().map(|s| s.id))).all(&db).await.unwrap();
    assert_eq!(history.len(), 1_200);
    assert!(history.iter().all(|h| h.action == HistoryAction::Import));

    // Both batches undone: everything as before.
    import::undo(&db, &w.manager, report.batch.unwrap()).await.unwrap();
    let contacts_batch = import::batches(&db, &w.manager).await.unwrap().into_iter().find(|b| b.kind == ImportKind::Contacts).unwrap();
    import::undo(&db, &w.manager, contacts_batch.id).await.unwrap();
    assert_eq!(counts(&db).await, before);
});

#[test]
fn every_field_label_reads_back_as_its_field() {
    // The export writes the fields' labels as headers: the import must recognise them.
    for kind in [ImportKind::Contacts, ImportKind::Products] {
        for field in kind.fields() {
            for lang in [app::i18n::Lang::It, app::i18n::Lang::En] {
                assert_eq!(kind.field_for(field.label.text(lang)), Some(field.code), "{kind:?} {} in {lang:?}", field.label.text(lang));
            }
        }
    }
}

db_test!(targets_import_by_seller_name_and_month_and_undo_restores_them, |db: DatabaseConnection| async move {
    use app::money::Money;
    use app::targets::ssr as targets;
    let w = world(&db).await;
    let grid = targets::grid(&db, &w.manager, 2026, None).await.unwrap();
    let name = |id: app::sellers::SellerId| grid.sellers.iter().find(|s| s.id == id).unwrap().name.clone();
    targets::set(
        &db,
        &w.manager,
        &app::targets::TargetForm { seller: w.sara_seller.to_string(), month: "2026-02".into(), amount: "10".into(), ..Default::default() },
    )
    .await
    .unwrap();
    let file = format!(
        "Venditore;Mese;Obiettivo\n{m};2026-01;1.500,00\n{m};02/2026;1600\n{s};2026-02-01;20\n{s};2026-03;-4\nNessuno;2026-03;5\n{m};13/2026;5\n",
        m = name(w.marco_seller),
        s = name(w.sara_seller)
    );
    let all = request(ImportKind::Targets, "obiettivi.csv", ImportMode::ValidOnly);
    let report = import::run(&db, &w.manager, &all, file.as_bytes()).await.unwrap();
    assert_eq!((report.creates, report.updates, report.bad), (2, 1, 3));
    assert_eq!(
        bad_rows(&report),
        vec![
            (5, Some(Field::Target), Some(Problem::Negative)),
            (6, Some(Field::Seller), Some(Problem::Invalid)),
            (7, Some(Field::Month), Some(Problem::Invalid))
        ]
    );
    let after = targets::grid(&db, &w.manager, 2026, None).await.unwrap();
    let row = |g: &app::targets::TargetGrid, id| g.amounts[g.sellers.iter().position(|s| s.id == id).unwrap()].clone();
    assert_eq!(row(&after, w.marco_seller)[..2], [Some(Money(150_000)), Some(Money(160_000))]);
    assert_eq!(row(&after, w.sara_seller)[1], Some(Money(2_000)));
    // A member may not import.
    assert_eq!(import::run(&db, &w.marco, &all, file.as_bytes()).await.unwrap_err(), AppError::Forbidden);
    // Undo: the created targets go, the updated one is as before.
    import::undo(&db, &w.manager, report.batch.unwrap()).await.unwrap();
    let undone = targets::grid(&db, &w.manager, 2026, None).await.unwrap();
    assert_eq!(row(&undone, w.marco_seller)[..2], [None, None]);
    assert_eq!(row(&undone, w.sara_seller)[1], Some(Money(1_000)));
});

db_test!(an_undo_keeps_the_sales_tag_on_a_contact_that_has_sales_since, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let form = app::contacts::ContactForm { kind: "company".into(), name: "Verdi Srl".into(), email: "info@verdi.it".into(), ..Default::default() };
    let verdi = app::contacts::ssr::create(&db, &w.manager, &form).await.unwrap().contact;
    assert!(!app::config::ssr::carries_sales_tag(&db, verdi.id).await.unwrap());
    // The import gives Verdi the sales tag; marco then sells to it.
    let csv = "Ragione sociale;E-mail;Tag\nVerdi Srl;info@verdi.it;Clienti\n";
    let report = import::run(&db, &w.manager, &request(ImportKind::Contacts, "tag.csv", ImportMode::All), csv.as_bytes()).await.unwrap();
    assert_eq!((report.updates, report.errors.len()), (1, 0), "{:?}", report.errors);
    assert!(app::config::ssr::carries_sales_tag(&db, verdi.id).await.unwrap());
    let sale = app::sales::ssr::create(&db, &w.marco, verdi.id, &common::world::sale(&w, w.marco_seller, "1", "100", "lead")).await.unwrap();
    // Undone: the contact is as before, but keeps the sales tag, and the sale stays on its card.
    import::undo(&db, &w.manager, report.batch.unwrap()).await.unwrap();
    assert!(app::config::ssr::carries_sales_tag(&db, verdi.id).await.unwrap(), "a contact with sales keeps the sales tag");
    assert_eq!(app::sales::ssr::get(&db, &w.marco, sale.id).await.unwrap().id, sale.id, "the sale is still reachable");
});

db_test!(an_undo_after_an_updated_contact_was_deleted_names_it_and_changes_nothing, |db: DatabaseConnection| async move {
    let w = world(&db).await;
    let form = app::contacts::ContactForm { kind: "company".into(), name: "Neri Snc".into(), email: "neri@example.it".into(), ..Default::default() };
    app::contacts::ssr::create(&db, &w.manager, &form).await.unwrap();
    let csv = "Ragione sociale;E-mail;Telefono\nNeri Snc;neri@example.it;051 123456\nNuovi Srl;nuovi@example.it;\n";
    let report = import::run(&db, &w.manager, &request(ImportKind::Contacts, "n.csv", ImportMode::All), csv.as_bytes()).await.unwrap();
    assert_eq!((report.creates, report.updates), (1, 1));
    let batch = report.batch.unwrap();
    let neri = contacts::Entity::find().all(&db).await.unwrap().into_iter().find(|c| c.name == "Neri Snc").unwrap();
    app::contacts::ssr::delete(&db, &w.manager, app::contacts::ContactId(neri.id), neri.version).await.unwrap();
    let err = import::undo(&db, &w.manager, batch).await.unwrap_err();
    assert_eq!(err, AppError::ImportUndoBlocked { rows: vec!["Neri Snc".into()] });
    assert!(contacts::Entity::find().all(&db).await.unwrap().iter().any(|c| c.name == "Nuovi Srl"), "nothing undone");
    let listed = import::batches(&db, &w.manager).await.unwrap();
    assert!(listed.iter().any(|b| b.id == batch && b.state == BatchState::Finished), "the batch can be tried again");
});

/// A dry run works on a copy (`db::Scratch`): it completes while another write holds the writer,
/// and leaves the database as it was. On a SQLite file, as the server runs it.
#[tokio::test]
async fn a_dry_run_takes_no_turn_of_the_writer() {
    let dir = std::env::temp_dir().join(format!("vendita-dry-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = app::db::connect(&format!("sqlite://{}/dry.db?mode=rwc", dir.display())).await.unwrap();
    let w = world(&db).await;
    let before = counts(&db).await;
    // Another user's long write holds the writer until told to finish.
    let (held, is_held) = tokio::sync::oneshot::channel::<()>();
    let (finish, finished) = tokio::sync::oneshot::channel::<()>();
    let holder = tokio::spawn({
        let db = db.clone();
        async move {
            app::db::transaction(&db, move |_txn| {
                Box::pin(async move {
                    let _ = held.send(());
                    let _ = finished.await;
                    Ok(())
                })
            })
            .await
        }
    });
    is_held.await.unwrap();
    let csv = "Ragione sociale;E-mail\nUno Srl;uno@example.it\nDue Srl;due@example.it\n";
    let check = request(ImportKind::Contacts, "c.csv", ImportMode::DryRun);
    let dry = import::run(&db, &w.manager, &check, csv.as_bytes());
    // A hang guard, not a measurement: a dry run that waited for the writer would never end here.
    let report = tokio::time::timeout(std::time::Duration::from_secs(120), dry).await.expect("the dry run waits for no writer").unwrap();
    assert_eq!((report.creates, report.written, report.batch), (2, false, None));
    finish.send(()).unwrap();
    holder.await.unwrap().unwrap();
    assert_eq!(counts(&db).await, before, "nothing written");
    db.close().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

db_test!(an_unknown_kind_stored_for_a_batch_is_an_error_not_a_missing_row, |db: DatabaseConnection| async move {
    use sea_orm::{ActiveModelTrait, Set};
    let w = world(&db).await;
    let before = contacts::Entity::find().count(&db).await.unwrap();
    let csv = "Ragione sociale;E-mail\nUno Srl;uno@example.it\n";
    let report = import::run(&db, &w.manager, &request(ImportKind::Contacts, "c.csv", ImportMode::All), csv.as_bytes()).await.unwrap();
    assert_eq!(import::batches(&db, &w.manager).await.unwrap().len(), 1);
    // A value this build does not know (written by a newer one, or by hand).
    import_batches::ActiveModel { id: Set(report.batch.unwrap()), kind: Set("teleport".into()), ..Default::default() }.update(&db).await.unwrap();
    assert_eq!(import::batches(&db, &w.manager).await.unwrap_err(), AppError::Internal, "reported, not left out of the list");
    assert_eq!(import::undo(&db, &w.manager, report.batch.unwrap()).await.unwrap_err(), AppError::Internal);
    assert_eq!(contacts::Entity::find().count(&db).await.unwrap(), before + 1, "nothing undone");
});

db_test!(an_unknown_action_stored_for_an_imported_row_blocks_the_undo_with_an_error, |db: DatabaseConnection| async move {
    use app::db::entities::import_rows;
    use sea_orm::{ActiveModelTrait, Set};
    let w = world(&db).await;
    let csv = "Ragione sociale;E-mail\nUno Srl;uno@example.it\n";
    let report = import::run(&db, &w.manager, &request(ImportKind::Contacts, "c.csv", ImportMode::All), csv.as_bytes()).await.unwrap();
    let row = import_rows::Entity::find().one(&db).await.unwrap().unwrap();
    import_rows::ActiveModel { id: Set(row.id), action: Set("teleport".into()), ..Default::default() }.update(&db).await.unwrap();
    assert_eq!(import::undo(&db, &w.manager, report.batch.unwrap()).await.unwrap_err(), AppError::Internal);
    assert!(import::batches(&db, &w.manager).await.unwrap().iter().all(|b| b.state == BatchState::Finished), "nothing undone");
});

// 1 500 rows: two chunks, each its own transaction. A contact updated by a row of each chunk,
// and one created by the first and updated by the second, are taken back whole by the undo.
db_test!(an_import_in_chunks_is_undone_as_one_batch, |db: DatabaseConnection| async move {
    use sea_orm::{ColumnTrait, QueryFilter};
    let w = world(&db).await;
    let form = app::contacts::ContactForm {
        kind: "company".into(),
        name: "Neri Snc".into(),
        email: "neri@example.it".into(),
        phone: "051 000".into(),
        ..Default::default()
    };
    app::contacts::ssr::create(&db, &w.manager, &form).await.unwrap();
    let before = counts(&db).await;
    let mut csv = String::from("Ragione sociale;E-mail;Telefono\nNeri Snc;neri@example.it;051 111\nNuova Srl;nuova@example.it;1\n");
    for i in 0..1_496 {
        csv.push_str(&format!("Azienda {i};a{i}@esempio.it;\n"));
    }
    csv.push_str("Neri Snc;neri@example.it;051 222\nNuova Srl;nuova@example.it;2\n");
    let all = request(ImportKind::Contacts, "due-parti.csv", ImportMode::All);
    let report = import::run(&db, &w.manager, &all, csv.as_bytes()).await.unwrap();
    assert_eq!((report.creates, report.updates, report.bad, report.written), (1_497, 3, 0, true), "{:?}", report.errors);
    let neri = || async { contacts::Entity::find().filter(contacts::Column::Name.eq("Neri Snc")).one(&db).await.unwrap().unwrap() };
    assert_eq!(neri().await.phone.as_deref(), Some("051 222"));
    let batch = report.batch.unwrap();
    let listed = import::batches(&db, &w.manager).await.unwrap();
    assert!(listed.iter().any(|b| b.id == batch && b.state == BatchState::Finished && b.created == 1_497 && b.updated == 3));
    import::undo(&db, &w.manager, batch).await.unwrap();
    assert_eq!(counts(&db).await, before);
    assert_eq!(neri().await.phone.as_deref(), Some("051 000"), "as before the first chunk");
    // "All" with one bad row in the last chunk writes nothing at all.
    let bad = csv.replace("Nuova Srl;nuova@example.it;2", "Nuova Srl;non-una-email;2");
    let report = import::run(&db, &w.manager, &all, bad.as_bytes()).await.unwrap();
    assert_eq!((report.bad, report.written, report.batch), (1, false, None));
    assert_eq!(counts(&db).await, before, "nothing written");
    assert_eq!(neri().await.phone.as_deref(), Some("051 000"));
});

// A batch whose last chunk never came (the process stopped half-way) keeps its whole chunks,
// is listed as interrupted and can be undone; one that is still being written cannot.
db_test!(an_interrupted_import_is_listed_and_can_be_undone_a_running_one_not, |db: DatabaseConnection| async move {
    use sea_orm::{ActiveModelTrait, Set};
    let w = world(&db).await;
    let before = counts(&db).await;
    let csv = "Ragione sociale;E-mail\nUno Srl;uno@example.it\nDue Srl;due@example.it\n";
    let report = import::run(&db, &w.manager, &request(ImportKind::Contacts, "c.csv", ImportMode::All), csv.as_bytes()).await.unwrap();
    let batch = report.batch.unwrap();
    let state = || async { import::batches(&db, &w.manager).await.unwrap().into_iter().find(|b| b.id == batch).unwrap().state };
    // As a run still writing leaves it: not finished, its last chunk just written.
    let at = |ago: i64| Set(Some(chrono::Utc::now() - chrono::TimeDelta::seconds(ago)));
    import_batches::ActiveModel { id: Set(batch), finished_at: Set(None), written_at: at(5), ..Default::default() }.update(&db).await.unwrap();
    assert_eq!(state().await, BatchState::Running);
    assert_eq!(import::undo(&db, &w.manager, batch).await.unwrap_err(), AppError::ImportRunning);
    assert_eq!(counts(&db).await.0, before.0 + 2, "nothing undone");
    // Nothing written for ten minutes: interrupted.
    import_batches::ActiveModel { id: Set(batch), written_at: at(600), ..Default::default() }.update(&db).await.unwrap();
    assert_eq!(state().await, BatchState::Interrupted);
    import::undo(&db, &w.manager, batch).await.unwrap();
    assert_eq!((counts(&db).await, state().await), (before, BatchState::Undone));
});

/// Another user's save takes its turn between two chunks of a long import, on a SQLite file as
/// the server runs it: it is done while the import's batch is still unfinished.
#[tokio::test]
async fn another_users_save_takes_its_turn_during_a_long_import() {
    use sea_orm::{ColumnTrait, QueryFilter};
    let dir = std::env::temp_dir().join(format!("vendita-chunks-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = app::db::connect(&format!("sqlite://{}/chunks.db?mode=rwc", dir.display())).await.unwrap();
    let w = world(&db).await;
    let mut csv = String::from("Ragione sociale;E-mail\n");
    for i in 0..20_000 {
        csv.push_str(&format!("Azienda {i};a{i}@esempio.it\n"));
    }
    let import = tokio::spawn({
        let (db, manager) = (db.clone(), w.manager.clone());
        async move { import::run(&db, &manager, &request(ImportKind::Contacts, "lungo.csv", ImportMode::ValidOnly), csv.as_bytes()).await }
    });
    // The batch appears with the import's first transaction.
    let unfinished =
        || async { import_batches::Entity::find().filter(import_batches::Column::FinishedAt.is_null()).one(&db).await.unwrap().is_some() };
    while !unfinished().await {
        assert!(!import.is_finished(), "the import ended before its batch was seen");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let form = app::contacts::ContactForm { kind: "company".into(), name: "Bianchi Spa".into(), email: "b@example.it".into(), ..Default::default() };
    app::contacts::ssr::create(&db, &w.marco, &form).await.unwrap();
    assert!(unfinished().await, "the save did not wait for the whole import");
    let report = import.await.unwrap().unwrap();
    assert_eq!((report.creates, report.written), (20_000, true));
    assert!(!unfinished().await);
    db.close().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
