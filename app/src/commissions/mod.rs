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
pub mod ssr;

#[cfg(feature = "ssr")]
use crate::auth::ssr::require_user;
use crate::codec::TextJson;
pub use crate::codes::EarnOn;
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
    pub currency: String,
}

/// A seller's plan as typed: the single form type of a plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanForm {
    /// `close` | `collection`
    pub earn_on: String,
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
