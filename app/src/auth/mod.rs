//! Who is using Vendita: roles, the signed-in user, login, first run, logout, language, password.

#[cfg(feature = "ssr")]
pub mod ssr;

use crate::codec::TextJson;
#[cfg(feature = "ssr")]
use crate::error::AppError;
use crate::error::{AppResult, Field};
use crate::i18n::{Lang, Msg};
use crate::shell::{Erase, FieldError, FormError, use_lang};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct UserId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum Role {
    Admin,
    Manager,
    Member,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Manager, Role::Member];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Member => "member",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> Msg {
        match self {
            Role::Admin => Msg::RoleAdmin,
            Role::Manager => Msg::RoleManager,
            Role::Member => Msg::RoleMember,
        }
    }

    /// Admins and managers (*Responsabili*) configure the CRM and see every seller.
    pub fn is_manager(self) -> bool {
        matches!(self, Role::Admin | Role::Manager)
    }
}

/// The signed-in user, as every domain function receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: UserId,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub lang: Lang,
}

/// What the page needs to know before drawing anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub user: Option<CurrentUser>,
    pub lang: Lang,
    /// No user exists yet: the first-run page creates the administrator.
    pub needs_setup: bool,
}

#[server(endpoint = "viewer", output = TextJson)]
pub async fn get_viewer() -> AppResult<Viewer> {
    let state = ssr::state()?;
    let user = ssr::current_user(&state).await?;
    ssr::viewer_of(&state, user, ssr::cookie_lang()).await
}

#[server(endpoint = "login", output = TextJson)]
pub async fn login(login: String, password: String) -> AppResult<()> {
    let state = ssr::state()?;
    let ip = ssr::client_ip(&state.config);
    let (_, token) = ssr::login(&state.db, &login, &password, &ip).await?;
    ssr::set_session_cookie(&state.config, &token);
    Ok(())
}

#[server(endpoint = "first_run", output = TextJson)]
pub async fn first_run(login: String, display_name: String, password: String, password_repeat: String) -> AppResult<()> {
    let state = ssr::state()?;
    if password != password_repeat {
        return Err(AppError::invalid(Field::Password, crate::error::Problem::Mismatch));
    }
    let lang = ssr::cookie_lang();
    ssr::first_run(&state.db, &login, &display_name, &password, lang).await?;
    let ip = ssr::client_ip(&state.config);
    let (_, token) = ssr::login(&state.db, &login, &password, &ip).await?;
    ssr::set_session_cookie(&state.config, &token);
    Ok(())
}

#[server(endpoint = "logout", output = TextJson)]
pub async fn logout() -> AppResult<()> {
    let state = ssr::state()?;
    if let Some(token) = ssr::session_token() {
        ssr::end_session(&state.db, &token).await?;
    }
    ssr::clear_session_cookie(&state.config);
    Ok(())
}

/// Works signed in (kept on the user) and signed out (kept in a cookie for the login page).
#[server(endpoint = "set_language", output = TextJson)]
pub async fn set_language(lang: String) -> AppResult<()> {
    let state = ssr::state()?;
    let lang = Lang::from_code(&lang).ok_or(AppError::invalid(Field::Language, crate::error::Problem::Invalid))?;
    if let Some(user) = ssr::current_user(&state).await? {
        ssr::set_language(&state.db, &user, lang).await?;
    }
    ssr::set_lang_cookie(&state.config, lang);
    Ok(())
}

#[server(endpoint = "change_password", output = TextJson)]
pub async fn change_password(current: String, new_password: String, new_password_repeat: String) -> AppResult<()> {
    let (state, user) = ssr::require_user().await?;
    if new_password != new_password_repeat {
        return Err(AppError::invalid(Field::NewPassword, crate::error::Problem::Mismatch));
    }
    let ip = ssr::client_ip(&state.config);
    ssr::change_password(&state.db, &user, &current, &new_password, ssr::session_token().as_deref(), &ip).await
}

/// Reloads the whole page: after signing in or out, or a language change, everything is drawn anew.
pub fn reload_to(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().set_href(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<Login>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            reload_to("/");
        }
    });
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    view! {
        <section class="auth-card">
            <h1>{Msg::LoginTitle.text(lang)}</h1>
            <ActionForm action=action attr:id="login-form">{view! {
                <label>
                    {Msg::FieldLogin.text(lang)}
                    <input type="text" name="login" autocomplete="username" required autofocus />
                </label>
                <label>
                    {Msg::FieldPassword.text(lang)}
                    <input type="password" name="password" autocomplete="current-password" required />
                </label>
                <FormError error=error />
                <button type="submit" class="primary" disabled=move || action.pending().get()>
                    {Msg::Login.text(lang)}
                </button>
            }.erase()}</ActionForm>
            <crate::shell::LanguageSwitch />
        </section>
    }
}

#[component]
pub fn FirstRunPage() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<FirstRun>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            reload_to("/");
        }
    });
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    view! {
        <section class="auth-card">
            <h1>{Msg::FirstRunTitle.text(lang)}</h1>
            <p class="intro">{Msg::FirstRunIntro.text(lang)}</p>
            <ActionForm action=action attr:id="first-run-form">{view! {
                <label>
                    {Msg::FieldLogin.text(lang)}
                    <input type="text" name="login" autocomplete="username" required />
                    <FieldError error=error field=Field::Login />
                </label>
                <label>
                    {Msg::FieldDisplayName.text(lang)}
                    <input type="text" name="display_name" autocomplete="name" required />
                    <FieldError error=error field=Field::DisplayName />
                </label>
                <label>
                    {Msg::FieldPassword.text(lang)}
                    <input type="password" name="password" autocomplete="new-password" required />
                    <FieldError error=error field=Field::Password />
                </label>
                <label>
                    {Msg::PasswordRepeat.text(lang)}
                    <input type="password" name="password_repeat" autocomplete="new-password" required />
                </label>
                <FormError error=error />
                <button type="submit" class="primary" disabled=move || action.pending().get()>
                    {Msg::FirstRunSubmit.text(lang)}
                </button>
            }.erase()}</ActionForm>
            <crate::shell::LanguageSwitch />
        </section>
    }
}

#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<ChangePassword>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let done = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <section class="panel narrow">
            <h1>{Msg::ChangePassword.text(lang)}</h1>
            <ActionForm action=action attr:id="change-password-form">{view! {
                <label>
                    {Msg::CurrentPassword.text(lang)}
                    <input type="password" name="current" autocomplete="current-password" required />
                    <FieldError error=error field=Field::Password />
                </label>
                <label>
                    {Msg::FieldNewPassword.text(lang)}
                    <input type="password" name="new_password" autocomplete="new-password" required />
                    <FieldError error=error field=Field::NewPassword />
                </label>
                <label>
                    {Msg::PasswordRepeat.text(lang)}
                    <input type="password" name="new_password_repeat" autocomplete="new-password" required />
                </label>
                <FormError error=error />
                <Show when=done>
                    <p class="notice ok">{Msg::PasswordChanged.text(lang)}</p>
                </Show>
                <button type="submit" class="primary" disabled=move || action.pending().get()>
                    {Msg::Save.text(lang)}
                </button>
            }.erase()}</ActionForm>
        </section>
    }
}
