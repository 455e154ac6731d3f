//! Contact rows: matched by VAT number, tax code or e-mail (read once per file), checked as the
//! contact form checks them, new ones queued for [`super::flush`].

use super::*;

/// A contact's id, VAT number, tax code, e-mail and name.
pub(super) type KeyRow = (i64, Option<String>, Option<String>, Option<String>, String);

/// Contacts by what rows name them, read once per import and kept up to date as rows are written
/// (one query per file instead of three per row).
#[derive(Default)]
pub(super) struct ContactKeys {
    by_vat: HashMap<String, i64>,
    by_tax_code: HashMap<String, i64>,
    /// Lower case.
    by_email: HashMap<String, i64>,
    by_name: HashMap<String, i64>,
}

impl ContactKeys {
    pub(super) async fn load(txn: &DatabaseTransaction) -> AppResult<ContactKeys> {
        use futures_util::TryStreamExt;
        let mut keys = ContactKeys::default();
        // Streamed, newest first, so the oldest contact wins where several share a key.
        let mut rows = contacts::Entity::find()
            .select_only()
            .columns([contacts::Column::Id, contacts::Column::VatNumber, contacts::Column::TaxCode, contacts::Column::Email, contacts::Column::Name])
            .order_by_desc(contacts::Column::Id)
            .into_tuple::<KeyRow>()
            .stream(txn)
            .await?;
        while let Some((id, vat, tax_code, email, name)) = rows.try_next().await? {
            keys.add(id, vat.as_deref(), tax_code.as_deref(), email.as_deref(), &name);
        }
        Ok(keys)
    }

    pub(super) fn add(&mut self, id: i64, vat: Option<&str>, tax_code: Option<&str>, email: Option<&str>, name: &str) {
        if let Some(vat) = vat {
            self.by_vat.insert(vat.to_string(), id);
        }
        if let Some(tax_code) = tax_code {
            self.by_tax_code.insert(tax_code.to_string(), id);
        }
        if let Some(email) = email {
            self.by_email.insert(email.to_lowercase(), id);
        }
        self.by_name.insert(name.to_string(), id);
    }

    pub(super) fn remember(&mut self, model: &contacts::Model) {
        self.add(model.id, model.vat_number.as_deref(), model.tax_code.as_deref(), model.email.as_deref(), &model.name);
    }

    /// A VAT number as typed ("IT 0123…"), as the contact form stores it.
    pub(super) fn vat(&self, typed: &str) -> Option<i64> {
        let vat: String = typed.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
        if vat.is_empty() {
            return None;
        }
        self.by_vat.get(&vat).or_else(|| self.by_vat.get(vat.strip_prefix("IT").unwrap_or(&vat))).copied()
    }

    pub(super) fn tax_code(&self, typed: &str) -> Option<i64> {
        self.by_tax_code.get(&typed.trim().to_uppercase()).copied()
    }

    pub(super) fn email(&self, typed: &str) -> Option<i64> {
        self.by_email.get(&typed.trim().to_lowercase()).copied()
    }

    /// By exact name (a sale row that names its contact only so).
    pub(super) fn name(&self, name: &str) -> Option<i64> {
        self.by_name.get(name).copied()
    }

    /// The contact a contact row names (see [`matching_contact`]).
    pub(super) fn of_row(&self, record: &Record<'_>) -> Option<i64> {
        match record.get("id").parse::<i64>() {
            Ok(id) => Some(id).filter(|id| *id > 0),
            Err(_) => {
                self.vat(record.get("vat_number")).or_else(|| self.tax_code(record.get("tax_code"))).or_else(|| self.email(record.get("email")))
            }
        }
    }
}

/// "azienda" / "persona" in either language; empty: a company.
pub(super) fn contact_kind(text: &str) -> String {
    match header_key(text).as_str() {
        "" | "azienda" | "societa" | "ditta" | "company" | "business" => ContactKind::Company.code().to_string(),
        "persona" | "privato" | "personafisica" | "person" | "individual" => ContactKind::Person.code().to_string(),
        other => other.to_string(), // refused by validation, naming the field
    }
}

/// The contact a row names: by its Vendita id (a file exported from here), then VAT number, tax
/// code and e-mail (each as the forms store it). One an earlier row of the file queued is written
/// first, so the row updates it.
pub(super) async fn matching_contact(
    txn: &DatabaseTransaction,
    actor: &CurrentUser,
    record: &Record<'_>,
    lookup: &mut Lookup,
) -> AppResult<Option<contacts::Model>> {
    let mut id = lookup.contacts.of_row(record);
    if id.is_some_and(|id| id < 0) {
        flush(txn, actor, lookup).await?;
        id = lookup.contacts.of_row(record);
    }
    match id {
        Some(id) => Ok(contacts::Entity::find_by_id(id).one(txn).await?),
        None => Ok(None),
    }
}

pub(super) async fn contact_row(txn: &DatabaseTransaction, actor: &CurrentUser, record: &Record<'_>, lookup: &mut Lookup) -> AppResult<Outcome> {
    let existing = matching_contact(txn, actor, record, lookup).await?;
    let current_tags: BTreeSet<i64> = match &existing {
        Some(c) => {
            contact_tags::Entity::find().filter(contact_tags::Column::ContactId.eq(c.id)).all(txn).await?.into_iter().map(|t| t.tag_id).collect()
        }
        None => BTreeSet::new(),
    };
    // Tags named in the file (comma or semicolon): known ones by id, others created.
    let mut tag_ids = current_tags.clone();
    let mut new_tags = Vec::new();
    for name in record.get("new_tags").split([',', ';']).map(str::trim).filter(|n| !n.is_empty()) {
        match lookup.tags.get(&name.to_lowercase()) {
            Some(id) => {
                tag_ids.insert(*id);
            }
            None => new_tags.push(name.to_string()),
        }
    }
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    let form = match &existing {
        None => ContactForm {
            kind: contact_kind(record.get("kind")),
            name: record.get("name").into(),
            company: record.get("company").into(),
            vat_number: record.get("vat_number").into(),
            tax_code: record.get("tax_code").into(),
            email: record.get("email").into(),
            phone: record.get("phone").into(),
            address: record.get("address").into(),
            postcode: record.get("postcode").into(),
            city: record.get("city").into(),
            province: record.get("province").into(),
            country: record.get("country").into(),
            notes: record.get("notes").into(),
            tags: Vec::new(),
            new_tags: String::new(),
        },
        Some(c) => ContactForm {
            kind: match record.get("kind") {
                "" => c.kind.code().to_string(),
                kind => contact_kind(kind),
            },
            name: record.or("name", c.name.clone()),
            company: record.or("company", text(&c.company)),
            vat_number: record.or("vat_number", text(&c.vat_number)),
            tax_code: record.or("tax_code", text(&c.tax_code)),
            email: record.or("email", text(&c.email)),
            phone: record.or("phone", text(&c.phone)),
            address: record.or("address", text(&c.address)),
            postcode: record.or("postcode", text(&c.postcode)),
            city: record.or("city", text(&c.city)),
            province: record.or("province", text(&c.province)),
            country: record.or("country", c.country.clone()),
            notes: record.or("notes", text(&c.notes)),
            tags: Vec::new(),
            new_tags: String::new(),
        },
    };
    let form = ContactForm { tags: tag_ids.iter().map(|id| crate::config::TagId(*id)).collect(), new_tags: new_tags.join(","), ..form };
    // Its tags were read from this transaction: the checks need not look them up again.
    let mut valid = contacts_rules::check(&form)?;
    let created = contacts_rules::create_new_tags(txn, &mut valid).await?;
    lookup.tags.extend(created.into_iter().map(|(name, id)| (name.to_lowercase(), id)));
    match existing {
        None => {
            // Its keys lead to a placeholder, -(its place in the queue + 1), until `flush` writes it.
            let (vat, tax_code, email, name) = valid.keys();
            lookup.contacts.add(-(lookup.new_contacts.len() as i64 + 1), vat, tax_code, email, name);
            lookup.new_contacts.push(valid);
            Ok(Outcome::Queued)
        }
        Some(c) if contacts_rules::same_as(&valid, &c, &current_tags) => Ok(Outcome::Unchanged),
        Some(c) => {
            let before = serde_json::to_string(&(&c, &current_tags)).map_err(|_| AppError::Internal)?;
            let model = contacts_rules::overwrite(txn, actor, ContactId(c.id), c.version, &valid).await?;
            lookup.contacts.remember(&model);
            Ok(Outcome::Updated { id: model.id, version: model.version, before })
        }
    }
}
