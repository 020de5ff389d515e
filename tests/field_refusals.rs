//! Issue 6: every bundle or packet the office or the field must refuse is
//! refused with a sentence naming the reason, and nothing is written.

mod common;
mod field_common;

use common::*;
use field_common::*;
use saps::domain::Code;
use saps::domain::command::Reserve;
use saps::domain::records::ReportFields;
use saps::domain::{Command, Rejection};
use saps::field::{self, FieldError};
use std::path::Path;

/// Imports `bundle` into `office`, which must refuse it and stay as it was.
#[track_caller]
fn refused(office: &Db, bundle: &Path) -> FieldError {
    let before = office.snapshot();
    let err = field::import_bundle(&mut office.session(), at(8), None, bundle)
        .expect_err("the bundle should be refused");
    assert!(err.is_refusal(), "{err}");
    assert_eq!(office.snapshot(), before, "a refused bundle wrote something");
    err
}

#[track_caller]
fn rejection(err: FieldError, code: Code, mention: &str) -> Rejection {
    match err {
        FieldError::Rejected(r) => r.is(code, mention),
        other => panic!("expected a {code} rejection, got: {other}"),
    }
}

#[track_caller]
fn refusal(err: FieldError, mention: &str) -> String {
    match err {
        FieldError::Refused(m) => {
            assert!(m.contains(mention), "{m:?} should mention {mention:?}");
            m
        }
        other => panic!("expected a refusal of the file, got: {other}"),
    }
}

fn setup() -> (tempfile::TempDir, tempfile::TempDir, Db) {
    let office_dir = tempfile::tempdir().unwrap();
    let field_dir = tempfile::tempdir().unwrap();
    let office = office(office_dir.path());
    (office_dir, field_dir, office)
}

#[test]
fn a_bundle_for_an_unknown_voucher_is_refused() {
    let (dirs, field_dir, office) = setup();
    let (_field, bundle) = bundle_from_field(&office, field_dir.path());
    // The same partner, another database: it never received the voucher.
    let other = office_with(&dirs.path().join("other.db"), "1234567", &["DDPS-OTHER-01"]);
    let r = rejection(
        refused(&other, &bundle),
        Code::NotFound,
        "no voucher DDPS-FIELD-01",
    );
    assert_eq!(r.field, Some("voucher_id"));
}

#[test]
fn a_bundle_from_another_partner_is_refused() {
    let (dirs, field_dir, office) = setup();
    let (_field, bundle) = bundle_from_field(&office, field_dir.path());
    let other = office_with(&dirs.path().join("other.db"), "7654321", &[V]);
    rejection(
        refused(&other, &bundle),
        Code::InvalidInput,
        "another partner (MPN 1234567 ≠ 7654321",
    );
}

#[test]
fn a_bundle_whose_deliverable_was_changed_is_refused_by_its_hash() {
    let (_dirs, field_dir, office) = setup();
    let (_field, bundle) = bundle_from_field(&office, field_dir.path());
    let mut bytes = std::fs::read(&bundle).unwrap();
    // The deliverable is the file's last bytes; change one, fix nothing else.
    let last = bytes.len() - 1;
    bytes[last] ^= 0x01;
    std::fs::write(&bundle, &bytes).unwrap();
    let m = refusal(refused(&office, &bundle), "deliverable hash mismatch");
    assert!(m.contains(&bundle.display().to_string()), "names the file: {m}");
    // A byte more than the deliverable listed: damaged, and named.
    bytes.push(0);
    std::fs::write(&bundle, &bytes).unwrap();
    let m = refusal(refused(&office, &bundle), "is damaged");
    assert!(m.contains(&bundle.display().to_string()), "names the file: {m}");
}

#[test]
fn a_file_whose_content_names_another_format_version_is_refused() {
    let (_dirs, field_dir, office) = setup();
    let (fieldb, bundle) = bundle_from_field(&office, field_dir.path());
    let v2 = field_dir.path().join("v2.sapsbundle");
    rewrite_json(&bundle, &v2, |j| j["version"] = 2.into());
    let m = refusal(refused(&office, &v2), "format version 2");
    assert!(m.contains("v2.sapsbundle"), "{m}");
    let packet = field_dir.path().join("engagement.sapspacket");
    let p2 = field_dir.path().join("v2.sapspacket");
    rewrite_json(&packet, &p2, |j| j["version"] = 2.into());
    let before = fieldb.snapshot();
    let err = field::import_packet(&mut fieldb.session(), at(2), &p2).unwrap_err();
    refusal(err, "format version 2");
    assert_eq!(fieldb.snapshot(), before);
}

#[test]
fn a_bundle_by_a_stranger_is_refused_for_what_the_bundle_says_not_for_as() {
    let (_dirs, field_dir, office) = setup();
    let (_field, bundle) = bundle_from_field(&office, field_dir.path());
    let dave = "dave@contoso.test";
    // An unknown voucher, and a consultant the office does not know: no
    // --as was given, so the voucher is the problem named.
    let unknown = field_dir.path().join("unknown.sapsbundle");
    rewrite_json(&bundle, &unknown, |j| {
        j["consultant"] = dave.into();
        j["voucher_id"] = "DDPS-NONE-01".into();
    });
    let r = rejection(
        refused(&office, &unknown),
        Code::NotFound,
        "no voucher DDPS-NONE-01",
    );
    assert_eq!(r.field, Some("voucher_id"));
    // The voucher is known: the bundle's consultant is the problem.
    let stranger = field_dir.path().join("dave.sapsbundle");
    rewrite_json(&bundle, &stranger, |j| j["consultant"] = dave.into());
    let err = refused(&office, &stranger);
    assert!(!err.to_string().contains("as:"), "{err}");
    let r = rejection(
        err,
        Code::Unauthorized,
        "the bundle's consultant dave@contoso.test is not a user of this partner",
    );
    assert_eq!(r.field, Some("consultant"));
}

#[test]
fn a_corrupted_bundle_is_refused_by_its_checksum() {
    let (_dirs, field_dir, office) = setup();
    let (_field, bundle) = bundle_from_field(&office, field_dir.path());
    let mut bytes = std::fs::read(&bundle).unwrap();
    let at_summary = bytes.windows(7).position(|w| w == b"Planned").unwrap();
    bytes[at_summary] = b'p';
    std::fs::write(&bundle, &bytes).unwrap();
    refusal(refused(&office, &bundle), "checksum does not match");
    // Cut short: refused too.
    std::fs::write(&bundle, &bytes[..bytes.len() / 2]).unwrap();
    refusal(refused(&office, &bundle), "not a usable completion-report bundle");
}

#[test]
fn a_bundle_by_a_consultant_not_on_the_engagement_is_refused() {
    let (_dirs, field_dir, mut office) = setup();
    let (_field, bundle) = bundle_from_field(&office, field_dir.path());
    // Meanwhile the office gave the engagement to another consultant.
    office.ok(PA, at(1), cancel_cmd(V));
    office.ok(
        PA,
        at(1),
        Command::ReserveVoucher(Reserve {
            consultants: vec![OTHER_CONSULTANT.into()],
            ..reserve(V, day(2), day(6))
        }),
    );
    rejection(
        refused(&office, &bundle),
        Code::Unauthorized,
        "ana@contoso.test is not named on the engagement of voucher DDPS-FIELD-01",
    );
}

#[test]
fn a_bundle_for_a_voucher_already_redeemed_is_refused() {
    let (_dirs, field_dir, mut office) = setup();
    let (_field, bundle) = bundle_from_field(&office, field_dir.path());
    // The admin typed a report in the office meanwhile and redeemed it.
    let plan = office.store.path().with_extension("plan.pdf");
    std::fs::write(&plan, b"the office's copy of the plan").unwrap();
    let typed = ReportFields {
        deliverable_path: Some(plan.display().to_string()),
        ..full_report(5, day(2), day(6))
    };
    office.ok(PA, at(7), draft_cmd(V, typed));
    office.ok(PA, at(7), submit_cmd(V));
    office.ok(PA, at(7), redeem_cmd(&[V]));
    rejection(refused(&office, &bundle), Code::InvalidTransition, "is redeemed");
}

#[test]
fn a_submitted_bundle_whose_report_breaks_the_submit_rules_is_refused() {
    let (_dirs, field_dir, office) = setup();
    let (_field, bundle) = bundle_from_field(&office, field_dir.path());
    // Edited after the consultant submitted: 2 days on site, not 4.
    let edited = field_dir.path().join("edited.sapsbundle");
    rewrite_json(&bundle, &edited, |j| {
        assert!(j["submitted_at"].is_string(), "a submitted bundle");
        j["report"]["onsite_days"] = 2.into();
    });
    let r = rejection(refused(&office, &edited), Code::InvalidInput, "onsite_days");
    assert!(
        r.message.contains("2 on site + 1 off site = 3 days"),
        "{}",
        r.message
    );
}

#[test]
fn a_packet_or_bundle_in_the_wrong_place_is_refused() {
    let (_dirs, field_dir, office) = setup();
    let (fieldb, bundle) = bundle_from_field(&office, field_dir.path());
    let packet = field_dir.path().join("engagement.sapspacket");
    // A packet is no bundle, and the office is no field database.
    refusal(refused(&office, &packet), "use `saps packet import`");
    let before = office.snapshot();
    let err = field::import_packet(&mut office.session(), at(1), &packet).unwrap_err();
    rejection(err, Code::AlreadyInitialized, "office database");
    assert_eq!(office.snapshot(), before);
    // A bundle goes to the office, not into a field database.
    let before = fieldb.snapshot();
    let err = field::import_bundle(&mut fieldb.session(), at(8), None, &bundle).unwrap_err();
    rejection(err, Code::Unauthorized, "field database");
    assert_eq!(fieldb.snapshot(), before);
}

#[test]
fn a_field_database_takes_packets_of_one_partner_and_one_consultant() {
    let (dirs, field_dir, mut office) = setup();
    let (fieldb, _bundle) = bundle_from_field(&office, field_dir.path());
    let before = fieldb.snapshot();
    // Another partner's packet.
    let other = office_with(&dirs.path().join("other.db"), "7654321", &["DDPS-OTHER-01"]);
    let theirs = dirs.path().join("theirs.sapspacket");
    field::export_packet(
        &*other.store,
        &other.catalog,
        at(1),
        "DDPS-OTHER-01",
        None,
        &theirs,
    )
    .unwrap();
    let err = field::import_packet(&mut fieldb.session(), at(1), &theirs).unwrap_err();
    rejection(err, Code::InvalidInput, "another partner (MPN 7654321 ≠ 1234567");
    // Another consultant's packet.
    reserve_voucher(&mut office, "DDPS-BO-01", OTHER_CONSULTANT);
    let bos = dirs.path().join("bo.sapspacket");
    field::export_packet(&*office.store, &office.catalog, at(1), "DDPS-BO-01", None, &bos).unwrap();
    let err = field::import_packet(&mut fieldb.session(), at(1), &bos).unwrap_err();
    rejection(err, Code::Unauthorized, "belongs to ana@contoso.test");
    assert_eq!(fieldb.snapshot(), before);
}

#[test]
fn a_packet_needs_a_reserved_voucher_and_a_named_consultant() {
    let (dirs, _field_dir, mut office) = setup();
    let file = dirs.path().join("p.sapspacket");
    let export = |office: &Db, id: &str, who: Option<&str>| {
        field::export_packet(&*office.store, &office.catalog, at(1), id, who, &file).unwrap_err()
    };
    rejection(
        export(&office, "DDPS-NONE-01", None),
        Code::NotFound,
        "no voucher DDPS-NONE-01",
    );
    rejection(
        export(&office, V, Some(OTHER_CONSULTANT)),
        Code::InvalidInput,
        "not named",
    );
    office.ok(PA, at(1), receive_cmd("DDPS-ASSIGNED", CUSTOMER, 1, day(0)));
    rejection(
        export(&office, "DDPS-ASSIGNED", None),
        Code::InvalidTransition,
        "assigned",
    );
    assert!(!file.exists(), "no file written");
    // An existing file is never overwritten.
    std::fs::write(&file, b"keep me").unwrap();
    let err = field::export_packet(&*office.store, &office.catalog, at(1), V, None, &file).unwrap_err();
    refusal(err, "already exists");
    assert_eq!(std::fs::read(&file).unwrap(), b"keep me");
}

#[test]
fn only_an_admin_or_the_consultant_may_import_a_bundle() {
    let (_dirs, field_dir, office) = setup();
    let (_field, bundle) = bundle_from_field(&office, field_dir.path());
    let before = office.snapshot();
    let import =
        |who: &str| field::import_bundle(&mut office.session(), at(8), Some(who), &bundle).unwrap_err();
    rejection(
        import(OTHER_CONSULTANT),
        Code::Unauthorized,
        "only an admin or ana@contoso.test",
    );
    rejection(
        import("nobody@contoso.test"),
        Code::Unauthorized,
        "not a user of this partner",
    );
    assert_eq!(office.snapshot(), before);
}
