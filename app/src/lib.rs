//! Vendita: the sales module of a small-business CRM. One module per domain, each holding its
//! types, server functions, components and (behind `ssr`) its server-only logic.

// The release WASM build computes the layout of the Vendita tab's nested view types deeper than
// the default 128.
#![recursion_limit = "256"]
// The browser's stubs of the server functions that take a form field by field (contacts, sales,
// products) do not carry the `allow` written on the function; one form type per entity removes them.
#![cfg_attr(feature = "hydrate", allow(clippy::too_many_arguments))]

pub mod auth;
pub mod config;
pub mod contacts;
pub mod error;
pub mod i18n;
pub mod money;
pub mod reports;
pub mod sales;
pub mod shell;
pub mod users;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod state;

pub use shell::{App, shell};
