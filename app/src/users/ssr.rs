//! Users as the administrator manages them. Every function takes the acting user and refuses
//! anyone who is not an active admin.

use super::{NewUser, UserRow};
use crate::auth::ssr::{MAX_LOGIN_LEN, end_sessions_of, hash_password, no_user_exists, set_password_hash, to_current_user, validate_password};
use crate::auth::{CurrentUser, Role, UserId};
use crate::db::entities::users;
use crate::error::{AppError, AppResult, Field, Problem};
use crate::i18n::Lang;
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::*;

const MAX_NAME_LEN: usize = 100;

fn require_admin(actor: &CurrentUser) -> AppResult<()> {
    if actor.role == Role::Admin { Ok(()) } else { Err(AppError::Forbidden) }
}

pub fn parse_role(code: &str) -> AppResult<Role> {
    Role::from_code(code).ok_or(AppError::invalid(Field::Role, Problem::Invalid))
}

fn to_row(model: users::Model) -> AppResult<UserRow> {
    Ok(UserRow {
        id: UserId(model.id),
        role: model.role,
        lang: crate::db::decoded("users", model.id, &model.language, Lang::from_code(&model.language))?,
        login: model.login,
        display_name: model.display_name,
        active: model.active,
        version: model.version,
    })
}

/// Logins are kept lower-case and trimmed, so "Mario" and "mario" are one account.
pub fn normalize_login(login: &str) -> String {
    login.trim().to_lowercase()
}

pub fn validate_new_user(new: &NewUser) -> AppResult<()> {
    let login = normalize_login(&new.login);
    if login.is_empty() {
        return Err(AppError::invalid(Field::Login, Problem::Required));
    }
    if login.chars().count() > MAX_LOGIN_LEN {
        return Err(AppError::invalid(Field::Login, Problem::TooLong));
    }
    if !login.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@')) {
        return Err(AppError::invalid(Field::Login, Problem::Invalid));
    }
    let name = new.display_name.trim();
    if name.is_empty() {
        return Err(AppError::invalid(Field::DisplayName, Problem::Required));
    }
    if name.chars().count() > MAX_NAME_LEN {
        return Err(AppError::invalid(Field::DisplayName, Problem::TooLong));
    }
    validate_password(Field::Password, &new.password)
}

/// Inserts a validated user with an already computed hash. Used by first run, the CLI and `create`.
pub async fn insert_user(db: &impl ConnectionTrait, new: &NewUser, password_hash: String, lang: Lang) -> AppResult<users::Model> {
    let login = normalize_login(&new.login);
    if users::Entity::find().filter(users::Column::Login.eq(login.clone())).one(db).await?.is_some() {
        return Err(AppError::invalid(Field::Login, Problem::Taken));
    }
    let now = Utc::now();
    let model = users::ActiveModel {
        login: Set(login),
        display_name: Set(new.display_name.trim().to_string()),
        password_hash: Set(password_hash),
        role: Set(new.role),
        active: Set(true),
        language: Set(lang.code().to_string()),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    };
    // The unique index is the last word when two admins pick the same login at once.
    model.insert(db).await.map_err(|err| match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => AppError::invalid(Field::Login, Problem::Taken),
        _ => err.into(),
    })
}

/// Validates, hashes and inserts without an acting user: for the command line.
pub async fn add_user(db: &DatabaseConnection, new: NewUser) -> AppResult<UserRow> {
    validate_new_user(&new)?;
    let hash = hash_password(&new.password).await?;
    to_row(insert_user(db, &new, hash, Lang::It).await?)
}

pub async fn list(db: &DatabaseConnection, actor: &CurrentUser) -> AppResult<Vec<UserRow>> {
    require_admin(actor)?;
    let rows = users::Entity::find().order_by_asc(users::Column::Login).all(db).await?;
    rows.into_iter().map(to_row).collect()
}

pub async fn create(db: &DatabaseConnection, actor: &CurrentUser, new: NewUser) -> AppResult<UserRow> {
    require_admin(actor)?;
    add_user(db, new).await
}

async fn active_admins(db: &impl ConnectionTrait) -> AppResult<u64> {
    Ok(users::Entity::find().filter(users::Column::Role.eq(Role::Admin)).filter(users::Column::Active.eq(true)).count(db).await?)
}

/// Applies a change to one user if nobody changed it since `version`, keeping at least one active
/// admin. Runs in a transaction so the admin count and the write agree.
async fn update_user(db: &DatabaseConnection, id: UserId, version: i32, role: Role, active: bool) -> AppResult<UserRow> {
    let model = crate::db::transaction(db, |txn| {
        Box::pin(async move {
            if ConnectionTrait::get_database_backend(txn) == DbBackend::Postgres {
                txn.execute_unprepared("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE").await?;
            }
            let current = users::Entity::find_by_id(id.0).one(txn).await?.ok_or(AppError::NotFound)?;
            if current.version != version {
                return Err(AppError::Conflict);
            }
            let was_active_admin = current.role == Role::Admin && current.active;
            let stays_active_admin = role == Role::Admin && active;
            if was_active_admin && !stays_active_admin && active_admins(txn).await? <= 1 {
                return Err(AppError::LastAdmin);
            }
            let changes = vec![(users::Column::Role, Expr::value(role)), (users::Column::Active, Expr::value(active))];
            crate::db::versioned::update::<users::Entity>(txn, id.0, version, changes, AppError::from).await?;
            if !active {
                end_sessions_of(txn, id, None).await?;
            }
            users::Entity::find_by_id(id.0).one(txn).await?.ok_or(AppError::NotFound)
        })
    })
    .await?;
    to_row(model)
}

pub async fn set_role(db: &DatabaseConnection, actor: &CurrentUser, id: UserId, version: i32, role: Role) -> AppResult<UserRow> {
    require_admin(actor)?;
    let current = users::Entity::find_by_id(id.0).one(db).await?.ok_or(AppError::NotFound)?;
    update_user(db, id, version, role, current.active).await
}

/// Deactivating ends the user's sessions at once.
pub async fn set_active(db: &DatabaseConnection, actor: &CurrentUser, id: UserId, version: i32, active: bool) -> AppResult<UserRow> {
    require_admin(actor)?;
    let current = users::Entity::find_by_id(id.0).one(db).await?.ok_or(AppError::NotFound)?;
    let role = current.role;
    update_user(db, id, version, role, active).await
}

/// Sets a new password and ends the user's sessions, so an old password's sessions stop working.
/// An admin resetting his own keeps the session he did it from (`keep`, his session token).
pub async fn reset_password(db: &DatabaseConnection, actor: &CurrentUser, id: UserId, password: &str, keep: Option<&str>) -> AppResult<()> {
    require_admin(actor)?;
    validate_password(Field::Password, password)?;
    users::Entity::find_by_id(id.0).one(db).await?.ok_or(AppError::NotFound)?;
    let hash = hash_password(password).await?;
    set_password_hash(db, id, hash, keep.filter(|_| id == actor.id)).await
}

/// The user a command-line tool acts as: the active one with this login, or the first active
/// administrator. Held to that user's rights like any page.
pub async fn cli_user(db: &DatabaseConnection, login: Option<&str>) -> AppResult<CurrentUser> {
    let query = users::Entity::find().filter(users::Column::Active.eq(true));
    let found = match login {
        Some(login) => query.filter(users::Column::Login.eq(normalize_login(login))).one(db).await?,
        None => query.filter(users::Column::Role.eq(Role::Admin)).order_by_asc(users::Column::Id).one(db).await?,
    };
    found.map(|u| crate::auth::ssr::to_current_user(&u)).ok_or(AppError::NotFound)?
}

/// Creates the first administrator, and only while no user exists.
pub async fn first_run(db: &DatabaseConnection, login: &str, display_name: &str, password: &str, lang: Lang) -> AppResult<CurrentUser> {
    let new = NewUser { login: login.to_string(), display_name: display_name.to_string(), password: password.to_string(), role: Role::Admin };
    validate_new_user(&new)?;
    // Checked before the costly hash: an installed server answers a flood of first runs at once.
    if !no_user_exists(db).await? {
        return Err(AppError::AlreadySetUp);
    }
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
            insert_user(txn, &new, hash, lang).await
        })
    })
    .await?;
    to_current_user(&user)
}
