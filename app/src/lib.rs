//! Vendita: the sales module of a small-business CRM. One module per domain, each holding its
//! types, server functions, components and (behind `ssr`) its server-only logic.

// The release WASM build computes the layout of the Vendita tab's nested view types deeper than
// the default 128.
#![recursion_limit = "256"]

pub mod account;
pub mod auth;
pub mod catalog;
pub mod codec;
pub mod codes;
pub mod commissions;
pub mod config;
pub mod contacts;
pub mod desk;
pub mod error;
pub mod exports;
pub mod figures;
pub mod form;
pub mod i18n;
pub mod ids;
pub mod import;
pub mod money;
pub mod offers;
#[cfg(feature = "ssr")]
pub mod pdf;
pub mod reports;
pub mod sales;
pub mod sellers;
pub mod shell;
pub mod targets;
pub mod ui;
pub mod users;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod state;

pub use shell::{App, shell};
