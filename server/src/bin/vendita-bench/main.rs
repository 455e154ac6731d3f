//! The benchmarks, a binary of their own beside the server (`vendita`), on throw-away SQLite
//! databases: `vendita-bench addressbook` (100 000 contacts, 1 000 000 sales: the address book,
//! the contact card with its Vendita tab, a sale creation) and `vendita-bench reports [SALES]`
//! (the report data set, the Excel download and its memory, the filter fold). Each figure is
//! printed beside a floor measured in the same run. `vendita-bench download URL` is the reports
//! benchmark's own child process (a download alone, for its peak memory). `vendita-bench desk
//! [SALES]` times the sales list and the manager's home page on the same generated sales.
//! `vendita-bench import [ROWS]` times the import of contacts and sales from CSV.
//! `vendita-bench offers` times a 200-line offer saved, sent and drawn as PDF.
//! `vendita-bench commissions [SALES]` times a seller's quarter statement and a large settlement.

mod addressbook;
mod commissions;
mod desk;
mod import;
mod offers;
mod reports;

use std::process::ExitCode;

const USAGE: &str = "usage: vendita-bench addressbook | reports [SALES] | desk [SALES] | import [ROWS] | offers | commissions [SALES]";

// The same allocator as the server, so the figures are the server's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn,sqlx=warn,sea_orm=warn".into()))
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["addressbook"] => addressbook::run().await,
        ["reports"] => reports::run(1_000_000).await,
        ["reports", n] => match n.parse() {
            Ok(n) => reports::run(n).await,
            Err(_) => Err(USAGE.to_string()),
        },
        ["desk"] => desk::run(1_000_000).await,
        ["desk", n] => match n.parse() {
            Ok(n) => desk::run(n).await,
            Err(_) => Err(USAGE.to_string()),
        },
        ["import"] => import::run(100_000).await,
        ["import", n] => match n.parse() {
            Ok(n) => import::run(n).await,
            Err(_) => Err(USAGE.to_string()),
        },
        ["offers"] => offers::run().await,
        ["commissions"] => commissions::run(1_000_000).await,
        ["commissions", n] => match n.parse() {
            Ok(n) => commissions::run(n).await,
            Err(_) => Err(USAGE.to_string()),
        },
        ["download", url] => reports::download_alone(url).await,
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("vendita-bench: {message}");
            ExitCode::FAILURE
        }
    }
}
