//! Memory and time that grow with the data (issue 11, items 15-17): the
//! commands that read the whole database (export JSON and CSV, check,
//! backup, restore) and the desk, at N/3 and N vouchers (N = 300,000 by
//! default), each beside floors measured in the same run on the same disk.
//!
//! `cargo bench --bench stream`; SAPS_BENCH_N sets N; SAPS_BENCH_DBS names a
//! directory of databases to reuse (`v{n}.db`, made by the demo's generator
//! if missing, which takes minutes at 300,000), default
//! `target/tmp/stream-dbs`; SAPS_BENCH_RUNS (default 3) how many times each
//! size is measured, the sizes taking turns: the table gives each figure's
//! median time and highest peak.
//!
//! Every command runs as a child process of the real `saps` binary; its
//! peak resident memory is the child's `ru_maxrss` (from `wait4`, in a
//! small parent: see `child`), its time the child's wall time. The floors:
//! - memory: the same command on the partner's database with no vouchers;
//! - time: a child that opens the database as the commands do and reads
//!   every key and value of every tree once, decoding nothing (the least
//!   any command reading the whole database can do).
//!
//! The desk is a child of this bench (`--desk-child`): it opens the desk,
//! draws a frame, visits every tab through its key and goes to the end of
//! each list (End).

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use saps::app::{self, DeskOptions};
use saps::demo::{self, compact};
use saps::domain::Catalog;
use saps::store::Store;
use saps::ui::tab::Tab;
use saps::ui::{Msg, view};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SAPS: &str = env!("CARGO_BIN_EXE_saps");
const ACTOR: &str = "ava@northwind.example";

fn main() {
    // The mode is the first argument (cargo bench adds `--bench` after it
    // in the parent only).
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("--peak-of") => return peak_of(&args[2..]),
        Some("--desk-child") => return desk_child(Path::new(&args[2])),
        Some("--raw-child") => return raw_child(Path::new(&args[2])),
        _ => {}
    }
    let n: usize = std::env::var("SAPS_BENCH_N")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300_000);
    let dbs = std::env::var_os("SAPS_BENCH_DBS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_TARGET_TMPDIR")).join("stream-dbs"));
    std::fs::create_dir_all(&dbs).expect("bench dir");
    let scratch = tempfile::tempdir_in(&dbs).expect("scratch dir");
    println!("saps stream bench: N = {n}, databases in {}", dbs.display());
    let repeats: usize = std::env::var("SAPS_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3)
        .max(1);
    let sizes = [0, n / 3, n];
    let dbs: Vec<PathBuf> = sizes.iter().map(|c| database(&dbs, scratch.path(), *c)).collect();
    // The sizes take turns, so a change in the machine's load falls on all.
    let mut all: Vec<Vec<Run>> = sizes.iter().map(|_| Vec::new()).collect();
    for r in 0..repeats {
        println!("run {} of {repeats}", r + 1);
        for (i, count) in sizes.iter().enumerate() {
            all[i].push(measure(&dbs[i], scratch.path(), *count));
        }
    }
    let runs: Vec<Run> = all.into_iter().map(combined).collect();
    println!("\nmedian time and highest peak of {repeats} run(s) each:");
    report(&runs);
}

/// The database of `count` vouchers: reused from `dbs`, or made there (the
/// empty one is made fresh in `scratch`).
fn database(dbs: &Path, scratch: &Path, count: usize) -> PathBuf {
    let db = if count == 0 {
        scratch.join("v0.db")
    } else {
        dbs.join(format!("v{count}.db"))
    };
    if db.join("db").exists() {
        println!("v{count}: reused, {} on disk", mib(du(&db)));
        return db;
    }
    // As `saps demo --vouchers N --db DIR` makes it: generated beside,
    // then restored into `db` (src/demo/compact.rs).
    let (s, store) = compact::seed_compact(&db, &Catalog::builtin(), count).expect("seed");
    drop(store);
    let after = du(&db);
    wait_unlocked(&db);
    println!(
        "v{count}: generated in {:.1} s; {} on disk after it, {} after reopening",
        s.seconds,
        mib(after),
        mib(du(&db))
    );
    db
}

/// One command's figures.
#[derive(Clone, Copy, Default)]
struct Figure {
    time: Duration,
    /// User and system CPU time (steadier than the wall time when others
    /// share the machine).
    cpu: Duration,
    peak_kib: u64,
}

struct Run {
    count: usize,
    floor: Figure,
    commands: Vec<(&'static str, Figure)>,
}

fn measure(db: &Path, scratch: &Path, count: usize) -> Run {
    let today = "2026-06-15T12:00:00Z";
    let saps = |args: &[&str]| {
        let mut c = Command::new(SAPS);
        c.arg("--db").arg(db).arg("--now").arg(today).args(args);
        c
    };
    let backup = scratch.join(format!("v{count}.bak"));
    let restored = scratch.join(format!("v{count}-restored.db"));
    let floor = child(
        Command::new(std::env::current_exe().expect("exe"))
            .arg("--raw-child")
            .arg(db),
    );
    let mut commands = vec![
        ("export (JSON)", child(&mut saps(&["export"]))),
        (
            "export --format csv",
            child(&mut saps(&["export", "--format", "csv"])),
        ),
        ("check", child(&mut saps(&["check"]))),
        (
            "backup",
            child(&mut saps(&["backup", backup.to_str().expect("path")])),
        ),
    ];
    let mut restore = Command::new(SAPS);
    restore.arg("--db").arg(&restored).arg("restore").arg(&backup);
    commands.push(("restore", child(&mut restore)));
    let _ = std::fs::remove_file(&backup);
    let _ = std::fs::remove_dir_all(&restored);
    let desk = child(
        Command::new(std::env::current_exe().expect("exe"))
            .arg("--desk-child")
            .arg(db),
    );
    commands.push(("desk: open, every tab, End of each list", desk));
    for (what, f) in &commands {
        println!(
            "v{count}: {what}: {:.2} s ({:.2} s CPU), peak {} (floor: read every tree {:.2} s, peak {})",
            f.time.as_secs_f64(),
            f.cpu.as_secs_f64(),
            mib(f.peak_kib * 1024),
            floor.time.as_secs_f64(),
            mib(floor.peak_kib * 1024)
        );
    }
    Run {
        count,
        floor,
        commands,
    }
}

/// The runs of one size as one: each figure's median time, highest peak.
fn combined(runs: Vec<Run>) -> Run {
    let figure = |of: &dyn Fn(&Run) -> Figure| {
        let median = |at: &dyn Fn(Figure) -> Duration| {
            let mut times: Vec<Duration> = runs.iter().map(|r| at(of(r))).collect();
            times.sort();
            times[times.len() / 2]
        };
        Figure {
            time: median(&|f| f.time),
            cpu: median(&|f| f.cpu),
            peak_kib: runs.iter().map(|r| of(r).peak_kib).max().unwrap_or(0),
        }
    };
    let first = &runs[0];
    Run {
        count: first.count,
        floor: figure(&|r| r.floor),
        commands: (0..first.commands.len())
            .map(|i| (first.commands[i].0, figure(&|r| r.commands[i].1)))
            .collect(),
    }
}

/// Runs `cmd` to its end (its output thrown away); its wall time and peak
/// resident memory. A child's `ru_maxrss` counts the memory of the process
/// it was started from (this one holds a seeded database), so `cmd` is
/// started and waited for by a fresh copy of this bench (`--peak-of`).
fn child(cmd: &mut Command) -> Figure {
    let out = Command::new(std::env::current_exe().expect("exe"))
        .arg("--peak-of")
        .arg(cmd.get_program())
        .args(cmd.get_args())
        .output()
        .expect("spawn");
    let text = String::from_utf8_lossy(&out.stdout);
    let f: Vec<f64> = text.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    assert!(
        f.len() == 3,
        "{cmd:?}: {text} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Figure {
        time: Duration::from_secs_f64(f[1]),
        cpu: Duration::from_secs_f64(f[2]),
        peak_kib: f[0] as u64,
    }
}

/// In the child: runs `args` (a program and its arguments) and prints its
/// peak resident memory in KiB, its wall time and its CPU time in seconds.
// The child is reaped by `wait4` (for its rusage), not by `Child::wait`.
#[allow(clippy::zombie_processes)]
fn peak_of(args: &[String]) {
    let t = Instant::now();
    let null = || File::create("/dev/null").map(Stdio::from).expect("/dev/null");
    let c = Command::new(&args[0])
        .args(&args[1..])
        .stdin(Stdio::null())
        .stdout(null())
        .stderr(null())
        .spawn()
        .expect("spawn");
    let pid = c.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our child, not yet waited for; both pointers are valid.
    let got = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let time = t.elapsed();
    assert_eq!(got, pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{args:?} failed: status {status}"
    );
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    let cpu = secs(usage.ru_utime) + secs(usage.ru_stime);
    println!("{} {} {cpu}", usage.ru_maxrss, time.as_secs_f64());
}

fn report(runs: &[Run]) {
    let [empty, small, big] = runs else {
        panic!("three runs")
    };
    println!(
        "\n| command | N/3 = {}: time (x floor), CPU, peak | N = {}: time (x floor), CPU, peak | time N / N/3 (floor's) | CPU N / N/3 (floor's) | peak over the empty db at N |",
        small.count, big.count
    );
    println!("|---|---|---|---|---|---|");
    let row = |what: &str, s: Figure, sf: Figure, b: Figure, bf: Figure, e: Figure| {
        println!(
            "| {what} | {:.2} s ({:.1}x), {:.2} s, {} | {:.2} s ({:.1}x), {:.2} s, {} | {:.2}x ({:.2}x) | {:.2}x ({:.2}x) | +{} (empty: {}) |",
            s.time.as_secs_f64(),
            s.time.as_secs_f64() / sf.time.as_secs_f64(),
            s.cpu.as_secs_f64(),
            mib(s.peak_kib * 1024),
            b.time.as_secs_f64(),
            b.time.as_secs_f64() / bf.time.as_secs_f64(),
            b.cpu.as_secs_f64(),
            mib(b.peak_kib * 1024),
            b.time.as_secs_f64() / s.time.as_secs_f64(),
            bf.time.as_secs_f64() / sf.time.as_secs_f64(),
            b.cpu.as_secs_f64() / s.cpu.as_secs_f64(),
            bf.cpu.as_secs_f64() / sf.cpu.as_secs_f64(),
            mib(b.peak_kib.saturating_sub(e.peak_kib) * 1024),
            mib(e.peak_kib * 1024),
        );
    };
    row(
        "floor: read every tree",
        small.floor,
        small.floor,
        big.floor,
        big.floor,
        empty.floor,
    );
    for (i, (what, _)) in big.commands.iter().enumerate() {
        row(
            what,
            small.commands[i].1,
            small.floor,
            big.commands[i].1,
            big.floor,
            empty.commands[i].1,
        );
    }
}

/// In the child: every key and value of every tree read once, as export
/// and check open the database.
fn raw_child(path: &Path) {
    let store = Store::open_scan(path).expect("open");
    let mut bytes = 0usize;
    for name in store.tree_names().expect("trees") {
        for item in store.raw_records(&name).expect("tree") {
            let (k, v) = item.expect("entry");
            bytes += k.len() + v.len();
        }
    }
    println!("{bytes}");
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// In the child: the desk opened, every tab visited and each list's end.
fn desk_child(path: &Path) {
    let store = Store::open(path).expect("open");
    let options = DeskOptions {
        db: path.to_path_buf(),
        actor: Some(ACTOR.into()),
        now: Some(demo::now()),
        catalog: Catalog::builtin(),
        tour: false,
    };
    let (mut m, mut engine) = app::prepare_on(std::sync::Arc::new(store), options).expect("prepare");
    app::dispatch(&mut m, &mut engine, Msg::Resize(200, 50));
    let mut term = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    term.draw(|f| view(&m, f)).expect("draw");
    for i in 0..Tab::ALL.len() {
        for msg in [key(KeyCode::Char(char::from(b'0' + i as u8))), key(KeyCode::End)] {
            app::dispatch(&mut m, &mut engine, msg);
            term.draw(|f| view(&m, f)).expect("draw");
        }
    }
}

/// The bytes of every file under `dir` (what `du -b` says).
fn du(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => du(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

fn mib(bytes: u64) -> String {
    format!("{:.0} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// Opens and closes `db` (retrying: sled's flusher of a dropped handle can
/// hold the lock for a moment).
fn wait_unlocked(db: &Path) {
    let until = Instant::now() + Duration::from_secs(10);
    while Instant::now() < until {
        match Store::open(db) {
            Ok(_) => return,
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}
