//! Sign-in, sessions and user administration, on SQLite and PostgreSQL.

mod common;

use app::auth::Role;
use app::auth::ssr as auth;
use app::error::{AppError, Field, Problem};
use app::i18n::Lang;
use app::state::Config;
use app::users::NewUser;
use app::users::ssr as users;
use app::users::ssr::first_run;
use common::{PASSWORD, user};
use sea_orm::DatabaseConnection;
use std::time::Duration;

fn new_user(login: &str, role: Role) -> NewUser {
    NewUser { login: login.into(), display_name: "Mario Rossi".into(), password: PASSWORD.into(), role }
}

db_test!(first_run_creates_the_admin_only_once, |db: DatabaseConnection| async move {
    assert!(auth::no_user_exists(&db).await.unwrap());
    let admin = first_run(&db, "Admin", "Anna Admin", PASSWORD, Lang::En).await.unwrap();
    assert_eq!(admin.role, Role::Admin);
    assert_eq!(admin.login, "admin", "logins are kept lower-case");
    assert_eq!(admin.lang, Lang::En);
    let again = first_run(&db, "other", "Other", PASSWORD, Lang::It).await;
    assert_eq!(again.unwrap_err(), AppError::AlreadySetUp);
    assert!(!auth::no_user_exists(&db).await.unwrap());
});

db_test!(first_run_refuses_a_short_password_and_creates_nothing, |db: DatabaseConnection| async move {
    let err = first_run(&db, "admin", "Anna", "short", Lang::It).await.unwrap_err();
    assert_eq!(err, AppError::invalid(Field::Password, Problem::TooShort));
    assert!(auth::no_user_exists(&db).await.unwrap());
});

db_test!(login_checks_the_password_and_gives_a_new_session_each_time, |db: DatabaseConnection| async move {
    let admin = user(&db, "anna", Role::Admin).await;
    let config = Config::default();
    let (_, first) = auth::login(&db, "ANNA", PASSWORD, "10.0.0.1").await.unwrap();
    let (_, second) = auth::login(&db, "anna", PASSWORD, "10.0.0.1").await.unwrap();
    assert_ne!(first, second, "every login opens a new session id");
    assert_eq!(auth::user_for_token(&db, &config, &first).await.unwrap().unwrap().id, admin.id);
    assert_eq!(auth::login(&db, "anna", "wrong-password", "10.0.0.1").await.unwrap_err(), AppError::BadCredentials);
    assert_eq!(auth::login(&db, "nobody", PASSWORD, "10.0.0.1").await.unwrap_err(), AppError::BadCredentials);
    assert!(auth::user_for_token(&db, &config, "not-a-token").await.unwrap().is_none());
});

db_test!(five_failures_lock_the_account_even_with_the_right_password, |db: DatabaseConnection| async move {
    user(&db, "anna", Role::Member).await;
    for _ in 0..auth::MAX_FAILURES_PER_LOGIN {
        assert_eq!(auth::login(&db, "anna", "wrong-password", "10.0.0.2").await.unwrap_err(), AppError::BadCredentials);
    }
    assert_eq!(auth::login(&db, "anna", PASSWORD, "10.0.0.3").await.unwrap_err(), AppError::RateLimited);
});

db_test!(one_address_failing_on_many_accounts_is_slowed_not_refused, |db: DatabaseConnection| async move {
    user(&db, "anna", Role::Member).await;
    for i in 0..=auth::MAX_FAILURES_PER_IP {
        let _ = auth::login(&db, &format!("guess{i}"), "wrong-password", "10.9.9.9").await;
    }
    // The office's other user, same address, right password: signed in, after the address's delay.
    let started = std::time::Instant::now();
    assert!(auth::login(&db, "anna", PASSWORD, "10.9.9.9").await.is_ok(), "the right password is never refused for the address");
    assert!(started.elapsed() >= auth::ADDRESS_DELAY, "the address is slowed: {:?}", started.elapsed());
    assert!(auth::address_is_slowed(&db, "10.9.9.9").await.unwrap());
    assert!(!auth::address_is_slowed(&db, "10.0.0.4").await.unwrap(), "another address is not slowed");
    assert!(auth::login(&db, "anna", PASSWORD, "10.0.0.4").await.is_ok());
});

db_test!(an_idle_session_expires, |db: DatabaseConnection| async move {
    user(&db, "anna", Role::Member).await;
    let (_, token) = auth::login(&db, "anna", PASSWORD, "10.0.0.1").await.unwrap();
    let short = Config { idle_timeout: Duration::from_millis(0), ..Config::default() };
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert!(auth::user_for_token(&db, &short, &token).await.unwrap().is_none());
    assert!(auth::user_for_token(&db, &Config::default(), &token).await.unwrap().is_none(), "an expired session is gone for good");
});

db_test!(logout_ends_the_session_on_the_server, |db: DatabaseConnection| async move {
    user(&db, "anna", Role::Member).await;
    let (_, token) = auth::login(&db, "anna", PASSWORD, "10.0.0.1").await.unwrap();
    auth::end_session(&db, &token).await.unwrap();
    assert!(auth::user_for_token(&db, &Config::default(), &token).await.unwrap().is_none());
});

db_test!(a_member_cannot_administer_users, |db: DatabaseConnection| async move {
    let admin = user(&db, "anna", Role::Admin).await;
    let member = user(&db, "marco", Role::Member).await;
    let manager = user(&db, "giulia", Role::Manager).await;
    for actor in [&member, &manager] {
        assert_eq!(users::list(&db, actor).await.unwrap_err(), AppError::Forbidden);
        assert_eq!(users::create(&db, actor, new_user("x", Role::Admin)).await.unwrap_err(), AppError::Forbidden);
        assert_eq!(users::set_role(&db, actor, actor.id, 1, Role::Admin).await.unwrap_err(), AppError::Forbidden);
        assert_eq!(users::set_active(&db, actor, admin.id, 1, false).await.unwrap_err(), AppError::Forbidden);
        assert_eq!(users::reset_password(&db, actor, admin.id, "another-password", None).await.unwrap_err(), AppError::Forbidden);
    }
    let all = users::list(&db, &admin).await.unwrap();
    assert_eq!(all.len(), 3, "nothing was created by the refused calls");
    assert!(all.iter().all(|u| u.version == 1 && u.active), "nothing was changed by the refused calls");
    assert_eq!(all.iter().find(|u| u.login == "marco").unwrap().role, Role::Member);
});

db_test!(an_admin_creates_users_with_unique_logins, |db: DatabaseConnection| async move {
    let admin = user(&db, "anna", Role::Admin).await;
    let created = users::create(&db, &admin, new_user("Marco", Role::Member)).await.unwrap();
    assert_eq!((created.login.as_str(), created.role, created.active), ("marco", Role::Member, true));
    let dup = users::create(&db, &admin, new_user(" MARCO ", Role::Manager)).await.unwrap_err();
    assert_eq!(dup, AppError::invalid(Field::Login, Problem::Taken));
    let bad = users::create(&db, &admin, NewUser { display_name: "  ".into(), ..new_user("luca", Role::Member) }).await.unwrap_err();
    assert_eq!(bad, AppError::invalid(Field::DisplayName, Problem::Required));
    let bad = users::create(&db, &admin, new_user("lu ca", Role::Member)).await.unwrap_err();
    assert_eq!(bad, AppError::invalid(Field::Login, Problem::Invalid));
    assert_eq!(users::list(&db, &admin).await.unwrap().len(), 2);
});

db_test!(deactivating_a_user_ends_his_sessions_and_blocks_login, |db: DatabaseConnection| async move {
    let admin = user(&db, "anna", Role::Admin).await;
    let member = user(&db, "marco", Role::Member).await;
    let (_, token) = auth::login(&db, "marco", PASSWORD, "10.0.0.1").await.unwrap();
    let row = users::set_active(&db, &admin, member.id, 1, false).await.unwrap();
    assert!(!row.active);
    assert_eq!(row.version, 2);
    assert!(auth::user_for_token(&db, &Config::default(), &token).await.unwrap().is_none());
    assert_eq!(auth::login(&db, "marco", PASSWORD, "10.0.0.1").await.unwrap_err(), AppError::BadCredentials);
    users::set_active(&db, &admin, member.id, 2, true).await.unwrap();
    assert!(auth::login(&db, "marco", PASSWORD, "10.0.0.1").await.is_ok());
});

db_test!(the_last_active_admin_cannot_be_removed, |db: DatabaseConnection| async move {
    let admin = user(&db, "anna", Role::Admin).await;
    assert_eq!(users::set_active(&db, &admin, admin.id, 1, false).await.unwrap_err(), AppError::LastAdmin);
    assert_eq!(users::set_role(&db, &admin, admin.id, 1, Role::Manager).await.unwrap_err(), AppError::LastAdmin);
    let second = user(&db, "bruno", Role::Member).await;
    users::set_role(&db, &admin, second.id, 1, Role::Admin).await.unwrap();
    let row = users::set_role(&db, &admin, admin.id, 1, Role::Manager).await.unwrap();
    assert_eq!(row.role, Role::Manager, "with another admin active, the first may step down");
});

db_test!(a_stale_version_is_a_conflict_and_changes_nothing, |db: DatabaseConnection| async move {
    let admin = user(&db, "anna", Role::Admin).await;
    let member = user(&db, "marco", Role::Member).await;
    users::set_role(&db, &admin, member.id, 1, Role::Manager).await.unwrap();
    let stale = users::set_role(&db, &admin, member.id, 1, Role::Admin).await.unwrap_err();
    assert_eq!(stale, AppError::Conflict);
    let row = users::list(&db, &admin).await.unwrap().into_iter().find(|u| u.login == "marco").unwrap();
    assert_eq!((row.role, row.version), (Role::Manager, 2));
});

db_test!(password_change_needs_the_current_password, |db: DatabaseConnection| async move {
    let member = user(&db, "marco", Role::Member).await;
    let err = auth::change_password(&db, &member, "wrong-password", "new-password-1", None, IP).await.unwrap_err();
    assert_eq!(err, AppError::invalid(Field::Password, Problem::Invalid));
    let err = auth::change_password(&db, &member, PASSWORD, "short", None, IP).await.unwrap_err();
    assert_eq!(err, AppError::invalid(Field::NewPassword, Problem::TooShort));
    auth::change_password(&db, &member, PASSWORD, "new-password-1", None, IP).await.unwrap();
    assert!(auth::login(&db, "marco", "new-password-1", "10.0.0.1").await.is_ok());
    assert_eq!(auth::login(&db, "marco", PASSWORD, "10.0.0.1").await.unwrap_err(), AppError::BadCredentials);
});

const IP: &str = "10.0.0.7";

db_test!(guessing_the_current_password_shares_the_sign_ins_limit, |db: DatabaseConnection| async move {
    let member = user(&db, "marco", Role::Member).await;
    // A stolen session guesses the current password: the account's guesses run out...
    for _ in 0..auth::MAX_FAILURES_PER_LOGIN {
        let err = auth::change_password(&db, &member, "wrong-password", "new-password-1", None, IP).await.unwrap_err();
        assert_eq!(err, AppError::invalid(Field::Password, Problem::Invalid));
    }
    // ...and then even the right one is not checked, here or on the sign-in form.
    assert_eq!(auth::change_password(&db, &member, PASSWORD, "new-password-1", None, IP).await.unwrap_err(), AppError::RateLimited);
    assert_eq!(auth::login(&db, "marco", PASSWORD, "10.0.0.9").await.unwrap_err(), AppError::RateLimited);
    assert!(auth::login(&db, "marco", "new-password-1", "10.0.0.9").await.is_err(), "the password did not change");
});

db_test!(the_language_is_kept_per_user, |db: DatabaseConnection| async move {
    let member = user(&db, "marco", Role::Member).await;
    assert_eq!(member.lang, Lang::It, "Italian by default");
    auth::set_language(&db, &member, Lang::En).await.unwrap();
    let (again, _) = auth::login(&db, "marco", PASSWORD, "10.0.0.1").await.unwrap();
    assert_eq!(again.lang, Lang::En);
});

db_test!(an_admin_reset_ends_the_users_sessions, |db: DatabaseConnection| async move {
    let admin = user(&db, "anna", Role::Admin).await;
    let member = user(&db, "marco", Role::Member).await;
    let (_, token) = auth::login(&db, "marco", PASSWORD, "10.0.0.1").await.unwrap();
    users::reset_password(&db, &admin, member.id, "reset-password-1", None).await.unwrap();
    assert!(auth::user_for_token(&db, &Config::default(), &token).await.unwrap().is_none());
    assert!(auth::login(&db, "marco", "reset-password-1", "10.0.0.1").await.is_ok());
});

db_test!(an_unknown_language_stored_for_a_user_is_an_error_not_a_default, |db: DatabaseConnection| async move {
    use app::db::entities::users as user_rows;
    use sea_orm::{ActiveModelTrait, Set};
    let admin = user(&db, "anna", Role::Admin).await;
    let marco = user(&db, "marco", Role::Member).await;
    user_rows::ActiveModel { id: Set(marco.id.0), language: Set("klingon".into()), ..Default::default() }.update(&db).await.unwrap();
    assert_eq!(users::list(&db, &admin).await.unwrap_err(), AppError::Internal, "reported, not read as Italian");
    assert_eq!(auth::login(&db, "marco", PASSWORD, "10.0.0.1").await.unwrap_err(), AppError::Internal);
    assert!(auth::login(&db, "anna", PASSWORD, "10.0.0.1").await.is_ok(), "the other users are untouched");
});
