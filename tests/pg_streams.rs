//! Schema 2 against a real server: a schema-1 database with a log is
//! migrated and goes on from its last event; the seq bytes the server puts
//! in front of an event body are bincode's; each event stores its streams.

mod pg_common;

use chrono::{TimeZone, Utc};
use saps::domain::command::{AddUser, InitPartner};
use saps::domain::records::Role;
use saps::domain::{Catalog, Command, Ctx, State, execute};
use saps::session::{Request, Session};
use saps::store::postgres::schema::STEPS;
use saps::store::postgres::{PG_SCHEMA_VERSION, PgPlan, PgStore};
use saps::store::{Basis, StoreError, codec};
use std::sync::Arc;

const ADMIN: &str = "gina@contoso.test";

fn init() -> Command {
    Command::InitPartner(InitPartner {
        name: "Contoso".into(),
        mpn_id: "1234567".into(),
        mpn_expires: chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        admin_name: "Gina".into(),
        admin_email: ADMIN.into(),
    })
}

#[test]
fn a_schema_1_database_with_a_log_is_migrated_and_goes_on_from_it() {
    let Some(db) = pg_common::fresh() else { return };
    let old = PgPlan {
        target: 1,
        steps: &STEPS[..1],
    };
    drop(PgStore::open_with(&db.url(), &old).unwrap());
    // What a schema-1 saps wrote: the first event and the org record.
    let catalog = Catalog::builtin();
    let now = Utc.with_ymd_and_hms(2024, 3, 1, 9, 0, 0).unwrap();
    let ctx = Ctx {
        now,
        actor: None,
        catalog: &catalog,
    };
    let mut state = State::default();
    let recorded = execute(&mut state, &init(), &ctx).unwrap();
    let mut owner = db.owner_client();
    owner
        .execute(
            "INSERT INTO saps.events (seq, at, actor, id, body) VALUES (1, $1, $2, gen_random_uuid(), $3)",
            &[&now, &recorded[0].actor, &codec::encode(&recorded[0])],
        )
        .unwrap();
    owner
        .execute(
            "INSERT INTO saps.org (key, value) VALUES ($1, $2)",
            &[&saps::store::keys::ORG_KEY, &codec::encode(&state.org)],
        )
        .unwrap();

    let store = Arc::new(PgStore::open(&db.url()).unwrap());
    let version: i32 = owner
        .query_one("SELECT max(version) FROM saps.schema_version", &[])
        .unwrap()
        .get(0);
    assert_eq!(version, PG_SCHEMA_VERSION as i32, "migrated");
    let mut session = Session::open(store.clone(), catalog.clone()).unwrap();
    let outcome = session
        .run(Request::new(
            Command::AddUser(AddUser {
                email: "ana@contoso.test".into(),
                name: "Ana".into(),
                role: Role::Consultant,
            }),
            Some(ADMIN.into()),
            now,
        ))
        .unwrap()
        .unwrap();
    assert_eq!(outcome[0].seq, 2, "numbered after the old log");
    let events = store.events().unwrap();
    assert_eq!(events.len(), 2);
    // (with the id its row was given: an event of schema 1 has one there)
    let old = saps::domain::Recorded {
        id: events[0].id,
        ..recorded[0].clone()
    };
    assert!(!events[0].id.is_nil());
    assert_eq!(events[0], old, "the old event reads as it was written");
    assert!(store.load().unwrap().user("ana@contoso.test").is_some());
    let streams: Vec<Vec<String>> = owner
        .query("SELECT streams FROM saps.events ORDER BY seq", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(streams, vec![vec!["org".to_owned()], vec!["org".to_owned()]]);
}

#[test]
fn the_servers_seq_bytes_are_bincodes() {
    let Some(db) = pg_common::fresh() else { return };
    drop(PgStore::open(&db.url()).unwrap());
    let mut owner = db.owner_client();
    for seq in [
        1u64,
        250,
        251,
        65_535,
        65_536,
        u32::MAX as u64,
        u32::MAX as u64 + 1,
        i64::MAX as u64,
    ] {
        let sql: Vec<u8> = owner
            .query_one("SELECT saps.seq_bytes($1)", &[&(seq as i64)])
            .unwrap()
            .get(0);
        assert_eq!(sql, codec::encode(&seq)[1..], "seq {seq}");
    }
}

fn add_customer(id: &str) -> Command {
    Command::AddCustomer(saps::domain::command::AddCustomer {
        licensing_id: id.into(),
        name: id.into(),
        planning_days: 10,
        agreement_expires: chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
    })
}

/// A fresh database with the partner set up, and the session that did it.
fn started(db: &pg_common::TestDb) -> (Arc<PgStore>, Session, Catalog, chrono::DateTime<Utc>) {
    let catalog = Catalog::builtin();
    let now = Utc.with_ymd_and_hms(2024, 3, 1, 9, 0, 0).unwrap();
    let store = Arc::new(PgStore::open(&db.url()).unwrap());
    let mut session = Session::open(store.clone(), catalog.clone()).unwrap();
    session.run(Request::new(init(), None, now)).unwrap().unwrap();
    (store, session, catalog, now)
}

/// `cmd` decided on `store`'s state as of now: the state after it, its
/// events and what it was decided on.
fn decided(store: &PgStore, cmd: &Command, ctx: &Ctx) -> (State, Vec<saps::domain::Recorded>, Basis) {
    let mut state = store.working_state().unwrap();
    store.hydrate(&mut state, &cmd.names()).unwrap();
    let mut basis = Basis::streams();
    basis.depend(&state, &cmd.names());
    let mut recorded = execute(&mut state, cmd, ctx).unwrap();
    saps::session::stamp(&mut recorded, saps::session::fresh_id(), false);
    (state, recorded, basis)
}

#[test]
fn commits_on_different_customers_both_land_and_on_the_same_one_conflict() {
    let Some(db) = pg_common::fresh() else { return };
    let (store, _session, catalog, now) = started(&db);
    let ctx = Ctx {
        now,
        actor: Some(ADMIN),
        catalog: &catalog,
    };
    let (a, b, c) = (
        PgStore::open(&db.url()).unwrap(),
        PgStore::open(&db.url()).unwrap(),
        PgStore::open(&db.url()).unwrap(),
    );
    // Three decided on the same state (seq 1): two customers, one twice.
    let (sa, ra, ba) = decided(&a, &add_customer("LIC-X"), &ctx);
    let (sb, rb, bb) = decided(&b, &add_customer("LIC-Y"), &ctx);
    let (sc, rc, bc) = decided(&c, &add_customer("LIC-X"), &ctx);
    let base = store.working_state().unwrap().last_seq;
    assert!(
        [&ra, &rb, &rc]
            .iter()
            .all(|r| r.len() == 1 && r[0].seq == base + 1)
    );

    let done = a.commit_on(&sa, &ra, &ba).unwrap();
    assert_eq!(done.first, base + 1);
    assert_eq!(done.between, Some(Default::default()));
    let done = b.commit_on(&sb, &rb, &bb).unwrap();
    assert_eq!(
        done.first,
        base + 2,
        "numbered after the commit it did not collide with"
    );
    assert_eq!(
        done.between,
        Some(["c:LIC-X".to_owned()].into()),
        "what came in between"
    );
    match c.commit_on(&sc, &rc, &bc) {
        Err(StoreError::Conflict { detail }) => {
            assert!(detail.contains(&format!("event {}", base + 1)), "{detail}")
        }
        other => panic!("the same customer twice must be a Conflict, got {other:?}"),
    }

    let events = store.events().unwrap();
    let seqs: Vec<u64> = events.iter().map(|r| r.seq).collect();
    assert_eq!(
        seqs,
        (1..=base + 2).collect::<Vec<_>>(),
        "gap-free, each body carrying its seq"
    );
    assert_eq!(events[base as usize + 1].event, rb[0].event);
    let state = store.load().unwrap();
    assert_eq!(state.last_seq, base + 2);
    assert!(state.customers.contains_key("LIC-X") && state.customers.contains_key("LIC-Y"));
    let streams: Vec<Vec<String>> = db
        .owner_client()
        .query("SELECT streams FROM saps.events ORDER BY seq", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        streams[base as usize..],
        [vec!["c:LIC-X".to_owned()], vec!["c:LIC-Y".to_owned()]]
    );
}

/// Schema 4 sends each event's streams as an array's literal: a customer
/// id with what such a literal splits on (commas, quotes, backslashes,
/// braces) is still one stream, stored as it is, and still collides.
#[test]
fn a_stream_named_with_commas_quotes_and_braces_is_one_stream() {
    let Some(db) = pg_common::fresh() else { return };
    let (store, _session, catalog, now) = started(&db);
    let ctx = Ctx {
        now,
        actor: Some(ADMIN),
        catalog: &catalog,
    };
    let odd = r#"LIC "A,B" \{C} D"#;
    let (a, b) = (
        PgStore::open(&db.url()).unwrap(),
        PgStore::open(&db.url()).unwrap(),
    );
    let (sa, ra, ba) = decided(&a, &add_customer(odd), &ctx);
    let (sb, rb, bb) = decided(&b, &add_customer(odd), &ctx);
    a.commit_on(&sa, &ra, &ba).unwrap();
    assert!(
        matches!(b.commit_on(&sb, &rb, &bb), Err(StoreError::Conflict { .. })),
        "the same odd customer twice collides"
    );
    let streams: Vec<String> = db
        .owner_client()
        .query_one("SELECT streams FROM saps.events ORDER BY seq DESC LIMIT 1", &[])
        .unwrap()
        .get::<_, Vec<String>>(0);
    assert_eq!(streams, vec![format!("c:{odd}")]);
    assert!(store.load().unwrap().customers.contains_key(odd));
}

/// A commit that lost holds its streams' turns for its retry. A session
/// that gives up instead (`discard`: a read or a deliverable failing while
/// it decides again) gives them back, so another writer on those streams
/// is not kept waiting until this connection's next commit.
#[test]
fn a_session_that_gives_up_after_losing_gives_back_its_turn() {
    let Some(db) = pg_common::fresh() else { return };
    let (_store, mut session, catalog, now) = started(&db);
    session
        .run(Request::new(add_customer("LIC-T"), Some(ADMIN.into()), now))
        .unwrap()
        .unwrap();
    let ctx = Ctx {
        now,
        actor: Some(ADMIN),
        catalog: &catalog,
    };
    let receive = |id: &str| {
        Command::ReceiveVoucher(saps::domain::command::ReceiveVoucher {
            voucher_id: id.into(),
            customer: "LIC-T".into(),
            offering: "DDPS".into(),
            days: 1,
            created_on: chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
            admin_email: "pm@fabrikam.test".into(),
        })
    };
    let loser = Arc::new(PgStore::open(&db.url()).unwrap());
    let winner = PgStore::open(&db.url()).unwrap();
    let (sl, rl, bl) = decided(&loser, &receive("LOSE-0001"), &ctx);
    let (sw, rw, bw) = decided(&winner, &receive("WIN-0001"), &ctx);
    winner.commit_on(&sw, &rw, &bw).unwrap();
    assert!(matches!(
        loser.commit_on(&sl, &rl, &bl),
        Err(StoreError::Conflict { .. })
    ));
    // The loser's session gives up.
    let mut gave_up = Session::open(loser.clone(), catalog.clone()).unwrap();
    gave_up.discard();
    let (tx, rx) = std::sync::mpsc::channel();
    let url = db.url();
    let catalog2 = catalog.clone();
    std::thread::spawn(move || {
        let other = PgStore::open(&url).unwrap();
        let ctx = Ctx {
            now,
            actor: Some(ADMIN),
            catalog: &catalog2,
        };
        let (so, ro, bo) = decided(&other, &receive("NEXT-0001"), &ctx);
        let _ = tx.send(other.commit_on(&so, &ro, &bo).map(|_| ()));
    });
    let done = rx.recv_timeout(std::time::Duration::from_secs(10));
    assert!(
        matches!(done, Ok(Ok(()))),
        "another writer on the customer went through: {done:?}"
    );
    drop(gave_up);
}
