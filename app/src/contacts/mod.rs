//! The address book (*Rubrica*): contacts (a person or a company), their tags, the list with
//! search, tag filter and keyset paging, and the contact card with its tabs.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod tags;

#[cfg(feature = "ssr")]
use crate::auth::ssr::require_user;
use crate::codec::TextJson;
pub use crate::codes::ContactKind;
use crate::config::TagId;
use crate::error::AppResult;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::ids::ContactId;

/// A tag as contacts carry it. System tags (*Clienti*, *Fornitori*) cannot be deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagRef {
    pub id: TagId,
    pub name: String,
    pub system: bool,
}

/// A tag with the number of contacts carrying it (the tags page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagUsage {
    pub tag: TagRef,
    pub contacts: u64,
}

/// A contact as the card shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: ContactId,
    pub kind: ContactKind,
    pub name: String,
    pub company: Option<String>,
    pub vat_number: Option<String>,
    pub tax_code: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub province: Option<String>,
    pub country: String,
    pub notes: Option<String>,
    pub tags: Vec<TagRef>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
    /// The contact carries the configured sales tag: the card shows the *Vendita* tab.
    pub sales_tab: bool,
}

/// One line of the address-book list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactRow {
    pub id: ContactId,
    pub kind: ContactKind,
    pub name: String,
    pub company: Option<String>,
    pub email: Option<String>,
    pub vat_number: Option<String>,
    pub city: Option<String>,
    pub tags: Vec<String>,
}

/// Where the next page starts: after this (lower-case name, id). Keyset paging: no OFFSET, no count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactCursor {
    pub name_key: String,
    pub id: ContactId,
}

impl ContactCursor {
    /// As it travels in the URL: `id:name`.
    pub fn encode(&self) -> String {
        format!("{}:{}", self.id.0, self.name_key)
    }

    pub fn decode(text: &str) -> Option<ContactCursor> {
        let (id, name) = text.split_once(':')?;
        Some(ContactCursor { name_key: name.to_string(), id: ContactId(id.parse().ok()?) })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactQuery {
    /// Matches name, company, e-mail, VAT number and city (any part, any case).
    pub search: String,
    pub tag: Option<TagId>,
    pub after: Option<ContactCursor>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactPage {
    pub rows: Vec<ContactRow>,
    /// Set when more rows follow.
    pub next: Option<ContactCursor>,
}

/// Rows per page of the address book.
pub const PAGE_SIZE: u64 = 50;

/// A contact as typed in the form: the single form type of a contact, sent as it is by the page
/// (its fields are the form's field names, `crate::form`) and validated on the server
/// (`ssr::validate`). A field left out is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactForm {
    pub kind: String,
    pub name: String,
    pub company: String,
    pub vat_number: String,
    pub tax_code: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub postcode: String,
    pub city: String,
    pub province: String,
    pub country: String,
    pub notes: String,
    #[serde(deserialize_with = "crate::form::ids")]
    pub tags: Vec<TagId>,
    /// New user tags to create and assign, separated by commas.
    pub new_tags: String,
}

/// Not an error: something the user should look at (the contact is saved anyway).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContactWarning {
    SameVatNumber { id: ContactId, name: String },
    SameEmail { id: ContactId, name: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedContact {
    pub contact: Contact,
    pub warnings: Vec<ContactWarning>,
}

// ---------------------------------------------------------------- server functions

#[server(endpoint = "contacts_list", output = TextJson)]
pub async fn list_contacts(search: Option<String>, tag: Option<String>, after: Option<String>) -> AppResult<ContactPage> {
    let (state, me) = require_user().await?;
    let query = ssr::parse_query(search.as_deref(), tag.as_deref(), after.as_deref())?;
    ssr::list(&state.db, &me, &query).await
}

#[server(endpoint = "contacts_get", output = TextJson)]
pub async fn get_contact(id: i64) -> AppResult<Contact> {
    let (state, me) = require_user().await?;
    ssr::get(&state.db, &me, ContactId(id)).await
}

#[server(endpoint = "contacts_create", output = TextJson)]
pub async fn create_contact(#[server(flatten)] form: ContactForm) -> AppResult<SavedContact> {
    let (state, me) = require_user().await?;
    ssr::create(&state.db, &me, &form).await
}

#[server(endpoint = "contacts_update", output = TextJson)]
pub async fn update_contact(id: i64, version: i32, #[server(flatten)] form: ContactForm) -> AppResult<SavedContact> {
    let (state, me) = require_user().await?;
    ssr::update(&state.db, &me, ContactId(id), version, &form).await
}

#[server(endpoint = "contacts_delete", output = TextJson)]
pub async fn delete_contact(id: i64, version: i32) -> AppResult<()> {
    let (state, me) = require_user().await?;
    ssr::delete(&state.db, &me, ContactId(id), version).await
}

#[server(endpoint = "tags_list", output = TextJson)]
pub async fn list_tags() -> AppResult<Vec<TagRef>> {
    let (state, me) = require_user().await?;
    ssr::list_tags(&state.db, &me).await
}

#[server(endpoint = "tags_delete", output = TextJson)]
pub async fn delete_tag(id: i64) -> AppResult<()> {
    let (state, me) = require_user().await?;
    ssr::delete_tag(&state.db, &me, TagId(id)).await
}

#[server(endpoint = "tags_usage", output = TextJson)]
pub async fn list_tag_usage() -> AppResult<Vec<TagUsage>> {
    let (state, me) = require_user().await?;
    ssr::tag_usage(&state.db, &me).await
}

#[server(endpoint = "tags_rename", output = TextJson)]
pub async fn rename_tag(id: i64, name: String) -> AppResult<TagRef> {
    let (state, me) = require_user().await?;
    ssr::rename_tag(&state.db, &me, TagId(id), &name).await
}

#[server(endpoint = "tags_merge", output = TextJson)]
pub async fn merge_tags(from: i64, into: i64) -> AppResult<()> {
    let (state, me) = require_user().await?;
    ssr::merge_tags(&state.db, &me, TagId(from), TagId(into)).await
}
