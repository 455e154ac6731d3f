//! The offers' rules, decided here for every caller:
//!
//! * who: as sales — a member writes and reads offers of his own sellers only, managers all; the
//!   contact carries the sales tag;
//! * a draft is edited freely and has no number; sending numbers it in the year it is sent
//!   (`offer_numbers`, one row a year, taken and moved on inside the sending transaction: no
//!   duplicate and no gap, however many processes send at once), writes one sale per product line
//!   in stage *offerta* and freezes what the customer received (`offer_revisions`);
//! * a sent offer is not edited; accepting closes its sales won on the day of the answer,
//!   rejecting closes them lost with a reason; its sales cannot be moved by hand meanwhile;
//! * totals are [`super::totals`]'s, computed here whatever the page showed;
//! * a save over an old version is refused (`Conflict`).

use super::totals::{Discount, DiscountError, Priced, line_net, totals};
use super::{
    Customer, LineKind, MAX_LINES, Offer, OfferForm, OfferId, OfferLine, OfferLineForm, OfferNumber, OfferRow, OfferState, OffersFilter, OffersPage,
    SentRevision, Signature,
};
use crate::auth::CurrentUser;
use crate::auth::scope::visible_sellers;
use crate::catalog::ssr::parse_vat_rate;
use crate::codes::Stage;
use crate::config::ssr::{lost_reasons, sale_settings};
use crate::db::entities::{contacts, lost_reasons as reasons, offer_lines, offer_revisions, offers, products, sellers, users};
use crate::db::versioned;
use crate::error::{AppError, AppResult, Field, Problem};
use crate::form::{number_problem, optional_date as parse_date};
use crate::i18n::{Lang, Msg};
use crate::ids::{ContactId, ProductId, SaleId, SellerId};
use crate::money::{Money, Percent, Quantity, bounds};
use crate::sales::ssr::{OfferOutcome, OfferedSale, close_offered, insert_offered, remove_offered, require_sales_contact, update_offered};
use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, Func, LikeExpr};
use sea_orm::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};

const MAX_DESCRIPTION: usize = 2000;
const MAX_UNIT: usize = 20;
const MAX_TERMS: usize = 500;
const MAX_TEXT: usize = 5000;
const MAX_LOST_NOTE: usize = 500;

// ---------------------------------------------------------------- checking

struct ValidLine {
    kind: LineKind,
    product: Option<products::Model>,
    description: String,
    quantity: Quantity,
    unit: String,
    unit_price: Money,
    discount: Discount,
    vat_rate: Percent,
    net: Money,
}

struct ValidOffer {
    seller: sellers::Model,
    language: Lang,
    offer_date: NaiveDate,
    valid_until: NaiveDate,
    payment_terms: Option<String>,
    delivery_terms: Option<String>,
    intro: Option<String>,
    closing: Option<String>,
    online_acceptance: bool,
    lines: Vec<ValidLine>,
    /// Σ the priced lines' nets.
    taxable: Money,
}

fn optional_text(field: Field, text: &str, max: usize) -> AppResult<Option<String>> {
    let text = text.trim();
    if text.chars().count() > max {
        return Err(AppError::invalid(field, Problem::TooLong));
    }
    Ok(Some(text.to_string()).filter(|t| !t.is_empty()))
}

/// A field's error placed on its line (numbered from 1, as the page shows them).
fn on_line(index: usize, err: AppError) -> AppError {
    match err {
        AppError::Invalid { field, problem } => AppError::InvalidLine { line: index as u32 + 1, field, problem },
        other => other,
    }
}

/// Checks the form in the order the page shows it; `current` is the offer being edited (its
/// seller and products stay acceptable even if since deactivated).
async fn check(
    db: &impl ConnectionTrait,
    actor: &CurrentUser,
    form: &OfferForm,
    current: Option<(&offers::Model, &[offer_lines::Model])>,
) -> AppResult<ValidOffer> {
    let seller_id: i64 = match form.seller.trim() {
        "" => return Err(AppError::invalid(Field::Seller, Problem::Required)),
        text => text.parse().map_err(|_| AppError::invalid(Field::Seller, Problem::Invalid))?,
    };
    let seller = sellers::Entity::find_by_id(seller_id).one(db).await?.ok_or(AppError::invalid(Field::Seller, Problem::Invalid))?;
    if !visible_sellers(db, actor).await?.allows(seller.id) {
        return Err(AppError::Forbidden);
    }
    if !seller.active && current.is_none_or(|(c, _)| c.seller_id != seller.id) {
        return Err(AppError::invalid(Field::Seller, Problem::Invalid));
    }
    let language = match form.language.trim() {
        "" => actor.lang,
        code => Lang::from_code(code).ok_or(AppError::invalid(Field::Language, Problem::Invalid))?,
    };
    let offer_date = parse_date(Field::OfferDate, &form.offer_date)?.unwrap_or_else(|| Utc::now().date_naive());
    let valid_until = match parse_date(Field::ValidUntil, &form.valid_until)? {
        Some(day) => day,
        None => offer_date + chrono::Duration::days(crate::config::company::ssr::get(db).await?.validity_days.into()),
    };
    if valid_until < offer_date {
        return Err(AppError::invalid(Field::ValidUntil, Problem::BeforeOfferDate));
    }
    let payment_terms = optional_text(Field::PaymentTerms, &form.payment_terms, MAX_TERMS)?;
    let delivery_terms = optional_text(Field::DeliveryTerms, &form.delivery_terms, MAX_TERMS)?;
    let intro = optional_text(Field::Intro, &form.intro, MAX_TEXT)?;
    let closing = optional_text(Field::Closing, &form.closing, MAX_TEXT)?;
    if form.lines.len() > MAX_LINES {
        return Err(AppError::invalid(Field::Lines, Problem::TooManyLines));
    }
    // Every product the lines name, read at once.
    let named: BTreeSet<i64> = form.lines.iter().filter_map(|l| l.product.trim().parse().ok()).collect();
    let products: HashMap<i64, products::Model> =
        products::Entity::find().filter(products::Column::Id.is_in(named)).all(db).await?.into_iter().map(|p| (p.id, p)).collect();
    let kept: BTreeSet<i64> = current.map(|(_, lines)| lines.iter().filter_map(|l| l.product_id).collect()).unwrap_or_default();
    let lines = form
        .lines
        .iter()
        .enumerate()
        .map(|(i, line)| check_line(line, &products, &kept).map_err(|e| on_line(i, e)))
        .collect::<AppResult<Vec<_>>>()?;
    let taxable = totals(lines.iter().filter(|l| l.kind.is_priced()).map(|l| Priced { net: l.net, vat_rate: l.vat_rate }))
        .ok_or(AppError::invalid(Field::Lines, Problem::TooLarge))?
        .taxable;
    Ok(ValidOffer {
        seller,
        language,
        offer_date,
        valid_until,
        payment_terms,
        delivery_terms,
        intro,
        closing,
        online_acceptance: form.online_acceptance,
        lines,
        taxable,
    })
}

fn check_line(form: &OfferLineForm, products: &HashMap<i64, products::Model>, kept: &BTreeSet<i64>) -> AppResult<ValidLine> {
    let kind = LineKind::from_code(form.kind.trim()).ok_or(AppError::invalid(Field::Kind, Problem::Invalid))?;
    if !kind.is_priced() {
        let description = crate::form::required_text(Field::Description, &form.description, MAX_DESCRIPTION)?;
        return Ok(ValidLine {
            kind,
            product: None,
            description,
            quantity: Quantity::ZERO,
            unit: String::new(),
            unit_price: Money::ZERO,
            discount: Discount::NONE,
            vat_rate: Percent::ZERO,
            net: Money::ZERO,
        });
    }
    let product = match kind {
        LineKind::Product => {
            let id: i64 = match form.product.trim() {
                "" => return Err(AppError::invalid(Field::Product, Problem::Required)),
                text => text.parse().map_err(|_| AppError::invalid(Field::Product, Problem::Invalid))?,
            };
            let product =
                products.get(&id).filter(|p| p.active || kept.contains(&p.id)).ok_or(AppError::invalid(Field::Product, Problem::Invalid))?;
            Some(product.clone())
        }
        _ => None,
    };
    let description = match (&product, form.description.trim()) {
        (Some(p), "") => p.name.clone(),
        _ => crate::form::required_text(Field::Description, &form.description, MAX_DESCRIPTION)?,
    };
    let unit = match (&product, form.unit.trim()) {
        (Some(p), "") => p.unit.clone(),
        (_, unit) if unit.chars().count() > MAX_UNIT => return Err(AppError::invalid(Field::Unit, Problem::TooLong)),
        (_, unit) => unit.to_string(),
    };
    let quantity = Quantity::parse(&form.quantity).map_err(|e| AppError::invalid(Field::Quantity, number_problem(e)))?;
    if quantity <= Quantity::ZERO {
        return Err(AppError::invalid(Field::Quantity, Problem::NotPositive));
    }
    if quantity > bounds::MAX_QUANTITY {
        return Err(AppError::invalid(Field::Quantity, Problem::TooLarge));
    }
    let unit_price = match (&product, form.unit_price.trim()) {
        (Some(p), "") => Money(p.list_price_cents),
        (_, text) => Money::parse(text).map_err(|e| AppError::invalid(Field::UnitPrice, number_problem(e)))?,
    };
    if unit_price < Money::ZERO {
        return Err(AppError::invalid(Field::UnitPrice, Problem::Negative));
    }
    if unit_price > bounds::MAX_UNIT_PRICE {
        return Err(AppError::invalid(Field::UnitPrice, Problem::TooLarge));
    }
    let discount = Discount::parse(&form.discount).map_err(|e| {
        AppError::invalid(
            Field::Discount,
            match e {
                DiscountError::Invalid => Problem::Invalid,
                DiscountError::OutOfRange => Problem::OutOfRange,
                DiscountError::TooManySteps => Problem::TooMany,
            },
        )
    })?;
    let vat_rate = match (&product, form.vat_rate.trim()) {
        (Some(p), "") => Percent(p.vat_rate_bp),
        (_, text) => parse_vat_rate(text)?,
    };
    let net = line_net(quantity, unit_price, &discount);
    if net > bounds::MAX_LINE_NET {
        return Err(AppError::invalid(Field::UnitPrice, Problem::TooLarge));
    }
    Ok(ValidLine { kind, product, description, quantity, unit, unit_price, discount, vat_rate, net })
}

// ---------------------------------------------------------------- reading

/// An offer the user may see, or `Forbidden` (another seller's) / `NotFound`.
async fn visible_offer(db: &impl ConnectionTrait, actor: &CurrentUser, id: OfferId) -> AppResult<offers::Model> {
    let offer = offers::Entity::find_by_id(id.0).one(db).await?.ok_or(AppError::NotFound)?;
    if !visible_sellers(db, actor).await?.allows(offer.seller_id) {
        return Err(AppError::Forbidden);
    }
    Ok(offer)
}

async fn lines_of(db: &impl ConnectionTrait, offer: i64) -> AppResult<Vec<offer_lines::Model>> {
    Ok(offer_lines::Entity::find()
        .filter(offer_lines::Column::OfferId.eq(offer))
        .order_by_asc(offer_lines::Column::Position)
        .order_by_asc(offer_lines::Column::Id)
        .all(db)
        .await?)
}

fn customer(contact: contacts::Model) -> Customer {
    let place = [contact.postcode.as_deref(), contact.city.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let place = match contact.province.as_deref() {
        Some(province) if !place.is_empty() => format!("{place} ({province})"),
        _ => place,
    };
    let address = [contact.address.clone().unwrap_or_default(), place, if contact.country == "IT" { String::new() } else { contact.country.clone() }]
        .into_iter()
        .filter(|l| !l.is_empty())
        .collect();
    Customer {
        id: ContactId(contact.id),
        name: contact.name,
        address,
        vat_number: contact.vat_number.unwrap_or_default(),
        tax_code: contact.tax_code.unwrap_or_default(),
        email: contact.email.unwrap_or_default(),
    }
}

/// The offer as the page and the document show it, its state as of today.
async fn read(db: &impl ConnectionTrait, model: offers::Model) -> AppResult<Offer> {
    let lines = lines_of(db, model.id).await?;
    let codes: HashMap<i64, String> = {
        let ids: BTreeSet<i64> = lines.iter().filter_map(|l| l.product_id).collect();
        products::Entity::find().filter(products::Column::Id.is_in(ids)).all(db).await?.into_iter().map(|p| (p.id, p.code)).collect()
    };
    let contact = contacts::Entity::find_by_id(model.contact_id).one(db).await?.ok_or(AppError::NotFound)?;
    let seller = sellers::Entity::find_by_id(model.seller_id).one(db).await?.map(|s| s.name).unwrap_or_default();
    let lost_reason = match model.lost_reason_id {
        Some(id) => reasons::Entity::find_by_id(id).one(db).await?.map(|r| r.name),
        None => None,
    };
    let lines: Vec<OfferLine> = lines
        .into_iter()
        .map(|l| OfferLine {
            kind: l.kind,
            product: l.product_id.map(ProductId),
            code: l.product_id.and_then(|id| codes.get(&id).cloned()).unwrap_or_default(),
            description: l.description,
            quantity: Quantity(l.quantity_milli),
            unit: l.unit,
            unit_price: Money(l.unit_price_cents),
            // Stored as checked: it parses back (an unreadable one is a fault, not a zero).
            discount: Discount::parse(&l.discount).unwrap_or(Discount::single(Percent(l.discount_bp))),
            vat_rate: Percent(l.vat_rate_bp),
            net: Money(l.net_cents),
            sale: l.sale_id.map(SaleId),
        })
        .collect();
    let totals =
        totals(lines.iter().filter(|l| l.kind.is_priced()).map(|l| Priced { net: l.net, vat_rate: l.vat_rate })).ok_or(AppError::Internal)?;
    Ok(Offer {
        id: OfferId(model.id),
        customer: customer(contact),
        seller: SellerId(model.seller_id),
        seller_name: seller,
        state: model.state.on(model.valid_until, Utc::now().date_naive()),
        number: OfferNumber::of(model.year, model.number, model.revision),
        language: Lang::from_code(&model.language).ok_or(AppError::Internal)?,
        offer_date: model.offer_date,
        valid_until: model.valid_until,
        payment_terms: model.payment_terms.unwrap_or_default(),
        delivery_terms: model.delivery_terms.unwrap_or_default(),
        intro: model.intro.unwrap_or_default(),
        closing: model.closing.unwrap_or_default(),
        lines,
        totals,
        currency: sale_settings(db).await?.currency,
        sent_at: model.sent_at,
        decided_on: model.decided_on,
        lost_reason,
        online_acceptance: model.online_acceptance,
        accept_token: model.accept_token,
        signed: match (model.accepted_name, model.accepted_at) {
            (Some(name), Some(at)) => Some(Signature { name, at, address: model.accepted_address.unwrap_or_default() }),
            _ => None,
        },
        updated_at: model.updated_at,
        version: model.version,
    })
}

pub async fn get(db: &DatabaseConnection, actor: &CurrentUser, id: OfferId) -> AppResult<Offer> {
    let model = visible_offer(db, actor, id).await?;
    require_sales_contact(db, ContactId(model.contact_id)).await?;
    read(db, model).await
}

/// The offer as its PDF shows it: a sent one as it was last sent (frozen), a draft as it is now.
pub async fn as_sent(db: &DatabaseConnection, actor: &CurrentUser, id: OfferId) -> AppResult<Offer> {
    let model = visible_offer(db, actor, id).await?;
    require_sales_contact(db, ContactId(model.contact_id)).await?;
    let frozen = offer_revisions::Entity::find()
        .filter(offer_revisions::Column::OfferId.eq(id.0))
        .order_by_desc(offer_revisions::Column::Revision)
        .one(db)
        .await?;
    match frozen {
        Some(row) if model.state != OfferState::Draft => serde_json::from_str(&row.document).map_err(|_| AppError::Internal),
        _ => read(db, model).await,
    }
}

/// The company's letterhead for an offer's PDF, in the offer's language.
pub async fn letterhead(db: &impl ConnectionTrait, lang: Lang) -> AppResult<super::pdf::Letterhead> {
    let company = crate::config::company::ssr::get(db).await?;
    Ok(super::pdf::Letterhead { logo: crate::config::logo::get(db).await?, lines: company.letter_lines(lang), name: company.name })
}

/// The offers the user may see under `filter`, newest first, a page after the cursor `after`
/// (`date:id`), with the count and taxable of the whole filtered set.
pub async fn list(db: &DatabaseConnection, actor: &CurrentUser, filter: &OffersFilter, after: Option<&str>) -> AppResult<OffersPage> {
    let scope = visible_sellers(db, actor).await?;
    let today = Utc::now().date_naive();
    let mut query = scope.filter_on(offers::Entity::find(), offers::Column::SellerId);
    query = match filter.state.trim() {
        "" => query,
        code => match OfferState::from_code(code).ok_or(AppError::BadRequest("state".into()))? {
            // Expired is a sent offer past its validity; sent is one still valid.
            OfferState::Expired => query.filter(offers::Column::State.eq(OfferState::Sent)).filter(offers::Column::ValidUntil.lt(today)),
            OfferState::Sent => query.filter(offers::Column::State.eq(OfferState::Sent)).filter(offers::Column::ValidUntil.gte(today)),
            state => query.filter(offers::Column::State.eq(state)),
        },
    };
    if !filter.seller.trim().is_empty() {
        let seller: i64 = filter.seller.trim().parse().map_err(|_| AppError::BadRequest("seller".into()))?;
        query = query.filter(offers::Column::SellerId.eq(seller));
    }
    if !filter.contact.trim().is_empty() {
        // One contact's offers, as its Vendita tab shows them: only while it carries the sales tag.
        let contact: i64 = filter.contact.trim().parse().map_err(|_| AppError::BadRequest("contact".into()))?;
        require_sales_contact(db, ContactId(contact)).await?;
        query = query.filter(offers::Column::ContactId.eq(contact));
    }
    let q = filter.q.trim();
    if q.chars().count() > 100 {
        return Err(AppError::invalid(Field::Name, Problem::TooLong));
    }
    if !q.is_empty() {
        let like = format!("%{}%", q.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        let names = contacts::Entity::find()
            .select_only()
            .column(contacts::Column::Id)
            .filter(Expr::expr(Func::lower(Expr::col(contacts::Column::Name))).like(LikeExpr::new(like).escape('\\')))
            .into_query();
        query = query.filter(offers::Column::ContactId.in_subquery(names));
    }
    // The whole filtered set's count and taxable, in one pass of the database.
    let (count, total): (i64, Option<i64>) = query
        .clone()
        .select_only()
        .column_as(Expr::col(offers::Column::Id).count(), "count")
        .column_as(Expr::col(offers::Column::TaxableCents).sum().cast_as(Alias::new("BIGINT")), "taxable")
        .into_tuple()
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    if let Some(after) = after.filter(|a| !a.is_empty()) {
        let (day, id) = after.split_once(':').ok_or(AppError::BadRequest("cursor".into()))?;
        let day: NaiveDate = day.parse().map_err(|_| AppError::BadRequest("cursor".into()))?;
        let id: i64 = id.parse().map_err(|_| AppError::BadRequest("cursor".into()))?;
        query = query.filter(
            Condition::any()
                .add(offers::Column::OfferDate.lt(day))
                .add(Condition::all().add(offers::Column::OfferDate.eq(day)).add(offers::Column::Id.lt(id))),
        );
    }
    let mut models = query.order_by_desc(offers::Column::OfferDate).order_by_desc(offers::Column::Id).limit(super::OFFERS_PAGE + 1).all(db).await?;
    let next = (models.len() as u64 > super::OFFERS_PAGE).then(|| {
        models.truncate(super::OFFERS_PAGE as usize);
        models.last().map(|m| format!("{}:{}", m.offer_date, m.id))
    });
    let rows = rows_of(db, models, today).await?;
    Ok(OffersPage {
        rows,
        count: count as u64,
        taxable: Money(total.unwrap_or(0)),
        next: next.flatten(),
        currency: sale_settings(db).await?.currency,
    })
}

/// The list's rows of `models`: customer and seller names read once for all.
async fn rows_of(db: &impl ConnectionTrait, models: Vec<offers::Model>, today: NaiveDate) -> AppResult<Vec<OfferRow>> {
    let contact_names: HashMap<i64, String> = contacts::Entity::find()
        .filter(contacts::Column::Id.is_in(models.iter().map(|m| m.contact_id).collect::<BTreeSet<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let seller_names: HashMap<i64, String> = sellers::Entity::find()
        .filter(sellers::Column::Id.is_in(models.iter().map(|m| m.seller_id).collect::<BTreeSet<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    Ok(models
        .into_iter()
        .map(|m| OfferRow {
            id: OfferId(m.id),
            number: OfferNumber::of(m.year, m.number, m.revision),
            contact: ContactId(m.contact_id),
            customer: contact_names.get(&m.contact_id).cloned().unwrap_or_default(),
            seller: seller_names.get(&m.seller_id).cloned().unwrap_or_default(),
            state: m.state.on(m.valid_until, today),
            offer_date: m.offer_date,
            valid_until: m.valid_until,
            taxable: Money(m.taxable_cents),
            decided_on: m.decided_on,
            signed_by: m.accepted_name,
        })
        .collect())
}

/// Days back the home page lists the customers' answers.
pub const ANSWERS_DAYS: u64 = 14;

/// The offers of `scope` answered from `ANSWERS_DAYS` ago to today, the latest first (at most
/// `limit`): what the home page shows, online acceptances included as they happen.
pub async fn recent_answers(
    db: &impl ConnectionTrait,
    scope: &crate::auth::scope::SellerScope,
    today: NaiveDate,
    limit: u64,
) -> AppResult<Vec<OfferRow>> {
    let since = today - chrono::Days::new(ANSWERS_DAYS);
    let models = scope
        .filter_on(offers::Entity::find(), offers::Column::SellerId)
        .filter(offers::Column::State.is_in([OfferState::Accepted, OfferState::Rejected]))
        .filter(offers::Column::DecidedOn.gte(since))
        .order_by_desc(offers::Column::DecidedOn)
        .order_by_desc(offers::Column::UpdatedAt)
        .limit(limit)
        .all(db)
        .await?;
    rows_of(db, models, today).await
}

/// The offers of `scope` sent at least once, per month (by the offer's date) and seller: what
/// the report pages and the workbook fold (`super::results`). Values are the offers' taxable.
pub async fn cells(db: &impl ConnectionTrait, scope: &crate::auth::scope::SellerScope) -> AppResult<Vec<crate::figures::OfferCell>> {
    use crate::figures::{Month, OfferCell};
    let rows: Vec<(i64, i64, OfferState, NaiveDate, Option<NaiveDate>)> = scope
        .filter_on(offers::Entity::find(), offers::Column::SellerId)
        .filter(offers::Column::Number.is_not_null())
        .select_only()
        .columns([
            offers::Column::TaxableCents,
            offers::Column::SellerId,
            offers::Column::State,
            offers::Column::OfferDate,
            offers::Column::DecidedOn,
        ])
        .into_tuple()
        .all(db)
        .await?;
    // Per month and seller: the cell, its three values summed in i128, its days to an answer.
    type Building = (OfferCell, [i128; 3], BTreeMap<i64, u64>);
    let mut cells: BTreeMap<(Month, i64), Building> = BTreeMap::new();
    for (value, seller, state, offer_date, decided_on) in rows {
        let month = Month::of(offer_date);
        let (cell, values, days) = cells.entry((month, seller)).or_insert_with(|| {
            (
                OfferCell {
                    month,
                    seller: SellerId(seller),
                    sent: 0,
                    sent_value: 0,
                    accepted: 0,
                    accepted_value: 0,
                    rejected: 0,
                    rejected_value: 0,
                    days: Vec::new(),
                },
                [0; 3],
                BTreeMap::new(),
            )
        });
        cell.sent += 1;
        values[0] += value as i128;
        match state {
            OfferState::Accepted => {
                cell.accepted += 1;
                values[1] += value as i128;
            }
            OfferState::Rejected => {
                cell.rejected += 1;
                values[2] += value as i128;
            }
            _ => {}
        }
        if let Some(d) = decided_on {
            *days.entry((d - offer_date).num_days()).or_default() += 1;
        }
    }
    cells
        .into_values()
        .map(|(mut cell, values, days)| {
            let money = |v: i128| i64::try_from(v).map_err(|_| AppError::Internal);
            cell.sent_value = money(values[0])?;
            cell.accepted_value = money(values[1])?;
            cell.rejected_value = money(values[2])?;
            cell.days = days.into_iter().collect();
            Ok(cell)
        })
        .collect()
}

/// What the customer received for each revision, as it was sent, oldest first.
pub async fn sent_revisions(db: &DatabaseConnection, actor: &CurrentUser, id: OfferId) -> AppResult<Vec<SentRevision>> {
    visible_offer(db, actor, id).await?;
    let rows = offer_revisions::Entity::find()
        .filter(offer_revisions::Column::OfferId.eq(id.0))
        .order_by_asc(offer_revisions::Column::Revision)
        .all(db)
        .await?;
    let users: HashMap<i64, String> = users::Entity::find()
        .filter(users::Column::Id.is_in(rows.iter().map(|r| r.sent_by).collect::<BTreeSet<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    rows.into_iter()
        .map(|r| {
            let offer = serde_json::from_str(&r.document).map_err(|_| AppError::Internal)?;
            Ok(SentRevision {
                revision: r.revision,
                sent_at: r.sent_at,
                sent_by: users.get(&r.sent_by).cloned().unwrap_or_default(),
                sent_to: r.sent_to,
                offer,
            })
        })
        .collect()
}

// ---------------------------------------------------------------- writing

fn fill(model: &mut offers::ActiveModel, valid: &ValidOffer) {
    model.seller_id = Set(valid.seller.id);
    model.language = Set(valid.language.code().to_string());
    model.offer_date = Set(valid.offer_date);
    model.valid_until = Set(valid.valid_until);
    model.payment_terms = Set(valid.payment_terms.clone());
    model.delivery_terms = Set(valid.delivery_terms.clone());
    model.intro = Set(valid.intro.clone());
    model.closing = Set(valid.closing.clone());
    model.online_acceptance = Set(valid.online_acceptance);
    model.taxable_cents = Set(valid.taxable.0);
}

/// Writes the draft's lines over its old ones. `carried`: the sales of a revised offer's product
/// lines, in order, given again to its product lines in order (the revision changes them when it
/// is sent); returns those left over (lines taken out).
async fn write_lines(txn: &DatabaseTransaction, offer: i64, lines: &[ValidLine], carried: Vec<i64>) -> AppResult<Vec<i64>> {
    offer_lines::Entity::delete_many().filter(offer_lines::Column::OfferId.eq(offer)).exec(txn).await?;
    let mut carried = carried.into_iter();
    let sales: Vec<Option<i64>> = lines.iter().map(|l| if l.kind == LineKind::Product { carried.next() } else { None }).collect();
    let left: Vec<i64> = carried.collect();
    if lines.is_empty() {
        return Ok(left);
    }
    let rows = lines.iter().zip(sales).enumerate().map(|(i, (l, sale))| offer_lines::ActiveModel {
        offer_id: Set(offer),
        position: Set(i as i32 + 1),
        kind: Set(l.kind),
        product_id: Set(l.product.as_ref().map(|p| p.id)),
        description: Set(l.description.clone()),
        quantity_milli: Set(l.quantity.0),
        unit: Set(l.unit.clone()),
        unit_price_cents: Set(l.unit_price.0),
        discount: Set(l.discount.code()),
        discount_bp: Set(l.discount.effective().0),
        vat_rate_bp: Set(l.vat_rate.0),
        net_cents: Set(l.net.0),
        sale_id: Set(sale),
        ..Default::default()
    });
    offer_lines::Entity::insert_many(rows).exec_without_returning(txn).await?;
    Ok(left)
}

/// A new draft on a contact carrying the sales tag, for a seller the user may choose.
pub async fn create(db: &DatabaseConnection, actor: &CurrentUser, contact: ContactId, form: &OfferForm) -> AppResult<Offer> {
    create_carrying(db, actor, contact, form, None).await
}

/// A draft offer made from an open sale on the contact's tab: its one product line is the sale
/// (seller, product, quantity, price, discount, VAT rate), and sending the offer moves that sale
/// to stage *offerta* instead of writing a second one. The sale is held by the draft from now on.
pub async fn from_sale(db: &DatabaseConnection, actor: &CurrentUser, sale: SaleId) -> AppResult<Offer> {
    let sale = crate::sales::ssr::get(db, actor, sale).await?;
    if !sale.stage.is_open() {
        return Err(AppError::SaleNotOpen);
    }
    let form = OfferForm {
        seller: sale.seller.id.0.to_string(),
        language: actor.lang.code().to_string(),
        lines: vec![OfferLineForm {
            kind: LineKind::Product.code().to_string(),
            product: sale.product.id.0.to_string(),
            quantity: sale.quantity.to_input_string(),
            unit_price: sale.unit_price.to_input_string(),
            discount: sale.discount.to_input_string(),
            vat_rate: sale.vat_rate.to_input_string(),
            ..Default::default()
        }],
        ..Default::default()
    };
    create_carrying(db, actor, sale.contact, &form, Some((sale.id, sale.version))).await
}

/// Writes a new draft; `carrying`: the sale (as of its version) its product line stands for.
async fn create_carrying(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    contact: ContactId,
    form: &OfferForm,
    carrying: Option<(SaleId, i32)>,
) -> AppResult<Offer> {
    let (actor, form) = (actor.clone(), form.clone());
    crate::db::transaction(db, |txn| {
        Box::pin(async move {
            require_sales_contact(txn, contact).await?;
            if let Some((sale, version)) = carrying {
                // Not changed meanwhile, and not on another offer already.
                let now = crate::db::entities::sales::Entity::find_by_id(sale.0).one(txn).await?.ok_or(AppError::NotFound)?;
                if now.version != version {
                    return Err(AppError::Conflict);
                }
                crate::sales::ssr::refuse_if_on_offer(txn, sale).await?;
            }
            let valid = check(txn, &actor, &form, None).await?;
            let now = Utc::now();
            let mut model = offers::ActiveModel {
                contact_id: Set(contact.0),
                state: Set(OfferState::Draft),
                revision: Set(1),
                created_by: Set(actor.id.0),
                created_at: Set(now),
                updated_by: Set(actor.id.0),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            };
            fill(&mut model, &valid);
            let model = model.insert(txn).await?;
            write_lines(txn, model.id, &valid.lines, carrying.map(|(sale, _)| sale.0).into_iter().collect()).await?;
            read(txn, model).await
        })
    })
    .await
}

/// The draft `id` as of `version`, changed to the form's values.
pub async fn update(db: &DatabaseConnection, actor: &CurrentUser, id: OfferId, version: i32, form: &OfferForm) -> AppResult<Offer> {
    let (actor, form) = (actor.clone(), form.clone());
    crate::db::transaction(db, |txn| {
        Box::pin(async move {
            let old = visible_offer(txn, &actor, id).await?;
            require_sales_contact(txn, ContactId(old.contact_id)).await?;
            if old.state != OfferState::Draft {
                return Err(AppError::OfferNotDraft);
            }
            if old.version != version {
                return Err(AppError::Conflict);
            }
            let lines = lines_of(txn, id.0).await?;
            let valid = check(txn, &actor, &form, Some((&old, lines.as_slice()))).await?;
            let mut model = offers::ActiveModel { updated_by: Set(actor.id.0), ..Default::default() };
            fill(&mut model, &valid);
            if !versioned::try_update_model(txn, id.0, version, model).await? {
                return Err(AppError::Conflict);
            }
            // A revision's product lines keep the sales the offer sent, in order; the sales of
            // lines it took out go.
            let carried = lines.iter().filter(|l| l.kind == LineKind::Product).filter_map(|l| l.sale_id).collect();
            let left = write_lines(txn, id.0, &valid.lines, carried).await?;
            if !left.is_empty() {
                let label = OfferNumber::of(old.year, old.number, old.revision).ok_or(AppError::Internal)?.label();
                for sale in left {
                    remove_offered(txn, &actor, SaleId(sale), &label).await?;
                }
            }
            let model = offers::Entity::find_by_id(id.0).one(txn).await?.ok_or(AppError::Conflict)?;
            read(txn, model).await
        })
    })
    .await
}

/// Deletes a draft (a sent offer is kept: it was received).
pub async fn delete(db: &DatabaseConnection, actor: &CurrentUser, id: OfferId, version: i32) -> AppResult<()> {
    let actor = actor.clone();
    crate::db::transaction(db, |txn| {
        Box::pin(async move {
            let old = visible_offer(txn, &actor, id).await?;
            // A draft that was sent before (being revised) was received: it stays.
            if old.state != OfferState::Draft || old.number.is_some() {
                return Err(AppError::OfferNotDraft);
            }
            if !versioned::try_delete::<offers::Entity>(txn, id.0, version).await? {
                return Err(AppError::Conflict);
            }
            Ok(())
        })
    })
    .await
}

/// The year's next number, taken inside the caller's transaction: the year's row is created if
/// missing and moved on by one in a single statement, which holds the row until the transaction
/// ends (PostgreSQL's row lock, SQLite's single writer). A rolled-back send gives its number back.
async fn next_number(txn: &DatabaseTransaction, year: i32) -> AppResult<i32> {
    let backend = ConnectionTrait::get_database_backend(txn);
    let (insert, bump) = match backend {
        DbBackend::Postgres => (
            "INSERT INTO offer_numbers (year, last) VALUES ($1, 0) ON CONFLICT (year) DO NOTHING",
            "UPDATE offer_numbers SET last = last + 1 WHERE year = $1 RETURNING last",
        ),
        _ => (
            "INSERT INTO offer_numbers (year, last) VALUES (?, 0) ON CONFLICT (year) DO NOTHING",
            "UPDATE offer_numbers SET last = last + 1 WHERE year = ? RETURNING last",
        ),
    };
    txn.execute_raw(Statement::from_sql_and_values(backend, insert, [year.into()])).await?;
    let row = txn.query_one_raw(Statement::from_sql_and_values(backend, bump, [year.into()])).await?.ok_or(AppError::Internal)?;
    Ok(row.try_get_by_index::<i32>(0)?)
}

/// Where this server is reached, as the request says (`Origin`, else `Host`): the start of the
/// customer's link in an e-mail.
pub fn site_origin() -> String {
    let Some(parts) = leptos::prelude::use_context::<http::request::Parts>() else { return String::new() };
    let header = |name: http::header::HeaderName| parts.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    header(http::header::ORIGIN).or_else(|| header(http::header::HOST).map(|h| format!("http://{h}"))).unwrap_or_default()
}

/// Sends the draft `id` as of `version`: numbered (the first time), its product lines written as
/// sales in stage *offerta*, and the offer as sent kept for good. With `mail` (the message and the
/// site's origin for the link) the PDF is e-mailed inside the same transaction: if the mail server
/// fails, nothing is sent and no number is taken. All or nothing.
pub async fn send(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: OfferId,
    version: i32,
    mail: Option<(super::mail::Outgoing, String)>,
) -> AppResult<Offer> {
    let actor = actor.clone();
    crate::db::transaction(db, |txn| {
        Box::pin(async move {
            let old = visible_offer(txn, &actor, id).await?;
            let contact = ContactId(old.contact_id);
            require_sales_contact(txn, contact).await?;
            if old.state != OfferState::Draft {
                return Err(AppError::OfferNotDraft);
            }
            let lines = lines_of(txn, id.0).await?;
            if !lines.iter().any(|l| l.kind.is_priced()) {
                return Err(AppError::OfferEmpty);
            }
            let now = Utc::now();
            // Claimed first: a second send of the same version stops here, before taking a number.
            let claim =
                offers::ActiveModel { state: Set(OfferState::Sent), sent_at: Set(Some(now)), updated_by: Set(actor.id.0), ..Default::default() };
            if !versioned::try_update_model(txn, id.0, version, claim).await? {
                return Err(AppError::Conflict);
            }
            let (year, number) = match (old.year, old.number) {
                (Some(year), Some(number)) => (year, number),
                _ => {
                    let year = chrono::Datelike::year(&now.date_naive());
                    (year, next_number(txn, year).await?)
                }
            };
            offers::Entity::update_many()
                .col_expr(offers::Column::Year, Expr::value(year))
                .col_expr(offers::Column::Number, Expr::value(number))
                .filter(offers::Column::Id.eq(id.0))
                .exec(txn)
                .await?;
            let label = OfferNumber { year, number, revision: old.revision }.label();
            let seller = sellers::Entity::find_by_id(old.seller_id).one(txn).await?.ok_or(AppError::Internal)?;
            let probability = sale_settings(txn).await?.probabilities.of(Stage::Proposal);
            let product_ids: BTreeSet<i64> = lines.iter().filter_map(|l| l.product_id).collect();
            let products: HashMap<i64, products::Model> =
                products::Entity::find().filter(products::Column::Id.is_in(product_ids)).all(txn).await?.into_iter().map(|p| (p.id, p)).collect();
            for (i, line) in lines.iter().enumerate().filter(|(_, l)| l.kind == LineKind::Product) {
                // A product deleted since the draft was saved leaves its line without one.
                let product =
                    line.product_id.and_then(|p| products.get(&p)).cloned().ok_or(on_line(i, AppError::invalid(Field::Product, Problem::Invalid)))?;
                let sale = OfferedSale {
                    product,
                    seller: seller.clone(),
                    quantity: Quantity(line.quantity_milli),
                    unit_price: Money(line.unit_price_cents),
                    discount: Percent(line.discount_bp),
                    vat_rate: Percent(line.vat_rate_bp),
                    probability,
                    sale_date: old.offer_date,
                    expected_close: old.valid_until,
                };
                if let Some(carried) = line.sale_id {
                    update_offered(txn, &actor, SaleId(carried), &label, sale).await.map_err(|e| on_line(i, e))?;
                    continue;
                }
                let sale = insert_offered(txn, &actor, contact, &label, sale).await.map_err(|e| on_line(i, e))?;
                offer_lines::Entity::update_many()
                    .col_expr(offer_lines::Column::SaleId, Expr::value(sale.id))
                    .filter(offer_lines::Column::Id.eq(line.id))
                    .exec(txn)
                    .await?;
            }
            if old.online_acceptance {
                offers::Entity::update_many()
                    .col_expr(offers::Column::AcceptToken, Expr::value(new_token()))
                    .filter(offers::Column::Id.eq(id.0))
                    .exec(txn)
                    .await?;
            }
            let model = offers::Entity::find_by_id(id.0).one(txn).await?.ok_or(AppError::Internal)?;
            let offer = read(txn, model).await?;
            // The document as the customer received it: the link is not part of it.
            let document = Offer { accept_token: None, ..offer.clone() };
            offer_revisions::ActiveModel {
                offer_id: Set(id.0),
                revision: Set(old.revision),
                sent_at: Set(now),
                sent_by: Set(actor.id.0),
                document: Set(serde_json::to_string(&document).map_err(|_| AppError::Internal)?),
                sent_to: Set(mail.as_ref().map(|(m, _)| m.recipients())),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            if let Some((mail, origin)) = mail {
                let head = letterhead(txn, document.language).await?;
                let file_name = document.file_name();
                let link =
                    offer.accept_token.as_ref().map(|t| Msg::MailTextLink.text(document.language).replace("{link}", &format!("{origin}/o/{t}")));
                let pdf = tokio::task::spawn_blocking(move || super::pdf::draw(&document, &head)).await.map_err(|_| AppError::Internal)??;
                mail.deliver(&label, link, pdf, &file_name).await?;
            }
            Ok(offer)
        })
    })
    .await
}

/// Opens the sent offer `id` as of `version` for its next revision: a draft again, with the same
/// number and the next revision, its sales held until it is sent again. What the customer
/// received stays as it was sent.
pub async fn revise(db: &DatabaseConnection, actor: &CurrentUser, id: OfferId, version: i32) -> AppResult<Offer> {
    let actor = actor.clone();
    crate::db::transaction(db, |txn| {
        Box::pin(async move {
            let old = visible_offer(txn, &actor, id).await?;
            require_sales_contact(txn, ContactId(old.contact_id)).await?;
            if old.state != OfferState::Sent {
                return Err(AppError::OfferNotSent);
            }
            let change = offers::ActiveModel {
                state: Set(OfferState::Draft),
                revision: Set(old.revision + 1),
                sent_at: Set(None),
                // The link of the revision the customer had dies with it.
                accept_token: Set(None),
                updated_by: Set(actor.id.0),
                ..Default::default()
            };
            if !versioned::try_update_model(txn, id.0, version, change).await? {
                return Err(AppError::Conflict);
            }
            let model = offers::Entity::find_by_id(id.0).one(txn).await?.ok_or(AppError::Internal)?;
            read(txn, model).await
        })
    })
    .await
}

/// The customer's answer, as a manager or the offer's seller records it.
pub enum Answer<'a> {
    /// Accepted on this day ("" is today).
    Accepted { on: &'a str },
    /// Rejected on this day ("" is today), with a lost reason (id or name) and an optional note.
    Rejected { on: &'a str, reason: &'a str, note: &'a str },
}

/// Records the answer to the sent offer `id` as of `version`: its sales close won (accepted) or
/// lost with the reason (rejected), on the answer's day. All or nothing.
pub async fn answer(db: &DatabaseConnection, actor: &CurrentUser, id: OfferId, version: i32, answer: Answer<'_>) -> AppResult<Offer> {
    let actor = actor.clone();
    let (on, rejected) = match answer {
        Answer::Accepted { on } => (on.to_string(), None),
        Answer::Rejected { on, reason, note } => (on.to_string(), Some((reason.to_string(), note.to_string()))),
    };
    crate::db::transaction(db, |txn| {
        Box::pin(async move {
            let old = visible_offer(txn, &actor, id).await?;
            require_sales_contact(txn, ContactId(old.contact_id)).await?;
            if old.state != OfferState::Sent {
                return Err(AppError::OfferNotSent);
            }
            let day = parse_date(Field::ClosedDate, &on)?.unwrap_or_else(|| Utc::now().date_naive());
            if day < old.offer_date {
                return Err(AppError::invalid(Field::ClosedDate, Problem::BeforeSaleDate));
            }
            if day > (Utc::now() + chrono::Duration::hours(14)).date_naive() {
                return Err(AppError::invalid(Field::ClosedDate, Problem::InFuture));
            }
            let reasons = if rejected.is_some() { lost_reasons::ordered(txn).await? } else { Vec::new() };
            let lost = match &rejected {
                None => None,
                Some((reason, note)) => Some((lost_reasons::pick(&reasons, reason, None)?, optional_text(Field::LostNote, note, MAX_LOST_NOTE)?)),
            };
            let outcome = match &lost {
                None => OfferOutcome::Won { on: day },
                Some((reason, note)) => OfferOutcome::Lost { on: day, reason, note: note.clone() },
            };
            decide(txn, &actor, &old, version, &outcome, None).await
        })
    })
    .await
}

/// Closes the sent offer `old` as of `version` with `outcome`, and its sales with it; the link
/// dies. `signed`: the customer's own acceptance online.
async fn decide(
    txn: &DatabaseTransaction,
    actor: &CurrentUser,
    old: &offers::Model,
    version: i32,
    outcome: &OfferOutcome<'_>,
    signed: Option<Signature>,
) -> AppResult<Offer> {
    let (state, day, reason) = match outcome {
        OfferOutcome::Won { on } => (OfferState::Accepted, *on, None),
        OfferOutcome::Lost { on, reason, .. } => (OfferState::Rejected, *on, Some(reason.id)),
    };
    let mut change = offers::ActiveModel {
        state: Set(state),
        decided_on: Set(Some(day)),
        lost_reason_id: Set(reason),
        accept_token: Set(None),
        updated_by: Set(actor.id.0),
        ..Default::default()
    };
    if let Some(signed) = signed {
        change.accepted_name = Set(Some(signed.name));
        change.accepted_at = Set(Some(signed.at));
        change.accepted_address = Set(Some(signed.address));
    }
    if !versioned::try_update_model(txn, old.id, version, change).await? {
        return Err(AppError::Conflict);
    }
    let label = OfferNumber::of(old.year, old.number, old.revision).ok_or(AppError::Internal)?.label();
    for sale in lines_of(txn, old.id).await?.into_iter().filter_map(|l| l.sale_id) {
        close_offered(txn, actor, SaleId(sale), &label, outcome).await?;
    }
    let model = offers::Entity::find_by_id(old.id).one(txn).await?.ok_or(AppError::Internal)?;
    read(txn, model).await
}

// ---------------------------------------------------------------- the customer's link

/// A fresh link token: 256 random bits, as 64 hex digits.
fn new_token() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The longest name a customer may sign with.
const MAX_SIGNER: usize = 100;

/// What the customer's link shows: the offer as he received it (the revision sent last), the
/// letterhead in its language, and whether it can still be accepted.
#[derive(Debug)]
pub struct Shown {
    pub offer: Offer,
    pub letterhead: super::pdf::Letterhead,
    /// Accepted online, by whom and when (the page after *Accetto*).
    pub signed: Option<Signature>,
}

/// The offer behind a live link: sent, within its validity, the token its own. Anything else,
/// a malformed token included, is `NotFound`, counted against the address
/// (`auth::ssr::link_guess`): guessing is slowed to a stop, whatever is guessed.
async fn linked(db: &impl ConnectionTrait, token: &str) -> AppResult<Option<offers::Model>> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return Ok(None);
    }
    let today = Utc::now().date_naive();
    Ok(offers::Entity::find()
        .filter(offers::Column::AcceptToken.eq(token))
        .filter(offers::Column::State.eq(OfferState::Sent))
        .filter(offers::Column::ValidUntil.gte(today))
        .one(db)
        .await?)
}

/// The frozen document of the offer's last sent revision.
async fn last_sent(db: &impl ConnectionTrait, offer: i64) -> AppResult<Offer> {
    let frozen = offer_revisions::Entity::find()
        .filter(offer_revisions::Column::OfferId.eq(offer))
        .order_by_desc(offer_revisions::Column::Revision)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    serde_json::from_str(&frozen.document).map_err(|_| AppError::Internal)
}

/// The offer a customer's link opens, for the address `ip` (at most
/// `auth::ssr::MAX_LINK_FAILURES` unknown links from one address in the rate window).
pub async fn open_link(db: &DatabaseConnection, token: &str, ip: &str) -> AppResult<Shown> {
    crate::auth::ssr::link_guess(db, ip).await?;
    let Some(model) = linked(db, token).await? else {
        crate::auth::ssr::link_failed(db, ip).await?;
        return Err(AppError::NotFound);
    };
    let offer = last_sent(db, model.id).await?;
    let letterhead = letterhead(db, offer.language).await?;
    Ok(Shown { offer, letterhead, signed: None })
}

/// The customer accepts through his link, signing with his name: the offer and its sales close
/// won today, recorded with the name, the time and the address, and the link dies. Recorded in
/// the sales' history as done by whoever sent the offer.
pub async fn accept_link(db: &DatabaseConnection, token: &str, name: &str, ip: &str) -> AppResult<Shown> {
    crate::auth::ssr::link_guess(db, ip).await?;
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let (token, ip2) = (token.to_string(), ip.to_string());
    let done = crate::db::transaction(db, |txn| {
        Box::pin(async move {
            let Some(old) = linked(txn, &token).await? else { return Ok(None) };
            if name.chars().count() < 2 {
                return Err(AppError::invalid(Field::Name, Problem::Required));
            }
            if name.chars().count() > MAX_SIGNER {
                return Err(AppError::invalid(Field::Name, Problem::TooLong));
            }
            let sender = offer_revisions::Entity::find()
                .filter(offer_revisions::Column::OfferId.eq(old.id))
                .order_by_desc(offer_revisions::Column::Revision)
                .one(txn)
                .await?
                .ok_or(AppError::Internal)?
                .sent_by;
            let sender = users::Entity::find_by_id(sender).one(txn).await?.ok_or(AppError::Internal)?;
            let actor = crate::auth::ssr::to_current_user(&sender)?;
            let signed = Signature { name, at: Utc::now(), address: ip2 };
            let today = Utc::now().date_naive();
            // Accepted on the day it was sent at the earliest (a clock behind the offer's date).
            let outcome = OfferOutcome::Won { on: Ord::max(today, old.offer_date) };
            decide(txn, &actor, &old, old.version, &outcome, Some(signed.clone())).await?;
            Ok(Some((old.id, old.language, signed)))
        })
    })
    .await?;
    let Some((id, lang, signed)) = done else {
        crate::auth::ssr::link_failed(db, ip).await?;
        return Err(AppError::NotFound);
    };
    let offer = last_sent(db, id).await?;
    let letterhead = letterhead(db, Lang::from_code(&lang).ok_or(AppError::Internal)?).await?;
    Ok(Shown { offer, letterhead, signed: Some(signed) })
}
