//! A PostgreSQL database of saps schema 1 (events given a fresh id at
//! insert, their bytes without it) moves to schema 2: its events keep the
//! ids they have, a backup carries them, and sled restores them. A
//! database newer than this saps is still refused.

mod pg_common;

use saps::domain::{Event, Recorded};
use saps::store::postgres::{PgPlan, PgStore, schema};
use saps::store::{StoreError, backup, codec};
use std::path::Path;

#[test]
fn a_schema_1_database_keeps_its_event_ids_through_the_step_and_a_backup() {
    let Some(db) = pg_common::fresh() else { return };
    let old = PgPlan {
        target: 1,
        steps: schema::STEPS,
    };
    drop(PgStore::open_with(&db.url(), &old).unwrap());
    // Two events as schema 1's saps wrote them: version-1 bytes, the id
    // only in its column.
    let at = chrono::DateTime::parse_from_rfc3339("2026-01-13T12:00:00Z")
        .unwrap()
        .to_utc();
    let mut owner = db.owner_client();
    let mut ids = Vec::new();
    for seq in 1..=2u64 {
        let r = Recorded {
            seq,
            id: uuid::Uuid::nil(),
            id_given: false,
            at,
            actor: "carol@contoso.example".into(),
            event: Event::LocationAdded {
                location_id: format!("L-{seq}"),
                country: "US".into(),
            },
        };
        let id = uuid::Uuid::now_v7();
        ids.push((seq, id));
        owner
            .execute(
                "INSERT INTO saps.events (seq, at, actor, id, body) VALUES ($1, $2, $3, $4, $5)",
                &[&(seq as i64), &at, &r.actor, &id, &codec::encode(&r)],
            )
            .unwrap();
    }
    let store = PgStore::open(&db.url()).unwrap();
    let max: i32 = owner
        .query_one("SELECT max(version) FROM saps.schema_version", &[])
        .unwrap()
        .get(0);
    assert_eq!(
        max,
        saps::store::postgres::schema::PG_SCHEMA_VERSION as i32,
        "migrated"
    );
    let read: Vec<(u64, uuid::Uuid)> = store.events().unwrap().iter().map(|r| (r.seq, r.id)).collect();
    assert_eq!(read, ids, "the ids they had");
    assert_eq!(store.seq_of(ids[1].1).unwrap(), Some(2));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pg.sapsbak");
    store.backup(&file, false).unwrap();
    let sled = dir.path().join("back.db");
    backup::restore(&file, &sled).unwrap();
    let back = saps::store::open(Path::new(&sled)).unwrap();
    let mut there = Vec::new();
    back.for_each_event(&mut |r| there.push((r.seq, r.id))).unwrap();
    assert_eq!(there, ids, "and sled's copy too");

    let ours = saps::store::postgres::schema::PG_SCHEMA_VERSION;
    let future = ours as i32 + 1;
    owner
        .execute(
            "INSERT INTO saps.schema_version (version, what) VALUES ($1, 'from the future')",
            &[&future],
        )
        .unwrap();
    assert!(matches!(
        PgStore::open(&db.url()),
        Err(StoreError::TooNew { found, supported }) if found == future as u32 && supported == ours
    ));
}
