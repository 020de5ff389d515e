//! The desk draws from memory: what it shows is read by effects, and a read
//! that fails is said on the screen (never a silent blank), while the rest
//! of the list still shows.

mod ui_common;

use saps::app::{self, DeskOptions};
use saps::demo;
use saps::domain::Catalog;
use saps::store::{Store, keys};
use std::sync::Arc;
use ui_common::*;

/// The demo desk at 80x24 with the stored record of `id` made unreadable.
fn demo_with_damaged(id: &str) -> Desk {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("desk.db");
    {
        let store = Arc::new(Store::open(&db).expect("store opens"));
        demo::seed(store.clone(), &Catalog::builtin()).expect("demo seeds");
        let garbage = [1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F];
        store
            .raw_set(keys::VOUCHERS.as_bytes(), id.as_bytes(), Some(&garbage))
            .expect("damaged");
    }
    let opts = DeskOptions {
        db: db.clone(),
        actor: Some(AVA.into()),
        now: Some(demo::now()),
        catalog: Catalog::builtin(),
        tour: false,
    };
    let (mut m, engine) = app::prepare_on(Arc::new(open_retrying(&db)), opts).expect("desk prepares");
    m.db_label = DB_LABEL.to_string();
    let mut d = Desk {
        m,
        engine: Some(engine),
        db,
        dir,
    };
    d.resize(80, 24);
    d
}

#[test]
fn an_unreadable_voucher_is_said_on_the_screen_and_the_others_still_show() {
    // DEMO-0003 is the first row of step 4: under the cursor at once.
    let mut d = demo_with_damaged("DEMO-0003");
    d.key('4');
    assert_eq!(current(&d).as_deref(), Some("DEMO-0003"));
    assert!(
        d.flash().contains("cannot read voucher DEMO-0003"),
        "flash: {:?}",
        d.flash()
    );
    let screen = d.show();
    let squashed = squash(&screen);
    assert!(squashed.contains("cannot read voucher DEMO-0003"), "{screen}");
    assert!(
        squashed.contains("DEMO-0003 damaged"),
        "its row says so: {screen}"
    );
    assert!(
        squashed.contains("DEMO-0002 assigned"),
        "the other rows are read: {screen}"
    );
    assert!(!squashed.contains("Select a voucher"), "{screen}");
}

#[test]
fn the_first_frame_is_read_before_it_is_drawn() {
    let d = Desk::demo();
    assert!(d.m.figures_read, "the dashboard's figures are read");
    assert!(!d.m.list(d.m.tab).stale, "the tab in view has its rows");
    assert!(
        d.m.asked
            .iter()
            .all(|q| !matches!(q, saps::ui::query::Query::Vouchers(_)))
    );
}

/// Every `.rs` file under `dir`, recursively.
fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("reads the directory") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_file_of_the_desk_names_the_store() {
    let mut files = Vec::new();
    sources(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui"),
        &mut files,
    );
    assert!(files.len() > 20, "found the desk's files");
    for f in files {
        let text = std::fs::read_to_string(&f).expect("reads");
        for name in ["crate::store", "sled::", "std::fs::", "field_catalog"] {
            assert!(!text.contains(name), "{} names {name}", f.display());
        }
    }
}
