//! SeaORM entities, one per table of `migration::m20261128_000001_schema`.
//!
//! Conventions: ids are `i64`, instants are `DateTimeUtc` (`chrono::DateTime<Utc>`), calendar dates
//! are `Date` (`chrono::NaiveDate`), money is `i64` cents, quantities `i64` thousandths, percentages
//! `i32` basis points. Nullable columns are `Option<_>`.

pub mod users;
pub mod sessions;
pub mod login_attempts;
pub mod tags;
pub mod contacts;
pub mod contact_tags;
pub mod crm_settings;
pub mod sellers;
pub mod seller_members;
pub mod categories;
pub mod products;
pub mod sales;
pub mod sale_history;
