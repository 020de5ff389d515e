//! `saps check`: the pure invariants and replay comparison, and the command
//! on real databases with tampered records.

mod fixtures;
mod saps_bin;

use fixtures::{day, sample_state};
use saps::check::invariants::{check_state, seqs_contiguous};
use saps::check::replay::{compare, replay};
use saps::domain::State;
use saps::domain::records::{Outcome, Stage, Voucher};
use saps::store::{Store, codec, keys};
use saps_bin::run;
use std::path::Path;

fn problems(state: &State) -> Vec<String> {
    check_state(state, day(2020, 10, 1))
        .iter()
        .map(|f| f.to_string())
        .collect()
}

fn has(found: &[String], text: &str) -> bool {
    found.iter().any(|f| f.contains(text))
}

#[test]
fn a_sound_state_has_no_findings() {
    assert_eq!(problems(&sample_state()), Vec::<String>::new());
}

#[test]
fn each_broken_rule_is_named() {
    let mut s = sample_state();
    s.customers.get_mut("LIC-1001").unwrap().planning_days = 7;
    let found = problems(&s);
    assert!(
        has(
            &found,
            "customer LIC-1001: its vouchers hold 10 days on 2020-10-01, more than its 7"
        ),
        "{found:?}"
    );

    let mut s = sample_state();
    s.vouchers.get_mut("VCH-000003").unwrap().redemption = None;
    let found = problems(&s);
    assert!(
        has(&found, "voucher VCH-000003: is paid but has no redemption"),
        "{found:?}"
    );

    let mut s = sample_state();
    s.vouchers.get_mut("VCH-000001").unwrap().reservation = s.vouchers["VCH-000002"].reservation.clone();
    let found = problems(&s);
    assert!(
        has(
            &found,
            "voucher VCH-000001: is assigned but already has a reservation"
        ),
        "{found:?}"
    );

    let mut s = sample_state();
    let paid = s.vouchers.get_mut("VCH-000003").unwrap();
    paid.invoices
        .last_mut()
        .unwrap()
        .payment
        .as_mut()
        .unwrap()
        .outcome = Outcome::Denied;
    let found = problems(&s);
    assert!(
        has(&found, "is paid but its last payment request was denied"),
        "{found:?}"
    );

    let mut s = sample_state();
    s.vouchers.get_mut("VCH-000003").unwrap().stage = Stage::Invoiced;
    assert!(has(
        &problems(&s),
        "is invoiced but its last payment request already has an answer"
    ));

    let mut s = sample_state();
    s.invoices.remove("INV-2");
    s.invoices.insert("INV-9".into(), "VCH-000002".into());
    let found = problems(&s);
    assert!(
        has(
            &found,
            "has invoice INV-2, which is missing from the invoice index"
        ),
        "{found:?}"
    );
    assert!(
        has(&found, "invoice INV-9: points to voucher VCH-000002"),
        "{found:?}"
    );

    let mut s = sample_state();
    let mut stray: Voucher = s.vouchers["VCH-000001"].clone();
    stray.customer = "LIC-404".into();
    s.vouchers.insert("VCH-000009".into(), stray);
    let found = problems(&s);
    assert!(
        has(&found, "voucher VCH-000009: holds voucher VCH-000001"),
        "{found:?}"
    );
    assert!(
        has(&found, "belongs to customer LIC-404, who is not recorded"),
        "{found:?}"
    );
}

#[test]
fn days_held_follow_the_clock() {
    // Two 5-day vouchers on a 5-day pool: sound only once the first one has
    // expired unredeemed and its days went back.
    let mut s = sample_state();
    s.customers.get_mut("LIC-1001").unwrap().planning_days = 5;
    let reserved = s.vouchers.get_mut("VCH-000002").unwrap();
    reserved.created_on = day(2021, 3, 1);
    let before = check_state(&s, day(2021, 2, 27));
    assert_eq!(before.len(), 1, "{before:?}");
    assert!(
        check_state(&s, day(2021, 2, 28)).is_empty(),
        "VCH-000001 expired and gave its days back"
    );
}

#[test]
fn seqs_must_run_from_one_without_gaps() {
    assert!(seqs_contiguous(1..=5).is_empty());
    assert_eq!(
        seqs_contiguous([1, 2, 4])[0].to_string(),
        "audit log: event 3 is missing"
    );
    assert_eq!(seqs_contiguous([1, 1]).len(), 1);
}

fn walkthrough() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = saps_bin::walkthrough_db(dir.path());
    (dir, db)
}

/// Edits one stored value through the store's raw access.
fn tamper(db: &Path, tree: &str, key: &[u8], value: Option<Vec<u8>>) {
    let store = fixtures::open_retry(db).unwrap();
    store.raw_set(tree.as_bytes(), key, value.as_deref()).unwrap();
}

#[test]
fn the_log_replays_to_the_stored_records() {
    let (_dir, db) = walkthrough();
    let store = Store::open(&db).unwrap();
    let events = store.events().unwrap();
    assert_eq!(events.len(), 21);
    assert!(compare(&store.load().unwrap(), &replay(&events)).is_empty());
    assert!(!compare(&store.load().unwrap(), &replay(&events[..20])).is_empty());
}

#[test]
fn check_reports_healthy_with_counts() {
    let (_dir, db) = walkthrough();
    let r = run(&db, &["check"]);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    assert_eq!(
        r.stdout,
        "healthy: 21 events, 1 customer, 1 voucher, 1 payment request, 1 deliverable file\n"
    );
}

#[test]
fn check_never_creates_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("typo.db");
    let r = run(&missing, &["check"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("there is no database"), "{}", r.stderr);
    assert!(!missing.exists());
}

#[test]
fn check_names_a_tampered_record_and_what_differs() {
    let (_dir, db) = walkthrough();
    let id = "DDPS-2026-0001";
    let bytes = {
        let store = Store::open(&db).unwrap();
        store
            .raw_get(keys::VOUCHERS.as_bytes(), id.as_bytes())
            .unwrap()
            .unwrap()
    };
    let mut v: Voucher = codec::decode(&bytes).unwrap();
    v.stage = Stage::Denied;
    v.days = 3;
    tamper(&db, keys::VOUCHERS, id.as_bytes(), Some(codec::encode(&v)));
    let r = run(&db, &["check"]);
    assert_eq!(r.code, Some(1), "{}", r.stdout);
    let expect = format!("- voucher {id}: differs from what the audit log rebuilds in: days, stage");
    assert!(r.stdout.contains(&expect), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("is denied but its last payment request was paid"),
        "{}",
        r.stdout
    );
    // The index still files the voucher as it was: stage, counters, ledger.
    assert!(
        r.stdout.contains(&format!("- index of voucher {id} (Denied")),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("- index ledger of "), "{}", r.stdout);
    assert!(r.stderr.contains("has 7 problems"), "{}", r.stderr);
}

#[test]
fn check_finds_a_missing_event_and_an_unknown_tree() {
    let (_dir, db) = walkthrough();
    {
        let store = fixtures::open_retry(&db).unwrap();
        fixtures::edit_log(&store, 5, |events| events.retain(|(seq, _)| *seq != 5));
    }
    tamper(&db, "stray", b"k", Some(b"v".to_vec()));
    let r = run(&db, &["check"]);
    assert_eq!(r.code, Some(1), "{}", r.stdout);
    assert!(
        r.stdout.contains("- audit log: event 5 is missing"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("- the partner record: differs from what the audit log rebuilds in: locations"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("- stray k: is in the tree stray, which saps does not know"),
        "{}",
        r.stdout
    );
}
