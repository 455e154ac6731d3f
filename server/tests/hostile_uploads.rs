//! Hostile files against the real server process: a corpus of small files that unpack to huge
//! ones (made by `tests/hostile/make_corpus.py`), each uploaded through `POST /import/upload` by a
//! manager. Each is answered with a clear 4xx (or a normal report), the server stays up, and its
//! peak memory (VmHWM) grows by less than 256 MiB over the whole corpus, four bombs at once
//! included. Then a few hundred mutations of valid XLSX, ODS and CSV files go through the reader
//! (`vendita read-upload`) itself: none panics or crashes; each answers a table or a refusal, or
//! is stopped by the reader's own limits (which the server answers as too big to open).

mod common;

use common::ServerProcess;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::{Client, StatusCode};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const PASSWORD: &str = "manager-password-1";
const GROWTH_BOUND_KB: u64 = 256 * 1024;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vendita-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The corpus, made afresh by the script in the repository.
fn corpus(dir: &Path) -> Vec<PathBuf> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile/make_corpus.py");
    let out = Command::new("python3").arg(&script).arg(dir).output().expect("python3");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
}

/// VmHWM of a process, in kB.
fn peak_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// A server process on a fresh SQLite file, with manager giulia.
async fn start(dir: &Path) -> ServerProcess {
    let url = format!("sqlite://{}/hostile.db?mode=rwc", dir.display());
    let add = Command::new(env!("CARGO_BIN_EXE_vendita"))
        .args(["user", "add", "giulia", "Giulia", "manager"])
        .env("DATABASE_URL", &url)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    add.stdin.as_ref().unwrap().write_all(format!("{PASSWORD}\n").as_bytes()).unwrap();
    assert!(add.wait_with_output().unwrap().status.success());
    ServerProcess::start(&url).await
}

async fn upload(server: &ServerProcess, client: &Client, name: &str, body: Vec<u8>) -> (StatusCode, String) {
    let url = format!("{}/import/upload?kind=contacts&mode=check&name={name}", server.base);
    let res = client.post(url).body(body).send().await.expect("the server answers");
    let status = res.status();
    (status, res.text().await.unwrap_or_default())
}

#[tokio::test]
async fn hostile_files_cost_one_upload_never_the_server() {
    let files = corpus(&temp_dir("corpus"));
    assert!(files.len() >= 15, "the corpus: {files:?}");
    let dir = temp_dir("hostile-server");
    let server = start(&dir).await;
    let client = Client::builder().cookie_store(true).build().unwrap();
    let res = client.post(format!("{}/api/login", server.base)).form(&[("login", "giulia"), ("password", PASSWORD)]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    // The baseline: after a valid upload, so what every upload needs is already counted.
    let valid = std::fs::read(files.iter().find(|f| f.ends_with("valid.csv")).unwrap()).unwrap();
    let (status, body) = upload(&server, &client, "valid.csv", valid).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let baseline = peak_kb(server.pid());

    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let (status, body) = upload(&server, &client, &name, std::fs::read(file).unwrap()).await;
        if name.starts_with("valid") {
            assert_eq!(status, StatusCode::OK, "{name}: {body}");
        } else {
            assert!(status.is_client_error(), "{name}: a clear refusal, got {status}: {body}");
            assert!(body.starts_with('{') || body.starts_with('"'), "{name}: the refusal as the page reads it: {body}");
        }
        assert!(server.alive().await, "the server is up after {name}");
        let growth = peak_kb(server.pid()).saturating_sub(baseline);
        println!("{name}: {status}, peak growth so far {} MiB", growth / 1024);
        assert!(growth < GROWTH_BOUND_KB, "after {name}: the server's peak grew by {growth} kB");
    }

    // Four managers' bombs at once: each answered (refused, or told to wait), the server up.
    let bombs = ["huge-string.xlsx", "repeated.ods", "zip-bomb.xlsx", "far-cell.xlsx"];
    let answers = futures_util::future::join_all(bombs.iter().map(|name| {
        let bytes = std::fs::read(files.iter().find(|f| f.ends_with(name)).unwrap()).unwrap();
        upload(&server, &client, name, bytes)
    }))
    .await;
    for ((status, body), name) in answers.iter().zip(bombs) {
        assert!(status.is_client_error(), "{name} at once: {status} {body}");
    }
    assert!(server.alive().await);
    let growth = peak_kb(server.pid()).saturating_sub(baseline);
    println!("whole corpus and four bombs at once: peak growth {} MiB (bound {} MiB)", growth / 1024, GROWTH_BOUND_KB / 1024);
    assert!(growth < GROWTH_BOUND_KB, "the server's peak grew by {growth} kB");
}

// ---------------------------------------------------------------- mutations

/// A seeded generator, so a failure names a case that comes back.
/// A large ordinary file (200 000 rows, 11 MB) is read every time, as the server reads it: the
/// reader's limits hold from its first allocation (they once came after the allocator's start-up
/// reservation, and one start in five failed).
#[tokio::test]
async fn a_large_ordinary_file_is_read_every_time() {
    server::upload::use_reader(env!("CARGO_BIN_EXE_vendita"));
    let mut csv = String::from("Ragione sociale;E-mail;Città;Provincia\n");
    for i in 0..200_000 {
        csv.push_str(&format!("Importata {i} Srl;importata{i}@example.it;Forlì;FC\n"));
    }
    for run in 0..20 {
        let table = server::upload::read(csv.as_bytes(), None).await.unwrap_or_else(|err| panic!("run {run}: {err:?}"));
        assert_eq!(table.rows.len(), 200_001, "run {run}");
    }
}

fn below(rng: &mut StdRng, n: usize) -> usize {
    rng.gen_range(0..n.max(1))
}

/// How the reader ended on one file.
#[derive(Debug, PartialEq, Eq)]
enum Ended {
    /// Exit 0 with its answer (a table or a refusal) as JSON.
    Answered(String),
    /// Stopped by its processor-time limit, or by its memory limit (Rust's "memory allocation of
    /// … failed", then abort): the defence at work, the upload refused as too big to open.
    Limited,
    /// Anything else: a panic (exit 101), a crash by another signal.
    Crashed(String),
}

/// The reader as the server runs it, with a processor limit of `CPU_SECONDS` set before it
/// starts (lower than its own: a process may lower its limits, never raise them past the hard one).
fn read_in_child(bytes: &[u8]) -> Ended {
    use std::os::unix::process::{CommandExt, ExitStatusExt};
    const CPU_SECONDS: u64 = 5;
    let mut command = Command::new(env!("CARGO_BIN_EXE_vendita"));
    command.arg("read-upload").stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    // SAFETY: between fork and exec only getrlimit and setrlimit run, which are async-signal-safe.
    unsafe {
        command.pre_exec(|| {
            // The server's limits, then a shorter processor time.
            server::upload::limit_reader()?;
            let limit = libc::rlimit { rlim_cur: CPU_SECONDS, rlim_max: CPU_SECONDS };
            libc::setrlimit(libc::RLIMIT_CPU, &limit);
            Ok(())
        });
    }
    let mut child = command.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = bytes.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    // Both pipes read at once: a panic's backtrace (RUST_BACKTRACE) can fill stderr's pipe
    // before the answer is written.
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            let _ = pipe.read_to_end(&mut text);
            String::from_utf8_lossy(&text).into_owned()
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    // The server stops a reader that overruns its time (`upload::CHILD_TIME`); so does this test.
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > std::time::Duration::from_secs(30) {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    feeder.join().unwrap();
    let (out, err) = (out.join().unwrap(), err.join().unwrap());
    let Some(status) = status else { return Ended::Limited };
    match status.signal() {
        None if status.success() => Ended::Answered(out),
        Some(libc::SIGKILL | libc::SIGXCPU) => Ended::Limited,
        Some(libc::SIGABRT) if err.contains("memory allocation of") => Ended::Limited,
        _ => Ended::Crashed(format!("{status}: {err}")),
    }
}

/// The parts of a zip file, as (name, bytes), in order.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            file.read_to_end(&mut data).unwrap();
            (file.name().unwrap().to_string(), data)
        })
        .collect()
}

fn rezip(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in parts {
        let method = if name == "mimetype" { zip::CompressionMethod::Stored } else { zip::CompressionMethod::Deflated };
        out.start_file(name.as_str(), zip::write::SimpleFileOptions::default().compression_method(method)).unwrap();
        out.write_all(data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// One mutation of `data`: a byte changed, a run deleted or repeated, digits made huge, a tag cut.
fn mutate(rng: &mut StdRng, data: &mut Vec<u8>) {
    if data.is_empty() {
        data.push(b'<');
        return;
    }
    let at = below(rng, data.len());
    match below(rng, 6) {
        0 => data[at] = rng.r#gen::<u8>(),
        1 => {
            let end = (at + 1 + below(rng, 64)).min(data.len());
            data.drain(at..end);
        }
        2 => {
            let end = (at + 1 + below(rng, 64)).min(data.len());
            let run = data[at..end].to_vec();
            for _ in 0..1 + below(rng, 8) {
                data.splice(at..at, run.iter().copied());
            }
        }
        3 => {
            // The next number becomes a huge one (a row, a column, a count, a repeat).
            if let Some(d) = data[at..].iter().position(u8::is_ascii_digit) {
                let big = ["99999999", "4294967295", "18446744073709551615", "-1", "0"][below(rng, 5)];
                data.splice(at + d..at + d + 1, big.bytes());
            }
        }
        4 => data.insert(at, [b'<', b'>', b'"', b'&', b';', b'\n', 0][below(rng, 7)]),
        _ => data.truncate(at),
    }
}

#[test]
fn mutated_spreadsheets_and_csvs_never_crash_the_reader() {
    let dir = temp_dir("mutations");
    let files = corpus(&dir);
    let fixture = |name: &str| std::fs::read(files.iter().find(|f| f.ends_with(name)).unwrap()).unwrap();
    let (xlsx, ods, csv) = (fixture("valid.xlsx"), fixture("valid.ods"), fixture("valid.csv"));
    let mut rng = StdRng::seed_from_u64(0x5eed_cafe_f00d_1234);
    let (mut tables, mut refusals) = (0, 0);
    let mut cases: Vec<(String, Vec<u8>)> = Vec::new();
    for round in 0..120 {
        // Inside the container: a part's XML mutated, the zip rebuilt valid.
        for (name, file) in [("xlsx", &xlsx), ("ods", &ods)] {
            let mut parts = unzip(file);
            let part = 1 + below(&mut rng, parts.len() - 1);
            for _ in 0..1 + below(&mut rng, 3) {
                mutate(&mut rng, &mut parts[part].1);
            }
            cases.push((format!("{name} #{round}: {} mutated", parts[part].0), rezip(&parts)));
        }
        let mut text = csv.clone();
        for _ in 0..1 + below(&mut rng, 4) {
            mutate(&mut rng, &mut text);
        }
        cases.push((format!("csv #{round}"), text));
        // The raw bytes of a container, a few of them.
        if round % 4 == 0 {
            let mut raw = if round % 8 == 0 { xlsx.clone() } else { ods.clone() };
            mutate(&mut rng, &mut raw);
            cases.push((format!("raw #{round}"), raw));
        }
    }
    let mut limited = 0;
    for (name, bytes) in &cases {
        let answer = match read_in_child(bytes) {
            Ended::Answered(answer) => answer,
            Ended::Limited => {
                limited += 1;
                continue;
            }
            Ended::Crashed(how) => panic!("{name}: the reader crashed: {how}"),
        };
        let parsed: Result<app::import::source::Table, app::error::SourceError> =
            serde_json::from_str(&answer).unwrap_or_else(|e| panic!("{name}: unreadable answer ({e}): {answer:.200}"));
        match parsed {
            Ok(_) => tables += 1,
            Err(_) => refusals += 1,
        }
    }
    println!("{} mutations: {tables} read as tables, {refusals} refused, {limited} stopped by the reader's limits", cases.len());
    assert!(cases.len() >= 300);
    assert!(tables > 0 && refusals > 0, "the mutations reach both answers");
}
