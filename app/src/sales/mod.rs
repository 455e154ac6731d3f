//! Sales (*vendite*): registered on the *Vendita* tab of a contact carrying the sales tag, edited
//! and deleted under the rules of SPEC §2 (a member only touches his own sellers' sales), every
//! change kept in the sale's history, concurrent edits refused with the current values.

pub mod history;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

#[cfg(feature = "ssr")]
use crate::auth::ssr::require_user;
use crate::catalog::{CategoryNode, ProductId, ProductRow};
use crate::codec::TextJson;
use crate::config::StageProbabilities;
use crate::config::lost_reasons::LostReasonRef;
use crate::error::AppResult;
use crate::ids::ContactId;
use crate::money::{Money, Percent, Quantity};
use crate::sellers::SellerId;
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::codes::{HistoryAction, Stage};
pub use history::{HistoryField, HistoryValue};

pub use crate::ids::SaleId;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductRef {
    pub id: ProductId,
    pub code: String,
    pub name: String,
    pub unit: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerRef {
    pub id: SellerId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sale {
    pub id: SaleId,
    pub contact: ContactId,
    pub product: ProductRef,
    pub seller: SellerRef,
    pub quantity: Quantity,
    pub unit_price: Money,
    pub discount: Percent,
    pub vat_rate: Percent,
    /// Computed on the server: quantity × price − discount.
    pub net: Money,
    /// Computed on the server: net + VAT.
    pub gross: Money,
    pub stage: Stage,
    /// Whole percent, 0..=100.
    pub probability: i32,
    pub sale_date: NaiveDate,
    pub expected_close: Option<NaiveDate>,
    /// Set when the sale moves to won or lost.
    pub closed_date: Option<NaiveDate>,
    /// Why a lost sale was lost, and the note beside it.
    pub lost_reason: Option<LostReasonRef>,
    pub lost_note: Option<String>,
    pub notes: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

/// The figures above the list: over every sale of the contact the user may see.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleTotals {
    pub won: Money,
    pub won_count: u64,
    /// Net amount of the open sales (lead, negotiation, proposal).
    pub open: Money,
    pub open_count: u64,
    /// Σ net × probability of the open sales, rounded once to the cent.
    pub weighted: Money,
    pub lost_count: u64,
}

/// Where the next page of a contact's sales starts: before this (sale date, id), newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleCursor {
    pub sale_date: NaiveDate,
    pub id: SaleId,
}

impl SaleCursor {
    pub fn encode(&self) -> String {
        format!("{}:{}", self.sale_date, self.id.0)
    }

    pub fn decode(text: &str) -> Option<SaleCursor> {
        let (date, id) = text.split_once(':')?;
        Some(SaleCursor { sale_date: date.parse().ok()?, id: SaleId(id.parse().ok()?) })
    }
}

/// Sales listed per page on the *Vendita* tab.
pub const SALES_PAGE: u64 = 50;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesTab {
    pub sales: Vec<Sale>,
    pub totals: SaleTotals,
    pub next: Option<SaleCursor>,
    pub currency: String,
}

/// What the new-sale form offers: the sellers the user may choose (his own first), the category
/// tree for the product picker and the stage probabilities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleFormOptions {
    pub sellers: Vec<SellerRef>,
    pub default_seller: Option<SellerId>,
    pub categories: Vec<CategoryNode>,
    pub probabilities: StageProbabilities,
    pub currency: String,
    /// The lost reasons offered, in order.
    pub lost_reasons: Vec<LostReasonRef>,
}

/// A sale as typed in the form: the single form type of a sale, sent as it is by the page
/// (its fields are the form's field names) and validated, with its totals computed, on the
/// server (`ssr::validate`). A field left out is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SaleForm {
    pub product: String,
    pub seller: String,
    pub quantity: String,
    pub unit_price: String,
    pub discount: String,
    pub vat_rate: String,
    pub stage: String,
    /// Empty: the stage's default.
    pub probability: String,
    /// A day as either language writes it (`i18n::parse_day`); empty: today.
    pub sale_date: String,
    pub expected_close: String,
    /// For a won or lost sale: the day it closed. Empty: the day it already has, or today.
    pub closed_date: String,
    /// For a lost sale: the reason's id (what the page sends) or its name in any case.
    pub lost_reason: String,
    pub lost_note: String,
    pub notes: String,
}

impl SaleForm {
    /// The form filled with a saved sale, as the page edits it and as a stage move starts from.
    pub fn of(sale: &Sale) -> SaleForm {
        let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        SaleForm {
            product: sale.product.id.0.to_string(),
            seller: sale.seller.id.0.to_string(),
            quantity: sale.quantity.to_input_string(),
            unit_price: sale.unit_price.to_input_string(),
            discount: sale.discount.to_input_string(),
            vat_rate: sale.vat_rate.to_input_string(),
            stage: sale.stage.code().into(),
            probability: sale.probability.to_string(),
            sale_date: sale.sale_date.to_string(),
            expected_close: day(sale.expected_close),
            closed_date: day(sale.closed_date),
            lost_reason: sale.lost_reason.as_ref().map(|r| r.id.0.to_string()).unwrap_or_default(),
            lost_note: sale.lost_note.clone().unwrap_or_default(),
            notes: sale.notes.clone().unwrap_or_default(),
        }
    }
}

/// One line of a sale's history: who, when, which field, old → new.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    pub user: String,
    pub action: HistoryAction,
    /// The field that changed; none for a create or delete.
    pub field: Option<HistoryField>,
    /// Before and after (empty: no value); a create has only `new`, a delete only `old`.
    pub old: Option<HistoryValue>,
    pub new: Option<HistoryValue>,
}

// ---------------------------------------------------------------- server functions

#[server(endpoint = "sales_tab", output = TextJson)]
pub async fn get_sales_tab(contact: i64, after: Option<String>) -> AppResult<SalesTab> {
    let (state, me) = require_user().await?;
    let after = ssr::parse_cursor(after.as_deref())?;
    ssr::list_for_contact(&state.db, &me, ContactId(contact), after).await
}

#[server(endpoint = "sales_form_options", output = TextJson)]
pub async fn get_sale_form_options() -> AppResult<SaleFormOptions> {
    let (state, me) = require_user().await?;
    ssr::form_options(&state.db, &me).await
}

/// Only active products: an inactive one is not offered for new sales.
#[server(endpoint = "sales_products", output = TextJson)]
pub async fn sale_products(search: Option<String>, category: Option<String>) -> AppResult<Vec<ProductRow>> {
    let (state, me) = require_user().await?;
    ssr::products(&state.db, &me, search.as_deref().unwrap_or_default(), category.as_deref()).await
}

#[server(endpoint = "sales_get", output = TextJson)]
pub async fn get_sale(id: i64) -> AppResult<Sale> {
    let (state, me) = require_user().await?;
    ssr::get(&state.db, &me, SaleId(id)).await
}

#[server(endpoint = "sales_create", output = TextJson)]
pub async fn create_sale(contact: i64, #[server(flatten)] form: SaleForm) -> AppResult<Sale> {
    let (state, me) = require_user().await?;
    ssr::create(&state.db, &me, ContactId(contact), &form).await
}

#[server(endpoint = "sales_update", output = TextJson)]
pub async fn update_sale(id: i64, version: i32, #[server(flatten)] form: SaleForm) -> AppResult<Sale> {
    let (state, me) = require_user().await?;
    ssr::update(&state.db, &me, SaleId(id), version, &form).await
}

#[server(endpoint = "sales_delete", output = TextJson)]
pub async fn delete_sale(id: i64, version: i32) -> AppResult<()> {
    let (state, me) = require_user().await?;
    ssr::delete(&state.db, &me, SaleId(id), version).await
}

#[server(endpoint = "sales_history", output = TextJson)]
pub async fn sale_history(id: i64) -> AppResult<Vec<HistoryEntry>> {
    let (state, me) = require_user().await?;
    ssr::history(&state.db, &me, SaleId(id)).await
}

/// Moves a sale to another stage from the sales list or the board: the form's own rule on the sale
/// as it is (version-checked; lost needs a reason, the note is optional; won and lost close on
/// `closed_date`, default today).
#[server(endpoint = "sales_move", output = TextJson)]
pub async fn move_sale(
    id: i64,
    version: i32,
    stage: String,
    closed_date: Option<String>,
    lost_reason: Option<String>,
    lost_note: Option<String>,
) -> AppResult<Sale> {
    let (state, me) = require_user().await?;
    let change = ssr::StageMove {
        stage: &stage,
        closed_date: closed_date.as_deref().unwrap_or_default(),
        lost_reason: lost_reason.as_deref().unwrap_or_default(),
        lost_note: lost_note.as_deref().unwrap_or_default(),
    };
    ssr::move_stage(&state.db, &me, SaleId(id), version, change).await
}
