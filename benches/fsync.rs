//! What an fsync of sled's log file after each flush costs.
//!
//! `cargo bench --bench fsync` (set SAPS_BENCH_DIR to measure another disk;
//! the default is cargo's target tmp directory; N, default 1000, via
//! SAPS_BENCH_COMMITS).
//! Each mode commits N small commands (one `add_customer` event and its
//! record) to a fresh database and reports the mean and median per commit.

use chrono::{DateTime, NaiveDate, Utc};
use saps::domain::records::Customer;
use saps::domain::{Event, Recorded, State};
use saps::store::{Options, Store, durable};
use std::path::Path;
use std::time::{Duration, Instant};

#[derive(Clone, Copy)]
enum Mode {
    FlushOnly,
    SyncLog,
    SyncLogAndDir,
}

impl Mode {
    fn label(self) -> &'static str {
        match self {
            Mode::FlushOnly => "(a) sled flush only",
            Mode::SyncLog => "(b) flush + fsync of sled's log file (adopted)",
            Mode::SyncLogAndDir => "(c) flush + fsync of the log file and the directory",
        }
    }
}

fn commits(dir: &Path, mode: Mode, n: u64) -> Vec<Duration> {
    let options = Options {
        sync_files: !matches!(mode, Mode::FlushOnly),
        ..Options::default()
    };
    let path = dir.join("db");
    let store = Store::open_with(&path, &options).expect("open");
    let mut state = State::default();
    let at = DateTime::<Utc>::from_timestamp_millis(1_767_614_400_000).expect("time");
    let mut took = Vec::with_capacity(n as usize);
    for seq in 1..=n {
        let id = format!("LIC-{seq:06}");
        let customer = Customer {
            licensing_id: id.clone(),
            name: "Fabrikam Inc.".into(),
            planning_days: 20,
            agreement_expires: NaiveDate::from_ymd_opt(2028, 1, 1).expect("date"),
        };
        state.customers.insert(id.clone(), customer.clone());
        state.last_seq = seq;
        let r = Recorded {
            seq,
            id: uuid::Uuid::now_v7(),
            id_given: false,
            at,
            actor: "carol@contoso.example".into(),
            event: Event::CustomerAdded {
                licensing_id: id,
                name: customer.name,
                planning_days: customer.planning_days,
                agreement_expires: customer.agreement_expires,
            },
        };
        let start = Instant::now();
        store.commit(&state, &[r]).expect("commit");
        if matches!(mode, Mode::SyncLogAndDir) {
            durable::sync_dir(&path).expect("sync dir");
        }
        took.push(start.elapsed());
    }
    took
}

fn stats(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort();
    let mean = v.iter().map(Duration::as_secs_f64).sum::<f64>() / v.len() as f64;
    (mean * 1e3, v[v.len() / 2].as_secs_f64() * 1e3)
}

fn main() {
    let base = std::env::var_os("SAPS_BENCH_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| env!("CARGO_TARGET_TMPDIR").into());
    std::fs::create_dir_all(&base).expect("bench dir");
    let dir = tempfile::tempdir_in(&base).expect("temp dir");
    let n: u64 = std::env::var("SAPS_BENCH_COMMITS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    println!(
        "{n} commits of one small command each, database in {}",
        base.display()
    );
    // Warm up the disk and the allocator, then alternate the modes twice.
    let _ = commits(dir.path(), Mode::SyncLog, 20);
    let modes = [Mode::FlushOnly, Mode::SyncLog, Mode::SyncLogAndDir];
    let mut results: Vec<Vec<Duration>> = vec![Vec::new(); modes.len()];
    for round in 0..2 {
        for (i, mode) in modes.iter().enumerate() {
            let round_dir = dir.path().join(format!("round-{round}-{i}"));
            results[i].extend(commits(&round_dir, *mode, n / 2));
        }
    }
    let (base_mean, base_median) = stats(results[0].clone());
    for (mode, took) in modes.iter().zip(results) {
        let (mean, median) = stats(took);
        println!(
            "{:<55} mean {mean:7.3} ms  median {median:7.3} ms  ratio to (a): mean {:.2}x, median {:.2}x",
            mode.label(),
            mean / base_mean,
            median / base_median
        );
    }
}
