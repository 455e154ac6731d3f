//! Commissions (*provvigioni*): what each seller earns on his won sales, shown as statements
//! (*estratti conto*) and settled once (*liquidazione*).
//!
//! A seller earns on the close date or on collection ([`EarnOn`]), at the rule that applies on
//! the earning date ([`calc`]: the order is written there and in `docs/commissions.md`). A
//! statement holds everything the seller earned and was not settled yet, up to the end of a month
//! or quarter: the earnings of its period, and for each sale settled before whose commission has
//! changed since (amount, seller, stage, a collection removed, a rule dated back), one
//! adjustment line (*storno* or *integrazione*) naming the settled statements. Settling freezes
//! the statement exactly as shown; nothing settled is ever recomputed.

pub mod pages;

#[cfg(feature = "ssr")]
pub mod calc;
#[cfg(feature = "ssr")]
pub mod pdf;
#[cfg(feature = "ssr")]
pub mod ssr;

#[cfg(feature = "ssr")]
use crate::auth::ssr::require_user;
use crate::codec::TextJson;
pub use crate::codes::{AgentKind, EarnOn};
use crate::error::AppResult;
use crate::figures::Month;
use crate::i18n::{Lang, Msg};
use crate::ids::{SaleId, SellerId};
use crate::money::{Money, Percent};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What a rule is for, the most specific first (the order in which rules are tried).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RuleScope {
    CustomerProduct,
    Product,
    Customer,
    Category,
    Default,
}

impl RuleScope {
    pub fn label(self) -> Msg {
        match self {
            RuleScope::CustomerProduct => Msg::ComScopeCustomerProduct,
            RuleScope::Product => Msg::ComScopeProduct,
            RuleScope::Customer => Msg::ComScopeCustomer,
            RuleScope::Category => Msg::ComScopeCategory,
            RuleScope::Default => Msg::ComScopeDefault,
        }
    }
}

/// A rate on the net, or an amount per unit sold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RuleValue {
    Rate(Percent),
    PerUnit(Money),
}

impl RuleValue {
    /// "8 %", "€ 1,50 per unità".
    pub fn text(self, lang: Lang, currency: &str) -> String {
        match self {
            RuleValue::Rate(p) => p.text(lang),
            RuleValue::PerUnit(m) => format!("{} {}", m.text(lang, currency), Msg::ComPerUnitSuffix.text(lang)),
        }
    }
}

/// The rule a line was earned under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applied {
    pub rule: i64,
    pub scope: RuleScope,
    pub value: RuleValue,
    pub valid_from: NaiveDate,
}

/// A year's Enasarco values (`enasarco_years`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnasarcoYear {
    pub year: i32,
    /// The contribution on commissions, and the company's share of it.
    pub rate: Percent,
    pub company: Percent,
    pub ceiling_mono: Money,
    pub ceiling_pluri: Money,
    pub minimum_mono: Money,
    pub minimum_pluri: Money,
    /// FIRR: the three rates, and the two steps between them (mono, pluri).
    pub firr_rates: [Percent; 3],
    pub firr_mono: [Money; 2],
    pub firr_pluri: [Money; 2],
}

/// What a statement means for an agent's Enasarco and FIRR, at his year's values: an estimate
/// (the contributions are paid quarterly by the company; the yearly minimum is settled at the
/// year's end).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentEstimate {
    pub kind: AgentKind,
    pub year: i32,
    /// The year's commissions settled before this statement.
    pub before: Money,
    /// This statement's total, counted in the year.
    pub base: Money,
    /// The part of it under the year's ceiling: what contributions are due on.
    pub contributing: Money,
    pub ceiling: Money,
    pub minimum: Money,
    pub rate: Percent,
    pub company: Money,
    pub agent: Money,
    /// The FIRR this statement accrues, when the company accrues it for the agent.
    pub firr: Option<Money>,
}

impl AgentEstimate {
    /// What the estimate rests on, in words.
    pub fn note(&self, lang: Lang, currency: &str) -> String {
        let money = |m: Money| m.text(lang, currency);
        Msg::ComEnasarcoNote
            .text(lang)
            .replace("{year}", &self.year.to_string())
            .replace("{rate}", &self.rate.text(lang))
            .replace("{ceiling}", &money(self.ceiling))
            .replace("{before}", &money(self.before))
            .replace("{minimum}", &money(self.minimum))
    }
}

impl EnasarcoYear {
    fn ceiling(&self, kind: AgentKind) -> Money {
        if kind == AgentKind::Mono { self.ceiling_mono } else { self.ceiling_pluri }
    }

    /// The FIRR on a year's commissions: each rate on the part of them within its step.
    pub fn firr(&self, kind: AgentKind, commissions: Money) -> Money {
        let [one, two] = if kind == AgentKind::Mono { self.firr_mono } else { self.firr_pluri };
        let c = commissions.0.max(0) as i128;
        let parts = [c.min(one.0 as i128), (c.min(two.0 as i128) - one.0 as i128).max(0), (c - two.0 as i128).max(0)];
        let sum: i128 = parts.iter().zip(self.firr_rates).map(|(part, rate)| crate::money::div_round(part * rate.0 as i128, 10_000)).sum();
        Money(sum.clamp(0, i64::MAX as i128) as i64)
    }

    /// The estimate for a statement of `base` after `before` of the year's commissions settled.
    pub fn estimate(&self, kind: AgentKind, before: Money, base: Money, firr: bool) -> AgentEstimate {
        let ceiling = self.ceiling(kind);
        let capped = |m: i128| m.clamp(0, ceiling.0 as i128);
        let after = before.0 as i128 + base.0 as i128;
        let contributing = capped(after) - capped(before.0 as i128);
        let contribution = crate::money::div_round(contributing * self.rate.0 as i128, 10_000);
        let company = crate::money::div_round(contributing * self.company.0 as i128, 10_000);
        let clamp = |v: i128| Money(v.clamp(i64::MIN as i128, i64::MAX as i128) as i64);
        AgentEstimate {
            kind,
            year: self.year,
            before,
            base,
            contributing: clamp(contributing),
            ceiling,
            minimum: if kind == AgentKind::Mono { self.minimum_mono } else { self.minimum_pluri },
            rate: self.rate,
            company: clamp(company),
            agent: clamp(contribution - company),
            firr: firr.then(|| Money(self.firr(kind, clamp(after)).0 - self.firr(kind, before).0)),
        }
    }
}

/// A year's Enasarco values as typed (percentages and euros): the single form type of a year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EnasarcoForm {
    pub year: String,
    pub rate: String,
    pub company: String,
    pub ceiling_mono: String,
    pub ceiling_pluri: String,
    pub minimum_mono: String,
    pub minimum_pluri: String,
    pub firr_rate1: String,
    pub firr_rate2: String,
    pub firr_rate3: String,
    pub firr_mono1: String,
    pub firr_mono2: String,
    pub firr_pluri1: String,
    pub firr_pluri2: String,
}

impl EnasarcoForm {
    pub fn of(y: &EnasarcoYear) -> EnasarcoForm {
        let m = |m: Money| m.to_input_string();
        let p = |p: Percent| p.to_input_string();
        EnasarcoForm {
            year: y.year.to_string(),
            rate: p(y.rate),
            company: p(y.company),
            ceiling_mono: m(y.ceiling_mono),
            ceiling_pluri: m(y.ceiling_pluri),
            minimum_mono: m(y.minimum_mono),
            minimum_pluri: m(y.minimum_pluri),
            firr_rate1: p(y.firr_rates[0]),
            firr_rate2: p(y.firr_rates[1]),
            firr_rate3: p(y.firr_rates[2]),
            firr_mono1: m(y.firr_mono[0]),
            firr_mono2: m(y.firr_mono[1]),
            firr_pluri1: m(y.firr_pluri[0]),
            firr_pluri2: m(y.firr_pluri[1]),
        }
    }
}

/// A month (`2026-03`) or a quarter (`2026-Q1`): a statement's period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub quarter: bool,
}

impl Period {
    pub fn month(month: Month) -> Period {
        Period { from: month.first_day(), to: month.plus(1).first_day().pred_opt().expect("a day before"), quarter: false }
    }

    pub fn quarter_of(month: Month) -> Period {
        let first = Month::new(month.year(), (month.quarter() - 1) * 3 + 1);
        Period { from: first.first_day(), to: first.plus(3).first_day().pred_opt().expect("a day before"), quarter: true }
    }

    /// `2026-03` or `2026-Q1`.
    pub fn parse(code: &str) -> Option<Period> {
        let code = code.trim();
        match code.split_once("-Q") {
            Some((year, q)) => {
                let (year, q) = (year.parse::<i32>().ok()?, q.parse::<u32>().ok()?);
                ((1..=4).contains(&q) && (1900..=9999).contains(&year)).then(|| Period::quarter_of(Month::new(year, q * 3)))
            }
            None => Month::parse(code).map(Period::month),
        }
    }

    pub fn code(self) -> String {
        if self.quarter { format!("{}-Q{}", self.from.year(), Month::of(self.from).quarter()) } else { Month::of(self.from).code() }
    }

    pub fn label(self, lang: Lang) -> String {
        if self.quarter {
            format!("{} {} {}", Msg::ComQuarter.text(lang), Month::of(self.from).quarter(), self.from.year())
        } else {
            Month::of(self.from).label(lang)
        }
    }

    /// The month before `today`'s: the period a statement is usually made for.
    pub fn last_month(today: NaiveDate) -> Period {
        Period::month(Month::of(today).plus(-1))
    }
}

/// One line of a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementLine {
    pub sale: SaleId,
    /// The earning's date; an adjustment's is the end of the last settled period.
    pub on: NaiveDate,
    pub customer: String,
    pub product: String,
    pub base: Money,
    pub applied: Option<Applied>,
    pub commission: Money,
    /// An adjustment of what was settled on the sale: the settled statements' numbers.
    pub adjusts: Option<Vec<i32>>,
}

impl StatementLine {
    /// What the line was earned under, in words: "Categoria · 5% · valida dal 01/01/2026"; an
    /// adjustment's kind and the statements it adjusts; or that no rule applied.
    pub fn rule_text(&self, lang: Lang, currency: &str) -> String {
        match (&self.adjusts, self.applied) {
            (Some(of), _) => {
                let kind = if self.commission.0 < 0 { Msg::ComStorno } else { Msg::ComIntegration };
                let of = of.iter().map(|n| format!("n. {n}")).collect::<Vec<_>>().join(", ");
                if of.is_empty() { kind.text(lang).to_string() } else { format!("{} ({} {of})", kind.text(lang), Msg::ComOfSettled.text(lang)) }
            }
            (None, Some(a)) => format!(
                "{} · {} · {} {}",
                a.scope.label().text(lang),
                a.value.text(lang, currency),
                Msg::ComValidFrom.text(lang).to_lowercase(),
                lang.date(a.valid_from)
            ),
            (None, None) => Msg::ComNoRule.text(lang).to_string(),
        }
    }
}

impl Statement {
    /// What it earned from `from` on (its adjustments and any earlier line left out).
    pub fn earned_since(&self, from: NaiveDate) -> Money {
        self.lines.iter().filter(|l| l.adjusts.is_none() && l.on >= from).map(|l| l.commission).sum()
    }
}

/// Who settled a statement, when, and its number among the seller's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settlement {
    pub id: i64,
    pub sequence: i32,
    pub at: DateTime<Utc>,
    pub by: String,
}

/// A seller's statement: what is to be settled up to `to` (open), or what was settled (frozen).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub seller: SellerId,
    pub seller_name: String,
    pub earn_on: EarnOn,
    pub period: Period,
    /// The first day not settled before (the day after the last settled period), if any.
    pub settled_before: Option<NaiveDate>,
    pub lines: Vec<StatementLine>,
    pub earned: Money,
    pub adjustments: Money,
    pub total: Money,
    /// For an agent: his Enasarco and FIRR at the year's values.
    pub agent: Option<AgentEstimate>,
    pub settled: Option<Settlement>,
    pub currency: String,
}

/// A settled statement in a seller's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettledRow {
    pub id: i64,
    pub sequence: i32,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub total: Money,
    pub at: DateTime<Utc>,
    pub by: String,
}

/// A seller's settled statements, the latest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettledList {
    pub rows: Vec<SettledRow>,
    pub currency: String,
}

/// A seller on `/commissions`: how he earns, what he earned in the period, what is to be settled
/// up to its end, and how far he is settled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerCommissions {
    pub seller: SellerId,
    pub name: String,
    pub earn_on: EarnOn,
    pub earned: Money,
    pub to_settle: Money,
    pub settled_through: Option<NaiveDate>,
}

/// A seller's own figures on his home page: earned this month, and to be settled up to its end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyCommissions {
    pub seller: SellerId,
    pub earned: Money,
    pub to_settle: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommissionsOverview {
    pub period: Period,
    pub rows: Vec<SellerCommissions>,
    pub currency: String,
}

/// A seller's plan, as the configuration shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanRow {
    pub seller: SellerId,
    pub name: String,
    pub earn_on: EarnOn,
    pub agent: AgentKind,
    pub firr: bool,
    /// 0 while the seller has no plan of his own (he earns on the close date).
    pub version: i32,
    pub settled_through: Option<NaiveDate>,
}

/// A rule as the configuration lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub id: i64,
    pub seller: SellerId,
    pub seller_name: String,
    pub scope: RuleScope,
    /// What it is for, in words: "Rossi Srl · Consulenza", a category's name; empty for the default.
    pub target: String,
    pub value: RuleValue,
    pub valid_from: NaiveDate,
    /// Not yet reached by a settled period: it may still be taken back.
    pub removable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommissionSetup {
    pub plans: Vec<PlanRow>,
    pub rules: Vec<Rule>,
    /// The Enasarco values per year, the latest first.
    pub years: Vec<EnasarcoYear>,
    pub currency: String,
}

/// A seller's plan as typed: the single form type of a plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanForm {
    /// `close` | `collection`
    pub earn_on: String,
    /// `none` | `mono` | `pluri`
    pub agent: String,
    /// `true` when the company accrues FIRR for the agent.
    pub firr: String,
}

/// A rule as typed: the single form type of a rule. `contact` is the customer's name, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RuleForm {
    pub seller: String,
    pub contact: String,
    pub product: String,
    pub category: String,
    /// `rate` | `per_unit`
    pub kind: String,
    pub value: String,
    pub valid_from: String,
}

/// One collection (*incasso*) of a sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectionRow {
    pub id: i64,
    pub on: NaiveDate,
    pub amount: Money,
    pub by: String,
}

/// A won sale's collections and what is left to collect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleCollections {
    pub sale: SaleId,
    pub customer: String,
    pub product: String,
    pub seller: String,
    pub closed_on: Option<NaiveDate>,
    pub gross: Money,
    pub collected: Money,
    pub rows: Vec<CollectionRow>,
    pub currency: String,
}

/// A collection as typed: the single form type of a collection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CollectionForm {
    pub on: String,
    pub amount: String,
}

// ---------------------------------------------------------------- server functions

/// Every seller the user sees, for the period (`2026-03`, `2026-Q1`; empty: last month).
#[server(endpoint = "commissions_overview", output = TextJson)]
pub async fn get_commissions_overview(period: String) -> AppResult<CommissionsOverview> {
    let (state, me) = require_user().await?;
    ssr::overview(&state.db, &me, &period).await
}

/// A seller's statement up to the end of the period: what is to be settled.
#[server(endpoint = "commissions_statement", output = TextJson)]
pub async fn get_statement(seller: i64, period: String) -> AppResult<Statement> {
    let (state, me) = require_user().await?;
    ssr::statement(&state.db, &me, SellerId(seller), &period).await
}

/// A seller's settled statements, the latest first.
#[server(endpoint = "commissions_settled", output = TextJson)]
pub async fn get_settled(seller: i64) -> AppResult<SettledList> {
    let (state, me) = require_user().await?;
    ssr::settled(&state.db, &me, SellerId(seller)).await
}

/// A settled statement, exactly as it was settled.
#[server(endpoint = "commissions_settled_statement", output = TextJson)]
pub async fn get_settled_statement(id: i64) -> AppResult<Statement> {
    let (state, me) = require_user().await?;
    ssr::settled_statement(&state.db, &me, id).await
}

/// Settles the seller's statement up to the end of the period (managers).
#[server(endpoint = "commissions_settle", output = TextJson)]
pub async fn settle_statement(seller: i64, period: String) -> AppResult<Statement> {
    let (state, me) = require_user().await?;
    ssr::settle(&state.db, &me, SellerId(seller), &period).await
}

/// The sellers' plans and rules (managers).
#[server(endpoint = "commissions_setup", output = TextJson)]
pub async fn get_commission_setup() -> AppResult<CommissionSetup> {
    let (state, me) = require_user().await?;
    ssr::setup(&state.db, &me).await
}

#[server(endpoint = "commissions_save_plan", output = TextJson)]
pub async fn save_plan(seller: i64, version: i32, #[server(flatten)] form: PlanForm) -> AppResult<PlanRow> {
    let (state, me) = require_user().await?;
    ssr::save_plan(&state.db, &me, SellerId(seller), version, &form).await
}

/// Writes a year's Enasarco values (managers).
#[server(endpoint = "commissions_save_year", output = TextJson)]
pub async fn save_enasarco_year(#[server(flatten)] form: EnasarcoForm) -> AppResult<EnasarcoYear> {
    let (state, me) = require_user().await?;
    ssr::save_year(&state.db, &me, &form).await
}

#[server(endpoint = "commissions_add_rule", output = TextJson)]
pub async fn add_rule(#[server(flatten)] form: RuleForm) -> AppResult<Rule> {
    let (state, me) = require_user().await?;
    ssr::add_rule(&state.db, &me, &form).await
}

#[server(endpoint = "commissions_delete_rule", output = TextJson)]
pub async fn delete_rule(id: i64) -> AppResult<()> {
    let (state, me) = require_user().await?;
    ssr::delete_rule(&state.db, &me, id).await
}

/// A sale's collections (as the sale: its seller's users and managers).
#[server(endpoint = "collections_get", output = TextJson)]
pub async fn get_collections(sale: i64) -> AppResult<SaleCollections> {
    let (state, me) = require_user().await?;
    ssr::collections(&state.db, &me, SaleId(sale)).await
}

#[server(endpoint = "collections_add", output = TextJson)]
pub async fn add_collection(sale: i64, #[server(flatten)] form: CollectionForm) -> AppResult<SaleCollections> {
    let (state, me) = require_user().await?;
    ssr::add_collection(&state.db, &me, SaleId(sale), &form).await
}

#[server(endpoint = "collections_delete", output = TextJson)]
pub async fn delete_collection(id: i64) -> AppResult<SaleCollections> {
    let (state, me) = require_user().await?;
    ssr::delete_collection(&state.db, &me, id).await
}
