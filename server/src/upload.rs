//! Reading an uploaded file in a child process: `vendita read-upload [SHEET]` reads the file on
//! its standard input with `app::import::source::read` and writes the table (or the refusal) as
//! JSON on its standard output. The child runs with its own limits on memory
//! (`CHILD_MEMORY`, `RLIMIT_DATA`) and processor time (`CHILD_CPU`), set before it starts
//! ([`limit_reader`]), and the server stops it after
//! `CHILD_TIME`: a reader that would allocate without end (a zip or XML bomb, a sheet declared
//! millions of cells wide, a reader bug) ends the child, and the upload is refused as too big
//! to open. The server's own memory only ever holds the upload and the table it gets back, which
//! the table's limits bound (`MAX_ROWS`, `MAX_COLUMNS`, `MAX_CELLS`, `MAX_CELL`).

use app::error::{AppError, AppResult, SourceError};
use app::import::source::{self, Table};
use std::io::{Read, Write};
use std::process::{ExitCode, Stdio};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The subcommand the server runs itself as.
pub const SUBCOMMAND: &str = "read-upload";
/// What the child may allocate (heap and private mappings).
pub const CHILD_MEMORY: u64 = 768 * 1024 * 1024;
/// Processor seconds the child may use, and the wall-clock time the server waits for it.
const CHILD_CPU: u64 = 60;
const CHILD_TIME: Duration = Duration::from_secs(90);
/// The largest answer read back. A table of a 20 MB file within the limits is some 35 MB of JSON;
/// one that unpacks to more (a long text repeated in millions of cells) is too big to open, and
/// its reader is stopped.
const MAX_ANSWER: u64 = 64 * 1024 * 1024;

/// The child's side, started under the limits the server set: the file from standard input, the
/// answer to standard output. Exits 0 with an answer; otherwise (the file could not be taken in,
/// the answer not written) non-zero, with the reason on standard error for the server's log.
pub fn child_main(sheet: Option<&str>) -> ExitCode {
    // Reserved whole: the upload's size is bounded, and a reader failing half-way through a
    // growing buffer says nothing about the file.
    let mut bytes = Vec::with_capacity(app::import::MAX_BYTES + 1);
    if let Err(err) = std::io::stdin().lock().take(app::import::MAX_BYTES as u64 + 1).read_to_end(&mut bytes) {
        eprintln!("vendita {SUBCOMMAND}: the upload could not be read from standard input: {err}");
        return ExitCode::from(3);
    }
    let answer: Result<Table, SourceError> = source::read(&bytes, sheet);
    drop(bytes);
    let mut out = std::io::stdout().lock();
    match serde_json::to_writer(&mut out, &answer).map(|_| out.flush()) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        _ => {
            eprintln!("vendita {SUBCOMMAND}: the answer could not be written");
            ExitCode::FAILURE
        }
    }
}

/// The reader's limits, set on the child between fork and exec (`pre_exec`), so that they hold
/// from its first allocation on. Set by the reader itself, once running, they came after the
/// allocator's start-up reservation (mimalloc maps a 1 GiB arena at once), which then counted
/// against them: an ordinary 11 MB file failed one start in five. The data limit counts what is
/// written (heap, private writable mappings), not address space merely reserved.
/// Only getrlimit and setrlimit run here, both async-signal-safe.
pub fn limit_reader() -> std::io::Result<()> {
    limit(libc::RLIMIT_DATA, CHILD_MEMORY);
    limit(libc::RLIMIT_CPU, CHILD_CPU);
    Ok(())
}

/// Lowers a limit of this process to `value`; a lower one already in force (an administrator's
/// `ulimit`, a test's) stays.
fn limit(resource: libc::__rlimit_resource_t, value: u64) {
    let mut current = libc::rlimit { rlim_cur: libc::RLIM_INFINITY, rlim_max: libc::RLIM_INFINITY };
    // SAFETY: getrlimit and setrlimit read or fill the struct they are given and touch only this
    // process's limits.
    unsafe {
        libc::getrlimit(resource, &mut current);
        let rlimit = libc::rlimit { rlim_cur: current.rlim_cur.min(value), rlim_max: current.rlim_max.min(value) };
        libc::setrlimit(resource, &rlimit);
    }
}

/// The program run as the reader: this one, or the one a test names (a test's own binary is
/// no server).
static READER: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();

/// Names the server binary that reads uploads when this process is not it (the HTTP tests).
pub fn use_reader(program: impl Into<std::path::PathBuf>) {
    let _ = READER.set(program.into());
}

/// What the child's standard error is read of, for the log.
const MAX_REASON: u64 = 4096;

/// Reads `bytes` in a child process. A file the reader refuses is `BadFile` with its reason; a
/// child that dies, overruns its time or answers something unreadable costs this upload only:
/// `BadFile(TooBigToOpen)`. A reader that cannot be started or fed is the server's fault
/// (`Internal`, logged), never blamed on the file.
pub async fn read(bytes: &[u8], sheet: Option<&str>) -> AppResult<Table> {
    let exe = match READER.get() {
        Some(program) => program.clone(),
        None => std::env::current_exe().map_err(|err| {
            tracing::error!(%err, "cannot find this program to read an upload");
            AppError::Internal
        })?,
    };
    let mut command = tokio::process::Command::new(exe);
    command.arg(SUBCOMMAND);
    if let Some(sheet) = sheet {
        command.arg(sheet);
    }
    command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).kill_on_drop(true);
    // SAFETY: between fork and exec the closure only calls getrlimit and setrlimit.
    unsafe {
        command.pre_exec(limit_reader);
    }
    let mut child = command.spawn().map_err(|err| {
        tracing::error!(%err, "cannot start the upload reader");
        AppError::Internal
    })?;
    let (Some(mut stdin), Some(stdout), Some(stderr)) = (child.stdin.take(), child.stdout.take(), child.stderr.take()) else {
        return Err(AppError::Internal);
    };
    let feed = async move {
        // A child that stops reading (it died) is seen by its exit status.
        let fed = stdin.write_all(bytes).await;
        drop(stdin);
        fed
    };
    let collect = async move {
        // Reserved whole (pages count only once written): a growing Vec would double past it.
        let mut answer = Vec::with_capacity(MAX_ANSWER as usize + 1);
        stdout.take(MAX_ANSWER + 1).read_to_end(&mut answer).await.map(|_| answer)
    };
    let reason = async move {
        let mut reason = Vec::new();
        let _ = stderr.take(MAX_REASON).read_to_end(&mut reason).await;
        String::from_utf8_lossy(&reason).trim().to_string()
    };
    let run = async {
        let (fed, answer, reason) = tokio::join!(feed, collect, reason);
        if answer.as_ref().is_ok_and(|a| a.len() as u64 > MAX_ANSWER) {
            // Still writing: stopped, not waited for.
            let _ = child.start_kill();
        }
        let status = child.wait().await;
        (fed, answer, reason, status)
    };
    let (fed, answer, reason, status) = match tokio::time::timeout(CHILD_TIME, run).await {
        Ok(done) => done,
        // The child is killed when dropped.
        Err(_) => {
            tracing::warn!("the upload reader overran its time and was stopped");
            return Err(AppError::BadFile(SourceError::TooBigToOpen));
        }
    };
    match (answer, status) {
        (Ok(answer), Ok(status)) if status.success() && answer.len() as u64 <= MAX_ANSWER => {
            match serde_json::from_slice::<Result<Table, SourceError>>(&answer) {
                Ok(verdict) => verdict.map_err(AppError::BadFile),
                Err(err) => {
                    tracing::warn!(%err, "the upload reader's answer is unreadable");
                    Err(AppError::BadFile(SourceError::TooBigToOpen))
                }
            }
        }
        // It could not take the file in (it had it whole, or was fed all of it): not the file's doing.
        (_, Ok(status)) if status.code() == Some(3) => {
            tracing::error!(?fed, %reason, "the upload reader could not take the file in");
            Err(AppError::Internal)
        }
        (_, status) => {
            tracing::warn!(?status, %reason, "the upload reader stopped without an answer (memory or time limit)");
            Err(AppError::BadFile(SourceError::TooBigToOpen))
        }
    }
}
