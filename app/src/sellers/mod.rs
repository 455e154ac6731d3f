//! Sellers (*venditori*), a step of the CRM configuration: a user seller (one user, once) or a
//! generic seller (a team, an office, an agency) with optional member users. Everybody signed in
//! reads them; only managers and admins change them (decided in `ssr`).

pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::auth::UserId;
#[cfg(feature = "ssr")]
use crate::auth::ssr::require_user;
use crate::codec::TextJson;
pub use crate::codes::SellerKind;
use crate::error::AppResult;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::ids::SellerId;

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

// ---------------------------------------------------------------- server functions

#[server(endpoint = "config_sellers", output = TextJson)]
pub async fn list_sellers() -> AppResult<Vec<SellerRow>> {
    let (state, me) = require_user().await?;
    ssr::list_sellers(&state.db, &me).await
}

#[server(endpoint = "config_seller_candidates", output = TextJson)]
pub async fn seller_candidates() -> AppResult<Vec<SellerCandidate>> {
    let (state, me) = require_user().await?;
    ssr::seller_candidates(&state.db, &me).await
}

/// `kind` is `user` (with `user`, optional `name`) or `generic` (with `name`, optional `members[]`).
#[server(endpoint = "config_create_seller", output = TextJson)]
pub async fn create_seller(kind: String, name: Option<String>, user: Option<String>, members: Option<Vec<i64>>) -> AppResult<SellerRow> {
    let (state, me) = require_user().await?;
    let new = ssr::parse_new_seller(&kind, name.unwrap_or_default(), user.as_deref(), members.unwrap_or_default())?;
    ssr::create_seller(&state.db, &me, new).await
}

#[server(endpoint = "config_rename_seller", output = TextJson)]
pub async fn rename_seller(id: i64, version: i32, name: String) -> AppResult<SellerRow> {
    let (state, me) = require_user().await?;
    ssr::rename_seller(&state.db, &me, SellerId(id), version, &name).await
}

#[server(endpoint = "config_set_seller_members", output = TextJson)]
pub async fn set_seller_members(id: i64, version: i32, members: Option<Vec<i64>>) -> AppResult<SellerRow> {
    let (state, me) = require_user().await?;
    let members = members.unwrap_or_default().into_iter().map(UserId).collect();
    ssr::set_seller_members(&state.db, &me, SellerId(id), version, members).await
}

#[server(endpoint = "config_set_seller_active", output = TextJson)]
pub async fn set_seller_active(id: i64, version: i32, active: bool) -> AppResult<SellerRow> {
    let (state, me) = require_user().await?;
    ssr::set_seller_active(&state.db, &me, SellerId(id), version, active).await
}

#[server(endpoint = "config_delete_seller", output = TextJson)]
pub async fn delete_seller(id: i64, version: i32) -> AppResult<()> {
    let (state, me) = require_user().await?;
    ssr::delete_seller(&state.db, &me, SellerId(id), version).await
}
