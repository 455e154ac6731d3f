//! The codes a row stores and every layer reads: a user's role, a sale's stage, a contact's and a
//! seller's kind, what a sale's history line records. Each is stored by its snake_case code;
//! the entities (`db::entities`) read them as these types, the domains re-export them.

use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum Role {
    Admin,
    Manager,
    Member,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Manager, Role::Member];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Member => "member",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> Msg {
        match self {
            Role::Admin => Msg::RoleAdmin,
            Role::Manager => Msg::RoleManager,
            Role::Member => Msg::RoleMember,
        }
    }

    /// Admins and managers (*Responsabili*) configure the CRM and see every seller.
    pub fn is_manager(self) -> bool {
        matches!(self, Role::Admin | Role::Manager)
    }
}

/// lead → negotiation (*trattativa*) → proposal (*offerta*) → won (*vinta*) | lost (*persa*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum Stage {
    Lead,
    Negotiation,
    Proposal,
    Won,
    Lost,
}

impl Stage {
    pub const ALL: [Stage; 5] = [Stage::Lead, Stage::Negotiation, Stage::Proposal, Stage::Won, Stage::Lost];
    pub const OPEN: [Stage; 3] = [Stage::Lead, Stage::Negotiation, Stage::Proposal];

    pub fn code(self) -> &'static str {
        match self {
            Stage::Lead => "lead",
            Stage::Negotiation => "negotiation",
            Stage::Proposal => "proposal",
            Stage::Won => "won",
            Stage::Lost => "lost",
        }
    }

    pub fn from_code(code: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> Msg {
        match self {
            Stage::Lead => Msg::SaleStageLead,
            Stage::Negotiation => Msg::SaleStageNegotiation,
            Stage::Proposal => Msg::SaleStageProposal,
            Stage::Won => Msg::SaleStageWon,
            Stage::Lost => Msg::SaleStageLost,
        }
    }

    pub fn is_open(self) -> bool {
        Stage::OPEN.contains(&self)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum HistoryAction {
    Create,
    Update,
    Delete,
    /// Created by an import.
    Import,
    /// Created or moved by an offer (sent, accepted, rejected); the first entry names it.
    Offer,
}

impl HistoryAction {
    pub fn code(self) -> &'static str {
        match self {
            HistoryAction::Create => "create",
            HistoryAction::Update => "update",
            HistoryAction::Delete => "delete",
            HistoryAction::Import => "import",
            HistoryAction::Offer => "offer",
        }
    }
}

/// A field of a sale whose changes the history records (stored, and sent, by its snake_case name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum HistoryField {
    Product,
    Seller,
    Quantity,
    UnitPrice,
    Discount,
    VatRate,
    Net,
    Gross,
    Stage,
    Probability,
    SaleDate,
    ExpectedClose,
    ClosedDate,
    LostReason,
    LostNote,
    Notes,
}

impl HistoryField {
    /// Its snake_case name (`unit_price`).
    pub fn code(self) -> String {
        serde_json::to_value(self).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
    }

    pub fn label(self) -> Msg {
        match self {
            HistoryField::Product => Msg::FieldProduct,
            HistoryField::Seller => Msg::FieldSeller,
            HistoryField::Quantity => Msg::FieldQuantity,
            HistoryField::UnitPrice => Msg::FieldUnitPrice,
            HistoryField::Discount => Msg::FieldDiscount,
            HistoryField::VatRate => Msg::FieldVatRate,
            HistoryField::Net => Msg::FieldNet,
            HistoryField::Gross => Msg::FieldGross,
            HistoryField::Stage => Msg::FieldStage,
            HistoryField::Probability => Msg::FieldProbability,
            HistoryField::SaleDate => Msg::FieldSaleDate,
            HistoryField::ExpectedClose => Msg::FieldExpectedClose,
            HistoryField::ClosedDate => Msg::FieldClosedDate,
            HistoryField::LostReason => Msg::FieldLostReason,
            HistoryField::LostNote => Msg::FieldLostNote,
            HistoryField::Notes => Msg::FieldNotes,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum ContactKind {
    Person,
    Company,
}

impl ContactKind {
    pub const ALL: [ContactKind; 2] = [ContactKind::Company, ContactKind::Person];

    pub fn code(self) -> &'static str {
        match self {
            ContactKind::Person => "person",
            ContactKind::Company => "company",
        }
    }

    pub fn from_code(code: &str) -> Option<ContactKind> {
        ContactKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> Msg {
        match self {
            ContactKind::Person => Msg::KindPerson,
            ContactKind::Company => Msg::KindCompany,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum SellerKind {
    /// Exactly one user.
    User,
    /// A team, an office, an agency: a free name and optionally member users.
    Generic,
}

impl SellerKind {
    pub fn code(self) -> &'static str {
        match self {
            SellerKind::User => "user",
            SellerKind::Generic => "generic",
        }
    }

    pub fn from_code(code: &str) -> Option<SellerKind> {
        [SellerKind::User, SellerKind::Generic].into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> Msg {
        match self {
            SellerKind::User => Msg::SellerKindUser,
            SellerKind::Generic => Msg::SellerKindGeneric,
        }
    }
}

/// When a seller earns his commission on a won sale: on its close date, or on collection (*su
/// incassato*: each payment earns its share).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum EarnOn {
    #[default]
    Close,
    Collection,
}

impl EarnOn {
    pub const ALL: [EarnOn; 2] = [EarnOn::Close, EarnOn::Collection];

    pub fn code(self) -> &'static str {
        match self {
            EarnOn::Close => "close",
            EarnOn::Collection => "collection",
        }
    }

    pub fn from_code(code: &str) -> Option<EarnOn> {
        EarnOn::ALL.into_iter().find(|e| e.code() == code)
    }

    pub fn label(self) -> Msg {
        match self {
            EarnOn::Close => Msg::EarnOnClose,
            EarnOn::Collection => Msg::EarnOnCollection,
        }
    }
}

/// Whether a seller is an agent (*agente di commercio*) and of which kind: the statement
/// estimates his Enasarco contributions and FIRR at the year's values for that kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum AgentKind {
    #[default]
    None,
    /// Monomandatario: works for this company only.
    Mono,
    /// Plurimandatario.
    Pluri,
}

impl AgentKind {
    pub const ALL: [AgentKind; 3] = [AgentKind::None, AgentKind::Mono, AgentKind::Pluri];

    pub fn code(self) -> &'static str {
        match self {
            AgentKind::None => "none",
            AgentKind::Mono => "mono",
            AgentKind::Pluri => "pluri",
        }
    }

    pub fn from_code(code: &str) -> Option<AgentKind> {
        AgentKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> Msg {
        match self {
            AgentKind::None => Msg::AgentNone,
            AgentKind::Mono => Msg::AgentMono,
            AgentKind::Pluri => Msg::AgentPluri,
        }
    }
}

/// An offer's state: draft → sent → accepted | rejected. A sent offer past its validity reads as
/// expired ([`OfferState::on`]); nothing is stored for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum OfferState {
    Draft,
    Sent,
    Accepted,
    Rejected,
    Expired,
}

impl OfferState {
    pub const ALL: [OfferState; 5] = [OfferState::Draft, OfferState::Sent, OfferState::Accepted, OfferState::Rejected, OfferState::Expired];

    pub fn code(self) -> &'static str {
        match self {
            OfferState::Draft => "draft",
            OfferState::Sent => "sent",
            OfferState::Accepted => "accepted",
            OfferState::Rejected => "rejected",
            OfferState::Expired => "expired",
        }
    }

    pub fn from_code(code: &str) -> Option<OfferState> {
        OfferState::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> Msg {
        match self {
            OfferState::Draft => Msg::OfferDraft,
            OfferState::Sent => Msg::OfferSent,
            OfferState::Accepted => Msg::OfferAccepted,
            OfferState::Rejected => Msg::OfferRejected,
            OfferState::Expired => Msg::OfferExpired,
        }
    }

    /// The state a reader sees on `today`: a sent offer past its validity is expired.
    pub fn on(self, valid_until: chrono::NaiveDate, today: chrono::NaiveDate) -> OfferState {
        if self == OfferState::Sent && valid_until < today { OfferState::Expired } else { self }
    }
}

/// An offer's number, given when it is first sent: one sequence per year, and its revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct OfferNumber {
    pub year: i32,
    pub number: i32,
    pub revision: i32,
}

impl OfferNumber {
    /// As stored: a draft that was never sent has no year and number.
    pub fn of(year: Option<i32>, number: Option<i32>, revision: i32) -> Option<OfferNumber> {
        Some(OfferNumber { year: year?, number: number?, revision })
    }

    /// As people read it: "2026/0007", "2026/0007 rev. 2".
    pub fn label(self) -> String {
        let OfferNumber { year, number, revision } = self;
        if revision > 1 { format!("{year}/{number:04} rev. {revision}") } else { format!("{year}/{number:04}") }
    }
}

/// What an offer's line is: a product (it becomes a sale when the offer is sent), a free text
/// with a price, a section title, or a note between lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum LineKind {
    Product,
    Text,
    Section,
    Note,
}

impl LineKind {
    pub const ALL: [LineKind; 4] = [LineKind::Product, LineKind::Text, LineKind::Section, LineKind::Note];

    pub fn code(self) -> &'static str {
        match self {
            LineKind::Product => "product",
            LineKind::Text => "text",
            LineKind::Section => "section",
            LineKind::Note => "note",
        }
    }

    pub fn from_code(code: &str) -> Option<LineKind> {
        LineKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// A line with a quantity and a price, counted in the totals.
    pub fn is_priced(self) -> bool {
        matches!(self, LineKind::Product | LineKind::Text)
    }
}
