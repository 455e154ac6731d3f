//! The import's workbooks: the rejected rows to fix, the address book and the product list in
//! the import's columns (export, edit, import again), and the report as text (the command line).

use super::*;

/// The rejected rows as a workbook: the file's own columns, then the line and the error, so the
/// user fixes them in Excel and imports the file again.
pub fn rejected_workbook(rejected: &Rejected, lang: crate::i18n::Lang) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use crate::i18n::Msg;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let width = rejected.headers.len() as u16;
    for (col, header) in rejected.headers.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, header, &bold)?;
    }
    sheet.write_string_with_format(0, width, Msg::ImportLine.text(lang), &bold)?;
    sheet.write_string_with_format(0, width + 1, Msg::ImportError.text(lang), &bold)?;
    for (i, (line, cells, error)) in rejected.rows.iter().enumerate() {
        let row = i as u32 + 1;
        for (col, cell) in cells.iter().enumerate().take(width as usize) {
            // Text as read: a value is never turned into a formula.
            sheet.write_string(row, col as u16, cell)?;
        }
        sheet.write_number(row, width, *line as f64)?;
        sheet.write_string(row, width + 1, error)?;
    }
    book.save_to_buffer()
}

/// The address book or the product list as a workbook in the import's own columns (headers in
/// `lang`, which the import recognises), so export → edit → import updates instead of duplicating.
pub async fn export_workbook(db: &DatabaseConnection, actor: &CurrentUser, kind: ImportKind) -> AppResult<Vec<u8>> {
    let export = match kind {
        ImportKind::Contacts => ExportKind::Contacts,
        ImportKind::Products => ExportKind::Products,
        ImportKind::Sales | ImportKind::Targets => return Err(AppError::BadRequest("export".into())),
    };
    crate::exports::ssr::require(actor, export)?;
    let fields = kind.fields();
    let mut rows: Vec<Vec<String>> = Vec::new();
    match kind {
        ImportKind::Contacts => {
            let all = contacts::Entity::find().order_by_asc(contacts::Column::Id).all(db).await?;
            let names: HashMap<i64, String> = tags::Entity::find().all(db).await?.into_iter().map(|t| (t.id, t.name)).collect();
            let mut by_contact: HashMap<i64, Vec<String>> = HashMap::new();
            for link in contact_tags::Entity::find().all(db).await? {
                if let Some(name) = names.get(&link.tag_id) {
                    by_contact.entry(link.contact_id).or_default().push(name.clone());
                }
            }
            let text = |v: &Option<String>| v.clone().unwrap_or_default();
            for c in all {
                let tags = by_contact.get(&c.id).map(|t| t.join(", ")).unwrap_or_default();
                rows.push(
                    fields
                        .iter()
                        .map(|f| match f.code {
                            "id" => c.id.to_string(),
                            "kind" => c.kind.code().to_string(),
                            "name" => c.name.clone(),
                            "company" => text(&c.company),
                            "vat_number" => text(&c.vat_number),
                            "tax_code" => text(&c.tax_code),
                            "email" => text(&c.email),
                            "phone" => text(&c.phone),
                            "address" => text(&c.address),
                            "postcode" => text(&c.postcode),
                            "city" => text(&c.city),
                            "province" => text(&c.province),
                            "country" => c.country.clone(),
                            "notes" => text(&c.notes),
                            "new_tags" => tags.clone(),
                            _ => String::new(),
                        })
                        .collect(),
                );
            }
        }
        ImportKind::Products => {
            let all_categories = categories::Entity::find().all(db).await?;
            let by_id: HashMap<i64, &categories::Model> = all_categories.iter().map(|c| (c.id, c)).collect();
            let path = |mut id: Option<i64>| {
                let mut names = Vec::new();
                while let Some(c) = id.and_then(|i| by_id.get(&i)) {
                    names.push(c.name.clone());
                    id = c.parent_id;
                    if names.len() > 20 {
                        break;
                    }
                }
                names.reverse();
                names.join(" > ")
            };
            for p in products::Entity::find().order_by_asc(products::Column::Code).all(db).await? {
                rows.push(
                    fields
                        .iter()
                        .map(|f| match f.code {
                            "code" => p.code.clone(),
                            "name" => p.name.clone(),
                            "description" => p.description.clone().unwrap_or_default(),
                            "category" => path(p.category_id),
                            "unit" => p.unit.clone(),
                            "list_price" => crate::money::Money(p.list_price_cents).to_input_string(),
                            "vat_rate" => crate::money::Percent(p.vat_rate_bp).to_input_string(),
                            _ => String::new(),
                        })
                        .collect(),
                );
            }
        }
        ImportKind::Sales | ImportKind::Targets => return Err(AppError::BadRequest("export".into())),
    }
    let lang = actor.lang;
    let workbook = || -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let bold = rust_xlsxwriter::Format::new().set_bold();
        for (col, f) in fields.iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, f.label.text(lang), &bold)?;
            sheet.set_column_width(col as u16, 18.0)?;
        }
        for (i, row) in rows.iter().enumerate() {
            for (col, cell) in row.iter().enumerate() {
                sheet.write_string(i as u32 + 1, col as u16, cell)?;
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        book.save_to_buffer()
    };
    let bytes = workbook().map_err(|_| AppError::Internal)?;
    crate::exports::ssr::record(db, actor, export, rows.len() as u64).await?;
    Ok(bytes)
}

/// The report as the command line prints it: the counts, then `line N: field: message` per bad row.
pub fn report_text(report: &ImportReport, lang: crate::i18n::Lang) -> String {
    use crate::i18n::Msg;
    let mut out = format!(
        "{}: {} · {}: {} · {}: {} · {}: {} · {}: {}\n",
        Msg::ImportRows.text(lang),
        report.rows,
        Msg::ImportCreates.text(lang),
        report.creates,
        Msg::ImportUpdates.text(lang),
        report.updates,
        Msg::ImportUnchanged.text(lang),
        report.unchanged,
        Msg::ImportBad.text(lang),
        report.bad
    );
    for e in &report.errors {
        let field = e.error.field().map(|f| crate::error::field_label(f).text(lang)).unwrap_or("-");
        let message = match &e.error {
            AppError::Invalid { problem, .. } => crate::error::problem_text(*problem).text(lang).to_string(),
            other => other.message(lang),
        };
        out.push_str(&format!("line {}: {field}: {message}\n", e.line));
    }
    if report.bad > report.errors.len() as u64 {
        out.push_str(&format!("… +{}\n", report.bad - report.errors.len() as u64));
    }
    let outcome = match (report.mode, report.written) {
        (ImportMode::DryRun, _) => Msg::ImportDryRunDone,
        (_, true) => Msg::ImportWritten,
        (_, false) => Msg::ImportNothingWritten,
    };
    out.push_str(outcome.text(lang));
    out.push('\n');
    out
}
