//! The address-book rules. Every signed-in user reads, creates and edits contacts; deleting a
//! contact or a tag is for managers and admins (SPEC §2). A contact with sales is never deleted
//! and keeps the sales tag while it has sales (its sales stay reachable from its card). Checks are
//! optional (an empty field is fine) but a filled one must make sense: e-mail shape, Italian VAT
//! checksum.

use super::{
    Contact, ContactCursor, ContactForm, ContactId, ContactKind, ContactPage, ContactQuery, ContactRow, ContactWarning, PAGE_SIZE, SavedContact,
    TagRef, TagUsage,
};
use crate::auth::CurrentUser;
use crate::auth::ssr::require_manager;
use crate::config::TagId;
use crate::config::ssr::carries_sales_tag;
use crate::db::entities::{contact_tags, contacts, sales, tags};
use crate::db::versioned;
use crate::error::{AppError, AppResult, Field, Problem};
use crate::figures::cells;
use crate::form::required_text;
use chrono::Utc;
use sea_orm::sea_query::{Expr, Func, LikeExpr, Query};
use sea_orm::*;
use std::collections::{BTreeSet, HashMap};

const MAX_NAME: usize = 200;
const MAX_SHORT: usize = 100;
const MAX_NOTES: usize = 5000;
const MAX_SEARCH: usize = 100;
const MAX_TAG_NAME: usize = 50;
/// Tags one save may create, and tags one contact may carry.
pub const MAX_NEW_TAGS: usize = 20;
pub const MAX_TAGS_PER_CONTACT: usize = 100;

// ---------------------------------------------------------------- checks

/// An e-mail address of the usual shape: `local@domain.tld`, no spaces.
pub fn email_shape_ok(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else { return false };
    !local.is_empty()
        && !domain.contains('@')
        && !email.chars().any(char::is_whitespace)
        && domain.contains('.')
        && domain.split('.').all(|label| !label.is_empty() && label.chars().all(|c| c.is_alphanumeric() || c == '-'))
}

/// The Italian *partita IVA*: 11 digits, the last one a Luhn-style check digit.
pub fn italian_vat_ok(digits: &str) -> bool {
    let bytes = digits.as_bytes();
    if bytes.len() != 11 || !bytes.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = bytes[..10]
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let d = (b - b'0') as u32;
            if i % 2 == 0 {
                d
            } else if d * 2 > 9 {
                d * 2 - 9
            } else {
                d * 2
            }
        })
        .sum();
    (10 - sum % 10) % 10 == (bytes[10] - b'0') as u32
}

fn optional_text(field: Field, value: &str, max: usize) -> AppResult<Option<String>> {
    let value = value.trim();
    if value.chars().count() > max {
        return Err(AppError::invalid(field, Problem::TooLong));
    }
    Ok(Some(value.to_string()).filter(|v| !v.is_empty()))
}

/// A contact form that passed every check.
pub(crate) struct ValidContact {
    kind: ContactKind,
    name: String,
    company: Option<String>,
    vat_number: Option<String>,
    tax_code: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    address: Option<String>,
    postcode: Option<String>,
    city: Option<String>,
    province: Option<String>,
    country: String,
    notes: Option<String>,
    tags: Vec<i64>,
    new_tags: Vec<String>,
}

impl ValidContact {
    /// What an import matches contacts by: VAT number, tax code, e-mail, name.
    pub(crate) fn keys(&self) -> (Option<&str>, Option<&str>, Option<&str>, &str) {
        (self.vat_number.as_deref(), self.tax_code.as_deref(), self.email.as_deref(), &self.name)
    }
}

/// Checks the fields in the order the form shows them, so the first error is the topmost field.
pub(crate) async fn validate(db: &impl ConnectionTrait, form: &ContactForm) -> AppResult<ValidContact> {
    let valid = check(form)?;
    if !valid.tags.is_empty() && tags::Entity::find().filter(tags::Column::Id.is_in(valid.tags.clone())).count(db).await? != valid.tags.len() as u64 {
        return Err(AppError::invalid(Field::Tags, Problem::Invalid));
    }
    Ok(valid)
}

/// [`validate`] for a caller that knows the form's tags exist (an import names tags it read).
pub(crate) fn check(form: &ContactForm) -> AppResult<ValidContact> {
    let kind = ContactKind::from_code(form.kind.trim()).ok_or(AppError::invalid(Field::Kind, Problem::Invalid))?;
    let name = required_text(Field::Name, &form.name, MAX_NAME)?;
    let company = optional_text(Field::Company, &form.company, MAX_NAME)?;
    let country = match form.country.trim() {
        "" => "IT".to_string(),
        code if code.len() == 2 && code.chars().all(|c| c.is_ascii_alphabetic()) => code.to_uppercase(),
        _ => return Err(AppError::invalid(Field::Country, Problem::Invalid)),
    };
    let vat_number = match optional_text(Field::VatNumber, &form.vat_number, 30)? {
        Some(vat) => {
            let compact: String = vat.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
            if country == "IT" {
                let digits = compact.strip_prefix("IT").unwrap_or(&compact);
                if !italian_vat_ok(digits) {
                    return Err(AppError::invalid(Field::VatNumber, Problem::VatChecksum));
                }
                Some(digits.to_string())
            } else {
                Some(compact)
            }
        }
        None => None,
    };
    let tax_code = optional_text(Field::TaxCode, &form.tax_code, 30)?.map(|t| t.to_uppercase());
    let email = optional_text(Field::Email, &form.email, MAX_NAME)?;
    if let Some(email) = &email
        && !email_shape_ok(email)
    {
        return Err(AppError::invalid(Field::Email, Problem::EmailShape));
    }
    let phone = optional_text(Field::Phone, &form.phone, MAX_SHORT)?;
    let address = optional_text(Field::Address, &form.address, MAX_NAME)?;
    let postcode = optional_text(Field::Postcode, &form.postcode, 20)?;
    let city = optional_text(Field::City, &form.city, MAX_SHORT)?;
    let province = optional_text(Field::Province, &form.province, MAX_SHORT)?.map(|p| p.to_uppercase());
    let notes = optional_text(Field::Notes, &form.notes, MAX_NOTES)?;
    // Counted before any lookup: a flood of tags is refused at once, not looked up one by one.
    let wanted: BTreeSet<i64> = form.tags.iter().map(|t| t.0).collect();
    let mut new_tags: Vec<String> = Vec::new();
    for name in form.new_tags.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        if name.chars().count() > MAX_TAG_NAME {
            return Err(AppError::invalid(Field::Tags, Problem::TooLong));
        }
        if !new_tags.iter().any(|n| n.to_lowercase() == name.to_lowercase()) {
            new_tags.push(name.to_string());
        }
        if new_tags.len() > MAX_NEW_TAGS {
            return Err(AppError::invalid(Field::Tags, Problem::TooManyTags));
        }
    }
    if wanted.len() + new_tags.len() > MAX_TAGS_PER_CONTACT {
        return Err(AppError::invalid(Field::Tags, Problem::TooManyTags));
    }
    Ok(ValidContact {
        kind,
        name,
        company,
        vat_number,
        tax_code,
        email,
        phone,
        address,
        postcode,
        city,
        province,
        country,
        notes,
        tags: wanted.into_iter().collect(),
        new_tags,
    })
}

/// Another contact with the same VAT number or e-mail: saved anyway, but said.
async fn warnings(db: &impl ConnectionTrait, contact: &contacts::Model) -> AppResult<Vec<ContactWarning>> {
    let mut warnings = Vec::new();
    if let Some(vat) = &contact.vat_number
        && let Some(other) =
            contacts::Entity::find().filter(contacts::Column::VatNumber.eq(vat.clone())).filter(contacts::Column::Id.ne(contact.id)).one(db).await?
    {
        warnings.push(ContactWarning::SameVatNumber { id: ContactId(other.id), name: other.name });
    }
    if let Some(email) = &contact.email
        && let Some(other) = contacts::Entity::find()
            .filter(Expr::expr(Func::lower(Expr::col(contacts::Column::Email))).eq(email.to_lowercase()))
            .filter(contacts::Column::Id.ne(contact.id))
            .one(db)
            .await?
    {
        warnings.push(ContactWarning::SameEmail { id: ContactId(other.id), name: other.name });
    }
    Ok(warnings)
}

// ---------------------------------------------------------------- tags

fn tag_ref(model: &tags::Model) -> TagRef {
    TagRef { id: TagId(model.id), name: model.name.clone(), system: model.system_key.is_some() }
}

/// System tags first, then user tags by name.
pub async fn list_tags(db: &DatabaseConnection, _actor: &CurrentUser) -> AppResult<Vec<TagRef>> {
    let mut all: Vec<TagRef> = tags::Entity::find().order_by_asc(tags::Column::Name).all(db).await?.iter().map(tag_ref).collect();
    all.sort_by_key(|t| !t.system);
    Ok(all)
}

/// The user tag with this name (any case), created when missing. The lookup walks the
/// `lower(name)` index.
async fn tag_named(db: &impl ConnectionTrait, name: &str) -> AppResult<i64> {
    let existing = tags::Entity::find().filter(Expr::expr(Func::lower(Expr::col(tags::Column::Name))).eq(name.to_lowercase())).one(db).await?;
    if let Some(tag) = existing {
        return Ok(tag.id);
    }
    let tag = tags::ActiveModel { name: Set(name.to_string()), system_key: Set(None), created_at: Set(Utc::now()), ..Default::default() }
        .insert(db)
        .await?;
    Ok(tag.id)
}

/// Removes a user tag from every contact (managers and admins). The system tags stay.
pub async fn delete_tag(db: &DatabaseConnection, actor: &CurrentUser, id: TagId) -> AppResult<()> {
    require_manager(actor)?;
    crate::db::transaction(db, |txn| {
        Box::pin(async move {
            lock_tags(txn).await?;
            user_tag(txn, id).await?;
            let before = cells::tags_before(txn, &carriers_of(txn, id.0).await?).await?;
            contact_tags::Entity::delete_many().filter(contact_tags::Column::TagId.eq(id.0)).exec(txn).await?;
            tags::Entity::delete_by_id(id.0).exec(txn).await?;
            cells::retagged(txn, before).await
        })
    })
    .await?;
    Ok(())
}

/// Every tag with the number of contacts carrying it (the tags page): system tags first.
pub async fn tag_usage(db: &DatabaseConnection, actor: &CurrentUser) -> AppResult<Vec<TagUsage>> {
    require_manager(actor)?;
    let counts: HashMap<i64, i64> = contact_tags::Entity::find()
        .select_only()
        .column(contact_tags::Column::TagId)
        .column_as(Expr::cust("COUNT(*)"), "n")
        .group_by(contact_tags::Column::TagId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(list_tags(db, actor).await?.into_iter().map(|tag| TagUsage { contacts: counts.get(&tag.id.0).copied().unwrap_or(0) as u64, tag }).collect())
}

/// Merges and deletes of tags take turns, and check the tags inside their transaction: two at
/// once see each other's result (a tag merged away is `NotFound`), never a half-gone tag. On
/// SQLite the write transaction is already one at a time.
async fn lock_tags(txn: &DatabaseTransaction) -> AppResult<()> {
    crate::db::lock_table(txn, "tags").await
}

/// A user tag that exists, or why not: `NotFound`, or `SystemTag` for Clienti and Fornitori.
async fn user_tag(db: &impl ConnectionTrait, id: TagId) -> AppResult<tags::Model> {
    let tag = tags::Entity::find_by_id(id.0).one(db).await?.ok_or(AppError::NotFound)?;
    if tag.system_key.is_some() {
        return Err(AppError::SystemTag);
    }
    Ok(tag)
}

/// Gives a user tag another name, unused by any other tag (any case).
pub async fn rename_tag(db: &DatabaseConnection, actor: &CurrentUser, id: TagId, name: &str) -> AppResult<TagRef> {
    require_manager(actor)?;
    let name = required_text(Field::Name, name, MAX_TAG_NAME)?;
    // A comma separates new tags in the contact form: a name cannot hold one.
    if name.contains(',') {
        return Err(AppError::invalid(Field::Name, Problem::Invalid));
    }
    let tag = user_tag(db, id).await?;
    let clash = tags::Entity::find()
        .filter(Expr::expr(Func::lower(Expr::col(tags::Column::Name))).eq(name.to_lowercase()))
        .filter(tags::Column::Id.ne(id.0))
        .count(db)
        .await?;
    if clash > 0 {
        return Err(AppError::invalid(Field::Name, Problem::Taken));
    }
    let model = tags::ActiveModel { id: Set(tag.id), name: Set(name), ..Default::default() }.update(db).await.map_err(|e| match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => AppError::invalid(Field::Name, Problem::Taken),
        _ => e.into(),
    })?;
    Ok(tag_ref(&model))
}

/// Folds user tag `from` into user tag `into`: every contact that carried `from` carries `into`
/// (once), and `from` is gone. System tags are neither merged nor merged into.
pub async fn merge_tags(db: &DatabaseConnection, actor: &CurrentUser, from: TagId, into: TagId) -> AppResult<()> {
    require_manager(actor)?;
    if from == into {
        return Err(AppError::invalid(Field::Tags, Problem::Invalid));
    }
    crate::db::transaction(db, |txn| {
        Box::pin(async move {
            lock_tags(txn).await?;
            user_tag(txn, from).await?;
            user_tag(txn, into).await?;
            let carriers = Query::select()
                .column(contact_tags::Column::ContactId)
                .from(contact_tags::Entity)
                .and_where(contact_tags::Column::TagId.eq(into.0))
                .to_owned();
            let moved: Vec<i64> = contact_tags::Entity::find()
                .select_only()
                .column(contact_tags::Column::ContactId)
                .filter(contact_tags::Column::TagId.eq(from.0))
                .filter(contact_tags::Column::ContactId.not_in_subquery(carriers))
                .into_tuple()
                .all(txn)
                .await?;
            let before = cells::tags_before(txn, &carriers_of(txn, from.0).await?).await?;
            contact_tags::Entity::delete_many().filter(contact_tags::Column::TagId.eq(from.0)).exec(txn).await?;
            for chunk in moved.chunks(500) {
                contact_tags::Entity::insert_many(
                    chunk.iter().map(|&contact| contact_tags::ActiveModel { contact_id: Set(contact), tag_id: Set(into.0) }),
                )
                .exec_without_returning(txn)
                .await?;
            }
            tags::Entity::delete_by_id(from.0).exec(txn).await?;
            cells::retagged(txn, before).await
        })
    })
    .await?;
    Ok(())
}

/// The contacts carrying a tag.
async fn carriers_of(db: &impl ConnectionTrait, tag: i64) -> AppResult<Vec<i64>> {
    Ok(contact_tags::Entity::find()
        .select_only()
        .column(contact_tags::Column::ContactId)
        .filter(contact_tags::Column::TagId.eq(tag))
        .into_tuple()
        .all(db)
        .await?)
}

/// The tags a checked form gives its contact: the chosen ones and the new ones, created here.
async fn tag_ids(db: &impl ConnectionTrait, valid: &ValidContact) -> AppResult<BTreeSet<i64>> {
    let mut ids: BTreeSet<i64> = valid.tags.iter().copied().collect();
    for name in &valid.new_tags {
        ids.insert(tag_named(db, name).await?);
    }
    Ok(ids)
}

/// Creates the new tags a checked form names (any missing) and makes them chosen tags, returning
/// each with its id: an import keeps them for the rows after, instead of looking each up again.
pub(crate) async fn create_new_tags(db: &impl ConnectionTrait, valid: &mut ValidContact) -> AppResult<Vec<(String, i64)>> {
    let mut created = Vec::new();
    for name in std::mem::take(&mut valid.new_tags) {
        let id = tag_named(db, &name).await?;
        if !valid.tags.contains(&id) {
            valid.tags.push(id);
        }
        created.push((name, id));
    }
    Ok(created)
}

/// Replaces an existing contact's tags with the form's (its sales move to the report cells of
/// its new tags).
async fn set_tags(db: &impl ConnectionTrait, contact: i64, valid: &ValidContact) -> AppResult<()> {
    let ids = tag_ids(db, valid).await?;
    let before = cells::tags_before(db, &[contact]).await?;
    contact_tags::Entity::delete_many().filter(contact_tags::Column::ContactId.eq(contact)).exec(db).await?;
    if !ids.is_empty() {
        contact_tags::Entity::insert_many(ids.into_iter().map(|tag| contact_tags::ActiveModel { contact_id: Set(contact), tag_id: Set(tag) }))
            .exec_without_returning(db)
            .await?;
    }
    cells::retagged(db, before).await
}

// ---------------------------------------------------------------- reading

pub fn parse_query(search: Option<&str>, tag: Option<&str>, after: Option<&str>) -> AppResult<ContactQuery> {
    let search = search.unwrap_or_default().trim().to_string();
    if search.chars().count() > MAX_SEARCH {
        return Err(AppError::invalid(Field::Name, Problem::TooLong));
    }
    let tag = match tag.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => Some(TagId(t.parse().map_err(|_| AppError::invalid(Field::Tags, Problem::Invalid))?)),
        None => None,
    };
    let after = match after.filter(|a| !a.is_empty()) {
        Some(a) => Some(ContactCursor::decode(a).ok_or(AppError::BadRequest("cursor".into()))?),
        None => None,
    };
    Ok(ContactQuery { search, tag, after })
}

/// `%text%` for LIKE, with the wildcards the user typed taken literally.
pub(crate) fn like_pattern(text: &str) -> String {
    let mut out = String::from("%");
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

#[derive(Debug, FromQueryResult)]
struct ListedContact {
    id: i64,
    kind: ContactKind,
    name: String,
    company: Option<String>,
    email: Option<String>,
    vat_number: Option<String>,
    city: Option<String>,
    name_key: String,
}

/// The select behind the address-book page: walks the `(lower(name), id)` index from the cursor and
/// stops after one row more than a page, so its cost does not grow with the table. Public so the
/// benchmark measures exactly this statement.
/// "Contains the text" in name, company, e-mail, VAT number or city, any case. SQLite asks its
/// trigram full-text index (three characters or more); otherwise LIKE on each column.
fn search_condition(text: &str, backend: DbBackend) -> Condition {
    if backend == DbBackend::Sqlite && text.chars().count() >= 3 {
        let phrase = format!("\"{}\"", text.replace('"', "\"\""));
        return Condition::all()
            .add(Expr::cust_with_values("contacts.id IN (SELECT rowid FROM contacts_search WHERE contacts_search MATCH ?)", [phrase]));
    }
    let lower = |column: contacts::Column| Expr::expr(Func::lower(Expr::col((contacts::Entity, column))));
    let pattern = like_pattern(text);
    let like = |column| lower(column).like(LikeExpr::new(pattern.clone()).escape('\\'));
    Condition::any()
        .add(like(contacts::Column::Name))
        .add(like(contacts::Column::Company))
        .add(like(contacts::Column::Email))
        .add(like(contacts::Column::VatNumber))
        .add(like(contacts::Column::City))
}

pub fn list_select(query: &ContactQuery, backend: DbBackend) -> Select<contacts::Entity> {
    let mut select = contacts::Entity::find()
        .select_only()
        .columns([
            contacts::Column::Id,
            contacts::Column::Kind,
            contacts::Column::Name,
            contacts::Column::Company,
            contacts::Column::Email,
            contacts::Column::VatNumber,
            contacts::Column::City,
        ])
        .column_as(Expr::cust("lower(contacts.name)"), "name_key");
    let lower = |column: contacts::Column| Expr::expr(Func::lower(Expr::col((contacts::Entity, column))));
    if !query.search.is_empty() {
        select = select.filter(search_condition(&query.search, backend));
    }
    if let Some(tag) = query.tag {
        // EXISTS keeps the walk in name order: each row is checked through the tag link's key.
        select = select.filter(Expr::exists(
            Query::select()
                .expr(Expr::val(1))
                .from(contact_tags::Entity)
                .and_where(Expr::col((contact_tags::Entity, contact_tags::Column::ContactId)).equals((contacts::Entity, contacts::Column::Id)))
                .and_where(Expr::col((contact_tags::Entity, contact_tags::Column::TagId)).eq(tag.0))
                .to_owned(),
        ));
    }
    if let Some(after) = &query.after {
        // Spelled so that SQLite seeks the index at the cursor (a row-value comparison on an
        // expression index makes it walk from the start).
        select = select.filter(
            Condition::all().add(lower(contacts::Column::Name).gte(after.name_key.clone())).add(
                Condition::any()
                    .add(lower(contacts::Column::Name).gt(after.name_key.clone()))
                    .add(Expr::col((contacts::Entity, contacts::Column::Id)).gt(after.id.0)),
            ),
        );
    }
    select.order_by_asc(Expr::cust("lower(contacts.name)")).order_by_asc(contacts::Column::Id).limit(PAGE_SIZE + 1)
}

/// One page of the address book, in name order, with each row's tags.
pub async fn list(db: &DatabaseConnection, _actor: &CurrentUser, query: &ContactQuery) -> AppResult<ContactPage> {
    let mut found = list_select(query, db.get_database_backend()).into_model::<ListedContact>().all(db).await?;
    let next = if found.len() as u64 > PAGE_SIZE {
        found.truncate(PAGE_SIZE as usize);
        found.last().map(|c| ContactCursor { name_key: c.name_key.clone(), id: ContactId(c.id) })
    } else {
        None
    };
    let ids: Vec<i64> = found.iter().map(|c| c.id).collect();
    let mut tags_of: HashMap<i64, Vec<String>> = HashMap::new();
    let links = contact_tags::Entity::find().filter(contact_tags::Column::ContactId.is_in(ids)).find_also_related(tags::Entity).all(db).await?;
    for (link, tag) in links {
        if let Some(tag) = tag {
            tags_of.entry(link.contact_id).or_default().push(tag.name);
        }
    }
    let rows = found
        .into_iter()
        .map(|c| {
            let mut tags = tags_of.remove(&c.id).unwrap_or_default();
            tags.sort();
            ContactRow {
                id: ContactId(c.id),
                kind: c.kind,
                name: c.name,
                company: c.company,
                email: c.email,
                vat_number: c.vat_number,
                city: c.city,
                tags,
            }
        })
        .collect();
    Ok(ContactPage { rows, next })
}

async fn to_contact(db: &impl ConnectionTrait, model: contacts::Model) -> AppResult<Contact> {
    let mut tags: Vec<TagRef> = model.find_related(tags::Entity).all(db).await?.iter().map(tag_ref).collect();
    tags.sort_by(|a, b| (!a.system, &a.name).cmp(&(!b.system, &b.name)));
    let sales_tab = carries_sales_tag(db, ContactId(model.id)).await?;
    Ok(Contact {
        id: ContactId(model.id),
        kind: model.kind,
        name: model.name,
        company: model.company,
        vat_number: model.vat_number,
        tax_code: model.tax_code,
        email: model.email,
        phone: model.phone,
        address: model.address,
        postcode: model.postcode,
        city: model.city,
        province: model.province,
        country: model.country,
        notes: model.notes,
        tags,
        created_at: model.created_at,
        updated_at: model.updated_at,
        version: model.version,
        sales_tab,
    })
}

pub async fn get(db: &impl ConnectionTrait, _actor: &CurrentUser, id: ContactId) -> AppResult<Contact> {
    let model = contacts::Entity::find_by_id(id.0).one(db).await?.ok_or(AppError::NotFound)?;
    to_contact(db, model).await
}

// ---------------------------------------------------------------- writing

fn fill(model: &mut contacts::ActiveModel, valid: &ValidContact) {
    model.kind = Set(valid.kind);
    model.name = Set(valid.name.clone());
    model.company = Set(valid.company.clone());
    model.vat_number = Set(valid.vat_number.clone());
    model.tax_code = Set(valid.tax_code.clone());
    model.email = Set(valid.email.clone());
    model.phone = Set(valid.phone.clone());
    model.address = Set(valid.address.clone());
    model.postcode = Set(valid.postcode.clone());
    model.city = Set(valid.city.clone());
    model.province = Set(valid.province.clone());
    model.country = Set(valid.country.clone());
    model.notes = Set(valid.notes.clone());
}

pub async fn create(db: &DatabaseConnection, _actor: &CurrentUser, form: &ContactForm) -> AppResult<SavedContact> {
    let valid = validate(db, form).await?;
    let saved = crate::db::transaction(db, |txn| {
        Box::pin(async move {
            let model = insert(txn, &valid).await?;
            let warnings = warnings(txn, &model).await?;
            Ok(SavedContact { contact: to_contact(txn, model).await?, warnings })
        })
    })
    .await?;
    Ok(saved)
}

/// Whether saving `valid` over `model` (carrying `tags`) would change nothing.
pub(crate) fn same_as(valid: &ValidContact, model: &contacts::Model, tags: &BTreeSet<i64>) -> bool {
    let wanted: BTreeSet<i64> = valid.tags.iter().copied().collect();
    valid.new_tags.is_empty()
        && wanted == *tags
        && valid.kind == model.kind
        && valid.name == model.name
        && valid.company == model.company
        && valid.vat_number == model.vat_number
        && valid.tax_code == model.tax_code
        && valid.email == model.email
        && valid.phone == model.phone
        && valid.address == model.address
        && valid.postcode == model.postcode
        && valid.city == model.city
        && valid.province == model.province
        && valid.country == model.country
        && valid.notes == model.notes
}

/// Writes a new contact with its tags (inside the caller's transaction).
pub(crate) async fn insert(txn: &DatabaseTransaction, valid: &ValidContact) -> AppResult<contacts::Model> {
    insert_many(txn, std::slice::from_ref(valid)).await?.pop().ok_or(AppError::Internal)
}

/// Writes new contacts with their tags, one statement for the contacts and one for the tags
/// (an import's chunk, inside its transaction). Returns them in `valid`'s order.
pub(crate) async fn insert_many(txn: &DatabaseTransaction, valid: &[ValidContact]) -> AppResult<Vec<contacts::Model>> {
    if valid.is_empty() {
        return Ok(Vec::new());
    }
    let now = Utc::now();
    let rows = valid.iter().map(|v| {
        let mut model = contacts::ActiveModel { created_at: Set(now), updated_at: Set(now), version: Set(1), ..Default::default() };
        fill(&mut model, v);
        model
    });
    let models = contacts::Entity::insert_many(rows).exec_with_returning(txn).await?;
    // RETURNING gives the rows in the order of VALUES on SQLite and PostgreSQL (Django's bulk
    // create relies on it too); checked, so tags never land on the wrong contact.
    if models.len() != valid.len() || models.iter().zip(valid).any(|(m, v)| m.name != v.name || m.email != v.email) {
        return Err(AppError::Internal);
    }
    let mut links = Vec::new();
    for (model, v) in models.iter().zip(valid) {
        links.extend(tag_ids(txn, v).await?.into_iter().map(|tag| contact_tags::ActiveModel { contact_id: Set(model.id), tag_id: Set(tag) }));
    }
    if !links.is_empty() {
        contact_tags::Entity::insert_many(links).exec_without_returning(txn).await?;
    }
    Ok(models)
}

/// Saves the form over version `version`; someone else's save in between is a conflict.
pub async fn update(db: &DatabaseConnection, actor: &CurrentUser, id: ContactId, version: i32, form: &ContactForm) -> AppResult<SavedContact> {
    let valid = validate(db, form).await?;
    let actor = actor.clone();
    let saved = crate::db::transaction(db, |txn| {
        Box::pin(async move {
            let model = overwrite(txn, &actor, id, version, &valid).await?;
            let warnings = warnings(txn, &model).await?;
            Ok(SavedContact { contact: to_contact(txn, model).await?, warnings })
        })
    })
    .await?;
    Ok(saved)
}

/// Writes a checked form over version `version` of a contact (inside the caller's transaction).
/// Taking the sales tag off a contact with sales is refused: its sales would vanish from the card
/// while still counted in the reports. The refusal counts the sales `actor` may see (a member is
/// told that other sellers' exist, never how many).
pub(crate) async fn overwrite(
    txn: &DatabaseTransaction,
    actor: &CurrentUser,
    id: ContactId,
    version: i32,
    valid: &ValidContact,
) -> AppResult<contacts::Model> {
    let mut model = <contacts::ActiveModel as Default>::default();
    fill(&mut model, valid);
    versioned::update_model(txn, id.0, version, model, AppError::from).await?;
    let had_sales_tag = carries_sales_tag(txn, id).await?;
    set_tags(txn, id.0, valid).await?;
    if had_sales_tag
        && !carries_sales_tag(txn, id).await?
        && sales::Entity::find().filter(sales::Column::ContactId.eq(id.0)).one(txn).await?.is_some()
    {
        let scope = crate::auth::scope::visible_sellers(txn, actor).await?;
        let sales = scope.filter(sales::Entity::find().filter(sales::Column::ContactId.eq(id.0))).count(txn).await?;
        return Err(AppError::SalesTagInUse { sales });
    }
    contacts::Entity::find_by_id(id.0).one(txn).await?.ok_or(AppError::NotFound)
}

/// Deletes a contact (managers and admins). A contact with sales stays: its sales would lose their
/// customer.
pub async fn delete(db: &DatabaseConnection, actor: &CurrentUser, id: ContactId, version: i32) -> AppResult<()> {
    require_manager(actor)?;
    crate::db::transaction(db, |txn| {
        Box::pin(async move {
            let contact = contacts::Entity::find_by_id(id.0).one(txn).await?.ok_or(AppError::NotFound)?;
            if contact.version != version {
                return Err(AppError::Conflict);
            }
            if sales::Entity::find().filter(sales::Column::ContactId.eq(id.0)).one(txn).await?.is_some() {
                return Err(AppError::ContactHasSales);
            }
            contact_tags::Entity::delete_many().filter(contact_tags::Column::ContactId.eq(id.0)).exec(txn).await?;
            // A sale recorded in the meantime: the foreign key keeps the contact.
            versioned::delete::<contacts::Entity>(txn, id.0, version, AppError::ContactHasSales).await
        })
    })
    .await?;
    Ok(())
}
