//! Issue 6, what a packet carries taken as the domain keys it: a consultant
//! who is a global admin in the office still gets a field database, and a
//! voucher id written carelessly is imported under its normalised form.

mod common;
mod field_common;

use common::*;
use field_common::*;
use saps::app::{self, DeskOptions};
use saps::domain::Catalog;
use saps::domain::records::Role;
use saps::field;
use saps::ui::tab::Tab;

#[test]
fn a_global_admin_on_the_engagement_gets_a_field_database_all_the_same() {
    let office_dir = tempfile::tempdir().unwrap();
    let field_dir = tempfile::tempdir().unwrap();
    let mut office = office(office_dir.path());
    office.ok(PA, at(0), exam_cmd(ADMIN, COMPETENCY));
    reserve_voucher(&mut office, "DDPS-GINA-01", ADMIN);
    assert_eq!(office.state.user(ADMIN).unwrap().role, Role::GlobalAdmin);
    let packet = field_dir.path().join("gina.sapspacket");
    field::export_packet(
        &*office.store,
        &office.catalog,
        at(1),
        "DDPS-GINA-01",
        None,
        &packet,
    )
    .unwrap();

    let mut fieldb = Db::open(&field_dir.path().join("field.db"));
    let r = field::import_packet(&mut fieldb.session(), at(1), &packet).unwrap();
    assert!(r.changed(), "{}", r.message);
    let again = field::import_packet(&mut fieldb.session(), at(1), &packet).unwrap();
    assert!(
        !again.changed() && again.message.starts_with("already imported"),
        "{}",
        again.message
    );
    fieldb.reload();
    let owner = field::field_owner(&fieldb.state).expect("a field database");
    assert_eq!(owner.email, ADMIN);
    assert_eq!(owner.role, Role::Consultant, "recorded as the consultant");
    fieldb.assert_healthy(day(1));

    // The desk opens it in field mode, as gina.
    let path = fieldb.path().to_path_buf();
    drop(fieldb);
    let opts = DeskOptions {
        db: path.clone(),
        actor: None,
        now: Some(at(3)),
        catalog: Catalog::builtin(),
        tour: false,
    };
    let (m, _engine) = app::prepare_on(Db::open(&path).store, opts).expect("desk prepares");
    assert_eq!(m.field_owner.as_deref(), Some(ADMIN));
    assert_eq!(m.tab, Tab::Deliver);
}

#[test]
fn a_packet_with_a_careless_voucher_id_is_imported_under_the_normalised_one() {
    let office_dir = tempfile::tempdir().unwrap();
    let field_dir = tempfile::tempdir().unwrap();
    let office = office_with(
        &office_dir.path().join("office.db"),
        "1234567",
        &["DDPS-2026-0001"],
    );
    let exported = field_dir.path().join("exported.sapspacket");
    field::export_packet(
        &*office.store,
        &office.catalog,
        at(1),
        "DDPS-2026-0001",
        None,
        &exported,
    )
    .unwrap();
    // Edited by hand, the checksum recomputed as the format does.
    let packet = field_dir.path().join("edited.sapspacket");
    rewrite_json(&exported, &packet, |j| {
        j["voucher"]["voucher_id"] = " ddps-2026-0001".into();
        j["voucher"]["customer"] = format!("{CUSTOMER} ").into();
        j["customer"]["licensing_id"] = format!(" {CUSTOMER}").into();
    });

    let mut fieldb = Db::open(&field_dir.path().join("field.db"));
    let r = field::import_packet(&mut fieldb.session(), at(1), &packet).unwrap();
    assert!(
        r.message.starts_with("imported the packet for DDPS-2026-0001 in"),
        "{}",
        r.message
    );
    assert_eq!(r.voucher_id, "DDPS-2026-0001");
    let again = field::import_packet(&mut fieldb.session(), at(1), &packet).unwrap();
    assert!(!again.changed(), "idempotent: {:?}", again.events);
    // The office's own packet is the same engagement: nothing new either.
    let same = field::import_packet(&mut fieldb.session(), at(1), &exported).unwrap();
    assert!(!same.changed(), "{:?}", same.events);
    fieldb.reload();
    let v = &fieldb.state.vouchers["DDPS-2026-0001"];
    assert_eq!(v.voucher_id, "DDPS-2026-0001");
    assert_eq!(v.customer, CUSTOMER);
    assert!(fieldb.state.customers.contains_key(CUSTOMER));
    assert_eq!(fieldb.state.customers.len(), 1);
    assert!(
        fieldb.path().join("packets/DDPS-2026-0001.json").is_file(),
        "the catalog entry under the normalised id"
    );
    fieldb.assert_healthy(day(1));
}
