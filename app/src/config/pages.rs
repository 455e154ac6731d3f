//! The configuration pages.
