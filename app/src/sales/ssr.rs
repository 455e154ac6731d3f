//! The sales rules, decided here for every caller (page, server function, report, export):
//!
//! * who sees what: managers and admins every sale; a member only the sales of his own user
//!   seller and of the generic sellers (teams) he belongs to ([`visible_sellers`]);
//! * only a contact carrying the sales tag has sales to show or register;
//! * totals are computed here, exactly, whatever the page showed while typing;
//! * won/lost close on a day (typed, default today; not before the sale date, not in the future),
//!   lost needs a reason, won is 100% and lost 0%;
//! * every create, change and delete writes the history in the same transaction;
//! * a save over an old version is refused with the current values.

use super::history::ImportedFrom;
use super::{
    HistoryAction, HistoryEntry, HistoryField, HistoryValue, ProductRef, SALES_PAGE, Sale, SaleCursor, SaleForm, SaleFormOptions, SaleId, SaleTotals,
    SalesTab, SellerRef, Stage,
};
use crate::auth::CurrentUser;
use crate::auth::scope::{SellerScope, visible_sellers};
use crate::catalog::ssr::{parse_category_ref, parse_vat_rate, products_for_sale, tree};
use crate::catalog::{ProductFilter, ProductId, ProductRow};
use crate::codes::OfferNumber;
use crate::config::lost_reasons::{LostReasonId, LostReasonRef};
use crate::config::ssr::carries_sales_tag;
use crate::config::ssr::{lost_reasons, sale_settings};
use crate::db::entities::{contacts, lost_reasons as reasons, offer_lines, offers, products, sale_history, sales, sellers, users};
use crate::db::versioned;
use crate::error::{AppError, AppResult, Field, Problem, SaleSnapshot};
use crate::figures::cells;
use crate::form::{number_problem, optional_date as parse_date};
use crate::ids::ContactId;
use crate::money::{Money, Percent, Quantity, bounds, checked_line_totals};
use crate::sellers::SellerId;
use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::*;
use std::collections::{BTreeSet, HashMap};

const MAX_NOTES: usize = 5000;
const MAX_LOST_NOTE: usize = 500;

// ---------------------------------------------------------------- reading

pub fn parse_cursor(text: Option<&str>) -> AppResult<Option<SaleCursor>> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => SaleCursor::decode(t).map(Some).ok_or(AppError::BadRequest("cursor".into())),
        None => Ok(None),
    }
}

/// Turns rows into sales with their product, seller and user names (three lookups, not one per row).
async fn to_sales(db: &impl ConnectionTrait, models: Vec<sales::Model>) -> AppResult<Vec<Sale>> {
    let product_ids: BTreeSet<i64> = models.iter().map(|m| m.product_id).collect();
    let seller_ids: BTreeSet<i64> = models.iter().map(|m| m.seller_id).collect();
    let user_ids: BTreeSet<i64> = models.iter().flat_map(|m| [m.created_by, m.updated_by]).collect();
    let products: HashMap<i64, products::Model> =
        products::Entity::find().filter(products::Column::Id.is_in(product_ids)).all(db).await?.into_iter().map(|p| (p.id, p)).collect();
    let sellers: HashMap<i64, String> =
        sellers::Entity::find().filter(sellers::Column::Id.is_in(seller_ids)).all(db).await?.into_iter().map(|s| (s.id, s.name)).collect();
    let users: HashMap<i64, String> =
        users::Entity::find().filter(users::Column::Id.is_in(user_ids)).all(db).await?.into_iter().map(|u| (u.id, u.display_name)).collect();
    let reasons: HashMap<i64, String> = if models.iter().any(|m| m.lost_reason_id.is_some()) {
        reasons::Entity::find().all(db).await?.into_iter().map(|r| (r.id, r.name)).collect()
    } else {
        HashMap::new()
    };
    Ok(models
        .into_iter()
        .map(|m| {
            let product = products.get(&m.product_id);
            Sale {
                id: SaleId(m.id),
                contact: ContactId(m.contact_id),
                product: ProductRef {
                    id: ProductId(m.product_id),
                    code: product.map(|p| p.code.clone()).unwrap_or_default(),
                    name: product.map(|p| p.name.clone()).unwrap_or_default(),
                    unit: product.map(|p| p.unit.clone()).unwrap_or_default(),
                },
                seller: SellerRef { id: SellerId(m.seller_id), name: sellers.get(&m.seller_id).cloned().unwrap_or_default() },
                quantity: Quantity(m.quantity_milli),
                unit_price: Money(m.unit_price_cents),
                discount: Percent(m.discount_bp),
                vat_rate: Percent(m.vat_rate_bp),
                net: Money(m.net_cents),
                gross: Money(m.gross_cents),
                stage: m.stage,
                probability: m.probability,
                sale_date: m.sale_date,
                expected_close: m.expected_close,
                closed_date: m.closed_date,
                lost_reason: m.lost_reason_id.map(|id| LostReasonRef { id: LostReasonId(id), name: reasons.get(&id).cloned().unwrap_or_default() }),
                lost_note: m.lost_note,
                notes: m.notes,
                created_by: users.get(&m.created_by).cloned().unwrap_or_default(),
                created_at: m.created_at,
                updated_by: users.get(&m.updated_by).cloned().unwrap_or_default(),
                updated_at: m.updated_at,
                version: m.version,
            }
        })
        .collect())
}

async fn to_sale(db: &impl ConnectionTrait, model: sales::Model) -> AppResult<Sale> {
    Ok(to_sales(db, vec![model]).await?.remove(0))
}

/// A save or delete over an old version: refused, carrying the sale as it is now, if the user may
/// still see it (the other save may have given it to a seller outside his scope).
async fn conflict<T>(db: &impl ConnectionTrait, actor: &CurrentUser, current: sales::Model) -> AppResult<T> {
    if !visible_sellers(db, actor).await?.allows(current.seller_id) {
        return Err(AppError::Forbidden);
    }
    Err(AppError::SaleConflict(SaleSnapshot::of(&to_sale(db, current).await?)?))
}

/// The contact exists and carries the sales tag; otherwise it has no *Vendita* tab.
pub(crate) async fn require_sales_contact(db: &impl ConnectionTrait, contact: ContactId) -> AppResult<()> {
    // A contact carrying the tag exists (foreign key): the contact is read only to tell a missing
    // one from one without the tag.
    if carries_sales_tag(db, contact).await? {
        return Ok(());
    }
    contacts::Entity::find_by_id(contact.0).one(db).await?.ok_or(AppError::NotFound)?;
    Err(AppError::NoSalesTag)
}

/// A sale the user may see, or `Forbidden` (it exists but is another seller's) / `NotFound`.
async fn visible_sale(db: &impl ConnectionTrait, actor: &CurrentUser, id: SaleId) -> AppResult<sales::Model> {
    let sale = sales::Entity::find_by_id(id.0).one(db).await?.ok_or(AppError::NotFound)?;
    if !visible_sellers(db, actor).await?.allows(sale.seller_id) {
        return Err(AppError::Forbidden);
    }
    Ok(sale)
}

pub async fn get(db: &DatabaseConnection, actor: &CurrentUser, id: SaleId) -> AppResult<Sale> {
    let sale = visible_sale(db, actor, id).await?;
    require_sales_contact(db, ContactId(sale.contact_id)).await?;
    to_sale(db, sale).await
}

/// The select behind one page of a contact's sales, newest first (public for the benchmark).
pub fn contact_sales_select(contact: ContactId, scope: &SellerScope, after: Option<&SaleCursor>) -> Select<sales::Entity> {
    let mut query = scope.filter(sales::Entity::find().filter(sales::Column::ContactId.eq(contact.0)));
    if let Some(after) = after {
        query = query.filter(
            Expr::tuple([Expr::col((sales::Entity, sales::Column::SaleDate)), Expr::col((sales::Entity, sales::Column::Id))])
                .lt(Expr::tuple([Expr::val(after.sale_date), Expr::val(after.id.0)])),
        );
    }
    query.order_by_desc(sales::Column::SaleDate).order_by_desc(sales::Column::Id).limit(SALES_PAGE + 1)
}

/// Won, open and weighted totals over every visible sale of the contact, in one grouped query.
pub async fn totals(db: &impl ConnectionTrait, contact: ContactId, scope: &SellerScope) -> AppResult<SaleTotals> {
    let rows: Vec<(Stage, i64, i64, i64)> = scope
        .filter(sales::Entity::find().filter(sales::Column::ContactId.eq(contact.0)))
        .select_only()
        .column(sales::Column::Stage)
        .column_as(Expr::cust("COUNT(*)"), "n")
        .column_as(Expr::cust("CAST(COALESCE(SUM(sales.net_cents), 0) AS BIGINT)"), "net")
        .column_as(Expr::cust("CAST(COALESCE(SUM(sales.net_cents * sales.probability), 0) AS BIGINT)"), "weighted")
        .group_by(sales::Column::Stage)
        .into_tuple()
        .all(db)
        .await?;
    let mut totals = SaleTotals::default();
    let mut weighted: i128 = 0;
    for (stage, n, net, net_times_probability) in rows {
        match stage {
            Stage::Won => {
                totals.won = Money(net);
                totals.won_count = n as u64;
            }
            Stage::Lost => totals.lost_count = n as u64,
            Stage::Lead | Stage::Negotiation | Stage::Proposal => {
                totals.open += Money(net);
                totals.open_count += n as u64;
                weighted += net_times_probability as i128;
            }
        }
    }
    totals.weighted = Money::from_weighted(weighted);
    Ok(totals)
}

/// The *Vendita* tab: the contact's sales the user may see, newest first, one page at a time,
/// with the totals over all of them.
pub async fn list_for_contact(db: &DatabaseConnection, actor: &CurrentUser, contact: ContactId, after: Option<SaleCursor>) -> AppResult<SalesTab> {
    require_sales_contact(db, contact).await?;
    let scope = visible_sellers(db, actor).await?;
    let mut models = contact_sales_select(contact, &scope, after.as_ref()).all(db).await?;
    let next = if models.len() as u64 > SALES_PAGE {
        models.truncate(SALES_PAGE as usize);
        models.last().map(|m| SaleCursor { sale_date: m.sale_date, id: SaleId(m.id) })
    } else {
        None
    };
    let totals = totals(db, contact, &scope).await?;
    let currency = sale_settings(db).await?.currency;
    Ok(SalesTab { sales: to_sales(db, models).await?, totals, next, currency })
}

/// The sellers the user may register a sale for: active, in his scope, his own user seller first.
pub async fn form_options(db: &DatabaseConnection, actor: &CurrentUser) -> AppResult<SaleFormOptions> {
    let scope = visible_sellers(db, actor).await?;
    let mut choices = sellers::Entity::find().filter(sellers::Column::Active.eq(true)).order_by_asc(sellers::Column::Name).all(db).await?;
    choices.retain(|s| scope.allows(s.id));
    // His own user seller first, then the teams.
    choices.sort_by_key(|s| s.user_id != Some(actor.id.0));
    let own = choices.iter().find(|s| s.user_id == Some(actor.id.0)).map(|s| SellerId(s.id));
    let settings = sale_settings(db).await?;
    Ok(SaleFormOptions {
        default_seller: own.or_else(|| choices.first().map(|s| SellerId(s.id))),
        sellers: choices.into_iter().map(|s| SellerRef { id: SellerId(s.id), name: s.name }).collect(),
        categories: tree(db).await?,
        probabilities: settings.probabilities,
        currency: settings.currency,
        lost_reasons: lost_reasons::offered(db).await?,
    })
}

pub async fn products(db: &DatabaseConnection, _actor: &CurrentUser, search: &str, category: Option<&str>) -> AppResult<Vec<ProductRow>> {
    let category = parse_category_ref(Field::Category, category)?;
    let mut found = products_for_sale(db, &ProductFilter { search: search.to_string(), category }).await?;
    found.truncate(100);
    Ok(found)
}

// ---------------------------------------------------------------- validation

/// A sale form that passed every check, with its totals computed.
#[derive(Debug, Clone)]
pub(crate) struct ValidSale {
    product: products::Model,
    seller: sellers::Model,
    quantity: Quantity,
    unit_price: Money,
    discount: Percent,
    vat_rate: Percent,
    net: Money,
    gross: Money,
    stage: Stage,
    probability: i32,
    sale_date: NaiveDate,
    expected_close: Option<NaiveDate>,
    closed_date: Option<NaiveDate>,
    lost_reason: Option<reasons::Model>,
    lost_note: Option<String>,
    notes: Option<String>,
}

/// The latest date anywhere on Earth (UTC+14): a close date after it is in the future for every
/// user, whatever his time zone.
fn latest_today() -> NaiveDate {
    (Utc::now() + chrono::Duration::hours(14)).date_naive()
}

fn parse_id(field: Field, text: &str) -> AppResult<i64> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::invalid(field, Problem::Required));
    }
    text.parse().map_err(|_| AppError::invalid(field, Problem::Invalid))
}

/// What checking a sale form reads: its product and seller, the sellers the user may sell for,
/// the stage probabilities and the lost reasons. A page's form reads just its own
/// ([`SaleRefs::of_form`]); an import reads them once for its whole file ([`SaleRefs::all`]).
pub(crate) struct SaleRefs {
    products: HashMap<i64, products::Model>,
    sellers: HashMap<i64, sellers::Model>,
    scope: SellerScope,
    /// Read when a form leaves the probability blank (the stage's default).
    probabilities: Option<crate::config::StageProbabilities>,
    reasons: Vec<reasons::Model>,
}

impl SaleRefs {
    /// What one form names (a product and a seller), with the few shared settings.
    async fn of_form(db: &impl ConnectionTrait, actor: &CurrentUser, form: &SaleForm) -> AppResult<SaleRefs> {
        let product = match form.product.trim().parse::<i64>() {
            Ok(id) => products::Entity::find_by_id(id).one(db).await?,
            Err(_) => None,
        };
        let seller = match form.seller.trim().parse::<i64>() {
            Ok(id) => sellers::Entity::find_by_id(id).one(db).await?,
            Err(_) => None,
        };
        Ok(SaleRefs {
            products: product.into_iter().map(|p| (p.id, p)).collect(),
            sellers: seller.into_iter().map(|s| (s.id, s)).collect(),
            scope: visible_sellers(db, actor).await?,
            probabilities: if form.probability.trim().is_empty() { Some(sale_settings(db).await?.probabilities) } else { None },
            // Only a lost sale names a reason.
            reasons: if form.stage.trim() == Stage::Lost.code() { lost_reasons::ordered(db).await? } else { Vec::new() },
        })
    }

    /// Every product and seller, for the rows of a file.
    pub(crate) async fn all(db: &impl ConnectionTrait, actor: &CurrentUser) -> AppResult<SaleRefs> {
        Ok(SaleRefs {
            products: products::Entity::find().all(db).await?.into_iter().map(|p| (p.id, p)).collect(),
            sellers: sellers::Entity::find().all(db).await?.into_iter().map(|s| (s.id, s)).collect(),
            scope: visible_sellers(db, actor).await?,
            probabilities: Some(sale_settings(db).await?.probabilities),
            reasons: lost_reasons::ordered(db).await?,
        })
    }

    pub(crate) fn products(&self) -> impl Iterator<Item = &products::Model> {
        self.products.values()
    }

    pub(crate) fn sellers(&self) -> impl Iterator<Item = &sellers::Model> {
        self.sellers.values()
    }

    pub(crate) fn product(&self, id: i64) -> Option<&products::Model> {
        self.products.get(&id)
    }
}

/// Checks the form in the order the page shows it. `current` is the sale being edited: its
/// product and seller stay acceptable even if since deactivated.
async fn validate(db: &impl ConnectionTrait, actor: &CurrentUser, form: &SaleForm, current: Option<&sales::Model>) -> AppResult<ValidSale> {
    check(&SaleRefs::of_form(db, actor, form).await?, form, current)
}

/// [`validate`] with what it reads already read.
pub(crate) fn check(refs: &SaleRefs, form: &SaleForm, current: Option<&sales::Model>) -> AppResult<ValidSale> {
    let product_id = parse_id(Field::Product, &form.product)?;
    let product = refs
        .products
        .get(&product_id)
        .filter(|p| p.active || current.is_some_and(|c| c.product_id == p.id))
        .cloned()
        .ok_or(AppError::invalid(Field::Product, Problem::Invalid))?;
    let seller_id = parse_id(Field::Seller, &form.seller)?;
    let seller = refs.sellers.get(&seller_id).cloned().ok_or(AppError::invalid(Field::Seller, Problem::Invalid))?;
    if !refs.scope.allows(seller.id) {
        // A member registering a sale for a seller that is not his.
        return Err(AppError::Forbidden);
    }
    if !seller.active && current.is_none_or(|c| c.seller_id != seller.id) {
        return Err(AppError::invalid(Field::Seller, Problem::Invalid));
    }
    let quantity = Quantity::parse(&form.quantity).map_err(|e| AppError::invalid(Field::Quantity, number_problem(e)))?;
    if quantity <= Quantity::ZERO {
        return Err(AppError::invalid(Field::Quantity, Problem::NotPositive));
    }
    if quantity > bounds::MAX_QUANTITY {
        return Err(AppError::invalid(Field::Quantity, Problem::TooLarge));
    }
    let unit_price = Money::parse(&form.unit_price).map_err(|e| AppError::invalid(Field::UnitPrice, number_problem(e)))?;
    if unit_price < Money::ZERO {
        return Err(AppError::invalid(Field::UnitPrice, Problem::Negative));
    }
    if unit_price > bounds::MAX_UNIT_PRICE {
        return Err(AppError::invalid(Field::UnitPrice, Problem::TooLarge));
    }
    let discount = if form.discount.trim().is_empty() {
        Percent::ZERO
    } else {
        Percent::parse(&form.discount).map_err(|e| AppError::invalid(Field::Discount, number_problem(e)))?
    };
    if !(Percent::ZERO..=Percent::FULL).contains(&discount) {
        return Err(AppError::invalid(Field::Discount, Problem::OutOfRange));
    }
    let vat_rate = parse_vat_rate(&form.vat_rate)?;
    let stage = Stage::from_code(form.stage.trim()).ok_or(AppError::invalid(Field::Stage, Problem::Invalid))?;
    let probability = match stage {
        // Won is certain, lost is gone: whatever the form said.
        Stage::Won => 100,
        Stage::Lost => 0,
        _ if form.probability.trim().is_empty() => refs.probabilities.as_ref().ok_or(AppError::Internal)?.of(stage),
        _ => {
            let value: i32 =
                form.probability.trim().trim_end_matches('%').trim().parse().map_err(|_| AppError::invalid(Field::Probability, Problem::Invalid))?;
            if !(0..=100).contains(&value) {
                return Err(AppError::invalid(Field::Probability, Problem::OutOfRange));
            }
            value
        }
    };
    let sale_date = parse_date(Field::SaleDate, &form.sale_date)?.unwrap_or_else(|| Utc::now().date_naive());
    let expected_close = parse_date(Field::ExpectedClose, &form.expected_close)?;
    // Won and lost close on a day: the one typed, else the one the sale already closed on, else
    // today. The reports count the sale in that day's month.
    let closed_date = if stage.is_open() {
        None
    } else {
        let kept = current.filter(|c| !c.stage.is_open()).and_then(|c| c.closed_date);
        let day = parse_date(Field::ClosedDate, &form.closed_date)?.or(kept).unwrap_or_else(|| Utc::now().date_naive());
        if day < sale_date {
            return Err(AppError::invalid(Field::ClosedDate, Problem::BeforeSaleDate));
        }
        if day > latest_today() {
            return Err(AppError::invalid(Field::ClosedDate, Problem::InFuture));
        }
        Some(day)
    };
    let (lost_reason, lost_note) = match stage {
        Stage::Lost => {
            let reason = lost_reasons::pick(&refs.reasons, &form.lost_reason, current.and_then(|c| c.lost_reason_id))?;
            let note = Some(form.lost_note.trim().to_string()).filter(|n| !n.is_empty());
            if note.as_ref().is_some_and(|n| n.chars().count() > MAX_LOST_NOTE) {
                return Err(AppError::invalid(Field::LostNote, Problem::TooLong));
            }
            (Some(reason), note)
        }
        _ => (None, None),
    };
    let notes = Some(form.notes.trim().to_string()).filter(|n| !n.is_empty());
    if notes.as_ref().is_some_and(|n| n.chars().count() > MAX_NOTES) {
        return Err(AppError::invalid(Field::Notes, Problem::TooLong));
    }
    let (net, gross) = checked_line_totals(quantity, unit_price, discount, vat_rate)
        .filter(|(net, _)| *net <= bounds::MAX_LINE_NET)
        .ok_or(AppError::invalid(Field::UnitPrice, Problem::TooLarge))?;
    Ok(ValidSale {
        product,
        seller,
        quantity,
        unit_price,
        discount,
        vat_rate,
        net,
        gross,
        stage,
        probability,
        sale_date,
        expected_close,
        closed_date,
        lost_reason,
        lost_note,
        notes,
    })
}

// ---------------------------------------------------------------- history

/// The fields the history tracks, as (code, value written for people). Values are stored as text
/// so the history survives renamed products and deleted sales.
fn tracked(model: &sales::Model, names: &Names) -> Vec<(HistoryField, Option<HistoryValue>)> {
    let Names { product, seller, reason } = names;
    let text = |t: &str| Some(HistoryValue::Text(t.to_string())).filter(|_| !t.is_empty());
    let date = |d: Option<NaiveDate>| d.map(HistoryValue::Date);
    vec![
        (HistoryField::Product, text(product)),
        (HistoryField::Seller, text(seller)),
        (HistoryField::Quantity, Some(HistoryValue::Quantity(Quantity(model.quantity_milli)))),
        (HistoryField::UnitPrice, Some(HistoryValue::Money(Money(model.unit_price_cents)))),
        (HistoryField::Discount, Some(HistoryValue::Percent(Percent(model.discount_bp)))),
        (HistoryField::VatRate, Some(HistoryValue::Percent(Percent(model.vat_rate_bp)))),
        (HistoryField::Net, Some(HistoryValue::Money(Money(model.net_cents)))),
        (HistoryField::Gross, Some(HistoryValue::Money(Money(model.gross_cents)))),
        (HistoryField::Stage, Some(HistoryValue::Stage(model.stage))),
        (HistoryField::Probability, Some(HistoryValue::Probability(model.probability))),
        (HistoryField::SaleDate, Some(HistoryValue::Date(model.sale_date))),
        (HistoryField::ExpectedClose, date(model.expected_close)),
        (HistoryField::ClosedDate, date(model.closed_date)),
        (HistoryField::LostReason, text(reason)),
        (HistoryField::LostNote, model.lost_note.as_deref().and_then(text)),
        (HistoryField::Notes, model.notes.as_deref().and_then(text)),
    ]
}

/// What the history writes of a sale's references: names, so it reads after renames and deletes.
struct Names {
    product: String,
    seller: String,
    reason: String,
}

impl Names {
    /// The names of a checked form's references, already read by the checks.
    fn of(valid: &ValidSale) -> Names {
        Names {
            product: format!("{} {}", valid.product.code, valid.product.name),
            seller: valid.seller.name.clone(),
            reason: valid.lost_reason.as_ref().map(|r| r.name.clone()).unwrap_or_default(),
        }
    }
}

async fn names(db: &impl ConnectionTrait, model: &sales::Model) -> AppResult<Names> {
    let product = products::Entity::find_by_id(model.product_id).one(db).await?.map(|p| format!("{} {}", p.code, p.name)).unwrap_or_default();
    let seller = sellers::Entity::find_by_id(model.seller_id).one(db).await?.map(|s| s.name).unwrap_or_default();
    let reason = match model.lost_reason_id {
        Some(id) => reasons::Entity::find_by_id(id).one(db).await?.map(|r| r.name).unwrap_or_default(),
        None => String::new(),
    };
    Ok(Names { product, seller, reason })
}

impl ValidSale {
    /// The history's entry of a new sale: [`summary`] of the sale it becomes, and the import it
    /// came from.
    fn summary(&self, import: Option<ImportedFrom>) -> HistoryValue {
        let names = Names::of(self);
        HistoryValue::Sale {
            product: names.product,
            quantity: self.quantity,
            unit_price: self.unit_price,
            stage: self.stage,
            seller: names.seller,
            import,
        }
    }
}

/// The whole sale in one entry, for its creation and its deletion.
fn summary(model: &sales::Model, names: &Names) -> HistoryValue {
    HistoryValue::Sale {
        product: names.product.clone(),
        quantity: Quantity(model.quantity_milli),
        unit_price: Money(model.unit_price_cents),
        stage: model.stage,
        seller: names.seller.clone(),
        import: None,
    }
}

/// The history rows of one change of a sale, all at one instant.
fn history_rows(
    sale: i64,
    actor: &CurrentUser,
    action: HistoryAction,
    at: chrono::DateTime<Utc>,
    entries: Vec<Entry>,
) -> impl Iterator<Item = sale_history::ActiveModel> {
    let user = actor.id.0;
    entries.into_iter().map(move |(field, old, new)| sale_history::ActiveModel {
        sale_id: Set(sale),
        user_id: Set(user),
        at: Set(at),
        action: Set(action),
        field: Set(field),
        old_value: Set(old.map(|v| v.encode())),
        new_value: Set(new.map(|v| v.encode())),
        ..Default::default()
    })
}

/// A history entry.
type Entry = (Option<HistoryField>, Option<HistoryValue>, Option<HistoryValue>);

/// The entries of a change from `old` to `new`: each tracked field whose value differs.
async fn changed(db: &impl ConnectionTrait, old: &sales::Model, new: &sales::Model) -> AppResult<Vec<Entry>> {
    Ok(tracked(old, &names(db, old).await?)
        .into_iter()
        .zip(tracked(new, &names(db, new).await?))
        .filter(|((_, before), (_, after))| before != after)
        .map(|((field, before), (_, after))| (Some(field), before, after))
        .collect())
}

async fn record(db: &impl ConnectionTrait, sale: i64, actor: &CurrentUser, action: HistoryAction, entries: Vec<Entry>) -> AppResult<()> {
    let rows: Vec<sale_history::ActiveModel> = history_rows(sale, actor, action, Utc::now(), entries).collect();
    if !rows.is_empty() {
        sale_history::Entity::insert_many(rows).exec_without_returning(db).await?;
    }
    Ok(())
}

/// The history of a sale the user may see, oldest first.
pub async fn history(db: &DatabaseConnection, actor: &CurrentUser, id: SaleId) -> AppResult<Vec<HistoryEntry>> {
    visible_sale(db, actor, id).await?;
    let rows = sale_history::Entity::find()
        .filter(sale_history::Column::SaleId.eq(id.0))
        .order_by_asc(sale_history::Column::At)
        .order_by_asc(sale_history::Column::Id)
        .find_also_related(users::Entity)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(row, user)| HistoryEntry {
            at: row.at,
            user: user.map(|u| u.display_name).unwrap_or_default(),
            action: row.action,
            field: row.field,
            old: row.old_value.as_deref().map(HistoryValue::decode),
            new: row.new_value.as_deref().map(HistoryValue::decode),
        })
        .collect())
}

// ---------------------------------------------------------------- writing

fn fill(model: &mut sales::ActiveModel, valid: &ValidSale) {
    model.product_id = Set(valid.product.id);
    model.seller_id = Set(valid.seller.id);
    model.quantity_milli = Set(valid.quantity.0);
    model.unit_price_cents = Set(valid.unit_price.0);
    model.discount_bp = Set(valid.discount.0);
    model.vat_rate_bp = Set(valid.vat_rate.0);
    model.net_cents = Set(valid.net.0);
    model.gross_cents = Set(valid.gross.0);
    model.stage = Set(valid.stage);
    model.probability = Set(valid.probability);
    model.sale_date = Set(valid.sale_date);
    model.expected_close = Set(valid.expected_close);
    model.closed_date = Set(valid.closed_date);
    model.lost_reason_id = Set(valid.lost_reason.as_ref().map(|r| r.id));
    model.lost_note = Set(valid.lost_note.clone());
    model.notes = Set(valid.notes.clone());
}

/// Registers a sale on a contact carrying the sales tag, for a seller the user may choose.
pub async fn create(db: &DatabaseConnection, actor: &CurrentUser, contact: ContactId, form: &SaleForm) -> AppResult<Sale> {
    require_sales_contact(db, contact).await?;
    let valid = validate(db, actor, form, None).await?;
    let actor = actor.clone();
    let sale = crate::db::transaction(db, |txn| {
        Box::pin(async move {
            let model = new_model(&actor, contact, &valid, Utc::now()).insert(txn).await?;
            cells::sale_written(txn, None, Some(&model)).await?;
            record(txn, model.id, &actor, HistoryAction::Create, vec![(None, None, Some(valid.summary(None)))]).await?;
            to_sale(txn, model).await
        })
    })
    .await?;
    Ok(sale)
}

/// Sales from an import, checked by [`check`] (the rules of [`create`]), written inside the
/// import's transaction in one statement for the sales and one for their history lines ("imported").
/// Their contacts carry the sales tag (the import made sure); their history names the import.
/// Returns the new sales' ids in `rows`' order.
pub(crate) async fn insert_imported(
    txn: &DatabaseTransaction,
    actor: &CurrentUser,
    import: &ImportedFrom,
    rows: &[(ContactId, ValidSale)],
) -> AppResult<Vec<i64>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let now = Utc::now();
    let models: Vec<sales::ActiveModel> = rows.iter().map(|(contact, valid)| new_model(actor, *contact, valid, now)).collect();
    let ids = sales::Entity::insert_many(models.clone()).exec_with_returning_keys(txn).await?;
    // Ids are given in the order of VALUES, and RETURNING lists the rows in that order on SQLite
    // and PostgreSQL (Django's bulk create relies on it too). Checked (one id a row, rising), so a
    // database that did otherwise fails the import whole instead of mixing up the sales' history.
    if ids.len() != rows.len() || ids.windows(2).any(|w| w[0] >= w[1]) {
        return Err(AppError::Internal);
    }
    let created = ids
        .iter()
        .zip(models)
        .map(|(id, mut model)| {
            model.id = Set(*id);
            model.try_into_model().map_err(|_| AppError::Internal)
        })
        .collect::<AppResult<Vec<sales::Model>>>()?;
    cells::sales_created(txn, &created).await?;
    let history: Vec<sale_history::ActiveModel> = ids
        .iter()
        .zip(rows)
        .flat_map(|(id, (_, valid))| {
            history_rows(*id, actor, HistoryAction::Import, now, vec![(None, None, Some(valid.summary(Some(import.clone()))))])
        })
        .collect();
    sale_history::Entity::insert_many(history).exec_without_returning(txn).await?;
    Ok(ids)
}

fn new_model(actor: &CurrentUser, contact: ContactId, valid: &ValidSale, now: chrono::DateTime<Utc>) -> sales::ActiveModel {
    let mut model = sales::ActiveModel {
        contact_id: Set(contact.0),
        created_by: Set(actor.id.0),
        created_at: Set(now),
        updated_by: Set(actor.id.0),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    };
    fill(&mut model, valid);
    model
}

/// Takes an imported sale back (undoing its import): gone, its history says so.
pub(crate) async fn remove_imported(txn: &DatabaseTransaction, actor: &CurrentUser, model: &sales::Model) -> AppResult<()> {
    if !versioned::try_delete::<sales::Entity>(txn, model.id, model.version).await? {
        return Err(AppError::Conflict);
    }
    cells::sale_written(txn, Some(model), None).await?;
    let names = names(txn, model).await?;
    record(txn, model.id, actor, HistoryAction::Delete, vec![(None, Some(summary(model, &names)), None)]).await
}

/// Saves the form over version `version` of the sale. A stale version is refused with the sale as
/// it is now; each changed field goes to the history.
pub async fn update(db: &DatabaseConnection, actor: &CurrentUser, id: SaleId, version: i32, form: &SaleForm) -> AppResult<Sale> {
    let form = form.clone();
    let actor = actor.clone();
    let sale = crate::db::transaction(db, |txn| {
        Box::pin(async move {
            let old = visible_sale(txn, &actor, id).await?;
            require_sales_contact(txn, ContactId(old.contact_id)).await?;
            if old.version != version {
                return conflict(txn, &actor, old).await;
            }
            refuse_if_on_offer(txn, id).await?;
            let valid = validate(txn, &actor, &form, Some(&old)).await?;
            let mut model = sales::ActiveModel { updated_by: Set(actor.id.0), ..Default::default() };
            fill(&mut model, &valid);
            if !versioned::try_update_model(txn, id.0, version, model).await? {
                // Saved by someone else between our read and our write.
                let current = sales::Entity::find_by_id(id.0).one(txn).await?.ok_or(AppError::NotFound)?;
                return conflict(txn, &actor, current).await;
            }
            let new = sales::Entity::find_by_id(id.0).one(txn).await?.ok_or(AppError::NotFound)?;
            cells::sale_written(txn, Some(&old), Some(&new)).await?;
            let changes = changed(txn, &old, &new).await?;
            record(txn, id.0, &actor, HistoryAction::Update, changes).await?;
            to_sale(txn, new).await
        })
    })
    .await?;
    Ok(sale)
}

/// Deletes a sale the user may touch, if nobody changed it since `version`; the history keeps it.
pub async fn delete(db: &DatabaseConnection, actor: &CurrentUser, id: SaleId, version: i32) -> AppResult<()> {
    let actor = actor.clone();
    crate::db::transaction(db, |txn| {
        Box::pin(async move {
            let old = visible_sale(txn, &actor, id).await?;
            require_sales_contact(txn, ContactId(old.contact_id)).await?;
            if old.version != version {
                return conflict(txn, &actor, old).await;
            }
            refuse_if_on_offer(txn, id).await?;
            if !versioned::try_delete::<sales::Entity>(txn, id.0, version).await? {
                let current = sales::Entity::find_by_id(id.0).one(txn).await?.ok_or(AppError::NotFound)?;
                return conflict(txn, &actor, current).await;
            }
            cells::sale_written(txn, Some(&old), None).await?;
            let names = names(txn, &old).await?;
            record(txn, id.0, &actor, HistoryAction::Delete, vec![(None, Some(summary(&old, &names)), None)]).await
        })
    })
    .await?;
    Ok(())
}

/// A sale that an undecided offer holds (sent, or a sent one being revised) moves with its offer:
/// by hand it is refused, naming the offer. Once the offer is decided, its sales are like any other.
pub(crate) async fn refuse_if_on_offer(db: &impl ConnectionTrait, id: SaleId) -> AppResult<()> {
    let holder = offers::Entity::find()
        .inner_join(offer_lines::Entity)
        .filter(offer_lines::Column::SaleId.eq(id.0))
        .filter(offers::Column::State.is_in([crate::codes::OfferState::Sent, crate::codes::OfferState::Draft]))
        .one(db)
        .await?;
    match holder {
        Some(offer) => {
            Err(AppError::SaleOnOffer { offer: OfferNumber::of(offer.year, offer.number, offer.revision).map(|n| n.label()).unwrap_or_default() })
        }
        None => Ok(()),
    }
}

// ---------------------------------------------------------------- offers' sales

/// The sale a sent offer's product line becomes, checked by the offer's rules (the sale's own
/// bounds): in stage proposal, for the offer's seller, expected to close when the offer expires.
pub(crate) struct OfferedSale {
    pub product: products::Model,
    pub seller: sellers::Model,
    pub quantity: Quantity,
    pub unit_price: Money,
    pub discount: Percent,
    pub vat_rate: Percent,
    pub probability: i32,
    pub sale_date: NaiveDate,
    pub expected_close: NaiveDate,
}

impl OfferedSale {
    fn valid(self) -> AppResult<ValidSale> {
        let (net, gross) = checked_line_totals(self.quantity, self.unit_price, self.discount, self.vat_rate)
            .filter(|(net, _)| *net <= bounds::MAX_LINE_NET)
            .ok_or(AppError::invalid(Field::UnitPrice, Problem::TooLarge))?;
        Ok(ValidSale {
            product: self.product,
            seller: self.seller,
            quantity: self.quantity,
            unit_price: self.unit_price,
            discount: self.discount,
            vat_rate: self.vat_rate,
            net,
            gross,
            stage: Stage::Proposal,
            probability: self.probability,
            sale_date: self.sale_date,
            expected_close: Some(self.expected_close),
            closed_date: None,
            lost_reason: None,
            lost_note: None,
            notes: None,
        })
    }
}

/// Writes the sale of an offer's line inside the offer's transaction: its report cells, and its
/// history naming the offer. Returns the new sale.
pub(crate) async fn insert_offered(
    txn: &DatabaseTransaction,
    actor: &CurrentUser,
    contact: ContactId,
    offer: &str,
    sale: OfferedSale,
) -> AppResult<sales::Model> {
    let valid = sale.valid()?;
    let model = new_model(actor, contact, &valid, Utc::now()).insert(txn).await?;
    cells::sale_written(txn, None, Some(&model)).await?;
    record(
        txn,
        model.id,
        actor,
        HistoryAction::Offer,
        vec![(None, None, Some(HistoryValue::Offer(offer.to_string()))), (None, None, Some(valid.summary(None)))],
    )
    .await?;
    Ok(model)
}

/// A sent offer's sale changed by its next revision (quantity, price, discount, seller, dates),
/// inside the offer's transaction; the history names the revision.
pub(crate) async fn update_offered(txn: &DatabaseTransaction, actor: &CurrentUser, id: SaleId, offer: &str, sale: OfferedSale) -> AppResult<()> {
    let valid = sale.valid()?;
    let mut model = sales::ActiveModel { ..Default::default() };
    fill(&mut model, &valid);
    // Its notes stay its own.
    model.notes = NotSet;
    offer_writes(txn, actor, id, offer, model).await
}

/// Writes `model`'s values over an offer's sale as it is now, with its cells and its history
/// naming the offer. A sale gone or changed meanwhile is a conflict: the offer's whole change is
/// refused.
async fn offer_writes(txn: &DatabaseTransaction, actor: &CurrentUser, id: SaleId, offer: &str, mut model: sales::ActiveModel) -> AppResult<()> {
    let old = sales::Entity::find_by_id(id.0).one(txn).await?.ok_or(AppError::Conflict)?;
    model.updated_by = Set(actor.id.0);
    if !versioned::try_update_model(txn, id.0, old.version, model).await? {
        return Err(AppError::Conflict);
    }
    let new = sales::Entity::find_by_id(id.0).one(txn).await?.ok_or(AppError::Conflict)?;
    cells::sale_written(txn, Some(&old), Some(&new)).await?;
    let mut changes = vec![(None, None, Some(HistoryValue::Offer(offer.to_string())))];
    changes.extend(changed(txn, &old, &new).await?);
    record(txn, id.0, actor, HistoryAction::Offer, changes).await
}

/// A sent offer's sale whose line its next revision took out: deleted, its history naming the
/// offer.
pub(crate) async fn remove_offered(txn: &DatabaseTransaction, actor: &CurrentUser, id: SaleId, offer: &str) -> AppResult<()> {
    let Some(old) = sales::Entity::find_by_id(id.0).one(txn).await? else { return Ok(()) };
    if !versioned::try_delete::<sales::Entity>(txn, id.0, old.version).await? {
        return Err(AppError::Conflict);
    }
    cells::sale_written(txn, Some(&old), None).await?;
    let names = names(txn, &old).await?;
    record(
        txn,
        id.0,
        actor,
        HistoryAction::Offer,
        vec![(None, None, Some(HistoryValue::Offer(offer.to_string()))), (None, Some(summary(&old, &names)), None)],
    )
    .await
}

/// How an offer's answer closes its sales.
pub(crate) enum OfferOutcome<'a> {
    Won { on: NaiveDate },
    Lost { on: NaiveDate, reason: &'a reasons::Model, note: Option<String> },
}

/// Closes an offer's sale as its answer says, inside the offer's transaction (cells and history
/// naming the offer). A sale gone or changed since the offer read it is a conflict: the whole
/// answer is refused.
pub(crate) async fn close_offered(
    txn: &DatabaseTransaction,
    actor: &CurrentUser,
    id: SaleId,
    offer: &str,
    outcome: &OfferOutcome<'_>,
) -> AppResult<()> {
    let mut model = sales::ActiveModel { ..Default::default() };
    match outcome {
        OfferOutcome::Won { on } => {
            model.stage = Set(Stage::Won);
            model.probability = Set(100);
            model.closed_date = Set(Some(*on));
        }
        OfferOutcome::Lost { on, reason, note } => {
            model.stage = Set(Stage::Lost);
            model.probability = Set(0);
            model.closed_date = Set(Some(*on));
            model.lost_reason_id = Set(Some(reason.id));
            model.lost_note = Set(note.clone());
        }
    }
    offer_writes(txn, actor, id, offer, model).await
}

/// A stage change as the list and the board send it: the stage, and for won and lost the close
/// date, for lost the reason and its note (each empty: as [`validate`] decides).
#[derive(Debug, Clone, Copy, Default)]
pub struct StageMove<'a> {
    pub stage: &'a str,
    pub closed_date: &'a str,
    pub lost_reason: &'a str,
    pub lost_note: &'a str,
}

/// The sale as it is with another stage, saved through [`update`]: the probability becomes the new
/// stage's, the close date and lost reason (with its note) are the ones given.
pub async fn move_stage(db: &DatabaseConnection, actor: &CurrentUser, id: SaleId, version: i32, change: StageMove<'_>) -> AppResult<Sale> {
    let sale = get(db, actor, id).await?;
    let mut form = SaleForm::of(&sale);
    let stage = change.stage.trim();
    if form.stage != stage {
        form.probability = String::new();
    }
    form.stage = stage.to_string();
    form.closed_date = change.closed_date.to_string();
    if !change.lost_reason.trim().is_empty() {
        form.lost_reason = change.lost_reason.to_string();
        form.lost_note = change.lost_note.to_string();
    }
    update(db, actor, id, version, &form).await
}
