//! The demo's commissions, written through the domain's rules: every seller earns 6 % by default
//! (Marco 8 %, 5 % on the first top category, on collection; the external agency is a
//! plurimandatario agent, its statements with Enasarco and FIRR); Marco's won sales are collected
//! (all of those closed over two months ago, half of the recent ones); each seller's statements
//! are settled up to the end of the month before last, so last month's is waiting to be settled.

use super::offers::user;
use app::auth::Role;
use app::commissions::ssr as com;
use app::commissions::{PlanForm, RuleForm};
use app::db::entities::{categories, collections, sales, sellers};
use app::figures::Month;
use chrono::{Datelike, Days, NaiveDate, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder};

fn err(what: &str) -> impl Fn(app::error::AppError) -> DbErr + '_ {
    move |e| DbErr::Custom(format!("demo commissions ({what}): {e:?}"))
}

/// Writes the plans, rules, collections and settled statements; returns (rules, collections,
/// statements).
pub async fn load(db: &DatabaseConnection, today: NaiveDate) -> Result<(usize, usize, usize), DbErr> {
    let giulia = user(db, "giulia", Role::Manager).await?;
    let all = sellers::Entity::find().filter(sellers::Column::Active.eq(true)).order_by_asc(sellers::Column::Id).all(db).await?;
    let marco = all.iter().find(|s| s.name == "Marco Galli").ok_or(DbErr::Custom("demo seller Marco Galli".into()))?.id;
    let top = categories::Entity::find().filter(categories::Column::ParentId.is_null()).order_by_asc(categories::Column::Position).one(db).await?;
    // From the first of January three years ago: before any demo sale.
    let since = NaiveDate::from_ymd_opt(today.year() - 3, 1, 1).ok_or(DbErr::Custom("demo date".into()))?.to_string();
    let mut rules = 0;
    for s in &all {
        let rate = if s.id == marco { "8" } else { "6" };
        let form = RuleForm { seller: s.id.to_string(), kind: "rate".into(), value: rate.into(), valid_from: since.clone(), ..Default::default() };
        com::add_rule(db, &giulia, &form).await.map_err(err("rule"))?;
        rules += 1;
    }
    if let Some(top) = top {
        let form = RuleForm {
            seller: marco.to_string(),
            category: top.id.to_string(),
            kind: "rate".into(),
            value: "5".into(),
            valid_from: since.clone(),
            ..Default::default()
        };
        com::add_rule(db, &giulia, &form).await.map_err(err("category rule"))?;
        rules += 1;
    }
    com::save_plan(db, &giulia, app::ids::SellerId(marco), 0, &PlanForm { earn_on: "collection".into(), ..Default::default() })
        .await
        .map_err(err("plan"))?;
    // The external agency is a plurimandatario agent, FIRR accrued.
    if let Some(agency) = all.iter().find(|s| s.name == "Agenzia Esterna") {
        let plan = PlanForm { earn_on: "close".into(), agent: "pluri".into(), firr: "true".into() };
        com::save_plan(db, &giulia, app::ids::SellerId(agency.id), 0, &plan).await.map_err(err("agency's plan"))?;
    }
    // Marco's customers pay 30 days after closing; those of the last two months half so far.
    let won = sales::Entity::find().filter(sales::Column::SellerId.eq(marco)).filter(sales::Column::Stage.eq(app::codes::Stage::Won)).all(db).await?;
    let recent = today - Days::new(60);
    let rows: Vec<collections::ActiveModel> = won
        .iter()
        .filter_map(|s| {
            let closed = s.closed_date?;
            let (on, amount) = if closed < recent { (closed + Days::new(30), s.gross_cents) } else { (closed + Days::new(15), s.gross_cents / 2) };
            (on <= today && amount > 0).then(|| collections::ActiveModel {
                sale_id: Set(s.id),
                collected_on: Set(on),
                amount_cents: Set(amount),
                created_by: Set(giulia.id.0),
                created_at: Set(Utc::now()),
                ..Default::default()
            })
        })
        .collect();
    let collected = rows.len();
    for chunk in rows.chunks(500) {
        collections::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    // Settled up to the end of the month before last.
    let period = Month::of(today).plus(-2).code();
    let mut settled = 0;
    for s in &all {
        if com::settle(db, &giulia, app::ids::SellerId(s.id), &period).await.is_ok() {
            settled += 1;
        }
    }
    Ok((rules, collected, settled))
}
