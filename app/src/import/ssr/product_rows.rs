//! Product rows: matched by code, their category path created when missing.

use super::*;

/// The category a path names ("Hardware > Notebook"), created level by level where missing.
pub(super) async fn category_path(txn: &DatabaseTransaction, path: &str, lookup: &mut Lookup) -> AppResult<Option<i64>> {
    let mut parent = None;
    for name in path.split(['>', '/']).map(str::trim).filter(|n| !n.is_empty()) {
        let key = (parent, name.to_lowercase());
        let id = match lookup.categories.get(&key) {
            Some(id) => *id,
            // The category page's own rule (name required, short, free among its siblings).
            None => crate::catalog::ssr::insert_category(txn, name, parent).await.map_err(|e| match e {
                AppError::Invalid { problem, .. } => AppError::invalid(Field::Category, problem),
                other => other,
            })?,
        };
        lookup.categories.insert(key, id);
        parent = Some(id);
    }
    Ok(parent)
}

pub(super) async fn product_row(txn: &DatabaseTransaction, actor: &CurrentUser, record: &Record<'_>, lookup: &mut Lookup) -> AppResult<Outcome> {
    let code = record.get("code");
    let existing = match code {
        "" => None,
        code => products::Entity::find().filter(Expr::expr(Func::lower(Expr::col(products::Column::Code))).eq(code.to_lowercase())).one(txn).await?,
    };
    let category = match record.get("category") {
        "" => existing.as_ref().and_then(|p| p.category_id),
        path => category_path(txn, path, lookup).await?,
    };
    let category = category.map(|c| c.to_string()).unwrap_or_default();
    match existing {
        None => {
            let form = ProductForm {
                code: code.into(),
                name: record.get("name").into(),
                description: record.get("description").into(),
                category,
                unit: record.or("unit", "pz"),
                list_price: record.get("list_price").into(),
                vat_rate: record.or("vat_rate", "22"),
            };
            let row = create_product(txn, actor, &form).await?;
            Ok(Outcome::Created { id: row.id.0, version: row.version })
        }
        Some(p) => {
            let form = ProductForm {
                code: p.code.clone(),
                name: record.or("name", p.name.clone()),
                description: record.or("description", p.description.clone().unwrap_or_default()),
                category,
                unit: record.or("unit", p.unit.clone()),
                list_price: record.or("list_price", crate::money::Money(p.list_price_cents).to_input_string()),
                vat_rate: record.or("vat_rate", crate::money::Percent(p.vat_rate_bp).to_input_string()),
            };
            let same = form.name.trim() == p.name
                && Some(form.description.trim()).filter(|d| !d.is_empty()) == p.description.as_deref()
                && form.category == p.category_id.map(|c| c.to_string()).unwrap_or_default()
                && form.unit.trim() == p.unit
                && parse_list_price(&form.list_price).ok().map(|m| m.cents()) == Some(p.list_price_cents)
                && parse_vat_rate(&form.vat_rate).ok().map(|v| v.bp()) == Some(p.vat_rate_bp);
            if same {
                return Ok(Outcome::Unchanged);
            }
            let before = serde_json::to_string(&p).map_err(|_| AppError::Internal)?;
            let row = update_product(txn, actor, ProductId(p.id), p.version, &form).await?;
            Ok(Outcome::Updated { id: row.id.0, version: row.version, before })
        }
    }
}
