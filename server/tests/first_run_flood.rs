//! A flood of first runs on an installed server costs no password hashing: each is refused before
//! the hash. Alone in its test binary, so the process-wide hash counter moves for this test only.

mod common;

use app::state::Config;
use common::*;
use reqwest::StatusCode;

#[tokio::test]
async fn first_runs_after_setup_are_refused_without_hashing() {
    let app = spawn_app(Config::default()).await;
    app.with_admin().await;
    let before = app::auth::ssr::hashes_done();
    let calls = (0..400).map(|i| {
        let app = &app;
        async move {
            let login = format!("intruder{i}");
            let form = [("login", login.as_str()), ("display_name", "X"), ("password", "long-enough-1"), ("password_repeat", "long-enough-1")];
            app.post(&browser(), "first_run", &form).await.status()
        }
    });
    let statuses = futures_util::future::join_all(calls).await;
    assert!(statuses.iter().all(|s| *s == StatusCode::CONFLICT), "{statuses:?}");
    assert_eq!(app::auth::ssr::hashes_done(), before, "no password was hashed");
}
