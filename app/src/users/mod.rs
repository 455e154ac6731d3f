//! The users page (admins only): list, create, change role, deactivate, reset password.

#[cfg(feature = "ssr")]
pub mod ssr;

use crate::auth::{Role, UserId};
use crate::codec::TextJson;
use crate::error::{AppResult, Field};
use crate::i18n::{Lang, Msg};
use crate::ui::{Erase, FieldError, FormError, refused, use_lang};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUser {
    pub login: String,
    pub display_name: String,
    pub password: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: UserId,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    pub lang: Lang,
    pub version: i32,
}

#[server(endpoint = "first_run", output = TextJson)]
pub async fn first_run(login: String, display_name: String, password: String, password_repeat: String) -> AppResult<()> {
    let state = crate::auth::ssr::state()?;
    if password != password_repeat {
        return Err(crate::error::AppError::invalid(Field::Password, crate::error::Problem::Mismatch));
    }
    let lang = crate::auth::ssr::cookie_lang();
    self::ssr::first_run(&state.db, &login, &display_name, &password, lang).await?;
    let ip = crate::auth::ssr::client_ip(&state.config);
    let (_, token) = crate::auth::ssr::login(&state.db, &login, &password, &ip).await?;
    crate::auth::ssr::set_session_cookie(&state.config, &token);
    Ok(())
}

#[server(endpoint = "users_list", output = TextJson)]
pub async fn list_users() -> AppResult<Vec<UserRow>> {
    let (state, me) = crate::auth::ssr::require_user().await?;
    ssr::list(&state.db, &me).await
}

#[server(endpoint = "users_create", output = TextJson)]
pub async fn create_user(login: String, display_name: String, password: String, role: String) -> AppResult<UserRow> {
    let (state, me) = crate::auth::ssr::require_user().await?;
    let role = ssr::parse_role(&role)?;
    ssr::create(&state.db, &me, NewUser { login, display_name, password, role }).await
}

#[server(endpoint = "users_set_role", output = TextJson)]
pub async fn set_user_role(id: i64, version: i32, role: String) -> AppResult<UserRow> {
    let (state, me) = crate::auth::ssr::require_user().await?;
    let role = ssr::parse_role(&role)?;
    ssr::set_role(&state.db, &me, UserId(id), version, role).await
}

#[server(endpoint = "users_set_active", output = TextJson)]
pub async fn set_user_active(id: i64, version: i32, active: bool) -> AppResult<UserRow> {
    let (state, me) = crate::auth::ssr::require_user().await?;
    ssr::set_active(&state.db, &me, UserId(id), version, active).await
}

#[server(endpoint = "users_reset_password", output = TextJson)]
pub async fn reset_user_password(id: i64, password: String) -> AppResult<()> {
    let (state, me) = crate::auth::ssr::require_user().await?;
    ssr::reset_password(&state.db, &me, UserId(id), &password, crate::auth::ssr::session_token().as_deref()).await
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let lang = use_lang();
    let create = ServerAction::<CreateUser>::new();
    let set_role = ServerAction::<SetUserRole>::new();
    let set_active = ServerAction::<SetUserActive>::new();
    let reset = ServerAction::<ResetUserPassword>::new();
    let users = Resource::new(move || (create.version().get(), set_role.version().get(), set_active.version().get()), |_| list_users());
    let create_error = Signal::derive(move || create.value().get().and_then(|r| r.err()));
    let row_error = Signal::derive(move || set_role.value().get().and_then(|r| r.err()).or_else(|| set_active.value().get().and_then(|r| r.err())));
    let reset_error = Signal::derive(move || reset.value().get().and_then(|r| r.err()));
    view! {
        <section class="panel">
            <h1>{Msg::UsersTitle.text(lang)}</h1>
            <FormError error=row_error />
            <FormError error=reset_error />
            <Show when=move || matches!(reset.value().get(), Some(Ok(())))>
                <p class="notice ok">{Msg::UsersPasswordReset.text(lang)}</p>
            </Show>
            <Transition fallback=move || view! { <p>{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    match users.await {
                        Ok(rows) => view! {
                            <table class="data" id="users-table">
                                <thead><tr>
                                    <th>{Msg::FieldLogin.text(lang)}</th>
                                    <th>{Msg::FieldDisplayName.text(lang)}</th>
                                    <th>{Msg::FieldRole.text(lang)}</th>
                                    <th>{Msg::UsersStatus.text(lang)}</th>
                                    <th>{Msg::UsersActions.text(lang)}</th>
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|row| view! {
                                        <UserRowView row=row set_role=set_role set_active=set_active reset=reset />
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.erase(),
                        Err(err) => refused(&err, lang),
                    }
                })}
            </Transition>
        </section>
        <section class="panel narrow">
            <h2>{Msg::UsersNew.text(lang)}</h2>
            <ActionForm action=create attr:id="new-user-form">{view! {
                <label>
                    {Msg::FieldLogin.text(lang)}
                    <input type="text" name="login" required />
                    <FieldError error=create_error field=Field::Login />
                </label>
                <label>
                    {Msg::FieldDisplayName.text(lang)}
                    <input type="text" name="display_name" required />
                    <FieldError error=create_error field=Field::DisplayName />
                </label>
                <label>
                    {Msg::FieldPassword.text(lang)}
                    <input type="password" name="password" autocomplete="new-password" required />
                    <FieldError error=create_error field=Field::Password />
                </label>
                <label>
                    {Msg::FieldRole.text(lang)}
                    <RoleSelect selected=Role::Member />
                </label>
                <FormError error=create_error />
                <Show when=move || matches!(create.value().get(), Some(Ok(_)))>
                    <p class="notice ok">{Msg::UsersCreated.text(lang)}</p>
                </Show>
                <button type="submit" class="primary" disabled=move || create.pending().get()>
                    {Msg::UsersCreate.text(lang)}
                </button>
            }.erase()}</ActionForm>
        </section>
    }
}

#[component]
fn RoleSelect(selected: Role) -> impl IntoView {
    let lang = use_lang();
    view! {
        <select name="role" aria-label=Msg::FieldRole.text(lang)>
            {Role::ALL.into_iter().map(|role| view! {
                <option value=role.code() selected=role == selected>{role.label().text(lang)}</option>
            }).collect_view()}
        </select>
    }
}

#[component]
fn UserRowView(
    row: UserRow,
    set_role: ServerAction<SetUserRole>,
    set_active: ServerAction<SetUserActive>,
    reset: ServerAction<ResetUserPassword>,
) -> impl IntoView {
    let lang = use_lang();
    let (id, version) = (row.id.0, row.version);
    let status = if row.active { Msg::UsersActive } else { Msg::UsersInactive };
    let toggle_label = if row.active { Msg::UsersDeactivate } else { Msg::UsersReactivate };
    view! {
        <tr data-login=row.login.clone() class:inactive=!row.active>
            <td>{row.login.clone()}</td>
            <td>{row.display_name.clone()}</td>
            <td>
                <ActionForm action=set_role attr:class="inline">{view! {
                    <input type="hidden" name="id" value=id />
                    <input type="hidden" name="version" value=version />
                    <RoleSelect selected=row.role />
                    <button type="submit">{Msg::UsersSetRole.text(lang)}</button>
                }.erase()}</ActionForm>
            </td>
            <td>{status.text(lang)}</td>
            <td class="actions">
                <ActionForm action=set_active attr:class="inline">{view! {
                    <input type="hidden" name="id" value=id />
                    <input type="hidden" name="version" value=version />
                    <input type="hidden" name="active" value=(!row.active).to_string() />
                    <button type="submit" class="toggle-active">{toggle_label.text(lang)}</button>
                }.erase()}</ActionForm>
                <ActionForm action=reset attr:class="inline">{view! {
                    <input type="hidden" name="id" value=id />
                    <input type="password" name="password" autocomplete="new-password" required
                        placeholder=Msg::FieldNewPassword.text(lang) />
                    <button type="submit">{Msg::UsersResetPassword.text(lang)}</button>
                }.erase()}</ActionForm>
            </td>
        </tr>
    }
}
