//! CRM configuration (*Configurazione → CRM*): the sales tag, the stage probabilities and the
//! wizard that walks through every step (the sellers are in `crate::sellers`, the category tree
//! and the products in `crate::catalog`). Everybody signed in reads it; only managers and admins
//! change it, and the server decides that in `ssr`, whatever the page shows.

pub mod company;
#[cfg(feature = "ssr")]
pub mod logo;
pub mod lost_reasons;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

#[cfg(feature = "ssr")]
use crate::auth::ssr::require_user;
use crate::codec::TextJson;
use crate::error::AppResult;
use crate::i18n::Msg;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::ids::TagId;

// ---------------------------------------------------------------- settings and wizard

/// Which contacts are sold to: the system tag *Clienti* or *Fornitori*.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SalesTag {
    Customers,
    Suppliers,
}

impl SalesTag {
    pub const ALL: [SalesTag; 2] = [SalesTag::Customers, SalesTag::Suppliers];

    /// The tag's `system_key`, also the form value.
    pub fn code(self) -> &'static str {
        match self {
            SalesTag::Customers => "customers",
            SalesTag::Suppliers => "suppliers",
        }
    }

    pub fn from_code(code: &str) -> Option<SalesTag> {
        SalesTag::ALL.into_iter().find(|t| t.code() == code)
    }

    pub fn label(self) -> Msg {
        match self {
            SalesTag::Customers => Msg::TagCustomers,
            SalesTag::Suppliers => Msg::TagSuppliers,
        }
    }
}

/// The default probability of each open stage, in whole percent (won is 100, lost 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageProbabilities {
    pub lead: i32,
    pub negotiation: i32,
    pub proposal: i32,
}

impl StageProbabilities {
    /// The probability a sale gets when it enters `stage`: the configured one for open stages,
    /// 100 for won and 0 for lost.
    pub fn of(&self, stage: crate::codes::Stage) -> i32 {
        use crate::codes::Stage;
        match stage {
            Stage::Lead => self.lead,
            Stage::Negotiation => self.negotiation,
            Stage::Proposal => self.proposal,
            Stage::Won => 100,
            Stage::Lost => 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrmSettings {
    pub sales_tag: Option<SalesTag>,
    pub sales_tag_id: Option<TagId>,
    pub currency: String,
    pub probabilities: StageProbabilities,
    pub wizard_done: bool,
    pub version: i32,
}

/// The steps of the wizard, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    Tag,
    Sellers,
    Categories,
    Products,
    LostReasons,
    Stages,
}

impl Step {
    pub const ALL: [Step; 6] = [Step::Tag, Step::Sellers, Step::Categories, Step::Products, Step::LostReasons, Step::Stages];

    pub fn path(self) -> &'static str {
        match self {
            Step::Tag => "/config/crm/tag",
            Step::Sellers => "/config/crm/sellers",
            Step::Categories => "/config/crm/categories",
            Step::Products => "/config/crm/products",
            Step::LostReasons => "/config/crm/lost-reasons",
            Step::Stages => "/config/crm/stages",
        }
    }

    pub fn label(self) -> Msg {
        match self {
            Step::Tag => Msg::StepTag,
            Step::Sellers => Msg::StepSellers,
            Step::Categories => Msg::StepCategories,
            Step::Products => Msg::StepProducts,
            Step::LostReasons => Msg::StepLostReasons,
            Step::Stages => Msg::StepStages,
        }
    }

    pub fn number(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1
    }

    pub fn next(self) -> Option<Step> {
        Step::ALL.get(self.number()).copied()
    }
}

/// What the overview shows: the settings, which steps are done, and whether the viewer may edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigOverview {
    pub settings: CrmSettings,
    /// Done flags in `Step::ALL` order.
    pub done: [bool; Step::ALL.len()],
    pub sellers: u64,
    pub categories: u64,
    pub products: u64,
    /// Reasons offered (archived ones left out).
    pub lost_reasons: u64,
    pub can_edit: bool,
}

impl ConfigOverview {
    pub fn is_done(&self, step: Step) -> bool {
        self.done[step.number() - 1]
    }

    pub fn done_count(&self) -> usize {
        self.done.iter().filter(|d| **d).count()
    }

    /// The first step not done yet, while the wizard runs.
    pub fn next_step(&self) -> Option<Step> {
        if self.settings.wizard_done {
            return None;
        }
        Step::ALL.into_iter().find(|s| !self.is_done(*s))
    }
}

/// The stage probabilities and currency as typed in the form; validated on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StagesForm {
    pub lead: String,
    pub negotiation: String,
    pub proposal: String,
    pub currency: String,
}

// ---------------------------------------------------------------- server functions
// Thin: the session's user and one domain call; `ssr` decides who may do what.

#[server(endpoint = "config_overview", output = TextJson)]
pub async fn get_overview() -> AppResult<ConfigOverview> {
    let (state, me) = require_user().await?;
    ssr::overview(&state.db, &me).await
}

#[server(endpoint = "config_set_sales_tag", output = TextJson)]
pub async fn set_sales_tag(version: i32, tag: String, confirm: Option<String>) -> AppResult<CrmSettings> {
    let (state, me) = require_user().await?;
    ssr::set_sales_tag(&state.db, &me, version, &tag, confirm.is_some_and(|c| c == "true")).await
}

#[server(endpoint = "config_set_stages", output = TextJson)]
pub async fn set_stages(version: i32, lead: String, negotiation: String, proposal: String, currency: String) -> AppResult<CrmSettings> {
    let (state, me) = require_user().await?;
    ssr::set_stages(&state.db, &me, version, StagesForm { lead, negotiation, proposal, currency }).await
}
