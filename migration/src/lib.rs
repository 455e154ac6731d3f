//! Database migrations for Vendita (SQLite and PostgreSQL).

pub use sea_orm_migration::prelude::*;

mod m20261128_000001_schema;
mod m20261205_000001_contact_search;
mod m20261210_000001_tag_name_key;
mod m20261215_000001_desk_indexes;
mod m20261220_000001_lost_reasons;
mod m20261222_000001_import_batches;
mod m20261230_000001_targets_and_cells;
mod m20261231_000001_covering_indexes;
mod m20270101_000001_exports;
mod m20270102_000001_import_in_chunks;
mod m20270110_000001_offers;
mod m20270120_000001_offer_acceptance;
mod m20270130_000001_offer_taxable;
mod m20270201_000001_commissions;
mod m20270210_000001_enasarco;
mod m20270215_000001_commission_modes;
mod m20270220_000001_commission_versions;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_schema::Migration),
            Box::new(m20261205_000001_contact_search::Migration),
            Box::new(m20261210_000001_tag_name_key::Migration),
            Box::new(m20261215_000001_desk_indexes::Migration),
            Box::new(m20261220_000001_lost_reasons::Migration),
            Box::new(m20261222_000001_import_batches::Migration),
            Box::new(m20261230_000001_targets_and_cells::Migration),
            Box::new(m20261231_000001_covering_indexes::Migration),
            Box::new(m20270101_000001_exports::Migration),
            Box::new(m20270102_000001_import_in_chunks::Migration),
            Box::new(m20270110_000001_offers::Migration),
            Box::new(m20270120_000001_offer_acceptance::Migration),
            Box::new(m20270130_000001_offer_taxable::Migration),
            Box::new(m20270201_000001_commissions::Migration),
            Box::new(m20270210_000001_enasarco::Migration),
            Box::new(m20270215_000001_commission_modes::Migration),
            Box::new(m20270220_000001_commission_versions::Migration),
        ]
    }
}

/// A named foreign key from `from` (table, column) to `to`.
pub(crate) fn fk(
    name: &str,
    from: (impl IntoIden + 'static, impl IntoIden + 'static),
    to: (impl IntoIden + 'static, impl IntoIden + 'static),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create().name(name).from(from.0, from.1).to(to.0, to.1).on_delete(on_delete).to_owned()
}
