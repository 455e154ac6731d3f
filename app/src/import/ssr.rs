//! The import's rules, for the page and the command line alike:
//!
//! * managers and admins import; a member is refused before the file is read;
//! * each row becomes the form the pages send and passes the same validation (`contacts::ssr`,
//!   `catalog::ssr`, `sales::ssr`);
//! * a contact is matched by VAT number, then tax code, then e-mail; a product by code; a match
//!   is updated (only from the cells that hold something) instead of duplicated, and a row that
//!   would change nothing is counted as unchanged;
//! * the whole file runs in one transaction: a dry run rolls it back, "all" commits only when no
//!   row is bad, "valid only" commits the good rows and keeps the bad ones with the batch;
//! * what rows are checked against is read once per file; new contacts and sales are written
//!   [`WRITE_CHUNK`] at a time, a statement each (a statement per row costs most of the time in
//!   handing it to the database and back);
//! * an undo puts everything back while the rows are as the import left them, else names them.

use super::source::{self, Table};
use super::*;
use crate::auth::CurrentUser;
use crate::catalog::ssr::{create_product, parse_list_price, parse_vat_rate, update_product};
use crate::catalog::{ProductForm, ProductId};
use crate::config::ssr::require_manager;
use crate::contacts::ssr as contacts_rules;
use crate::contacts::{ContactForm, ContactId, ContactKind};
use crate::db::entities::{
    categories, contact_tags, contacts, crm_settings, import_batches, import_rows, products, sales, sellers, tags, targets, users,
};
use crate::error::{AppError, AppResult, Field, Problem};
use crate::exports::ExportKind;
use crate::reports::Month;
use crate::reports::ssr::cells;
use crate::sales::history::ImportedFrom;
use crate::sales::ssr::{SaleRefs, ValidSale};
use crate::sales::{SaleForm, Stage};
use chrono::Utc;
use sea_orm::sea_query::{Expr, Func};
use sea_orm::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// One import at a time in this process: a large one holds the database's writer while it runs.
/// The next waits its turn this long, then is told to try again.
static RUNNING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);
const WAIT_TURN: std::time::Duration = std::time::Duration::from_secs(30);

/// Header rows are looked for among the first rows (a title above the header is skipped).
const HEADER_SEARCH: usize = 10;

// ---------------------------------------------------------------- columns

/// The header row (its index in the table) and each column's field: the one asked for, or the
/// one its header names. A mapping naming a field the kind does not have is a malformed request.
fn map_columns(kind: ImportKind, table: &Table, mapping: Option<&Vec<Option<String>>>) -> AppResult<(usize, Vec<Column>)> {
    let recognised = |cells: &[String]| cells.iter().filter(|c| kind.field_for(c).is_some()).count();
    let candidates = table.rows.iter().enumerate().filter(|(_, (_, cells))| cells.iter().any(|c| !c.is_empty())).take(HEADER_SEARCH);
    // The row naming most fields; the first non-empty row when none names any.
    let header = candidates.max_by_key(|(i, (_, cells))| (recognised(cells), std::cmp::Reverse(*i))).map(|(i, _)| i).unwrap_or(0);
    let headers = &table.rows[header].1;
    let width = table.rows.iter().map(|(_, cells)| cells.len()).max().unwrap_or(0);
    let mut taken = BTreeSet::new();
    let mut columns = Vec::with_capacity(width);
    for i in 0..width {
        let header_text = headers.get(i).cloned().unwrap_or_default();
        let field = match mapping {
            Some(map) => match map.get(i).cloned().flatten().filter(|f| !f.is_empty()) {
                Some(code) => Some(kind.fields().iter().find(|f| f.code == code).map(|f| f.code).ok_or(AppError::BadRequest("mapping".into()))?),
                None => None,
            },
            None => kind.field_for(&header_text),
        };
        // A field is filled from one column: the first that names it.
        let field = field.filter(|f| taken.insert(*f));
        columns.push(Column { header: header_text, field: field.map(str::to_string) });
    }
    if columns.iter().all(|c| c.field.is_none()) {
        return Err(AppError::BadFile(SourceError::NoColumns));
    }
    Ok((header, columns))
}

/// A data row read through the mapping.
struct Record<'a> {
    values: HashMap<&'a str, &'a str>,
}

impl<'a> Record<'a> {
    fn new(columns: &'a [Column], cells: &'a [String]) -> Record<'a> {
        let values = columns.iter().zip(cells).filter_map(|(c, v)| c.field.as_deref().map(|f| (f, v.as_str()))).collect();
        Record { values }
    }

    /// The cell of a field, trimmed ("" when the field has no column).
    fn get(&self, field: &str) -> &'a str {
        self.values.get(field).map(|v| v.trim()).unwrap_or_default()
    }

    /// The cell if it holds something, else what the record had: an update changes only what
    /// the file says.
    fn or(&self, field: &str, current: impl Into<String>) -> String {
        match self.get(field) {
            "" => current.into(),
            value => value.to_string(),
        }
    }
}

// ---------------------------------------------------------------- the run

/// Rows waiting to be written together: one statement per this many rows.
const WRITE_CHUNK: usize = 500;

/// What one row did.
enum Outcome {
    /// A new record, checked and waiting to be written with the next chunk (see [`flush`]).
    Queued,
    Created {
        id: i64,
        version: i32,
    },
    Updated {
        id: i64,
        version: i32,
        before: String,
    },
    Unchanged,
}

/// The rows a batch rejected, kept to download.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Rejected {
    pub headers: Vec<String>,
    /// (line, cells, message in the importer's language)
    pub rows: Vec<(usize, Vec<String>, String)>,
}

/// Reads, checks and (unless a dry run, or "all" with bad rows) writes a file.
pub async fn run(db: &DatabaseConnection, actor: &CurrentUser, request: &ImportRequest, bytes: &[u8]) -> AppResult<ImportReport> {
    require_manager(actor)?;
    let turn = Turn::wait().await?;
    let table = source::read(bytes, request.sheet.as_deref()).map_err(AppError::BadFile)?;
    run_table(db, actor, request, table, &turn).await
}

/// This process's import turn: one file is read and imported at a time (reading a large
/// spreadsheet and holding the database's writer are both costly). Held until dropped.
pub struct Turn(#[allow(dead_code)] tokio::sync::SemaphorePermit<'static>);

impl Turn {
    /// Waits `WAIT_TURN` for the turn, then tells the user to try again (429).
    pub async fn wait() -> AppResult<Turn> {
        let permit = tokio::time::timeout(WAIT_TURN, RUNNING.acquire()).await.ok().and_then(Result::ok).ok_or(AppError::ImportBusy)?;
        Ok(Turn(permit))
    }
}

/// Checks and (as the request says) writes a file already read into a table, within the turn
/// (`Turn`): the server reads uploads in a child process (`server::upload`), the command line
/// in [`run`].
pub async fn run_table(db: &DatabaseConnection, actor: &CurrentUser, request: &ImportRequest, table: Table, _turn: &Turn) -> AppResult<ImportReport> {
    require_manager(actor)?;
    let (header, columns) = map_columns(request.kind, &table, request.mapping.as_ref())?;
    let data: Vec<(usize, Vec<String>)> =
        table.rows.into_iter().skip(header + 1).filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty())).collect();
    let report = ImportReport {
        kind: request.kind,
        mode: request.mode,
        sheets: table.sheets,
        columns,
        preview: data.iter().take(PREVIEW_ROWS).cloned().collect(),
        rows: data.len() as u64,
        creates: 0,
        updates: 0,
        unchanged: 0,
        bad: 0,
        errors: Vec::new(),
        written: false,
        batch: None,
    };
    let (request, actor) = (request.clone(), actor.clone());
    // A dry run works on a private copy of a SQLite database: it holds no turn of the writer,
    // however long the file (`db::Scratch`).
    let scratch = match request.mode {
        ImportMode::DryRun => crate::db::Scratch::of(db).await?,
        ImportMode::All | ImportMode::ValidOnly => None,
    };
    match &scratch {
        Some(copy) => copy.decided(move |txn| Box::pin(rows_in(txn, request, actor, data, report))).await,
        None => crate::db::decided(db, move |txn| Box::pin(rows_in(txn, request, actor, data, report))).await,
    }
}

/// Every row of the file in one transaction; says whether to commit it.
async fn rows_in(
    txn: &DatabaseTransaction,
    request: ImportRequest,
    actor: CurrentUser,
    data: Vec<(usize, Vec<String>)>,
    mut report: ImportReport,
) -> AppResult<(ImportReport, bool)> {
    // The batch is written first, so imported sales' history names it; a run that writes
    // nothing rolls it back with the rest.
    let batch = open_batch(txn, &actor, &request).await?;
    let mut lookup = Lookup::load(txn, &actor, request.kind).await?;
    lookup.import = ImportedFrom { batch: batch.id, file: batch.file_name.clone() };
    let mut done: Vec<Outcome> = Vec::new();
    let mut rejected = Rejected { headers: report.columns.iter().map(|c| c.header.clone()).collect(), rows: Vec::new() };
    for (line, cells) in data {
        let record = Record::new(&report.columns, &cells);
        let outcome = match request.kind {
            ImportKind::Contacts => contact_row(txn, &actor, &record, &mut lookup).await,
            ImportKind::Products => product_row(txn, &actor, &record, &mut lookup).await,
            ImportKind::Sales => sale_row(&record, &mut lookup, request.add_sales_tag),
            ImportKind::Targets => target_row(txn, &actor, &record, &lookup).await,
        };
        match outcome {
            Ok(outcome) => {
                match outcome {
                    // Put in `done` by `flush`, once written.
                    Outcome::Queued => report.creates += 1,
                    Outcome::Created { .. } => {
                        report.creates += 1;
                        done.push(outcome);
                    }
                    Outcome::Updated { .. } => {
                        report.updates += 1;
                        done.push(outcome);
                    }
                    Outcome::Unchanged => report.unchanged += 1,
                }
            }
            // A fault, not a bad row: nothing of the file is kept.
            Err(AppError::Internal) => return Err(AppError::Internal),
            Err(error) => {
                rejected.rows.push((line, cells, error.message(actor.lang)));
                report.bad += 1;
                if report.errors.len() < LISTED_ERRORS {
                    report.errors.push(RowError { line, error });
                }
            }
        }
        if lookup.queued() >= WRITE_CHUNK {
            flush(txn, &actor, &mut lookup).await?;
        }
    }
    flush(txn, &actor, &mut lookup).await?;
    done.append(&mut lookup.written);
    let commit = match request.mode {
        ImportMode::DryRun => false,
        ImportMode::All => report.bad == 0,
        ImportMode::ValidOnly => true,
    } && report.creates + report.updates > 0;
    if commit {
        close_batch(txn, batch, &report, done, rejected).await?;
        report.batch = Some(lookup.import.batch);
        report.written = true;
    }
    Ok((report, commit))
}

/// A new batch (no counts yet) for the run about to start.
async fn open_batch(txn: &DatabaseTransaction, actor: &CurrentUser, request: &ImportRequest) -> AppResult<import_batches::Model> {
    Ok(import_batches::ActiveModel {
        kind: Set(request.kind.code().to_string()),
        file_name: Set(request.file_name.chars().take(200).collect()),
        user_id: Set(actor.id.0),
        created_at: Set(Utc::now()),
        created: Set(0),
        updated: Set(0),
        rejected: Set(0),
        rejected_rows: Set(None),
        undone_at: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await?)
}

/// The batch's counts, its rejected rows, and what its undo needs of each record it wrote.
async fn close_batch(
    txn: &DatabaseTransaction,
    batch: import_batches::Model,
    report: &ImportReport,
    done: Vec<Outcome>,
    rejected: Rejected,
) -> AppResult<()> {
    let batch = import_batches::ActiveModel {
        id: Set(batch.id),
        created: Set(report.creates as i64),
        updated: Set(report.updates as i64),
        rejected: Set(report.bad as i64),
        rejected_rows: Set((!rejected.rows.is_empty()).then(|| serde_json::to_string(&rejected).unwrap_or_default())),
        ..Default::default()
    }
    .update(txn)
    .await?;
    let row = |change: Change| import_rows::ActiveModel {
        batch_id: Set(batch.id),
        entity_id: Set(change.id),
        action: Set(if change.created { RowAction::Create } else { RowAction::Update }.code().to_string()),
        version: Set(change.version),
        before: Set(change.before),
        ..Default::default()
    };
    // In chunks: a statement has a limited number of parameters.
    let mut changes = net_changes(done).into_iter();
    loop {
        let chunk: Vec<import_rows::ActiveModel> = changes.by_ref().take(1_000).map(row).collect();
        if chunk.is_empty() {
            break;
        }
        import_rows::Entity::insert_many(chunk).exec_without_returning(txn).await?;
    }
    Ok(())
}

/// What an import did to a record, as `import_rows.action` stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowAction {
    Create,
    Update,
}

impl RowAction {
    fn code(self) -> &'static str {
        match self {
            RowAction::Create => "create",
            RowAction::Update => "update",
        }
    }

    /// A row's action; one this build does not know is an error naming the row.
    fn of(row: &import_rows::Model) -> AppResult<RowAction> {
        let action = [RowAction::Create, RowAction::Update].into_iter().find(|a| a.code() == row.action);
        crate::db::decoded("import_rows", row.id, &row.action, action)
    }
}

/// What a batch did to one record, as its undo needs it.
struct Change {
    id: i64,
    created: bool,
    /// The version the batch left.
    version: i32,
    /// The record before the batch first changed it (an update).
    before: Option<String>,
}

/// One change per record. A record a row created and a later row updated is undone as created,
/// at the version the last left; one updated twice goes back to what it was before the first.
fn net_changes(done: Vec<Outcome>) -> Vec<Change> {
    let mut changes: Vec<Change> = Vec::new();
    let mut index: HashMap<i64, usize> = HashMap::new();
    for outcome in done {
        let change = match outcome {
            Outcome::Created { id, version } => Change { id, created: true, version, before: None },
            Outcome::Updated { id, version, before } => Change { id, created: false, version, before: Some(before) },
            Outcome::Queued | Outcome::Unchanged => continue,
        };
        match index.get(&change.id) {
            Some(&i) => {
                let kept = &mut changes[i];
                kept.created |= change.created;
                kept.version = Ord::max(kept.version, change.version);
                kept.before = if kept.created { None } else { kept.before.take().or(change.before) };
            }
            None => {
                index.insert(change.id, changes.len());
                changes.push(change);
            }
        }
    }
    changes
}

/// A contact's id, VAT number, tax code, e-mail and name.
type KeyRow = (i64, Option<String>, Option<String>, Option<String>, String);

/// Contacts by what rows name them, read once per import and kept up to date as rows are written
/// (one query per file instead of three per row).
#[derive(Default)]
struct ContactKeys {
    by_vat: HashMap<String, i64>,
    by_tax_code: HashMap<String, i64>,
    /// Lower case.
    by_email: HashMap<String, i64>,
    by_name: HashMap<String, i64>,
}

impl ContactKeys {
    async fn load(txn: &DatabaseTransaction) -> AppResult<ContactKeys> {
        use futures_util::TryStreamExt;
        let mut keys = ContactKeys::default();
        // Streamed, newest first, so the oldest contact wins where several share a key.
        let mut rows = contacts::Entity::find()
            .select_only()
            .columns([contacts::Column::Id, contacts::Column::VatNumber, contacts::Column::TaxCode, contacts::Column::Email, contacts::Column::Name])
            .order_by_desc(contacts::Column::Id)
            .into_tuple::<KeyRow>()
            .stream(txn)
            .await?;
        while let Some((id, vat, tax_code, email, name)) = rows.try_next().await? {
            keys.add(id, vat.as_deref(), tax_code.as_deref(), email.as_deref(), &name);
        }
        Ok(keys)
    }

    fn add(&mut self, id: i64, vat: Option<&str>, tax_code: Option<&str>, email: Option<&str>, name: &str) {
        if let Some(vat) = vat {
            self.by_vat.insert(vat.to_string(), id);
        }
        if let Some(tax_code) = tax_code {
            self.by_tax_code.insert(tax_code.to_string(), id);
        }
        if let Some(email) = email {
            self.by_email.insert(email.to_lowercase(), id);
        }
        self.by_name.insert(name.to_string(), id);
    }

    fn remember(&mut self, model: &contacts::Model) {
        self.add(model.id, model.vat_number.as_deref(), model.tax_code.as_deref(), model.email.as_deref(), &model.name);
    }

    /// A VAT number as typed ("IT 0123…"), as the contact form stores it.
    fn vat(&self, typed: &str) -> Option<i64> {
        let vat: String = typed.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
        if vat.is_empty() {
            return None;
        }
        self.by_vat.get(&vat).or_else(|| self.by_vat.get(vat.strip_prefix("IT").unwrap_or(&vat))).copied()
    }

    fn tax_code(&self, typed: &str) -> Option<i64> {
        self.by_tax_code.get(&typed.trim().to_uppercase()).copied()
    }

    fn email(&self, typed: &str) -> Option<i64> {
        self.by_email.get(&typed.trim().to_lowercase()).copied()
    }

    /// The contact a contact row names (see [`matching_contact`]).
    fn of_row(&self, record: &Record<'_>) -> Option<i64> {
        match record.get("id").parse::<i64>() {
            Ok(id) => Some(id).filter(|id| *id > 0),
            Err(_) => {
                self.vat(record.get("vat_number")).or_else(|| self.tax_code(record.get("tax_code"))).or_else(|| self.email(record.get("email")))
            }
        }
    }
}

/// What rows are matched against, read once per import and kept up to date as rows are written.
#[derive(Default)]
struct Lookup {
    contacts: ContactKeys,
    /// Contacts carrying the sales tag.
    tagged: BTreeSet<i64>,
    /// Tags by lower-case name.
    tags: HashMap<String, i64>,
    /// Sellers by lower-case name, active ones only.
    sellers: HashMap<String, i64>,
    /// Category ids by (parent, lower-case name).
    categories: HashMap<(Option<i64>, String), i64>,
    sales_tag: Option<i64>,
    /// The importer's own seller: a sale row without a seller is his, as in the form.
    own_seller: Option<i64>,
    /// What a sale row's checks read (products, sellers, settings, reasons), read once.
    sale_refs: Option<SaleRefs>,
    /// Product ids by lower-case code.
    product_codes: HashMap<String, i64>,
    /// Stage codes by the names a file may use ([`stage_names`]).
    stages: HashMap<String, &'static str>,
    /// New contacts and sales checked and waiting for [`flush`].
    new_contacts: Vec<contacts_rules::ValidContact>,
    new_sales: Vec<(ContactId, ValidSale)>,
    /// Contacts to give the sales tag before the queued sales are written.
    new_tagged: Vec<i64>,
    /// Rows [`flush`] wrote.
    written: Vec<Outcome>,
    /// This run's batch, which imported sales' history names.
    import: ImportedFrom,
}

impl Lookup {
    async fn load(txn: &DatabaseTransaction, actor: &CurrentUser, kind: ImportKind) -> AppResult<Lookup> {
        let mut lookup = Lookup::default();
        match kind {
            ImportKind::Contacts => {
                lookup.tags = tags::Entity::find().all(txn).await?.into_iter().map(|t| (t.name.to_lowercase(), t.id)).collect();
                lookup.contacts = ContactKeys::load(txn).await?;
            }
            ImportKind::Targets => {
                lookup.sellers = sellers::Entity::find().all(txn).await?.into_iter().map(|s| (s.name.to_lowercase(), s.id)).collect();
                lookup.categories =
                    categories::Entity::find().all(txn).await?.into_iter().map(|c| ((c.parent_id, c.name.to_lowercase()), c.id)).collect();
            }
            ImportKind::Products => {
                lookup.categories =
                    categories::Entity::find().all(txn).await?.into_iter().map(|c| ((c.parent_id, c.name.to_lowercase()), c.id)).collect();
            }
            ImportKind::Sales => {
                let refs = SaleRefs::all(txn, actor).await?;
                let active = || refs.sellers().filter(|s| s.active);
                lookup.sellers = active().map(|s| (s.name.to_lowercase(), s.id)).collect();
                lookup.own_seller = active().find(|s| s.user_id == Some(actor.id.0)).map(|s| s.id);
                lookup.product_codes = refs.products().map(|p| (p.code.to_lowercase(), p.id)).collect();
                lookup.sale_refs = Some(refs);
                lookup.stages = stage_names();
                lookup.sales_tag = crm_settings::Entity::find_by_id(crm_settings::SETTINGS_ID).one(txn).await?.and_then(|s| s.sales_tag_id);
                lookup.contacts = ContactKeys::load(txn).await?;
                if let Some(tag) = lookup.sales_tag {
                    lookup.tagged = contact_tags::Entity::find()
                        .select_only()
                        .column(contact_tags::Column::ContactId)
                        .filter(contact_tags::Column::TagId.eq(tag))
                        .into_tuple::<i64>()
                        .all(txn)
                        .await?
                        .into_iter()
                        .collect();
                }
            }
        }
        Ok(lookup)
    }

    fn queued(&self) -> usize {
        self.new_contacts.len() + self.new_sales.len()
    }
}

/// Writes the queued rows, a statement for all of them (and one for what hangs on them: tags,
/// sales tags, history lines), and keeps what they became in `written`. A queued contact's keys then lead to
/// its id.
async fn flush(txn: &DatabaseTransaction, actor: &CurrentUser, lookup: &mut Lookup) -> AppResult<()> {
    let contacts = contacts_rules::insert_many(txn, &std::mem::take(&mut lookup.new_contacts)).await?;
    for model in &contacts {
        lookup.contacts.remember(model);
    }
    if let Some(tag) = lookup.sales_tag
        && !lookup.new_tagged.is_empty()
    {
        let tagged = std::mem::take(&mut lookup.new_tagged);
        // A contact already in the address book may have sales (the tag was taken off since).
        let before = cells::tags_before(txn, &tagged).await?;
        let links = tagged.into_iter().map(|contact| contact_tags::ActiveModel { contact_id: Set(contact), tag_id: Set(tag) });
        contact_tags::Entity::insert_many(links).exec_without_returning(txn).await?;
        cells::retagged(txn, before).await?;
    }
    let sales = crate::sales::ssr::insert_imported(txn, actor, &lookup.import, &std::mem::take(&mut lookup.new_sales)).await?;
    lookup.written.extend(contacts.iter().map(|m| Outcome::Created { id: m.id, version: m.version }));
    // A new sale is at version 1 (`sales::ssr::new_model`).
    lookup.written.extend(sales.into_iter().map(|id| Outcome::Created { id, version: 1 }));
    Ok(())
}

// ---------------------------------------------------------------- contacts

/// "azienda" / "persona" in either language; empty: a company.
fn contact_kind(text: &str) -> String {
    match header_key(text).as_str() {
        "" | "azienda" | "societa" | "ditta" | "company" | "business" => ContactKind::Company.code().to_string(),
        "persona" | "privato" | "personafisica" | "person" | "individual" => ContactKind::Person.code().to_string(),
        other => other.to_string(), // refused by validation, naming the field
    }
}

/// The contact a row names: by its Vendita id (a file exported from here), then VAT number, tax
/// code and e-mail (each as the forms store it). One an earlier row of the file queued is written
/// first, so the row updates it.
async fn matching_contact(
    txn: &DatabaseTransaction,
    actor: &CurrentUser,
    record: &Record<'_>,
    lookup: &mut Lookup,
) -> AppResult<Option<contacts::Model>> {
    let mut id = lookup.contacts.of_row(record);
    if id.is_some_and(|id| id < 0) {
        flush(txn, actor, lookup).await?;
        id = lookup.contacts.of_row(record);
    }
    match id {
        Some(id) => Ok(contacts::Entity::find_by_id(id).one(txn).await?),
        None => Ok(None),
    }
}

async fn contact_row(txn: &DatabaseTransaction, actor: &CurrentUser, record: &Record<'_>, lookup: &mut Lookup) -> AppResult<Outcome> {
    let existing = matching_contact(txn, actor, record, lookup).await?;
    let current_tags: BTreeSet<i64> = match &existing {
        Some(c) => {
            contact_tags::Entity::find().filter(contact_tags::Column::ContactId.eq(c.id)).all(txn).await?.into_iter().map(|t| t.tag_id).collect()
        }
        None => BTreeSet::new(),
    };
    // Tags named in the file (comma or semicolon): known ones by id, others created.
    let mut tag_ids = current_tags.clone();
    let mut new_tags = Vec::new();
    for name in record.get("new_tags").split([',', ';']).map(str::trim).filter(|n| !n.is_empty()) {
        match lookup.tags.get(&name.to_lowercase()) {
            Some(id) => {
                tag_ids.insert(*id);
            }
            None => new_tags.push(name.to_string()),
        }
    }
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    let form = match &existing {
        None => ContactForm {
            kind: contact_kind(record.get("kind")),
            name: record.get("name").into(),
            company: record.get("company").into(),
            vat_number: record.get("vat_number").into(),
            tax_code: record.get("tax_code").into(),
            email: record.get("email").into(),
            phone: record.get("phone").into(),
            address: record.get("address").into(),
            postcode: record.get("postcode").into(),
            city: record.get("city").into(),
            province: record.get("province").into(),
            country: record.get("country").into(),
            notes: record.get("notes").into(),
            tags: Vec::new(),
            new_tags: String::new(),
        },
        Some(c) => ContactForm {
            kind: match record.get("kind") {
                "" => c.kind.code().to_string(),
                kind => contact_kind(kind),
            },
            name: record.or("name", c.name.clone()),
            company: record.or("company", text(&c.company)),
            vat_number: record.or("vat_number", text(&c.vat_number)),
            tax_code: record.or("tax_code", text(&c.tax_code)),
            email: record.or("email", text(&c.email)),
            phone: record.or("phone", text(&c.phone)),
            address: record.or("address", text(&c.address)),
            postcode: record.or("postcode", text(&c.postcode)),
            city: record.or("city", text(&c.city)),
            province: record.or("province", text(&c.province)),
            country: record.or("country", c.country.clone()),
            notes: record.or("notes", text(&c.notes)),
            tags: Vec::new(),
            new_tags: String::new(),
        },
    };
    let form = ContactForm { tags: tag_ids.iter().map(|id| crate::config::TagId(*id)).collect(), new_tags: new_tags.join(","), ..form };
    // Its tags were read from this transaction: the checks need not look them up again.
    let mut valid = contacts_rules::check(&form)?;
    let created = contacts_rules::create_new_tags(txn, &mut valid).await?;
    lookup.tags.extend(created.into_iter().map(|(name, id)| (name.to_lowercase(), id)));
    match existing {
        None => {
            // Its keys lead to a placeholder, -(its place in the queue + 1), until `flush` writes it.
            let (vat, tax_code, email, name) = valid.keys();
            lookup.contacts.add(-(lookup.new_contacts.len() as i64 + 1), vat, tax_code, email, name);
            lookup.new_contacts.push(valid);
            Ok(Outcome::Queued)
        }
        Some(c) if contacts_rules::same_as(&valid, &c, &current_tags) => Ok(Outcome::Unchanged),
        Some(c) => {
            let before = serde_json::to_string(&(&c, &current_tags)).map_err(|_| AppError::Internal)?;
            let model = contacts_rules::overwrite(txn, actor, ContactId(c.id), c.version, &valid).await?;
            lookup.contacts.remember(&model);
            Ok(Outcome::Updated { id: model.id, version: model.version, before })
        }
    }
}

// ---------------------------------------------------------------- products

/// The category a path names ("Hardware > Notebook"), created level by level where missing.
async fn category_path(txn: &DatabaseTransaction, path: &str, lookup: &mut Lookup) -> AppResult<Option<i64>> {
    let mut parent = None;
    for name in path.split(['>', '/']).map(str::trim).filter(|n| !n.is_empty()) {
        let key = (parent, name.to_lowercase());
        let id = match lookup.categories.get(&key) {
            Some(id) => *id,
            // The category page's own rule (name required, short, free among its siblings).
            None => crate::catalog::ssr::insert_category(txn, name, parent).await.map_err(|e| match e {
                AppError::Invalid { problem, .. } => AppError::invalid(Field::Category, problem),
                other => other,
            })?,
        };
        lookup.categories.insert(key, id);
        parent = Some(id);
    }
    Ok(parent)
}

async fn product_row(txn: &DatabaseTransaction, actor: &CurrentUser, record: &Record<'_>, lookup: &mut Lookup) -> AppResult<Outcome> {
    let code = record.get("code");
    let existing = match code {
        "" => None,
        code => products::Entity::find().filter(Expr::expr(Func::lower(Expr::col(products::Column::Code))).eq(code.to_lowercase())).one(txn).await?,
    };
    let category = match record.get("category") {
        "" => existing.as_ref().and_then(|p| p.category_id),
        path => category_path(txn, path, lookup).await?,
    };
    let category = category.map(|c| c.to_string()).unwrap_or_default();
    match existing {
        None => {
            let form = ProductForm {
                code: code.into(),
                name: record.get("name").into(),
                description: record.get("description").into(),
                category,
                unit: record.or("unit", "pz"),
                list_price: record.get("list_price").into(),
                vat_rate: record.or("vat_rate", "22"),
            };
            let row = create_product(txn, actor, &form).await?;
            Ok(Outcome::Created { id: row.id.0, version: row.version })
        }
        Some(p) => {
            let form = ProductForm {
                code: p.code.clone(),
                name: record.or("name", p.name.clone()),
                description: record.or("description", p.description.clone().unwrap_or_default()),
                category,
                unit: record.or("unit", p.unit.clone()),
                list_price: record.or("list_price", crate::money::Money(p.list_price_cents).to_input_string()),
                vat_rate: record.or("vat_rate", crate::money::Percent(p.vat_rate_bp).to_input_string()),
            };
            let same = form.name.trim() == p.name
                && Some(form.description.trim()).filter(|d| !d.is_empty()) == p.description.as_deref()
                && form.category == p.category_id.map(|c| c.to_string()).unwrap_or_default()
                && form.unit.trim() == p.unit
                && parse_list_price(&form.list_price).ok().map(|m| m.cents()) == Some(p.list_price_cents)
                && parse_vat_rate(&form.vat_rate).ok().map(|v| v.bp()) == Some(p.vat_rate_bp);
            if same {
                return Ok(Outcome::Unchanged);
            }
            let before = serde_json::to_string(&p).map_err(|_| AppError::Internal)?;
            let row = update_product(txn, actor, ProductId(p.id), p.version, &form).await?;
            Ok(Outcome::Updated { id: row.id.0, version: row.version, before })
        }
    }
}

// ---------------------------------------------------------------- sales

/// The contact a sale row names: by VAT number, then e-mail, then exact name.
fn sale_contact(record: &Record<'_>, keys: &ContactKeys) -> AppResult<i64> {
    let name = record.get("contact_name");
    let found = keys.vat(record.get("contact_vat")).or_else(|| keys.email(record.get("contact_email"))).or_else(|| keys.by_name.get(name).copied());
    let named = [record.get("contact_vat"), record.get("contact_email"), name].iter().any(|v| !v.is_empty());
    found.ok_or(AppError::invalid(Field::Contact, if named { Problem::Invalid } else { Problem::Required }))
}

/// The stages by what a file may call them: code or name in either language ("Vinta", "won",
/// "Trattativa"), as [`header_key`] reads them.
fn stage_names() -> HashMap<String, &'static str> {
    let mut names = HashMap::new();
    for stage in Stage::ALL {
        names.insert(header_key(stage.code()), stage.code());
        for lang in [crate::i18n::Lang::It, crate::i18n::Lang::En] {
            names.insert(header_key(stage.label().text(lang)), stage.code());
        }
    }
    names
}

fn sale_row(record: &Record<'_>, lookup: &mut Lookup, add_sales_tag: bool) -> AppResult<Outcome> {
    let contact = sale_contact(record, &lookup.contacts)?;
    // Without the sales tag, the row may give it (the option), once the row is known good.
    let untagged = !lookup.tagged.contains(&contact);
    if untagged && (!add_sales_tag || lookup.sales_tag.is_none()) {
        return Err(AppError::NoSalesTag);
    }
    let refs = lookup.sale_refs.as_ref().ok_or(AppError::Internal)?;
    let product = match record.get("product") {
        "" => return Err(AppError::invalid(Field::Product, Problem::Required)),
        code => lookup
            .product_codes
            .get(&code.to_lowercase())
            .and_then(|id| refs.product(*id))
            .ok_or(AppError::invalid(Field::Product, Problem::Invalid))?,
    };
    let seller = match record.get("seller") {
        "" => lookup.own_seller.map(|id| id.to_string()).unwrap_or_default(),
        name => lookup.sellers.get(&name.to_lowercase()).map(|id| id.to_string()).ok_or(AppError::invalid(Field::Seller, Problem::Invalid))?,
    };
    let form = SaleForm {
        product: product.id.to_string(),
        seller,
        quantity: record.or("quantity", "1"),
        unit_price: record.or("unit_price", crate::money::Money(product.list_price_cents).to_input_string()),
        discount: record.get("discount").into(),
        vat_rate: record.or("vat_rate", crate::money::Percent(product.vat_rate_bp).to_input_string()),
        stage: lookup.stages.get(&header_key(record.get("stage"))).map_or_else(|| record.get("stage").to_string(), |code| (*code).to_owned()),
        probability: record.get("probability").into(),
        sale_date: record.get("sale_date").into(),
        expected_close: record.get("expected_close").into(),
        closed_date: record.get("closed_date").into(),
        lost_reason: record.get("lost_reason").into(),
        lost_note: record.get("lost_note").into(),
        notes: record.get("notes").into(),
    };
    let valid = crate::sales::ssr::check(refs, &form, None)?;
    if untagged {
        lookup.tagged.insert(contact);
        lookup.new_tagged.push(contact);
    }
    lookup.new_sales.push((ContactId(contact), valid));
    Ok(Outcome::Queued)
}

// ---------------------------------------------------------------- targets

/// A month as a file writes it: `2026-03`, `03/2026`, or a day in it.
fn target_month(text: &str) -> Option<Month> {
    let text = text.trim();
    if let Some((m, y)) = text.split_once('/')
        && !y.contains('/')
    {
        return Month::parse(&format!("{y}-{m}"));
    }
    Month::parse(text).or_else(|| crate::i18n::parse_day(text).map(Month::of))
}

/// A target row: the seller (by name), the month, the amount, optionally a top-level category
/// (by name). Written at once, as the grid writes a cell; the same amount again is unchanged.
async fn target_row(txn: &DatabaseTransaction, actor: &CurrentUser, record: &Record<'_>, lookup: &Lookup) -> AppResult<Outcome> {
    let seller = match record.get("seller").trim() {
        "" => return Err(AppError::invalid(Field::Seller, Problem::Required)),
        name => *lookup.sellers.get(&name.to_lowercase()).ok_or(AppError::invalid(Field::Seller, Problem::Invalid))?,
    };
    let month = target_month(record.get("month")).ok_or(AppError::invalid(Field::Month, Problem::Invalid))?;
    crate::targets::ssr::check_year(month.year())?;
    let category = match record.get("category").trim() {
        "" => 0,
        name => *lookup.categories.get(&(None, name.to_lowercase())).ok_or(AppError::invalid(Field::Category, Problem::Invalid))?,
    };
    let amount = crate::targets::ssr::parse_amount(record.get("amount"))?.ok_or(AppError::invalid(Field::Target, Problem::Required))?;
    let find = || {
        targets::Entity::find()
            .filter(targets::Column::SellerId.eq(seller))
            .filter(targets::Column::Month.eq(month.0))
            .filter(targets::Column::CategoryId.eq(category))
    };
    let before = find().one(txn).await?;
    if before.as_ref().is_some_and(|b| b.amount_cents == amount.0) {
        return Ok(Outcome::Unchanged);
    }
    crate::targets::ssr::write(txn, actor, &[(seller, month, category, Some(amount))]).await?;
    let after = find().one(txn).await?.ok_or(AppError::Internal)?;
    Ok(match before {
        None => Outcome::Created { id: after.id, version: after.version },
        Some(before) => {
            Outcome::Updated { id: after.id, version: after.version, before: serde_json::to_string(&before).map_err(|_| AppError::Internal)? }
        }
    })
}

// ---------------------------------------------------------------- batches and undo

pub async fn batches(db: &DatabaseConnection, actor: &CurrentUser) -> AppResult<Vec<Batch>> {
    require_manager(actor)?;
    let rows = import_batches::Entity::find().order_by_desc(import_batches::Column::Id).limit(100).all(db).await?;
    let user_ids: BTreeSet<i64> = rows.iter().map(|b| b.user_id).collect();
    let names: HashMap<i64, String> =
        users::Entity::find().filter(users::Column::Id.is_in(user_ids)).all(db).await?.into_iter().map(|u| (u.id, u.display_name)).collect();
    rows.into_iter()
        .map(|b| {
            Ok(Batch {
                id: b.id,
                kind: crate::db::decoded("import_batches", b.id, &b.kind, ImportKind::from_code(&b.kind))?,
                user: names.get(&b.user_id).cloned().unwrap_or_default(),
                file_name: b.file_name,
                at: b.created_at,
                created: b.created as u64,
                updated: b.updated as u64,
                rejected: b.rejected as u64,
                undone: b.undone_at.is_some(),
            })
        })
        .collect()
}

/// The rows a batch rejected, to download.
pub async fn rejected(db: &DatabaseConnection, actor: &CurrentUser, id: i64) -> AppResult<Rejected> {
    require_manager(actor)?;
    let batch = import_batches::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    // Unreadable stored rows are a fault naming the batch, never an empty list.
    let rejected: Rejected = match batch.rejected_rows.as_deref() {
        None => Rejected::default(),
        Some(json) => serde_json::from_str(json).map_err(|err| {
            tracing::error!(table = "import_batches", row = id, %err, "rejected rows unreadable");
            AppError::Internal
        })?,
    };
    crate::exports::ssr::record(db, actor, ExportKind::Rejected, rejected.rows.len() as u64).await?;
    Ok(rejected)
}

/// Takes a batch back: created rows deleted, updated rows restored, all in one transaction, if
/// none changed since the import; otherwise nothing happens and the changed rows are named.
pub async fn undo(db: &DatabaseConnection, actor: &CurrentUser, id: i64) -> AppResult<()> {
    require_manager(actor)?;
    let actor = actor.clone();
    crate::db::transaction(db, move |txn| {
        Box::pin(async move {
            // Locked (PostgreSQL): two undos of one batch take turns, the second finds it undone.
            let batch = import_batches::Entity::find_by_id(id).lock_exclusive().one(txn).await?.ok_or(AppError::NotFound)?;
            if batch.undone_at.is_some() {
                return Err(AppError::Conflict);
            }
            let kind = crate::db::decoded("import_batches", batch.id, &batch.kind, ImportKind::from_code(&batch.kind))?;
            let rows =
                import_rows::Entity::find().filter(import_rows::Column::BatchId.eq(id)).order_by_desc(import_rows::Column::Id).all(txn).await?;
            let mut blocked = Vec::new();
            for chunk in rows.chunks(UNDO_CHUNK) {
                blocked.extend(changed_since(txn, kind, chunk).await?);
            }
            if !blocked.is_empty() {
                blocked.truncate(20);
                return Err(AppError::ImportUndoBlocked { rows: blocked });
            }
            for row in &rows {
                take_back(txn, &actor, kind, row).await?;
            }
            import_batches::Entity::update_many()
                .col_expr(import_batches::Column::UndoneAt, Expr::value(Utc::now()))
                .filter(import_batches::Column::Id.eq(id))
                .exec(txn)
                .await?;
            Ok(())
        })
    })
    .await
}

/// Rows checked for an undo in one query each (a statement has a limited number of parameters).
const UNDO_CHUNK: usize = 500;

/// The names of the rows the import wrote that changed since (or, created by it, gained sales).
async fn changed_since(txn: &DatabaseTransaction, kind: ImportKind, rows: &[import_rows::Model]) -> AppResult<Vec<String>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.entity_id).collect();
    let mut created = BTreeSet::new();
    for row in rows {
        if RowAction::of(row)? == RowAction::Create {
            created.insert(row.entity_id);
        }
    }
    // Now: id → (version, name, has sales).
    let now: HashMap<i64, (i32, String, bool)> = match kind {
        ImportKind::Contacts => {
            let with_sales = ids_with_sales(txn, sales::Column::ContactId, &created).await?;
            let found = contacts::Entity::find().filter(contacts::Column::Id.is_in(ids)).all(txn).await?;
            found.into_iter().map(|c| (c.id, (c.version, c.name, with_sales.contains(&c.id)))).collect()
        }
        ImportKind::Products => {
            let with_sales = ids_with_sales(txn, sales::Column::ProductId, &created).await?;
            let found = products::Entity::find().filter(products::Column::Id.is_in(ids)).all(txn).await?;
            found.into_iter().map(|p| (p.id, (p.version, format!("{} {}", p.code, p.name), with_sales.contains(&p.id)))).collect()
        }
        ImportKind::Sales => {
            let found = sales::Entity::find().filter(sales::Column::Id.is_in(ids)).all(txn).await?;
            found.into_iter().map(|s| (s.id, (s.version, format!("#{}", s.id), false))).collect()
        }
        ImportKind::Targets => {
            let found = targets::Entity::find().filter(targets::Column::Id.is_in(ids)).all(txn).await?;
            found.into_iter().map(|t| (t.id, (t.version, format!("{} #{}", Month(t.month).code(), t.seller_id), false))).collect()
        }
    };
    // A row the import updated must still be there as it left it; one it created and that is gone
    // since has nothing left to take back.
    Ok(rows
        .iter()
        .filter_map(|row| match now.get(&row.entity_id) {
            Some((version, name, sales)) => (*version != row.version || *sales).then(|| name.clone()),
            None => (!created.contains(&row.entity_id)).then(|| gone_name(kind, row)),
        })
        .collect())
}

/// The name of a row the import updated and that was deleted since, from what it was before.
fn gone_name(kind: ImportKind, row: &import_rows::Model) -> String {
    let before = row.before.as_deref().unwrap_or_default();
    let name = match kind {
        ImportKind::Contacts => serde_json::from_str::<(contacts::Model, BTreeSet<i64>)>(before).ok().map(|(c, _)| c.name),
        ImportKind::Products => serde_json::from_str::<products::Model>(before).ok().map(|p| format!("{} {}", p.code, p.name)),
        ImportKind::Sales | ImportKind::Targets => None,
    };
    name.unwrap_or_else(|| format!("#{}", row.entity_id))
}

/// Writes a row back as it was before the import, over the version the import left: a row saved
/// by someone since (between the check and this write, on PostgreSQL) blocks the undo by name.
async fn restore<A>(txn: &DatabaseTransaction, mut model: A, row: &import_rows::Model, name: &str) -> AppResult<()>
where
    A: ActiveModelTrait,
    A::Entity: crate::db::versioned::Versioned,
{
    use crate::db::versioned::Versioned;
    for column in [A::Entity::ID, A::Entity::VERSION, A::Entity::UPDATED_AT] {
        model.not_set(column);
    }
    if !crate::db::versioned::try_update_model(txn, row.entity_id, row.version, model).await? {
        return Err(AppError::ImportUndoBlocked { rows: vec![name.to_string()] });
    }
    Ok(())
}

/// Which of these contacts (or products) have sales.
async fn ids_with_sales(txn: &DatabaseTransaction, column: sales::Column, ids: &BTreeSet<i64>) -> AppResult<BTreeSet<i64>> {
    if ids.is_empty() {
        return Ok(BTreeSet::new());
    }
    Ok(sales::Entity::find()
        .select_only()
        .column(column)
        .filter(column.is_in(ids.iter().copied()))
        .distinct()
        .into_tuple::<i64>()
        .all(txn)
        .await?
        .into_iter()
        .collect())
}

async fn take_back(txn: &DatabaseTransaction, actor: &CurrentUser, kind: ImportKind, row: &import_rows::Model) -> AppResult<()> {
    let created = RowAction::of(row)? == RowAction::Create;
    match kind {
        ImportKind::Contacts if created => {
            contact_tags::Entity::delete_many().filter(contact_tags::Column::ContactId.eq(row.entity_id)).exec(txn).await?;
            contacts::Entity::delete_by_id(row.entity_id).exec(txn).await?;
        }
        ImportKind::Contacts => {
            let (before, mut tags): (contacts::Model, BTreeSet<i64>) =
                serde_json::from_str(row.before.as_deref().unwrap_or_default()).map_err(|_| AppError::Internal)?;
            restore(txn, before.clone().into_active_model().reset_all(), row, &before.name).await?;
            // The forms' rule: a contact with sales keeps the sales tag (its sales stay on its card),
            // also when the import gave it the tag and sales came since.
            if contacts_rules::carries_sales_tag(txn, ContactId(before.id)).await?
                && sales::Entity::find().filter(sales::Column::ContactId.eq(before.id)).one(txn).await?.is_some()
                && let Some(tag) = crm_settings::Entity::find_by_id(crm_settings::SETTINGS_ID).one(txn).await?.and_then(|s| s.sales_tag_id)
            {
                tags.insert(tag);
            }
            let tags_before = cells::tags_before(txn, &[before.id]).await?;
            contact_tags::Entity::delete_many().filter(contact_tags::Column::ContactId.eq(before.id)).exec(txn).await?;
            let links: Vec<contact_tags::ActiveModel> =
                tags.into_iter().map(|tag| contact_tags::ActiveModel { contact_id: Set(before.id), tag_id: Set(tag) }).collect();
            if !links.is_empty() {
                contact_tags::Entity::insert_many(links).exec_without_returning(txn).await?;
            }
            cells::retagged(txn, tags_before).await?;
        }
        ImportKind::Products if created => {
            products::Entity::delete_by_id(row.entity_id).exec(txn).await?;
        }
        ImportKind::Products => {
            let before: products::Model = serde_json::from_str(row.before.as_deref().unwrap_or_default()).map_err(|_| AppError::Internal)?;
            let name = format!("{} {}", before.code, before.name);
            restore(txn, before.into_active_model().reset_all(), row, &name).await?;
        }
        ImportKind::Sales => {
            if let Some(sale) = sales::Entity::find_by_id(row.entity_id).one(txn).await? {
                crate::sales::ssr::remove_imported(txn, actor, &sale).await?;
            }
        }
        ImportKind::Targets if created => {
            targets::Entity::delete_by_id(row.entity_id).exec(txn).await?;
        }
        ImportKind::Targets => {
            let before: targets::Model = serde_json::from_str(row.before.as_deref().unwrap_or_default()).map_err(|_| AppError::Internal)?;
            let name = format!("{} #{}", Month(before.month).code(), before.seller_id);
            restore(txn, before.into_active_model().reset_all(), row, &name).await?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- workbooks

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
