//! Schema versions and the migration framework.
//!
//! The program's one real step (1 to 2, the index tree) is tested on the
//! committed v1 fixture in `store_backup.rs` and below. These tests drive
//! the framework with a test-only step from 4 to 5 ("schema 5 also keeps
//! the number of vouchers in `meta/voucher_count`"), which is honest about
//! what it is: no such schema exists outside this file.

mod fixtures;
mod saps_bin;

use saps::store::migrate::{self, KEEP_BACKUPS, Plan, STEPS, Step};
use saps::store::{Options, SCHEMA_VERSION, Store, StoreError, backup, keys};
use std::path::Path;
use std::time::{Duration, Instant};

fn count_vouchers(store: &Store) -> Result<(), StoreError> {
    let n = store.raw_entries(keys::VOUCHERS.as_bytes())?.len() as u64;
    store.raw_set(
        keys::META.as_bytes(),
        b"voucher_count",
        Some(&n.to_be_bytes()[..]),
    )
}

const TEST_STEPS: &[Step] = &[Step {
    from: 4,
    what: "count the vouchers (test only)",
    run: count_vouchers,
}];

fn plan_to(target: u32) -> Options<'static> {
    Options {
        plan: Plan {
            target,
            steps: TEST_STEPS,
            backup_first: true,
        },
        ..Options::default()
    }
}

/// Opens with `options`, retrying while this process's last handle lets go.
fn open(path: &Path, options: &Options) -> Result<Store, StoreError> {
    let start = Instant::now();
    loop {
        match Store::open_with(path, options) {
            Err(StoreError::Locked { .. }) if start.elapsed() < Duration::from_secs(5) => {
                std::thread::sleep(Duration::from_millis(20))
            }
            other => return other,
        }
    }
}

fn schema(store: &Store) -> Option<u32> {
    let bytes = store
        .raw_get(keys::META.as_bytes(), keys::SCHEMA_VERSION_KEY)
        .unwrap()?;
    keys::parse_schema_version(&bytes)
}

fn dump(store: &Store) -> Vec<(Vec<u8>, saps::store::Entries)> {
    let names = store.tree_names().unwrap();
    names
        .into_iter()
        .map(|n| (n.clone(), store.raw_entries(&n).unwrap()))
        .collect()
}

#[test]
fn the_program_has_a_step_for_every_version_it_knows() {
    assert!(migrate::steps_between(STEPS, 1, SCHEMA_VERSION).is_some());
    assert_eq!(migrate::steps_between(TEST_STEPS, 4, 6).map(|s| s.len()), None);
}

#[test]
fn an_older_database_is_backed_up_then_migrated_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = saps_bin::walkthrough_db(dir.path());
    let original = saps_bin::export_json(&db);
    {
        let store = open(&db, &plan_to(5)).unwrap();
        assert_eq!(schema(&store), Some(5));
        let count = store.raw_get(keys::META.as_bytes(), b"voucher_count").unwrap();
        assert_eq!(count, Some(1u64.to_be_bytes().to_vec()));
    }
    let backups = migrate::automatic_backups(&db);
    assert_eq!(backups.len(), 1);
    let name = backups[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("walkthrough.db.pre-migration-4-") && name.ends_with(".sapsbak"),
        "{name}"
    );
    // Opening again at schema 5 migrates nothing and backs up nothing.
    drop(open(&db, &plan_to(5)).unwrap());
    assert_eq!(migrate::automatic_backups(&db).len(), 1);
    // This saps (schema 4) refuses the migrated database, at once.
    let r = saps_bin::run(&db, &["export"]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains("newer than this saps understands"),
        "{}",
        r.stderr
    );
    // The automatic backup is the database as it was.
    let restored = dir.path().join("before.db");
    backup::restore(&backups[0], &restored).unwrap();
    assert_eq!(saps_bin::export_json(&restored), original);
}

#[test]
fn a_step_is_idempotent_and_an_interrupted_migration_finishes() {
    let dir = tempfile::tempdir().unwrap();
    let db = saps_bin::walkthrough_db(dir.path());
    let once = {
        let store = open(&db, &plan_to(5)).unwrap();
        count_vouchers(&store).unwrap();
        dump(&store)
    };
    // A crash after the step but before its version write: schema 4 again.
    {
        let store = open(&db, &plan_to(5)).unwrap();
        let v1 = keys::schema_version(4);
        store
            .raw_set(keys::META.as_bytes(), keys::SCHEMA_VERSION_KEY, Some(&v1[..]))
            .unwrap();
    }
    let store = open(&db, &plan_to(5)).unwrap();
    assert_eq!(dump(&store), once);
}

#[test]
fn only_the_last_automatic_backups_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = saps_bin::walkthrough_db(dir.path());
    let mut made = Vec::new();
    for _ in 0..KEEP_BACKUPS + 2 {
        let store = open(&db, &plan_to(5)).unwrap();
        let new: Vec<_> = migrate::automatic_backups(&db)
            .into_iter()
            .filter(|p| !made.contains(p))
            .collect();
        made.extend(new);
        let v1 = keys::schema_version(4);
        store
            .raw_set(keys::META.as_bytes(), keys::SCHEMA_VERSION_KEY, Some(&v1[..]))
            .unwrap();
    }
    assert_eq!(made.len(), KEEP_BACKUPS + 2, "one backup per migration");
    let kept = migrate::automatic_backups(&db);
    assert_eq!(
        kept,
        made[made.len() - KEEP_BACKUPS..].to_vec(),
        "the newest are kept"
    );
}

#[test]
fn a_missing_step_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = saps_bin::walkthrough_db(dir.path());
    match open(&db, &plan_to(6)) {
        Err(e) => assert!(e.to_string().contains("cannot migrate it to 6"), "{e}"),
        Ok(_) => panic!("opened without a step from 5 to 6"),
    }
    assert!(migrate::automatic_backups(&db).is_empty());
    let store = open(&db, &Options::default()).unwrap();
    assert_eq!(schema(&store), Some(4));
}

#[test]
fn records_without_a_schema_version_are_damage() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let db = fixtures::raw_sled(&path);
        let vouchers = db.open_tree(keys::VOUCHERS).unwrap();
        vouchers.insert(b"V-1", &b"x"[..]).unwrap();
        db.flush().unwrap();
    }
    match fixtures::open_retry(&path) {
        Err(StoreError::Damaged { what, detail }) => {
            assert_eq!(what, "meta schema_version");
            assert!(detail.contains("holds records"), "{detail}");
        }
        other => panic!("expected Damaged, got {:?}", other.map(|_| ())),
    }
}

#[test]
fn a_database_whose_sled_files_come_back_empty_is_damage() {
    let dir = tempfile::tempdir().unwrap();
    let db = saps_bin::walkthrough_db(dir.path());
    std::fs::remove_file(db.join("db")).unwrap();
    let r = saps_bin::run(&db, &["export"]);
    assert_eq!(r.code, Some(2), "{}", r.stdout);
    assert!(
        r.stderr.contains("is damaged") && r.stderr.contains(migrate::MARKER),
        "{}",
        r.stderr
    );
}

/// Rewrites the database at `db` in the layout of schema 3, as the code
/// before event ids stored it: each event's bytes without its id (codec
/// version 1), no `ids` tree, `schema_version` 3 (in sled and the marker).
fn to_schema_3(db: &Path) {
    let store = fixtures::open_retry(db).unwrap();
    let mut events = saps::store::Entries::new();
    for (k, block) in store.raw_entries(keys::EVENTS.as_bytes()).unwrap() {
        let parts: Vec<Vec<u8>> = saps::store::blocks::split(&block)
            .unwrap()
            .into_iter()
            .map(|bytes| {
                assert_eq!(bytes[0], saps::store::codec::EVENT_WITH_ID);
                let mut old = bytes[..bytes.len() - 16].to_vec();
                old[0] = saps::store::codec::FORMAT_VERSION;
                old
            })
            .collect();
        events.push((k, saps::store::blocks::encode(&parts)));
    }
    store.raw_replace_tree(keys::EVENTS.as_bytes(), &events).unwrap();
    store.raw_clear(keys::IDS.as_bytes()).unwrap();
    let v = keys::schema_version(3);
    store
        .raw_set(keys::META.as_bytes(), keys::SCHEMA_VERSION_KEY, Some(&v[..]))
        .unwrap();
    std::fs::write(db.join(migrate::MARKER), "3\n").unwrap();
}

fn ids_of(store: &Store) -> Vec<(u64, uuid::Uuid)> {
    store.events().unwrap().iter().map(|r| (r.seq, r.id)).collect()
}

#[test]
fn a_schema_3_database_gets_ids_derived_from_its_events() {
    let dir = tempfile::tempdir().unwrap();
    let db = saps_bin::walkthrough_db(dir.path());
    let original = saps_bin::export_json(&db);
    to_schema_3(&db);
    let ids = {
        let store = open(&db, &Options::default()).unwrap();
        assert_eq!(schema(&store), Some(SCHEMA_VERSION));
        let events = store.events().unwrap();
        assert!(events.len() > 10);
        for r in &events {
            assert_eq!(r.id, saps::domain::ids::legacy(r.seq, r.at), "event {}", r.seq);
            // Not given from outside: never asked about, so not looked up.
            assert!(!r.id_given, "event {}", r.seq);
            assert_eq!(store.seq_of(r.id).unwrap(), None);
        }
        assert!(store.raw_entries(keys::IDS.as_bytes()).unwrap().is_empty());
        ids_of(&store)
    };
    assert_eq!(saps_bin::export_json(&db), original);
    let check = saps_bin::run(&db, &["check"]);
    assert_eq!(check.code, Some(0), "{}{}", check.stdout, check.stderr);
    // The automatic backup from before (schema 3, no ids) restores with
    // the same ids.
    let backups = migrate::automatic_backups(&db);
    assert_eq!(backups.len(), 1);
    let restored = dir.path().join("restored.db");
    assert_eq!(backup::restore(&backups[0], &restored).unwrap().schema, 3);
    let store = open(&restored, &Options::default()).unwrap();
    assert_eq!(ids_of(&store), ids);
}

#[test]
fn the_step_to_ids_writes_nothing_and_changes_no_record() {
    let dir = tempfile::tempdir().unwrap();
    let db = saps_bin::walkthrough_db(dir.path());
    to_schema_3(&db);
    let store = open(&db, &Options::default()).unwrap();
    let before = dump(&store);
    let step = STEPS.iter().find(|s| s.from == 3).unwrap();
    (step.run)(&store).unwrap();
    // No event of schema 3 had an id given from outside: nothing to look
    // up, so a kill anywhere leaves nothing half done.
    assert_eq!(dump(&store), before);
    assert!(store.raw_entries(keys::IDS.as_bytes()).unwrap().is_empty());
}
