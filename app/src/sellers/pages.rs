//! The sellers page (step 2 of the configuration).

use super::*;
use crate::config::Step;
use crate::config::pages::StepPage;
use crate::error::{AppError, Field};
use crate::i18n::Msg;
use crate::ui::{Erase, FieldError, FormError, refused, use_lang};
use crate::ui::{Outcome, can_edit, error_of, last_outcome, reset_on_success};
use leptos::prelude::*;

// ---------------------------------------------------------------- 2. sellers

#[component]
pub fn SellersPage() -> impl IntoView {
    let lang = use_lang();
    let edit = can_edit();
    let create_user = ServerAction::<CreateSeller>::new();
    let create_team = ServerAction::<CreateSeller>::new();
    let rename = ServerAction::<RenameSeller>::new();
    let members = ServerAction::<SetSellerMembers>::new();
    let active = ServerAction::<SetSellerActive>::new();
    let delete = ServerAction::<DeleteSeller>::new();
    let changes = Signal::derive(move || {
        create_user.version().get()
            + create_team.version().get()
            + rename.version().get()
            + members.version().get()
            + active.version().get()
            + delete.version().get()
    });
    let sellers = Resource::new(move || changes.get(), |_| list_sellers());
    let candidates = Resource::new(move || changes.get(), move |_| async move { if edit { seller_candidates().await } else { Ok(Vec::new()) } });
    let outcome = last_outcome!(rename, members, active, delete);
    let user_error = error_of(create_user.value());
    let team_error = error_of(create_team.value());
    let user_form = reset_on_success(create_user.value());
    let team_form = reset_on_success(create_team.value());
    view! {
        <StepPage step=Step::Sellers intro=Msg::SellersIntro refresh=changes>
            <Outcome outcome=outcome />
            <Transition fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    let (rows, users) = (sellers.await, candidates.await.unwrap_or_default());
                    rows.map(|rows| {
                        if rows.is_empty() {
                            return view! { <p class="empty">{Msg::SellerNoSellers.text(lang)}</p> }.erase();
                        }
                        view! {
                            <table class="data" id="sellers-table">
                                <thead><tr>
                                    <th>{Msg::FieldName.text(lang)}</th>
                                    <th>{Msg::SellerKind.text(lang)}</th>
                                    <th>{Msg::FieldMembers.text(lang)}</th>
                                    <th>{Msg::Status.text(lang)}</th>
                                    {edit.then(|| view! { <th>{Msg::Actions.text(lang)}</th> })}
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|row| view! {
                                        <SellerRowView row=row users=users.clone() edit=edit rename=rename members=members active=active delete=delete />
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.erase()
                    }).map_or_else(|e| refused(&e, lang), Erase::erase)
                })}
            </Transition>
        </StepPage>
        {edit.then(|| view! {
            <div class="config-forms">
                <section class="panel">
                    <h2>{Msg::SellerNewUser.text(lang)}</h2>
                    <ActionForm action=create_user node_ref=user_form attr:id="new-user-seller-form">{view! {
                        <input type="hidden" name="kind" value="user" />
                        <label>{Msg::FieldSellerUser.text(lang)}
                            <select name="user" required>
                                <option value="">{Msg::SellerPickUser.text(lang)}</option>
                                <Transition fallback=|| ()>
                                    {move || Suspend::new(async move {
                                        candidates.await.unwrap_or_default().into_iter().filter(|c| !c.is_seller).map(|c| view! {
                                            <option value=c.user.id.0>{format!("{} ({})", c.user.display_name, c.user.login)}</option>
                                        }).collect_view()
                                    })}
                                </Transition>
                            </select>
                            <FieldError error=user_error field=Field::SellerUser />
                        </label>
                        <label>{Msg::SellerNameOptional.text(lang)}
                            <input type="text" name="name" />
                            <FieldError error=user_error field=Field::Name />
                        </label>
                        <FormError error=user_error />
                        <button type="submit" class="primary" disabled=move || create_user.pending().get()>{Msg::SellerCreate.text(lang)}</button>
                    }.erase()}</ActionForm>
                </section>
                <section class="panel">
                    <h2>{Msg::SellerNewGeneric.text(lang)}</h2>
                    <ActionForm action=create_team node_ref=team_form attr:id="new-generic-seller-form">{view! {
                        <input type="hidden" name="kind" value="generic" />
                        <label>{Msg::FieldName.text(lang)}
                            <input type="text" name="name" required />
                            <FieldError error=team_error field=Field::Name />
                        </label>
                        <fieldset class="members">
                            <legend>{Msg::FieldMembers.text(lang)}</legend>
                            <Transition fallback=|| ()>
                                {move || Suspend::new(async move {
                                    candidates.await.unwrap_or_default().into_iter().map(|c| view! {
                                        <label class="check"><input type="checkbox" name="members[]" value=c.user.id.0 />{c.user.display_name.clone()}</label>
                                    }).collect_view()
                                })}
                            </Transition>
                            <FieldError error=team_error field=Field::Members />
                        </fieldset>
                        <FormError error=team_error />
                        <button type="submit" class="primary" disabled=move || create_team.pending().get()>{Msg::SellerCreate.text(lang)}</button>
                    }.erase()}</ActionForm>
                </section>
            </div>
        })}
    }
}

#[component]
fn SellerRowView(
    row: SellerRow,
    users: Vec<SellerCandidate>,
    edit: bool,
    rename: ServerAction<RenameSeller>,
    members: ServerAction<SetSellerMembers>,
    active: ServerAction<SetSellerActive>,
    delete: ServerAction<DeleteSeller>,
) -> impl IntoView {
    let lang = use_lang();
    let (id, version) = (row.id.0, row.version);
    let who = match row.kind {
        SellerKind::User => row.user.as_ref().map(|u| u.display_name.clone()).unwrap_or_default(),
        SellerKind::Generic => row.members.iter().map(|m| m.display_name.clone()).collect::<Vec<_>>().join(", "),
    };
    let member_ids: Vec<UserId> = row.members.iter().map(|m| m.id).collect();
    let is_generic = row.kind == SellerKind::Generic;
    let status = if row.active { Msg::Active } else { Msg::Inactive };
    let toggle = if row.active { Msg::Deactivate } else { Msg::Reactivate };
    let name = row.name.clone();
    view! {
        <tr data-name=row.name.clone() class:inactive=!row.active>
            <td class="name">{row.name.clone()}</td>
            <td>{row.kind.label().text(lang)}</td>
            <td class="members">{who}</td>
            <td>{status.text(lang)}</td>
            {edit.then(|| view! {
                <td class="actions">
                    <ActionForm action=rename attr:class="inline">{view! {
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="version" value=version />
                        <input type="text" name="name" value=name required aria-label=Msg::FieldName.text(lang) />
                        <button type="submit">{Msg::Rename.text(lang)}</button>
                    }.erase()}</ActionForm>
                    {is_generic.then(|| view! {
                        <details class="members-editor">
                            <summary>{Msg::FieldMembers.text(lang)}</summary>
                            <ActionForm action=members>{view! {
                                <input type="hidden" name="id" value=id />
                                <input type="hidden" name="version" value=version />
                                {users.iter().map(|c| view! {
                                    <label class="check">
                                        <input type="checkbox" name="members[]" value=c.user.id.0 checked=member_ids.contains(&c.user.id) />
                                        {c.user.display_name.clone()}
                                    </label>
                                }).collect_view()}
                                <button type="submit">{Msg::SellerSaveMembers.text(lang)}</button>
                            }.erase()}</ActionForm>
                        </details>
                    })}
                    <ActionForm action=active attr:class="inline">{view! {
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="version" value=version />
                        <input type="hidden" name="active" value=(!row.active).to_string() />
                        <button type="submit" class="toggle-active">{toggle.text(lang)}</button>
                    }.erase()}</ActionForm>
                    {(row.sales == 0).then(|| view! {
                        <ActionForm action=delete attr:class="inline">{view! {
                            <input type="hidden" name="id" value=id />
                            <input type="hidden" name="version" value=version />
                            <button type="submit" class="danger">{Msg::Delete.text(lang)}</button>
                        }.erase()}</ActionForm>
                    })}
                </td>
            })}
        </tr>
    }
}
