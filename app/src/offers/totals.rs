//! An offer's figures, computed one way for the server's record and the page's preview:
//!
//! * a discount is a percentage or a cascade of them ("10+5"): the effective discount is
//!   1 − Π(1 − dᵢ), rounded half away from zero to the basis point (0,01 %): "10+5" is 14,50 %,
//!   "10+5+3,33" is 17,35 %;
//! * a line's net is a sale's: quantity × unit price × (1 − effective discount), rounded to the
//!   cent ([`line_totals`]), so the sale an offer's line becomes carries the line's net exactly;
//! * per VAT rate: taxable = Σ the nets of its lines, VAT = taxable × rate rounded once per rate
//!   (as the invoice's VAT summary);
//! * total = Σ taxable + Σ VAT.
//!
//! Every rounding is [`div_round`]; nothing here touches floating point.

use crate::i18n::Lang;
use crate::money::{Money, MoneyParseError, Percent, div_round, line_totals};
use serde::{Deserialize, Serialize};

/// At most this many steps in a cascade ("10+5+3+2+1").
pub const MAX_CASCADE_STEPS: usize = 5;

/// A discount as typed: one percentage or a cascade, with its effective percentage.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discount {
    steps: Vec<Percent>,
    effective: Percent,
}

/// Why a discount was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscountError {
    /// A step is not a number with at most two decimals.
    Invalid,
    /// A step below 0 % or above 100 %.
    OutOfRange,
    /// More than [`MAX_CASCADE_STEPS`] steps.
    TooManySteps,
}

impl Discount {
    /// No discount.
    pub const NONE: Discount = Discount { steps: Vec::new(), effective: Percent::ZERO };

    /// "", "10", "10,5", "10+5", "10 + 5 %": each step 0–100 %, two decimals at most.
    pub fn parse(text: &str) -> Result<Discount, DiscountError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(Discount::NONE);
        }
        let steps = text
            .split('+')
            .map(|step| match Percent::parse(step) {
                Ok(p) if (Percent::ZERO..=Percent::FULL).contains(&p) => Ok(p),
                Ok(_) | Err(MoneyParseError::OutOfRange) => Err(DiscountError::OutOfRange),
                Err(_) => Err(DiscountError::Invalid),
            })
            .collect::<Result<Vec<_>, _>>()?;
        if steps.len() > MAX_CASCADE_STEPS {
            return Err(DiscountError::TooManySteps);
        }
        Ok(Discount::of_steps(steps))
    }

    /// A single percentage (a sale's discount).
    pub fn single(p: Percent) -> Discount {
        if p == Percent::ZERO { Discount::NONE } else { Discount::of_steps(vec![p]) }
    }

    fn of_steps(steps: Vec<Percent>) -> Discount {
        // Π(10000 − dᵢ) over k steps is scaled by 10000^k; k ≤ 5 keeps it under 10^20.
        let full = 10_000i128;
        let scale = full.pow(steps.len().saturating_sub(1) as u32);
        let product: i128 = steps.iter().map(|p| full - p.0 as i128).product();
        let effective = if steps.is_empty() { 0 } else { div_round(full.pow(steps.len() as u32) - product, scale) };
        Discount { steps, effective: Percent(effective as i32) }
    }

    pub fn effective(&self) -> Percent {
        self.effective
    }

    pub fn is_cascade(&self) -> bool {
        self.steps.len() > 1
    }

    /// As the reader writes it: "10+5" or "10,5+2" (Italian), "10.5+2" (English); "" for none.
    pub fn text(&self, lang: Lang) -> String {
        self.steps
            .iter()
            .map(|p| match lang {
                Lang::It => p.to_string(),
                Lang::En => p.to_string_en(),
            })
            .collect::<Vec<_>>()
            .join("+")
    }

    /// As stored and typed back into a field ("10,5+2"), read by [`Discount::parse`].
    pub fn code(&self) -> String {
        self.steps.iter().map(|p| p.to_input_string()).collect::<Vec<_>>().join("+")
    }
}

/// A priced line's net and VAT rate, what the totals are made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Priced {
    pub net: Money,
    pub vat_rate: Percent,
}

/// A line's net: the sale's rule ([`line_totals`]) with the discount's effective percentage.
pub fn line_net(quantity: crate::money::Quantity, unit_price: Money, discount: &Discount) -> Money {
    line_totals(quantity, unit_price, discount.effective(), Percent::ZERO).0
}

/// One row of the VAT summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VatRow {
    pub rate: Percent,
    pub taxable: Money,
    pub vat: Money,
}

/// An offer's totals: the VAT summary by rate (lowest rate first), taxable, VAT and total.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferTotals {
    pub vat_rows: Vec<VatRow>,
    pub taxable: Money,
    pub vat: Money,
    pub total: Money,
}

/// The totals of priced lines, or `None` if a sum leaves `i64` (the domain's bounds on lines and
/// their number keep every real offer far below).
pub fn totals(lines: impl IntoIterator<Item = Priced>) -> Option<OfferTotals> {
    let mut by_rate: std::collections::BTreeMap<Percent, i128> = std::collections::BTreeMap::new();
    for line in lines {
        *by_rate.entry(line.vat_rate).or_default() += line.net.0 as i128;
    }
    let mut out = OfferTotals::default();
    for (rate, taxable) in by_rate {
        let vat = div_round(taxable * rate.0 as i128, 10_000);
        let row = VatRow { rate, taxable: Money(i64::try_from(taxable).ok()?), vat: Money(i64::try_from(vat).ok()?) };
        out.taxable = out.taxable.checked_add(row.taxable)?;
        out.vat = out.vat.checked_add(row.vat)?;
        out.vat_rows.push(row);
    }
    out.total = out.taxable.checked_add(out.vat)?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Quantity;

    #[test]
    fn a_cascade_of_discounts_is_one_effective_percentage() {
        assert_eq!(Discount::parse("10+5").unwrap().effective(), Percent(1450));
        assert_eq!(Discount::parse(" 10 + 5 % ").unwrap().effective(), Percent(1450));
        assert_eq!(Discount::parse("10+5+3,33").unwrap().effective(), Percent(1735));
        assert_eq!(Discount::parse("50+50").unwrap().effective(), Percent(7500));
        assert_eq!(Discount::parse("100+10").unwrap().effective(), Percent::FULL);
        assert_eq!(Discount::parse("").unwrap(), Discount::NONE);
        assert_eq!(Discount::parse("12,5").unwrap().effective(), Percent(1250));
        assert_eq!(Discount::parse("10+5").unwrap().text(Lang::It), "10+5");
        assert_eq!(Discount::parse("10.5+2").unwrap().code(), "10,5+2");
        assert_eq!(Discount::parse("10,5+2").unwrap().text(Lang::En), "10.5+2");
        assert_eq!(Discount::parse("10+").unwrap_err(), DiscountError::Invalid);
        assert_eq!(Discount::parse("+").unwrap_err(), DiscountError::Invalid);
        assert_eq!(Discount::parse("101").unwrap_err(), DiscountError::OutOfRange);
        assert_eq!(Discount::parse("-5").unwrap_err(), DiscountError::OutOfRange);
        assert_eq!(Discount::parse("1+1+1+1+1+1").unwrap_err(), DiscountError::TooManySteps);
        assert_eq!(Discount::parse("10,123").unwrap_err(), DiscountError::Invalid);
    }

    #[test]
    fn vat_is_rounded_once_per_rate() {
        // Three lines of 0,05 at 22 %: 0,011 VAT each would round to 0,01 three times (0,03);
        // on the rate's taxable of 0,15 it is 0,033 → 0,03. Two lines of 0,03 at 10 %: 0,006 → 0,01.
        let lines = [(5, 2200), (5, 2200), (5, 2200), (3, 1000), (3, 1000)].map(|(c, r)| Priced { net: Money(c), vat_rate: Percent(r) });
        let t = totals(lines).unwrap();
        assert_eq!(
            t.vat_rows,
            vec![VatRow { rate: Percent(1000), taxable: Money(6), vat: Money(1) }, VatRow { rate: Percent(2200), taxable: Money(15), vat: Money(3) }]
        );
        assert_eq!((t.taxable, t.vat, t.total), (Money(21), Money(4), Money(25)));
        assert_eq!(line_net(Quantity::units(3), Money(1999), &Discount::parse("10+5").unwrap()), Money(5127));
    }

    use proptest::prelude::*;

    /// The totals folded by hand, in exact fractions: each line's net from its cascade as a
    /// rational, rounded half up once (all values are positive); VAT per rate on the rate's sum.
    fn plain_fold(lines: &[(i64, i64, Vec<i32>, i32)]) -> (i128, i128) {
        let mut by_rate: std::collections::BTreeMap<i32, i128> = Default::default();
        for (qty_milli, price_cents, steps, rate) in lines {
            // Effective discount in bp, rounded half up: 10000 − Π(10000 − dᵢ) / 10000^(k−1).
            let k = steps.len() as u32;
            let kept: i128 = steps.iter().map(|d| 10_000 - *d as i128).product();
            let effective = if k == 0 { 0 } else { ((10_000i128.pow(k) - kept) * 2 + 10_000i128.pow(k - 1)) / (2 * 10_000i128.pow(k - 1)) };
            let scaled = *qty_milli as i128 * *price_cents as i128 * (10_000 - effective);
            let net = (scaled * 2 + 10_000_000) / 20_000_000;
            *by_rate.entry(*rate).or_default() += net;
        }
        let taxable: i128 = by_rate.values().sum();
        let vat: i128 = by_rate.iter().map(|(rate, t)| (t * *rate as i128 * 2 + 10_000) / 20_000).sum();
        (taxable, vat)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

        #[test]
        fn totals_equal_a_plain_fold(lines in prop::collection::vec(
            (1i64..=1_000_000, 0i64..=10_000_000, prop::collection::vec(0i32..=10_000, 0..=MAX_CASCADE_STEPS), prop::sample::select(vec![0, 400, 500, 1000, 2200])),
            0..40,
        )) {
            let priced: Vec<Priced> = lines
                .iter()
                .map(|(q, p, steps, rate)| {
                    let text = steps.iter().map(|d| Percent(*d).to_input_string()).collect::<Vec<_>>().join("+");
                    let discount = Discount::parse(&text).unwrap();
                    Priced { net: line_net(Quantity(*q), Money(*p), &discount), vat_rate: Percent(*rate) }
                })
                .collect();
            let t = totals(priced).unwrap();
            let (taxable, vat) = plain_fold(&lines);
            prop_assert_eq!(t.taxable.0 as i128, taxable);
            prop_assert_eq!(t.vat.0 as i128, vat);
            prop_assert_eq!(t.total.0 as i128, taxable + vat);
            prop_assert_eq!(t.vat_rows.iter().map(|r| r.taxable.0 as i128).sum::<i128>(), taxable);
        }
    }
}
