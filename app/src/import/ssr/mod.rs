//! The import's rules, for the page and the command line alike:
//!
//! * managers and admins import; a member is refused before the file is read;
//! * each row becomes the form the pages send and passes the same validation (`contacts::ssr`,
//!   `catalog::ssr`, `sales::ssr`);
//! * a contact is matched by VAT number, then tax code, then e-mail; a product by code; a match
//!   is updated (only from the cells that hold something) instead of duplicated, and a row that
//!   would change nothing is counted as unchanged;
//! * a dry run checks the whole file in one transaction and keeps nothing; "all" is checked so
//!   first and written only when no row is bad; "valid only" writes the good rows and keeps the
//!   bad ones with the batch. A run that writes goes [`CHUNK_ROWS`] rows to a transaction, so
//!   other users' saves take turns with a long import; its batch is finished with the last chunk,
//!   and one interrupted half-way (a crash) keeps whole chunks and can be undone;
//! * what rows are checked against is read once per file; new contacts and sales are written
//!   [`WRITE_CHUNK`] at a time, a statement each (a statement per row costs most of the time in
//!   handing it to the database and back);
//! * an undo puts everything back while the rows are as the import left them, else names them.

use super::source::{self, Table};
use super::*;
use crate::auth::CurrentUser;
use crate::auth::ssr::require_manager;
use crate::catalog::ssr::{create_product, parse_list_price, parse_vat_rate, update_product};
use crate::catalog::{ProductForm, ProductId};
use crate::contacts::ssr as contacts_rules;
use crate::contacts::{ContactForm, ContactId, ContactKind};
use crate::db::entities::{
    categories, contact_tags, contacts, crm_settings, import_batches, import_rows, products, sales, sellers, tags, targets, users,
};
use crate::error::{AppError, AppResult, Field, Problem};
use crate::exports::ExportKind;
use crate::figures::Month;
use crate::figures::cells;
use crate::sales::history::ImportedFrom;
use crate::sales::ssr::{SaleRefs, ValidSale};
use crate::sales::{SaleForm, Stage};
use chrono::Utc;
use sea_orm::sea_query::{Expr, Func};
use sea_orm::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

mod batch;
mod contact_rows;
mod product_rows;
mod sale_rows;
mod target_rows;
mod workbooks;

use batch::*;
pub use batch::{batches, rejected, undo};
use contact_rows::*;
use product_rows::*;
use sale_rows::*;
use target_rows::*;
pub use workbooks::{export_workbook, rejected_workbook, report_text};

/// One import at a time in this process: each holds its file's rows in memory and writes many
/// rows. The next waits its turn this long, then is told to try again.
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
#[derive(Clone)]
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
/// spreadsheet and writing its rows are both costly). Held until dropped.
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
///
/// A dry run is one transaction that keeps nothing. A written import goes in chunks of
/// [`CHUNK_ROWS`] rows, each its own transaction, so other users' saves take turns with it (on
/// SQLite, one writer at a time); "all" first checks the whole file as a dry run and writes only
/// when no row is bad.
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
    let run = Run::new(request, actor, data, report);
    match request.mode {
        ImportMode::DryRun => dry_run(db, run).await,
        ImportMode::All => {
            let checked = dry_run(db, run.clone()).await?;
            if checked.bad > 0 || checked.creates + checked.updates == 0 {
                return Ok(checked);
            }
            write(db, run).await
        }
        ImportMode::ValidOnly => write(db, run).await,
    }
}

/// Rows written in one transaction. On SQLite a chunk holds the writer for some 25 ms (release
/// build), then a waiting save has its turn (`db::transaction` queues writers in order).
const CHUNK_ROWS: usize = 1_000;

/// An unfinished batch that has written nothing for this long was interrupted (the process
/// stopped half-way): it may be undone. One written more recently is still running.
const INTERRUPTED_AFTER: chrono::TimeDelta = chrono::TimeDelta::minutes(2);

/// An import under way: the rows still to do and what the done ones gave.
#[derive(Clone)]
struct Run {
    request: ImportRequest,
    actor: CurrentUser,
    /// The file's data rows, shared by a check and the run that follows it.
    rows: std::sync::Arc<Vec<(usize, Vec<String>)>>,
    /// The first row not yet done.
    next: usize,
    report: ImportReport,
    rejected: Rejected,
    /// What the rows written since the last chunk's record did (see [`record_chunk`]).
    done: Vec<Outcome>,
}

impl Run {
    fn new(request: &ImportRequest, actor: &CurrentUser, data: Vec<(usize, Vec<String>)>, report: ImportReport) -> Run {
        let rejected = Rejected { headers: report.columns.iter().map(|c| c.header.clone()).collect(), rows: Vec::new() };
        Run { request: request.clone(), actor: actor.clone(), rows: data.into(), next: 0, report, rejected, done: Vec::new() }
    }

    fn finished(&self) -> bool {
        self.next >= self.rows.len()
    }

    /// Checks the next `limit` rows and writes the good ones in `txn` (queued ones included).
    async fn rows(&mut self, txn: &DatabaseTransaction, lookup: &mut Lookup, limit: usize) -> AppResult<()> {
        let (kind, add_sales_tag, lang) = (self.request.kind, self.request.add_sales_tag, self.actor.lang);
        let rows = std::sync::Arc::clone(&self.rows);
        let end = self.next.saturating_add(limit).min(rows.len());
        for (line, cells) in &rows[self.next..end] {
            let line = *line;
            let record = Record::new(&self.report.columns, cells);
            let outcome = match kind {
                ImportKind::Contacts => contact_row(txn, &self.actor, &record, lookup).await,
                ImportKind::Products => product_row(txn, &self.actor, &record, lookup).await,
                ImportKind::Sales => sale_row(&record, lookup, add_sales_tag),
                ImportKind::Targets => target_row(txn, &self.actor, &record, lookup).await,
            };
            match outcome {
                // Put in `done` by `flush`, once written.
                Ok(Outcome::Queued) => self.report.creates += 1,
                Ok(outcome @ Outcome::Created { .. }) => {
                    self.report.creates += 1;
                    self.done.push(outcome);
                }
                Ok(outcome @ Outcome::Updated { .. }) => {
                    self.report.updates += 1;
                    self.done.push(outcome);
                }
                Ok(Outcome::Unchanged) => self.report.unchanged += 1,
                // A fault, not a bad row: the run stops.
                Err(AppError::Internal) => return Err(AppError::Internal),
                Err(error) => {
                    self.rejected.rows.push((line, cells.clone(), error.message(lang)));
                    self.report.bad += 1;
                    if self.report.errors.len() < LISTED_ERRORS {
                        self.report.errors.push(RowError { line, error });
                    }
                }
            }
            if lookup.queued() >= WRITE_CHUNK {
                flush(txn, &self.actor, lookup).await?;
            }
        }
        self.next = end;
        flush(txn, &self.actor, lookup).await?;
        self.done.append(&mut lookup.written);
        Ok(())
    }
}

/// The whole file in one transaction that keeps nothing: on a private copy of a SQLite database
/// file, which holds no turn of the writer however long the file (`db::Scratch`).
async fn dry_run(db: &DatabaseConnection, run: Run) -> AppResult<ImportReport> {
    match crate::db::Scratch::of(db).await? {
        Some(copy) => copy.decided(move |txn| Box::pin(dry_rows(txn, run))).await,
        None => crate::db::decided(db, move |txn| Box::pin(dry_rows(txn, run))).await,
    }
}

async fn dry_rows(txn: &DatabaseTransaction, mut run: Run) -> AppResult<(ImportReport, bool)> {
    // The batch is written as in a real run, so imported sales' history can name it.
    let batch = open_batch(txn, &run.actor, &run.request).await?;
    let mut lookup = Lookup::load(txn, &run.actor, run.request.kind, &batch).await?;
    run.rows(txn, &mut lookup, usize::MAX).await?;
    Ok((run.report, false))
}

/// Writes the file chunk by chunk. An interruption (a fault, the process stopping) leaves the
/// chunks written so far, each whole, and a batch that is not finished: listed as interrupted,
/// it can be undone like any other.
async fn write(db: &DatabaseConnection, run: Run) -> AppResult<ImportReport> {
    let (run, batch, lookup) = crate::db::transaction(db, move |txn| {
        Box::pin(async move {
            let batch = open_batch(txn, &run.actor, &run.request).await?;
            let lookup = Lookup::load(txn, &run.actor, run.request.kind, &batch).await?;
            Ok((run, batch.id, lookup))
        })
    })
    .await?;
    let mut state = (run, lookup);
    loop {
        state = crate::db::transaction(db, move |txn| {
            Box::pin(async move {
                let (mut run, mut lookup) = state;
                still_wanted(txn, batch).await?;
                run.rows(txn, &mut lookup, CHUNK_ROWS).await?;
                record_chunk(txn, batch, &mut run).await?;
                Ok((run, lookup))
            })
        })
        .await?;
        if state.0.finished() {
            break;
        }
    }
    let Run { mut report, rejected, .. } = state.0;
    let written = report.creates + report.updates > 0;
    let counts = report.clone();
    crate::db::transaction(db, move |txn| {
        Box::pin(async move {
            match written {
                true => close_batch(txn, batch, &counts, &rejected).await,
                // Every row bad or unchanged: no batch is kept.
                false => import_batches::Entity::delete_by_id(batch).exec(txn).await.map(|_| ()).map_err(Into::into),
            }
        })
    })
    .await?;
    report.written = written;
    report.batch = written.then_some(batch);
    Ok(report)
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
    async fn load(txn: &DatabaseTransaction, actor: &CurrentUser, kind: ImportKind, batch: &import_batches::Model) -> AppResult<Lookup> {
        let mut lookup = Lookup { import: ImportedFrom { batch: batch.id, file: batch.file_name.clone() }, ..Lookup::default() };
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
