//! The configuration rules. Every function takes the acting user: reading needs only a signed-in
//! user, changing needs a manager or an admin (`require_manager`), for every caller alike.

pub mod lost_reasons;

use super::{ConfigOverview, CrmSettings, SalesTag, StageProbabilities, StagesForm, TagId};
use crate::auth::CurrentUser;
use crate::auth::ssr::require_manager;
use crate::db::entities::{categories as category, contact_tags, crm_settings, products as product, sellers as seller, tags};
use crate::error::{AppError, AppResult, Field, Problem};
use chrono::Utc;
use sea_orm::sea_query::{Expr, Query};
use sea_orm::*;

// ---------------------------------------------------------------- settings

async fn settings_model(db: &impl ConnectionTrait) -> AppResult<crm_settings::Model> {
    crm_settings::Entity::find_by_id(crm_settings::SETTINGS_ID).one(db).await?.ok_or(AppError::Internal)
}

fn probabilities(model: &crm_settings::Model) -> StageProbabilities {
    StageProbabilities { lead: model.prob_lead, negotiation: model.prob_negotiation, proposal: model.prob_proposal }
}

/// What the sales pages need of the settings, in one read ([`settings`] also resolves the sales
/// tag, a second query the sales pages never use).
pub struct SaleSettings {
    pub currency: String,
    pub probabilities: StageProbabilities,
}

pub async fn sale_settings(db: &impl ConnectionTrait) -> AppResult<SaleSettings> {
    let model = settings_model(db).await?;
    Ok(SaleSettings { probabilities: probabilities(&model), currency: model.currency })
}

/// The CRM settings as every module reads them (no permission needed: nothing secret).
pub async fn settings(db: &impl ConnectionTrait) -> AppResult<CrmSettings> {
    let model = settings_model(db).await?;
    let sales_tag = match model.sales_tag_id {
        Some(id) => tags::Entity::find_by_id(id).one(db).await?.and_then(|t| t.system_key).and_then(|k| SalesTag::from_code(&k)),
        None => None,
    };
    Ok(CrmSettings {
        sales_tag,
        sales_tag_id: model.sales_tag_id.map(TagId),
        probabilities: probabilities(&model),
        currency: model.currency,
        wizard_done: model.wizard_done,
        version: model.version,
    })
}

pub async fn overview(db: &DatabaseConnection, actor: &CurrentUser) -> AppResult<ConfigOverview> {
    let (settings, sellers, categories, products, lost_reasons) = tokio::try_join!(
        settings(db),
        async { AppResult::Ok(seller::Entity::find().count(db).await?) },
        async { AppResult::Ok(category::Entity::find().count(db).await?) },
        async { AppResult::Ok(product::Entity::find().count(db).await?) },
        lost_reasons::offered(db),
    )?;
    let lost_reasons = lost_reasons.len() as u64;
    let done = [settings.sales_tag.is_some(), sellers > 0, categories > 0, products > 0, lost_reasons > 0, settings.wizard_done];
    Ok(ConfigOverview { settings, done, sellers, categories, products, lost_reasons, can_edit: actor.role.is_manager() })
}

/// Writes the settings row if nobody changed it since `version`.
async fn update_settings(db: &DatabaseConnection, version: i32, changes: Vec<(crm_settings::Column, Expr)>) -> AppResult<CrmSettings> {
    let mut update = crm_settings::Entity::update_many()
        .col_expr(crm_settings::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(crm_settings::Column::Version, Expr::col(crm_settings::Column::Version).add(1))
        .filter(crm_settings::Column::Id.eq(crm_settings::SETTINGS_ID))
        .filter(crm_settings::Column::Version.eq(version));
    for (column, value) in changes {
        update = update.col_expr(column, value);
    }
    if update.exec(db).await?.rows_affected != 1 {
        return Err(AppError::Conflict);
    }
    settings(db).await
}

/// Step 1: which system tag (Clienti or Fornitori) marks the contacts that are sold to. Switching
/// it while contacts with sales carry the old one takes their Vendita tab away (their sales stay in
/// the reports): refused with their number until `confirmed`.
pub async fn set_sales_tag(db: &DatabaseConnection, actor: &CurrentUser, version: i32, code: &str, confirmed: bool) -> AppResult<CrmSettings> {
    require_manager(actor)?;
    let tag = SalesTag::from_code(code.trim()).ok_or(AppError::invalid(Field::SalesTag, Problem::Invalid))?;
    let tag = tags::Entity::find().filter(tags::Column::SystemKey.eq(tag.code())).one(db).await?.ok_or(AppError::Internal)?;
    let current = settings_model(db).await?.sales_tag_id;
    if let Some(current) = current.filter(|c| *c != tag.id && !confirmed) {
        let losing = contacts_losing_sales_tab(db, current, tag.id).await?;
        if losing > 0 {
            return Err(AppError::SalesTagSwitch { contacts: losing });
        }
    }
    update_settings(db, version, vec![(crm_settings::Column::SalesTagId, Expr::value(tag.id))]).await
}

/// Contacts with sales that carry the tag `from` but not `to`.
async fn contacts_losing_sales_tab(db: &impl ConnectionTrait, from: i64, to: i64) -> AppResult<u64> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "SELECT CAST(COUNT(DISTINCT s.contact_id) AS BIGINT) FROM sales s \
             WHERE EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = s.contact_id AND t.tag_id = $1) \
             AND NOT EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = s.contact_id AND t.tag_id = $2)"
        }
        _ => {
            "SELECT CAST(COUNT(DISTINCT s.contact_id) AS BIGINT) FROM sales s \
             WHERE EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = s.contact_id AND t.tag_id = ?) \
             AND NOT EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = s.contact_id AND t.tag_id = ?)"
        }
    };
    let row = db.query_one_raw(Statement::from_sql_and_values(backend, sql, [from.into(), to.into()])).await?;
    Ok(row.map(|r| r.try_get_by_index::<i64>(0)).transpose()?.unwrap_or(0) as u64)
}

fn parse_probability(field: Field, text: &str) -> AppResult<i32> {
    let text = text.trim().trim_end_matches('%').trim();
    if text.is_empty() {
        return Err(AppError::invalid(field, Problem::Required));
    }
    let value: i32 = text.parse().map_err(|_| AppError::invalid(field, Problem::Invalid))?;
    if !(0..=100).contains(&value) {
        return Err(AppError::invalid(field, Problem::OutOfRange));
    }
    Ok(value)
}

/// An ISO 4217 code: three letters, kept upper-case.
fn parse_currency(text: &str) -> AppResult<String> {
    let code = text.trim().to_uppercase();
    if code.is_empty() {
        return Err(AppError::invalid(Field::Currency, Problem::Required));
    }
    if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(AppError::invalid(Field::Currency, Problem::Invalid));
    }
    Ok(code)
}

/// Step 5: the stage probabilities and the currency. Saving them completes the wizard.
pub async fn set_stages(db: &DatabaseConnection, actor: &CurrentUser, version: i32, form: StagesForm) -> AppResult<CrmSettings> {
    require_manager(actor)?;
    let lead = parse_probability(Field::ProbLead, &form.lead)?;
    let negotiation = parse_probability(Field::ProbNegotiation, &form.negotiation)?;
    let proposal = parse_probability(Field::ProbProposal, &form.proposal)?;
    let currency = parse_currency(&form.currency)?;
    update_settings(
        db,
        version,
        vec![
            (crm_settings::Column::ProbLead, Expr::value(lead)),
            (crm_settings::Column::ProbNegotiation, Expr::value(negotiation)),
            (crm_settings::Column::ProbProposal, Expr::value(proposal)),
            (crm_settings::Column::Currency, Expr::value(currency)),
            (crm_settings::Column::WizardDone, Expr::value(true)),
        ],
    )
    .await
}

/// Whether the contact carries the tag chosen in the CRM settings (and so has a *Vendita* tab).
pub async fn carries_sales_tag(db: &impl ConnectionTrait, contact: crate::ids::ContactId) -> AppResult<bool> {
    // One query: the contact's tag that the settings name as the sales tag (none while unset).
    let sales_tag = Query::select()
        .column(crm_settings::Column::SalesTagId)
        .from(crm_settings::Entity)
        .and_where(crm_settings::Column::Id.eq(crm_settings::SETTINGS_ID))
        .to_owned();
    let found = contact_tags::Entity::find()
        .filter(contact_tags::Column::ContactId.eq(contact.0))
        .filter(contact_tags::Column::TagId.in_subquery(sales_tag))
        .one(db)
        .await?;
    Ok(found.is_some())
}
