//! `vendita [serve]` · `vendita migrate` · `vendita rebuild-cells` (the report cells made again from
//! the sales, for repair) · `vendita snapshot` (freezes this month's forecast if not yet done; for
//! cron, beside the server's own first request of the month) · `vendita user add LOGIN "NAME" ROLE` (password on
//! stdin) · `vendita demo` · `vendita backup FILE` (SQLite, online) · `vendita import contacts|
//! products|sales|targets FILE [--dry-run] [--valid-only] [--sheet NAME] [--as LOGIN]`. The database is
//! `DATABASE_URL`, or SQLite under `data/`. The benchmarks are a binary of their own
//! (`vendita-bench`).

use app::auth::Role;
use app::users::NewUser;
use leptos::prelude::*;
use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

const USAGE: &str = "usage: vendita [serve] | migrate | rebuild-cells | snapshot | demo | backup FILE | user add LOGIN \"DISPLAY NAME\" admin|manager|member \
                     | import contacts|products|sales|targets FILE [--dry-run] [--valid-only] [--sheet NAME] [--as LOGIN]";

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // The upload reader (`server::upload`): a child of the server, before any runtime starts.
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some(server::upload::SUBCOMMAND) {
        return server::upload::child_main(args.get(1).map(String::as_str));
    }
    match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime.block_on(run()),
        Err(err) => {
            eprintln!("vendita: cannot start: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into()))
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    if let ["import", rest @ ..] = args.as_slice() {
        return import(rest).await;
    }
    let result = match args.as_slice() {
        [] | ["serve"] => serve().await,
        ["migrate"] => server::state_from_env().await.map(|_| println!("database is up to date")),
        ["demo"] => demo().await,
        ["rebuild-cells"] => rebuild_cells().await,
        ["snapshot"] => snapshot().await,
        ["backup", file] => backup(file).await,
        ["user", "add", login, name, role] => add_user(login, name, role).await,
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("vendita: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn serve() -> Result<(), String> {
    let state = server::state_from_env().await?;
    let conf = get_configuration(None).map_err(|e| format!("configuration: {e}"))?;
    // The unpacked site's folder lives as long as the server.
    let (options, _site) = server::site::prepare(conf.leptos_options)?;
    let addr = options.site_addr;
    tokio::spawn(purge_daily(state.clone()));
    let router = server::router(state, options);
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    tracing::info!("Vendita listening on http://{addr}");
    axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| e.to_string())
}

/// Ended sessions and old login attempts go at start, then once a day.
async fn purge_daily(state: app::state::AppState) {
    let mut daily = tokio::time::interval(std::time::Duration::from_secs(24 * 3600));
    loop {
        daily.tick().await;
        match app::auth::ssr::purge(&state.db, &state.config).await {
            Ok((sessions, attempts)) => tracing::info!(sessions, attempts, "purged ended sessions and old login attempts"),
            Err(err) => tracing::warn!(error = ?err, "purge of sessions and login attempts failed"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("signal handler");
    tokio::select! {
        _ = ctrl_c => {},
        _ = term.recv() => {},
    }
}

async fn demo() -> Result<(), String> {
    let state = server::state_from_env().await?;
    let started = std::time::Instant::now();
    let summary = server::demo::load(&state.db, &app::auth::ssr::hash_password_blocking).await.map_err(|e| e.to_string())?;
    println!("demo data loaded in {:.1?}: {summary}", started.elapsed());
    println!("sign in as admin, giulia (manager), marco, sara or luca (members); password: vendita-demo");
    Ok(())
}

/// The report cells made again from the sales, reporting how many differed (a repair after the
/// database was written by hand, or a check that nothing did).
async fn rebuild_cells() -> Result<(), String> {
    use app::figures::cells;
    let state = server::state_from_env().await?;
    let err = |e: app::error::AppError| e.message(app::i18n::Lang::En);
    let started = std::time::Instant::now();
    let before = cells::stored(&state.db).await.map_err(err)?;
    let written = cells::rebuild(&state.db).await.map_err(err)?;
    let after = cells::stored(&state.db).await.map_err(err)?;
    let differed = after.iter().filter(|(k, v)| before.get(*k) != Some(*v)).count() + before.keys().filter(|k| !after.contains_key(*k)).count();
    println!("{written} report cells written in {:.1?}; {differed} differed from the ones kept", started.elapsed());
    Ok(())
}

async fn snapshot() -> Result<(), String> {
    let state = server::state_from_env().await?;
    let today = chrono::Local::now().date_naive();
    let taken = app::reports::ssr::snapshots::take_if_due(&state.db, today).await.map_err(|e| e.message(app::i18n::Lang::En))?;
    let month = app::reports::Month::of(today).code();
    println!("{}", if taken { format!("forecast of {month} frozen") } else { format!("the forecast of {month} was already frozen") });
    Ok(())
}

/// A consistent copy of a SQLite database while the server keeps running (`VACUUM INTO` reads one
/// snapshot and writes a compact file). PostgreSQL has its own tool for this: pg_dump.
async fn backup(file: &str) -> Result<(), String> {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    if std::path::Path::new(file).exists() {
        return Err(format!("{file} already exists: choose a new file"));
    }
    let state = server::state_from_env().await?;
    if state.db.get_database_backend() != DbBackend::Sqlite {
        return Err("on PostgreSQL use pg_dump (see docs/operations.md)".to_string());
    }
    let started = std::time::Instant::now();
    state
        .db
        .execute_raw(Statement::from_sql_and_values(DbBackend::Sqlite, "VACUUM INTO ?", [file.into()]))
        .await
        .map_err(|e| format!("backup: {e}"))?;
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    println!("backup written to {file} ({:.1} MB) in {:.1?}", size as f64 / 1e6, started.elapsed());
    Ok(())
}

async fn add_user(login: &str, name: &str, role: &str) -> Result<(), String> {
    let role = Role::from_code(role).ok_or_else(|| format!("unknown role {role:?}: admin, manager or member"))?;
    let stdin = std::io::stdin();
    let password = if stdin.is_terminal() {
        // Typed at a terminal: not echoed.
        rpassword::prompt_password(format!("password for {login}: ")).map_err(|e| e.to_string())?
    } else {
        let mut password = String::new();
        stdin.lock().read_line(&mut password).map_err(|e| e.to_string())?;
        password.trim_end_matches(['\r', '\n']).to_string()
    };
    let state = server::state_from_env().await?;
    let new = NewUser { login: login.to_string(), display_name: name.to_string(), password, role };
    let user = app::users::ssr::add_user(&state.db, new).await.map_err(|e| e.message(app::i18n::Lang::En))?;
    println!("user {} created ({})", user.login, role.code());
    Ok(())
}

/// Exit status: 0 every row valid (and written unless `--dry-run`), 1 some rows bad (nothing
/// written unless `--valid-only`), 2 the file cannot be read (or the command is wrong).
async fn import(args: &[&str]) -> ExitCode {
    use app::import::{ImportKind, ImportMode, ImportRequest};
    let fail = |message: String| {
        eprintln!("vendita import: {message}");
        ExitCode::from(2)
    };
    let (Some(kind), Some(file)) = (args.first().and_then(|k| ImportKind::from_code(k)), args.get(1)) else { return fail(USAGE.to_string()) };
    let (mut mode, mut sheet, mut login) = (ImportMode::All, None, None);
    let mut rest = args[2..].iter();
    while let Some(flag) = rest.next() {
        match *flag {
            "--dry-run" => mode = ImportMode::DryRun,
            "--valid-only" => mode = ImportMode::ValidOnly,
            "--sheet" => sheet = rest.next().map(|s| s.to_string()),
            "--as" => login = rest.next().map(|s| s.to_string()),
            other => return fail(format!("unknown option {other:?}\n{USAGE}")),
        }
    }
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(e) => return fail(format!("{file}: {e}")),
    };
    let state = match server::state_from_env().await {
        Ok(state) => state,
        Err(e) => return fail(e),
    };
    let user = match app::users::ssr::cli_user(&state.db, login.as_deref()).await {
        Ok(user) => user,
        Err(e) => return fail(e.message(app::i18n::Lang::En)),
    };
    let name = std::path::Path::new(file).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let request = ImportRequest { kind, file_name: name, sheet, mapping: None, mode, add_sales_tag: false };
    let lang = user.lang;
    match app::import::ssr::run(&state.db, &user, &request, &bytes).await {
        Ok(report) => {
            print!("{}", app::import::ssr::report_text(&report, lang));
            ExitCode::from(report.exit_code() as u8)
        }
        Err(err @ app::error::AppError::BadFile(_)) => fail(err.message(lang)),
        Err(err) => {
            eprintln!("vendita import: {}", err.message(lang));
            ExitCode::from(2)
        }
    }
}
