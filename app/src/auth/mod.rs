//! Who is using Vendita: roles, the signed-in user, login, first run, logout, language, password.

#[cfg(feature = "ssr")]
pub mod scope;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::codec::TextJson;
pub use crate::codes::Role;
#[cfg(feature = "ssr")]
use crate::error::AppError;
use crate::error::AppResult;
use crate::i18n::Lang;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::ids::UserId;

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
    let lang = Lang::from_code(&lang).ok_or(AppError::invalid(crate::error::Field::Language, crate::error::Problem::Invalid))?;
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
        return Err(AppError::invalid(crate::error::Field::NewPassword, crate::error::Problem::Mismatch));
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
