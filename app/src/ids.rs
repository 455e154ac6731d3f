//! The ids of the rows, one type per table: the number the database gave a row, written as that
//! number (in JSON, forms and query strings). Every layer names rows by them; each domain
//! re-exports its own.

use serde::{Deserialize, Serialize};

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

ids!(UserId, SellerId, CategoryId, ProductId, TagId, LostReasonId, ContactId, SaleId, OfferId);
