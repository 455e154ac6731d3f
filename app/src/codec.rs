//! How the server functions' answers travel: JSON, as server_fn's own `Json` sends it, read in
//! the browser as text (`serde_json::from_str`), the reader the page's resources already use for
//! the data the server writes into the page. server_fn's `Json` reads bytes instead, a second
//! JSON reader that would be compiled into the WASM for every type an answer carries.

use leptos::server_fn::codec::Post;
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};
use serde::Serialize;
use serde::de::{DeserializeOwned, Error as _};

/// JSON, read as text; the encoding of every server function's answer (`output = TextJson`) and
/// of its errors.
pub struct JsonText;

/// A server function's answer: JSON in the body of the response to a `POST`.
pub type TextJson = Post<JsonText>;

impl ContentType for JsonText {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for JsonText {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for JsonText {
    type Error = serde_json::Error;

    fn encode(output: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(output).map(Bytes::from)
    }
}

impl<T: DeserializeOwned> Decodes<T> for JsonText {
    type Error = serde_json::Error;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        let text = std::str::from_utf8(&bytes).map_err(serde_json::Error::custom)?;
        serde_json::from_str(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Money;

    #[test]
    fn an_answer_reads_back_as_it_was_sent() {
        let sent: Result<Vec<(String, Money)>, String> = Ok(vec![
            ("Caffè Rossi".into(), Money::from_cents(123_456)),
            ("€ ½".into(), Money::from_cents(-1)),
            (String::new(), Money::from_cents(i64::MAX)),
        ]);
        let bytes = <JsonText as Encodes<_>>::encode(&sent).unwrap();
        let read: Result<Vec<(String, Money)>, String> = <JsonText as Decodes<_>>::decode(bytes).unwrap();
        assert_eq!(read, sent);
    }

    #[test]
    fn a_body_that_is_not_text_is_an_error_not_a_panic() {
        let read: Result<String, _> = <JsonText as Decodes<String>>::decode(Bytes::from_static(b"\"\xff\xfe\""));
        assert!(read.is_err());
        let read: Result<String, _> = <JsonText as Decodes<String>>::decode(Bytes::from_static(b"{\"truncated"));
        assert!(read.is_err());
    }
}
