//! The demo data set's material, kept as data beside this file (`data/`): the category tree and
//! the catalogue (`;`-separated, with a header line), the cities, and one-per-line lists of names,
//! streets and notes. `vendita demo` draws the contacts and sales from them (see `super`); the
//! files are compiled in, so the binary needs nothing beside it.

use std::sync::LazyLock;

/// What a product is, for the quantities a sale of it takes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Hardware,
    Consumable,
    License,
    Subscription,
    Service,
    Course,
    Book,
    Catering,
}

impl Kind {
    fn parse(text: &str) -> Kind {
        match text {
            "Hardware" => Kind::Hardware,
            "Consumable" => Kind::Consumable,
            "License" => Kind::License,
            "Subscription" => Kind::Subscription,
            "Service" => Kind::Service,
            "Course" => Kind::Course,
            "Book" => Kind::Book,
            "Catering" => Kind::Catering,
            other => panic!("products.csv: unknown kind {other:?}"),
        }
    }
}

pub struct ProductSeed {
    pub code: &'static str,
    pub name: &'static str,
    pub description: Option<&'static str>,
    /// The key of its category in categories.csv.
    pub category: &'static str,
    pub unit: &'static str,
    /// List price in cents.
    pub price: i64,
    /// VAT rate in basis points.
    pub vat_bp: i32,
    pub kind: Kind,
    /// How often it sells, relative to the others.
    pub weight: u32,
    pub active: bool,
}

pub struct City {
    pub name: &'static str,
    pub province: &'static str,
    pub postcode: &'static str,
    /// The telephone area code.
    pub area: &'static str,
    /// The cadastral code (in a codice fiscale).
    pub cadastral: &'static str,
    /// How many contacts live there, relative to the others.
    pub weight: u32,
}

/// (key, parent key, name), parents first.
pub static CATEGORIES: LazyLock<Vec<(&'static str, Option<&'static str>, &'static str)>> =
    LazyLock::new(|| records(include_str!("data/categories.csv"), 3).map(|r| (r[0], Some(r[1]).filter(|p| !p.is_empty()), r[2])).collect());

pub static PRODUCTS: LazyLock<Vec<ProductSeed>> = LazyLock::new(|| {
    records(include_str!("data/products.csv"), 10)
        .map(|r| ProductSeed {
            code: r[0],
            name: r[1],
            category: r[2],
            unit: r[3],
            price: number(r[4]),
            vat_bp: number(r[5]),
            kind: Kind::parse(r[6]),
            weight: number(r[7]),
            active: r[8] == "1",
            description: Some(r[9]).filter(|d| !d.is_empty()),
        })
        .collect()
});

pub static CITIES: LazyLock<Vec<City>> = LazyLock::new(|| {
    records(include_str!("data/cities.csv"), 6)
        .map(|r| City { name: r[0], province: r[1], postcode: r[2], area: r[3], cadastral: r[4], weight: number(r[5]) })
        .collect()
});

pub static MALE_NAMES: LazyLock<Vec<&'static str>> = LazyLock::new(|| lines(include_str!("data/male_names.txt")));
pub static FEMALE_NAMES: LazyLock<Vec<&'static str>> = LazyLock::new(|| lines(include_str!("data/female_names.txt")));
pub static SURNAMES: LazyLock<Vec<&'static str>> = LazyLock::new(|| lines(include_str!("data/surnames.txt")));
/// The second word of a company name ("Rossi Impianti").
pub static SECTORS: LazyLock<Vec<&'static str>> = LazyLock::new(|| lines(include_str!("data/sectors.txt")));
pub static BRANDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| lines(include_str!("data/brands.txt")));
pub static STREETS: LazyLock<Vec<&'static str>> = LazyLock::new(|| lines(include_str!("data/streets.txt")));
pub static CONTACT_NOTES: LazyLock<Vec<&'static str>> = LazyLock::new(|| lines(include_str!("data/contact_notes.txt")));
pub static SALE_NOTES: LazyLock<Vec<&'static str>> = LazyLock::new(|| lines(include_str!("data/sale_notes.txt")));
/// (default lost reason, note) pairs: the reasons are the migration's default list.
pub static LOST_REASONS: LazyLock<Vec<(&'static str, &'static str)>> =
    LazyLock::new(|| lines(include_str!("data/lost_reasons.txt")).into_iter().filter_map(|l| l.split_once('|')).collect());

fn lines(text: &'static str) -> Vec<&'static str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).collect()
}

/// The records of a `;`-separated file after its header, each with exactly `fields` fields (the
/// files are compiled in and read by a test: a malformed one never ships).
fn records(text: &'static str, fields: usize) -> impl Iterator<Item = Vec<&'static str>> {
    lines(text).into_iter().skip(1).map(move |line| {
        let record: Vec<&str> = line.split(';').collect();
        assert_eq!(record.len(), fields, "demo data: {line:?} has {} fields, not {fields}", record.len());
        record
    })
}

fn number<T: std::str::FromStr>(text: &str) -> T {
    text.parse().unwrap_or_else(|_| panic!("demo data: {text:?} is not a number"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_reads_and_every_reference_resolves() {
        assert_eq!((CATEGORIES.len(), PRODUCTS.len(), CITIES.len()), (17, 52, 38));
        for (i, (_, parent, _)) in CATEGORIES.iter().enumerate() {
            if let Some(parent) = parent {
                assert!(CATEGORIES[..i].iter().any(|c| c.0 == *parent), "{parent} comes before its children");
            }
        }
        assert!(PRODUCTS.iter().all(|p| CATEGORIES.iter().any(|c| c.0 == p.category)));
        assert_eq!(PRODUCTS.iter().filter(|p| !p.active).count(), 2);
        assert_eq!(PRODUCTS.iter().filter(|p| p.description.is_some()).count(), 8);
        for list in [&MALE_NAMES, &FEMALE_NAMES, &SURNAMES, &SECTORS, &BRANDS, &STREETS, &CONTACT_NOTES, &SALE_NOTES] {
            assert!(!list.is_empty());
        }
        // Every lost reason is one of the default list the migration writes.
        assert_eq!(LOST_REASONS.len(), 8);
        let defaults = ["Prezzo", "Concorrenza", "Tempistica", "Nessuna risposta", "Altro"];
        assert!(LOST_REASONS.iter().all(|(reason, _)| defaults.contains(reason)));
    }
}
