//! `saps export`, `check`, `backup` and `restore` hold one record at a
//! time: their peak resident memory (the child's `ru_maxrss`) grows little
//! with the data. Before they streamed, each held every record, the audit
//! log and (export) the whole output: about 10 KiB a voucher; a restore
//! wrote each tree in one sled batch.

use saps::demo::scale;
use saps::domain::Catalog;
use saps::store::Store;
use std::fs::File;
use std::path::Path;
use std::process::{Command, Stdio};

/// Vouchers in the bigger database (the smaller has none).
const N: usize = 3_000;

/// The most a command's peak may grow from no vouchers to N: sled's own
/// page table and cache, not the records. Measured in a debug build: export
/// and check grew 8-10 MiB (34-37 MiB when they held every record), restore
/// 27 MiB (sled's writes into the new database; 115 MiB with one batch a
/// tree and the records loaded to verify them).
const GROWTH_KIB: u64 = 16 * 1024;
const RESTORE_GROWTH_KIB: u64 = 56 * 1024;

/// Runs `saps ARGS` on `db` to its end; its peak resident memory in KiB.
/// A child's `ru_maxrss` counts the memory of the process it was started
/// from, so the command is started by a fresh copy of this test binary
/// (see [`peak_runner`]), not by this process, which holds the seeded data.
fn peak(db: &Path, args: &[&str]) -> u64 {
    let mut line = vec![
        "--db".to_owned(),
        db.to_str().unwrap().to_owned(),
        "--now".to_owned(),
        "2026-06-15T12:00:00Z".to_owned(),
    ];
    line.extend(args.iter().map(|a| a.to_string()));
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "peak_runner", "--nocapture", "--test-threads=1"])
        .env(RUNNER, line.join("\u{1f}"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.split("PEAK ").nth(1))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("saps {args:?}: {text} {}", String::from_utf8_lossy(&out.stderr)))
}

const RUNNER: &str = "SAPS_TEST_PEAK_OF";

/// Not a check of its own: with SAPS_TEST_PEAK_OF set (by [`peak`]), runs
/// saps with those arguments and prints its peak resident memory.
#[test]
// The child is reaped by `wait4` (for its rusage), not by `Child::wait`.
#[allow(clippy::zombie_processes)]
fn peak_runner() {
    let Ok(line) = std::env::var(RUNNER) else {
        return;
    };
    let null = || Stdio::from(File::create("/dev/null").unwrap());
    let child = Command::new(env!("CARGO_BIN_EXE_saps"))
        .args(line.split('\u{1f}'))
        .stdin(Stdio::null())
        .stdout(null())
        .stderr(null())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: a zeroed rusage is valid for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our child, not yet waited for; the pointers are valid.
    let got = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(got, pid);
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "saps {line:?}: status {status}"
    );
    println!("PEAK {}", usage.ru_maxrss);
}

fn seeded(dir: &Path, name: &str, n: usize) -> std::path::PathBuf {
    let db = dir.join(name);
    let store = std::sync::Arc::new(Store::open(&db).unwrap());
    scale::seed_scale(store, &Catalog::builtin(), n).unwrap();
    db
}

#[test]
fn whole_database_commands_do_not_hold_the_records() {
    let dir = tempfile::tempdir().unwrap();
    let small = seeded(dir.path(), "small.db", 0);
    let big = seeded(dir.path(), "big.db", N);
    let mut grew = Vec::new();
    for (what, args) in [
        ("export", vec!["export"]),
        ("export csv", vec!["export", "--format", "csv"]),
        ("check", vec!["check"]),
    ] {
        let (s, b) = (peak(&small, &args), peak(&big, &args));
        grew.push((what, s, b));
    }
    let (sb, bb) = (dir.path().join("small.bak"), dir.path().join("big.bak"));
    let backup = |db: &Path, file: &Path| peak(db, &["backup", file.to_str().unwrap()]);
    grew.push(("backup", backup(&small, &sb), backup(&big, &bb)));
    let restore =
        |file: &Path, name: &str| peak(&dir.path().join(name), &["restore", file.to_str().unwrap()]);
    grew.push(("restore", restore(&sb, "small-r.db"), restore(&bb, "big-r.db")));
    for (what, s, b) in &grew {
        let limit = if *what == "restore" {
            RESTORE_GROWTH_KIB
        } else {
            GROWTH_KIB
        };
        assert!(
            b.saturating_sub(*s) < limit,
            "{what}: peak {s} KiB with no vouchers, {b} KiB with {N}: {grew:?}"
        );
    }
}
