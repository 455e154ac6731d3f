//! Exact money, quantities and percentages: integers in minor units, never floating point.
//!
//! * [`Money`]: cents (`i64`), two decimals.
//! * [`Quantity`]: thousandths (`i64`), three decimals (`1.000` = 1000).
//! * [`Percent`]: basis points of a percent (`i32`), two decimals (`2200` = 22,00%).
//!
//! `parse` accepts what an Italian or an English user types ("1.234,50", "1,234.50", "1234.5",
//! "1234,5", "12", "€ 12,50", "22%") and refuses anything it would have to guess or round: a value
//! with more decimals than the type holds is an error, not a rounding. `Display` writes the Italian
//! form ("1.234,50"); [`Money::format`] and friends take other separators.
//!
//! How separators are read:
//! * both `.` and `,` present: the last one is the decimal separator, the other groups thousands;
//! * only `,`: one comma is the decimal separator ("1234,5"); several group thousands ("1,234,567");
//! * only `.`: several dots group thousands ("1.234.567"); one dot followed by exactly three digits
//!   after a non-zero group of 1–3 digits groups thousands ("1.500" = 1500, as `Display` writes it);
//!   any other single dot is the decimal separator ("1234.5", "0.500", "12.50");
//! * thousands groups must be well formed (1–3 digits, then groups of exactly 3).
//!
//! What people read comes from one place per type, in their language: [`Money::text`] (with the
//! currency: "€ 1.234,56", "€ 1,234.56", "1.234,56 CHF"), [`Money::number`], [`Percent::text`]
//! ("22%", "10,5%"), [`Quantity::number`]. Every rounding is [`div_round`].
//!
//! Pure `std` + serde + thiserror: compiles for the browser (WASM) and the server alike.

use crate::i18n::Lang;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

/// Why a typed amount was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum MoneyParseError {
    #[error("no number given")]
    Empty,
    #[error("not a valid number")]
    Invalid,
    #[error("too many decimal places (at most {max})")]
    TooManyDecimals { max: u32 },
    #[error("number out of range")]
    OutOfRange,
}

/// An amount in cents of the configured currency.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Money(pub i64);

/// A quantity in thousandths of the product's unit (`1000` = 1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Quantity(pub i64);

/// A percentage in basis points of a percent (`2200` = 22%, `1050` = 10,50%).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Percent(pub i32);

impl Money {
    pub const ZERO: Money = Money(0);
    /// Decimal places.
    pub const SCALE: u32 = 2;

    pub const fn from_cents(cents: i64) -> Self {
        Money(cents)
    }
    pub const fn cents(self) -> i64 {
        self.0
    }
    pub fn parse(input: &str) -> Result<Self, MoneyParseError> {
        let s = input.trim();
        let s = s.strip_prefix('€').or_else(|| s.strip_suffix('€')).unwrap_or(s);
        let s = s.strip_prefix("EUR").or_else(|| s.strip_suffix("EUR")).unwrap_or(s);
        parse_scaled(s, Self::SCALE).map(Money)
    }
    /// Formats with the given decimal and grouping separators, always two decimals.
    pub fn format(self, decimal: char, group: char) -> String {
        format_scaled(self.0 as i128, Self::SCALE, Self::SCALE, decimal, Some(group))
    }
    /// "1,234.50"
    pub fn to_string_en(self) -> String {
        self.format('.', ',')
    }
    /// The amount as a reader of `lang` writes it, without currency: "1.234,50" or "1,234.50".
    pub fn number(self, lang: Lang) -> String {
        match lang {
            Lang::It => self.to_string(),
            Lang::En => self.to_string_en(),
        }
    }
    /// The amount with its currency (an ISO code): "€ 1.234,50" for euros, "1.234,50 CHF" otherwise.
    pub fn text(self, lang: Lang, currency: &str) -> String {
        let number = self.number(lang);
        if currency == "EUR" { format!("€ {number}") } else { format!("{number} {currency}") }
    }
    /// A sum of net cents × whole percentages (the weighted forecast's terms), rounded once.
    pub fn from_weighted(cents_times_percent: i128) -> Money {
        Money(saturate(div_round(cents_times_percent, 100)))
    }
    /// For pre-filling an input: decimal comma, no grouping ("1234,50"); always parses back.
    pub fn to_input_string(self) -> String {
        format_scaled(self.0 as i128, Self::SCALE, Self::SCALE, ',', None)
    }
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }
    /// `self × percent`, rounded half away from zero to the cent (e.g. a weighted forecast).
    pub fn mul_percent(self, p: Percent) -> Money {
        Money(saturate(div_round(self.0 as i128 * p.0 as i128, 10_000)))
    }
}

impl Quantity {
    pub const ZERO: Quantity = Quantity(0);
    pub const ONE: Quantity = Quantity(1000);
    /// Decimal places.
    pub const SCALE: u32 = 3;

    pub const fn from_milli(milli: i64) -> Self {
        Quantity(milli)
    }
    pub const fn milli(self) -> i64 {
        self.0
    }
    /// A whole number of units.
    pub const fn units(n: i64) -> Self {
        Quantity(n * 1000)
    }
    pub fn parse(input: &str) -> Result<Self, MoneyParseError> {
        parse_scaled(input.trim(), Self::SCALE).map(Quantity)
    }
    /// Formats with the given separators and only the decimals needed ("1,5", "2", "0,125").
    pub fn format(self, decimal: char, group: char) -> String {
        format_scaled(self.0 as i128, Self::SCALE, 0, decimal, Some(group))
    }
    pub fn to_string_en(self) -> String {
        self.format('.', ',')
    }
    /// For pre-filling an input: decimal comma, no grouping ("1234,5"); always parses back.
    /// (English grouping is not safe here: "1,000" reads back as 1.)
    pub fn to_input_string(self) -> String {
        format_scaled(self.0 as i128, Self::SCALE, 0, ',', None)
    }
    /// The quantity as a reader of `lang` writes it: "1.234,5" or "1,234.5".
    pub fn number(self, lang: Lang) -> String {
        match lang {
            Lang::It => self.to_string(),
            Lang::En => self.to_string_en(),
        }
    }
}

impl Percent {
    pub const ZERO: Percent = Percent(0);
    /// 100%.
    pub const FULL: Percent = Percent(10_000);
    /// Decimal places.
    pub const SCALE: u32 = 2;

    pub const fn from_bp(bp: i32) -> Self {
        Percent(bp)
    }
    pub const fn bp(self) -> i32 {
        self.0
    }
    /// A whole percentage (`Percent::whole(22)` = 22%).
    pub const fn whole(n: i32) -> Self {
        Percent(n * 100)
    }
    pub fn parse(input: &str) -> Result<Self, MoneyParseError> {
        let s = input.trim();
        let s = s.strip_suffix('%').unwrap_or(s);
        let v = parse_scaled(s, Self::SCALE)?;
        i32::try_from(v).map(Percent).map_err(|_| MoneyParseError::OutOfRange)
    }
    /// Formats with the given separators and only the decimals needed ("22", "10,5"), no `%` sign.
    pub fn format(self, decimal: char, group: char) -> String {
        format_scaled(self.0 as i128, Self::SCALE, 0, decimal, Some(group))
    }
    pub fn to_string_en(self) -> String {
        self.format('.', ',')
    }
    /// For pre-filling an input: decimal comma, no grouping ("1234,5"); always parses back.
    /// (English grouping is not safe here: "1,000" reads back as 1.)
    pub fn to_input_string(self) -> String {
        format_scaled(self.0 as i128, Self::SCALE, 0, ',', None)
    }
    /// The percentage as a reader of `lang` writes it, with its sign: "22%", "10,5%" or "10.5%".
    pub fn text(self, lang: Lang) -> String {
        match lang {
            Lang::It => format!("{self}%"),
            Lang::En => format!("{}%", self.to_string_en()),
        }
    }
}

impl fmt::Display for Money {
    /// Italian style: "1.234,50".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format(',', '.'))
    }
}

impl fmt::Display for Quantity {
    /// Italian style: "1.234,5".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format(',', '.'))
    }
}

impl fmt::Display for Percent {
    /// Italian style without the sign: "10,5".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format(',', '.'))
    }
}

impl std::str::FromStr for Money {
    type Err = MoneyParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Money::parse(s)
    }
}

impl std::str::FromStr for Quantity {
    type Err = MoneyParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Quantity::parse(s)
    }
}

impl std::str::FromStr for Percent {
    type Err = MoneyParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Percent::parse(s)
    }
}

// Sums saturate instead of wrapping or panicking: with the line bounds ([`bounds`]) a sum of
// real sales never gets near the limit, and a figure at `i64::MAX` is visibly wrong, not a crash.
impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0.saturating_add(rhs.0))
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        *self = *self + rhs;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0.saturating_sub(rhs.0))
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        *self = *self - rhs;
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(self.0.saturating_neg())
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

impl<'a> Sum<&'a Money> for Money {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Money {
        iter.copied().sum()
    }
}

/// What one sale line may hold, so that no sum over the sales can overflow (in Rust or in either
/// database's `SUM`): a line's net is at most 10^10 cents and its net × probability (the weighted
/// forecast's term) at most 10^12, so the sums of a million lines at the maximum stay below
/// 10^18, under `i64::MAX` (≈ 9.2·10^18); nine million of them still fit.
pub mod bounds {
    use super::{Money, Quantity};
    /// 1 000 000 units.
    pub const MAX_QUANTITY: Quantity = Quantity(1_000_000_000);
    /// € 100 000 000,00 a unit.
    pub const MAX_UNIT_PRICE: Money = Money(10_000_000_000);
    /// € 100 000 000,00 net on one line (quantity × price − discount).
    pub const MAX_LINE_NET: Money = Money(10_000_000_000);
}

/// Net and gross totals of a sale line:
///
/// * net = quantity × unit price × (100% − discount), rounded half away from zero to the cent;
/// * VAT = net × VAT rate, rounded the same way (VAT is computed on the rounded net, as on an invoice);
/// * gross = net + VAT.
///
/// All arithmetic is in `i128`. A result beyond `i64` saturates; the domain layer bounds its inputs
/// (see [`checked_line_totals`] to detect it).
pub fn line_totals(qty: Quantity, unit_price: Money, discount: Percent, vat: Percent) -> (Money, Money) {
    let (net, gross) = raw_line_totals(qty, unit_price, discount, vat);
    (Money(saturate(net)), Money(saturate(gross)))
}

/// [`line_totals`], or `None` when a total does not fit in an `i64` of cents.
pub fn checked_line_totals(qty: Quantity, unit_price: Money, discount: Percent, vat: Percent) -> Option<(Money, Money)> {
    let (net, gross) = raw_line_totals(qty, unit_price, discount, vat);
    Some((Money(i64::try_from(net).ok()?), Money(i64::try_from(gross).ok()?)))
}

fn raw_line_totals(qty: Quantity, unit_price: Money, discount: Percent, vat: Percent) -> (i128, i128) {
    // |qty × price| < 2^126; × (10000 − discount) could overflow i128 only for absurd inputs,
    // so fall back to saturating multiplication there.
    let gross_line = qty.0 as i128 * unit_price.0 as i128; // cents × 1000
    let factor = 10_000i128 - discount.0 as i128; // basis points
    let scaled = gross_line.saturating_mul(factor); // cents × 1000 × 10000
    let net = div_round(scaled, 1000 * 10_000);
    let vat_amount = div_round(net.saturating_mul(vat.0 as i128), 10_000);
    (net, net.saturating_add(vat_amount))
}

/// `n / d` rounded half away from zero; `d > 0`. The one rounding of every computed figure.
pub fn div_round(n: i128, d: i128) -> i128 {
    debug_assert!(d > 0);
    let q = n / d;
    let r = n % d;
    if r.unsigned_abs() * 2 >= d.unsigned_abs() { if n < 0 { q - 1 } else { q + 1 } } else { q }
}

fn saturate(v: i128) -> i64 {
    i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX })
}

/// Parses a decimal number into an integer scaled by `10^scale`, refusing extra decimals.
fn parse_scaled(s: &str, scale: u32) -> Result<i64, MoneyParseError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(MoneyParseError::Empty);
    }
    let (negative, body) = match s.as_bytes()[0] {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if body.is_empty() {
        return Err(MoneyParseError::Invalid);
    }
    if !body.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',') {
        return Err(MoneyParseError::Invalid);
    }

    let dots = body.bytes().filter(|&b| b == b'.').count();
    let commas = body.bytes().filter(|&b| b == b',').count();

    // Which character separates decimals (if any) and which groups thousands (if any).
    let (decimal, group): (Option<u8>, Option<u8>) = match (dots, commas) {
        (0, 0) => (None, None),
        (_, 0) if dots >= 2 => (None, Some(b'.')),
        (1, 0) => {
            let (int, frac) = body.split_once('.').unwrap_or((body, ""));
            let looks_grouped = frac.len() == 3 && (1..=3).contains(&int.len()) && !int.starts_with('0');
            if looks_grouped { (None, Some(b'.')) } else { (Some(b'.'), None) }
        }
        (0, 1) => (Some(b','), None),
        (0, _) => (None, Some(b',')),
        _ => {
            // Both present: the last one is the decimal separator and must occur once.
            let last = body.bytes().rev().find(|&b| b == b'.' || b == b',').unwrap_or(b',');
            let (dec, grp) = if last == b',' { (b',', b'.') } else { (b'.', b',') };
            let dec_count = if dec == b',' { commas } else { dots };
            if dec_count != 1 {
                return Err(MoneyParseError::Invalid);
            }
            (Some(dec), Some(grp))
        }
    };

    let (int_part, frac_part) = match decimal {
        Some(d) => {
            let idx = body.bytes().position(|b| b == d).unwrap_or(body.len());
            (&body[..idx], &body[idx + 1..])
        }
        None => (body, ""),
    };
    if decimal.is_some() && frac_part.is_empty() {
        return Err(MoneyParseError::Invalid);
    }
    if frac_part.bytes().any(|b| !b.is_ascii_digit()) {
        return Err(MoneyParseError::Invalid);
    }

    let int_digits: String = match group {
        Some(g) if int_part.as_bytes().contains(&g) => {
            let groups: Vec<&str> = int_part.split(g as char).collect();
            let first_ok = (1..=3).contains(&groups[0].len());
            let rest_ok = groups[1..].iter().all(|grp| grp.len() == 3);
            let digits_ok = groups.iter().all(|grp| grp.bytes().all(|b| b.is_ascii_digit()));
            if !(first_ok && rest_ok && digits_ok) {
                return Err(MoneyParseError::Invalid);
            }
            groups.concat()
        }
        _ => {
            if int_part.bytes().any(|b| !b.is_ascii_digit()) {
                return Err(MoneyParseError::Invalid);
            }
            int_part.to_string()
        }
    };
    if int_digits.is_empty() && frac_part.is_empty() {
        return Err(MoneyParseError::Invalid);
    }

    // Trailing zeros beyond the scale are harmless ("12,500" for money is 12,50).
    let frac = frac_part.trim_end_matches('0');
    if frac.len() > scale as usize {
        return Err(MoneyParseError::TooManyDecimals { max: scale });
    }

    let mut value: i128 = 0;
    for b in int_digits.bytes() {
        value = value * 10 + (b - b'0') as i128;
        if value > i64::MAX as i128 {
            return Err(MoneyParseError::OutOfRange);
        }
    }
    let mut frac_value: i128 = 0;
    for i in 0..scale as usize {
        let digit = frac.as_bytes().get(i).map_or(0, |b| (b - b'0') as i128);
        frac_value = frac_value * 10 + digit;
    }
    let scaled = value.checked_mul(10i128.pow(scale)).and_then(|v| v.checked_add(frac_value)).ok_or(MoneyParseError::OutOfRange)?;
    let signed = if negative { -scaled } else { scaled };
    i64::try_from(signed).map_err(|_| MoneyParseError::OutOfRange)
}

/// Writes `value / 10^scale` with at least `min_decimals` decimals (trailing zeros beyond that dropped).
fn format_scaled(value: i128, scale: u32, min_decimals: u32, decimal: char, group: Option<char>) -> String {
    let pow = 10u128.pow(scale);
    let abs = value.unsigned_abs();
    let int = abs / pow;
    let frac = abs % pow;

    let int_str = int.to_string();
    let mut out = String::with_capacity(int_str.len() + int_str.len() / 3 + scale as usize + 2);
    if value < 0 {
        out.push('-');
    }
    let len = int_str.len();
    for (i, ch) in int_str.chars().enumerate() {
        if let Some(group) = group
            && i > 0
            && (len - i).is_multiple_of(3)
        {
            out.push(group);
        }
        out.push(ch);
    }

    let mut frac_str = format!("{:0width$}", frac, width = scale as usize);
    while frac_str.len() > min_decimals as usize && frac_str.ends_with('0') {
        frac_str.pop();
    }
    if !frac_str.is_empty() {
        out.push(decimal);
        out.push_str(&frac_str);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Result<i64, MoneyParseError> {
        Money::parse(s).map(|v| v.0)
    }
    fn q(s: &str) -> Result<i64, MoneyParseError> {
        Quantity::parse(s).map(|v| v.0)
    }
    fn p(s: &str) -> Result<i32, MoneyParseError> {
        Percent::parse(s).map(|v| v.0)
    }

    #[test]
    fn money_parses_italian_and_english() {
        assert_eq!(m("1.234,50"), Ok(123_450));
        assert_eq!(m("1234.5"), Ok(123_450));
        assert_eq!(m("1234,5"), Ok(123_450));
        assert_eq!(m("12"), Ok(1_200));
        assert_eq!(m("1,234.50"), Ok(123_450));
        assert_eq!(m("1.234.567,89"), Ok(123_456_789));
        assert_eq!(m("1,234,567.89"), Ok(123_456_789));
        assert_eq!(m("1.000.000"), Ok(100_000_000));
        assert_eq!(m("1.500"), Ok(150_000), "a single dot before three digits groups thousands");
        assert_eq!(m("0.500"), Ok(50));
        assert_eq!(m("12.50"), Ok(1_250));
        assert_eq!(m("0,01"), Ok(1));
        assert_eq!(m(",5"), Ok(50));
        assert_eq!(m("  19,99  "), Ok(1_999));
        assert_eq!(m("€ 12,50"), Ok(1_250));
        assert_eq!(m("12,50 €"), Ok(1_250));
        assert_eq!(m("-3,5"), Ok(-350));
        assert_eq!(m("+3,5"), Ok(350));
        assert_eq!(m("0"), Ok(0));
        assert_eq!(m("12,500"), Ok(1_250), "trailing zeros are not extra precision");
    }

    #[test]
    fn money_refuses_bad_input() {
        assert_eq!(m(""), Err(MoneyParseError::Empty));
        assert_eq!(m("   "), Err(MoneyParseError::Empty));
        assert_eq!(m("abc"), Err(MoneyParseError::Invalid));
        assert_eq!(m("12a"), Err(MoneyParseError::Invalid));
        assert_eq!(m("-"), Err(MoneyParseError::Invalid));
        assert_eq!(m("1..2"), Err(MoneyParseError::Invalid));
        assert_eq!(m("1.23.4"), Err(MoneyParseError::Invalid));
        assert_eq!(m("12,3,4"), Err(MoneyParseError::Invalid));
        assert_eq!(m("1.234,5,6"), Err(MoneyParseError::Invalid));
        assert_eq!(m("1,23.456,7"), Err(MoneyParseError::Invalid));
        assert_eq!(m("5,"), Err(MoneyParseError::Invalid));
        assert_eq!(m("."), Err(MoneyParseError::Invalid));
        assert_eq!(m("1 234,50"), Err(MoneyParseError::Invalid));
        assert_eq!(m("1e5"), Err(MoneyParseError::Invalid));
        assert_eq!(m("12,345"), Err(MoneyParseError::TooManyDecimals { max: 2 }));
        assert_eq!(m("1,234"), Err(MoneyParseError::TooManyDecimals { max: 2 }));
        assert_eq!(m("0,001"), Err(MoneyParseError::TooManyDecimals { max: 2 }));
        assert_eq!(m("99999999999999999999"), Err(MoneyParseError::OutOfRange));
        assert_eq!(m("92233720368547758,08"), Err(MoneyParseError::OutOfRange));
        assert_eq!(m("92233720368547758,07"), Ok(i64::MAX));
    }

    #[test]
    fn quantity_and_percent_parse() {
        assert_eq!(q("1,5"), Ok(1_500));
        assert_eq!(q("1.5"), Ok(1_500));
        assert_eq!(q("0,125"), Ok(125));
        assert_eq!(q("0.125"), Ok(125));
        assert_eq!(q("2"), Ok(2_000));
        assert_eq!(q("1.500"), Ok(1_500_000));
        assert_eq!(q("1.234,5"), Ok(1_234_500));
        assert_eq!(q("1,2345"), Err(MoneyParseError::TooManyDecimals { max: 3 }));

        assert_eq!(p("22"), Ok(2_200));
        assert_eq!(p("22%"), Ok(2_200));
        assert_eq!(p("10,5"), Ok(1_050));
        assert_eq!(p("10.50"), Ok(1_050));
        assert_eq!(p("0,01"), Ok(1));
        assert_eq!(p("10,555"), Err(MoneyParseError::TooManyDecimals { max: 2 }));
        assert_eq!(p("99999999999"), Err(MoneyParseError::OutOfRange));
    }

    #[test]
    fn display_is_italian() {
        assert_eq!(Money(123_450).to_string(), "1.234,50");
        assert_eq!(Money(0).to_string(), "0,00");
        assert_eq!(Money(5).to_string(), "0,05");
        assert_eq!(Money(-5).to_string(), "-0,05");
        assert_eq!(Money(100).to_string(), "1,00");
        assert_eq!(Money(100_000_000).to_string(), "1.000.000,00");
        assert_eq!(Money(i64::MIN).to_string(), "-92.233.720.368.547.758,08");
        assert_eq!(Money(123_450).to_string_en(), "1,234.50");
        assert_eq!(Quantity(1_500).to_string(), "1,5");
        assert_eq!(Quantity(1_000).to_string(), "1");
        assert_eq!(Quantity(125).to_string(), "0,125");
        assert_eq!(Quantity(1_000_000).to_string(), "1.000");
        assert_eq!(Quantity(1_234_500).to_string_en(), "1,234.5");
        assert_eq!(Percent(2_200).to_string(), "22");
        assert_eq!(Percent(1_050).to_string(), "10,5");
        assert_eq!(Percent(1).to_string(), "0,01");
        assert_eq!(Money(123_450).to_input_string(), "1234,50");
        assert_eq!(Quantity(1_234_500).to_input_string(), "1234,5");
        assert_eq!(Quantity(1_125).to_input_string(), "1,125");
    }

    #[test]
    fn display_round_trips_through_parse() {
        let samples = [
            0i64,
            1,
            9,
            10,
            99,
            100,
            999,
            1_000,
            12_345,
            99_999,
            100_000,
            123_456,
            999_999,
            1_000_000,
            1_234_567,
            123_456_789_012,
            -1,
            -1_000,
            -123_456,
            i64::MAX,
        ];
        for v in samples {
            assert_eq!(Money::parse(&Money(v).to_string()), Ok(Money(v)), "money {v}");
            assert_eq!(Money::parse(&Money(v).to_string_en()), Ok(Money(v)), "money en {v}");
            assert_eq!(Quantity::parse(&Quantity(v).to_string()), Ok(Quantity(v)), "qty {v}");
            assert_eq!(Money::parse(&Money(v).to_input_string()), Ok(Money(v)), "money input {v}");
            assert_eq!(Quantity::parse(&Quantity(v).to_input_string()), Ok(Quantity(v)), "qty input {v}");
        }
        for v in [0i32, 1, 50, 100, 1_050, 2_200, 10_000, 123_456] {
            assert_eq!(Percent::parse(&Percent(v).to_string()), Ok(Percent(v)), "pct {v}");
            assert_eq!(Percent::parse(&Percent(v).to_input_string()), Ok(Percent(v)), "pct input {v}");
        }
    }

    #[test]
    fn line_totals_are_exact() {
        // 3 × 19,99 = 59,97; −10% = 53,973 → 53,97; VAT 22% of 53,97 = 11,8734 → 11,87; 65,84.
        assert_eq!(line_totals(Quantity::units(3), Money(1_999), Percent::whole(10), Percent::whole(22)), (Money(5_397), Money(6_584)));
        // No discount, 22%: 1 × 100,00 → 100,00 / 122,00.
        assert_eq!(line_totals(Quantity::ONE, Money(10_000), Percent::ZERO, Percent::whole(22)), (Money(10_000), Money(12_200)));
        // 0,5 kg × 1,99 = 0,995 → 1,00 (half away from zero); VAT 4% = 0,04.
        assert_eq!(line_totals(Quantity(500), Money(199), Percent::ZERO, Percent::whole(4)), (Money(100), Money(104)));
        // 0,333 h × 10,00 = 3,33; VAT 10% = 0,333 → 0,33.
        assert_eq!(line_totals(Quantity(333), Money(1_000), Percent::ZERO, Percent::whole(10)), (Money(333), Money(366)));
        // Half cents round away from zero in both directions.
        assert_eq!(line_totals(Quantity::ONE, Money(5), Percent::whole(50), Percent::ZERO), (Money(3), Money(3)));
        assert_eq!(line_totals(Quantity::ONE, Money(-5), Percent::whole(50), Percent::ZERO), (Money(-3), Money(-3)));
        // Fractional discount: 7 × 12,34 = 86,38; −10,50% = 77,3101 → 77,31; +22% = 17,0082 → 17,01.
        assert_eq!(line_totals(Quantity::units(7), Money(1_234), Percent(1_050), Percent::whole(22)), (Money(7_731), Money(9_432)));
        // 100% discount.
        assert_eq!(line_totals(Quantity::units(2), Money(5_000), Percent::FULL, Percent::whole(22)), (Money(0), Money(0)));
        // Large but plausible: 1.000.000 × 1.000.000,00 with 22% VAT.
        assert_eq!(
            line_totals(Quantity::units(1_000_000), Money(100_000_000), Percent::ZERO, Percent::whole(22)),
            (Money(100_000_000_000_000), Money(122_000_000_000_000))
        );
    }

    #[test]
    fn overflow_is_detected() {
        assert_eq!(checked_line_totals(Quantity(i64::MAX), Money(i64::MAX), Percent::ZERO, Percent::ZERO), None);
        assert_eq!(line_totals(Quantity(i64::MAX), Money(i64::MAX), Percent::ZERO, Percent::ZERO), (Money(i64::MAX), Money(i64::MAX)));
        assert_eq!(checked_line_totals(Quantity::units(3), Money(1_999), Percent::whole(10), Percent::whole(22)), Some((Money(5_397), Money(6_584))));
    }

    #[test]
    fn one_text_per_language() {
        use crate::i18n::Lang;
        assert_eq!(Money(123_450).text(Lang::It, "EUR"), "€ 1.234,50");
        assert_eq!(Money(123_450).text(Lang::En, "EUR"), "€ 1,234.50");
        assert_eq!(Money(-5).text(Lang::It, "CHF"), "-0,05 CHF");
        assert_eq!(Money(123_450).number(Lang::En), "1,234.50");
        assert_eq!(Percent(1050).text(Lang::It), "10,5%");
        assert_eq!(Percent(1050).text(Lang::En), "10.5%");
        assert_eq!(Quantity(1_500).number(Lang::It), "1,5");
        // The weighted forecast: Σ cents × whole percent, rounded once, half away from zero.
        assert_eq!(Money::from_weighted(12_350), Money(124));
        assert_eq!(Money::from_weighted(-12_350), Money(-124));
        assert_eq!(Money::from_weighted(i128::MAX), Money(i64::MAX));
    }

    #[test]
    fn money_arithmetic_and_serde() {
        let total: Money = [Money(100), Money(250), Money(-50)].iter().sum();
        assert_eq!(total, Money(300));
        assert_eq!(Money(12_345).mul_percent(Percent::whole(30)), Money(3_704)); // 37,035 → 37,04
        assert_eq!(serde_json::to_string(&Money(1_999)).unwrap(), "1999");
        assert_eq!(serde_json::from_str::<Percent>("2200").unwrap(), Percent(2_200));
        assert_eq!(serde_json::from_str::<Quantity>("1500").unwrap(), Quantity(1_500));
        assert!(Money(1) < Money(2));
    }
}
