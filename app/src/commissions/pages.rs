//! The commissions pages.
