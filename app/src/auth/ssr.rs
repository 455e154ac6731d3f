//! Server side of identity: password hashing, database sessions, the login rate limit, and the
//! glue every server function uses to find the acting user.

use super::{CurrentUser, Role, UserId, Viewer};
use crate::db::entities::{login_attempts, sessions, users};
use crate::error::{AppError, AppResult, Field, Problem};
use crate::i18n::Lang;
use crate::state::{AppState, Config};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::Utc;
use http::header::{COOKIE, SET_COOKIE};
use http::HeaderValue;
use leptos::prelude::*;
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::*;
use sha2::{Digest, Sha256};
use std::future::Future;

pub const SESSION_COOKIE: &str = "vendita_session";
pub const LANG_COOKIE: &str = "vendita_lang";

/// Failed logins allowed per account, and per client address, within `RATE_WINDOW`.
pub const MAX_FAILURES_PER_LOGIN: u64 = 5;
pub const MAX_FAILURES_PER_IP: u64 = 20;
pub const RATE_WINDOW: chrono::Duration = chrono::Duration::minutes(15);

// ---------------------------------------------------------------- passwords

pub const MIN_PASSWORD_LEN: usize = 8;
const MAX_PASSWORD_LEN: usize = 256;

pub fn validate_password(field: Field, password: &str) -> AppResult<()> {
    let len = password.chars().count();
    if len < MIN_PASSWORD_LEN {
        return Err(AppError::invalid(field, Problem::TooShort));
    }
    if len > MAX_PASSWORD_LEN {
        return Err(AppError::invalid(field, Problem::TooLong));
    }
    Ok(())
}

/// argon2id with the crate's default parameters. Blocking: call through `hash_password`.
pub fn hash_password_blocking(password: &str) -> String {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).expect("argon2 hashing").to_string()
}

pub async fn hash_password(password: &str) -> AppResult<String> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || hash_password_blocking(&password)).await.map_err(|_| AppError::Internal)
}

pub async fn verify_password(hash: &str, password: &str) -> bool {
    let (hash, password) = (hash.to_string(), password.to_string());
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .unwrap_or(false)
}

// ---------------------------------------------------------------- users as identities

pub fn to_current_user(model: &users::Model) -> CurrentUser {
    CurrentUser {
        id: UserId(model.id),
        login: model.login.clone(),
        display_name: model.display_name.clone(),
        role: Role::from_code(&model.role).unwrap_or(Role::Member),
        lang: Lang::from_code(&model.language).unwrap_or_default(),
    }
}

pub async fn no_user_exists(db: &impl ConnectionTrait) -> AppResult<bool> {
    Ok(users::Entity::find().one(db).await?.is_none())
}

/// Creates the first administrator, and only while no user exists.
pub async fn first_run(db: &DatabaseConnection, login: &str, display_name: &str, password: &str, lang: Lang) -> AppResult<CurrentUser> {
    let new = crate::users::NewUser {
        login: login.to_string(),
        display_name: display_name.to_string(),
        password: password.to_string(),
        role: Role::Admin,
    };
    crate::users::ssr::validate_new_user(&new)?;
    let hash = hash_password(password).await?;
    let user = crate::db::transaction(db, |txn| {
        Box::pin(async move {
            // Two first-run forms sent at once: the lock makes the second see the first's admin.
            if ConnectionTrait::get_database_backend(txn) == DbBackend::Postgres {
                txn.execute_unprepared("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE").await?;
            }
            if !no_user_exists(txn).await? {
                return Err(AppError::AlreadySetUp);
            }
            crate::users::ssr::insert_user(txn, &new, hash, lang).await
        })
    })
    .await?;
    Ok(to_current_user(&user))
}

// ---------------------------------------------------------------- login and its rate limit

fn login_key(login: &str) -> String {
    login.trim().to_lowercase()
}

/// Checks the password, counting failures per account and per client address. Returns the user
/// and a fresh session token (a new id at every login).
pub async fn login(db: &DatabaseConnection, login: &str, password: &str, ip: &str) -> AppResult<(CurrentUser, String)> {
    let key = login_key(login);
    let since = Utc::now() - RATE_WINDOW;
    let by_login = login_attempts::Entity::find()
        .filter(login_attempts::Column::Login.eq(key.clone()))
        .filter(login_attempts::Column::AttemptedAt.gt(since))
        .count(db)
        .await?;
    let by_ip = login_attempts::Entity::find()
        .filter(login_attempts::Column::Ip.eq(ip))
        .filter(login_attempts::Column::AttemptedAt.gt(since))
        .count(db)
        .await?;
    if by_login >= MAX_FAILURES_PER_LOGIN || by_ip >= MAX_FAILURES_PER_IP {
        return Err(AppError::RateLimited);
    }
    let user = users::Entity::find().filter(users::Column::Login.eq(key.clone())).one(db).await?;
    let ok = match &user {
        Some(u) => verify_password(&u.password_hash, password).await && u.active,
        None => {
            // Spend the same time as a real check, so timing does not reveal which logins exist.
            let _ = hash_password(password).await;
            false
        }
    };
    let Some(user) = user.filter(|_| ok) else {
        login_attempts::ActiveModel {
            login: Set(key),
            ip: Set(ip.to_string()),
            attempted_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await?;
        return Err(AppError::BadCredentials);
    };
    login_attempts::Entity::delete_many().filter(login_attempts::Column::Login.eq(key)).exec(db).await?;
    let token = create_session(db, UserId(user.id), ip).await?;
    Ok((to_current_user(&user), token))
}

// ---------------------------------------------------------------- sessions

fn token_id(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Stores only the token's hash: a copy of the database does not hand out live sessions.
pub async fn create_session(db: &impl ConnectionTrait, user: UserId, ip: &str) -> AppResult<String> {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let now = Utc::now();
    sessions::ActiveModel {
        id: Set(token_id(&token)),
        user_id: Set(user.0),
        created_at: Set(now),
        last_seen_at: Set(now),
        ip: Set(Some(ip.to_string())),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The active user behind a session token, if the session exists and has not been idle too long.
pub async fn user_for_token(db: &DatabaseConnection, config: &Config, token: &str) -> AppResult<Option<CurrentUser>> {
    let id = token_id(token);
    let Some((session, Some(user))) = sessions::Entity::find_by_id(id.clone()).find_also_related(users::Entity).one(db).await? else {
        return Ok(None);
    };
    let now = Utc::now();
    let idle = chrono::Duration::from_std(config.idle_timeout).unwrap_or(chrono::Duration::hours(8));
    if now - session.last_seen_at > idle || !user.active {
        sessions::Entity::delete_by_id(id).exec(db).await?;
        return Ok(None);
    }
    // Touch at most once a minute: reads stay reads.
    if now - session.last_seen_at > chrono::Duration::minutes(1) {
        sessions::Entity::update_many()
            .col_expr(sessions::Column::LastSeenAt, Expr::value(now))
            .filter(sessions::Column::Id.eq(id))
            .exec(db)
            .await?;
    }
    Ok(Some(to_current_user(&user)))
}

pub async fn end_session(db: &DatabaseConnection, token: &str) -> AppResult<()> {
    sessions::Entity::delete_by_id(token_id(token)).exec(db).await?;
    Ok(())
}

pub async fn end_sessions_of(db: &impl ConnectionTrait, user: UserId) -> AppResult<()> {
    sessions::Entity::delete_many().filter(sessions::Column::UserId.eq(user.0)).exec(db).await?;
    Ok(())
}

// ---------------------------------------------------------------- profile

pub async fn set_language(db: &DatabaseConnection, user: &CurrentUser, lang: Lang) -> AppResult<()> {
    users::Entity::update_many()
        .col_expr(users::Column::Language, Expr::value(lang.code()))
        .filter(users::Column::Id.eq(user.id.0))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn change_password(db: &DatabaseConnection, user: &CurrentUser, current: &str, new: &str) -> AppResult<()> {
    let model = users::Entity::find_by_id(user.id.0).one(db).await?.ok_or(AppError::NotFound)?;
    if !verify_password(&model.password_hash, current).await {
        return Err(AppError::invalid(Field::Password, Problem::Invalid));
    }
    validate_password(Field::NewPassword, new)?;
    let hash = hash_password(new).await?;
    users::Entity::update_many()
        .col_expr(users::Column::PasswordHash, Expr::value(hash))
        .col_expr(users::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(users::Column::Id.eq(user.id.0))
        .exec(db)
        .await?;
    Ok(())
}

// ---------------------------------------------------------------- glue for server functions

/// The shared state, provided as context by the server.
pub fn state() -> AppResult<AppState> {
    use_context::<AppState>().ok_or(AppError::Internal)
}

fn cookie(name: &str) -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    cookie_in(&parts.headers, name)
}

fn cookie_in(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers.get_all(COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}

pub fn session_token() -> Option<String> {
    cookie(SESSION_COOKIE)
}

/// The language cookie's language (Italian without one).
fn lang_in(headers: &http::HeaderMap) -> Lang {
    cookie_in(headers, LANG_COOKIE).and_then(|c| Lang::from_code(&c)).unwrap_or_default()
}

pub fn cookie_lang() -> Lang {
    use_context::<http::request::Parts>().map(|p| lang_in(&p.headers)).unwrap_or_default()
}

/// The client's address as the server saw the connection.
pub fn client_ip() -> String {
    use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip().to_string()))
        .unwrap_or_else(|| "unknown".to_string())
}

/// The signed-in user of the request being answered, looked up once: a page's resources each ask
/// for him. The server provides an empty one with every request.
#[derive(Clone, Default)]
pub struct RequestUser(std::sync::Arc<tokio::sync::OnceCell<Option<CurrentUser>>>);

pub async fn current_user(state: &AppState) -> AppResult<Option<CurrentUser>> {
    // A page's server functions, called while the page is drawn: its viewer is already known.
    if let Some(viewer) = use_context::<Viewer>() {
        return Ok(viewer.user);
    }
    let lookup = || async {
        match session_token() {
            Some(token) => user_for_token(&state.db, &state.config, &token).await,
            None => Ok(None),
        }
    };
    match use_context::<RequestUser>() {
        Some(memo) => memo.0.get_or_try_init(lookup).await.cloned(),
        None => lookup().await,
    }
}

/// The state and the signed-in user, or `Unauthenticated`.
pub async fn require_user() -> AppResult<(AppState, CurrentUser)> {
    let state = state()?;
    let user = current_user(&state).await?.ok_or(AppError::Unauthenticated)?;
    Ok((state, user))
}

/// Runs a server function's body and gives a refusal its HTTP status (403, 409, 422, …).
pub async fn respond<T>(body: impl Future<Output = AppResult<T>>) -> AppResult<T> {
    let result = body.await;
    if let Err(err) = &result {
        if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
            options.set_status(err.status());
        }
    }
    result
}

fn set_cookie(value: String) {
    if let (Some(options), Ok(value)) = (use_context::<leptos_axum::ResponseOptions>(), HeaderValue::from_str(&value)) {
        options.append_header(SET_COOKIE, value);
    }
}

fn cookie_attributes(config: &Config) -> &'static str {
    if config.secure_cookies { "; Path=/; HttpOnly; SameSite=Lax; Secure" } else { "; Path=/; HttpOnly; SameSite=Lax" }
}

pub fn set_session_cookie(config: &Config, token: &str) {
    set_cookie(format!("{SESSION_COOKIE}={token}{}", cookie_attributes(config)));
}

pub fn clear_session_cookie(config: &Config) {
    set_cookie(format!("{SESSION_COOKIE}={}; Max-Age=0", cookie_attributes(config)));
}

pub fn set_lang_cookie(config: &Config, lang: Lang) {
    set_cookie(format!("{LANG_COOKIE}={}{}; Max-Age=31536000", lang.code(), cookie_attributes(config)));
}

/// Who is looking at a page, worked out by the page routes' middleware before the page is drawn
/// and kept in the request's extensions: the page then draws at once, without a `Suspense` around
/// it (see `shell::Page`), and the browser hydrates with the same viewer (`data-viewer`).
#[derive(Clone)]
pub struct PageViewer(pub Viewer);

/// The viewer of a request: its signed-in user, his language (or the language cookie's), and
/// whether the first administrator is still to be created.
pub async fn viewer_of(state: &AppState, user: Option<CurrentUser>, cookie_lang: Lang) -> AppResult<Viewer> {
    let needs_setup = user.is_none() && no_user_exists(&state.db).await?;
    let lang = user.as_ref().map(|u| u.lang).unwrap_or(cookie_lang);
    Ok(Viewer { user, lang, needs_setup })
}

/// [`viewer_of`] a plain request, from its headers.
pub async fn viewer_from_headers(state: &AppState, headers: &http::HeaderMap) -> AppResult<Viewer> {
    let user = user_from_headers(state, headers).await?;
    viewer_of(state, user, lang_in(headers)).await
}

/// The signed-in user of a plain (non server-function) request, such as the Excel download.
pub async fn user_from_headers(state: &AppState, headers: &http::HeaderMap) -> AppResult<Option<CurrentUser>> {
    match cookie_in(headers, SESSION_COOKIE) {
        Some(token) => user_for_token(&state.db, &state.config, &token).await,
        None => Ok(None),
    }
}
