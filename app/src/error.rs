//! The one error type of Vendita. It crosses the wire from a server function to the page, where
//! `message` turns it into a sentence in the user's language.

use crate::i18n::{Lang, Msg};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// What is wrong with one form field. Each variant has a translated sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    Required,
    TooLong,
    TooShort,
    Taken,
    Invalid,
    Mismatch,
    // configuration
    Negative,
    TooManyDecimals,
    OutOfRange,
    Cycle,
    // address book and sales
    EmailShape,
    VatChecksum,
    NotPositive,
    BadDate,
    /// Above the documented maximum (a sale's quantity, unit price or line total; a list price).
    TooLarge,
    TooManyTags,
    /// A close date before the sale's own date.
    BeforeSaleDate,
    /// A date that has not come yet anywhere on Earth.
    InFuture,
    /// A list already at its documented maximum (lost reasons).
    TooMany,
    /// More lines than an offer holds (`offers::MAX_LINES`).
    TooManyLines,
    /// A validity ending before the offer's own date.
    BeforeOfferDate,
}

/// A form field that can be in error; the page marks it and shows the message beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Field {
    Login,
    DisplayName,
    Password,
    NewPassword,
    Role,
    Language,
    // configuration
    Name,
    SalesTag,
    Currency,
    ProbLead,
    ProbNegotiation,
    ProbProposal,
    SellerUser,
    Members,
    Parent,
    Code,
    Description,
    Category,
    Unit,
    ListPrice,
    VatRate,
    // address book and sales
    Kind,
    Company,
    VatNumber,
    TaxCode,
    Email,
    Phone,
    Address,
    Postcode,
    City,
    Province,
    Country,
    Notes,
    Tags,
    Product,
    Seller,
    Quantity,
    UnitPrice,
    Discount,
    Stage,
    Probability,
    SaleDate,
    ExpectedClose,
    ClosedDate,
    LostReason,
    LostNote,
    Contact,
    // targets
    Month,
    Target,
    Uplift,
    // offers
    OfferDate,
    ValidUntil,
    PaymentTerms,
    DeliveryTerms,
    Intro,
    Closing,
    Lines,
    // company profile
    Rea,
    Iban,
    MailTo,
    MailSubject,
    MailText,
    Logo,
    // commissions
    Rate,
    PerUnit,
    ValidFrom,
    Amount,
    CollectedOn,
    Period,
}

#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum AppError {
    #[error("not signed in")]
    Unauthenticated,
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("wrong login or password")]
    BadCredentials,
    #[error("too many failed attempts")]
    RateLimited,
    #[error("invalid {field:?}: {problem:?}")]
    Invalid { field: Field, problem: Problem },
    #[error("changed by someone else in the meantime")]
    Conflict,
    #[error("the last active administrator cannot be removed")]
    LastAdmin,
    #[error("the first administrator already exists")]
    AlreadySetUp,
    #[error("the category still has sub-categories")]
    CategoryHasChildren,
    #[error("the category still holds products")]
    CategoryHasProducts,
    #[error("the seller has sales")]
    SellerHasSales,
    // address book and sales
    #[error("the contact has sales")]
    ContactHasSales,
    #[error("the contact does not carry the sales tag")]
    NoSalesTag,
    #[error("system tags cannot be changed")]
    SystemTag,
    /// Taking the sales tag off a contact that still has sales.
    #[error("the contact has {sales} sales and keeps the sales tag")]
    SalesTagInUse { sales: u64 },
    /// Switching the configured sales tag would take the Vendita tab from these contacts with
    /// sales: asked again with a confirmation.
    #[error("{contacts} contacts with sales would lose their Vendita tab")]
    SalesTagSwitch { contacts: u64 },
    /// Deleting a lost reason that sales name: archive it instead.
    #[error("{sales} sales name the lost reason")]
    LostReasonInUse { sales: u64 },
    /// Archiving or deleting the last reason offered: a lost sale could not be recorded.
    #[error("the last lost reason offered stays")]
    LastLostReason,
    /// An import file that cannot be read as a whole (nothing is written).
    #[error("unreadable import file: {0:?}")]
    BadFile(SourceError),
    /// Undoing an import whose rows changed since: they are named.
    #[error("the import's rows changed since: {rows:?}")]
    ImportUndoBlocked { rows: Vec<String> },
    /// A request body over the limit of its route.
    #[error("request too large")]
    TooLarge,
    /// Another import is running.
    #[error("another import is running")]
    ImportBusy,
    /// Undoing an import still being written.
    #[error("the import is still being written")]
    ImportRunning,
    /// Too many Excel downloads at once (for the user or the server).
    #[error("too many downloads at once")]
    Busy,
    /// A line of a form with lines (an offer's): which line (from 1), which field, what is wrong.
    #[error("line {line}: invalid {field:?}: {problem:?}")]
    InvalidLine { line: u32, field: Field, problem: Problem },
    /// Changing an offer that is no longer a draft (a sent one is revised, not edited).
    #[error("the offer is not a draft")]
    OfferNotDraft,
    /// Accepting or rejecting an offer that is not sent (a draft, or one decided already).
    #[error("the offer is not waiting for an answer")]
    OfferNotSent,
    /// Sending an offer without a priced line.
    #[error("the offer has no priced line")]
    OfferEmpty,
    /// Making an offer of a sale already won or lost.
    #[error("the sale is closed")]
    SaleNotOpen,
    /// E-mailing an offer with no mail server set (`VENDITA_SMTP_URL`).
    #[error("no mail server is set")]
    MailOff,
    /// The mail server refused the message or did not answer: the offer stays unsent.
    #[error("the mail server failed: {0}")]
    MailFailed(String),
    /// Changing by hand a sale that a sent offer holds: it moves with its offer.
    #[error("the sale belongs to offer {offer}")]
    SaleOnOffer { offer: String },
    /// A statement of a period already settled, or a rule or change reaching back into one.
    #[error("the period is settled")]
    PeriodSettled,
    /// Settling a statement without a line.
    #[error("nothing to settle")]
    NothingToSettle,
    /// A collection on a sale that is not won.
    #[error("the sale is not won")]
    SaleNotWon,
    /// A sale saved from an old version: refused, with the values it has now.
    #[error("the sale was changed by someone else")]
    SaleConflict(SaleSnapshot),
    /// A request no page sends (an unknown code, a cursor that does not decode): 400.
    #[error("malformed request: {0}")]
    BadRequest(String),
    /// A fault on the server; the detail is logged there, never sent to the page.
    #[error("internal error")]
    Internal,
    /// The request did not reach the server or its answer could not be read.
    #[error("request failed: {0}")]
    Transport(String),
}

/// The current values of a sale refused for its old version, as a JSON text. Only the sales page
/// reads them ([`SaleSnapshot::sale`]), so decoding an error anywhere else (every server call of
/// every page) carries no sale decoder: it stays out of the first page's WASM. Measured first
/// page, gzip: `Box<Sale>` 317.7 KB, this 299.7 KB; a `serde_json::value::RawValue` (the wire
/// format stays an object) 328.2 KB, as its feature adds raw buffering to every JSON decoder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SaleSnapshot(String);

impl SaleSnapshot {
    /// Made by the sales module of its `Sale`.
    pub fn of(sale: &impl Serialize) -> Result<SaleSnapshot, AppError> {
        serde_json::to_string(sale).map(SaleSnapshot).map_err(|_| AppError::Internal)
    }

    /// The sale as it is now (`sales::Sale`); `None` only if the answer was not one.
    pub fn sale<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_str(&self.0).ok()
    }
}

/// A refusal of a plain route (an upload, a download, the request guard), answered as the server
/// functions answer one: its status, and the error as JSON for the page to put in words.
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let body = serde_json::to_string(&self).unwrap_or_default();
        (self.status(), [(http::header::CONTENT_TYPE, "application/json")], body).into_response()
    }
}

impl AppError {
    pub fn invalid(field: Field, problem: Problem) -> Self {
        AppError::Invalid { field, problem }
    }

    /// The sentence the user reads.
    pub fn message(&self, lang: Lang) -> String {
        let msg = match self {
            AppError::Unauthenticated => Msg::ErrUnauthenticated,
            AppError::Forbidden => Msg::ErrForbidden,
            AppError::NotFound => Msg::ErrNotFound,
            AppError::BadCredentials => Msg::ErrBadCredentials,
            AppError::RateLimited => Msg::ErrRateLimited,
            AppError::Conflict => Msg::ErrConflict,
            AppError::LastAdmin => Msg::ErrLastAdmin,
            AppError::AlreadySetUp => Msg::ErrAlreadySetUp,
            AppError::CategoryHasChildren => Msg::ErrCategoryHasChildren,
            AppError::CategoryHasProducts => Msg::ErrCategoryHasProducts,
            AppError::SellerHasSales => Msg::ErrSellerHasSales,
            AppError::ContactHasSales => Msg::ErrContactHasSales,
            AppError::NoSalesTag => Msg::ErrNoSalesTag,
            AppError::SystemTag => Msg::ErrSystemTag,
            // Only other sellers' sales, which a member is not told the number of.
            AppError::SalesTagInUse { sales: 0 } => Msg::ErrSalesTagInUseOthers,
            AppError::SalesTagInUse { sales: 1 } => Msg::ErrSalesTagInUseOne,
            AppError::SalesTagInUse { sales } => return Msg::ErrSalesTagInUse.text(lang).replace("{n}", &sales.to_string()),
            AppError::SalesTagSwitch { contacts: 1 } => Msg::ErrSalesTagSwitchOne,
            AppError::SalesTagSwitch { contacts } => return Msg::ErrSalesTagSwitch.text(lang).replace("{n}", &contacts.to_string()),
            AppError::LostReasonInUse { sales } => return Msg::ErrLostReasonInUse.text(lang).replace("{n}", &sales.to_string()),
            AppError::LastLostReason => Msg::ErrLastLostReason,
            AppError::BadFile(e) => e.message(),
            AppError::ImportUndoBlocked { rows } => return Msg::ImportUndoBlocked.text(lang).replace("{names}", &rows.join(", ")),
            AppError::TooLarge => Msg::ErrTooLarge,
            AppError::ImportBusy => Msg::ImportBusy,
            AppError::ImportRunning => Msg::ImportRunning,
            AppError::Busy => Msg::ErrBusy,
            AppError::SaleConflict(_) => Msg::ErrSaleConflict,
            AppError::BadRequest(_) => Msg::ErrBadRequest,
            AppError::Internal => Msg::ErrInternal,
            AppError::Transport(_) => Msg::ErrTransport,
            AppError::Invalid { field, problem } => {
                return format!("{}: {}", field_label(*field).text(lang), problem_text(*problem).text(lang));
            }
            AppError::InvalidLine { line, field, problem } => {
                return format!(
                    "{} — {}: {}",
                    Msg::OfferLineN.text(lang).replace("{n}", &line.to_string()),
                    field_label(*field).text(lang),
                    problem_text(*problem).text(lang)
                );
            }
            AppError::OfferNotDraft => Msg::ErrOfferNotDraft,
            AppError::OfferNotSent => Msg::ErrOfferNotSent,
            AppError::OfferEmpty => Msg::ErrOfferEmpty,
            AppError::MailOff => Msg::ErrMailOff,
            AppError::SaleNotOpen => Msg::ErrSaleNotOpen,
            AppError::PeriodSettled => Msg::ErrPeriodSettled,
            AppError::NothingToSettle => Msg::ComNothing,
            AppError::SaleNotWon => Msg::ErrSaleNotWon,
            AppError::MailFailed(_) => Msg::ErrMailFailed,
            AppError::SaleOnOffer { offer } => return Msg::ErrSaleOnOffer.text(lang).replace("{offer}", offer),
        };
        msg.text(lang).to_string()
    }

    /// The field this error belongs to, so the form can mark it.
    pub fn field(&self) -> Option<Field> {
        match self {
            AppError::Invalid { field, .. } | AppError::InvalidLine { field, .. } => Some(*field),
            _ => None,
        }
    }

    #[cfg(feature = "ssr")]
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            AppError::Unauthenticated | AppError::BadCredentials => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::RateLimited | AppError::Busy | AppError::ImportBusy => StatusCode::TOO_MANY_REQUESTS,
            AppError::Invalid { .. } | AppError::InvalidLine { .. } | AppError::LastAdmin | AppError::OfferEmpty => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::OfferNotDraft | AppError::OfferNotSent | AppError::SaleOnOffer { .. } | AppError::MailOff | AppError::SaleNotOpen => {
                StatusCode::CONFLICT
            }
            AppError::MailFailed(_) => StatusCode::BAD_GATEWAY,
            AppError::Conflict | AppError::AlreadySetUp | AppError::PeriodSettled | AppError::SaleNotWon | AppError::NothingToSettle => {
                StatusCode::CONFLICT
            }
            AppError::CategoryHasChildren | AppError::CategoryHasProducts | AppError::SellerHasSales => StatusCode::CONFLICT,
            AppError::ContactHasSales | AppError::NoSalesTag | AppError::SystemTag | AppError::SaleConflict(_) => StatusCode::CONFLICT,
            AppError::SalesTagInUse { .. } | AppError::SalesTagSwitch { .. } => StatusCode::CONFLICT,
            AppError::LostReasonInUse { .. } | AppError::LastLostReason | AppError::ImportUndoBlocked { .. } | AppError::ImportRunning => {
                StatusCode::CONFLICT
            }
            AppError::BadFile(SourceError::TooLarge) | AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::BadFile(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Transport(_) | AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

pub fn field_label(field: Field) -> Msg {
    match field {
        Field::Login => Msg::FieldLogin,
        Field::DisplayName => Msg::FieldDisplayName,
        Field::Password => Msg::FieldPassword,
        Field::NewPassword => Msg::FieldNewPassword,
        Field::Role => Msg::FieldRole,
        Field::Language => Msg::FieldLanguage,
        Field::Name => Msg::FieldName,
        Field::SalesTag => Msg::FieldSalesTag,
        Field::Currency => Msg::FieldCurrency,
        Field::ProbLead => Msg::StageLead,
        Field::ProbNegotiation => Msg::StageNegotiation,
        Field::ProbProposal => Msg::StageProposal,
        Field::SellerUser => Msg::FieldSellerUser,
        Field::Members => Msg::FieldMembers,
        Field::Parent => Msg::FieldParent,
        Field::Code => Msg::FieldCode,
        Field::Description => Msg::FieldDescription,
        Field::Category => Msg::FieldCategory,
        Field::Unit => Msg::FieldUnit,
        Field::ListPrice => Msg::FieldListPrice,
        Field::VatRate => Msg::FieldVatRate,
        Field::Kind => Msg::FieldKind,
        Field::Company => Msg::FieldCompany,
        Field::VatNumber => Msg::FieldVatNumber,
        Field::TaxCode => Msg::FieldTaxCode,
        Field::Email => Msg::FieldEmail,
        Field::Phone => Msg::FieldPhone,
        Field::Address => Msg::FieldAddress,
        Field::Postcode => Msg::FieldPostcode,
        Field::City => Msg::FieldCity,
        Field::Province => Msg::FieldProvince,
        Field::Country => Msg::FieldCountry,
        Field::Notes => Msg::FieldNotes,
        Field::Tags => Msg::FieldTags,
        Field::Product => Msg::FieldProduct,
        Field::Seller => Msg::FieldSeller,
        Field::Quantity => Msg::FieldQuantity,
        Field::UnitPrice => Msg::FieldUnitPrice,
        Field::Discount => Msg::FieldDiscount,
        Field::Stage => Msg::FieldStage,
        Field::Probability => Msg::FieldProbability,
        Field::SaleDate => Msg::FieldSaleDate,
        Field::ExpectedClose => Msg::FieldExpectedClose,
        Field::ClosedDate => Msg::FieldClosedDate,
        Field::LostReason => Msg::FieldLostReason,
        Field::LostNote => Msg::FieldLostNote,
        Field::Contact => Msg::FieldContact,
        Field::Month => Msg::FieldMonth,
        Field::Target => Msg::FieldTarget,
        Field::Uplift => Msg::FieldUplift,
        Field::OfferDate => Msg::FieldOfferDate,
        Field::ValidUntil => Msg::FieldValidUntil,
        Field::PaymentTerms => Msg::FieldPaymentTerms,
        Field::DeliveryTerms => Msg::FieldDeliveryTerms,
        Field::Intro => Msg::FieldIntro,
        Field::Closing => Msg::FieldClosing,
        Field::Lines => Msg::FieldLines,
        Field::Rea => Msg::CompanyRea,
        Field::Iban => Msg::CompanyIban,
        Field::MailTo => Msg::MailTo,
        Field::MailSubject => Msg::MailSubject,
        Field::MailText => Msg::MailText,
        Field::Logo => Msg::CompanyLogo,
        Field::Rate => Msg::ComRate,
        Field::PerUnit => Msg::ComPerUnit,
        Field::ValidFrom => Msg::ComValidFrom,
        Field::Amount => Msg::ColAmount,
        Field::CollectedOn => Msg::ColDate,
        Field::Period => Msg::ComPeriod,
    }
}

pub fn problem_text(problem: Problem) -> Msg {
    match problem {
        Problem::Required => Msg::ProblemRequired,
        Problem::TooLong => Msg::ProblemTooLong,
        Problem::TooShort => Msg::ProblemTooShort,
        Problem::Taken => Msg::ProblemTaken,
        Problem::Invalid => Msg::ProblemInvalid,
        Problem::Mismatch => Msg::ProblemMismatch,
        Problem::Negative => Msg::ProblemNegative,
        Problem::TooManyDecimals => Msg::ProblemTooManyDecimals,
        Problem::OutOfRange => Msg::ProblemOutOfRange,
        Problem::Cycle => Msg::ProblemCycle,
        Problem::EmailShape => Msg::ProblemEmailShape,
        Problem::VatChecksum => Msg::ProblemVatChecksum,
        Problem::NotPositive => Msg::ProblemNotPositive,
        Problem::BadDate => Msg::ProblemBadDate,
        Problem::TooLarge => Msg::ProblemTooLarge,
        Problem::TooManyTags => Msg::ProblemTooManyTags,
        Problem::BeforeSaleDate => Msg::ProblemBeforeSaleDate,
        Problem::InFuture => Msg::ProblemInFuture,
        Problem::TooMany => Msg::ProblemTooMany,
        Problem::TooManyLines => Msg::ProblemTooManyLines,
        Problem::BeforeOfferDate => Msg::ProblemBeforeOfferDate,
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = crate::codec::JsonText;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        tracing::error!(error = %err, "database error");
        AppError::Internal
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::TransactionError<AppError>> for AppError {
    fn from(err: sea_orm::TransactionError<AppError>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(e) => e,
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// Why a file cannot be read: nothing is written, the whole file is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SourceError {
    Empty,
    OnlyHeaders,
    TooLarge,
    TooManyRows,
    TooManyColumns,
    CellTooLong,
    /// Not a CSV or spreadsheet this reads (binary junk, a truncated file).
    Unreadable,
    NoSuchSheet(String),
    /// No column is mapped to a field.
    NoColumns,
    /// Opening the file needed more memory or time than an upload may use (a small file that
    /// unpacks to a huge one, a sheet declared millions of cells wide): its reader was stopped.
    TooBigToOpen,
}

impl SourceError {
    pub fn message(&self) -> Msg {
        match self {
            SourceError::Empty => Msg::ImportEmpty,
            SourceError::OnlyHeaders => Msg::ImportOnlyHeaders,
            SourceError::TooLarge => Msg::ImportTooLarge,
            SourceError::TooManyRows => Msg::ImportTooManyRows,
            SourceError::TooManyColumns => Msg::ImportTooManyColumns,
            SourceError::CellTooLong => Msg::ImportCellTooLong,
            SourceError::Unreadable => Msg::ImportUnreadable,
            SourceError::NoSuchSheet(_) => Msg::ImportNoSuchSheet,
            SourceError::NoColumns => Msg::ImportNoColumns,
            SourceError::TooBigToOpen => Msg::ImportTooBigToOpen,
        }
    }
}
