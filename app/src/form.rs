//! What the form types of the entities share (`ContactForm`, `SaleForm`, `ProductForm`): each is
//! its server function's single argument, flattened, so its fields are the form's field names, as
//! a browser posts them (URL-encoded: every value arrives as text).

use crate::error::{AppError, AppResult, Field, Problem};
use serde::{Deserialize, Deserializer};

/// A list of ids from a form's checkboxes (`tags[]=3&tags[]=7`): each value arrives as text, or
/// as a number when the caller sends JSON. A value that is not a whole number refuses the request
/// (400): no page sends one.
pub fn ids<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: From<i64>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        Number(i64),
        Text(String),
    }
    Vec::<Id>::deserialize(deserializer)?
        .into_iter()
        .map(|id| match id {
            Id::Number(n) => Ok(T::from(n)),
            Id::Text(text) => text.trim().parse::<i64>().map(T::from).map_err(|_| serde::de::Error::custom(format!("not an id: {text:?}"))),
        })
        .collect()
}

/// A trimmed, required text of at most `max` characters.
pub fn required_text(field: Field, value: &str, max: usize) -> AppResult<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(AppError::invalid(field, Problem::Required));
    }
    if value.chars().count() > max {
        return Err(AppError::invalid(field, Problem::TooLong));
    }
    Ok(value.to_string())
}

/// Percent-encodes a query-string value.
pub fn url_encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
