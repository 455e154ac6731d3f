//! What a sale's history keeps: which field changed, from which value to which, as typed values
//! (a sum of money, a quantity, a stage …), shown in the reader's language when read. Entries
//! written before values were typed hold Italian-formatted text: they still read, as stored.

use super::Stage;
pub use crate::codes::HistoryField;
use crate::i18n::{Lang, Msg};
use crate::money::{Money, Percent, Quantity};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The import (batch) a sale came from, and its file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedFrom {
    pub batch: i64,
    pub file: String,
}

/// A value as the history keeps it (stored as JSON text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HistoryValue {
    Money(Money),
    Quantity(Quantity),
    Percent(Percent),
    Stage(Stage),
    /// A probability, in percent.
    Probability(i32),
    Date(NaiveDate),
    /// A name (product, seller) or free text (lost reason, notes).
    Text(String),
    /// The whole sale in one line, for its creation and its deletion; an imported sale's names the
    /// import it came from.
    Sale {
        product: String,
        quantity: Quantity,
        unit_price: Money,
        stage: Stage,
        seller: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        import: Option<ImportedFrom>,
    },
    /// The offer that created or moved the sale, by its number ("2026/0007 rev. 2").
    Offer(String),
    /// Written before values were typed: Italian-formatted text, shown as stored.
    Legacy(String),
}

impl HistoryValue {
    /// The stored text: JSON.
    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A stored text: JSON, or the text of an entry written before values were typed.
    pub fn decode(stored: &str) -> HistoryValue {
        serde_json::from_str(stored).unwrap_or_else(|_| HistoryValue::Legacy(stored.to_string()))
    }

    /// As the reader expects it, in his language (sums without the currency, as in the table).
    pub fn text(&self, lang: Lang) -> String {
        match self {
            HistoryValue::Money(m) => m.number(lang),
            HistoryValue::Quantity(q) => q.number(lang),
            HistoryValue::Percent(p) => p.text(lang),
            HistoryValue::Stage(s) => s.label().text(lang).to_string(),
            HistoryValue::Probability(p) => format!("{p} %"),
            HistoryValue::Date(d) => lang.date(*d),
            HistoryValue::Text(t) | HistoryValue::Offer(t) => t.clone(),
            HistoryValue::Sale { product, quantity, unit_price, stage, seller, import } => {
                let line = format!("{product} · {} × {} · {} · {seller}", quantity.number(lang), unit_price.number(lang), stage.label().text(lang));
                match import {
                    Some(from) => {
                        format!(
                            "{line} · {}",
                            Msg::HistoryImportBatch.text(lang).replace("{n}", &from.batch.to_string()).replace("{file}", &from.file)
                        )
                    }
                    None => line,
                }
            }
            // The old one-line summaries held stage codes: read out in the reader's language.
            HistoryValue::Legacy(text) => {
                text.split(" · ").map(|part| Stage::from_code(part).map(|s| s.label().text(lang)).unwrap_or(part)).collect::<Vec<_>>().join(" · ")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_in_the_readers_language_and_old_text_still_reads() {
        let net = HistoryValue::Money(Money(123_456));
        assert_eq!(HistoryValue::decode(&net.encode()), net);
        assert_ne!(net.text(Lang::It), net.text(Lang::En));
        assert!(net.text(Lang::It).contains("1.234,56"), "{}", net.text(Lang::It));
        assert!(net.text(Lang::En).contains("1,234.56"), "{}", net.text(Lang::En));
        assert_eq!(HistoryValue::Stage(Stage::Won).text(Lang::En), Stage::Won.label().text(Lang::En));
        // Text stored before values were typed.
        assert_eq!(HistoryValue::decode("200,00"), HistoryValue::Legacy("200,00".into()));
        assert_eq!(HistoryValue::decode("2"), HistoryValue::Legacy("2".into()));
        let summary = HistoryValue::decode("CONS Consulenza · 2 × 80,00 · won · Marco");
        assert_eq!(summary.text(Lang::It), format!("CONS Consulenza · 2 × 80,00 · {} · Marco", Stage::Won.label().text(Lang::It)));
    }
}
