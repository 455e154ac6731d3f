//! The catalogue on the server: the category tree and the products.

mod categories;
mod products;

pub use categories::*;
pub use products::*;
