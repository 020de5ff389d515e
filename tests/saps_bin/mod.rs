//! Running the real `saps` binary from the storage tests: a clean
//! environment, a time limit, and a walkthrough database to start from.

#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The clock every storage test runs at (after the walkthrough's last line).
pub const NOW: &str = "2026-04-01";

pub struct Run {
    /// The exit code; `None` when a signal ended the process.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Neither a Rust panic (101), nor a signal (abort), nor a timeout.
    pub fn ended_cleanly(&self) -> bool {
        matches!(self.code, Some(c) if c != 101)
    }
}

/// `saps --db DB --now NOW` in a clean environment.
pub fn saps(db: &Path) -> Command {
    let mut c = saps_plain(db);
    c.arg("--now").arg(NOW);
    c
}

/// `saps --db DB` in a clean environment (no saps variables, no backtraces).
pub fn saps_plain(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_saps"));
    c.arg("--db").arg(db);
    for var in [
        "SAPS_DB",
        "SAPS_CATALOG",
        "SAPS_RATES",
        "RUST_BACKTRACE",
        "RUST_LIB_BACKTRACE",
    ] {
        c.env_remove(var);
    }
    c
}

/// Runs `cmd` with no input; kills it after 60 s (reported as `code: None`).
pub fn run_cmd(mut cmd: Command) -> Run {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("saps starts");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stdout = String::from_utf8_lossy(&reader.join().unwrap()).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned();
    Run {
        code: status.and_then(|s| s.code()),
        stdout,
        stderr,
    }
}

pub fn run(db: &Path, args: &[&str]) -> Run {
    let mut c = saps(db);
    c.args(args);
    run_cmd(c)
}

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A database made by running `assets/walkthrough.jsonl` (one voucher to paid)
/// in `assets/`, where the report's deliverable file is, as README says.
pub fn walkthrough_db(dir: &Path) -> PathBuf {
    let db = dir.join("walkthrough.db");
    let mut c = saps(&db);
    c.current_dir(crate_dir().join("assets"))
        .arg("exec")
        .arg("walkthrough.jsonl");
    let r = run_cmd(c);
    assert_eq!(r.code, Some(0), "walkthrough failed: {}{}", r.stdout, r.stderr);
    db
}

/// `saps export --format json` of `db`, which must succeed.
pub fn export_json(db: &Path) -> String {
    let r = run(db, &["export", "--format", "json"]);
    assert_eq!(r.code, Some(0), "export failed: {}", r.stderr);
    r.stdout
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A deterministic pseudo-random sequence (64-bit LCG, high bits).
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { self.next() as usize % n }
    }
}
