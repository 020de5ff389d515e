//! Issue 11, item 4: an older packet never moves a field database back, and
//! the office refuses a report written against a reservation it has since
//! changed.

mod common;
mod field_common;

use common::*;
use field_common::*;
use saps::domain::Code;
use saps::field::{self, FieldError};

fn rejected(err: FieldError) -> saps::domain::Rejection {
    match err {
        FieldError::Rejected(r) => r,
        other => panic!("expected a rejection, got: {other}"),
    }
}

#[test]
fn an_older_packet_after_a_newer_one_is_refused() {
    let office_dir = tempfile::tempdir().unwrap();
    let field_dir = tempfile::tempdir().unwrap();
    let mut office = office(office_dir.path());
    // The first packet, then the office reschedules and makes a second.
    let old = field_dir.path().join("old.sapspacket");
    field::export_packet(&*office.store, &office.catalog, at(0), V, None, &old).unwrap();
    office.ok(PA, at(1), reschedule_cmd(V, day(3), day(7)));
    let new = field_dir.path().join("new.sapspacket");
    field::export_packet(&*office.store, &office.catalog, at(1), V, None, &new).unwrap();
    // The consultant takes the newer one first, then finds the older one.
    let mut fieldb = Db::open(&field_dir.path().join("field.db"));
    field::import_packet(&mut fieldb.session(), at(1), &new).unwrap();
    let before = fieldb.snapshot();
    let err = field::import_packet(&mut fieldb.session(), at(2), &old).unwrap_err();
    assert!(err.is_refusal(), "{err}");
    let r = rejected(err).is(Code::InvalidInput, "this packet was made on 2024-03-01 12:00 UTC");
    assert!(
        r.message
            .contains("the one you have is from 2024-03-02 12:00 UTC"),
        "{}",
        r.message
    );
    assert_eq!(fieldb.snapshot(), before, "a refused packet wrote something");
    fieldb.reload();
    assert_eq!(
        fieldb.state.vouchers[V].reservation.as_ref().unwrap().start,
        day(3)
    );
    // The newer packet again is still fine (nothing new).
    let again = field::import_packet(&mut fieldb.session(), at(2), &new).unwrap();
    assert!(!again.changed(), "{}", again.message);
}

#[test]
fn a_report_against_a_reservation_the_office_changed_is_refused() {
    let (_dirs, field_dir, mut office) = {
        let office_dir = tempfile::tempdir().unwrap();
        let field_dir = tempfile::tempdir().unwrap();
        let office = office(office_dir.path());
        (office_dir, field_dir, office)
    };
    // Reported in the field against day 2 to day 6 (the packet of day 1).
    let (_field, bundle) = bundle_from_field(&office, field_dir.path());
    // Meanwhile the office moved the end: the delivered dates still fit,
    // but the report was not written against this reservation.
    office.ok(PA, at(1), reschedule_cmd(V, day(2), day(8)));
    let before = office.snapshot();
    let err = field::import_bundle(&mut office.session(), at(8), None, &bundle).unwrap_err();
    let r = rejected(err).is(
        Code::InvalidInput,
        "the report was written against the reservation",
    );
    for want in [
        "2024-03-03 to 2024-03-07",
        "now 2024-03-03 to 2024-03-09",
        "new packet",
    ] {
        assert!(r.message.contains(want), "{want:?} not in {}", r.message);
    }
    assert_eq!(office.snapshot(), before, "a refused bundle wrote something");

    // A bundle from before bundles carried the reservation is still read;
    // its dates are held to the office's reservation by the submit rules.
    let old_style = field_dir.path().join("old-style.sapsbundle");
    rewrite_json(&bundle, &old_style, |j| {
        j.as_object_mut()
            .unwrap()
            .remove("reservation")
            .expect("the bundle carries it");
    });
    let r = field::import_bundle(&mut office.session(), at(8), None, &old_style).unwrap();
    assert!(r.changed(), "{}", r.message);
}
