//! The workbook export at scale (issue 14): `saps export --format xlsx` of N
//! vouchers against `--format csv` of the same database, in the same run,
//! each in a child process whose peak resident memory (VmHWM) is read.
//!
//! `cargo bench --bench sheets` (N via SAPS_BENCH_N, default 100000; the
//! database in a temporary directory under SAPS_BENCH_DIR, default cargo's
//! target tmp directory; runs per format via SAPS_BENCH_RUNS, default 3).
//! The targets: the workbook under 128 MiB and in less than 3x the CSV's time.
//!
//! SAPS_BENCH_DB=DIR keeps the seeded database there (seeded when DIR does
//! not exist, reused as it is when it does), so runs can be repeated
//! without seeding again. After the runs, one more child times the
//! workbook's parts: reading each kind of record alone, then each sheet's
//! rows, then the save (zip and compression).

use saps::demo::scale;
use saps::domain::Catalog;
use saps::export::Format;
use saps::settings::Settings;
use saps::store::Store;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--export-child") {
        export_child(&args[i + 1], Path::new(&args[i + 2]), Path::new(&args[i + 3]));
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--parts-child") {
        parts_child(Path::new(&args[i + 1]), Path::new(&args[i + 2]));
        return;
    }
    let env = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(default)
    };
    let n = env("SAPS_BENCH_N", 100_000);
    let runs = env("SAPS_BENCH_RUNS", 3).max(1);
    let base = std::env::var_os("SAPS_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| env!("CARGO_TARGET_TMPDIR").into());
    std::fs::create_dir_all(&base).expect("bench dir");
    let dir = tempfile::tempdir_in(&base).expect("temp dir");
    println!(
        "saps sheets bench: N = {n}, {runs} runs per format, database in {}",
        base.display()
    );

    let db = std::env::var_os("SAPS_BENCH_DB")
        .map(PathBuf::from)
        .unwrap_or_else(|| dir.path().join("big.db"));
    if db.exists() {
        println!("reusing the database in {}", db.display());
    } else {
        let store = Store::open(&db).expect("open");
        let s = scale::seed_scale(Arc::new(store), &Catalog::builtin(), n).expect("seed");
        println!("seeded: {s}");
        // The seeding store's lock goes with the last handle; let sled let go.
        std::thread::sleep(std::time::Duration::from_millis(500));
    }

    let mut csv = Vec::new();
    let mut xlsx = Vec::new();
    for run in 0..runs {
        for (format, out) in [("csv", &mut csv), ("xlsx", &mut xlsx)] {
            let file = dir.path().join(format!("export-{run}.{format}"));
            let m = child(format, &db, &file);
            println!(
                "run {}: {format}: {:.2} s ({:.2} s of CPU), peak {:.0} MiB, {:.1} MB written",
                run + 1,
                m.seconds,
                m.cpu,
                m.peak_mib,
                m.bytes as f64 / 1e6
            );
            out.push(m);
        }
    }
    let med = |ms: &[Measure], f: fn(&Measure) -> f64| {
        let mut v: Vec<f64> = ms.iter().map(f).collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (ct, xt) = (med(&csv, |m| m.seconds), med(&xlsx, |m| m.seconds));
    let (cc, xc) = (med(&csv, |m| m.cpu), med(&xlsx, |m| m.cpu));
    let (cm, xm) = (med(&csv, |m| m.peak_mib), med(&xlsx, |m| m.peak_mib));
    println!("\n| export of {n} vouchers (median of {runs}) | time | CPU time | peak memory (VmHWM) |");
    println!("|---|---|---|---|");
    println!("| csv | {ct:.2} s | {cc:.2} s | {cm:.0} MiB |");
    println!("| xlsx | {xt:.2} s | {xc:.2} s | {xm:.0} MiB |");
    println!(
        "| xlsx / csv | {:.2}x (target < 3x) | {:.2}x | {:.2}x (target: xlsx < 128 MiB) |",
        xt / ct,
        xc / cc,
        xm / cm
    );
    let out = Command::new(std::env::current_exe().expect("exe"))
        .arg("--parts-child")
        .arg(&db)
        .arg(dir.path().join("parts.xlsx"))
        .output()
        .expect("child");
    println!(
        "\nthe workbook's parts, one run:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

struct Measure {
    seconds: f64,
    /// User and system time of all the child's threads.
    cpu: f64,
    peak_mib: f64,
    bytes: u64,
}

/// Runs one export in a fresh child process; its time and peak memory.
fn child(format: &str, db: &Path, file: &Path) -> Measure {
    let out = Command::new(std::env::current_exe().expect("exe"))
        .arg("--export-child")
        .arg(format)
        .arg(db)
        .arg(file)
        .output()
        .expect("child");
    let text = String::from_utf8_lossy(&out.stdout);
    let f: Vec<f64> = text.split_whitespace().filter_map(|s| s.parse().ok()).collect();
    assert!(
        out.status.success() && f.len() == 3,
        "child said {text:?} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    let _ = std::fs::remove_file(file);
    Measure {
        seconds: f[0],
        peak_mib: f[1] / 1024.0,
        cpu: f[2],
        bytes,
    }
}

/// In the child: the export as `saps export --format F --output FILE` runs
/// it, then its time, this process's peak resident memory in KiB and its
/// CPU time (every thread's, user and system) in seconds.
fn export_child(format: &str, db: &Path, file: &Path) {
    let settings = Settings {
        db: db.to_path_buf(),
        actor: None,
        now: Some(scale_now()),
        catalog: None,
        rates: None,
    };
    let format = if format == "xlsx" {
        Format::Xlsx
    } else {
        Format::Csv
    };
    let started = Instant::now();
    saps::export::run(&settings, format, Some(file)).expect("export");
    let seconds = started.elapsed().as_secs_f64();
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let hwm = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or("0");
    println!("{seconds} {hwm} {}", cpu_seconds());
}

/// This process's user and system time so far, all threads, from
/// /proc/self/stat (in clock ticks of 1/100 s, Linux's USER_HZ).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name (in parentheses, may hold spaces).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, the 12th and 13th
    // after the name (the first being the state).
    let ticks = |i: usize| f.get(i).and_then(|s| s.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// In the child: the workbook's parts timed one after the other (in the
/// export, [`saps::export::workbook`] writes the records' sheets and the
/// audit log's at once, on different threads), after a pass that only reads.
fn parts_child(db: &Path, file: &Path) {
    let store = saps::store::open_existing(db).expect("open");
    let now = scale_now();
    let timed = |what: &str, started: Instant| {
        println!("| {what} | {:.2} s |", started.elapsed().as_secs_f64());
    };
    println!("| part | time |\n|---|---|");
    let started = Instant::now();
    let mut count = 0usize;
    store.for_each_customer(&mut |_, _| count += 1).expect("read");
    timed(&format!("read {count} customers"), started);
    let started = Instant::now();
    let mut count = 0usize;
    store.for_each_voucher(&mut |_| count += 1).expect("read");
    timed(&format!("read {count} vouchers"), started);
    let started = Instant::now();
    let mut count = 0usize;
    store.for_each_event(&mut |_| count += 1).expect("read");
    timed(&format!("read {count} events"), started);

    let org = store.working_state().expect("state").org;
    let catalog = Catalog::builtin();
    let mut book = saps::export::xlsx::Book::new(&org, &catalog, now.date_naive()).expect("book");
    let started = Instant::now();
    store
        .for_each_customer(&mut |c, l| book.customer(&c, &l).expect("row"))
        .expect("read");
    timed("read + write the Customers rows", started);
    let started = Instant::now();
    store
        .for_each_voucher(&mut |v| book.voucher(&v).expect("row"))
        .expect("read");
    timed("read + write the Vouchers and Payments rows", started);
    let started = Instant::now();
    store
        .for_each_event(&mut |r| book.event(&r).expect("row"))
        .expect("read");
    timed("read + write the Audit rows", started);
    let started = Instant::now();
    let mut book = book.finish().expect("finish");
    saps::export::save_workbook(&mut book, file).expect("save");
    timed("finish and save (zip)", started);
    let _ = std::fs::remove_file(file);
}

/// The generator's clock, so statuses come out as the desk would show them.
fn scale_now() -> chrono::DateTime<chrono::Utc> {
    saps::demo::now()
}
