//! Lost reasons (*Configurazione → CRM → Motivi di perdita*): why sales are lost, a list managers
//! keep. A lost sale names one of the reasons offered and may add a note; the reports group and
//! filter by reason. A reason in use is archived, not deleted, so its sales keep their reason.

use super::Step;
use super::pages::StepPage;
#[cfg(feature = "ssr")]
use crate::auth::ssr::require_user;
use crate::codec::TextJson;
use crate::error::{AppError, AppResult, Field};
use crate::i18n::Msg;
use crate::ui::{Erase, FieldError, FormError, refused, use_lang};
use crate::ui::{Outcome, can_edit, error_of, last_outcome, reset_on_success};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::ids::LostReasonId;

/// At most this many reasons, archived ones included.
pub const MAX_REASONS: u64 = 50;
/// A reason's name, in characters.
pub const MAX_NAME: usize = 60;

/// A reason as the forms offer it and a sale names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LostReasonRef {
    pub id: LostReasonId,
    pub name: String,
}

/// A reason on the configuration page: in its order, with the number of sales naming it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LostReason {
    pub id: LostReasonId,
    pub name: String,
    pub active: bool,
    pub sales: u64,
}

// ---------------------------------------------------------------- server functions

/// Every reason, archived ones too, in order (anyone signed in reads them).
#[server(endpoint = "lost_reasons", output = TextJson)]
pub async fn list_lost_reasons() -> AppResult<Vec<LostReason>> {
    let (state, me) = require_user().await?;
    super::ssr::lost_reasons::list(&state.db, &me).await
}

#[server(endpoint = "lost_reasons_add", output = TextJson)]
pub async fn add_lost_reason(name: String) -> AppResult<LostReason> {
    let (state, me) = require_user().await?;
    super::ssr::lost_reasons::add(&state.db, &me, &name).await
}

#[server(endpoint = "lost_reasons_rename", output = TextJson)]
pub async fn rename_lost_reason(id: i64, name: String) -> AppResult<()> {
    let (state, me) = require_user().await?;
    super::ssr::lost_reasons::rename(&state.db, &me, LostReasonId(id), &name).await
}

#[server(endpoint = "lost_reasons_set_active", output = TextJson)]
pub async fn set_lost_reason_active(id: i64, active: bool) -> AppResult<()> {
    let (state, me) = require_user().await?;
    super::ssr::lost_reasons::set_active(&state.db, &me, LostReasonId(id), active).await
}

#[server(endpoint = "lost_reasons_move_up", output = TextJson)]
pub async fn move_lost_reason_up(id: i64) -> AppResult<()> {
    let (state, me) = require_user().await?;
    super::ssr::lost_reasons::move_up(&state.db, &me, LostReasonId(id)).await
}

#[server(endpoint = "lost_reasons_delete", output = TextJson)]
pub async fn delete_lost_reason(id: i64) -> AppResult<()> {
    let (state, me) = require_user().await?;
    super::ssr::lost_reasons::delete(&state.db, &me, LostReasonId(id)).await
}

// ---------------------------------------------------------------- page

#[component]
pub fn LostReasonsPage() -> impl IntoView {
    let lang = use_lang();
    let edit = can_edit();
    let add = ServerAction::<AddLostReason>::new();
    let rename = ServerAction::<RenameLostReason>::new();
    let active = ServerAction::<SetLostReasonActive>::new();
    let up = ServerAction::<MoveLostReasonUp>::new();
    let delete = ServerAction::<DeleteLostReason>::new();
    let changes =
        Signal::derive(move || add.version().get() + rename.version().get() + active.version().get() + up.version().get() + delete.version().get());
    let reasons = Resource::new(move || changes.get(), |_| list_lost_reasons());
    let outcome = last_outcome!(rename, active, up, delete);
    let add_error = error_of(add.value());
    let add_form = reset_on_success(add.value());
    view! {
        <StepPage step=Step::LostReasons intro=Msg::LostReasonsIntro refresh=changes>
            <p class="hint">{Msg::LostReasonsArchivedNote.text(lang)}</p>
            <Outcome outcome=outcome />
            <Transition fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    reasons.await.map(|list| view! {
                        <div class="table-scroll">
                        <table class="data" id="lost-reasons">
                            <thead><tr>
                                <th>{Msg::FieldName.text(lang)}</th>
                                <th class="num">{Msg::LostReasonSales.text(lang)}</th>
                                {edit.then(|| view! { <th>{Msg::Actions.text(lang)}</th> })}
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|r| {
                                    let id = r.id.0;
                                    let in_use = r.sales > 0;
                                    let name = r.name.clone();
                                    view! {
                                        <tr data-name=r.name.clone() class:inactive=!r.active>
                                            <th scope="row">{r.name.clone()}
                                                {(!r.active).then(|| view! { " " <span class="badge">{Msg::LostReasonArchived.text(lang)}</span> })}
                                            </th>
                                            <td class="num">{r.sales}</td>
                                            {edit.then(|| view! {
                                                <td class="actions">
                                                    <ActionForm action=up attr:class="inline">{view! {
                                                        <input type="hidden" name="id" value=id />
                                                        <button type="submit" class="icon" title=Msg::MoveUp.text(lang) aria-label=Msg::MoveUp.text(lang)>"↑"</button>
                                                    }.erase()}</ActionForm>
                                                    <ActionForm action=rename attr:class="inline">{view! {
                                                        <input type="hidden" name="id" value=id />
                                                        <input type="text" name="name" value=name.clone() required maxlength=MAX_NAME aria-label=Msg::FieldName.text(lang) />
                                                        <button type="submit">{Msg::Rename.text(lang)}</button>
                                                    }.erase()}</ActionForm>
                                                    <ActionForm action=active attr:class="inline">{view! {
                                                        <input type="hidden" name="id" value=id />
                                                        <input type="hidden" name="active" value=(!r.active).to_string() />
                                                        <button type="submit">{if r.active { Msg::LostReasonArchive } else { Msg::LostReasonRestore }.text(lang)}</button>
                                                    }.erase()}</ActionForm>
                                                    {(!in_use).then(|| view! {
                                                        <ActionForm action=delete attr:class="inline">{view! {
                                                            <input type="hidden" name="id" value=id />
                                                            <button type="submit" class="danger">{Msg::Delete.text(lang)}</button>
                                                        }.erase()}</ActionForm>
                                                    })}
                                                </td>
                                            })}
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                    }).map_or_else(|e| refused(&e, lang), Erase::erase)
                })}
            </Transition>
        </StepPage>
        {edit.then(|| view! {
            <section class="panel narrow">
                <h2>{Msg::LostReasonNew.text(lang)}</h2>
                <ActionForm action=add node_ref=add_form attr:id="new-lost-reason-form">{view! {
                    <label>{Msg::FieldName.text(lang)}
                        <input type="text" name="name" required maxlength=MAX_NAME />
                        <FieldError error=add_error field=Field::Name />
                    </label>
                    <FormError error=add_error />
                    <button type="submit" class="primary" disabled=move || add.pending().get()>{Msg::Add.text(lang)}</button>
                }.erase()}</ActionForm>
            </section>
        })}
    }
}
