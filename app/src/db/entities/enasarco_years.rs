//! `enasarco_years`: the Enasarco contribution rate (and the company's share), the yearly
//! ceilings and minimums, and the FIRR brackets, per year; prefilled by the migration, changed by
//! managers.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "enasarco_years")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    pub rate_bp: i32,
    pub company_bp: i32,
    pub ceiling_mono_cents: i64,
    pub ceiling_pluri_cents: i64,
    pub minimum_mono_cents: i64,
    pub minimum_pluri_cents: i64,
    pub firr_rate1_bp: i32,
    pub firr_rate2_bp: i32,
    pub firr_rate3_bp: i32,
    pub firr_mono_step1_cents: i64,
    pub firr_mono_step2_cents: i64,
    pub firr_pluri_step1_cents: i64,
    pub firr_pluri_step2_cents: i64,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
