//! Vendita: the sales module of a small-business CRM. One module per domain, each holding its
//! types, server functions, components and (behind `ssr`) its server-only logic.

// The release WASM build computes the layout of the Vendita tab's nested view types deeper than
// the default 128.
#![recursion_limit = "256"]

/// Declares id types (`ids!(SellerId)`): the number the database gave a row, written as that
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

pub mod auth;
pub mod catalog;
pub mod codec;
pub mod config;
pub mod contacts;
pub mod desk;
pub mod error;
pub mod exports;
pub mod form;
pub mod i18n;
pub mod import;
pub mod money;
pub mod reports;
pub mod sales;
pub mod sellers;
pub mod shell;
pub mod targets;
pub mod users;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod state;

pub use shell::{App, shell};
