//! Target rows: a seller by name, a month, an amount.

use super::*;

/// A month as a file writes it: `2026-03`, `03/2026`, or a day in it.
pub(super) fn target_month(text: &str) -> Option<Month> {
    let text = text.trim();
    if let Some((m, y)) = text.split_once('/')
        && !y.contains('/')
    {
        return Month::parse(&format!("{y}-{m}"));
    }
    Month::parse(text).or_else(|| crate::i18n::parse_day(text).map(Month::of))
}

/// A target row: the seller (by name), the month, the amount, optionally a top-level category
/// (by name). Written at once, as the grid writes a cell; the same amount again is unchanged.
pub(super) async fn target_row(txn: &DatabaseTransaction, actor: &CurrentUser, record: &Record<'_>, lookup: &Lookup) -> AppResult<Outcome> {
    let seller = match record.get("seller").trim() {
        "" => return Err(AppError::invalid(Field::Seller, Problem::Required)),
        name => *lookup.sellers.get(&name.to_lowercase()).ok_or(AppError::invalid(Field::Seller, Problem::Invalid))?,
    };
    let month = target_month(record.get("month")).ok_or(AppError::invalid(Field::Month, Problem::Invalid))?;
    crate::targets::ssr::check_year(month.year())?;
    let category = match record.get("category").trim() {
        "" => 0,
        name => *lookup.categories.get(&(None, name.to_lowercase())).ok_or(AppError::invalid(Field::Category, Problem::Invalid))?,
    };
    let amount = crate::targets::ssr::parse_amount(record.get("amount"))?.ok_or(AppError::invalid(Field::Target, Problem::Required))?;
    let find = || {
        targets::Entity::find()
            .filter(targets::Column::SellerId.eq(seller))
            .filter(targets::Column::Month.eq(month.0))
            .filter(targets::Column::CategoryId.eq(category))
    };
    let before = find().one(txn).await?;
    if before.as_ref().is_some_and(|b| b.amount_cents == amount.0) {
        return Ok(Outcome::Unchanged);
    }
    crate::targets::ssr::write(txn, actor, &[(seller, month, category, Some(amount))]).await?;
    let after = find().one(txn).await?.ok_or(AppError::Internal)?;
    Ok(match before {
        None => Outcome::Created { id: after.id, version: after.version },
        Some(before) => {
            Outcome::Updated { id: after.id, version: after.version, before: serde_json::to_string(&before).map_err(|_| AppError::Internal)? }
        }
    })
}
