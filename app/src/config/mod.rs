//! CRM configuration (*Configurazione → CRM*): the sales tag, the sellers, the category tree, the
//! products and the stage probabilities. Everybody signed in reads it; only managers and admins
//! change it, and the server decides that in `ssr`, whatever the page shows.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::auth::UserId;
#[cfg(feature = "ssr")]
use crate::auth::ssr::require_user;
use crate::error::AppResult;
use crate::i18n::Msg;
use crate::money::{Money, Percent};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The ids of the catalogue's and the sellers' rows: the number the database gave, written as that
/// number (in JSON, forms and query strings).
macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident),*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl From<i64> for $name {
            fn from(id: i64) -> $name {
                $name(id)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}
ids!(TagId, SellerId, CategoryId, ProductId);

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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrmSettings {
    pub sales_tag: Option<SalesTag>,
    pub sales_tag_id: Option<TagId>,
    pub currency: String,
    pub probabilities: StageProbabilities,
    pub wizard_done: bool,
    pub version: i32,
}

/// The five steps of the wizard, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    Tag,
    Sellers,
    Categories,
    Products,
    Stages,
}

impl Step {
    pub const ALL: [Step; 5] = [Step::Tag, Step::Sellers, Step::Categories, Step::Products, Step::Stages];

    pub fn path(self) -> &'static str {
        match self {
            Step::Tag => "/config/crm/tag",
            Step::Sellers => "/config/crm/sellers",
            Step::Categories => "/config/crm/categories",
            Step::Products => "/config/crm/products",
            Step::Stages => "/config/crm/stages",
        }
    }

    pub fn label(self) -> Msg {
        match self {
            Step::Tag => Msg::StepTag,
            Step::Sellers => Msg::StepSellers,
            Step::Categories => Msg::StepCategories,
            Step::Products => Msg::StepProducts,
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
    pub done: [bool; 5],
    pub sellers: u64,
    pub categories: u64,
    pub products: u64,
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

// ---------------------------------------------------------------- sellers

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

/// A user as the seller forms show him.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRef {
    pub id: UserId,
    pub login: String,
    pub display_name: String,
}

/// A user the seller forms may offer, and whether he is already a user seller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerCandidate {
    pub user: UserRef,
    pub is_seller: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerRow {
    pub id: SellerId,
    pub kind: SellerKind,
    pub name: String,
    /// The user of a user seller.
    pub user: Option<UserRef>,
    /// The members of a generic seller.
    pub members: Vec<UserRef>,
    pub active: bool,
    pub sales: u64,
    pub version: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSeller {
    pub kind: SellerKind,
    /// Required for a generic seller; a user seller takes the user's name when empty.
    pub name: String,
    pub user: Option<UserId>,
    pub members: Vec<UserId>,
}

// ---------------------------------------------------------------- categories

/// One node of the category tree, listed depth-first in sibling order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryNode {
    pub id: CategoryId,
    pub parent: Option<CategoryId>,
    pub name: String,
    pub position: i32,
    pub depth: usize,
    /// Products filed directly under this category.
    pub products: u64,
    pub children: u64,
    pub version: i32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    Up,
    Down,
}

// ---------------------------------------------------------------- products

/// The VAT rates a product may carry, in basis points (22, 10, 5, 4 and 0 %).
pub const VAT_RATES: [Percent; 5] = [Percent(2200), Percent(1000), Percent(500), Percent(400), Percent(0)];

/// The units a product is sold in; the form offers these, the server accepts any short text.
pub const UNITS: [&str; 8] = ["pz", "h", "gg", "kg", "m", "m²", "l", "mese"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductRow {
    pub id: ProductId,
    pub code: String,
    pub name: String,
    pub description: Option<String>,
    pub category: Option<CategoryId>,
    pub category_name: Option<String>,
    pub unit: String,
    pub list_price: Money,
    pub vat_rate: Percent,
    pub active: bool,
    pub version: i32,
}

/// A product as typed in the form: the single form type of a product, sent as it is by the page
/// (its fields are the form's field names, `crate::form`) and validated on the server
/// (`ssr::products::validate`). A field left out is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProductForm {
    pub code: String,
    pub name: String,
    pub description: String,
    /// A category id, or empty for none.
    pub category: String,
    pub unit: String,
    pub list_price: String,
    pub vat_rate: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductFilter {
    pub search: String,
    /// Also matches the category's sub-categories.
    pub category: Option<CategoryId>,
}

// ---------------------------------------------------------------- server functions
// Thin: the session's user and one domain call; `ssr` decides who may do what.

#[server(endpoint = "config_overview")]
pub async fn get_overview() -> AppResult<ConfigOverview> {
    let (state, me) = require_user().await?;
    ssr::overview(&state.db, &me).await
}

#[server(endpoint = "config_set_sales_tag")]
pub async fn set_sales_tag(version: i32, tag: String, confirm: Option<String>) -> AppResult<CrmSettings> {
    let (state, me) = require_user().await?;
    ssr::set_sales_tag(&state.db, &me, version, &tag, confirm.is_some_and(|c| c == "true")).await
}

#[server(endpoint = "config_set_stages")]
pub async fn set_stages(version: i32, lead: String, negotiation: String, proposal: String, currency: String) -> AppResult<CrmSettings> {
    let (state, me) = require_user().await?;
    ssr::set_stages(&state.db, &me, version, StagesForm { lead, negotiation, proposal, currency }).await
}

#[server(endpoint = "config_sellers")]
pub async fn list_sellers() -> AppResult<Vec<SellerRow>> {
    let (state, me) = require_user().await?;
    ssr::list_sellers(&state.db, &me).await
}

#[server(endpoint = "config_seller_candidates")]
pub async fn seller_candidates() -> AppResult<Vec<SellerCandidate>> {
    let (state, me) = require_user().await?;
    ssr::seller_candidates(&state.db, &me).await
}

/// `kind` is `user` (with `user`, optional `name`) or `generic` (with `name`, optional `members[]`).
#[server(endpoint = "config_create_seller")]
pub async fn create_seller(kind: String, name: Option<String>, user: Option<String>, members: Option<Vec<i64>>) -> AppResult<SellerRow> {
    let (state, me) = require_user().await?;
    let new = ssr::parse_new_seller(&kind, name.unwrap_or_default(), user.as_deref(), members.unwrap_or_default())?;
    ssr::create_seller(&state.db, &me, new).await
}

#[server(endpoint = "config_rename_seller")]
pub async fn rename_seller(id: i64, version: i32, name: String) -> AppResult<SellerRow> {
    let (state, me) = require_user().await?;
    ssr::rename_seller(&state.db, &me, SellerId(id), version, &name).await
}

#[server(endpoint = "config_set_seller_members")]
pub async fn set_seller_members(id: i64, version: i32, members: Option<Vec<i64>>) -> AppResult<SellerRow> {
    let (state, me) = require_user().await?;
    let members = members.unwrap_or_default().into_iter().map(UserId).collect();
    ssr::set_seller_members(&state.db, &me, SellerId(id), version, members).await
}

#[server(endpoint = "config_set_seller_active")]
pub async fn set_seller_active(id: i64, version: i32, active: bool) -> AppResult<SellerRow> {
    let (state, me) = require_user().await?;
    ssr::set_seller_active(&state.db, &me, SellerId(id), version, active).await
}

#[server(endpoint = "config_delete_seller")]
pub async fn delete_seller(id: i64, version: i32) -> AppResult<()> {
    let (state, me) = require_user().await?;
    ssr::delete_seller(&state.db, &me, SellerId(id), version).await
}

#[server(endpoint = "config_categories")]
pub async fn list_categories() -> AppResult<Vec<CategoryNode>> {
    let (state, me) = require_user().await?;
    ssr::list_categories(&state.db, &me).await
}

/// `parent` is a category id, or empty for a top-level category.
#[server(endpoint = "config_create_category")]
pub async fn create_category(name: String, parent: Option<String>) -> AppResult<CategoryNode> {
    let (state, me) = require_user().await?;
    let parent = ssr::parse_category_ref(crate::error::Field::Parent, parent.as_deref())?;
    ssr::create_category(&state.db, &me, &name, parent).await
}

#[server(endpoint = "config_rename_category")]
pub async fn rename_category(id: i64, version: i32, name: String) -> AppResult<CategoryNode> {
    let (state, me) = require_user().await?;
    ssr::rename_category(&state.db, &me, CategoryId(id), version, &name).await
}

#[server(endpoint = "config_move_category")]
pub async fn move_category(id: i64, version: i32, parent: Option<String>) -> AppResult<CategoryNode> {
    let (state, me) = require_user().await?;
    let parent = ssr::parse_category_ref(crate::error::Field::Parent, parent.as_deref())?;
    ssr::move_category(&state.db, &me, CategoryId(id), version, parent).await
}

/// `direction` is `up` or `down`: one place among the siblings.
#[server(endpoint = "config_reorder_category")]
pub async fn reorder_category(id: i64, version: i32, direction: String) -> AppResult<CategoryNode> {
    let (state, me) = require_user().await?;
    let direction = match direction.as_str() {
        "up" => Direction::Up,
        "down" => Direction::Down,
        _ => return Err(crate::error::AppError::BadRequest("direction".into())),
    };
    ssr::reorder_category(&state.db, &me, CategoryId(id), version, direction).await
}

#[server(endpoint = "config_delete_category")]
pub async fn delete_category(id: i64, version: i32) -> AppResult<()> {
    let (state, me) = require_user().await?;
    ssr::delete_category(&state.db, &me, CategoryId(id), version).await
}

#[server(endpoint = "config_products")]
pub async fn list_products(search: Option<String>, category: Option<String>) -> AppResult<Vec<ProductRow>> {
    let (state, me) = require_user().await?;
    let category = ssr::parse_category_ref(crate::error::Field::Category, category.as_deref())?;
    ssr::list_products(&state.db, &me, &ProductFilter { search: search.unwrap_or_default(), category }).await
}

#[server(endpoint = "config_create_product")]
pub async fn create_product(#[server(flatten)] form: ProductForm) -> AppResult<ProductRow> {
    let (state, me) = require_user().await?;
    ssr::create_product(&state.db, &me, &form).await
}

#[server(endpoint = "config_update_product")]
pub async fn update_product(id: i64, version: i32, #[server(flatten)] form: ProductForm) -> AppResult<ProductRow> {
    let (state, me) = require_user().await?;
    ssr::update_product(&state.db, &me, ProductId(id), version, &form).await
}

#[server(endpoint = "config_set_product_active")]
pub async fn set_product_active(id: i64, version: i32, active: bool) -> AppResult<ProductRow> {
    let (state, me) = require_user().await?;
    ssr::set_product_active(&state.db, &me, ProductId(id), version, active).await
}
