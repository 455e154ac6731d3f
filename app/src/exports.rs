//! The register of bulk downloads: every download of the address book, the product list, a sales
//! workbook or an import's rejected rows is recorded (who, when, what, how many rows) and listed
//! for managers on the import page. The address book and the product list are managers' downloads
//! (a departing seller does not take the customer list); a sales workbook is everyone's, of the
//! sales he may see.

use crate::auth::Role;
use crate::codec::TextJson;
use crate::error::AppResult;
use crate::i18n::{Lang, Msg};
use crate::ui::{Erase, refused, use_lang};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What was downloaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExportKind {
    Contacts,
    Products,
    Sales,
    Rejected,
}

impl ExportKind {
    pub const ALL: [ExportKind; 4] = [ExportKind::Contacts, ExportKind::Products, ExportKind::Sales, ExportKind::Rejected];

    pub fn code(self) -> &'static str {
        match self {
            ExportKind::Contacts => "contacts",
            ExportKind::Products => "products",
            ExportKind::Sales => "sales",
            ExportKind::Rejected => "rejected",
        }
    }

    pub fn from_code(code: &str) -> Option<ExportKind> {
        ExportKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> Msg {
        match self {
            ExportKind::Contacts => Msg::ExportOfContacts,
            ExportKind::Products => Msg::ExportOfProducts,
            ExportKind::Sales => Msg::ExportOfSales,
            ExportKind::Rejected => Msg::ExportOfRejected,
        }
    }

    /// Who may download it: the address book and the product list are managers' (and admins').
    pub fn allowed(self, role: Role) -> bool {
        match self {
            ExportKind::Contacts | ExportKind::Products => role.is_manager(),
            ExportKind::Sales | ExportKind::Rejected => true,
        }
    }
}

/// One recorded download.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportRecord {
    pub at: DateTime<Utc>,
    pub user: String,
    pub kind: ExportKind,
    pub rows: u64,
}

/// The newest downloads (managers and admins).
#[server(endpoint = "exports", output = TextJson)]
pub async fn list_exports() -> AppResult<Vec<ExportRecord>> {
    let (state, me) = crate::auth::ssr::require_user().await?;
    ssr::list(&state.db, &me).await
}

/// The register as a table (the import page, managers only).
#[component]
pub fn ExportLog() -> impl IntoView {
    let lang = use_lang();
    let list = Resource::new(|| (), |_| list_exports());
    view! {
        <section class="panel" id="export-log">
            <h2>{Msg::ExportLogTitle.text(lang)}</h2>
            <p class="hint">{Msg::ExportLogIntro.text(lang)}</p>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    list.await.map(|list| if list.is_empty() {
                        view! { <p class="empty">{Msg::ExportLogEmpty.text(lang)}</p> }.erase()
                    } else {
                        view! { <ExportTable list=list lang=lang /> }.erase()
                    }).map_or_else(|e| refused(&e, lang), Erase::erase)
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ExportTable(list: Vec<ExportRecord>, lang: Lang) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table class="data" id="export-table">
                <thead><tr>
                    <th>{Msg::ExportWhen.text(lang)}</th>
                    <th>{Msg::ExportWho.text(lang)}</th>
                    <th>{Msg::ExportWhat.text(lang)}</th>
                    <th class="num">{Msg::ExportRows.text(lang)}</th>
                </tr></thead>
                <tbody>
                    {list.into_iter().map(|e| view! {
                        <tr data-export=e.kind.code()>
                            <td>{lang.date(e.at.date_naive())}" "{e.at.format("%H:%M").to_string()}" UTC"</td>
                            <td>{e.user}</td>
                            <td>{e.kind.label().text(lang)}</td>
                            <td class="num">{e.rows}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::{ExportKind, ExportRecord};
    use crate::auth::CurrentUser;
    use crate::auth::ssr::require_manager;
    use crate::db::entities::{exports, users};
    use crate::error::{AppError, AppResult};
    use sea_orm::*;
    use std::collections::HashMap;

    /// Downloads the register lists.
    pub const LISTED: u64 = 200;

    /// Whether `actor` may download `kind` (`Forbidden` otherwise).
    pub fn require(actor: &CurrentUser, kind: ExportKind) -> AppResult<()> {
        if kind.allowed(actor.role) { Ok(()) } else { Err(AppError::Forbidden) }
    }

    /// Records one download of `rows` rows by `actor`.
    pub async fn record(db: &impl ConnectionTrait, actor: &CurrentUser, kind: ExportKind, rows: u64) -> AppResult<()> {
        let rows = i64::try_from(rows).unwrap_or(i64::MAX);
        exports::ActiveModel {
            user_id: Set(actor.id.0),
            at: Set(chrono::Utc::now()),
            what: Set(kind.code().to_string()),
            rows: Set(rows),
            ..Default::default()
        }
        .insert(db)
        .await?;
        Ok(())
    }

    /// The newest [`LISTED`] downloads, newest first (managers and admins). A stored kind this
    /// build does not know is an error naming the row, never dropped.
    pub async fn list(db: &impl ConnectionTrait, actor: &CurrentUser) -> AppResult<Vec<ExportRecord>> {
        require_manager(actor)?;
        let rows = exports::Entity::find().order_by_desc(exports::Column::Id).limit(LISTED).all(db).await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.user_id).collect();
        let names: HashMap<i64, String> =
            users::Entity::find().filter(users::Column::Id.is_in(ids)).all(db).await?.into_iter().map(|u| (u.id, u.display_name)).collect();
        rows.into_iter()
            .map(|r| {
                let kind = crate::db::decoded("exports", r.id, &r.what, ExportKind::from_code(&r.what))?;
                Ok(ExportRecord {
                    at: r.at,
                    user: names.get(&r.user_id).cloned().unwrap_or_default(),
                    kind,
                    rows: u64::try_from(r.rows).unwrap_or(0),
                })
            })
            .collect()
    }
}
