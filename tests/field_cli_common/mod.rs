//! Shared by the command-line field tests: the walkthrough office, Bob's
//! report as `saps exec` lines, and `saps` run on a consultant's machine
//! (a data directory of its own, no --db).

#![allow(dead_code)]

use crate::saps_bin::{Run, run_cmd, saps_plain};
use std::path::{Path, PathBuf};

pub const V: &str = "DDPS-2026-0001";
pub const BOB: &str = "bob@contoso.example";
/// The walkthrough's partner admin.
pub const CAROL: &str = "carol@contoso.example";

/// `saps --db DB --now NOW ARGS...`.
pub fn at(db: &Path, now: &str, args: &[&str]) -> Run {
    let mut c = saps_plain(db);
    c.arg("--now").arg(now).args(args);
    run_cmd(c)
}

pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The walkthrough up to the reservation: DDPS-2026-0001 reserved for Bob
/// from 2026-02-02 to 2026-02-06.
pub fn office(dir: &Path) -> PathBuf {
    let db = dir.join("office.db");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/walkthrough.jsonl");
    let text = std::fs::read_to_string(script).unwrap();
    let upto: Vec<&str> = text.lines().take_while(|l| !l.contains("\"6 Deliver")).collect();
    assert!(upto.last().unwrap().contains("reserve_voucher"));
    let seed = dir.join("seed.jsonl");
    std::fs::write(&seed, upto.join("\n")).unwrap();
    let r = at(&db, "2026-01-13", &["exec", s(&seed)]);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    db
}

/// Bob's report in the field, as JSON lines for `saps exec`.
pub fn report_lines(deliverable: &Path) -> String {
    let lines = [
        format!(
            r#"{{"at": "2026-02-03", "cmd": "save_report_draft", "voucher_id": "{V}", "delivered_start": "2026-02-02", "onsite_days": 4}}"#
        ),
        format!(
            r#"{{"at": "2026-02-06", "cmd": "save_report_draft", "voucher_id": "{V}", "delivered_end": "2026-02-06", "offsite_days": 1, "deliverable_kind": "Deployment Plan", "deliverable_path": {:?}, "customer_accepted": true}}"#,
            s(deliverable)
        ),
        format!(r#"{{"at": "2026-02-06T17:30:00Z", "cmd": "submit_report", "voucher_id": "{V}"}}"#),
    ];
    lines.join("\n")
}

/// `saps --now NOW ARGS...` with no --db, on the machine whose data
/// directory is under `home` (`home/data/saps`).
pub fn on_machine(home: &Path, now: &str, args: &[&str]) -> Run {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_saps"));
    c.arg("--now").arg(now).args(args);
    for var in ["SAPS_DB", "SAPS_CATALOG", "SAPS_RATES", "RUST_BACKTRACE"] {
        c.env_remove(var);
    }
    c.env("XDG_DATA_HOME", home.join("data")).env("HOME", home);
    run_cmd(c)
}

/// The data directory `on_machine` uses.
pub fn data_dir(home: &Path) -> PathBuf {
    home.join("data").join("saps")
}
