//! Server side of identity: password hashing, database sessions, the login rate limit, and the
//! glue every server function uses to find the acting user.

use super::{CurrentUser, UserId, Viewer};
use crate::db::entities::{login_attempts, sessions, users};
use crate::error::{AppError, AppResult, Field, Problem};
use crate::i18n::Lang;
use crate::state::{AppState, Config};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use chrono::Utc;
use http::HeaderValue;
use http::header::SET_COOKIE;
use leptos::prelude::*;
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::*;
use sha2::{Digest, Sha256};

pub const SESSION_COOKIE: &str = "vendita_session";
pub const LANG_COOKIE: &str = "vendita_lang";

/// Password checks allowed per account within `RATE_WINDOW` while they fail: the sixth guess is
/// refused (429) without checking, however many arrive at once.
pub const MAX_FAILURES_PER_LOGIN: u64 = 5;
/// Failures from one client address within `RATE_WINDOW` after which every further attempt from
/// it waits `ADDRESS_DELAY` before its check. Never a refusal: an office behind one NAT address
/// keeps signing in with right passwords while someone there guesses; the guesser is slowed and
/// each account he tries stops at `MAX_FAILURES_PER_LOGIN`.
pub const MAX_FAILURES_PER_IP: u64 = 20;
pub const ADDRESS_DELAY: std::time::Duration = std::time::Duration::from_secs(1);
pub const RATE_WINDOW: chrono::Duration = chrono::Duration::minutes(15);

// ---------------------------------------------------------------- passwords

pub const MIN_PASSWORD_LEN: usize = 8;
pub const MAX_PASSWORD_LEN: usize = 256;

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

/// Password hashing is the costliest thing the server does (tens of milliseconds of one core,
/// 19 MiB): at most one hash per core runs at a time, server-wide, and the rest wait their turn
/// without holding a thread. A flood of sign-ins queues here and never starves the other requests.
static HASHING: std::sync::LazyLock<tokio::sync::Semaphore> =
    std::sync::LazyLock::new(|| tokio::sync::Semaphore::new(std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2)));

static HASHES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Password hashes and checks run by this process so far.
pub fn hashes_done() -> u64 {
    HASHES.load(std::sync::atomic::Ordering::Relaxed)
}

async fn hashing_turn<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> AppResult<T> {
    let _turn = HASHING.acquire().await.map_err(|_| AppError::Internal)?;
    HASHES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    tokio::task::spawn_blocking(work).await.map_err(|_| AppError::Internal)
}

pub async fn hash_password(password: &str) -> AppResult<String> {
    let password = password.to_string();
    hashing_turn(move || hash_password_blocking(&password)).await
}

pub async fn verify_password(hash: &str, password: &str) -> bool {
    let (hash, password) = (hash.to_string(), password.to_string());
    hashing_turn(move || PasswordHash::new(&hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()))
        .await
        .unwrap_or(false)
}

// ---------------------------------------------------------------- users as identities

/// The user a row describes; a language this build does not know is an error naming the row.
pub fn to_current_user(model: &users::Model) -> AppResult<CurrentUser> {
    Ok(CurrentUser {
        id: UserId(model.id),
        login: model.login.clone(),
        display_name: model.display_name.clone(),
        role: model.role,
        lang: crate::db::decoded("users", model.id, &model.language, Lang::from_code(&model.language))?,
    })
}

/// The longest login name.
pub const MAX_LOGIN_LEN: usize = 64;

/// Managers and admins configure the CRM, import, export and undo; members read.
pub fn require_manager(actor: &CurrentUser) -> AppResult<()> {
    if actor.role.is_manager() { Ok(()) } else { Err(AppError::Forbidden) }
}

pub async fn no_user_exists(db: &impl ConnectionTrait) -> AppResult<bool> {
    Ok(users::Entity::find().one(db).await?.is_none())
}

// ---------------------------------------------------------------- login and its rate limit

fn login_key(login: &str) -> String {
    login.trim().to_lowercase()
}

/// Takes one of the account's guesses, atomically: in one transaction (on PostgreSQL under an
/// advisory lock on the login, so that several server processes agree) it counts the account's
/// recent failures and records this attempt as one more. A burst of parallel attempts thus gets
/// exactly `MAX_FAILURES_PER_LOGIN` password checks; a right password then clears the record.
async fn take_guess(db: &DatabaseConnection, key: &str, ip: &str) -> AppResult<()> {
    let (key, ip) = (key.to_string(), ip.to_string());
    crate::db::transaction(db, |txn| {
        Box::pin(async move {
            if ConnectionTrait::get_database_backend(txn) == DbBackend::Postgres {
                txn.execute_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    "SELECT pg_advisory_xact_lock(hashtext($1)::bigint)",
                    [key.clone().into()],
                ))
                .await?;
            }
            let failures = login_attempts::Entity::find()
                .filter(login_attempts::Column::Login.eq(key.clone()))
                .filter(login_attempts::Column::AttemptedAt.gt(Utc::now() - RATE_WINDOW))
                .count(txn)
                .await?;
            if failures >= MAX_FAILURES_PER_LOGIN {
                return Err(AppError::RateLimited);
            }
            login_attempts::ActiveModel { login: Set(key), ip: Set(ip), attempted_at: Set(Utc::now()), ..Default::default() }.insert(txn).await?;
            Ok(())
        })
    })
    .await
}

/// Whether `ip` has failed more than `MAX_FAILURES_PER_IP` times within the rate window (its
/// sign-ins then wait `ADDRESS_DELAY`).
pub async fn address_is_slowed(db: &DatabaseConnection, ip: &str) -> AppResult<bool> {
    let by_ip = login_attempts::Entity::find()
        .filter(login_attempts::Column::Ip.eq(ip))
        .filter(login_attempts::Column::AttemptedAt.gt(Utc::now() - RATE_WINDOW))
        .count(db)
        .await?;
    Ok(by_ip > MAX_FAILURES_PER_IP)
}

/// Unknown offer links opened from one address within `RATE_WINDOW` after which the address is
/// refused (429) every link, a right one included, until the window passes: 256-bit tokens are not
/// found by guessing, and a guesser is stopped after a handful of tries.
pub const MAX_LINK_FAILURES: u64 = 20;
/// The `login_attempts` key of the offer links' failures (no login can be written with `#`).
const LINK_KEY: &str = "#offer-link";

/// Refuses `ip` once it has opened `MAX_LINK_FAILURES` unknown links within the rate window.
pub async fn link_guess(db: &DatabaseConnection, ip: &str) -> AppResult<()> {
    let failures = login_attempts::Entity::find()
        .filter(login_attempts::Column::Login.eq(LINK_KEY))
        .filter(login_attempts::Column::Ip.eq(ip))
        .filter(login_attempts::Column::AttemptedAt.gt(Utc::now() - RATE_WINDOW))
        .count(db)
        .await?;
    if failures >= MAX_LINK_FAILURES { Err(AppError::RateLimited) } else { Ok(()) }
}

/// Records that `ip` opened an unknown link.
pub async fn link_failed(db: &DatabaseConnection, ip: &str) -> AppResult<()> {
    login_attempts::ActiveModel { login: Set(LINK_KEY.to_string()), ip: Set(ip.to_string()), attempted_at: Set(Utc::now()), ..Default::default() }
        .insert(db)
        .await?;
    Ok(())
}

/// Checks the password within the account's limit (`take_guess`), slowing an address that has
/// failed often (`MAX_FAILURES_PER_IP`). Returns the user and a fresh session token (a new id at
/// every login).
pub async fn login(db: &DatabaseConnection, login: &str, password: &str, ip: &str) -> AppResult<(CurrentUser, String)> {
    let key = login_key(login);
    // No account has a login or a password this long: refused before anything is recorded or hashed.
    if key.chars().count() > MAX_LOGIN_LEN || password.chars().count() > MAX_PASSWORD_LEN {
        return Err(AppError::BadCredentials);
    }
    take_guess(db, &key, ip).await?;
    if address_is_slowed(db, ip).await? {
        tokio::time::sleep(ADDRESS_DELAY).await;
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
        // The guess taken stays recorded as a failure.
        return Err(AppError::BadCredentials);
    };
    login_attempts::Entity::delete_many().filter(login_attempts::Column::Login.eq(key)).exec(db).await?;
    let token = create_session(db, UserId(user.id), ip).await?;
    Ok((to_current_user(&user)?, token))
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
    if expired(config, &session, now) || !user.active {
        sessions::Entity::delete_by_id(id).exec(db).await?;
        return Ok(None);
    }
    // Touch at most once a minute: reads stay reads. The touch never fails or holds up the page:
    // while another write holds the database (a long import on SQLite) it waits for a later request.
    if now - session.last_seen_at > chrono::Duration::minutes(1) {
        let touch = sessions::Entity::update_many().col_expr(sessions::Column::LastSeenAt, Expr::value(now)).filter(sessions::Column::Id.eq(id));
        if let Err(err) = crate::db::if_writer_free(db, touch.exec(db)).await {
            tracing::debug!(error = ?err, "session touch skipped");
        }
    }
    Ok(Some(to_current_user(&user)?))
}

fn lifetimes(config: &Config) -> (chrono::Duration, chrono::Duration) {
    let idle = chrono::Duration::from_std(config.idle_timeout).unwrap_or(chrono::Duration::hours(8));
    let absolute = chrono::Duration::from_std(config.session_lifetime).unwrap_or(chrono::Duration::days(30));
    (idle, absolute)
}

/// Idle too long, or older than the absolute lifetime however busy.
fn expired(config: &Config, session: &sessions::Model, now: chrono::DateTime<Utc>) -> bool {
    let (idle, absolute) = lifetimes(config);
    now - session.last_seen_at > idle || now - session.created_at > absolute
}

/// Deletes the sessions that have ended and the login attempts older than the rate window (run at
/// start and daily by the server). Returns how many of each went.
pub async fn purge(db: &DatabaseConnection, config: &Config) -> AppResult<(u64, u64)> {
    let now = Utc::now();
    let (idle, absolute) = lifetimes(config);
    let sessions = sessions::Entity::delete_many()
        .filter(Condition::any().add(sessions::Column::LastSeenAt.lt(now - idle)).add(sessions::Column::CreatedAt.lt(now - absolute)))
        .exec(db)
        .await?
        .rows_affected;
    let attempts =
        login_attempts::Entity::delete_many().filter(login_attempts::Column::AttemptedAt.lt(now - RATE_WINDOW)).exec(db).await?.rows_affected;
    Ok((sessions, attempts))
}

pub async fn end_session(db: &DatabaseConnection, token: &str) -> AppResult<()> {
    sessions::Entity::delete_by_id(token_id(token)).exec(db).await?;
    Ok(())
}

/// Ends every session of the user but `except` (a session token: the one a change was made from).
pub async fn end_sessions_of(db: &impl ConnectionTrait, user: UserId, except: Option<&str>) -> AppResult<()> {
    let mut sessions = sessions::Entity::delete_many().filter(sessions::Column::UserId.eq(user.0));
    if let Some(token) = except {
        sessions = sessions.filter(sessions::Column::Id.ne(token_id(token)));
    }
    sessions.exec(db).await?;
    Ok(())
}

/// Stores a new password hash and ends the user's other sessions (all but `keep`) in one
/// transaction: no session opened with the old password outlives it.
pub async fn set_password_hash(db: &DatabaseConnection, user: UserId, hash: String, keep: Option<&str>) -> AppResult<()> {
    let keep = keep.map(str::to_string);
    crate::db::transaction(db, |txn| {
        Box::pin(async move {
            users::Entity::update_many()
                .col_expr(users::Column::PasswordHash, Expr::value(hash))
                .col_expr(users::Column::UpdatedAt, Expr::value(Utc::now()))
                .filter(users::Column::Id.eq(user.0))
                .exec(txn)
                .await?;
            end_sessions_of(txn, user, keep.as_deref()).await
        })
    })
    .await
}

// ---------------------------------------------------------------- profile

pub async fn set_language(db: &DatabaseConnection, user: &CurrentUser, lang: Lang) -> AppResult<()> {
    users::Entity::update_many().col_expr(users::Column::Language, Expr::value(lang.code())).filter(users::Column::Id.eq(user.id.0)).exec(db).await?;
    Ok(())
}

/// Changes the password and ends every other session of the user: a device that knew the old
/// password is signed out. `keep` is the session the change was made from.
///
/// The current password is a guess like a sign-in's: it takes one of the account's guesses
/// (`take_guess`), so a stolen session cookie gives `MAX_FAILURES_PER_LOGIN` tries in the rate
/// window, shared with the sign-in form, and then 429s; a right password clears the count.
pub async fn change_password(db: &DatabaseConnection, user: &CurrentUser, current: &str, new: &str, keep: Option<&str>, ip: &str) -> AppResult<()> {
    let model = users::Entity::find_by_id(user.id.0).one(db).await?.ok_or(AppError::NotFound)?;
    if current.chars().count() > MAX_PASSWORD_LEN {
        return Err(AppError::invalid(Field::Password, Problem::Invalid));
    }
    let key = login_key(&model.login);
    take_guess(db, &key, ip).await?;
    if !verify_password(&model.password_hash, current).await {
        return Err(AppError::invalid(Field::Password, Problem::Invalid));
    }
    login_attempts::Entity::delete_many().filter(login_attempts::Column::Login.eq(key)).exec(db).await?;
    validate_password(Field::NewPassword, new)?;
    let hash = hash_password(new).await?;
    set_password_hash(db, user.id, hash, keep).await
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
    CookieJar::from_headers(headers).get(name).map(|c| c.value().to_string())
}

pub fn session_token() -> Option<String> {
    cookie(SESSION_COOKIE)
}

/// The language cookie's language (Italian without one).
pub fn lang_in(headers: &http::HeaderMap) -> Lang {
    cookie_in(headers, LANG_COOKIE).and_then(|c| Lang::from_code(&c)).unwrap_or_default()
}

pub fn cookie_lang() -> Lang {
    use_context::<http::request::Parts>().map(|p| lang_in(&p.headers)).unwrap_or_default()
}

/// The client's address: the connection's, or, when the connection comes from one of the trusted
/// proxies (`VENDITA_TRUSTED_PROXIES`), the nearest address in `X-Forwarded-For` that is not one
/// of them. A client that is not a trusted proxy cannot choose its address with that header.
pub fn client_address(peer: Option<std::net::IpAddr>, headers: &http::HeaderMap, trusted: &[std::net::IpAddr]) -> String {
    let Some(peer) = peer else { return "unknown".to_string() };
    if !trusted.contains(&peer) {
        return peer.to_string();
    }
    let mut chain = Vec::new();
    for part in headers.get_all("x-forwarded-for").iter().flat_map(|v| v.to_str().unwrap_or("").split(',')) {
        match part.trim().parse::<std::net::IpAddr>() {
            Ok(ip) => chain.push(ip),
            Err(_) => return peer.to_string(),
        }
    }
    chain.into_iter().rev().find(|ip| !trusted.contains(ip)).unwrap_or(peer).to_string()
}

/// [`client_address`] of the request being answered.
pub fn client_ip(config: &Config) -> String {
    let Some(parts) = use_context::<http::request::Parts>() else { return "unknown".to_string() };
    let peer = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
    client_address(peer, &parts.headers, &config.trusted_proxies)
}

/// The signed-in user of the request being answered: the one way to him. The server's `identify`
/// middleware puts one in every request's extensions (pages, server functions, the download); it
/// looks the session up the first time something asks, once per request however many ask (a
/// page's middleware and each of its resources).
#[derive(Clone)]
pub struct RequestUser {
    token: Option<String>,
    user: std::sync::Arc<tokio::sync::OnceCell<Option<CurrentUser>>>,
}

impl RequestUser {
    /// The request's session cookie, not looked up yet.
    pub fn from_headers(headers: &http::HeaderMap) -> RequestUser {
        RequestUser { token: cookie_in(headers, SESSION_COOKIE), user: Default::default() }
    }

    /// The signed-in user, or `None` (no session, or an ended one).
    pub async fn get(&self, state: &AppState) -> AppResult<Option<CurrentUser>> {
        let lookup = || async {
            match &self.token {
                Some(token) => user_for_token(&state.db, &state.config, token).await,
                None => Ok(None),
            }
        };
        self.user.get_or_try_init(lookup).await.cloned()
    }
}

/// The signed-in user of a plain route (an upload, a download), as an axum extractor: refused
/// `Unauthenticated` (401) when nobody is signed in. Server functions reach him through
/// [`current_user`]; both read the request's [`RequestUser`].
pub struct SignedIn(pub CurrentUser);

impl<S> axum::extract::FromRequestParts<S> for SignedIn
where
    AppState: axum::extract::FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut http::request::Parts, state: &S) -> Result<SignedIn, AppError> {
        let state = <AppState as axum::extract::FromRef<S>>::from_ref(state);
        let Some(request_user) = parts.extensions.get::<RequestUser>().cloned() else {
            tracing::error!("a request without its RequestUser: the identify middleware is missing");
            return Err(AppError::Internal);
        };
        request_user.get(&state).await?.map(SignedIn).ok_or(AppError::Unauthenticated)
    }
}

/// The signed-in user of the server function being answered (see [`RequestUser`]).
pub async fn current_user(state: &AppState) -> AppResult<Option<CurrentUser>> {
    let parts = use_context::<http::request::Parts>().ok_or(AppError::Internal)?;
    let Some(request_user) = parts.extensions.get::<RequestUser>().cloned() else {
        tracing::error!("a request without its RequestUser: the identify middleware is missing");
        return Err(AppError::Internal);
    };
    request_user.get(state).await
}

/// The state and the signed-in user, or `Unauthenticated`.
pub async fn require_user() -> AppResult<(AppState, CurrentUser)> {
    let state = state()?;
    let user = current_user(&state).await?.ok_or(AppError::Unauthenticated)?;
    Ok((state, user))
}

fn set_cookie(cookie: Cookie<'static>) {
    if let (Some(options), Ok(value)) = (use_context::<leptos_axum::ResponseOptions>(), HeaderValue::from_str(&cookie.to_string())) {
        options.append_header(SET_COOKIE, value);
    }
}

/// Vendita's cookies: the whole site, out of the page's scripts' reach, not sent along with other
/// sites' requests, and only over HTTPS when `VENDITA_SECURE_COOKIES` says so.
fn our_cookie(config: &Config, name: &'static str, value: String) -> Cookie<'static> {
    Cookie::build((name, value)).path("/").http_only(true).same_site(SameSite::Lax).secure(config.secure_cookies).build()
}

pub fn set_session_cookie(config: &Config, token: &str) {
    set_cookie(our_cookie(config, SESSION_COOKIE, token.to_string()));
}

pub fn clear_session_cookie(config: &Config) {
    let mut cookie = our_cookie(config, SESSION_COOKIE, String::new());
    cookie.make_removal();
    set_cookie(cookie);
}

pub fn set_lang_cookie(config: &Config, lang: Lang) {
    let mut cookie = our_cookie(config, LANG_COOKIE, lang.code().to_string());
    cookie.make_permanent();
    set_cookie(cookie);
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
