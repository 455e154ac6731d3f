//! Sale rows: the contact, product and seller they name, checked as the sale form checks them.

use super::*;

/// The contact a sale row names: by VAT number, then e-mail, then exact name.
pub(super) fn sale_contact(record: &Record<'_>, keys: &ContactKeys) -> AppResult<i64> {
    let name = record.get("contact_name");
    let found = keys.vat(record.get("contact_vat")).or_else(|| keys.email(record.get("contact_email"))).or_else(|| keys.name(name));
    let named = [record.get("contact_vat"), record.get("contact_email"), name].iter().any(|v| !v.is_empty());
    found.ok_or(AppError::invalid(Field::Contact, if named { Problem::Invalid } else { Problem::Required }))
}

/// The stages by what a file may call them: code or name in either language ("Vinta", "won",
/// "Trattativa"), as [`header_key`] reads them.
pub(super) fn stage_names() -> HashMap<String, &'static str> {
    let mut names = HashMap::new();
    for stage in Stage::ALL {
        names.insert(header_key(stage.code()), stage.code());
        for lang in [crate::i18n::Lang::It, crate::i18n::Lang::En] {
            names.insert(header_key(stage.label().text(lang)), stage.code());
        }
    }
    names
}

pub(super) fn sale_row(record: &Record<'_>, lookup: &mut Lookup, add_sales_tag: bool) -> AppResult<Outcome> {
    let contact = sale_contact(record, &lookup.contacts)?;
    // Without the sales tag, the row may give it (the option), once the row is known good.
    let untagged = !lookup.tagged.contains(&contact);
    if untagged && (!add_sales_tag || lookup.sales_tag.is_none()) {
        return Err(AppError::NoSalesTag);
    }
    let refs = lookup.sale_refs.as_ref().ok_or(AppError::Internal)?;
    let product = match record.get("product") {
        "" => return Err(AppError::invalid(Field::Product, Problem::Required)),
        code => lookup
            .product_codes
            .get(&code.to_lowercase())
            .and_then(|id| refs.product(*id))
            .ok_or(AppError::invalid(Field::Product, Problem::Invalid))?,
    };
    let seller = match record.get("seller") {
        "" => lookup.own_seller.map(|id| id.to_string()).unwrap_or_default(),
        name => lookup.sellers.get(&name.to_lowercase()).map(|id| id.to_string()).ok_or(AppError::invalid(Field::Seller, Problem::Invalid))?,
    };
    let form = SaleForm {
        product: product.id.to_string(),
        seller,
        quantity: record.or("quantity", "1"),
        unit_price: record.or("unit_price", crate::money::Money(product.list_price_cents).to_input_string()),
        discount: record.get("discount").into(),
        vat_rate: record.or("vat_rate", crate::money::Percent(product.vat_rate_bp).to_input_string()),
        stage: lookup.stages.get(&header_key(record.get("stage"))).map_or_else(|| record.get("stage").to_string(), |code| (*code).to_owned()),
        probability: record.get("probability").into(),
        sale_date: record.get("sale_date").into(),
        expected_close: record.get("expected_close").into(),
        closed_date: record.get("closed_date").into(),
        lost_reason: record.get("lost_reason").into(),
        lost_note: record.get("lost_note").into(),
        notes: record.get("notes").into(),
    };
    let valid = crate::sales::ssr::check(refs, &form, None)?;
    if untagged {
        lookup.tagged.insert(contact);
        lookup.new_tagged.push(contact);
    }
    lookup.new_sales.push((ContactId(contact), valid));
    Ok(Outcome::Queued)
}
