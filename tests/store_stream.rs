//! Export and check walk the store one record at a time: the streamed
//! export gives the same bytes as the whole-state export, and the streamed
//! check the same report as the whole-state check, on generated databases;
//! at a doubt the streamed check gives way to the whole one, which names it.

mod fixtures;

use chrono::NaiveDate;
use saps::check;
use saps::demo::{self, scale};
use saps::domain::{Catalog, Event};
use saps::export::{csv, json, streamed};
use saps::store::{Store, codec, keys};
use std::sync::Arc;
use tempfile::TempDir;

const N: usize = 1_200;

fn generated(n: usize) -> (TempDir, Arc<Store>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Arc::new(Store::open(&dir.path().join("gen.db")).expect("open"));
    scale::seed_scale(store.clone(), &Catalog::builtin(), n).expect("seeds");
    (dir, store)
}

fn demo_db() -> (TempDir, Arc<Store>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Arc::new(Store::open(&dir.path().join("demo.db")).expect("open"));
    demo::seed(store.clone(), &Catalog::builtin()).expect("seeds");
    (dir, store)
}

fn days() -> [NaiveDate; 2] {
    [
        demo::now().date_naive(),
        NaiveDate::from_ymd_opt(2027, 3, 1).unwrap(),
    ]
}

fn assert_same_exports(store: &Store, what: &str) {
    let state = store.load().expect("loads");
    let events = store.events().expect("events");
    for today in days() {
        let mut out = Vec::new();
        streamed::json(store, today, &mut out).expect("streams");
        let whole = json::render(&state, &events, today);
        assert!(
            String::from_utf8(out).unwrap() == whole,
            "{what} on {today}: the streamed JSON differs"
        );
        let mut out = Vec::new();
        streamed::csv(store, today, &mut out).expect("streams");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            csv::render(&state, today),
            "{what} on {today}"
        );
    }
}

#[test]
fn the_streamed_export_is_byte_for_byte_the_whole_state_export() {
    let (_d, store) = generated(N);
    assert_same_exports(&store, "a generated database");
    let (_d, store) = demo_db();
    assert_same_exports(&store, "the demo");
    let (_d, store) = generated(0);
    assert_same_exports(&store, "no vouchers");
    let dir = tempfile::tempdir().expect("temp dir");
    assert_same_exports(
        &Store::open(&dir.path().join("new.db")).unwrap(),
        "a new database",
    );
}

#[test]
fn the_streamed_check_agrees_with_the_whole_check() {
    for (what, (_d, store)) in [("generated", generated(N)), ("demo", demo_db())] {
        for today in days() {
            let whole = check::check_whole(&store, today);
            assert!(whole.healthy(), "{what}: {}", whole.render());
            assert_eq!(
                check::check_streamed(&store, today),
                Some(whole),
                "{what} on {today}"
            );
        }
    }
}

/// One change to the stored bytes; the streamed check must give way, and
/// `check` then says what the whole check says.
fn gives_way(store: &Store, tree: &str, key: &[u8], value: Option<&[u8]>, what: &str) {
    let before = store.raw_get(tree.as_bytes(), key).unwrap();
    store.raw_set(tree.as_bytes(), key, value).unwrap();
    doubted(store, what);
    store.raw_set(tree.as_bytes(), key, before.as_deref()).unwrap();
    assert!(
        check::check_streamed(store, demo::now().date_naive()).is_some(),
        "{what}: put back"
    );
}

/// As `gives_way`, for a change to the audit log's block holding `seq`.
fn log_gives_way(store: &Store, seq: u64, change: impl FnOnce(&mut Vec<(u64, Vec<u8>)>), what: &str) {
    let undo = fixtures::edit_log(store, seq, change);
    doubted(store, what);
    fixtures::put_back(store, undo);
    assert!(
        check::check_streamed(store, demo::now().date_naive()).is_some(),
        "{what}: put back"
    );
}

/// The streamed check gives way, and `check` says what the whole one says.
fn doubted(store: &Store, what: &str) {
    let today = demo::now().date_naive();
    assert_eq!(check::check_streamed(store, today), None, "{what}");
    let report = check::check(store, today);
    assert!(!report.healthy(), "{what}: {}", report.render());
    assert_eq!(report, check::check_whole(store, today), "{what}");
}

#[test]
fn at_a_doubt_the_streamed_check_gives_way_to_the_whole_one() {
    let (_d, store) = generated(N);
    let id = "VCH-0000600";
    let mut v = store.voucher(id).unwrap().expect("voucher");
    v.admin_email.push('x');
    let changed = codec::encode(&v);
    gives_way(
        &store,
        keys::VOUCHERS,
        id.as_bytes(),
        Some(&changed),
        "a changed voucher",
    );
    gives_way(&store, keys::VOUCHERS, id.as_bytes(), None, "a missing voucher");
    let (key, _) = store.raw_entries(keys::INDEX.as_bytes()).unwrap().remove(0);
    gives_way(&store, keys::INDEX, &key, None, "a missing index entry");
    gives_way(&store, keys::INDEX, b"zz", Some(b""), "an index entry too many");
    let (key, value) = store.raw_entries(keys::INVOICES.as_bytes()).unwrap().remove(3);
    let mut other = value.clone();
    other.push(b'9');
    gives_way(
        &store,
        keys::INVOICES,
        &key,
        Some(&other),
        "an invoice given to another voucher",
    );
    // A validation's time is the voucher's validated_at.
    let mut r = store
        .events()
        .unwrap()
        .into_iter()
        .find(|r| r.seq > 500 && matches!(r.event, Event::VoucherValidated { .. }))
        .expect("a validation");
    let seq = r.seq;
    r.at += chrono::Duration::seconds(1);
    let changed = codec::encode(&r);
    log_gives_way(
        &store,
        seq,
        |events| {
            events
                .iter_mut()
                .filter(|e| e.0 == seq)
                .for_each(|e| e.1 = changed.clone())
        },
        "an event changed",
    );
    log_gives_way(
        &store,
        seq,
        |events| events.retain(|e| e.0 != seq),
        "an event missing",
    );
    // The same seq stored twice: a single event inside another's block.
    let (key, block) = store.event_block(seq).unwrap().expect("a block");
    let parts = saps::store::blocks::split(&block).unwrap();
    assert!(
        parts.len() > 1,
        "the generator's commits make blocks of many events"
    );
    let twice = keys::event(keys::event_seq(&key).unwrap() + 1);
    gives_way(
        &store,
        keys::EVENTS,
        &twice,
        Some(parts[1]),
        "an event stored twice",
    );
    let mut torn = block.clone();
    torn.truncate(block.len() / 2);
    gives_way(&store, keys::EVENTS, &key, Some(&torn), "a torn block");
    gives_way(
        &store,
        keys::CUSTOMERS,
        b"zz",
        Some(b"\x01"),
        "a customer that does not decode",
    );
}

/// `saps export ARGS` on `db` (retrying while sled's flusher of the test's
/// dropped handle still holds the lock); its standard output.
fn export_bin(db: &std::path::Path, args: &[&str]) -> Vec<u8> {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_saps"))
            .arg("--db")
            .arg(db)
            .args(["--now", "2026-06-15T12:00:00Z", "export"])
            .args(args)
            .output()
            .unwrap();
        if out.status.success() {
            return out.stdout;
        }
        assert!(
            std::time::Instant::now() < until,
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn an_export_to_a_file_is_the_export_to_standard_output() {
    let (dir, store) = generated(200);
    let db = store.path().to_path_buf();
    drop(store);
    for format in ["json", "csv"] {
        let file = dir.path().join(format!("out.{format}"));
        std::fs::write(&file, b"an older export").unwrap();
        let printed = export_bin(&db, &["--format", format]);
        assert!(printed.len() > 1000, "{format}");
        let quiet = export_bin(&db, &["--format", format, "--output", file.to_str().unwrap()]);
        assert!(quiet.is_empty(), "{format}");
        assert!(std::fs::read(&file).unwrap() == printed, "{format}");
    }
}
