//! Vendita: the sales module of a small-business CRM. One module per domain, each holding its
//! types, server functions, components and (behind `ssr`) its server-only logic.

// The release WASM build computes the layout of the Vendita tab's nested view types deeper than
// the default 128.
#![recursion_limit = "256"]

pub mod auth;
pub mod config;
pub mod contacts;
pub mod error;
pub mod form;
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
