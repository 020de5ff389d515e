//! Issue 6 on the screens: the office hands an engagement out in a packet by
//! keys, the consultant's desk on its field database shows only Deliver &
//! report and sends the report back in a bundle by keys, and the office
//! imports it by keys.

mod saps_bin;
mod ui_common;

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use saps::app::{self, DeskOptions};
use saps::demo;
use saps::domain::records::Stage;
use saps::domain::{Catalog, Status};
use saps::field;
use saps::store::Store;
use saps::ui::tab::Tab;
use std::path::{Path, PathBuf};
use ui_common::*;

/// Reserved for cody from 2026-06-08 to 2026-06-12, with a draft.
const V5: &str = "DEMO-0005";
/// Reserved for cody from 2026-06-22, no report yet.
const V7: &str = "DEMO-0007";
/// Reserved for dana.
const V6: &str = "DEMO-0006";

/// On the office desk, `tab_key` then the packet of `id` written by keys to
/// the path the form suggests (or `file`); returns that path.
fn export_packet(d: &mut Desk, tab_key: char, id: &str, file: Option<&Path>) -> PathBuf {
    d.key(tab_key);
    d.press(KeyCode::Esc); // clears an earlier filter
    pick(d, id);
    d.key('f');
    assert_eq!(d.form_title(), Some("Engagement packet for the field"));
    assert_eq!(d.field("voucher_id"), id);
    if let Some(f) = file {
        d.fill("file", f.to_str().unwrap());
    }
    let path = PathBuf::from(d.field("file"));
    d.press(KeyCode::Enter);
    assert!(d.form().is_none(), "written: {}", d.flash());
    assert!(
        d.flash().starts_with(&format!("packet for {id} written to")),
        "{}",
        d.flash()
    );
    path
}

/// A fresh field database in `dir` holding the packet in `packet`.
fn field_db(dir: &Path, packet: &Path) -> PathBuf {
    let db = dir.join("field.db");
    let store = std::sync::Arc::new(Store::open(&db).unwrap());
    let mut session = saps::session::Session::open(store, Catalog::builtin()).unwrap();
    let r = field::import_packet(&mut session, demo::now(), packet).unwrap();
    assert!(r.changed(), "{}", r.message);
    db
}

/// The desk on the field database in `dir`, at the demo's clock.
fn field_desk(dir: tempfile::TempDir, actor: Option<&str>) -> Desk {
    let db = dir.path().join("field.db");
    let opts = DeskOptions {
        db: db.clone(),
        actor: actor.map(str::to_string),
        now: Some(demo::now()),
        catalog: Catalog::builtin(),
        tour: false,
    };
    let (m, engine) = app::prepare_on(std::sync::Arc::new(open_retrying(&db)), opts).expect("desk prepares");
    let mut d = Desk {
        m,
        engine: Some(engine),
        db,
        dir,
    };
    d.send(saps::ui::Msg::Resize(80, 24));
    d
}

fn rows(d: &Desk) -> Vec<String> {
    let list = d.m.list(d.m.tab);
    (0..list.len())
        .filter_map(|i| list.key(i).map(str::to_string))
        .collect()
}

#[test]
fn the_office_writes_a_packet_by_keys_that_a_field_database_takes() {
    let mut d = Desk::demo();
    let packet = export_packet(&mut d, '5', V5, None);
    assert_eq!(
        packet,
        d.dir.path().join("DEMO-0005.sapspacket"),
        "beside the database"
    );
    let head = std::fs::read(&packet).unwrap();
    assert!(head.starts_with(b"SAPS-PACKET 1\n"));
    let field = tempfile::tempdir().unwrap();
    let db = field_db(field.path(), &packet);
    let state = open_retrying(&db).load().unwrap();
    assert_eq!(field::field_owner(&state).map(|u| u.email.as_str()), Some(CODY));
    assert_eq!(state.vouchers[V5].stage, Stage::Reserved);

    // Never over an existing file: the form stays open and says why.
    d.key('f');
    d.press(KeyCode::Enter);
    assert!(d.form().is_some(), "the form stays open");
    assert!(d.flash().contains("already exists"), "{}", d.flash());
    assert!(
        d.form()
            .unwrap()
            .message
            .as_deref()
            .unwrap_or("")
            .contains("already exists"),
        "{:?}",
        d.form().unwrap().message
    );
}

#[test]
fn a_packet_is_only_for_a_reserved_voucher_and_only_from_an_admin() {
    let mut d = Desk::demo();
    d.key('5');
    pick(&mut d, "DEMO-0001");
    assert_eq!(d.status_of("DEMO-0001"), Some(Status::Assigned));
    let screen = d.screen(200, 50);
    assert!(screen.contains("[f] Packet for the field ✗"), "{screen}");
    d.key('f');
    assert!(d.form().is_none(), "no form for an assigned voucher");
    assert!(
        d.flash().contains("Packet for the field is unavailable")
            && d.flash().contains("select a reserved voucher"),
        "{}",
        d.flash()
    );

    // A consultant may import its own bundle in the office, not hand out packets.
    d.act_as(CODY);
    d.key('6');
    let actions = saps::ui::steps::actions(Tab::Deliver, &d.m);
    let f = actions.iter().find(|a| a.key == 'f').expect("the packet key");
    let why = f.available.clone().unwrap_err();
    assert!(why.contains("only a global or partner admin"), "{why}");
    let i = actions.iter().find(|a| a.key == 'i').expect("the import key");
    assert_eq!(i.available, Ok(()));
}

#[test]
fn the_field_desk_reports_submits_and_bundles_and_the_office_imports_it() {
    let mut office = Desk::demo();
    let packet = export_packet(&mut office, '6', V5, None);
    let field_dir = tempfile::tempdir().unwrap();
    field_db(field_dir.path(), &packet);
    let plan = field_dir.path().join("fabrikam-plan.pdf");
    std::fs::write(&plan, b"%PDF-1.7 the plan the customer accepted").unwrap();

    // `--as` someone else: the field copy still opens as its consultant.
    let mut d = field_desk(field_dir, Some(AVA));
    assert_eq!(d.m.actor.as_deref(), Some(CODY));
    assert!(d.flash().contains("field copy"), "{}", d.flash());
    assert!(d.m.stack.is_empty(), "no user picker");
    assert_eq!(d.m.tab, Tab::Deliver);
    assert_eq!(rows(&d), [V5]);
    let screen = d.screen(200, 50);
    assert!(
        screen.contains("field copy of Northwind Planning Partners — cody@northwind.example"),
        "{screen}"
    );
    let tabs = first_line(&screen);
    assert!(tabs.contains("Deliver & report"), "{tabs}");
    for other in ["Dashboard", "Reserve", "Eligibility", "Redeem", "Audit"] {
        assert!(!tabs.contains(other), "{other} in the tab bar: {tabs}");
    }

    // No key or click leaves the one step.
    for c in "0123456789".chars() {
        d.key(c);
        assert_eq!(d.m.tab, Tab::Deliver, "after {c}");
    }
    assert!(d.flash().contains("a field copy shows only"), "{}", d.flash());
    for code in [KeyCode::Tab, KeyCode::BackTab, KeyCode::Right, KeyCode::Left] {
        d.press(code);
        assert_eq!(d.m.tab, Tab::Deliver, "after {code:?}");
    }
    d.press_with(KeyCode::BackTab, KeyModifiers::SHIFT);
    for x in (0..200).step_by(3) {
        d.click(x, 0);
        assert_eq!(d.m.tab, Tab::Deliver, "after a click at {x}");
    }

    // The draft, field by field, with the deliverable copied in.
    pick(&mut d, V5);
    d.key('d');
    assert_eq!(d.form().map(|f| f.autosave), Some(true));
    assert_eq!(d.field("onsite_days"), "4", "the office's draft came along");
    d.fill("delivered_end", "2026-06-12");
    d.press(KeyCode::Tab);
    let fields = |d: &Desk| d.stored().vouchers[V5].report.clone().unwrap().fields;
    assert_eq!(
        fields(&d).delivered_end.map(|e| e.to_string()).as_deref(),
        Some("2026-06-12"),
        "saved as the field was left"
    );
    d.fill("offsite_days", "1");
    d.fill("deliverable_kind", "Deployment Plan");
    d.fill("deliverable_path", plan.to_str().unwrap());
    d.set_toggle("customer_accepted", "yes");
    d.press(KeyCode::Esc);
    assert!(d.form().is_none(), "{}", d.flash());
    let copy = fields(&d).deliverable.expect("the deliverable is attached");
    assert!(d.db.join("deliverables").join(&copy.sha256).is_file());
    assert!(d.screen(200, 50).contains("Ready to submit"));

    // Submitted here, checked by the same rules; the row stays to send it.
    d.key('s');
    d.press(KeyCode::Enter);
    assert!(d.form().is_none(), "{:?}", d.form().map(|f| &f.message));
    assert_eq!(d.voucher(V5).unwrap().stage, Stage::Delivered);
    assert_eq!(rows(&d), [V5]);
    assert!(d.screen(200, 50).contains("Report submitted"));

    // The bundle, by keys.
    d.key('b');
    assert_eq!(d.form_title(), Some("Completion-report bundle for the office"));
    let bundle = PathBuf::from(d.field("file"));
    assert_eq!(bundle, d.dir.path().join("DEMO-0005.sapsbundle"));
    d.press(KeyCode::Enter);
    assert!(d.form().is_none(), "{}", d.flash());
    assert!(d.flash().contains("DEMO-0005"), "{}", d.flash());
    assert!(bundle.is_file());

    // The office takes it back by keys: the voucher is delivered.
    office.key('6');
    office.key('i');
    assert_eq!(office.form_title(), Some("Import a completion-report bundle"));
    office.fill("file", bundle.to_str().unwrap());
    office.press(KeyCode::Enter);
    assert!(office.form().is_none(), "{}", office.flash());
    assert!(
        office
            .flash()
            .starts_with("imported the completion report of DEMO-0005 by cody"),
        "{}",
        office.flash()
    );
    let v = office.voucher(V5).unwrap();
    assert_eq!(v.stage, Stage::Delivered);
    let report = v.report.unwrap();
    assert_eq!(report.submitted_by.as_deref(), Some(CODY));
    assert_eq!(report.fields.deliverable, Some(copy));
    assert!(!rows(&office).contains(&V5.to_string()), "no longer to deliver");

    // Again: already imported, nothing written.
    let before = office.stored();
    office.key('i');
    office.fill("file", bundle.to_str().unwrap());
    office.press(KeyCode::Enter);
    assert!(
        office.flash().starts_with("already imported"),
        "{}",
        office.flash()
    );
    let after = office.stored();
    assert_eq!(after.last_seq, before.last_seq);
    assert_eq!(after.vouchers[V5], before.vouchers[V5]);
}

#[test]
fn the_field_desk_imports_another_packet_by_keys_and_refuses_anothers() {
    let mut office = Desk::demo();
    let first = export_packet(&mut office, '5', V5, None);
    let second = export_packet(&mut office, '5', V7, None);
    let danas = export_packet(&mut office, '5', V6, None);
    let field_dir = tempfile::tempdir().unwrap();
    field_db(field_dir.path(), &first);
    let mut d = field_desk(field_dir, None);
    assert_eq!(rows(&d), [V5]);

    d.key('i');
    assert_eq!(d.form_title(), Some("Import an engagement packet"));
    d.fill("file", second.to_str().unwrap());
    d.press(KeyCode::Enter);
    assert!(d.form().is_none(), "{}", d.flash());
    assert!(
        d.flash().starts_with("imported the packet for DEMO-0007"),
        "{}",
        d.flash()
    );
    assert_eq!(rows(&d), [V7, V5]);
    assert_eq!(d.m.saved, saps::ui::model::Saved::At(demo::now()));

    // No report yet on the new one: no bundle.
    pick(&mut d, V7);
    d.key('b');
    assert!(d.form().is_none());
    assert!(
        d.flash().contains("write the completion report first"),
        "{}",
        d.flash()
    );

    // The same packet again changes nothing; dana's is refused.
    d.key('i');
    d.fill("file", second.to_str().unwrap());
    d.press(KeyCode::Enter);
    assert!(d.flash().starts_with("already imported"), "{}", d.flash());
    let before = d.stored().last_seq;
    d.key('i');
    d.fill("file", danas.to_str().unwrap());
    d.press(KeyCode::Enter);
    assert!(d.form().is_some(), "the form stays open");
    assert!(d.flash().contains("dana"), "{}", d.flash());
    assert_eq!(d.stored().last_seq, before, "nothing written");
    assert_eq!(d.m.field_owner.as_deref(), Some(CODY));
}

#[test]
fn plain_saps_opens_the_field_database_on_a_consultants_machine() {
    let mut office = Desk::demo();
    let packet = export_packet(&mut office, '5', V5, None);
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let dir = data.join("saps");
    std::fs::create_dir_all(&dir).unwrap();
    field_db(&dir, &packet);
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_saps"));
    c.env_remove("SAPS_DB")
        .env_remove("SAPS_CATALOG")
        .env_remove("SAPS_RATES")
        .env("XDG_DATA_HOME", &data)
        .env("HOME", home.path());
    let r = saps_bin::run_cmd(c);
    // No terminal here: the desk says so, after choosing its database.
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("needs a terminal"), "{}", r.stderr);
    assert!(
        !dir.join("saps.db").exists(),
        "the field database was opened, no office one created"
    );
    assert_eq!(
        saps::settings::office_or_field(dir.join("saps.db"), dir.join("field.db")),
        dir.join("field.db")
    );
}
