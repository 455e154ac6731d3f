//! What a sale earns its seller, worked out from the sale, its collections and the seller's rules;
//! no database here (the statements and the tests call it on rows they read).
//!
//! **Which rule applies** (the first that has a rule valid on the earning date; within it, the
//! one valid from the latest date):
//! 1. the customer and the product together;
//! 2. the product;
//! 3. the customer;
//! 4. the product's category, then its parent, up to the top (the deepest wins);
//! 5. the seller's default (a rule naming nothing).
//!
//! **How much**: a rate on the sale's net, or an amount per unit × the quantity, rounded half away
//! from zero to the cent, once per earning.
//!
//! **When**: on the close date of a won sale; or, earning on collection, on each collection's
//! date, for its share of the gross total: the commission earned by a date is the full commission
//! × the share collected by then (at most all of it), rounded; each collection earns the
//! difference, so the shares add up to the cent.

use super::{Applied, RuleScope, RuleValue};
use crate::codes::EarnOn;
use crate::money::{Money, Percent, Quantity, div_round};
use chrono::NaiveDate;

/// A rule as the calculation reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleRow {
    pub id: i64,
    pub contact: Option<i64>,
    pub product: Option<i64>,
    pub category: Option<i64>,
    pub value: RuleValue,
    pub valid_from: NaiveDate,
}

impl RuleRow {
    pub fn scope(&self) -> RuleScope {
        match (self.contact, self.product, self.category) {
            (Some(_), Some(_), _) => RuleScope::CustomerProduct,
            (None, Some(_), _) => RuleScope::Product,
            (Some(_), None, _) => RuleScope::Customer,
            (None, None, Some(_)) => RuleScope::Category,
            (None, None, None) => RuleScope::Default,
        }
    }
}

/// A won sale as the calculation reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleFacts {
    pub id: i64,
    pub contact: i64,
    pub product: i64,
    /// The product's category and its parents, the deepest first.
    pub categories: Vec<i64>,
    pub quantity: Quantity,
    pub net: Money,
    pub gross: Money,
    pub closed_on: NaiveDate,
    /// Date and amount, in the order they were collected (date, then entry).
    pub collections: Vec<(NaiveDate, Money)>,
}

/// One earning: a sale's commission (or share of it) on a day, and the rule that gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Earning {
    pub sale: i64,
    pub on: NaiveDate,
    pub base: Money,
    pub applied: Option<Applied>,
    pub commission: Money,
}

/// The rule of `rules` that applies to `sale` on `on` (see the module comment).
pub fn rule_for<'r>(rules: &'r [RuleRow], sale: &SaleFacts, on: NaiveDate) -> Option<&'r RuleRow> {
    let latest = |pick: &dyn Fn(&RuleRow) -> bool| rules.iter().filter(|r| r.valid_from <= on && pick(r)).max_by_key(|r| (r.valid_from, r.id));
    latest(&|r| r.contact == Some(sale.contact) && r.product == Some(sale.product))
        .or_else(|| latest(&|r| r.contact.is_none() && r.product == Some(sale.product)))
        .or_else(|| latest(&|r| r.contact == Some(sale.contact) && r.product.is_none() && r.category.is_none()))
        .or_else(|| sale.categories.iter().find_map(|c| latest(&|r| r.contact.is_none() && r.product.is_none() && r.category == Some(*c))))
        .or_else(|| latest(&|r| r.contact.is_none() && r.product.is_none() && r.category.is_none()))
}

/// The whole commission of `sale` under `value`.
pub fn commission(value: RuleValue, sale: &SaleFacts) -> Money {
    match value {
        RuleValue::Rate(rate) => sale.net.mul_percent(rate),
        RuleValue::PerUnit(amount) => Money(saturate(div_round(amount.0 as i128 * sale.quantity.0 as i128, 1000))),
    }
}

fn saturate(v: i128) -> i64 {
    v.clamp(i64::MIN as i128, i64::MAX as i128) as i64
}

/// `whole × part / of`, rounded; `part` at most `of`.
fn share(whole: Money, part: i128, of: i128) -> i128 {
    if of <= 0 { 0 } else { div_round(whole.0 as i128 * part.min(of), of) }
}

fn applied(rule: Option<&RuleRow>) -> Option<Applied> {
    rule.map(|r| Applied { rule: r.id, scope: r.scope(), value: r.value, valid_from: r.valid_from })
}

/// The mode of a sale closed on `closed_on`: the latest of `modes` (each from its date) by then;
/// on closing before any.
pub fn mode_for(modes: &[(NaiveDate, EarnOn)], closed_on: NaiveDate) -> EarnOn {
    modes.iter().filter(|(from, _)| *from <= closed_on).max_by_key(|(from, _)| *from).map(|(_, mode)| *mode).unwrap_or_default()
}

/// Everything `sale` earns, in date order (nothing when no rule applies: the earning is shown
/// with no rule and zero, so a missing rule is seen).
pub fn earnings(rules: &[RuleRow], sale: &SaleFacts, earn_on: EarnOn) -> Vec<Earning> {
    match earn_on {
        EarnOn::Close => {
            let rule = rule_for(rules, sale, sale.closed_on);
            let commission = rule.map(|r| commission(r.value, sale)).unwrap_or(Money(0));
            vec![Earning { sale: sale.id, on: sale.closed_on, base: sale.net, applied: applied(rule), commission }]
        }
        EarnOn::Collection => {
            let gross = sale.gross.0 as i128;
            let mut collected: i128 = 0;
            let mut out = Vec::with_capacity(sale.collections.len());
            for (on, amount) in &sale.collections {
                let before = collected;
                collected += amount.0 as i128;
                let rule = rule_for(rules, sale, *on);
                let whole = rule.map(|r| commission(r.value, sale)).unwrap_or(Money(0));
                let earned = share(whole, collected, gross) - share(whole, before, gross);
                let base = share(sale.net, collected, gross) - share(sale.net, before, gross);
                out.push(Earning {
                    sale: sale.id,
                    on: *on,
                    base: Money(saturate(base)),
                    applied: applied(rule),
                    commission: Money(saturate(earned)),
                });
            }
            out
        }
    }
}

/// A rate as a rule holds it: basis points of the net.
pub fn rate(bp: i32) -> RuleValue {
    RuleValue::Rate(Percent(bp))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    fn sale() -> SaleFacts {
        SaleFacts {
            id: 1,
            contact: 10,
            product: 20,
            categories: vec![31, 30],
            quantity: Quantity(3000),
            net: Money(100_000),
            gross: Money(122_000),
            closed_on: day(10),
            collections: vec![],
        }
    }

    fn rule(id: i64, contact: Option<i64>, product: Option<i64>, category: Option<i64>, bp: i32, from: u32) -> RuleRow {
        RuleRow { id, contact, product, category, value: rate(bp), valid_from: day(from) }
    }

    #[test]
    fn the_most_specific_rule_valid_on_the_day_applies() {
        let rules = [
            rule(1, None, None, None, 800, 1),
            rule(2, None, None, Some(30), 700, 1),
            rule(3, None, None, Some(31), 600, 1),
            rule(4, Some(10), None, None, 500, 1),
            rule(5, None, Some(20), None, 400, 1),
            rule(6, Some(10), Some(20), None, 300, 1),
        ];
        let s = sale();
        // Each level removed in turn lets the next one apply.
        for (kept, expected) in [(6, 6), (5, 5), (4, 4), (3, 3), (2, 2), (1, 1)] {
            let some: Vec<RuleRow> = rules.iter().filter(|r| r.id <= kept).cloned().collect();
            assert_eq!(rule_for(&some, &s, day(10)).map(|r| r.id), Some(expected));
        }
        // A rule for another customer or product never applies.
        let others = vec![rule(7, Some(11), None, None, 100, 1), rule(8, None, Some(21), None, 100, 1), rule(9, None, None, Some(99), 100, 1)];
        assert_eq!(rule_for(&others, &s, day(10)), None);
        // A newer rule of the same level applies from its date, never before it.
        let dated = vec![rule(1, None, None, None, 800, 1), rule(2, None, None, None, 1000, 15)];
        assert_eq!(rule_for(&dated, &s, day(14)).map(|r| r.id), Some(1));
        assert_eq!(rule_for(&dated, &s, day(15)).map(|r| r.id), Some(2));
        // A specific rule not yet valid leaves the default.
        let later = vec![rule(1, None, None, None, 800, 1), rule(2, None, Some(20), None, 100, 20)];
        assert_eq!(rule_for(&later, &s, day(10)).map(|r| r.id), Some(1));
    }

    #[test]
    fn a_rate_or_an_amount_per_unit() {
        let s = sale();
        assert_eq!(commission(rate(800), &s), Money(8_000));
        // 3 units × € 1,255 = € 3,765 → 3,77 (half away from zero).
        assert_eq!(commission(RuleValue::PerUnit(Money(125)), &SaleFacts { quantity: Quantity(3012), ..s.clone() }), Money(377));
        assert_eq!(commission(RuleValue::PerUnit(Money(150)), &s), Money(450));
    }

    #[test]
    fn on_collection_each_payment_earns_its_share_and_the_shares_add_up() {
        let rules = vec![rule(1, None, None, None, 800, 1)];
        let mut s = sale();
        // Three thirds of € 1 220,00 (406,67 + 406,67 + 406,66): 8 % of 1 000,00 earned by each
        // date is 26,67, 53,33, 80,00; each collection earns the difference.
        s.collections = vec![(day(11), Money(40_667)), (day(12), Money(40_667)), (day(13), Money(40_666))];
        let e = earnings(&rules, &s, EarnOn::Collection);
        assert_eq!(e.iter().map(|e| e.commission.0).collect::<Vec<_>>(), vec![2667, 2666, 2667]);
        assert_eq!(e.iter().map(|e| e.commission.0).sum::<i64>(), 8_000);
        assert_eq!(e.iter().map(|e| e.base.0).sum::<i64>(), 100_000);
        // Half collected: half the commission, earned on the collection's day.
        s.collections = vec![(day(20), Money(61_000))];
        let e = earnings(&rules, &s, EarnOn::Collection);
        assert_eq!((e[0].on, e[0].commission, e[0].base), (day(20), Money(4_000), Money(50_000)));
        // Nothing collected, nothing earned; on the close date, the whole.
        s.collections = vec![];
        assert!(earnings(&rules, &s, EarnOn::Collection).is_empty());
        assert_eq!(earnings(&rules, &s, EarnOn::Close)[0].commission, Money(8_000));
    }
}
