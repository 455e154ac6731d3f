//! Reading an uploaded file in a child process: `vendita read-upload [SHEET]` reads the file on
//! its standard input with `app::import::source::read` and writes the table (or the refusal) as
//! JSON on its standard output. The child runs with its own limits on memory
//! (`CHILD_MEMORY`, `RLIMIT_DATA`) and processor time (`CHILD_CPU`), and the server stops it after
//! `CHILD_TIME`: a reader that would allocate without end (a zip or XML bomb, a sheet declared
//! millions of cells wide, a reader bug) ends the child, and the upload is refused as too big
//! to open. The server's own memory only ever holds the upload and the table it gets back, which
//! the table's limits bound (`MAX_ROWS`, `MAX_COLUMNS`, `MAX_CELLS`, `MAX_CELL`).

use app::import::SourceError;
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

/// The child's side: limits first, then the file from standard input, the answer to standard
/// output. Exits 0 with an answer, 1 when the answer could not be written.
pub fn child_main(sheet: Option<&str>) -> ExitCode {
    limit(libc::RLIMIT_DATA, CHILD_MEMORY);
    limit(libc::RLIMIT_AS, 4 * CHILD_MEMORY);
    limit(libc::RLIMIT_CPU, CHILD_CPU);
    let mut bytes = Vec::new();
    let read = std::io::stdin().lock().take(app::import::MAX_BYTES as u64 + 1).read_to_end(&mut bytes);
    let answer: Result<Table, SourceError> = match read {
        Ok(_) => source::read(&bytes, sheet),
        Err(_) => Err(SourceError::Unreadable),
    };
    drop(bytes);
    let mut out = std::io::stdout().lock();
    match serde_json::to_writer(&mut out, &answer).map(|_| out.flush()) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        _ => ExitCode::FAILURE,
    }
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

/// Reads `bytes` in a child process. A child that dies, overruns its time or answers something
/// unreadable costs this upload only: `TooBigToOpen`.
pub async fn read(bytes: &[u8], sheet: Option<&str>) -> Result<Table, SourceError> {
    let exe = match READER.get() {
        Some(program) => program.clone(),
        None => std::env::current_exe().map_err(|_| SourceError::Unreadable)?,
    };
    let mut command = tokio::process::Command::new(exe);
    command.arg(SUBCOMMAND);
    if let Some(sheet) = sheet {
        command.arg(sheet);
    }
    command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::null()).kill_on_drop(true);
    let mut child = command.spawn().map_err(|err| {
        tracing::error!(%err, "cannot start the upload reader");
        SourceError::Unreadable
    })?;
    let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else { return Err(SourceError::Unreadable) };
    let feed = async move {
        // A child that stops reading (it died) is seen by its exit status.
        let _ = stdin.write_all(bytes).await;
        drop(stdin);
    };
    let collect = async move {
        // Reserved whole (pages count only once written): a growing Vec would double past it.
        let mut answer = Vec::with_capacity(MAX_ANSWER as usize + 1);
        stdout.take(MAX_ANSWER + 1).read_to_end(&mut answer).await.map(|_| answer)
    };
    let run = async {
        let ((), answer) = tokio::join!(feed, collect);
        if answer.as_ref().is_ok_and(|a| a.len() as u64 > MAX_ANSWER) {
            // Still writing: stopped, not waited for.
            let _ = child.start_kill();
        }
        let status = child.wait().await;
        (answer, status)
    };
    let (answer, status) = match tokio::time::timeout(CHILD_TIME, run).await {
        Ok(done) => done,
        // The child is killed when dropped.
        Err(_) => {
            tracing::warn!("the upload reader overran its time and was stopped");
            return Err(SourceError::TooBigToOpen);
        }
    };
    match (answer, status) {
        (Ok(answer), Ok(status)) if status.success() && answer.len() as u64 <= MAX_ANSWER => {
            serde_json::from_slice(&answer).unwrap_or(Err(SourceError::TooBigToOpen))
        }
        (_, status) => {
            tracing::warn!(?status, "the upload reader stopped without an answer (memory or time limit)");
            Err(SourceError::TooBigToOpen)
        }
    }
}
