//! `vendita demo`: a realistic Italian demo data set, generated deterministically (fixed seed;
//! dates are relative to today) and inserted in batches inside one transaction.
//!
//! Users (password `vendita-demo` for all): `admin` (admin), `giulia` (manager), `marco`, `sara`,
//! `luca` (members). Sellers: one per non-admin user, "Team Nord" (marco, sara) and
//! "Agenzia Esterna" (no members). About 15 categories in three levels, about 50 products, 500
//! contacts (≈70% *Clienti*, some *Fornitori*), 5 000 sales over the last two years, each with its
//! `create` history row.

use app::auth::Role;
use app::contacts::ContactKind;
use app::db::entities::{
    categories, contact_tags, contacts, crm_settings, lost_reasons, products, sale_history, sales, seller_members, sellers, tags, users,
};
use app::money::{Money, Percent, Quantity, line_totals};
use app::sales::{HistoryAction, Stage};
use app::sellers::SellerKind;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use rand::distributions::{Distribution, WeightedIndex};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};
use std::collections::{HashMap, HashSet};
use std::fmt;

mod commissions;
mod data;
mod forecast;
mod offers;
use data::{
    BRANDS, CATEGORIES, CITIES, CONTACT_NOTES, City, FEMALE_NAMES, Kind, LOST_REASONS, MALE_NAMES, PRODUCTS, SALE_NOTES, SECTORS, STREETS, SURNAMES,
};
pub use offers::sample_logo;

/// The password of every demo user.
pub const DEMO_PASSWORD: &str = "vendita-demo";

const SEED: u64 = 0x5645_4e44_4954_4121; // "VENDITA!"
const CONTACTS: usize = 500;
const SALES: usize = 5_000;
const BATCH: usize = 500;
/// Days of history (two years).
const HISTORY_DAYS: i64 = 730;

/// What was loaded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub users: usize,
    pub sellers: usize,
    pub tags: usize,
    pub categories: usize,
    pub products: usize,
    pub contacts: usize,
    pub customers: usize,
    pub suppliers: usize,
    pub sales: usize,
    pub won: usize,
    pub lost: usize,
    pub open: usize,
    pub history_rows: usize,
    pub targets: usize,
    pub frozen_cells: usize,
    pub slipped: usize,
    pub offers: usize,
    pub commission_rules: usize,
    pub collections: usize,
    pub statements: usize,
}

impl fmt::Display for DemoSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} users, {} sellers, {} tags, {} categories, {} products, {} contacts ({} customers, {} suppliers), \
             {} sales ({} won, {} lost, {} open), {} history rows, {} targets, {} frozen forecast cells, {} slipped closes, {} offers, \
             {} commission rules, {} collections, {} settled statements",
            self.users,
            self.sellers,
            self.tags,
            self.categories,
            self.products,
            self.contacts,
            self.customers,
            self.suppliers,
            self.sales,
            self.won,
            self.lost,
            self.open,
            self.history_rows,
            self.targets,
            self.frozen_cells,
            self.slipped,
            self.offers,
            self.commission_rules,
            self.collections,
            self.statements
        )
    }
}

/// Loads the demo data set into an empty database (schema migrated, no users yet).
///
/// `hash` turns a password into its stored hash (argon2id); it is called once.
/// Refuses with `DbErr::Custom` when users already exist. All or nothing: one transaction; then
/// the offers, each written as a user writes one.
pub async fn load(db: &DatabaseConnection, hash: &(dyn Fn(&str) -> String + Sync)) -> Result<DemoSummary, DbErr> {
    let txn = db.begin().await?;
    if users::Entity::find().count(&txn).await? > 0 {
        return Err(DbErr::Custom(
            "the database already has users: demo data can only be loaded into an empty database \
             (start from a fresh database file or an empty PostgreSQL database)"
                .to_string(),
        ));
    }
    let password_hash = hash(DEMO_PASSWORD);
    let loader = Loader::new(&txn);
    let today = loader.today;
    let mut summary = loader.run(password_hash).await?;
    txn.commit().await?;
    // Written through the offers' rules, which take their own transactions.
    summary.offers = offers::load(db, today).await?;
    (summary.commission_rules, summary.collections, summary.statements) = commissions::load(db, today).await?;
    Ok(summary)
}

struct Loader<'a> {
    txn: &'a DatabaseTransaction,
    rng: StdRng,
    now: DateTime<Utc>,
    today: NaiveDate,
    summary: DemoSummary,
}

/// A user seller's or team's handle while generating.
#[derive(Clone, Copy)]
struct SellerRef {
    id: i64,
    /// Users who may have typed this seller's sales.
    typists: [i64; 2],
}

struct ProductRef {
    id: i64,
    price: i64,
    vat_bp: i32,
    unit: &'static str,
    kind: Kind,
    weight: u32,
    active: bool,
}

struct CustomerRef {
    id: i64,
    created: NaiveDate,
    weight: f64,
    main_seller: usize,
}

impl<'a> Loader<'a> {
    fn new(txn: &'a DatabaseTransaction) -> Self {
        let now = Utc::now();
        Loader { txn, rng: StdRng::seed_from_u64(SEED), now, today: chrono::Local::now().date_naive(), summary: DemoSummary::default() }
    }

    async fn run(mut self, password_hash: String) -> Result<DemoSummary, DbErr> {
        let users = self.users(password_hash).await?;
        let sellers = self.sellers(&users).await?;
        let (customers_tag, suppliers_tag) = self.tags().await?;
        let settings = self.settings(customers_tag).await?;
        let products = self.catalogue().await?;
        let customers = self.contacts(customers_tag, suppliers_tag, sellers.len()).await?;
        self.sales(&sellers, &products, &customers, &settings).await?;
        app::figures::cells::rebuild_in(self.txn).await.map_err(|e| DbErr::Custom(format!("report cells: {e:?}")))?;
        (self.summary.targets, self.summary.frozen_cells, self.summary.slipped) =
            forecast::load(self.txn, &mut self.rng, self.today, users.admin).await?;
        self.import_batch(users.giulia, suppliers_tag).await?;
        self.exports(&users).await?;
        Ok(self.summary)
    }

    /// Giulia's import of twelve suppliers from a trade-fair list, still undoable (suppliers
    /// have no sales): the import page lists it.
    async fn import_batch(&mut self, giulia: i64, suppliers_tag: i64) -> Result<(), DbErr> {
        use app::db::entities::{import_batches, import_rows};
        let suppliers: Vec<contacts::Model> = contacts::Entity::find()
            .filter(
                contacts::Column::Id.in_subquery(
                    sea_orm::sea_query::Query::select()
                        .column(contact_tags::Column::ContactId)
                        .from(contact_tags::Entity)
                        .and_where(contact_tags::Column::TagId.eq(suppliers_tag))
                        .to_owned(),
                ),
            )
            .filter(
                contacts::Column::Id
                    .not_in_subquery(sea_orm::sea_query::Query::select().column(sales::Column::ContactId).from(sales::Entity).to_owned()),
            )
            .order_by_desc(contacts::Column::Id)
            .limit(12)
            .all(self.txn)
            .await?;
        let at = self.instant(self.today - Duration::days(9), 11, 5);
        let batch = import_batches::ActiveModel {
            kind: Set(app::import::ImportKind::Contacts.code().to_string()),
            file_name: Set("fornitori-fiera-2026.xlsx".to_string()),
            user_id: Set(giulia),
            created_at: Set(at),
            created: Set(suppliers.len() as i64),
            updated: Set(0),
            rejected: Set(0),
            rejected_rows: Set(None),
            undone_at: Set(None),
            finished_at: Set(Some(at)),
            written_at: Set(Some(at)),
            ..Default::default()
        }
        .insert(self.txn)
        .await?;
        let rows = suppliers.iter().map(|c| import_rows::ActiveModel {
            batch_id: Set(batch.id),
            entity_id: Set(c.id),
            action: Set("create".to_string()),
            version: Set(c.version),
            before: Set(None),
            ..Default::default()
        });
        import_rows::Entity::insert_many(rows).exec_without_returning(self.txn).await?;
        Ok(())
    }

    /// The exports' register: giulia took the address book and the product list last month, and
    /// marco and sara their own sales workbooks this week.
    async fn exports(&mut self, u: &DemoUsers) -> Result<(), DbErr> {
        use app::db::entities::exports;
        use app::exports::ExportKind;
        let contacts = contacts::Entity::find().count(self.txn).await? as i64;
        let products = products::Entity::find().count(self.txn).await? as i64;
        let entries = [
            (u.giulia, 34, ExportKind::Contacts, contacts),
            (u.giulia, 34, ExportKind::Products, products),
            (u.marco, 3, ExportKind::Sales, 212),
            (u.sara, 1, ExportKind::Sales, 187),
        ];
        for (user, days_ago, kind, rows) in entries {
            let at = self.instant(self.today - Duration::days(days_ago), 16, 20);
            exports::ActiveModel { user_id: Set(user), at: Set(at), what: Set(kind.code().to_string()), rows: Set(rows), ..Default::default() }
                .insert(self.txn)
                .await?;
        }
        Ok(())
    }

    fn instant(&self, date: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
        let t = date.and_hms_opt(hour, minute, 0).expect("valid time").and_utc();
        t.min(self.now)
    }

    // ------------------------------------------------------------------------------------ users

    async fn users(&mut self, password_hash: String) -> Result<DemoUsers, DbErr> {
        let created = self.instant(self.today - Duration::days(HISTORY_DAYS + 45), 9, 0);
        let mut ids = Vec::new();
        for (login, name, role) in [
            ("admin", "Amministratore", Role::Admin),
            ("giulia", "Giulia Ferri", Role::Manager),
            ("marco", "Marco Galli", Role::Member),
            ("sara", "Sara Conti", Role::Member),
            ("luca", "Luca Marino", Role::Member),
        ] {
            let user = users::ActiveModel {
                login: Set(login.to_string()),
                display_name: Set(name.to_string()),
                password_hash: Set(password_hash.clone()),
                role: Set(role),
                active: Set(true),
                language: Set("it".to_string()),
                created_at: Set(created),
                updated_at: Set(created),
                version: Set(1),
                ..Default::default()
            }
            .insert(self.txn)
            .await?;
            ids.push(user.id);
        }
        self.summary.users = ids.len();
        Ok(DemoUsers { admin: ids[0], giulia: ids[1], marco: ids[2], sara: ids[3], luca: ids[4] })
    }

    /// Sellers in a fixed order: giulia, marco, sara, luca, Team Nord, Agenzia Esterna.
    async fn sellers(&mut self, u: &DemoUsers) -> Result<Vec<SellerRef>, DbErr> {
        let created = self.instant(self.today - Duration::days(HISTORY_DAYS + 40), 10, 0);
        let mut out = Vec::new();
        for (name, kind, user_id, typists) in [
            ("Giulia Ferri", SellerKind::User, Some(u.giulia), [u.giulia, u.giulia]),
            ("Marco Galli", SellerKind::User, Some(u.marco), [u.marco, u.marco]),
            ("Sara Conti", SellerKind::User, Some(u.sara), [u.sara, u.sara]),
            ("Luca Marino", SellerKind::User, Some(u.luca), [u.luca, u.luca]),
            ("Team Nord", SellerKind::Generic, None, [u.marco, u.sara]),
            ("Agenzia Esterna", SellerKind::Generic, None, [u.giulia, u.admin]),
        ] {
            let seller = sellers::ActiveModel {
                kind: Set(kind),
                name: Set(name.to_string()),
                user_id: Set(user_id),
                active: Set(true),
                created_at: Set(created),
                updated_at: Set(created),
                version: Set(1),
                ..Default::default()
            }
            .insert(self.txn)
            .await?;
            out.push(SellerRef { id: seller.id, typists });
        }
        let team_nord = out[4].id;
        seller_members::Entity::insert_many(
            [u.marco, u.sara].map(|user_id| seller_members::ActiveModel { seller_id: Set(team_nord), user_id: Set(user_id) }),
        )
        .exec_without_returning(self.txn)
        .await?;
        self.summary.sellers = out.len();
        Ok(out)
    }

    // ------------------------------------------------------------------------- tags & settings

    /// The two system tags (created by the migration) plus two user tags.
    async fn tags(&mut self) -> Result<(i64, i64), DbErr> {
        let customers = system_tag(self.txn, tags::SYSTEM_CUSTOMERS).await?;
        let suppliers = system_tag(self.txn, tags::SYSTEM_SUPPLIERS).await?;
        let created = self.instant(self.today - Duration::days(HISTORY_DAYS + 40), 11, 0);
        for name in ["VIP", "Newsletter"] {
            let exists = tags::Entity::find().filter(tags::Column::Name.eq(name)).one(self.txn).await?;
            if exists.is_none() {
                tags::ActiveModel { name: Set(name.to_string()), system_key: Set(None), created_at: Set(created), ..Default::default() }
                    .insert(self.txn)
                    .await?;
            }
        }
        self.summary.tags = tags::Entity::find().count(self.txn).await? as usize;
        Ok((customers, suppliers))
    }

    /// Sales tag = Clienti, wizard done. Returns the settings in force.
    async fn settings(&mut self, customers_tag: i64) -> Result<crm_settings::Model, DbErr> {
        let current = crm_settings::Entity::find_by_id(crm_settings::SETTINGS_ID).one(self.txn).await?;
        let model = match current {
            Some(row) => {
                let version = row.version;
                let mut active: crm_settings::ActiveModel = row.into();
                active.sales_tag_id = Set(Some(customers_tag));
                active.wizard_done = Set(true);
                active.updated_at = Set(self.now);
                active.version = Set(version + 1);
                active.update(self.txn).await?
            }
            None => {
                crm_settings::ActiveModel {
                    id: Set(crm_settings::SETTINGS_ID),
                    sales_tag_id: Set(Some(customers_tag)),
                    currency: Set("EUR".to_string()),
                    prob_lead: Set(10),
                    prob_negotiation: Set(30),
                    prob_proposal: Set(60),
                    wizard_done: Set(true),
                    updated_at: Set(self.now),
                    version: Set(1),
                }
                .insert(self.txn)
                .await?
            }
        };
        Ok(model)
    }

    // -------------------------------------------------------------------------------- catalogue

    async fn catalogue(&mut self) -> Result<Vec<ProductRef>, DbErr> {
        let created = self.instant(self.today - Duration::days(HISTORY_DAYS + 35), 9, 30);
        // Categories: parents before children; `CATEGORIES[i].1` is the index of the parent.
        let mut category_ids: Vec<i64> = Vec::with_capacity(CATEGORIES.len());
        let mut position_in_parent: Vec<(Option<usize>, i32)> = Vec::new();
        for (key, parent, name) in CATEGORIES.iter().copied() {
            let parent_idx = parent.map(|p| CATEGORIES.iter().position(|c| c.0 == p).expect("parent category declared first"));
            let position = position_in_parent.iter().filter(|(p, _)| *p == parent_idx).count() as i32;
            position_in_parent.push((parent_idx, position));
            let model = categories::ActiveModel {
                parent_id: Set(parent_idx.map(|i| category_ids[i])),
                name: Set(name.to_string()),
                position: Set(position),
                created_at: Set(created),
                updated_at: Set(created),
                version: Set(1),
                ..Default::default()
            }
            .insert(self.txn)
            .await?;
            debug_assert_eq!(CATEGORIES[category_ids.len()].0, key);
            category_ids.push(model.id);
        }
        self.summary.categories = category_ids.len();

        let mut out = Vec::with_capacity(PRODUCTS.len());
        for p in PRODUCTS.iter() {
            let cat_idx = CATEGORIES.iter().position(|c| c.0 == p.category).expect("product category exists");
            let model = products::ActiveModel {
                code: Set(p.code.to_string()),
                name: Set(p.name.to_string()),
                description: Set(p.description.map(str::to_string)),
                category_id: Set(Some(category_ids[cat_idx])),
                unit: Set(p.unit.to_string()),
                list_price_cents: Set(p.price),
                vat_rate_bp: Set(p.vat_bp),
                active: Set(p.active),
                created_at: Set(created),
                updated_at: Set(created),
                version: Set(1),
                ..Default::default()
            }
            .insert(self.txn)
            .await?;
            out.push(ProductRef { id: model.id, price: p.price, vat_bp: p.vat_bp, unit: p.unit, kind: p.kind, weight: p.weight, active: p.active });
        }
        self.summary.products = out.len();
        Ok(out)
    }

    // --------------------------------------------------------------------------------- contacts

    async fn contacts(&mut self, customers_tag: i64, suppliers_tag: i64, seller_count: usize) -> Result<Vec<CustomerRef>, DbErr> {
        let vip_tag = self.tag_id("VIP").await?;
        let newsletter_tag = self.tag_id("Newsletter").await?;
        let window_start = self.today - Duration::days(HISTORY_DAYS);

        let mut rows = Vec::with_capacity(CONTACTS);
        // Per contact: (created date, is customer, is supplier, other tags)
        let mut meta: Vec<(NaiveDate, bool, bool, Vec<i64>)> = Vec::with_capacity(CONTACTS);
        let mut used_names = HashSet::new();
        let mut company_names: Vec<String> = Vec::new();

        for _ in 0..CONTACTS {
            let rng = &mut self.rng;
            let city = pick_city(rng);
            let is_company = rng.gen_bool(0.6);
            let (name, company, email, vat, tax_code) = if is_company {
                let name = unique(&mut used_names, || company_name(rng));
                let slug = slugify(&name);
                let domain = format!("{}.it", slug.chars().take(24).collect::<String>());
                let mailbox = *["info", "amministrazione", "commerciale", "ufficio.acquisti", "segreteria"].choose(rng).unwrap_or(&"info");
                let vat = partita_iva(rng);
                company_names.push(name.clone());
                (name, None, format!("{mailbox}@{domain}"), Some(vat.clone()), Some(vat))
            } else {
                let female = rng.gen_bool(0.5);
                let first = *if female { &FEMALE_NAMES } else { &MALE_NAMES }.choose(rng).unwrap_or(&"Anna");
                let last = *SURNAMES.choose(rng).unwrap_or(&"Rossi");
                // Homonyms are real: person names are not made unique.
                let name = format!("{first} {last}");
                let domain = *["gmail.com", "libero.it", "outlook.it", "yahoo.it", "virgilio.it", "tiscali.it", "alice.it"]
                    .choose(rng)
                    .unwrap_or(&"gmail.com");
                let email = match rng.gen_range(0..3) {
                    0 => format!("{}.{}@{domain}", slugify(first), slugify(last)),
                    1 => format!("{}{}@{domain}", slugify(first), slugify(last)),
                    _ => format!("{}.{}{}@{domain}", slugify(first), slugify(last), rng.gen_range(1..99)),
                };
                let company = if !company_names.is_empty() && rng.gen_bool(0.3) { company_names.choose(rng).cloned() } else { None };
                let born = NaiveDate::from_ymd_opt(rng.gen_range(1955..2001), rng.gen_range(1..=12), rng.gen_range(1..=28)).expect("valid date");
                let cf = codice_fiscale(first, last, female, born, city.cadastral);
                (name, company, email, None, Some(cf))
            };

            let phone = if is_company || rng.gen_bool(0.3) {
                let digits = 10 - city.area.len();
                format!("+39 {} {}", city.area, random_digits(rng, digits))
            } else {
                format!("+39 3{}{} {}", rng.gen_range(2..=9), rng.gen_range(0..=9), random_digits(rng, 7))
            };
            let address = format!("{} {}", STREETS.choose(rng).unwrap_or(&"Via Roma"), rng.gen_range(1..180));
            let notes = if rng.gen_bool(0.12) { CONTACT_NOTES.choose(rng).map(|s| s.to_string()) } else { None };

            // 75% were in the address book before the two years of history; the rest arrive during it.
            let created = if rng.gen_bool(0.75) {
                window_start - Duration::days(rng.gen_range(1..400))
            } else {
                window_start + Duration::days(rng.gen_range(0..HISTORY_DAYS - 30))
            };
            let created_at = created.and_hms_opt(rng.gen_range(8..19), rng.gen_range(0..60), 0).expect("valid time").and_utc().min(self.now);

            let customer = rng.gen_bool(0.7);
            let supplier = if is_company { rng.gen_bool(if customer { 0.08 } else { 0.45 }) } else { false };
            let mut extra = Vec::new();
            if customer && rng.gen_bool(0.08) {
                extra.push(vip_tag);
            }
            if rng.gen_bool(0.25) {
                extra.push(newsletter_tag);
            }

            rows.push(contacts::ActiveModel {
                kind: Set(if is_company { ContactKind::Company } else { ContactKind::Person }),
                name: Set(name),
                company: Set(company),
                vat_number: Set(vat),
                tax_code: Set(tax_code),
                email: Set(Some(email)),
                phone: Set(Some(phone)),
                address: Set(Some(address)),
                postcode: Set(Some(city.postcode.to_string())),
                city: Set(Some(city.name.to_string())),
                province: Set(Some(city.province.to_string())),
                country: Set("IT".to_string()),
                notes: Set(notes),
                created_at: Set(created_at),
                updated_at: Set(created_at),
                version: Set(1),
                ..Default::default()
            });
            meta.push((created, customer, supplier, extra));
        }

        let ids = self.insert_and_collect_ids(rows).await?;

        let mut links = Vec::new();
        let mut customers = Vec::new();
        for (id, (created, customer, supplier, extra)) in ids.iter().copied().zip(meta) {
            if customer {
                links.push((id, customers_tag));
                // A few big accounts, many small ones.
                let u: f64 = self.rng.gen_range(0.0..1.0);
                let weight = 0.3 + 12.0 * u.powi(4);
                customers.push(CustomerRef { id, created, weight, main_seller: self.main_seller(seller_count) });
                self.summary.customers += 1;
            }
            if supplier {
                links.push((id, suppliers_tag));
                self.summary.suppliers += 1;
            }
            for tag in extra {
                links.push((id, tag));
            }
        }
        let link_rows: Vec<contact_tags::ActiveModel> =
            links.into_iter().map(|(contact_id, tag_id)| contact_tags::ActiveModel { contact_id: Set(contact_id), tag_id: Set(tag_id) }).collect();
        for chunk in link_rows.chunks(BATCH) {
            contact_tags::Entity::insert_many(chunk.iter().cloned()).exec_without_returning(self.txn).await?;
        }
        self.summary.contacts = ids.len();
        Ok(customers)
    }

    async fn tag_id(&self, name: &str) -> Result<i64, DbErr> {
        tags::Entity::find()
            .filter(tags::Column::Name.eq(name))
            .one(self.txn)
            .await?
            .map(|t| t.id)
            .ok_or_else(|| DbErr::Custom(format!("tag {name:?} not found")))
    }

    /// Account owner of a customer: index into the sellers list
    /// (giulia, marco, sara, luca, Team Nord, Agenzia Esterna).
    fn main_seller(&mut self, seller_count: usize) -> usize {
        let weights = [8u32, 26, 26, 20, 12, 8];
        let dist = WeightedIndex::new(&weights[..seller_count.min(weights.len())]).expect("weights");
        dist.sample(&mut self.rng)
    }

    /// Inserts contacts in batches and returns their ids in insertion order.
    async fn insert_and_collect_ids(&self, rows: Vec<contacts::ActiveModel>) -> Result<Vec<i64>, DbErr> {
        let before = max_id(self.txn, contacts::Entity::find().order_by_desc(contacts::Column::Id)).await?;
        let expected = rows.len();
        for chunk in rows.chunks(BATCH) {
            contacts::Entity::insert_many(chunk.iter().cloned()).exec_without_returning(self.txn).await?;
        }
        let ids: Vec<i64> = contacts::Entity::find()
            .select_only()
            .column(contacts::Column::Id)
            .filter(contacts::Column::Id.gt(before))
            .order_by_asc(contacts::Column::Id)
            .into_tuple()
            .all(self.txn)
            .await?;
        if ids.len() != expected {
            return Err(DbErr::Custom(format!(
                "demo: expected {expected} new contacts, found {}: was the database written to meanwhile?",
                ids.len()
            )));
        }
        Ok(ids)
    }

    // ------------------------------------------------------------------------------------ sales

    async fn sales(
        &mut self,
        sellers: &[SellerRef],
        products: &[ProductRef],
        customers: &[CustomerRef],
        settings: &crm_settings::Model,
    ) -> Result<(), DbErr> {
        if customers.is_empty() || products.is_empty() || sellers.is_empty() {
            return Ok(());
        }
        let window_start = self.today - Duration::days(HISTORY_DAYS);
        // The default lost reasons by name (a reason the list no longer has becomes a note only).
        let reason_ids: HashMap<String, i64> = lost_reasons::Entity::find().all(self.txn).await?.into_iter().map(|r| (r.name, r.id)).collect();

        // Sale dates: weekdays, seasonal (quiet August, busy autumn), growing ~20% over two years.
        let days: Vec<NaiveDate> = (0..=HISTORY_DAYS).map(|d| window_start + Duration::days(d)).collect();
        let day_weights: Vec<f64> = days
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let weekday = match d.weekday() {
                    Weekday::Sat => 0.12,
                    Weekday::Sun => 0.03,
                    _ => 1.0,
                };
                let season = [0.9, 0.95, 1.1, 1.0, 1.05, 1.1, 0.9, 0.4, 1.05, 1.15, 1.2, 1.1][d.month0() as usize];
                let growth = 1.0 + 0.2 * i as f64 / HISTORY_DAYS as f64;
                weekday * season * growth
            })
            .collect();
        let day_dist = WeightedIndex::new(&day_weights).expect("day weights");
        let customer_dist = WeightedIndex::new(customers.iter().map(|c| c.weight)).expect("customer weights");
        let product_weights: Vec<u32> = products.iter().map(|p| p.weight).collect();
        let product_dist = WeightedIndex::new(&product_weights).expect("product weights");
        // Inactive products were dropped from the catalogue a year ago.
        let retired_after = self.today - Duration::days(365);

        let mut dates: Vec<NaiveDate> = (0..SALES).map(|_| days[day_dist.sample(&mut self.rng)]).collect();
        dates.sort();

        let mut rows = Vec::with_capacity(SALES);
        let mut history = Vec::with_capacity(SALES); // (user, at) per sale, same order
        for sale_date in dates {
            let rng = &mut self.rng;
            // Contact: weighted, and already in the address book on the sale date.
            let mut customer = &customers[customer_dist.sample(rng)];
            for _ in 0..50 {
                if customer.created <= sale_date {
                    break;
                }
                customer = &customers[customer_dist.sample(rng)];
            }
            let customer =
                if customer.created <= sale_date { customer } else { customers.iter().find(|c| c.created <= sale_date).unwrap_or(customer) };

            let seller_idx = if rng.gen_bool(0.85) { customer.main_seller } else { rng.gen_range(0..sellers.len()) };
            let seller = sellers[seller_idx];
            let typist = seller.typists[rng.gen_range(0..2)];

            let mut product = &products[product_dist.sample(rng)];
            while !product.active && sale_date > retired_after {
                product = &products[product_dist.sample(rng)];
            }

            let quantity = quantity_for(rng, product);
            let unit_price = if rng.gen_bool(0.2) {
                // Negotiated price: ±8% of list, rounded to 10 cents.
                let pct = rng.gen_range(92..=108) as i64;
                ((product.price * pct / 100 + 5) / 10 * 10).max(10)
            } else {
                product.price
            };
            let discount_bp: i32 =
                if rng.gen_bool(0.6) { 0 } else { *[250, 500, 500, 750, 1000, 1000, 1050, 1500, 2000].choose(rng).unwrap_or(&500) };
            let (net, gross) = line_totals(Quantity(quantity), Money(unit_price), Percent(discount_bp), Percent(product.vat_bp));

            // Stage: old sales are closed, recent ones mostly still open.
            let days_ago = (self.today - sale_date).num_days();
            let p_open = match days_ago {
                d if d < 15 => 0.85,
                d if d < 45 => 0.6,
                d if d < 90 => 0.35,
                d if d < 180 => 0.12,
                _ => 0.03,
            };
            let (stage, probability, expected_close, closed_date, lost) = if rng.gen_bool(p_open) {
                let (stage, prob) = match rng.gen_range(0..100) {
                    0..40 => (Stage::Lead, settings.prob_lead),
                    40..75 => (Stage::Negotiation, settings.prob_negotiation),
                    _ => (Stage::Proposal, settings.prob_proposal),
                };
                // Some deals run late: their expected close has passed and they are still open.
                let expected = if days_ago > 1 && rng.gen_bool(0.15) {
                    sale_date + Duration::days(rng.gen_range(0..days_ago))
                } else {
                    self.today + Duration::days(rng.gen_range(3..=180))
                };
                (stage, prob, Some(expected), None, None)
            } else {
                let closed = sale_date + Duration::days(rng.gen_range(0..=days_ago.min(60)));
                let expected = Some(sale_date + Duration::days(rng.gen_range(7..=75)));
                if rng.gen_bool(0.68) {
                    (Stage::Won, 100, expected, Some(closed), None)
                } else {
                    (Stage::Lost, 0, expected, Some(closed), LOST_REASONS.choose(rng).copied())
                }
            };
            match stage {
                Stage::Won => self.summary.won += 1,
                Stage::Lost => self.summary.lost += 1,
                Stage::Lead | Stage::Negotiation | Stage::Proposal => self.summary.open += 1,
            }

            let notes = if rng.gen_bool(0.15) { SALE_NOTES.choose(rng).map(|s| s.to_string()) } else { None };
            let created_at =
                sale_date.and_hms_opt(rng.gen_range(8..18), rng.gen_range(0..60), rng.gen_range(0..60)).expect("valid time").and_utc().min(self.now);

            rows.push(sales::ActiveModel {
                contact_id: Set(customer.id),
                product_id: Set(product.id),
                seller_id: Set(seller.id),
                quantity_milli: Set(quantity),
                unit_price_cents: Set(unit_price),
                discount_bp: Set(discount_bp),
                vat_rate_bp: Set(product.vat_bp),
                net_cents: Set(net.0),
                gross_cents: Set(gross.0),
                stage: Set(stage),
                probability: Set(probability),
                sale_date: Set(sale_date),
                expected_close: Set(expected_close),
                closed_date: Set(closed_date),
                lost_reason_id: Set(lost.and_then(|(reason, _)| reason_ids.get(reason).copied())),
                lost_note: Set(lost.map(|(_, note)| note.to_string())),
                notes: Set(notes),
                created_by: Set(typist),
                created_at: Set(created_at),
                updated_by: Set(typist),
                updated_at: Set(created_at),
                version: Set(1),
                ..Default::default()
            });
            history.push((typist, created_at));
        }

        let before = max_id(self.txn, sales::Entity::find().order_by_desc(sales::Column::Id)).await?;
        for chunk in rows.chunks(BATCH) {
            sales::Entity::insert_many(chunk.iter().cloned()).exec_without_returning(self.txn).await?;
        }
        let ids: Vec<i64> = sales::Entity::find()
            .select_only()
            .column(sales::Column::Id)
            .filter(sales::Column::Id.gt(before))
            .order_by_asc(sales::Column::Id)
            .into_tuple()
            .all(self.txn)
            .await?;
        if ids.len() != rows.len() {
            return Err(DbErr::Custom(format!(
                "demo: expected {} new sales, found {}: was the database written to meanwhile?",
                rows.len(),
                ids.len()
            )));
        }
        self.summary.sales = ids.len();

        let history_rows: Vec<sale_history::ActiveModel> = ids
            .iter()
            .zip(history)
            .map(|(&sale_id, (user_id, at))| sale_history::ActiveModel {
                sale_id: Set(sale_id),
                user_id: Set(user_id),
                at: Set(at),
                action: Set(HistoryAction::Create),
                field: Set(None),
                old_value: Set(None),
                new_value: Set(None),
                ..Default::default()
            })
            .collect();
        for chunk in history_rows.chunks(BATCH) {
            sale_history::Entity::insert_many(chunk.iter().cloned()).exec_without_returning(self.txn).await?;
        }
        self.summary.history_rows = history_rows.len();
        Ok(())
    }
}

async fn system_tag(txn: &DatabaseTransaction, key: &str) -> Result<i64, DbErr> {
    tags::Entity::find()
        .filter(tags::Column::SystemKey.eq(key))
        .one(txn)
        .await?
        .map(|t| t.id)
        .ok_or_else(|| DbErr::Custom(format!("system tag {key:?} is missing: is the database migrated?")))
}

struct DemoUsers {
    admin: i64,
    giulia: i64,
    marco: i64,
    sara: i64,
    luca: i64,
}

/// The largest id a query ordered by id descending finds, or 0.
async fn max_id<E>(txn: &DatabaseTransaction, query: sea_orm::Select<E>) -> Result<i64, DbErr>
where
    E: EntityTrait,
    E::Model: HasId,
{
    Ok(query.one(txn).await?.map(|m| m.id()).unwrap_or(0))
}

trait HasId {
    fn id(&self) -> i64;
}

impl HasId for contacts::Model {
    fn id(&self) -> i64 {
        self.id
    }
}

impl HasId for sales::Model {
    fn id(&self) -> i64 {
        self.id
    }
}

/// Quantity in thousandths, plausible for the product's unit and kind.
fn quantity_for(rng: &mut StdRng, p: &ProductRef) -> i64 {
    let units: i64 = match (p.unit, p.kind) {
        ("h", _) => return rng.gen_range(2..=80) * 500, // 1–40 hours in half hours
        ("m", _) => return rng.gen_range(10..=300) * 1000,
        ("mese", _) => *[1, 3, 6, 12, 12, 12, 24].choose(rng).unwrap_or(&12) * rng.gen_range(1..=5),
        ("anno", _) => rng.gen_range(1..=3),
        (_, Kind::Catering) => rng.gen_range(8..=60),
        (_, Kind::Course) => rng.gen_range(1..=12),
        (_, Kind::License) => rng.gen_range(1..=25),
        (_, Kind::Consumable) => rng.gen_range(1..=30),
        _ => {
            // Hardware: mostly one or a few pieces, sometimes a whole office.
            if rng.gen_bool(0.7) { rng.gen_range(1..=3) } else { rng.gen_range(4..=20) }
        }
    };
    units * 1000
}

fn unique(used: &mut HashSet<String>, mut make: impl FnMut() -> String) -> String {
    for _ in 0..20 {
        let candidate = make();
        if used.insert(candidate.clone()) {
            return candidate;
        }
    }
    let candidate = make();
    used.insert(candidate.clone());
    candidate
}

fn random_digits(rng: &mut StdRng, n: usize) -> String {
    (0..n).map(|_| char::from(b'0' + rng.gen_range(0..10u8))).collect()
}

fn pick_city(rng: &mut StdRng) -> &'static City {
    let dist = WeightedIndex::new(CITIES.iter().map(|c| c.weight)).expect("city weights");
    &CITIES[dist.sample(rng)]
}

fn company_name(rng: &mut StdRng) -> String {
    let form = *["S.r.l.", "S.r.l.", "S.r.l.", "S.p.A.", "S.n.c.", "S.a.s.", "S.r.l.s."].choose(rng).unwrap_or(&"S.r.l.");
    let surname = *SURNAMES.choose(rng).unwrap_or(&"Rossi");
    let sector = *SECTORS.choose(rng).unwrap_or(&"Impianti");
    match rng.gen_range(0..5) {
        0 | 1 => format!("{surname} {sector} {form}"),
        2 => format!("{sector} {surname} {form}"),
        3 => {
            let other = *SURNAMES.choose(rng).unwrap_or(&"Bianchi");
            format!("{surname} & {other} {form}")
        }
        _ => {
            let brand = *BRANDS.choose(rng).unwrap_or(&"Tecno");
            let tail = *["service", "system", "lab", "net", "tech", "data", "group", "line"].choose(rng).unwrap_or(&"lab");
            format!("{brand}{tail} {form}")
        }
    }
}

/// Lowercase ASCII letters and digits only ("D'Angelo" → "dangelo", "Società" → "societa").
fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let base = s.split(" S.").next().unwrap_or(s);
    for ch in base.chars() {
        let c = match ch {
            'à' | 'á' | 'À' => 'a',
            'è' | 'é' | 'È' | 'É' => 'e',
            'ì' | 'í' => 'i',
            'ò' | 'ó' => 'o',
            'ù' | 'ú' => 'u',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        }
    }
    if out.is_empty() { "azienda".to_string() } else { out }
}

/// An 11-digit *partita IVA* with a correct check digit.
fn partita_iva(rng: &mut StdRng) -> String {
    let mut digits: Vec<u32> = (0..7).map(|_| rng.gen_range(0..10)).collect();
    let office = rng.gen_range(1..=100u32);
    digits.extend([office / 100, office / 10 % 10, office % 10]);
    let mut sum = 0;
    for (i, d) in digits.iter().enumerate() {
        if i % 2 == 0 {
            sum += d;
        } else {
            let x = d * 2;
            sum += if x > 9 { x - 9 } else { x };
        }
    }
    digits.push((10 - sum % 10) % 10);
    digits.iter().map(|d| char::from_digit(*d, 10).unwrap_or('0')).collect()
}

/// A *codice fiscale* computed from the person's data, with a correct check character.
fn codice_fiscale(first: &str, last: &str, female: bool, born: NaiveDate, cadastral: &str) -> String {
    fn letters(s: &str) -> (Vec<char>, Vec<char>) {
        let up: Vec<char> = slugify(s).to_ascii_uppercase().chars().filter(|c| c.is_ascii_alphabetic()).collect();
        let vowels: Vec<char> = up.iter().copied().filter(|c| "AEIOU".contains(*c)).collect();
        let consonants: Vec<char> = up.iter().copied().filter(|c| !"AEIOU".contains(*c)).collect();
        (consonants, vowels)
    }
    fn three(mut chars: Vec<char>) -> String {
        chars.extend(['X', 'X', 'X']);
        chars.into_iter().take(3).collect()
    }
    let (c, v) = letters(last);
    let surname_part = three(c.into_iter().chain(v).collect());
    let (c, v) = letters(first);
    let name_part = if c.len() >= 4 { [c[0], c[2], c[3]].iter().collect() } else { three(c.into_iter().chain(v).collect()) };
    let month = b"ABCDEHLMPRST"[born.month0() as usize] as char;
    let day = born.day() + if female { 40 } else { 0 };
    let body = format!("{surname_part}{name_part}{:02}{month}{day:02}{cadastral}", born.year() % 100);
    const ODD: [u32; 26] = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
    let sum: u32 = body
        .chars()
        .enumerate()
        .map(|(i, ch)| {
            let v = if ch.is_ascii_digit() { ch as u32 - '0' as u32 } else { ch as u32 - 'A' as u32 };
            if i % 2 == 0 { ODD[v as usize] } else { v }
        })
        .sum();
    let check = (b'A' + (sum % 26) as u8) as char;
    format!("{body}{check}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partita_iva_has_valid_check_digit() {
        let mut rng = StdRng::seed_from_u64(1);
        for _ in 0..100 {
            let v = partita_iva(&mut rng);
            assert_eq!(v.len(), 11);
            let digits: Vec<u32> = v.chars().map(|c| c.to_digit(10).unwrap()).collect();
            let sum: u32 = digits
                .iter()
                .enumerate()
                .map(|(i, &d)| {
                    if i % 2 == 0 {
                        d
                    } else if d * 2 > 9 {
                        d * 2 - 9
                    } else {
                        d * 2
                    }
                })
                .sum();
            assert_eq!(sum % 10, 0, "{v}");
        }
    }

    #[test]
    fn codice_fiscale_matches_known_example() {
        // The textbook example: Mario Rossi, born in Rome on 1 January 1980.
        let born = NaiveDate::from_ymd_opt(1980, 1, 1).unwrap();
        assert_eq!(codice_fiscale("Mario", "Rossi", false, born, "H501"), "RSSMRA80A01H501U");
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(slugify("D'Angelo"), "dangelo");
        assert_eq!(slugify("Rossi & Bianchi S.r.l."), "rossibianchi");
        assert_eq!(slugify("Tecnoservice S.p.A."), "tecnoservice");
    }
}
