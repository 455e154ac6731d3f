//! SeaORM entities, one per table of `migration::m20261128_000001_schema`.
//!
//! Conventions: ids are `i64`, instants are `DateTimeUtc` (`chrono::DateTime<Utc>`), calendar dates
//! are `Date` (`chrono::NaiveDate`), money is `i64` cents, quantities `i64` thousandths, percentages
//! `i32` basis points. Nullable columns are `Option<_>`.

pub mod categories;
pub mod collections;
pub mod commission_entries;
pub mod commission_modes;
pub mod commission_plans;
pub mod commission_rules;
pub mod commission_statements;
pub mod company_logo;
pub mod company_profile;
pub mod contact_tags;
pub mod contacts;
pub mod crm_settings;
pub mod enasarco_years;
pub mod exports;
pub mod import_batches;
pub mod import_rows;
pub mod login_attempts;
pub mod lost_reasons;
pub mod offer_lines;
pub mod offer_revisions;
pub mod offers;
pub mod products;
pub mod sale_history;
pub mod sales;
pub mod seller_members;
pub mod sellers;
pub mod sessions;
pub mod tags;
pub mod targets;
pub mod users;
