//! The import (*Importa*): contacts, products and past sales from CSV and spreadsheets. Each row
//! becomes the same form the pages send and passes the same validation; a dry run reports every
//! bad row (line, field, message) and writes nothing; the import writes all rows or, if the user
//! chooses, only the valid ones, a chunk of rows to a transaction; each import is a batch that can be undone
//! while its rows are unchanged. The page uploads to `POST /import/upload` (server crate), the command
//! line calls `ssr::run` directly: one path.

pub mod page;
#[cfg(feature = "ssr")]
pub mod source;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::codec::TextJson;
use crate::error::{AppError, SourceError};
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

/// The largest file taken, in bytes.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;
/// Data rows per file.
pub const MAX_ROWS: usize = 200_000;
pub const MAX_COLUMNS: usize = 200;
/// Cells per file, empty ones included (200 000 rows of 20 columns): what a table of text costs
/// in memory grows with its cells, not its bytes (`;;;;` is four cells in four bytes).
pub const MAX_CELLS: usize = 4_000_000;
/// Characters per cell.
pub const MAX_CELL: usize = 10_000;
/// Rows shown as mapped before importing.
pub const PREVIEW_ROWS: usize = 20;
/// Bad rows the report lists (all are counted, and a batch keeps all it rejected).
pub const LISTED_ERRORS: usize = 1_000;

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ImportKind {
    Contacts,
    Products,
    Sales,
    Targets,
}

impl ImportKind {
    pub const ALL: [ImportKind; 4] = [ImportKind::Contacts, ImportKind::Products, ImportKind::Sales, ImportKind::Targets];

    pub fn code(self) -> &'static str {
        match self {
            ImportKind::Contacts => "contacts",
            ImportKind::Products => "products",
            ImportKind::Sales => "sales",
            ImportKind::Targets => "targets",
        }
    }

    pub fn from_code(code: &str) -> Option<ImportKind> {
        ImportKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> Msg {
        match self {
            ImportKind::Contacts => Msg::ImportContacts,
            ImportKind::Products => Msg::ImportProducts,
            ImportKind::Sales => Msg::ImportSales,
            ImportKind::Targets => Msg::RepTargets,
        }
    }

    /// The fields a column can fill, in the order the mapping editor offers them.
    pub fn fields(self) -> &'static [ImportField] {
        match self {
            ImportKind::Contacts => CONTACT_FIELDS,
            ImportKind::Products => PRODUCT_FIELDS,
            ImportKind::Sales => SALE_FIELDS,
            ImportKind::Targets => TARGET_FIELDS,
        }
    }

    /// The field a header names, in Italian or English, in any case, with or without accents,
    /// spaces and dots ("P. IVA", "Partita Iva", "VAT number").
    pub fn field_for(self, header: &str) -> Option<&'static str> {
        let key = header_key(header);
        self.fields().iter().find(|f| f.headers.iter().any(|h| header_key(h) == key)).map(|f| f.code)
    }
}

/// A field of a form that a column can fill: its code (the form's own field name), its label and
/// the headers that name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportField {
    pub code: &'static str,
    pub label: Msg,
    pub headers: &'static [&'static str],
}

const fn field(code: &'static str, label: Msg, headers: &'static [&'static str]) -> ImportField {
    ImportField { code, label, headers }
}

const CONTACT_FIELDS: &[ImportField] = &[
    // Written by the address book's export, so that the file comes back onto the same contacts.
    field("id", Msg::ImportId, &["id", "id vendita", "vendita id"]),
    field("kind", Msg::FieldKind, &["tipo", "tipo contatto", "kind", "type"]),
    field("name", Msg::FieldName, &["ragione sociale", "denominazione", "nome", "nominativo", "cliente", "name", "company name"]),
    field("company", Msg::FieldCompany, &["azienda", "società", "company"]),
    field("vat_number", Msg::FieldVatNumber, &["partita iva", "p iva", "piva", "p.iva", "vat", "vat number", "vat no"]),
    field("tax_code", Msg::FieldTaxCode, &["codice fiscale", "cod fiscale", "cf", "tax code", "fiscal code"]),
    field("email", Msg::FieldEmail, &["e-mail", "email", "mail", "indirizzo email", "email address"]),
    field("phone", Msg::FieldPhone, &["telefono", "tel", "cellulare", "phone", "mobile", "telephone"]),
    field("address", Msg::FieldAddress, &["indirizzo", "via", "address", "street"]),
    field("postcode", Msg::FieldPostcode, &["cap", "codice postale", "postcode", "zip", "postal code", "zip code"]),
    field("city", Msg::FieldCity, &["città", "comune", "località", "city", "town"]),
    field("province", Msg::FieldProvince, &["provincia", "prov", "province", "county", "state"]),
    field(
        "country",
        Msg::FieldCountry,
        &["nazione", "paese", "stato estero", "country", "paese (codice iso, es. it)", "country (iso code, e.g. it)"],
    ),
    field("notes", Msg::FieldNotes, &["note", "annotazioni", "notes", "comments"]),
    field("new_tags", Msg::FieldTags, &["tag", "tags", "etichette", "categorie cliente", "labels"]),
];

const PRODUCT_FIELDS: &[ImportField] = &[
    field("code", Msg::FieldCode, &["codice", "codice articolo", "cod", "cod articolo", "articolo", "sku", "code", "product code", "item code"]),
    field("name", Msg::FieldName, &["descrizione", "nome", "nome prodotto", "prodotto", "name", "product", "product name", "description"]),
    // "Descrizione" alone is the product's name in most price lists: this is the longer text.
    field("description", Msg::ImportLongDescription, &["descrizione estesa", "dettagli", "note", "long description", "details", "notes"]),
    field("category", Msg::FieldCategory, &["categoria", "famiglia", "gruppo merceologico", "category", "product category"]),
    field("unit", Msg::FieldUnit, &["unità", "unità di misura", "um", "u m", "unit", "unit of measure", "uom"]),
    field("list_price", Msg::FieldListPrice, &["prezzo", "prezzo di listino", "listino", "prezzo unitario", "price", "list price", "unit price"]),
    field("vat_rate", Msg::FieldVatRate, &["iva", "aliquota iva", "aliquota", "iva %", "vat", "vat rate", "vat %"]),
];

const TARGET_FIELDS: &[ImportField] = &[
    field("seller", Msg::FieldSeller, &["venditore", "agente", "commerciale", "team", "seller", "salesperson", "sales rep"]),
    field("month", Msg::FieldMonth, &["mese", "periodo", "mese anno", "month", "period"]),
    field("amount", Msg::FieldTarget, &["obiettivo", "target", "importo", "budget", "amount", "quota"]),
    field("category", Msg::FieldCategory, &["categoria", "famiglia", "category"]),
];

const SALE_FIELDS: &[ImportField] = &[
    field("contact_vat", Msg::ImportContactVat, &["partita iva", "p iva", "piva", "p.iva", "vat", "vat number"]),
    field("contact_email", Msg::ImportContactEmail, &["e-mail", "email", "mail"]),
    field("contact_name", Msg::ImportContactName, &["cliente", "ragione sociale", "contatto", "fornitore", "customer", "contact", "company"]),
    field("product", Msg::ImportProductCode, &["codice prodotto", "codice", "codice articolo", "articolo", "sku", "product code", "product", "code"]),
    field("seller", Msg::FieldSeller, &["venditore", "agente", "commerciale", "seller", "salesperson", "sales rep"]),
    field("stage", Msg::FieldStage, &["fase", "stato", "esito", "stage", "status"]),
    field("quantity", Msg::FieldQuantity, &["quantità", "qta", "qtà", "q tà", "quantity", "qty"]),
    field("unit_price", Msg::FieldUnitPrice, &["prezzo", "prezzo unitario", "importo unitario", "price", "unit price"]),
    field("discount", Msg::FieldDiscount, &["sconto", "sconto %", "discount", "discount %"]),
    field("vat_rate", Msg::FieldVatRate, &["iva", "aliquota iva", "aliquota", "vat", "vat rate"]),
    field("probability", Msg::FieldProbability, &["probabilità", "probabilità %", "probability", "probability %"]),
    field("sale_date", Msg::FieldSaleDate, &["data", "data vendita", "data documento", "date", "sale date"]),
    field("expected_close", Msg::FieldExpectedClose, &["chiusura prevista", "data chiusura prevista", "expected close", "expected close date"]),
    field("closed_date", Msg::FieldClosedDate, &["data chiusura", "chiusa il", "closed on", "close date", "closed date"]),
    field("lost_reason", Msg::FieldLostReason, &["motivo perdita", "motivo della perdita", "lost reason", "reason lost"]),
    field("lost_note", Msg::FieldLostNote, &["nota perdita", "nota sulla perdita", "lost note", "note on the loss"]),
    field("notes", Msg::FieldNotes, &["note", "notes", "comments"]),
];

/// A header reduced to what names it: lower case, accents off, letters and digits only.
pub fn header_key(header: &str) -> String {
    header
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ä' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            other => other,
        })
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// What to do with a checked file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportMode {
    /// Check every row, write nothing.
    DryRun,
    /// Write every row, or nothing if any is bad.
    All,
    /// Write the valid rows; the bad ones are kept in the batch for download.
    ValidOnly,
}

impl ImportMode {
    pub fn from_code(code: &str) -> Option<ImportMode> {
        match code {
            "check" => Some(ImportMode::DryRun),
            "all" => Some(ImportMode::All),
            "valid" => Some(ImportMode::ValidOnly),
            _ => None,
        }
    }
}

/// One import request: the file and how to read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRequest {
    pub kind: ImportKind,
    pub file_name: String,
    pub sheet: Option<String>,
    /// The field of each column by position (`None`: ignored); empty: recognised from the headers.
    pub mapping: Option<Vec<Option<String>>>,
    pub mode: ImportMode,
    /// Sales: give the sales tag to a matched contact that lacks it (else the row is refused).
    pub add_sales_tag: bool,
}

/// A column as read and mapped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub header: String,
    pub field: Option<String>,
}

/// A bad row: its line in the file, and why (the field is named when there is one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub line: usize,
    pub error: AppError,
}

/// What a check or an import found and did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub kind: ImportKind,
    pub mode: ImportMode,
    pub sheets: Vec<String>,
    pub columns: Vec<Column>,
    /// The first rows as the mapping reads them: (line, cells).
    pub preview: Vec<(usize, Vec<String>)>,
    pub rows: u64,
    pub creates: u64,
    pub updates: u64,
    /// Matched rows the file would not change.
    pub unchanged: u64,
    /// Bad rows, all of them; the first `LISTED_ERRORS` are in `errors`.
    pub bad: u64,
    pub errors: Vec<RowError>,
    /// Something was written (then `batch` names it).
    pub written: bool,
    pub batch: Option<i64>,
}

impl ImportReport {
    /// 0 every row valid (and written unless dry run), 1 some rows bad: the command line's status.
    pub fn exit_code(&self) -> i32 {
        if self.bad == 0 { 0 } else { 1 }
    }
}

/// A past import, for the list with its undo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    pub id: i64,
    pub kind: ImportKind,
    pub file_name: String,
    pub user: String,
    pub at: chrono::DateTime<chrono::Utc>,
    pub created: u64,
    pub updated: u64,
    pub rejected: u64,
    pub state: BatchState,
}

/// Where a batch stands. Its chunks are written one transaction each: until the last, it is
/// running; one that stopped half-way (the process stopped) is interrupted, its whole chunks
/// kept, and can be undone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BatchState {
    Running,
    Interrupted,
    Finished,
    Undone,
}

impl BatchState {
    /// As the page marks its row (`data-state`).
    pub fn code(self) -> &'static str {
        match self {
            BatchState::Running => "running",
            BatchState::Interrupted => "interrupted",
            BatchState::Finished => "finished",
            BatchState::Undone => "undone",
        }
    }
}

// ---------------------------------------------------------------- server functions

#[cfg(feature = "ssr")]
use crate::auth::ssr::require_user;
use crate::error::AppResult;
use leptos::prelude::*;

/// The latest imports (managers and admins).
#[server(endpoint = "import_batches", output = TextJson)]
pub async fn list_batches() -> AppResult<Vec<Batch>> {
    let (state, me) = require_user().await?;
    ssr::batches(&state.db, &me).await
}

#[server(endpoint = "import_undo", output = TextJson)]
pub async fn undo_batch(id: i64) -> AppResult<()> {
    let (state, me) = require_user().await?;
    ssr::undo(&state.db, &me, id).await
}
