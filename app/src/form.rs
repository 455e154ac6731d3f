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

/// A date as typed (`dd/mm/yyyy` or `yyyy-mm-dd`); empty is `None`.
pub fn optional_date(field: Field, text: &str) -> AppResult<Option<chrono::NaiveDate>> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    crate::i18n::parse_day(text).map(Some).ok_or(AppError::invalid(field, Problem::BadDate))
}

/// The problem a number field shows for why it did not parse.
pub fn number_problem(err: crate::money::MoneyParseError) -> Problem {
    use crate::money::MoneyParseError;
    match err {
        MoneyParseError::Empty => Problem::Required,
        MoneyParseError::TooManyDecimals { .. } => Problem::TooManyDecimals,
        MoneyParseError::Invalid | MoneyParseError::OutOfRange => Problem::Invalid,
    }
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
