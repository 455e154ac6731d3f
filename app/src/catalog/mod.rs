//! The catalogue, a step of the CRM configuration: the category tree and the products sold.
//! Everybody signed in reads it; only managers and admins change it (decided in `ssr`).

pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

#[cfg(feature = "ssr")]
use crate::auth::ssr::require_user;
use crate::codec::TextJson;
use crate::error::AppResult;
use crate::money::{Money, Percent};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::ids::{CategoryId, ProductId};

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

#[server(endpoint = "config_categories", output = TextJson)]
pub async fn list_categories() -> AppResult<Vec<CategoryNode>> {
    let (state, me) = require_user().await?;
    ssr::list_categories(&state.db, &me).await
}

/// `parent` is a category id, or empty for a top-level category.
#[server(endpoint = "config_create_category", output = TextJson)]
pub async fn create_category(name: String, parent: Option<String>) -> AppResult<CategoryNode> {
    let (state, me) = require_user().await?;
    let parent = ssr::parse_category_ref(crate::error::Field::Parent, parent.as_deref())?;
    ssr::create_category(&state.db, &me, &name, parent).await
}

#[server(endpoint = "config_rename_category", output = TextJson)]
pub async fn rename_category(id: i64, version: i32, name: String) -> AppResult<CategoryNode> {
    let (state, me) = require_user().await?;
    ssr::rename_category(&state.db, &me, CategoryId(id), version, &name).await
}

#[server(endpoint = "config_move_category", output = TextJson)]
pub async fn move_category(id: i64, version: i32, parent: Option<String>) -> AppResult<CategoryNode> {
    let (state, me) = require_user().await?;
    let parent = ssr::parse_category_ref(crate::error::Field::Parent, parent.as_deref())?;
    ssr::move_category(&state.db, &me, CategoryId(id), version, parent).await
}

/// `direction` is `up` or `down`: one place among the siblings.
#[server(endpoint = "config_reorder_category", output = TextJson)]
pub async fn reorder_category(id: i64, version: i32, direction: String) -> AppResult<CategoryNode> {
    let (state, me) = require_user().await?;
    let direction = match direction.as_str() {
        "up" => Direction::Up,
        "down" => Direction::Down,
        _ => return Err(crate::error::AppError::BadRequest("direction".into())),
    };
    ssr::reorder_category(&state.db, &me, CategoryId(id), version, direction).await
}

#[server(endpoint = "config_delete_category", output = TextJson)]
pub async fn delete_category(id: i64, version: i32) -> AppResult<()> {
    let (state, me) = require_user().await?;
    ssr::delete_category(&state.db, &me, CategoryId(id), version).await
}

#[server(endpoint = "config_products", output = TextJson)]
pub async fn list_products(search: Option<String>, category: Option<String>) -> AppResult<Vec<ProductRow>> {
    let (state, me) = require_user().await?;
    let category = ssr::parse_category_ref(crate::error::Field::Category, category.as_deref())?;
    ssr::list_products(&state.db, &me, &ProductFilter { search: search.unwrap_or_default(), category }).await
}

#[server(endpoint = "config_create_product", output = TextJson)]
pub async fn create_product(#[server(flatten)] form: ProductForm) -> AppResult<ProductRow> {
    let (state, me) = require_user().await?;
    ssr::create_product(&state.db, &me, &form).await
}

#[server(endpoint = "config_update_product", output = TextJson)]
pub async fn update_product(id: i64, version: i32, #[server(flatten)] form: ProductForm) -> AppResult<ProductRow> {
    let (state, me) = require_user().await?;
    ssr::update_product(&state.db, &me, ProductId(id), version, &form).await
}

#[server(endpoint = "config_set_product_active", output = TextJson)]
pub async fn set_product_active(id: i64, version: i32, active: bool) -> AppResult<ProductRow> {
    let (state, me) = require_user().await?;
    ssr::set_product_active(&state.db, &me, ProductId(id), version, active).await
}
