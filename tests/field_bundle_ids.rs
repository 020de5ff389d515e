//! A completion-report bundle carries its field events' ids (issue 12 item
//! 8): the office records the submission (a draft bundle: the draft) under
//! the field's id, and the same bundle imported again is recognised by it,
//! even where its content alone no longer tells (the office changed the
//! draft since), and in a database restored from the office's backup. A
//! bundle from an older saps (no ids) imports as before.

mod common;
mod field_common;

use common::*;
use field_common::*;
use saps::domain::Event;
use saps::domain::records::ReportFields;
use saps::field;
use saps::store::{Store, backup};
use std::path::{Path, PathBuf};

fn ids_of(db: &Db, what: fn(&Event) -> bool) -> Vec<uuid::Uuid> {
    db.events()
        .iter()
        .filter(|r| what(&r.event))
        .map(|r| r.id)
        .collect()
}

fn submitted(e: &Event) -> bool {
    matches!(e, Event::ReportSubmitted { .. })
}

fn drafted(e: &Event) -> bool {
    matches!(e, Event::ReportDraftSaved { .. })
}

#[test]
fn the_office_records_the_submission_under_the_fields_id() {
    let office_dir = tempfile::tempdir().unwrap();
    let field_dir = tempfile::tempdir().unwrap();
    let office = office(office_dir.path());
    let (fieldb, bundle) = bundle_from_field(&office, field_dir.path());
    let json = bundle_json(&bundle);
    let theirs = ids_of(&fieldb, submitted);
    assert_eq!(theirs.len(), 1);
    assert_eq!(json["submit_id"], theirs[0].to_string());
    assert_eq!(
        json["draft_id"],
        ids_of(&fieldb, drafted).last().unwrap().to_string()
    );
    let r = field::import_bundle(&mut office.session(), at(8), None, &bundle).unwrap();
    assert!(r.changed());
    assert_eq!(ids_of(&office, submitted), theirs, "the same id in the office");
    office.assert_healthy(day(8));
}

/// A draft bundle, imported, then changed in the office: the same bundle
/// again is recognised by its id and leaves the office's draft alone,
/// here and in a copy of the office restored from its backup.
#[test]
fn a_draft_bundle_again_is_recognised_by_its_id_after_the_office_changed_the_draft() {
    let office_dir = tempfile::tempdir().unwrap();
    let field_dir = tempfile::tempdir().unwrap();
    let mut office = office(office_dir.path());
    let bundle = draft_bundle(&office, field_dir.path());
    let first = field::import_bundle(&mut office.session(), at(4), None, &bundle).unwrap();
    assert!(first.changed(), "{}", first.message);
    let edit = ReportFields {
        summary: Some("corrected in the office".into()),
        ..Default::default()
    };
    office.ok(PA, at(4), draft_cmd(V, edit));
    let snapshot = office.snapshot();
    let again = field::import_bundle(&mut office.session(), at(5), None, &bundle).unwrap();
    assert!(
        !again.changed() && again.message.starts_with("already imported"),
        "{}",
        again.message
    );
    assert_eq!(office.snapshot(), snapshot, "the office's draft stays");

    // A copy of the office, restored from its backup, knows it too.
    let file = office_dir.path().join("office.sapsbak");
    backup::write_open(&office.store, &file, false).unwrap();
    let copy_path = office_dir.path().join("copy.db");
    backup::restore(&file, &copy_path).unwrap();
    let mut copy = Db::open(&copy_path);
    let there = field::import_bundle(&mut copy.session(), at(5), None, &bundle).unwrap();
    assert!(
        !there.changed() && there.message.starts_with("already imported"),
        "{}",
        there.message
    );
    copy.reload();
    assert_eq!(
        copy.state.vouchers[V]
            .report
            .as_ref()
            .unwrap()
            .fields
            .summary
            .as_deref(),
        Some("corrected in the office")
    );
    drop(Store::open(&copy_path));
}

#[test]
fn a_bundle_from_an_older_saps_without_ids_imports_as_before() {
    let office_dir = tempfile::tempdir().unwrap();
    let field_dir = tempfile::tempdir().unwrap();
    let office = office(office_dir.path());
    let (_field, bundle) = bundle_from_field(&office, field_dir.path());
    let old = field_dir.path().join("old.sapsbundle");
    rewrite_json(&bundle, &old, |json| {
        let map = json.as_object_mut().unwrap();
        assert!(map.remove("draft_id").is_some() && map.remove("submit_id").is_some());
    });
    let r = field::import_bundle(&mut office.session(), at(8), None, &old).unwrap();
    assert!(r.changed(), "{}", r.message);
    let again = field::import_bundle(&mut office.session(), at(9), None, &old).unwrap();
    assert!(
        !again.changed() && again.message.starts_with("already imported"),
        "{}",
        again.message
    );
    // The new bundle of the same report is the same report.
    let new = field::import_bundle(&mut office.session(), at(9), None, &bundle).unwrap();
    assert!(
        !new.changed() && new.message.starts_with("already imported"),
        "{}",
        new.message
    );
}

/// A field database with `V`'s packet and a draft (not submitted), and
/// its draft bundle.
fn draft_bundle(office: &Db, dir: &Path) -> PathBuf {
    let packet = dir.join("engagement.sapspacket");
    field::export_packet(&*office.store, &office.catalog, at(1), V, None, &packet).unwrap();
    let mut fieldb = Db::open(&dir.join("field.db"));
    field::import_packet(&mut fieldb.session(), at(1), &packet).unwrap();
    fieldb.reload();
    let typed = ReportFields {
        summary: Some("typed in the field".into()),
        onsite_days: Some(3),
        ..Default::default()
    };
    fieldb.ok(CONSULTANT, at(3), draft_cmd(V, typed));
    let bundle = dir.join("draft.sapsbundle");
    field::export_bundle(&*fieldb.store, at(3), V, None, &bundle).unwrap();
    assert!(bundle_json(&bundle).get("submit_id").is_none());
    bundle
}

/// The JSON of a bundle file.
fn bundle_json(file: &Path) -> serde_json::Value {
    let copy = file.with_extension("json-copy");
    let mut json = serde_json::Value::Null;
    rewrite_json(file, &copy, |j| json = j.clone());
    json
}
