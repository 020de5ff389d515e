//! Issue 6: an engagement packet out to a field database that never saw the
//! office's, the report filed there, the bundle back, and the voucher
//! redeemed in the office with nothing retyped.

mod common;
mod field_common;

use common::*;
use field_common::*;
use saps::domain::Catalog;
use saps::domain::records::{ReportFields, Stage};
use saps::field;
use saps::store::files;

#[test]
fn packet_out_report_in_the_field_bundle_back_then_redeem() {
    let office_dir = tempfile::tempdir().unwrap();
    let field_dir = tempfile::tempdir().unwrap();
    let mut office = office(office_dir.path());

    let packet = field_dir.path().join("out/ddps.sapspacket");
    let s = field::export_packet(
        &*office.store,
        &office.catalog,
        at(1),
        "ddps-field-01",
        None,
        &packet,
    )
    .unwrap();
    assert!(
        s.message.contains(V) && s.message.contains(CONSULTANT),
        "{}",
        s.message
    );
    assert_eq!(s.bytes, std::fs::metadata(&packet).unwrap().len());
    let head = std::fs::read_to_string(&packet).unwrap();
    assert!(head.starts_with("SAPS-PACKET 1\nsha256 "), "{head}");
    assert!(head.contains("\"mpn_id\": \"1234567\""), "{head}");
    assert!(
        head.contains("windows-office-deployment"),
        "the catalog entry: {head}"
    );

    // The consultant's machine: a database of its own.
    let mut fieldb = Db::open(&field_dir.path().join("field.db"));
    let r = field::import_packet(&mut fieldb.session(), at(1), &packet).unwrap();
    assert!(
        r.changed() && r.message.starts_with("imported the packet for DDPS-FIELD-01"),
        "{}",
        r.message
    );
    fieldb.reload();
    assert_eq!(field::field_owner(&fieldb.state).unwrap().email, CONSULTANT);
    assert!(
        field::field_owner(&office.state).is_none(),
        "the office is no field database"
    );
    assert_eq!(fieldb.state.vouchers.len(), 1);
    assert_eq!(
        fieldb.state.org.users.len(),
        1,
        "only the consultant's user record"
    );
    let ours = &fieldb.state.vouchers[V];
    assert_eq!(ours.reservation, office.state.vouchers[V].reservation);
    assert_eq!(ours.stage, Stage::Reserved);
    fieldb.assert_healthy(day(1));

    // The report, field by field, with the deliverable, submitted in the field.
    let content = b"%PDF-1.7 the plan the customer accepted";
    let pdf = deliverable_file(field_dir.path(), content);
    file_report(&mut fieldb, V, &pdf);
    let report = fieldb.state.vouchers[V].report.clone().unwrap();
    let copy = report
        .fields
        .deliverable
        .clone()
        .expect("the deliverable is attached");
    assert_eq!(files::read_verified(fieldb.path(), &copy).unwrap(), content);
    assert_eq!(fieldb.state.vouchers[V].stage, Stage::Delivered);
    fieldb.assert_healthy(day(7));

    let bundle = field_dir.path().join("ddps.sapsbundle");
    let s = field::export_bundle(&*fieldb.store, at(7), V, None, &bundle).unwrap();
    assert!(
        s.message.contains("submitted 2024-03-08 12:00 UTC"),
        "{}",
        s.message
    );

    // Back in the office.
    let before = office.events().len();
    let r = field::import_bundle(&mut office.session(), at(8), None, &bundle).unwrap();
    assert_eq!(
        r.message,
        "imported the completion report of DDPS-FIELD-01 by ana@contoso.test, submitted 2024-03-08 12:00 UTC, \
         imported 2024-03-09 12:00 UTC; DDPS-FIELD-01 is delivered and can be redeemed"
    );
    assert_eq!(r.events.len(), 2);
    assert!(
        r.events.iter().all(|e| e.actor == CONSULTANT),
        "the consultant's events"
    );
    assert_eq!(
        (r.events[0].at, r.events[1].at),
        (at(8), at(7)),
        "imported, then submitted"
    );
    assert_eq!(office.events().len(), before + 2);
    office.reload();
    let v = &office.state.vouchers[V];
    assert_eq!(v.stage, Stage::Delivered);
    let theirs = v.report.clone().unwrap();
    assert_eq!(theirs.fields, report.fields, "nothing retyped, nothing lost");
    assert_eq!(theirs.submitted_at, Some(at(7)));
    assert_eq!(theirs.submitted_by.as_deref(), Some(CONSULTANT));
    assert_eq!(files::read_verified(office.path(), &copy).unwrap(), content);
    office.assert_healthy(day(8));

    office.ok(PA, at(8), redeem_cmd(&[V]));
    assert_eq!(office.state.vouchers[V].stage, Stage::Redeemed);
    office.assert_healthy(day(8));
}

#[test]
fn the_same_bundle_twice_changes_nothing_the_second_time() {
    let office_dir = tempfile::tempdir().unwrap();
    let field_dir = tempfile::tempdir().unwrap();
    let mut office = office(office_dir.path());
    let (_field, bundle) = bundle_from_field(&office, field_dir.path());
    let first = field::import_bundle(&mut office.session(), at(8), None, &bundle).unwrap();
    assert!(first.changed());
    let snapshot = office.snapshot();
    let again = field::import_bundle(&mut office.session(), at(9), None, &bundle).unwrap();
    assert!(!again.changed());
    assert!(again.message.starts_with("already imported"), "{}", again.message);
    assert_eq!(office.snapshot(), snapshot, "the second import wrote nothing");
    // Still nothing once the voucher is redeemed.
    office.reload();
    office.ok(PA, at(9), redeem_cmd(&[V]));
    let events = office.events().len();
    let third = field::import_bundle(&mut office.session(), at(10), Some(PA), &bundle).unwrap();
    assert!(third.message.starts_with("already imported"), "{}", third.message);
    assert_eq!(office.events().len(), events);
}

#[test]
fn the_same_packet_twice_changes_nothing_and_a_newer_one_follows_the_office() {
    let office_dir = tempfile::tempdir().unwrap();
    let field_dir = tempfile::tempdir().unwrap();
    let mut office = office(office_dir.path());
    let packet = field_dir.path().join("first.sapspacket");
    field::export_packet(&*office.store, &office.catalog, at(1), V, None, &packet).unwrap();
    let mut fieldb = Db::open(&field_dir.path().join("field.db"));
    field::import_packet(&mut fieldb.session(), at(1), &packet).unwrap();
    fieldb.reload();
    fieldb.ok(
        CONSULTANT,
        at(2),
        draft_cmd(
            V,
            ReportFields {
                summary: Some("typed in the field".into()),
                ..Default::default()
            },
        ),
    );
    let snapshot = fieldb.snapshot();
    let again = field::import_packet(&mut fieldb.session(), at(2), &packet).unwrap();
    assert!(
        !again.changed() && again.message.starts_with("already imported"),
        "{}",
        again.message
    );
    assert_eq!(fieldb.snapshot(), snapshot);

    // The office moves the engagement; the newer packet moves it in the field
    // and keeps the consultant's draft.
    office.ok(PA, at(1), reschedule_cmd(V, day(3), day(7)));
    let newer = field_dir.path().join("newer.sapspacket");
    field::export_packet(&*office.store, &office.catalog, at(1), V, None, &newer).unwrap();
    let r = field::import_packet(&mut fieldb.session(), at(2), &newer).unwrap();
    assert!(r.message.starts_with("updated the packet"), "{}", r.message);
    fieldb.reload();
    let v = &fieldb.state.vouchers[V];
    assert_eq!(v.reservation.as_ref().unwrap().start, day(3));
    let summary = v.report.as_ref().unwrap().fields.summary.as_deref();
    assert_eq!(summary, Some("typed in the field"));
    fieldb.assert_healthy(day(2));
}

#[test]
fn a_packet_carries_the_office_draft_with_its_deliverable() {
    let office_dir = tempfile::tempdir().unwrap();
    let field_dir = tempfile::tempdir().unwrap();
    let mut office = office(office_dir.path());
    let draft = office_dir.path().join("outline.docx");
    std::fs::write(&draft, b"outline started in the office").unwrap();
    office.ok(
        PA,
        at(1),
        draft_cmd(
            V,
            ReportFields {
                summary: Some("started in the office".into()),
                deliverable_path: Some(draft.display().to_string()),
                ..Default::default()
            },
        ),
    );
    let packet = field_dir.path().join("p.sapspacket");
    let s = field::export_packet(
        &*office.store,
        &office.catalog,
        at(1),
        V,
        Some(CONSULTANT),
        &packet,
    )
    .unwrap();
    assert!(s.message.contains("with the report draft"), "{}", s.message);
    let fieldb = Db::open(&field_dir.path().join("field.db"));
    field::import_packet(&mut fieldb.session(), at(1), &packet).unwrap();
    let state = fieldb.store.load().unwrap();
    let fields = &state.vouchers[V].report.as_ref().unwrap().fields;
    assert_eq!(fields, &office.state.vouchers[V].report.as_ref().unwrap().fields);
    let copy = fields.deliverable.as_ref().unwrap();
    assert_eq!(
        files::read_verified(fieldb.path(), copy).unwrap(),
        b"outline started in the office"
    );
    fieldb.assert_healthy(day(1));
}

#[test]
fn a_draft_bundle_is_imported_as_the_consultants_draft_not_submitted() {
    let office_dir = tempfile::tempdir().unwrap();
    let field_dir = tempfile::tempdir().unwrap();
    let mut office = office(office_dir.path());
    let packet = field_dir.path().join("p.sapspacket");
    field::export_packet(&*office.store, &office.catalog, at(1), V, None, &packet).unwrap();
    let mut fieldb = Db::open(&field_dir.path().join("field.db"));
    field::import_packet(&mut fieldb.session(), at(1), &packet).unwrap();
    fieldb.reload();
    let pdf = deliverable_file(field_dir.path(), b"plan");
    // Not even complete: a draft is not held to the submit rules.
    let mut report = full_report(5, day(2), day(6));
    report.deliverable_path = Some(pdf.display().to_string());
    report.offsite_days = Some(3);
    fieldb.ok(CONSULTANT, at(6), draft_cmd(V, report));
    let bundle = field_dir.path().join("draft.sapsbundle");
    let s = field::export_bundle(&*fieldb.store, at(6), V, None, &bundle).unwrap();
    assert!(s.message.contains("the report draft"), "{}", s.message);
    let r = field::import_bundle(&mut office.session(), at(9), Some(PA), &bundle).unwrap();
    assert!(
        r.message
            .starts_with("imported the draft of DDPS-FIELD-01 by ana@contoso.test")
            && r.message
                .contains("it is not submitted: submit it in the office (s on step 6)"),
        "{}",
        r.message
    );
    assert_eq!(r.events.len(), 1, "the draft only: {:?}", r.events);
    assert_eq!(
        r.events[0].actor, CONSULTANT,
        "the consultant's, though an admin imported"
    );
    office.reload();
    let v = &office.state.vouchers[V];
    assert_eq!(v.stage, Stage::Reserved, "still reserved, with the draft");
    let report = v.report.clone().unwrap();
    assert_eq!(report.submitted_at, None);
    assert_eq!(report.submitted_by, None);
    assert_eq!(report.fields.offsite_days, Some(3));
    assert!(report.fields.deliverable.is_some(), "the deliverable came along");
    office.assert_healthy(day(9));

    let again = field::import_bundle(&mut office.session(), at(10), Some(PA), &bundle).unwrap();
    assert!(
        !again.changed() && again.message.starts_with("already imported"),
        "{}",
        again.message
    );
    // The office fixes the draft and submits it.
    let fix = ReportFields {
        offsite_days: Some(0),
        ..Default::default()
    };
    office.ok(PA, at(10), draft_cmd(V, fix));
    office.ok(PA, at(10), submit_cmd(V));
    office.ok(PA, at(10), redeem_cmd(&[V]));
    assert_eq!(office.state.vouchers[V].stage, Stage::Redeemed);
}

#[test]
fn the_field_checks_reports_against_the_catalog_the_packet_carried() {
    let office_dir = tempfile::tempdir().unwrap();
    let field_dir = tempfile::tempdir().unwrap();
    let mut office = office(office_dir.path());
    office
        .catalog
        .deliverable_kinds
        .push("Field Readiness Plan".into());
    let packet = field_dir.path().join("p.sapspacket");
    field::export_packet(&*office.store, &office.catalog, at(1), V, None, &packet).unwrap();
    let fieldb = Db::open(&field_dir.path().join("field.db"));
    field::import_packet(&mut fieldb.session(), at(1), &packet).unwrap();
    let builtin = Catalog::builtin();
    assert!(builtin.deliverable_kind("Field Readiness Plan").is_none());
    let catalog = field::field_catalog(fieldb.path(), &builtin);
    assert_eq!(
        catalog.deliverable_kind("field readiness plan"),
        Some("Field Readiness Plan")
    );
    assert!(catalog.engagement(ENGAGEMENT).is_some());
}
