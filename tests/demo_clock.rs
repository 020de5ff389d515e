//! A demo database keeps its demo clock: `saps export` on it later sees the
//! demo's day unless `--now` says otherwise; `saps check` accepts the setting.

mod saps_bin;

use saps::domain::Catalog;
use saps::store::{Backend, Store};
use saps_bin::saps_plain;
use std::sync::Arc;

fn status_of(json: &serde_json::Value, id: &str) -> String {
    json["vouchers"]
        .as_array()
        .expect("vouchers")
        .iter()
        .find(|v| v["voucher_id"] == id)
        .map(|v| v["status"].as_str().unwrap_or_default().to_string())
        .unwrap_or_default()
}

fn export(cmd: &mut std::process::Command) -> serde_json::Value {
    let out = cmd.output().expect("saps runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json")
}

#[test]
fn export_on_a_demo_database_sees_its_clock_unless_now_says_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    {
        let store = Arc::new(Store::open(&db).unwrap());
        saps::demo::seed(store.clone(), &Catalog::builtin()).unwrap();
        // The demo desk moved it a week.
        let week_later = saps::demo::now() + chrono::Days::new(7);
        store.set_demo_clock(week_later).unwrap();
        assert_eq!(store.demo_clock().unwrap(), Some(week_later));
    }
    // DEMO-0001 was created 2026-06-10: assigned on the demo's clock,
    // expired on any clock past 180 days.
    let json = export(saps_plain(&db).args(["export", "--format", "json"]));
    assert_eq!(status_of(&json, "DEMO-0001"), "assigned");
    let json = export(
        saps_plain(&db)
            .args(["--now", "2027-06-01T00:00:00Z"])
            .args(["export", "--format", "json"]),
    );
    assert_eq!(status_of(&json, "DEMO-0001"), "expired", "--now wins");
    let out = saps_plain(&db).arg("check").output().unwrap();
    assert!(
        out.status.success(),
        "check accepts the demo clock: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_database_that_is_not_a_demo_has_no_demo_clock() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("saps.db")).unwrap();
    assert_eq!(store.demo_clock().unwrap(), None);
}
