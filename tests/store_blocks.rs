//! The audit log in blocks (schema 3): commits write few keys, and the
//! step from schema 2 (one key per event) packs an old log, streaming,
//! and survives being killed half-way.

mod fixtures;
mod saps_bin;

use saps::demo::scale;
use saps::domain::Catalog;
use saps::store::{Entries, Options, SCHEMA_VERSION, Store, StoreError, backup, blocks, keys, migrate};
use saps_bin::{export_json, run};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// A generated database of `n` vouchers, closed.
fn generated(n: usize) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("gen.db");
    let store = Arc::new(Store::open(&db).unwrap());
    scale::seed_scale(store, &Catalog::builtin(), n).unwrap();
    (dir, db)
}

/// The events tree as stored: (singles, blocks).
fn layout(store: &Store) -> (usize, usize) {
    let entries = store.raw_entries(keys::EVENTS.as_bytes()).unwrap();
    let blocks = entries.iter().filter(|(_, v)| blocks::is_block(v)).count();
    (entries.len() - blocks, blocks)
}

/// Rewrites the database at `db` in the layout of schema 2, as the code
/// before blocks stored it: every event's bytes under its own seq, and
/// `schema_version` 2 (in sled and in the marker file).
fn to_schema_2(db: &Path) {
    let store = fixtures::open_retry(db).unwrap();
    let singles: Entries = store.event_entries().map(Result::unwrap).collect();
    store.raw_replace_tree(keys::EVENTS.as_bytes(), &singles).unwrap();
    let v = keys::schema_version(2);
    store
        .raw_set(keys::META.as_bytes(), keys::SCHEMA_VERSION_KEY, Some(&v[..]))
        .unwrap();
    std::fs::write(db.join(migrate::MARKER), "2\n").unwrap();
    assert_eq!(layout(&store).1, 0);
}

/// Opens the database at `db` as it is, without migrating it; `None` when
/// it is at this program's schema already (the migration had finished).
fn open_unmigrated(db: &Path) -> Option<Store> {
    let options = Options {
        plan: migrate::Plan {
            target: 2,
            steps: migrate::STEPS,
            backup_first: false,
        },
        ..Options::default()
    };
    let start = Instant::now();
    loop {
        match Store::open_with(db, &options) {
            Ok(store) => return Some(store),
            Err(StoreError::TooNew { .. }) => return None,
            Err(StoreError::Locked { .. }) if start.elapsed() < Duration::from_secs(5) => {
                std::thread::sleep(Duration::from_millis(20))
            }
            Err(e) => panic!("after a kill: {e}"),
        }
    }
}

fn schema(store: &Store) -> Option<u32> {
    let v = store
        .raw_get(keys::META.as_bytes(), keys::SCHEMA_VERSION_KEY)
        .unwrap()?;
    keys::parse_schema_version(&v)
}

#[test]
fn a_commit_writes_its_events_in_few_blocks() {
    let (_dir, db) = generated(300);
    let store = fixtures::open_retry(&db).unwrap();
    let events = store.events().unwrap().len();
    let (singles, blocks) = layout(&store);
    // The generator commits thousands of events at once: full blocks.
    assert!(
        singles + blocks <= events / (blocks::MAX_EVENTS / 4),
        "{events} events in {singles} keys of one event and {blocks} blocks"
    );
    for (_, v) in store.raw_entries(keys::EVENTS.as_bytes()).unwrap() {
        let parts = blocks::split(&v).unwrap();
        let bytes: usize = parts.iter().map(|p| p.len()).sum();
        assert!(parts.len() <= blocks::MAX_EVENTS);
        assert!(parts.len() == 1 || bytes <= blocks::MAX_BYTES, "{bytes} bytes");
    }
    // The desk's audit pane reads the last events only, oldest first.
    let all = store.events().unwrap();
    assert_eq!(store.recent_events(100).unwrap(), all[all.len() - 100..]);
    assert_eq!(store.recent_events(usize::MAX).unwrap(), all);
}

#[test]
fn a_schema_2_log_is_packed_on_open_and_reads_the_same() {
    let (dir, db) = generated(300);
    let original = export_json(&db);
    to_schema_2(&db);
    {
        let store = fixtures::open_retry(&db).unwrap();
        assert_eq!(schema(&store), Some(SCHEMA_VERSION));
        let (singles, blocks) = layout(&store);
        assert!(blocks > 0 && singles == 0, "{singles} singles, {blocks} blocks");
    }
    assert_eq!(export_json(&db), original);
    assert_eq!(run(&db, &["check"]).code, Some(0));
    // The automatic backup has the log as schema 2 stored it, and restores
    // (into blocks) to the same data.
    let backups = migrate::automatic_backups(&db);
    assert_eq!(backups.len(), 1, "{backups:?}");
    let restored = dir.path().join("restored.db");
    backup::restore(&backups[0], &restored).unwrap();
    assert_eq!(export_json(&restored), original);
    let store = fixtures::open_retry(&restored).unwrap();
    assert_eq!(layout(&store).0, 0, "a restore packs the log");
}

#[test]
fn a_migration_killed_half_way_opens_and_finishes() {
    let (dir, db) = generated(1_500);
    let original = export_json(&db);
    let line = dir.path().join("nothing.jsonl");
    std::fs::write(&line, "").unwrap();
    to_schema_2(&db);
    let mut half_way = false;
    for step in 0..120u64 {
        // `saps exec` of nothing opens the database, and so migrates it.
        let mut child = saps_bin::saps(&db)
            .arg("exec")
            .arg(&line)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(40 + 15 * step));
        let _ = child.kill();
        let _ = child.wait();
        match open_unmigrated(&db) {
            // The migration had finished: back to schema 2, a longer wait.
            None => to_schema_2(&db),
            Some(store) => {
                let (singles, blocks) = layout(&store);
                if singles > 0 && blocks > 0 {
                    half_way = true;
                    break;
                }
            }
        }
    }
    assert!(half_way, "no kill landed inside the packing");
    // The next open finishes the migration, and nothing is lost.
    {
        let store = fixtures::open_retry(&db).unwrap();
        assert_eq!(schema(&store), Some(SCHEMA_VERSION));
        assert_eq!(layout(&store).0, 0);
    }
    assert_eq!(export_json(&db), original);
    let check = run(&db, &["check"]);
    assert_eq!(check.code, Some(0), "{}", check.stdout);
}
