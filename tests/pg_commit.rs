//! Commits on PostgreSQL from several connections: a commit decided on a
//! stale state is refused (`Conflict`) and writes nothing; racing writers
//! that re-read and re-decide keep the log gap-free and the index equal to
//! the records; a commit is announced to listeners.

mod pg_common;

use saps::demo;
use saps::domain::records::Stage;
use saps::domain::{Catalog, Command, Ctx, State, execute};
use saps::session::{Request, Session};
use saps::store::postgres::PgStore;
use saps::store::{StoreError, index};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The demo seeded into a fresh PostgreSQL database through the session.
fn demo_db(db: &pg_common::TestDb) -> State {
    let store = Arc::new(PgStore::open(&db.url()).unwrap());
    demo::seed(store, &Catalog::builtin()).unwrap()
}

fn redeem(id: &str) -> Command {
    Command::Redeem(saps::domain::command::Redeem {
        voucher_ids: vec![id.to_owned()],
    })
}

fn delivered(state: &State) -> Vec<String> {
    state
        .vouchers
        .values()
        .filter(|v| v.stage == Stage::Delivered)
        .map(|v| v.voucher_id.clone())
        .collect()
}

#[test]
fn a_commit_on_a_stale_state_is_a_conflict_and_writes_nothing() {
    let Some(db) = pg_common::fresh() else { return };
    let full = demo_db(&db);
    let ids = delivered(&full);
    assert!(ids.len() >= 2, "the demo has delivered vouchers");
    let (a, b) = (
        PgStore::open(&db.url()).unwrap(),
        PgStore::open(&db.url()).unwrap(),
    );
    let catalog = Catalog::builtin();
    let ctx = Ctx {
        now: demo::now(),
        actor: Some(demo::ADMIN),
        catalog: &catalog,
    };
    // Both decide on the same state, about different vouchers.
    let (cmd_a, cmd_b) = (redeem(&ids[0]), redeem(&ids[1]));
    let mut sa = a.working_set(&cmd_a.names()).unwrap();
    let mut sb = b.working_set(&cmd_b.names()).unwrap();
    let ra = saps::session::with_fresh_ids(execute(&mut sa, &cmd_a, &ctx)).unwrap();
    let rb = saps::session::with_fresh_ids(execute(&mut sb, &cmd_b, &ctx)).unwrap();
    assert_eq!(
        ra[0].seq, rb[0].seq,
        "both numbered their events after the same last one"
    );
    a.commit(&sa, &ra).unwrap();
    let before = b.load().unwrap();
    match b.commit(&sb, &rb) {
        Err(StoreError::Conflict { detail }) => {
            assert!(detail.contains(&format!("event {}", rb[0].seq)), "{detail}")
        }
        other => panic!("a stale commit must be a Conflict, got {other:?}"),
    }
    assert_eq!(b.load().unwrap(), before, "the refused commit wrote nothing");
    assert_eq!(b.voucher(&ids[1]).unwrap().unwrap().stage, Stage::Delivered);

    // Read again, decide again: it goes through on the new state.
    let mut sb = b.working_set(&cmd_b.names()).unwrap();
    let rb = saps::session::with_fresh_ids(execute(&mut sb, &cmd_b, &ctx)).unwrap();
    b.commit(&sb, &rb).unwrap();
    let after = a.load().unwrap();
    assert_eq!(after.vouchers[&ids[0]].stage, Stage::Redeemed);
    assert_eq!(after.vouchers[&ids[1]].stage, Stage::Redeemed);
    let seqs: Vec<u64> = a.events().unwrap().iter().map(|r| r.seq).collect();
    assert_eq!(seqs, (1..=after.last_seq).collect::<Vec<_>>(), "gap-free");

    // A commit numbered past the last event (a gap) is refused too.
    let gap = vec![saps::domain::Recorded {
        seq: after.last_seq + 3,
        id: uuid::Uuid::now_v7(),
        id_given: false,
        at: demo::now(),
        actor: demo::ADMIN.into(),
        event: saps::domain::Event::VoucherValidated {
            voucher_id: ids[0].clone(),
        },
    }];
    assert!(matches!(a.commit(&after, &gap), Err(StoreError::Conflict { .. })));
    assert_eq!(a.load().unwrap(), after);
}

/// Four writers, each with its own connection, redeem the delivered
/// vouchers and receive new ones at once, re-reading and re-deciding on a
/// Conflict: every command lands once, the log stays gap-free, the index
/// stays equal to the one rebuilt from the records.
#[test]
fn racing_writers_never_apply_a_stale_decision() {
    let Some(db) = pg_common::fresh() else { return };
    let full = demo_db(&db);
    let ids = delivered(&full);
    let url = db.url();
    let conflicts = std::sync::atomic::AtomicU64::new(0);
    let writers = 4;
    std::thread::scope(|s| {
        for w in 0..writers {
            let (url, ids, conflicts) = (&url, &ids, &conflicts);
            s.spawn(move || {
                let store = Arc::new(PgStore::open(url).unwrap());
                let mut session = Session::open(store.clone(), Catalog::builtin()).unwrap();
                // Every writer tries every voucher: only one may redeem each.
                for id in ids.iter().cycle().skip(w).take(ids.len()) {
                    // A commit that lost the race first, by hand ...
                    let cmd = redeem(id);
                    let catalog = Catalog::builtin();
                    let ctx = Ctx {
                        now: demo::now(),
                        actor: Some(demo::ADMIN),
                        catalog: &catalog,
                    };
                    let mut ws = store.working_set(&cmd.names()).unwrap();
                    if let Ok(recorded) = saps::session::with_fresh_ids(execute(&mut ws, &cmd, &ctx)) {
                        match store.commit(&ws, &recorded) {
                            Ok(()) => continue,
                            Err(StoreError::Conflict { .. }) => {
                                conflicts.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            }
                            Err(e) => panic!("{e}"),
                        }
                    }
                    // ... then through the session, which decides again on
                    // a Conflict.
                    let req = Request::new(cmd, Some(demo::ADMIN.to_owned()), demo::now());
                    let _ = session.run(req).unwrap();
                }
            });
        }
    });
    let store = PgStore::open(&url).unwrap();
    let after = store.load().unwrap();
    let events = store.events().unwrap();
    let seqs: Vec<u64> = events.iter().map(|r| r.seq).collect();
    assert_eq!(seqs, (1..=after.last_seq).collect::<Vec<_>>(), "gap-free");
    // What one writer alone would redeem.
    let catalog = Catalog::builtin();
    let ctx = Ctx {
        now: demo::now(),
        actor: Some(demo::ADMIN),
        catalog: &catalog,
    };
    let mut alone = full.clone();
    let redeemable: Vec<&String> = ids
        .iter()
        .filter(|id| saps::session::with_fresh_ids(execute(&mut alone, &redeem(id), &ctx)).is_ok())
        .collect();
    assert!(redeemable.len() >= 2, "the race is about something");
    for id in &ids {
        let want = if redeemable.contains(&id) {
            Stage::Redeemed
        } else {
            Stage::Delivered
        };
        assert_eq!(after.vouchers[id].stage, want, "{id}");
        let redeemed = events
            .iter()
            .filter(|r| matches!(&r.event, saps::domain::Event::VoucherRedeemed { voucher_id, .. } if voucher_id == id))
            .count();
        assert_eq!(
            redeemed,
            usize::from(want == Stage::Redeemed),
            "{id} redeemed once"
        );
    }
    let stored: Vec<(Vec<u8>, Vec<u8>)> = db
        .owner_client()
        .query("SELECT key, value FROM saps.\"index\" ORDER BY key", &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(stored, index::expected(&after).into_iter().collect::<Vec<_>>());
    println!(
        "{} vouchers, {writers} writers, {} conflicts retried",
        ids.len(),
        conflicts.into_inner()
    );
}

#[test]
fn a_commit_is_announced_to_listeners_with_its_last_seq() {
    let Some(db) = pg_common::fresh() else { return };
    let full = demo_db(&db);
    let ids = delivered(&full);
    let desk = PgStore::open(&db.url()).unwrap();
    let mut changes = desk.listen().unwrap();
    let quiet = Instant::now();
    assert_eq!(changes.wait(Duration::from_millis(200)).unwrap(), None);
    assert!(quiet.elapsed() >= Duration::from_millis(150), "it waited");

    let writer = PgStore::open(&db.url()).unwrap();
    let catalog = Catalog::builtin();
    let ctx = Ctx {
        now: demo::now(),
        actor: Some(demo::ADMIN),
        catalog: &catalog,
    };
    let cmd = redeem(&ids[0]);
    let mut ws = writer.working_set(&cmd.names()).unwrap();
    let recorded = saps::session::with_fresh_ids(execute(&mut ws, &cmd, &ctx)).unwrap();
    writer.commit(&ws, &recorded).unwrap();
    let start = Instant::now();
    let seen = changes.wait(Duration::from_secs(5)).unwrap();
    assert_eq!(seen, Some(recorded.last().unwrap().seq));
    assert!(start.elapsed() < Duration::from_secs(1), "seen within a second");
    assert_eq!(
        changes.wait(Duration::from_millis(100)).unwrap(),
        None,
        "each commit once"
    );
}

/// One exec line as the session runs it.
fn line(text: &str) -> Request {
    let settings = saps::settings::Settings {
        db: std::path::PathBuf::new(),
        actor: None,
        now: Some(demo::now()),
        catalog: None,
        rates: None,
    };
    saps::exec::parse_request(text, &settings).unwrap_or_else(|r| panic!("{text}: {r}"))
}

/// Eight admins receive 3-day vouchers of one customer with a pool of 15
/// days at once, each on its own connection: exactly five get in, however
/// the commits interleave, and the pool never goes below zero.
#[test]
fn racing_intake_never_takes_more_days_than_the_pool_has() {
    let Some(db) = pg_common::fresh() else { return };
    demo_db(&db);
    let url = db.url();
    let admin = r#"{"as": "pat@northwind.example", "at": "2026-06-15""#;
    let store = Arc::new(PgStore::open(&url).unwrap());
    let mut session = Session::open(store.clone(), Catalog::builtin()).unwrap();
    let added = session
        .run(line(&format!(
            r#"{admin}, "cmd": "add_customer", "licensing_id": "LIC-RACE", "name": "Race Ltd", "planning_days": 15, "agreement_expires": "2028-06-30"}}"#
        )))
        .unwrap();
    assert!(added.is_ok(), "{added:?}");
    let writers = 8;
    let accepted = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for w in 0..writers {
            let (url, accepted) = (&url, &accepted);
            s.spawn(move || {
                let store = Arc::new(PgStore::open(url).unwrap());
                let mut session = Session::open(store, Catalog::builtin()).unwrap();
                let req = line(&format!(
                    r#"{admin}, "cmd": "receive_voucher", "voucher_id": "RACE-{w}", "customer": "LIC-RACE", "offering": "SEDPS", "days": 3, "created_on": "2026-06-10", "admin_email": "pm@race.example"}}"#
                ));
                if session.run(req).unwrap().is_ok() {
                    accepted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            });
        }
    });
    let after = store.load().unwrap();
    let race: Vec<_> = after
        .vouchers
        .values()
        .filter(|v| v.customer == "LIC-RACE")
        .collect();
    let days: u64 = race.iter().map(|v| u64::from(v.days)).sum();
    assert_eq!(accepted.into_inner(), 5, "five 3-day vouchers fit in 15 days");
    assert_eq!(race.len(), 5);
    assert_eq!(days, 15, "the pool is used up, never overdrawn");
    assert_eq!(after.ledgers["LIC-RACE"].received, 15);
    let seqs: Vec<u64> = store.events().unwrap().iter().map(|r| r.seq).collect();
    assert_eq!(seqs, (1..=after.last_seq).collect::<Vec<_>>(), "gap-free");
}

/// A session that found no customer for a line looks again for its next
/// one: a customer another process added meanwhile is seen (a refusal is
/// not decided on a lookup made for an earlier commit).
#[test]
fn a_record_found_missing_is_looked_up_again_by_the_next_command() {
    let Some(db) = pg_common::fresh() else { return };
    demo_db(&db);
    let url = db.url();
    let admin = r#"{"as": "pat@northwind.example", "at": "2026-06-15""#;
    let receive = line(&format!(
        r#"{admin}, "cmd": "receive_voucher", "voucher_id": "LATE-1", "customer": "LIC-LATE", "offering": "SEDPS", "days": 3, "created_on": "2026-06-10", "admin_email": "pm@late.example"}}"#
    ));
    let mut a = Session::open(Arc::new(PgStore::open(&url).unwrap()), Catalog::builtin()).unwrap();
    let refused = a.run(receive.clone()).unwrap();
    assert!(refused.is_err(), "no such customer yet: {refused:?}");
    let mut b = Session::open(Arc::new(PgStore::open(&url).unwrap()), Catalog::builtin()).unwrap();
    let added = b
        .run(line(&format!(
            r#"{admin}, "cmd": "add_customer", "licensing_id": "LIC-LATE", "name": "Late Ltd", "planning_days": 15, "agreement_expires": "2028-06-30"}}"#
        )))
        .unwrap();
    assert!(added.is_ok(), "{added:?}");
    let accepted = a.run(receive).unwrap();
    assert!(
        accepted.is_ok(),
        "the customer added meanwhile is found: {accepted:?}"
    );
}
