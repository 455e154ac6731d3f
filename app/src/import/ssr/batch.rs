//! An import's batch: opened before the first chunk, its record of each chunk (what the undo
//! needs of each record written), closed with the last; the batches' list, their rejected rows,
//! and the undo.

use super::*;

/// A new batch (no counts yet, not finished) for the run about to start.
pub(super) async fn open_batch(txn: &DatabaseTransaction, actor: &CurrentUser, request: &ImportRequest) -> AppResult<import_batches::Model> {
    let now = Utc::now();
    Ok(import_batches::ActiveModel {
        kind: Set(request.kind.code().to_string()),
        file_name: Set(request.file_name.chars().take(200).collect()),
        user_id: Set(actor.id.0),
        created_at: Set(now),
        created: Set(0),
        updated: Set(0),
        rejected: Set(0),
        rejected_rows: Set(None),
        undone_at: Set(None),
        finished_at: Set(None),
        written_at: Set(Some(now)),
        ..Default::default()
    }
    .insert(txn)
    .await?)
}

/// Before a chunk: the batch is still there and not undone (an interrupted batch may be undone
/// while a run it was taken for still goes on elsewhere). Locked on PostgreSQL until the chunk
/// commits, so an undo waits for it.
pub(super) async fn still_wanted(txn: &DatabaseTransaction, batch: i64) -> AppResult<()> {
    match import_batches::Entity::find_by_id(batch).lock_exclusive().one(txn).await? {
        Some(b) if b.undone_at.is_none() => Ok(()),
        _ => Err(AppError::Conflict),
    }
}

/// After a chunk: what its undo needs of each record it wrote, and the batch's counts so far.
pub(super) async fn record_chunk(txn: &DatabaseTransaction, batch: i64, run: &mut Run) -> AppResult<()> {
    let row = |change: Change| import_rows::ActiveModel {
        batch_id: Set(batch),
        entity_id: Set(change.id),
        action: Set(if change.created { RowAction::Create } else { RowAction::Update }.code().to_string()),
        version: Set(change.version),
        before: Set(change.before),
        ..Default::default()
    };
    // In chunks: a statement has a limited number of parameters.
    let mut changes = net_changes(std::mem::take(&mut run.done)).into_iter();
    loop {
        let chunk: Vec<import_rows::ActiveModel> = changes.by_ref().take(1_000).map(row).collect();
        if chunk.is_empty() {
            break;
        }
        import_rows::Entity::insert_many(chunk).exec_without_returning(txn).await?;
    }
    import_batches::ActiveModel {
        id: Set(batch),
        created: Set(run.report.creates as i64),
        updated: Set(run.report.updates as i64),
        rejected: Set(run.report.bad as i64),
        written_at: Set(Some(Utc::now())),
        ..Default::default()
    }
    .update(txn)
    .await?;
    Ok(())
}

/// The finished batch: its counts and the rows it rejected.
pub(super) async fn close_batch(txn: &DatabaseTransaction, batch: i64, report: &ImportReport, rejected: &Rejected) -> AppResult<()> {
    let now = Utc::now();
    import_batches::ActiveModel {
        id: Set(batch),
        created: Set(report.creates as i64),
        updated: Set(report.updates as i64),
        rejected: Set(report.bad as i64),
        rejected_rows: Set((!rejected.rows.is_empty()).then(|| serde_json::to_string(rejected)).transpose().map_err(|_| AppError::Internal)?),
        finished_at: Set(Some(now)),
        written_at: Set(Some(now)),
        ..Default::default()
    }
    .update(txn)
    .await?;
    Ok(())
}

/// What an import did to a record, as `import_rows.action` stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RowAction {
    Create,
    Update,
}

impl RowAction {
    pub(super) fn code(self) -> &'static str {
        match self {
            RowAction::Create => "create",
            RowAction::Update => "update",
        }
    }

    /// A row's action; one this build does not know is an error naming the row.
    pub(super) fn of(row: &import_rows::Model) -> AppResult<RowAction> {
        let action = [RowAction::Create, RowAction::Update].into_iter().find(|a| a.code() == row.action);
        crate::db::decoded("import_rows", row.id, &row.action, action)
    }
}

/// What a batch did to one record, as its undo needs it.
pub(super) struct Change {
    id: i64,
    created: bool,
    /// The version the batch left.
    version: i32,
    /// The record before the batch first changed it (an update).
    before: Option<String>,
}

/// One change per record. A record a row created and a later row updated is undone as created,
/// at the version the last left; one updated twice goes back to what it was before the first.
pub(super) fn net_changes(done: Vec<Outcome>) -> Vec<Change> {
    let mut changes: Vec<Change> = Vec::new();
    let mut index: HashMap<i64, usize> = HashMap::new();
    for outcome in done {
        let change = match outcome {
            Outcome::Created { id, version } => Change { id, created: true, version, before: None },
            Outcome::Updated { id, version, before } => Change { id, created: false, version, before: Some(before) },
            Outcome::Queued | Outcome::Unchanged => continue,
        };
        match index.get(&change.id) {
            Some(&i) => {
                let kept = &mut changes[i];
                kept.created |= change.created;
                kept.version = Ord::max(kept.version, change.version);
                kept.before = if kept.created { None } else { kept.before.take().or(change.before) };
            }
            None => {
                index.insert(change.id, changes.len());
                changes.push(change);
            }
        }
    }
    changes
}

pub async fn batches(db: &DatabaseConnection, actor: &CurrentUser) -> AppResult<Vec<Batch>> {
    require_manager(actor)?;
    let rows = import_batches::Entity::find().order_by_desc(import_batches::Column::Id).limit(100).all(db).await?;
    let user_ids: BTreeSet<i64> = rows.iter().map(|b| b.user_id).collect();
    let names: HashMap<i64, String> =
        users::Entity::find().filter(users::Column::Id.is_in(user_ids)).all(db).await?.into_iter().map(|u| (u.id, u.display_name)).collect();
    let now = Utc::now();
    rows.into_iter()
        .map(|b| {
            let state = BatchState::of(&b, now);
            Ok(Batch {
                id: b.id,
                kind: crate::db::decoded("import_batches", b.id, &b.kind, ImportKind::from_code(&b.kind))?,
                user: names.get(&b.user_id).cloned().unwrap_or_default(),
                file_name: b.file_name,
                at: b.created_at,
                created: b.created as u64,
                updated: b.updated as u64,
                rejected: b.rejected as u64,
                state,
            })
        })
        .collect()
}

impl BatchState {
    pub(super) fn of(batch: &import_batches::Model, now: chrono::DateTime<Utc>) -> BatchState {
        match (batch.undone_at, batch.finished_at, batch.written_at) {
            (Some(_), _, _) => BatchState::Undone,
            (None, Some(_), _) => BatchState::Finished,
            (None, None, Some(at)) if now - at < INTERRUPTED_AFTER => BatchState::Running,
            (None, None, _) => BatchState::Interrupted,
        }
    }
}

/// The rows a batch rejected, to download.
pub async fn rejected(db: &DatabaseConnection, actor: &CurrentUser, id: i64) -> AppResult<Rejected> {
    require_manager(actor)?;
    let batch = import_batches::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    // Unreadable stored rows are a fault naming the batch, never an empty list.
    let rejected: Rejected = match batch.rejected_rows.as_deref() {
        None => Rejected::default(),
        Some(json) => serde_json::from_str(json).map_err(|err| {
            tracing::error!(table = "import_batches", row = id, %err, "rejected rows unreadable");
            AppError::Internal
        })?,
    };
    crate::exports::ssr::record(db, actor, ExportKind::Rejected, rejected.rows.len() as u64).await?;
    Ok(rejected)
}

/// Takes a batch back: created rows deleted, updated rows restored, all in one transaction, if
/// none changed since the import; otherwise nothing happens and the changed rows are named.
pub async fn undo(db: &DatabaseConnection, actor: &CurrentUser, id: i64) -> AppResult<()> {
    require_manager(actor)?;
    let actor = actor.clone();
    crate::db::transaction(db, move |txn| {
        Box::pin(async move {
            // Locked (PostgreSQL): two undos of one batch take turns, the second finds it undone.
            let batch = import_batches::Entity::find_by_id(id).lock_exclusive().one(txn).await?.ok_or(AppError::NotFound)?;
            if batch.undone_at.is_some() {
                return Err(AppError::Conflict);
            }
            if BatchState::of(&batch, Utc::now()) == BatchState::Running {
                return Err(AppError::ImportRunning);
            }
            let kind = crate::db::decoded("import_batches", batch.id, &batch.kind, ImportKind::from_code(&batch.kind))?;
            let rows =
                import_rows::Entity::find().filter(import_rows::Column::BatchId.eq(id)).order_by_desc(import_rows::Column::Id).all(txn).await?;
            let rows = merged(rows);
            let mut blocked = Vec::new();
            for chunk in rows.chunks(UNDO_CHUNK) {
                blocked.extend(changed_since(txn, kind, chunk).await?);
            }
            if !blocked.is_empty() {
                blocked.truncate(20);
                return Err(AppError::ImportUndoBlocked { rows: blocked });
            }
            for row in &rows {
                take_back(txn, &actor, kind, row).await?;
            }
            import_batches::Entity::update_many()
                .col_expr(import_batches::Column::UndoneAt, Expr::value(Utc::now()))
                .filter(import_batches::Column::Id.eq(id))
                .exec(txn)
                .await?;
            Ok(())
        })
    })
    .await
}

/// One row per record, newest first: a record several chunks of the batch wrote is taken back
/// as the first found it (created, or its `before`) and checked at the version the last left.
pub(super) fn merged(newest_first: Vec<import_rows::Model>) -> Vec<import_rows::Model> {
    let mut index: HashMap<i64, usize> = HashMap::new();
    let mut rows: Vec<import_rows::Model> = Vec::new();
    for row in newest_first {
        match index.get(&row.entity_id) {
            Some(&i) => {
                let kept = &mut rows[i];
                kept.action = row.action;
                kept.before = row.before;
            }
            None => {
                index.insert(row.entity_id, rows.len());
                rows.push(row);
            }
        }
    }
    rows
}

/// Rows checked for an undo in one query each (a statement has a limited number of parameters).
pub(super) const UNDO_CHUNK: usize = 500;

/// The names of the rows the import wrote that changed since (or, created by it, gained sales).
pub(super) async fn changed_since(txn: &DatabaseTransaction, kind: ImportKind, rows: &[import_rows::Model]) -> AppResult<Vec<String>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.entity_id).collect();
    let mut created = BTreeSet::new();
    for row in rows {
        if RowAction::of(row)? == RowAction::Create {
            created.insert(row.entity_id);
        }
    }
    // Now: id → (version, name, has sales).
    let now: HashMap<i64, (i32, String, bool)> = match kind {
        ImportKind::Contacts => {
            let with_sales = ids_with_sales(txn, sales::Column::ContactId, &created).await?;
            let found = contacts::Entity::find().filter(contacts::Column::Id.is_in(ids)).all(txn).await?;
            found.into_iter().map(|c| (c.id, (c.version, c.name, with_sales.contains(&c.id)))).collect()
        }
        ImportKind::Products => {
            let with_sales = ids_with_sales(txn, sales::Column::ProductId, &created).await?;
            let found = products::Entity::find().filter(products::Column::Id.is_in(ids)).all(txn).await?;
            found.into_iter().map(|p| (p.id, (p.version, format!("{} {}", p.code, p.name), with_sales.contains(&p.id)))).collect()
        }
        ImportKind::Sales => {
            let found = sales::Entity::find().filter(sales::Column::Id.is_in(ids)).all(txn).await?;
            found.into_iter().map(|s| (s.id, (s.version, format!("#{}", s.id), false))).collect()
        }
        ImportKind::Targets => {
            let found = targets::Entity::find().filter(targets::Column::Id.is_in(ids)).all(txn).await?;
            found.into_iter().map(|t| (t.id, (t.version, format!("{} #{}", Month(t.month).code(), t.seller_id), false))).collect()
        }
    };
    // A row the import updated must still be there as it left it; one it created and that is gone
    // since has nothing left to take back.
    Ok(rows
        .iter()
        .filter_map(|row| match now.get(&row.entity_id) {
            Some((version, name, sales)) => (*version != row.version || *sales).then(|| name.clone()),
            None => (!created.contains(&row.entity_id)).then(|| gone_name(kind, row)),
        })
        .collect())
}

/// The name of a row the import updated and that was deleted since, from what it was before.
pub(super) fn gone_name(kind: ImportKind, row: &import_rows::Model) -> String {
    let before = row.before.as_deref().unwrap_or_default();
    let name = match kind {
        ImportKind::Contacts => serde_json::from_str::<(contacts::Model, BTreeSet<i64>)>(before).ok().map(|(c, _)| c.name),
        ImportKind::Products => serde_json::from_str::<products::Model>(before).ok().map(|p| format!("{} {}", p.code, p.name)),
        ImportKind::Sales | ImportKind::Targets => None,
    };
    name.unwrap_or_else(|| format!("#{}", row.entity_id))
}

/// Writes a row back as it was before the import, over the version the import left: a row saved
/// by someone since (between the check and this write, on PostgreSQL) blocks the undo by name.
pub(super) async fn restore<A>(txn: &DatabaseTransaction, mut model: A, row: &import_rows::Model, name: &str) -> AppResult<()>
where
    A: ActiveModelTrait,
    A::Entity: crate::db::versioned::Versioned,
{
    use crate::db::versioned::Versioned;
    for column in [A::Entity::ID, A::Entity::VERSION, A::Entity::UPDATED_AT] {
        model.not_set(column);
    }
    if !crate::db::versioned::try_update_model(txn, row.entity_id, row.version, model).await? {
        return Err(AppError::ImportUndoBlocked { rows: vec![name.to_string()] });
    }
    Ok(())
}

/// Which of these contacts (or products) have sales.
pub(super) async fn ids_with_sales(txn: &DatabaseTransaction, column: sales::Column, ids: &BTreeSet<i64>) -> AppResult<BTreeSet<i64>> {
    if ids.is_empty() {
        return Ok(BTreeSet::new());
    }
    Ok(sales::Entity::find()
        .select_only()
        .column(column)
        .filter(column.is_in(ids.iter().copied()))
        .distinct()
        .into_tuple::<i64>()
        .all(txn)
        .await?
        .into_iter()
        .collect())
}

pub(super) async fn take_back(txn: &DatabaseTransaction, actor: &CurrentUser, kind: ImportKind, row: &import_rows::Model) -> AppResult<()> {
    let created = RowAction::of(row)? == RowAction::Create;
    match kind {
        ImportKind::Contacts if created => {
            contact_tags::Entity::delete_many().filter(contact_tags::Column::ContactId.eq(row.entity_id)).exec(txn).await?;
            contacts::Entity::delete_by_id(row.entity_id).exec(txn).await?;
        }
        ImportKind::Contacts => {
            let (before, mut tags): (contacts::Model, BTreeSet<i64>) =
                serde_json::from_str(row.before.as_deref().unwrap_or_default()).map_err(|_| AppError::Internal)?;
            restore(txn, before.clone().into_active_model().reset_all(), row, &before.name).await?;
            // The forms' rule: a contact with sales keeps the sales tag (its sales stay on its card),
            // also when the import gave it the tag and sales came since.
            if crate::config::ssr::carries_sales_tag(txn, ContactId(before.id)).await?
                && sales::Entity::find().filter(sales::Column::ContactId.eq(before.id)).one(txn).await?.is_some()
                && let Some(tag) = crm_settings::Entity::find_by_id(crm_settings::SETTINGS_ID).one(txn).await?.and_then(|s| s.sales_tag_id)
            {
                tags.insert(tag);
            }
            let tags_before = cells::tags_before(txn, &[before.id]).await?;
            contact_tags::Entity::delete_many().filter(contact_tags::Column::ContactId.eq(before.id)).exec(txn).await?;
            let links: Vec<contact_tags::ActiveModel> =
                tags.into_iter().map(|tag| contact_tags::ActiveModel { contact_id: Set(before.id), tag_id: Set(tag) }).collect();
            if !links.is_empty() {
                contact_tags::Entity::insert_many(links).exec_without_returning(txn).await?;
            }
            cells::retagged(txn, tags_before).await?;
        }
        ImportKind::Products if created => {
            products::Entity::delete_by_id(row.entity_id).exec(txn).await?;
        }
        ImportKind::Products => {
            let before: products::Model = serde_json::from_str(row.before.as_deref().unwrap_or_default()).map_err(|_| AppError::Internal)?;
            let name = format!("{} {}", before.code, before.name);
            restore(txn, before.into_active_model().reset_all(), row, &name).await?;
        }
        ImportKind::Sales => {
            if let Some(sale) = sales::Entity::find_by_id(row.entity_id).one(txn).await? {
                crate::sales::ssr::remove_imported(txn, actor, &sale).await?;
            }
        }
        ImportKind::Targets if created => {
            targets::Entity::delete_by_id(row.entity_id).exec(txn).await?;
        }
        ImportKind::Targets => {
            let before: targets::Model = serde_json::from_str(row.before.as_deref().unwrap_or_default()).map_err(|_| AppError::Internal)?;
            let name = format!("{} #{}", Month(before.month).code(), before.seller_id);
            restore(txn, before.into_active_model().reset_all(), row, &name).await?;
        }
    }
    Ok(())
}
