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
    /// A fault on the server; the detail is logged there, never sent to the page.
    #[error("internal error")]
    Internal,
    /// The request did not reach the server or its answer could not be read.
    #[error("request failed: {0}")]
    Transport(String),
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
            AppError::Internal => Msg::ErrInternal,
            AppError::Transport(_) => Msg::ErrTransport,
            AppError::Invalid { field, problem } => {
                return format!("{}: {}", field_label(*field).text(lang), problem_text(*problem).text(lang));
            }
        };
        msg.text(lang).to_string()
    }

    /// The field this error belongs to, so the form can mark it.
    pub fn field(&self) -> Option<Field> {
        match self {
            AppError::Invalid { field, .. } => Some(*field),
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
            AppError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            AppError::Invalid { .. } | AppError::LastAdmin => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict | AppError::AlreadySetUp => StatusCode::CONFLICT,
            AppError::CategoryHasChildren | AppError::CategoryHasProducts | AppError::SellerHasSales => StatusCode::CONFLICT,
            AppError::Transport(_) => StatusCode::BAD_REQUEST,
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
    }
}

fn problem_text(problem: Problem) -> Msg {
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
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

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
