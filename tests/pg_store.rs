//! The PostgreSQL store against a real server: the schema on first use and
//! a newer one refused, migrations, commits and reads equal to the sled
//! store's for the same commands (records, log, index bytes, pages,
//! counters), backups and deliverables.

mod pg_common;

use chrono::Duration;
use saps::demo;
use saps::domain::records::Stage;
use saps::domain::{Catalog, Command, Ctx, Names, State, execute};
use saps::store::pages::Span;
use saps::store::postgres::{PG_SCHEMA_VERSION, PgPlan, PgStep, PgStore};
use saps::store::{Backend, Store, StoreError};
use std::sync::Arc;

#[test]
fn the_first_use_creates_the_schema_and_a_newer_one_is_refused() {
    let Some(db) = pg_common::fresh() else { return };
    let store = PgStore::open(&db.url()).unwrap();
    assert_eq!(store.load().unwrap(), State::default());
    assert!(store.events().unwrap().is_empty());
    drop(store);
    let mut owner = db.owner_client();
    let versions: Vec<i32> = owner
        .query("SELECT version FROM saps.schema_version ORDER BY version", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(versions, (1..=PG_SCHEMA_VERSION as i32).collect::<Vec<_>>());
    // Opening again changes nothing.
    PgStore::open(&db.url()).unwrap();
    let rows: i64 = owner
        .query_one("SELECT count(*) FROM saps.schema_version", &[])
        .unwrap()
        .get(0);
    assert_eq!(rows, PG_SCHEMA_VERSION as i64);

    let future = PG_SCHEMA_VERSION as i32 + 1;
    owner
        .execute(
            "INSERT INTO saps.schema_version (version, what) VALUES ($1, 'from the future')",
            &[&future],
        )
        .unwrap();
    match PgStore::open(&db.url()) {
        Err(StoreError::TooNew { found, supported }) if found == future as u32 => {
            assert_eq!(supported, PG_SCHEMA_VERSION)
        }
        other => panic!("expected TooNew, got {other:?}"),
    }
}

fn add_notes(_: &saps::store::postgres::schema::SchemaNames) -> String {
    "CREATE TABLE saps.notes (id bigint PRIMARY KEY)".to_owned()
}

#[test]
fn an_older_schema_is_migrated_in_one_transaction() {
    let Some(db) = pg_common::fresh() else { return };
    PgStore::open(&db.url()).unwrap();
    let mut steps = saps::store::postgres::schema::STEPS.to_vec();
    steps.push(PgStep {
        from: PG_SCHEMA_VERSION,
        what: "add notes",
        sql: add_notes,
    });
    let plan = PgPlan {
        target: PG_SCHEMA_VERSION + 1,
        steps: &steps,
    };
    PgStore::open_with(&db.url(), &plan).unwrap();
    let mut owner = db.owner_client();
    let found: bool = owner
        .query_one("SELECT to_regclass('saps.notes') IS NOT NULL", &[])
        .unwrap()
        .get(0);
    assert!(found, "the step ran");
    let max: i32 = owner
        .query_one("SELECT max(version) FROM saps.schema_version", &[])
        .unwrap()
        .get(0);
    assert_eq!(max, PG_SCHEMA_VERSION as i32 + 1);

    // A step that fails leaves the database as it was.
    fn broken(_: &saps::store::postgres::schema::SchemaNames) -> String {
        "CREATE TABLE saps.half (id bigint); SELECT no_such_function()".to_owned()
    }
    let Some(db) = pg_common::fresh() else { return };
    PgStore::open(&db.url()).unwrap();
    let mut steps = saps::store::postgres::schema::STEPS.to_vec();
    steps.push(PgStep {
        from: PG_SCHEMA_VERSION,
        what: "break",
        sql: broken,
    });
    let plan = PgPlan {
        target: PG_SCHEMA_VERSION + 1,
        steps: &steps,
    };
    let err = PgStore::open_with(&db.url(), &plan).unwrap_err();
    assert!(err.to_string().contains("break"), "{err}");
    let mut owner = db.owner_client();
    let half: bool = owner
        .query_one("SELECT to_regclass('saps.half') IS NOT NULL", &[])
        .unwrap()
        .get(0);
    assert!(!half, "the failed step left nothing");
    let max: i32 = owner
        .query_one("SELECT max(version) FROM saps.schema_version", &[])
        .unwrap()
        .get(0);
    assert_eq!(max, PG_SCHEMA_VERSION as i32);
}

/// The demo seeded on sled and on PostgreSQL, each through the session.
fn demo_on_both(db: &pg_common::TestDb) -> (tempfile::TempDir, Arc<Store>, Arc<PgStore>, State) {
    let dir = tempfile::tempdir().unwrap();
    let sled = Arc::new(Store::open(&dir.path().join("demo.db")).unwrap());
    let state = demo::seed(sled.clone(), &Catalog::builtin()).unwrap();
    let pg = Arc::new(PgStore::open(&db.url()).unwrap());
    let on_pg = demo::seed(pg.clone(), &Catalog::builtin()).unwrap();
    assert_eq!(on_pg, state, "the demo's state on both");
    (dir, sled, pg, state)
}

fn pg_index(db: &pg_common::TestDb) -> Vec<(Vec<u8>, Vec<u8>)> {
    db.owner_client()
        .query("SELECT key, value FROM saps.\"index\" ORDER BY key", &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

/// Every read the desk and the session make, on both stores.
fn same_reads(sled: &Store, pg: &PgStore) {
    assert_eq!(pg.load().unwrap(), sled.load().unwrap(), "load");
    assert_eq!(pg.events().unwrap(), sled.events().unwrap(), "events");
    for n in [0, 1, 5, 1000] {
        assert_eq!(
            pg.recent_events(n).unwrap(),
            sled.recent_events(n).unwrap(),
            "recent {n}"
        );
        assert_eq!(
            pg.customers_page(n).unwrap(),
            sled.customers_page(n).unwrap(),
            "customers {n}"
        );
    }
    assert_eq!(pg.working_state().unwrap(), sled.working_state().unwrap());
    let full = sled.load().unwrap();
    let names = Names {
        vouchers: full.vouchers.keys().cloned().collect(),
        customers: full.customers.keys().cloned().collect(),
        invoices: full.invoices.keys().cloned().collect(),
        customer_history: true,
        redeemed_offerings: true,
    };
    let mut a = sled.working_state().unwrap();
    sled.hydrate(&mut a, &names).unwrap();
    let mut b = pg.working_state().unwrap();
    pg.hydrate(&mut b, &names).unwrap();
    assert_eq!(b, a, "hydrate");
    assert_eq!(pg.working_set(&names).unwrap(), a, "working_set");
    for id in full.vouchers.keys().take(5).chain([&"NO-SUCH".to_owned()]) {
        assert_eq!(pg.voucher(id).unwrap(), sled.voucher(id).unwrap());
    }
    for id in full.customers.keys().take(3) {
        assert_eq!(pg.customer(id).unwrap(), sled.customer(id).unwrap());
    }
    for v in full.vouchers.values() {
        for c in v.reservation.iter().flat_map(|r| &r.consultants) {
            assert_eq!(
                pg.reserved_by(c).unwrap(),
                sled.reserved_by(c).unwrap(),
                "reserved_by {c}"
            );
        }
    }
    for prefix in ["", "V", "VCH-0000", "zzz"] {
        for most in [1, 3, 100] {
            assert_eq!(
                pg.vouchers_with_prefix(prefix, most).unwrap(),
                sled.vouchers_with_prefix(prefix, most).unwrap(),
                "prefix {prefix:?} {most}"
            );
        }
    }
    let today = demo::now().date_naive();
    for from in [today - Duration::days(400), today, today + Duration::days(60)] {
        assert_eq!(
            pg.counters(from).unwrap(),
            sled.counters(from).unwrap(),
            "counters {from}"
        );
    }
    // Pages: every stage, from either end and next to every key shown.
    let spans: Vec<Span> = Stage::ALL.iter().map(|s| Span::of(*s, None, None)).collect();
    let dated = [Span::of(
        Stage::Assigned,
        Some(today),
        Some(today + Duration::days(90)),
    )];
    for spans in [&spans[..], &spans[1..3], &dated[..]] {
        for n in [1, 2, 7, 1000] {
            let first = sled.entries_after(spans, None, n).unwrap();
            assert_eq!(
                pg.entries_after(spans, None, n).unwrap(),
                first,
                "first page of {n}"
            );
            assert_eq!(
                pg.entries_before(spans, None, n).unwrap(),
                sled.entries_before(spans, None, n).unwrap(),
                "last page of {n}"
            );
            for e in sled.entries_after(spans, None, 1000).unwrap() {
                let key = Some(e.key.as_slice());
                assert_eq!(
                    pg.entries_after(spans, key, n).unwrap(),
                    sled.entries_after(spans, key, n).unwrap()
                );
                assert_eq!(
                    pg.entries_before(spans, key, n).unwrap(),
                    sled.entries_before(spans, key, n).unwrap()
                );
            }
        }
    }
    for stage in Stage::ALL {
        assert_eq!(
            pg.filed(stage, Some(today), None, 5).unwrap(),
            sled.filed(stage, Some(today), None, 5).unwrap()
        );
    }
}

#[test]
fn commits_and_reads_equal_the_sled_stores() {
    let Some(db) = pg_common::fresh() else { return };
    let (_dir, sled, pg, full) = demo_on_both(&db);
    assert!(full.vouchers.len() > 20);
    assert_eq!(
        pg_index(&db),
        sled.raw_entries(b"index").unwrap(),
        "the index, byte for byte"
    );
    same_reads(&sled, &pg);

    // The same commands, one at a time on each store's own working set,
    // as the desk runs them.
    let catalog = Catalog::builtin();
    let ctx = Ctx {
        now: demo::now(),
        actor: Some(demo::ADMIN),
        catalog: &catalog,
    };
    let mut changed = 0;
    for v in full.vouchers.values() {
        let cmd = match v.stage {
            Stage::Delivered => Command::Redeem(saps::domain::command::Redeem {
                voucher_ids: vec![v.voucher_id.clone()],
            }),
            Stage::Reserved => Command::CancelReservation(saps::domain::command::CancelReservation {
                voucher_id: v.voucher_id.clone(),
                reason: "moved".into(),
            }),
            _ => continue,
        };
        let mut a = sled.working_state().unwrap();
        sled.hydrate(&mut a, &cmd.names()).unwrap();
        let mut b = pg.working_set(&cmd.names()).unwrap();
        assert_eq!(b, a, "the working sets of {cmd:?}");
        let (ra, rb) = (execute(&mut a, &cmd, &ctx), execute(&mut b, &cmd, &ctx));
        let ra = saps::session::with_fresh_ids(ra);
        let rb = rb.map(|mut events| {
            for (e, same) in events.iter_mut().zip(ra.iter().flatten()) {
                e.id = same.id;
            }
            events
        });
        assert_eq!(ra, rb);
        if let Ok(recorded) = ra {
            sled.commit(&a, &recorded).unwrap();
            pg.commit(&b, &recorded).unwrap();
            changed += 1;
        }
    }
    assert!(changed >= 4, "only {changed} commands went through");
    assert_ne!(pg.load().unwrap(), full);
    assert_eq!(
        pg_index(&db),
        sled.raw_entries(b"index").unwrap(),
        "the index after the commands"
    );
    same_reads(&sled, &pg);
    assert!(pg.commit(&full, &[]).is_ok(), "an empty commit is a no-op");
}

#[test]
fn a_backup_of_postgres_restores_into_sled_as_the_sled_backup_does() {
    let Some(db) = pg_common::fresh() else { return };
    let (dir, sled, pg, _) = demo_on_both(&db);
    let kept = pg.copy_in(&b"a deliverable"[..]).unwrap();
    saps::store::files::copy_in(sled.path(), &b"a deliverable"[..]).unwrap();
    let (from_pg, from_sled) = (dir.path().join("pg.sapsbak"), dir.path().join("sled.sapsbak"));
    let a = pg.backup(&from_pg, false).unwrap();
    let b = saps::store::backup::write_open(&sled, &from_sled, false).unwrap();
    assert_eq!(a, b, "the same trees, entries and files");
    assert_eq!(
        std::fs::read(&from_pg).unwrap(),
        std::fs::read(&from_sled).unwrap(),
        "the same bytes"
    );
    assert!(matches!(
        pg.backup(&from_pg, false),
        Err(saps::store::backup::BackupError::Exists { .. })
    ));
    let restored = dir.path().join("restored.db");
    saps::store::backup::restore(&from_pg, &restored).unwrap();
    let back = Store::open(&restored).unwrap();
    assert_eq!(back.load().unwrap(), pg.load().unwrap());
    assert_eq!(back.events().unwrap(), pg.events().unwrap());
    let a = saps::domain::records::Attachment {
        name: "x".into(),
        sha256: kept.0,
        size: kept.1,
    };
    assert_eq!(
        saps::store::files::read_verified(&restored, &a).unwrap(),
        b"a deliverable"
    );
}

#[test]
fn deliverables_are_kept_once_and_verified_on_read() {
    let Some(db) = pg_common::fresh() else { return };
    let pg = PgStore::open(&db.url()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.pdf");
    std::fs::write(&path, b"the plan").unwrap();
    let a = pg.attach(&path).unwrap().unwrap();
    assert_eq!((a.name.as_str(), a.size), ("plan.pdf", 8));
    assert_eq!(
        pg.attach(&path).unwrap().unwrap(),
        a,
        "the same bytes, the same copy"
    );
    assert_eq!(pg.stored_files().unwrap(), vec![a.sha256.clone()]);
    assert_eq!(pg.read_verified(&a).unwrap(), b"the plan");
    assert!(pg.attach(&dir.path().join("missing.pdf")).unwrap().is_none());
    // What is not a regular file is refused, as by the sled store.
    assert!(
        matches!(
            pg.attach(dir.path()),
            Err(saps::store::files::FileError::NotAFile {
                what: "a directory",
                ..
            })
        ),
        "a directory is refused, not kept as a path"
    );
    // Bytes changed behind saps' back are damage, named.
    db.owner_sql("UPDATE saps.files SET bytes = 'the plot'::bytea");
    match pg.read_verified(&a) {
        Err(saps::store::files::FileError::Damaged { name, detail }) => {
            assert!(name.contains("plan.pdf"), "{name}");
            assert!(detail.contains("hash"), "{detail}");
        }
        other => panic!("expected Damaged, got {other:?}"),
    }
    // A backup refuses a damaged copy unless told to leave it out.
    let file = dir.path().join("b.sapsbak");
    match pg.backup(&file, false) {
        Err(saps::store::backup::BackupError::MissingFiles { names }) => {
            assert_eq!(names, vec![a.sha256.clone()])
        }
        other => panic!("expected MissingFiles, got {other:?}"),
    }
    assert!(!file.exists(), "nothing written");
    let summary = pg.backup(&file, true).unwrap();
    assert_eq!(
        (summary.files, summary.skipped.clone()),
        (0, vec![a.sha256.clone()])
    );
    let gone = saps::domain::records::Attachment {
        sha256: "0".repeat(64),
        ..a.clone()
    };
    assert!(matches!(
        pg.read_verified(&gone),
        Err(saps::store::files::FileError::Damaged { .. })
    ));
}
