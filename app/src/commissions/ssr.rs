//! Commissions on the server: plans and rules (managers), collections (as the sale), statements
//! worked out from the data as it is now, and settlement, which freezes a statement for good.
//!
//! What a statement up to a day holds, for a seller whose last settled period ends on `last`:
//! * the earnings dated after `last` up to that day, one line each;
//! * per sale, what it earns up to `last` now, less what the settled statements paid on it: one
//!   adjustment line when they differ (a sale changed, moved to another seller, lost or deleted,
//!   a collection removed or entered late).
//!
//! So all the statements of a seller, settled and open, add up to what his sales earn now; and
//! settling writes, per sale, what the statement paid (`commission_entries`), which the next
//! statements adjust against.

use super::calc::{self, RuleRow, SaleFacts};
use super::{
    AgentKind, Applied, CollectionForm, CollectionRow, CommissionSetup, CommissionsOverview, EarnOn, EnasarcoForm, EnasarcoYear, Period, PlanForm,
    PlanRow, Rule, RuleForm, RuleValue, SaleCollections, SellerCommissions, SettledList, SettledRow, Settlement, Statement, StatementLine,
};
use crate::auth::CurrentUser;
use crate::auth::scope::visible_sellers;
use crate::auth::ssr::require_manager;
use crate::codes::Stage;
use crate::config::ssr::sale_settings;
use crate::db::entities::{
    categories, collections, commission_entries as entries, commission_modes as modes, commission_plans as plans, commission_rules as rules,
    commission_statements as statements, contacts, enasarco_years, products, sales, sellers, users,
};
use crate::error::{AppError, AppResult, Field, Problem};
use crate::form::{number_problem, optional_date};
use crate::ids::{SaleId, SellerId};
use crate::money::{Money, Percent};
use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr};
use sea_orm::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Ids read per `IN (…)` list, well under either database's limit of bound values.
const CHUNK: usize = 1000;

/// The period of a code (`2026-03`, `2026-Q1`); empty is last month. A period may end at the
/// latest with the current month.
pub fn period(code: &str) -> AppResult<Period> {
    let today = Utc::now().date_naive();
    let period = if code.trim().is_empty() {
        Period::last_month(today)
    } else {
        Period::parse(code).ok_or(AppError::invalid(Field::Period, Problem::Invalid))?
    };
    if period.from > today {
        return Err(AppError::invalid(Field::Period, Problem::InFuture));
    }
    Ok(period)
}

/// A seller the user sees (his own, or any for a manager).
async fn visible_seller(db: &impl ConnectionTrait, actor: &CurrentUser, seller: SellerId) -> AppResult<sellers::Model> {
    let model = sellers::Entity::find_by_id(seller.0).one(db).await?.ok_or(AppError::NotFound)?;
    if !visible_sellers(db, actor).await?.allows(model.id) {
        return Err(AppError::Forbidden);
    }
    Ok(model)
}

/// How the seller earns, whether he is an agent, whether FIRR is accrued for him.
async fn plan_of(db: &impl ConnectionTrait, seller: i64) -> AppResult<(EarnOn, AgentKind, bool)> {
    Ok(plans::Entity::find_by_id(seller).one(db).await?.map(|p| (p.earn_on, p.agent, p.firr)).unwrap_or_default())
}

/// The seller's modes, each from its date.
async fn modes_of(db: &impl ConnectionTrait, seller: i64) -> AppResult<Vec<(NaiveDate, EarnOn)>> {
    Ok(modes::Entity::find().filter(modes::Column::SellerId.eq(seller)).all(db).await?.into_iter().map(|m| (m.valid_from, m.earn_on)).collect())
}

/// The first day a mode or a rule may start: the day after the seller's last settled period.
fn open_from(settled_through: Option<NaiveDate>) -> NaiveDate {
    settled_through.and_then(|d| d.succ_opt()).or(NaiveDate::from_ymd_opt(1900, 1, 1)).expect("a date")
}

fn year_of(m: enasarco_years::Model) -> EnasarcoYear {
    EnasarcoYear {
        year: m.year,
        rate: Percent(m.rate_bp),
        company: Percent(m.company_bp),
        ceiling_mono: Money(m.ceiling_mono_cents),
        ceiling_pluri: Money(m.ceiling_pluri_cents),
        minimum_mono: Money(m.minimum_mono_cents),
        minimum_pluri: Money(m.minimum_pluri_cents),
        firr_rates: [Percent(m.firr_rate1_bp), Percent(m.firr_rate2_bp), Percent(m.firr_rate3_bp)],
        firr_mono: [Money(m.firr_mono_step1_cents), Money(m.firr_mono_step2_cents)],
        firr_pluri: [Money(m.firr_pluri_step1_cents), Money(m.firr_pluri_step2_cents)],
    }
}

/// An agent's Enasarco and FIRR for a statement of `total` ending on `to`: at the values of its
/// year (or the latest year before it kept), after the year's statements settled before.
async fn agent_estimate(
    db: &impl ConnectionTrait,
    seller: i64,
    kind: AgentKind,
    firr: bool,
    to: NaiveDate,
    total: Money,
) -> AppResult<Option<super::AgentEstimate>> {
    if kind == AgentKind::None {
        return Ok(None);
    }
    let year = to.year();
    let Some(values) = enasarco_years::Entity::find()
        .filter(enasarco_years::Column::Year.lte(year))
        .order_by_desc(enasarco_years::Column::Year)
        .one(db)
        .await?
        .map(year_of)
    else {
        return Ok(None);
    };
    let first = NaiveDate::from_ymd_opt(year, 1, 1).ok_or(AppError::Internal)?;
    let before: Option<i64> = statements::Entity::find()
        .select_only()
        .column_as(Expr::col(statements::Column::TotalCents).sum().cast_as(Alias::new("BIGINT")), "sum")
        .filter(statements::Column::SellerId.eq(seller))
        .filter(statements::Column::PeriodTo.gte(first))
        .filter(statements::Column::PeriodTo.lt(to))
        .into_tuple()
        .one(db)
        .await?
        .flatten();
    Ok(Some(super::AgentEstimate { year, ..values.estimate(kind, Money(before.unwrap_or(0)), total, firr) }))
}

fn rule_value(model: &rules::Model) -> AppResult<RuleValue> {
    match (model.rate_bp, model.per_unit_cents) {
        (Some(bp), None) => Ok(RuleValue::Rate(Percent(bp))),
        (None, Some(cents)) => Ok(RuleValue::PerUnit(Money(cents))),
        _ => Err(AppError::Internal),
    }
}

async fn rules_of(db: &impl ConnectionTrait, seller: i64) -> AppResult<Vec<RuleRow>> {
    rules::Entity::find()
        .filter(rules::Column::SellerId.eq(seller))
        .all(db)
        .await?
        .into_iter()
        .map(|r| {
            Ok(RuleRow {
                id: r.id,
                contact: r.contact_id,
                product: r.product_id,
                category: r.category_id,
                value: rule_value(&r)?,
                valid_from: r.valid_from,
            })
        })
        .collect()
}

/// The seller's latest settled statement.
async fn last_settled(db: &impl ConnectionTrait, seller: i64) -> AppResult<Option<statements::Model>> {
    Ok(statements::Entity::find().filter(statements::Column::SellerId.eq(seller)).order_by_desc(statements::Column::Sequence).one(db).await?)
}

/// Runs `query` over `ids` a chunk at a time.
async fn in_chunks<T, F, Fut>(ids: &[i64], mut query: F) -> AppResult<Vec<T>>
where
    F: FnMut(Vec<i64>) -> Fut,
    Fut: std::future::Future<Output = AppResult<Vec<T>>>,
{
    let mut out = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        out.extend(query(chunk.to_vec()).await?);
    }
    Ok(out)
}

/// What the calculation reads of `models` (won sales): their categories up the tree and their
/// collections in order; with each sale's customer and product names for the lines.
async fn facts(db: &impl ConnectionTrait, models: &[sales::Model]) -> AppResult<(Vec<SaleFacts>, HashMap<i64, (String, String)>)> {
    let ids: Vec<i64> = models.iter().map(|m| m.id).collect();
    let parents: HashMap<i64, Option<i64>> = categories::Entity::find().all(db).await?.into_iter().map(|c| (c.id, c.parent_id)).collect();
    let product_ids: Vec<i64> = models.iter().map(|m| m.product_id).collect::<BTreeSet<_>>().into_iter().collect();
    let products: HashMap<i64, products::Model> =
        in_chunks(&product_ids, |chunk| async move { Ok(products::Entity::find().filter(products::Column::Id.is_in(chunk)).all(db).await?) })
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
    let contact_ids: Vec<i64> = models.iter().map(|m| m.contact_id).collect::<BTreeSet<_>>().into_iter().collect();
    let contacts: HashMap<i64, String> = in_chunks(&contact_ids, |chunk| async move {
        Ok(contacts::Entity::find()
            .select_only()
            .columns([contacts::Column::Id, contacts::Column::Name])
            .filter(contacts::Column::Id.is_in(chunk))
            .into_tuple::<(i64, String)>()
            .all(db)
            .await?)
    })
    .await?
    .into_iter()
    .collect();
    let mut paid: HashMap<i64, Vec<(NaiveDate, Money)>> = HashMap::new();
    let rows = in_chunks(&ids, |chunk| async move {
        Ok(collections::Entity::find()
            .filter(collections::Column::SaleId.is_in(chunk))
            .order_by_asc(collections::Column::CollectedOn)
            .order_by_asc(collections::Column::Id)
            .all(db)
            .await?)
    })
    .await?;
    for c in rows {
        paid.entry(c.sale_id).or_default().push((c.collected_on, Money(c.amount_cents)));
    }
    let mut names = HashMap::new();
    let facts = models
        .iter()
        .map(|m| {
            let product = products.get(&m.product_id);
            let mut categories = Vec::new();
            let mut next = product.and_then(|p| p.category_id);
            // The tree has no cycles (the catalog refuses them); the bound is a guard.
            while let Some(c) = next.filter(|_| categories.len() < 64) {
                categories.push(c);
                next = parents.get(&c).copied().flatten();
            }
            names.insert(m.id, (contacts.get(&m.contact_id).cloned().unwrap_or_default(), product.map(|p| p.name.clone()).unwrap_or_default()));
            SaleFacts {
                id: m.id,
                contact: m.contact_id,
                product: m.product_id,
                categories,
                quantity: crate::money::Quantity(m.quantity_milli),
                net: Money(m.net_cents),
                gross: Money(m.gross_cents),
                closed_on: m.closed_date.unwrap_or(m.sale_date),
                collections: paid.remove(&m.id).unwrap_or_default(),
            }
        })
        .collect();
    Ok((facts, names))
}

/// A statement's line for an earning of `sale`, named after its customer and product.
fn earned_line(sale: i64, e: calc::Earning, names: &HashMap<i64, (String, String)>) -> StatementLine {
    let (customer, product) = names.get(&sale).cloned().unwrap_or_default();
    StatementLine { sale: SaleId(sale), on: e.on, customer, product, base: e.base, applied: e.applied, commission: e.commission, adjusts: None }
}

/// A statement worked out now, with what settling it would write per sale.
struct Worked {
    statement: Statement,
    /// What settling pays per sale, and the sale's version it was worked out from.
    per_sale: BTreeMap<i64, (i64, i32)>,
    last: Option<statements::Model>,
}

/// The statement of `seller` up to the end of `period`, from the data as it is now.
async fn work_out(db: &impl ConnectionTrait, seller: &sellers::Model, period: Period) -> AppResult<Worked> {
    let through = period.to;
    let (earn_on, agent, firr) = plan_of(db, seller.id).await?;
    let modes = modes_of(db, seller.id).await?;
    let rules = rules_of(db, seller.id).await?;
    let last = last_settled(db, seller.id).await?;
    let last_to = last.as_ref().map(|l| l.period_to);
    // What was settled per sale, and in which statements.
    let sequences: HashMap<i64, i32> = statements::Entity::find()
        .select_only()
        .columns([statements::Column::Id, statements::Column::Sequence])
        .filter(statements::Column::SellerId.eq(seller.id))
        .into_tuple::<(i64, i32)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    // The seller's won sales that earn up to `through`: after `last` (new earnings), and before
    // it those never settled (closed or collected late) or settled before (to adjust).
    // Whatever the mode of each sale: closed, or collected, by `through`.
    let won = sales::Entity::find().filter(sales::Column::SellerId.eq(seller.id)).filter(sales::Column::Stage.eq(Stage::Won));
    let collected = |from: Option<NaiveDate>| {
        let mut paid =
            collections::Entity::find().select_only().column(collections::Column::SaleId).filter(collections::Column::CollectedOn.lte(through));
        if let Some(from) = from {
            paid = paid.filter(collections::Column::CollectedOn.gt(from));
        }
        sales::Column::Id.in_subquery(paid.into_query())
    };
    let earning = won.filter(Condition::any().add(sales::Column::ClosedDate.lte(through)).add(collected(None)));
    let earning = match last_to {
        None => earning,
        Some(last_to) => {
            let fresh = Condition::any().add(sales::Column::ClosedDate.gt(last_to)).add(collected(Some(last_to)));
            let never_settled = sales::Column::Id.not_in_subquery(
                entries::Entity::find().select_only().column(entries::Column::SaleId).filter(entries::Column::SellerId.eq(seller.id)).into_query(),
            );
            earning.filter(Condition::any().add(fresh).add(never_settled))
        }
    };
    let mut models = earning.all(db).await?;
    // The settled sales changed since they were last settled (another version, another seller,
    // no longer won, deleted): only those are worked out again up to `last`; the others earn there
    // what they were paid.
    let changed: Vec<i64> = if last_to.is_none() {
        Vec::new()
    } else {
        let sql = format!(
            "SELECT e.sale_id FROM commission_entries e LEFT JOIN sales s ON s.id = e.sale_id WHERE e.seller_id = {id} GROUP BY e.sale_id \
             HAVING MAX(s.id) IS NULL OR MAX(s.version) <> MAX(e.sale_version) OR MAX(s.seller_id) <> {id} OR MAX(s.stage) <> 'won'",
            id = seller.id
        );
        let rows = db.query_all_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql)).await?;
        rows.iter().map(|r| r.try_get_by_index::<i64>(0)).collect::<Result<_, _>>()?
    };
    let found: BTreeSet<i64> = models.iter().map(|m| m.id).collect();
    let missing: Vec<i64> = changed.iter().copied().filter(|id| !found.contains(id)).collect();
    models.extend(
        in_chunks(&missing, |chunk| async move {
            Ok(sales::Entity::find()
                .filter(sales::Column::Id.is_in(chunk))
                .filter(sales::Column::SellerId.eq(seller.id))
                .filter(sales::Column::Stage.eq(Stage::Won))
                .all(db)
                .await?)
        })
        .await?,
    );
    // What was settled on those sales, and in which statements.
    let mut ids: Vec<i64> = found.into_iter().chain(changed).collect();
    ids.sort_unstable();
    ids.dedup();
    let settled_rows: Vec<(i64, i64, i64)> = if last_to.is_none() {
        Vec::new()
    } else {
        in_chunks(&ids, |chunk| async move {
            Ok(entries::Entity::find()
                .select_only()
                .columns([entries::Column::SaleId, entries::Column::AmountCents, entries::Column::StatementId])
                .filter(entries::Column::SellerId.eq(seller.id))
                .filter(entries::Column::SaleId.is_in(chunk))
                .into_tuple()
                .all(db)
                .await?)
        })
        .await?
    };
    let mut settled: BTreeMap<i64, (i128, Vec<i32>)> = BTreeMap::new();
    for (sale, amount, statement) in settled_rows {
        let e = settled.entry(sale).or_default();
        e.0 += amount as i128;
        e.1.extend(sequences.get(&statement));
    }
    let versions: HashMap<i64, i32> = models.iter().map(|m| (m.id, m.version)).collect();
    let (facts, mut names) = facts(db, &models).await?;
    // The names of settled sales no longer the seller's (moved, lost, deleted).
    let gone: Vec<i64> = settled.keys().copied().filter(|id| !names.contains_key(id)).collect();
    for (id, customer, product) in in_chunks(&gone, |chunk| async move {
        Ok(sales::Entity::find()
            .select_only()
            .column(sales::Column::Id)
            .column_as(Expr::col((contacts::Entity, contacts::Column::Name)), "customer")
            .column_as(Expr::col((products::Entity, products::Column::Name)), "product")
            .join(JoinType::InnerJoin, sales::Relation::Contact.def())
            .join(JoinType::InnerJoin, sales::Relation::Product.def())
            .filter(sales::Column::Id.is_in(chunk))
            .into_tuple::<(i64, String, String)>()
            .all(db)
            .await?)
    })
    .await?
    {
        names.insert(id, (customer, product));
    }
    let mut lines = Vec::new();
    let mut adjustments = Vec::new();
    let mut due_before: HashMap<i64, (i128, Option<Applied>)> = HashMap::new();
    for sale in &facts {
        for e in calc::earnings(&rules, sale, calc::mode_for(&modes, sale.closed_on)).into_iter().filter(|e| e.on <= through) {
            if last_to.is_some_and(|l| e.on <= l) {
                let d = due_before.entry(sale.id).or_default();
                d.0 += e.commission.0 as i128;
                d.1 = e.applied;
                continue;
            }
            lines.push(earned_line(sale.id, e, &names));
        }
    }
    if let Some(last_to) = last_to {
        let mut ids: BTreeSet<i64> = due_before.keys().copied().collect();
        ids.extend(settled.keys().copied());
        for id in ids {
            let (due, applied) = due_before.remove(&id).unwrap_or_default();
            let (paid, sequences) = settled.get(&id).cloned().unwrap_or_default();
            if due == paid {
                continue;
            }
            let (customer, product) = names.get(&id).cloned().unwrap_or_default();
            let mut sequences = sequences;
            sequences.sort_unstable();
            sequences.dedup();
            adjustments.push(StatementLine {
                sale: SaleId(id),
                on: last_to,
                customer,
                product,
                base: Money(0),
                applied,
                commission: Money(i64::try_from(due - paid).map_err(|_| AppError::Internal)?),
                adjusts: Some(sequences),
            });
        }
    }
    lines.sort_by_key(|l| (l.on, l.sale));
    let sum = |ls: &[StatementLine]| -> AppResult<Money> {
        i64::try_from(ls.iter().map(|l| l.commission.0 as i128).sum::<i128>()).map(Money).map_err(|_| AppError::Internal)
    };
    let (earned, adjusted) = (sum(&lines)?, sum(&adjustments)?);
    lines.extend(adjustments);
    let mut per_sale: BTreeMap<i64, (i64, i32)> = BTreeMap::new();
    for l in &lines {
        let e = per_sale.entry(l.sale.0).or_insert((0, versions.get(&l.sale.0).copied().unwrap_or(0)));
        e.0 += l.commission.0;
    }
    let total = earned.checked_add(adjusted).ok_or(AppError::Internal)?;
    let statement = Statement {
        seller: SellerId(seller.id),
        seller_name: seller.name.clone(),
        earn_on,
        period,
        settled_before: last_to.and_then(|l| l.succ_opt()),
        lines,
        earned,
        adjustments: adjusted,
        total,
        agent: agent_estimate(db, seller.id, agent, firr, through, total).await?,
        settled: None,
        currency: sale_settings(db).await?.currency,
    };
    Ok(Worked { statement, per_sale, last })
}

/// Every commission the sellers of `scope` (or `seller` only) earned from `from` to `to`, settled
/// or not, by seller then date: the workbook's *Provvigioni* sheet.
pub async fn earned_lines(
    db: &impl ConnectionTrait,
    scope: &crate::auth::scope::SellerScope,
    seller: Option<SellerId>,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<(String, StatementLine)>> {
    let mut query = scope.filter_on(sellers::Entity::find(), sellers::Column::Id).order_by_asc(sellers::Column::Name);
    if let Some(seller) = seller {
        query = query.filter(sellers::Column::Id.eq(seller.0));
    }
    let mut out = Vec::new();
    for seller in query.all(db).await? {
        let rules = rules_of(db, seller.id).await?;
        if rules.is_empty() {
            continue;
        }
        let modes = modes_of(db, seller.id).await?;
        let paid = collections::Entity::find()
            .select_only()
            .column(collections::Column::SaleId)
            .filter(collections::Column::CollectedOn.gte(from))
            .filter(collections::Column::CollectedOn.lte(to))
            .into_query();
        let models = sales::Entity::find()
            .filter(sales::Column::SellerId.eq(seller.id))
            .filter(sales::Column::Stage.eq(Stage::Won))
            .filter(Condition::any().add(sales::Column::ClosedDate.between(from, to)).add(sales::Column::Id.in_subquery(paid)))
            .all(db)
            .await?;
        let (facts, names) = facts(db, &models).await?;
        let mut lines = Vec::new();
        for sale in &facts {
            for e in calc::earnings(&rules, sale, calc::mode_for(&modes, sale.closed_on)).into_iter().filter(|e| e.on >= from && e.on <= to) {
                lines.push((seller.name.clone(), earned_line(sale.id, e, &names)));
            }
        }
        lines.sort_by_key(|(_, l)| (l.on, l.sale));
        out.extend(lines);
    }
    Ok(out)
}

/// The seller's statement up to the end of `period`: what is to be settled.
pub async fn statement(db: &DatabaseConnection, actor: &CurrentUser, seller: SellerId, period_code: &str) -> AppResult<Statement> {
    let seller = visible_seller(db, actor, seller).await?;
    Ok(work_out(db, &seller, period(period_code)?).await?.statement)
}

/// Settles the seller's statement up to the end of `period` (managers): frozen as shown, with
/// what it paid per sale. A statement without a line is not settled. A period already settled (by anyone, even at the same moment) is
/// refused: the seller's statement numbers are unique.
pub async fn settle(db: &DatabaseConnection, actor: &CurrentUser, seller: SellerId, period_code: &str) -> AppResult<Statement> {
    require_manager(actor)?;
    let period = period(period_code)?;
    let actor = actor.clone();
    crate::db::transaction(db, |txn| {
        Box::pin(async move {
            let seller = visible_seller(txn, &actor, seller).await?;
            let Worked { mut statement, per_sale, last } = work_out(txn, &seller, period).await?;
            if last.as_ref().is_some_and(|l| l.period_to >= period.to) {
                return Err(AppError::PeriodSettled);
            }
            if statement.lines.is_empty() {
                return Err(AppError::NothingToSettle);
            }
            let sequence = last.map(|l| l.sequence + 1).unwrap_or(1);
            let now = Utc::now();
            let document = serde_json::to_string(&statement).map_err(|_| AppError::Internal)?;
            let model = statements::ActiveModel {
                seller_id: Set(seller.id),
                sequence: Set(sequence),
                period_from: Set(statement
                    .settled_before
                    .or(statement.lines.iter().map(|l| l.on).min())
                    .map_or(period.from, |d| Ord::min(d, period.from))),
                period_to: Set(period.to),
                total_cents: Set(statement.total.0),
                document: Set(document),
                settled_by: Set(actor.id.0),
                settled_at: Set(now),
                ..Default::default()
            }
            .insert(txn)
            .await
            .map_err(|e| match e.sql_err() {
                Some(SqlErr::UniqueConstraintViolation(_)) => AppError::PeriodSettled,
                _ => AppError::from(e),
            })?;
            let rows: Vec<entries::ActiveModel> = per_sale
                .into_iter()
                .map(|(sale, (amount, version))| entries::ActiveModel {
                    statement_id: Set(model.id),
                    seller_id: Set(seller.id),
                    sale_id: Set(sale),
                    amount_cents: Set(amount),
                    sale_version: Set(version),
                    ..Default::default()
                })
                .collect();
            for chunk in rows.chunks(CHUNK) {
                entries::Entity::insert_many(chunk.to_vec()).exec_without_returning(txn).await?;
            }
            statement.settled = Some(Settlement { id: model.id, sequence, at: now, by: actor.display_name.clone() });
            Ok(statement)
        })
    })
    .await
}

/// A settled statement as it was settled: its frozen document, and who settled it.
pub async fn settled_statement(db: &DatabaseConnection, actor: &CurrentUser, id: i64) -> AppResult<Statement> {
    let model = statements::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    visible_seller(db, actor, SellerId(model.seller_id)).await?;
    let mut statement: Statement = serde_json::from_str(&model.document).map_err(|_| AppError::Internal)?;
    let by = users::Entity::find_by_id(model.settled_by).one(db).await?.map(|u| u.display_name).unwrap_or_default();
    statement.settled = Some(Settlement { id: model.id, sequence: model.sequence, at: model.settled_at, by });
    Ok(statement)
}

/// The document of a settled statement, byte for byte as stored (the tests compare it).
pub async fn settled_document(db: &impl ConnectionTrait, id: i64) -> AppResult<String> {
    Ok(statements::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?.document)
}

/// The seller's settled statements, the latest first.
pub async fn settled(db: &DatabaseConnection, actor: &CurrentUser, seller: SellerId) -> AppResult<SettledList> {
    let seller = visible_seller(db, actor, seller).await?;
    let models =
        statements::Entity::find().filter(statements::Column::SellerId.eq(seller.id)).order_by_desc(statements::Column::Sequence).all(db).await?;
    let names: HashMap<i64, String> = users::Entity::find()
        .filter(users::Column::Id.is_in(models.iter().map(|m| m.settled_by).collect::<BTreeSet<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let rows = models
        .into_iter()
        .map(|m| SettledRow {
            id: m.id,
            sequence: m.sequence,
            from: m.period_from,
            to: m.period_to,
            total: Money(m.total_cents),
            at: m.settled_at,
            by: names.get(&m.settled_by).cloned().unwrap_or_default(),
        })
        .collect();
    Ok(SettledList { rows, currency: sale_settings(db).await?.currency })
}

/// Every seller the user sees, active or holding statements: what each earned in the period and
/// what is to be settled up to its end.
pub async fn overview(db: &DatabaseConnection, actor: &CurrentUser, period_code: &str) -> AppResult<CommissionsOverview> {
    let period = period(period_code)?;
    let scope = visible_sellers(db, actor).await?;
    let sellers = scope.filter_on(sellers::Entity::find(), sellers::Column::Id).order_by_asc(sellers::Column::Name).all(db).await?;
    let mut rows = Vec::new();
    for seller in sellers.iter().filter(|s| s.active) {
        let worked = work_out(db, seller, period).await?;
        let s = worked.statement;
        let earned = s.earned_since(period.from);
        rows.push(SellerCommissions {
            seller: s.seller,
            name: s.seller_name,
            earn_on: s.earn_on,
            earned,
            to_settle: s.total,
            settled_through: worked.last.map(|l| l.period_to),
        });
    }
    Ok(CommissionsOverview { period, rows, currency: sale_settings(db).await?.currency })
}

/// The user's own seller's figures for the month of `today` (earned in it, settled or not; to be
/// settled up to its end), if he is a seller with rules (the home page).
pub async fn mine(db: &DatabaseConnection, actor: &CurrentUser, today: NaiveDate) -> AppResult<Option<super::MyCommissions>> {
    let Some(seller) = sellers::Entity::find().filter(sellers::Column::UserId.eq(actor.id.0)).one(db).await? else {
        return Ok(None);
    };
    if rules::Entity::find().filter(rules::Column::SellerId.eq(seller.id)).count(db).await? == 0 {
        return Ok(None);
    }
    let period = Period::month(crate::figures::Month::of(today));
    let only = crate::auth::scope::SellerScope::Only([seller.id].into_iter().collect());
    let earned = earned_lines(db, &only, None, period.from, period.to).await?.iter().map(|(_, l)| l.commission).sum();
    let to_settle = work_out(db, &seller, period).await?.statement.total;
    Ok(Some(super::MyCommissions { seller: SellerId(seller.id), earned, to_settle }))
}

// ---------------------------------------------------------------- plans and rules

/// The end of the seller's last settled period: rules may not reach back to it.
async fn settled_through(db: &impl ConnectionTrait, seller: i64) -> AppResult<Option<NaiveDate>> {
    Ok(last_settled(db, seller).await?.map(|l| l.period_to))
}

/// The sellers' plans and rules (managers).
pub async fn setup(db: &DatabaseConnection, actor: &CurrentUser) -> AppResult<CommissionSetup> {
    require_manager(actor)?;
    let sellers = sellers::Entity::find().order_by_asc(sellers::Column::Name).all(db).await?;
    let plans: HashMap<i64, plans::Model> = plans::Entity::find().all(db).await?.into_iter().map(|p| (p.seller_id, p)).collect();
    let mut through: HashMap<i64, NaiveDate> = HashMap::new();
    for (seller, to) in statements::Entity::find()
        .select_only()
        .column(statements::Column::SellerId)
        .column_as(Expr::col(statements::Column::PeriodTo).max(), "to")
        .group_by(statements::Column::SellerId)
        .into_tuple::<(i64, NaiveDate)>()
        .all(db)
        .await?
    {
        through.insert(seller, to);
    }
    let names: HashMap<i64, String> = sellers.iter().map(|s| (s.id, s.name.clone())).collect();
    let plan_rows = sellers
        .iter()
        .filter(|s| s.active || plans.contains_key(&s.id))
        .map(|s| PlanRow {
            seller: SellerId(s.id),
            name: s.name.clone(),
            earn_on: plans.get(&s.id).map(|p| p.earn_on).unwrap_or_default(),
            agent: plans.get(&s.id).map(|p| p.agent).unwrap_or_default(),
            firr: plans.get(&s.id).is_some_and(|p| p.firr),
            version: plans.get(&s.id).map(|p| p.version).unwrap_or(0),
            settled_through: through.get(&s.id).copied(),
        })
        .collect();
    let models = rules::Entity::find()
        .order_by_asc(rules::Column::SellerId)
        .order_by_desc(rules::Column::ValidFrom)
        .order_by_desc(rules::Column::Id)
        .all(db)
        .await?;
    let targets = Targets::of(db, &models).await?;
    let out = models
        .into_iter()
        .map(|m| {
            let removable = through.get(&m.seller_id).is_none_or(|t| m.valid_from > *t);
            rule_of(m, &names, &targets, removable)
        })
        .collect::<AppResult<Vec<_>>>()?;
    let years = enasarco_years::Entity::find().order_by_desc(enasarco_years::Column::Year).all(db).await?.into_iter().map(year_of).collect();
    Ok(CommissionSetup { plans: plan_rows, rules: out, years, currency: sale_settings(db).await?.currency })
}

/// The names of what rules are for (customers, products, categories), read once for them all.
struct Targets {
    contacts: HashMap<i64, String>,
    products: HashMap<i64, String>,
    categories: HashMap<i64, String>,
}

impl Targets {
    async fn of(db: &impl ConnectionTrait, rules: &[rules::Model]) -> AppResult<Targets> {
        let ids = |f: fn(&rules::Model) -> Option<i64>| rules.iter().filter_map(f).collect::<BTreeSet<i64>>();
        Ok(Targets {
            contacts: contacts::Entity::find()
                .filter(contacts::Column::Id.is_in(ids(|r| r.contact_id)))
                .all(db)
                .await?
                .into_iter()
                .map(|c| (c.id, c.name))
                .collect(),
            products: products::Entity::find()
                .filter(products::Column::Id.is_in(ids(|r| r.product_id)))
                .all(db)
                .await?
                .into_iter()
                .map(|p| (p.id, p.name))
                .collect(),
            categories: categories::Entity::find()
                .filter(categories::Column::Id.is_in(ids(|r| r.category_id)))
                .all(db)
                .await?
                .into_iter()
                .map(|c| (c.id, c.name))
                .collect(),
        })
    }
}

fn rule_of(m: rules::Model, sellers: &HashMap<i64, String>, targets: &Targets, removable: bool) -> AppResult<Rule> {
    let row =
        RuleRow { id: m.id, contact: m.contact_id, product: m.product_id, category: m.category_id, value: rule_value(&m)?, valid_from: m.valid_from };
    let name = |names: &HashMap<i64, String>, id: Option<i64>| id.map(|id| names.get(&id).cloned().unwrap_or_default());
    let target: Vec<String> =
        [name(&targets.contacts, m.contact_id), name(&targets.products, m.product_id), name(&targets.categories, m.category_id)]
            .into_iter()
            .flatten()
            .collect();
    Ok(Rule {
        id: m.id,
        seller: SellerId(m.seller_id),
        seller_name: sellers.get(&m.seller_id).cloned().unwrap_or_default(),
        scope: row.scope(),
        target: target.join(" · "),
        value: row.value,
        valid_from: m.valid_from,
        removable,
    })
}

/// Sets how the seller earns (managers). `version` 0: the seller has no plan yet.
pub async fn save_plan(db: &DatabaseConnection, actor: &CurrentUser, seller: SellerId, version: i32, form: &PlanForm) -> AppResult<PlanRow> {
    require_manager(actor)?;
    let earn_on = EarnOn::from_code(form.earn_on.trim()).ok_or(AppError::invalid(Field::Kind, Problem::Invalid))?;
    let agent = match form.agent.trim() {
        "" => AgentKind::None,
        code => AgentKind::from_code(code).ok_or(AppError::invalid(Field::Kind, Problem::Invalid))?,
    };
    let firr = agent != AgentKind::None && matches!(form.firr.trim(), "true" | "on");
    let actor = actor.clone();
    crate::db::transaction(db, |txn| {
        Box::pin(async move {
            let model = sellers::Entity::find_by_id(seller.0).one(txn).await?.ok_or(AppError::NotFound)?;
            let now = Utc::now();
            let current = plans::Entity::find_by_id(seller.0).one(txn).await?;
            // A new mode applies to the sales closed after the last settled period.
            if current.as_ref().map(|p| p.earn_on).unwrap_or_default() != earn_on || current.is_none() {
                let from = open_from(settled_through(txn, seller.0).await?);
                modes::Entity::delete_many()
                    .filter(modes::Column::SellerId.eq(seller.0))
                    .filter(modes::Column::ValidFrom.gte(from))
                    .exec(txn)
                    .await?;
                modes::ActiveModel { seller_id: Set(seller.0), valid_from: Set(from), earn_on: Set(earn_on) }.insert(txn).await?;
            }
            let version = match current {
                None if version == 0 => {
                    plans::ActiveModel {
                        seller_id: Set(seller.0),
                        earn_on: Set(earn_on),
                        agent: Set(agent),
                        firr: Set(firr),
                        updated_by: Set(actor.id.0),
                        updated_at: Set(now),
                        version: Set(1),
                    }
                    .insert(txn)
                    .await
                    .map_err(|_| AppError::Conflict)?;
                    1
                }
                Some(p) if p.version == version => {
                    let done = plans::Entity::update_many()
                        .col_expr(plans::Column::EarnOn, Expr::value(earn_on.code()))
                        .col_expr(plans::Column::Agent, Expr::value(agent.code()))
                        .col_expr(plans::Column::Firr, Expr::value(firr))
                        .col_expr(plans::Column::UpdatedBy, Expr::value(actor.id.0))
                        .col_expr(plans::Column::UpdatedAt, Expr::value(now))
                        .col_expr(plans::Column::Version, Expr::value(version + 1))
                        .filter(plans::Column::SellerId.eq(seller.0))
                        .filter(plans::Column::Version.eq(version))
                        .exec(txn)
                        .await?;
                    if done.rows_affected != 1 {
                        return Err(AppError::Conflict);
                    }
                    version + 1
                }
                _ => return Err(AppError::Conflict),
            };
            Ok(PlanRow { seller, name: model.name, earn_on, agent, firr, version, settled_through: settled_through(txn, seller.0).await? })
        })
    })
    .await
}

/// The largest amount a year's values take: € 1 000 000 000.
const MAX_YEAR_AMOUNT: Money = Money(100_000_000_000);

/// Writes a year's Enasarco values (managers): percentages of at most 100 (the company's share at
/// most the rate), amounts from 0 to `MAX_YEAR_AMOUNT`, each FIRR step at most the next.
pub async fn save_year(db: &DatabaseConnection, actor: &CurrentUser, form: &EnasarcoForm) -> AppResult<EnasarcoYear> {
    require_manager(actor)?;
    let year: i32 = form.year.trim().parse().map_err(|_| AppError::invalid(Field::Period, Problem::Invalid))?;
    if !(2000..=2100).contains(&year) {
        return Err(AppError::invalid(Field::Period, Problem::OutOfRange));
    }
    let percent = |text: &str| -> AppResult<Percent> {
        let p = Percent::parse(text).map_err(|e| AppError::invalid(Field::Rate, number_problem(e)))?;
        if (0..=10_000).contains(&p.0) { Ok(p) } else { Err(AppError::invalid(Field::Rate, Problem::OutOfRange)) }
    };
    let amount = |text: &str| -> AppResult<Money> {
        let m = Money::parse(text).map_err(|e| AppError::invalid(Field::Amount, number_problem(e)))?;
        if (0..=MAX_YEAR_AMOUNT.0).contains(&m.0) { Ok(m) } else { Err(AppError::invalid(Field::Amount, Problem::OutOfRange)) }
    };
    let values = EnasarcoYear {
        year,
        rate: percent(&form.rate)?,
        company: percent(&form.company)?,
        ceiling_mono: amount(&form.ceiling_mono)?,
        ceiling_pluri: amount(&form.ceiling_pluri)?,
        minimum_mono: amount(&form.minimum_mono)?,
        minimum_pluri: amount(&form.minimum_pluri)?,
        firr_rates: [percent(&form.firr_rate1)?, percent(&form.firr_rate2)?, percent(&form.firr_rate3)?],
        firr_mono: [amount(&form.firr_mono1)?, amount(&form.firr_mono2)?],
        firr_pluri: [amount(&form.firr_pluri1)?, amount(&form.firr_pluri2)?],
    };
    if values.company > values.rate {
        return Err(AppError::invalid(Field::Rate, Problem::OutOfRange));
    }
    if values.firr_mono[0] > values.firr_mono[1] || values.firr_pluri[0] > values.firr_pluri[1] {
        return Err(AppError::invalid(Field::Amount, Problem::OutOfRange));
    }
    let model = enasarco_years::ActiveModel {
        year: Set(year),
        rate_bp: Set(values.rate.0),
        company_bp: Set(values.company.0),
        ceiling_mono_cents: Set(values.ceiling_mono.0),
        ceiling_pluri_cents: Set(values.ceiling_pluri.0),
        minimum_mono_cents: Set(values.minimum_mono.0),
        minimum_pluri_cents: Set(values.minimum_pluri.0),
        firr_rate1_bp: Set(values.firr_rates[0].0),
        firr_rate2_bp: Set(values.firr_rates[1].0),
        firr_rate3_bp: Set(values.firr_rates[2].0),
        firr_mono_step1_cents: Set(values.firr_mono[0].0),
        firr_mono_step2_cents: Set(values.firr_mono[1].0),
        firr_pluri_step1_cents: Set(values.firr_pluri[0].0),
        firr_pluri_step2_cents: Set(values.firr_pluri[1].0),
        updated_at: Set(Utc::now()),
    };
    enasarco_years::Entity::insert(model)
        .on_conflict(
            sea_orm::sea_query::OnConflict::column(enasarco_years::Column::Year)
                .update_columns([
                    enasarco_years::Column::RateBp,
                    enasarco_years::Column::CompanyBp,
                    enasarco_years::Column::CeilingMonoCents,
                    enasarco_years::Column::CeilingPluriCents,
                    enasarco_years::Column::MinimumMonoCents,
                    enasarco_years::Column::MinimumPluriCents,
                    enasarco_years::Column::FirrRate1Bp,
                    enasarco_years::Column::FirrRate2Bp,
                    enasarco_years::Column::FirrRate3Bp,
                    enasarco_years::Column::FirrMonoStep1Cents,
                    enasarco_years::Column::FirrMonoStep2Cents,
                    enasarco_years::Column::FirrPluriStep1Cents,
                    enasarco_years::Column::FirrPluriStep2Cents,
                    enasarco_years::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(values)
}

/// A rate of at most 100 %; an amount per unit of at most € 1 000 000.
const MAX_PER_UNIT: Money = Money(100_000_000);

/// Adds a rule (managers). It may not start within a period already settled for the seller.
pub async fn add_rule(db: &DatabaseConnection, actor: &CurrentUser, form: &RuleForm) -> AppResult<Rule> {
    require_manager(actor)?;
    let id = |field: Field, text: &str| -> AppResult<Option<i64>> {
        let text = text.trim();
        if text.is_empty() { Ok(None) } else { text.parse().map(Some).map_err(|_| AppError::invalid(field, Problem::Invalid)) }
    };
    let seller = id(Field::Seller, &form.seller)?.ok_or(AppError::invalid(Field::Seller, Problem::Required))?;
    let product = id(Field::Product, &form.product)?;
    let category = id(Field::Category, &form.category)?;
    let value = match form.kind.trim() {
        "rate" => {
            let rate = Percent::parse(&form.value).map_err(|e| AppError::invalid(Field::Rate, number_problem(e)))?;
            if rate.0 < 0 || rate.0 > 10_000 {
                return Err(AppError::invalid(Field::Rate, Problem::OutOfRange));
            }
            RuleValue::Rate(rate)
        }
        "per_unit" => {
            let amount = Money::parse(&form.value).map_err(|e| AppError::invalid(Field::PerUnit, number_problem(e)))?;
            if amount.0 < 0 || amount > MAX_PER_UNIT {
                return Err(AppError::invalid(Field::PerUnit, Problem::OutOfRange));
            }
            RuleValue::PerUnit(amount)
        }
        _ => return Err(AppError::invalid(Field::Kind, Problem::Invalid)),
    };
    let valid_from = optional_date(Field::ValidFrom, &form.valid_from)?.ok_or(AppError::invalid(Field::ValidFrom, Problem::Required))?;
    let (contact_name, actor) = (form.contact.trim().to_string(), actor.clone());
    if contact_name.chars().count() > 200 {
        return Err(AppError::invalid(Field::Contact, Problem::TooLong));
    }
    crate::db::transaction(db, |txn| {
        Box::pin(async move {
            let seller = sellers::Entity::find_by_id(seller).one(txn).await?.ok_or(AppError::invalid(Field::Seller, Problem::Invalid))?;
            let contact = if contact_name.is_empty() {
                None
            } else {
                // The customer by his name, as the address book writes it (any case).
                let found = contacts::Entity::find()
                    .filter(Expr::expr(sea_orm::sea_query::Func::lower(Expr::col(contacts::Column::Name))).eq(contact_name.to_lowercase()))
                    .limit(2)
                    .all(txn)
                    .await?;
                match found.as_slice() {
                    [one] => Some(one.id),
                    [] => return Err(AppError::invalid(Field::Contact, Problem::Invalid)),
                    _ => return Err(AppError::invalid(Field::Contact, Problem::Taken)),
                }
            };
            if category.is_some() && (contact.is_some() || product.is_some()) {
                return Err(AppError::invalid(Field::Category, Problem::Invalid));
            }
            if let Some(p) = product {
                products::Entity::find_by_id(p).one(txn).await?.ok_or(AppError::invalid(Field::Product, Problem::Invalid))?;
            }
            if let Some(c) = category {
                categories::Entity::find_by_id(c).one(txn).await?.ok_or(AppError::invalid(Field::Category, Problem::Invalid))?;
            }
            if settled_through(txn, seller.id).await?.is_some_and(|t| valid_from <= t) {
                return Err(AppError::PeriodSettled);
            }
            let (rate_bp, per_unit_cents) = match value {
                RuleValue::Rate(p) => (Some(p.0), None),
                RuleValue::PerUnit(m) => (None, Some(m.0)),
            };
            let model = rules::ActiveModel {
                seller_id: Set(seller.id),
                contact_id: Set(contact),
                product_id: Set(product),
                category_id: Set(category),
                rate_bp: Set(rate_bp),
                per_unit_cents: Set(per_unit_cents),
                valid_from: Set(valid_from),
                created_by: Set(actor.id.0),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            let targets = Targets::of(txn, std::slice::from_ref(&model)).await?;
            rule_of(model, &HashMap::from([(seller.id, seller.name)]), &targets, true)
        })
    })
    .await
}

/// Takes back a rule (managers) that no settled period has reached.
pub async fn delete_rule(db: &DatabaseConnection, actor: &CurrentUser, id: i64) -> AppResult<()> {
    require_manager(actor)?;
    crate::db::transaction(db, |txn| {
        Box::pin(async move {
            let rule = rules::Entity::find_by_id(id).one(txn).await?.ok_or(AppError::NotFound)?;
            if settled_through(txn, rule.seller_id).await?.is_some_and(|t| rule.valid_from <= t) {
                return Err(AppError::PeriodSettled);
            }
            rules::Entity::delete_by_id(id).exec(txn).await?;
            Ok(())
        })
    })
    .await
}

// ---------------------------------------------------------------- collections

/// The sale, if the user sees it.
async fn visible_sale(db: &impl ConnectionTrait, actor: &CurrentUser, sale: SaleId) -> AppResult<sales::Model> {
    let model = sales::Entity::find_by_id(sale.0).one(db).await?.ok_or(AppError::NotFound)?;
    if !visible_sellers(db, actor).await?.allows(model.seller_id) {
        return Err(AppError::Forbidden);
    }
    Ok(model)
}

async fn collections_of(db: &impl ConnectionTrait, sale: sales::Model) -> AppResult<SaleCollections> {
    let rows = collections::Entity::find()
        .filter(collections::Column::SaleId.eq(sale.id))
        .order_by_asc(collections::Column::CollectedOn)
        .order_by_asc(collections::Column::Id)
        .all(db)
        .await?;
    let names: HashMap<i64, String> = users::Entity::find()
        .filter(users::Column::Id.is_in(rows.iter().map(|r| r.created_by).collect::<BTreeSet<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let collected = rows.iter().map(|r| Money(r.amount_cents)).sum();
    let text = |v: Option<String>| v.unwrap_or_default();
    Ok(SaleCollections {
        sale: SaleId(sale.id),
        customer: text(contacts::Entity::find_by_id(sale.contact_id).one(db).await?.map(|c| c.name)),
        product: text(products::Entity::find_by_id(sale.product_id).one(db).await?.map(|p| p.name)),
        seller: text(sellers::Entity::find_by_id(sale.seller_id).one(db).await?.map(|s| s.name)),
        closed_on: sale.closed_date,
        gross: Money(sale.gross_cents),
        collected,
        rows: rows
            .into_iter()
            .map(|r| CollectionRow {
                id: r.id,
                on: r.collected_on,
                amount: Money(r.amount_cents),
                by: names.get(&r.created_by).cloned().unwrap_or_default(),
            })
            .collect(),
        currency: sale_settings(db).await?.currency,
    })
}

/// A collection recorded or removed moves its sale's version: the sale's commission changed (a
/// settled statement's sales are worked out again when their version moved).
async fn touch(txn: &DatabaseTransaction, sale: i64) -> AppResult<()> {
    sales::Entity::update_many()
        .col_expr(sales::Column::Version, Expr::col(sales::Column::Version).add(1))
        .filter(sales::Column::Id.eq(sale))
        .exec(txn)
        .await?;
    Ok(())
}

/// A sale's collections (whoever sees the sale).
pub async fn collections(db: &DatabaseConnection, actor: &CurrentUser, sale: SaleId) -> AppResult<SaleCollections> {
    let model = visible_sale(db, actor, sale).await?;
    collections_of(db, model).await
}

/// Records a payment on a won sale: a positive amount, on a day not after today, the sale's
/// collections never above its gross total (the sale's row is held while they are summed).
pub async fn add_collection(db: &DatabaseConnection, actor: &CurrentUser, sale: SaleId, form: &CollectionForm) -> AppResult<SaleCollections> {
    let amount = Money::parse(&form.amount).map_err(|e| AppError::invalid(Field::Amount, number_problem(e)))?;
    if amount.0 <= 0 {
        return Err(AppError::invalid(Field::Amount, Problem::NotPositive));
    }
    let on = optional_date(Field::CollectedOn, &form.on)?.unwrap_or_else(|| Utc::now().date_naive());
    if on > Utc::now().date_naive() + chrono::Days::new(1) {
        return Err(AppError::invalid(Field::CollectedOn, Problem::InFuture));
    }
    let actor = actor.clone();
    crate::db::transaction(db, |txn| {
        Box::pin(async move {
            visible_sale(txn, &actor, sale).await?;
            let model = sales::Entity::find_by_id(sale.0).lock_exclusive().one(txn).await?.ok_or(AppError::NotFound)?;
            if model.stage != Stage::Won {
                return Err(AppError::SaleNotWon);
            }
            let so_far: Option<i64> = collections::Entity::find()
                .select_only()
                .column_as(Expr::col(collections::Column::AmountCents).sum().cast_as(Alias::new("BIGINT")), "sum")
                .filter(collections::Column::SaleId.eq(sale.0))
                .into_tuple()
                .one(txn)
                .await?
                .flatten();
            if so_far.unwrap_or(0) as i128 + amount.0 as i128 > model.gross_cents as i128 {
                return Err(AppError::invalid(Field::Amount, Problem::TooLarge));
            }
            touch(txn, sale.0).await?;
            collections::ActiveModel {
                sale_id: Set(sale.0),
                collected_on: Set(on),
                amount_cents: Set(amount.0),
                created_by: Set(actor.id.0),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            collections_of(txn, model).await
        })
    })
    .await
}

/// Removes a collection entered by mistake (as the sale). What a settled statement paid on it
/// stays paid: the next statement adjusts.
pub async fn delete_collection(db: &DatabaseConnection, actor: &CurrentUser, id: i64) -> AppResult<SaleCollections> {
    let actor = actor.clone();
    crate::db::transaction(db, |txn| {
        Box::pin(async move {
            let row = collections::Entity::find_by_id(id).one(txn).await?.ok_or(AppError::NotFound)?;
            let sale = visible_sale(txn, &actor, SaleId(row.sale_id)).await?;
            collections::Entity::delete_by_id(id).exec(txn).await?;
            touch(txn, sale.id).await?;
            collections_of(txn, sale).await
        })
    })
    .await
}
