//! Issue 6 on a consultant's machine through the real binary: a refused
//! packet creates no database, and the commands that read the office's
//! database never create one where only the field copy is.

mod field_cli_common;
mod saps_bin;

use field_cli_common::*;
use std::path::Path;

/// A packet for Bob written by the walkthrough office under `dir`.
fn packet(dir: &Path) -> std::path::PathBuf {
    let office = office(dir);
    let packet = dir.join("bob.sapspacket");
    let r = at(
        &office,
        "2026-01-20",
        &["--as", CAROL, "packet", "export", V, s(&packet)],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    packet
}

#[test]
fn a_refused_packet_creates_no_field_database() {
    let dir = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let good = packet(dir.path());
    let field = data_dir(home.path()).join("field.db");
    let no_db = |what: &str| {
        assert!(!field.exists(), "{what} left {}", field.display());
        assert!(!data_dir(home.path()).join("saps.db").exists(), "{what}");
    };

    let missing = dir.path().join("missing.sapspacket");
    let r = on_machine(home.path(), "2026-01-21", &["packet", "import", s(&missing)]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("cannot read"), "{}", r.stderr);
    no_db("a missing packet");

    let damaged = dir.path().join("damaged.sapspacket");
    let bytes = std::fs::read(&good).unwrap();
    std::fs::write(&damaged, &bytes[..bytes.len() / 2]).unwrap();
    let r = on_machine(home.path(), "2026-01-21", &["packet", "import", s(&damaged)]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    no_db("a damaged packet");

    // Years later the voucher has expired: the domain refuses it.
    let r = on_machine(home.path(), "2031-01-01", &["packet", "import", s(&good)]);
    assert_eq!(r.code, Some(1), "{}{}", r.stdout, r.stderr);
    no_db("an expired packet");

    // --db names a database that does not exist yet: the same.
    let given = home.path().join("elsewhere.db");
    let r = at(&given, "2031-01-01", &["packet", "import", s(&good)]);
    assert_eq!(r.code, Some(1), "{}{}", r.stdout, r.stderr);
    assert!(!given.exists(), "a refused packet left {}", given.display());

    let r = on_machine(home.path(), "2026-01-21", &["packet", "import", s(&good)]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(field.is_dir());
}

#[test]
fn a_refused_packet_leaves_an_existing_field_database_alone() {
    let dir = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let good = packet(dir.path());
    let r = on_machine(home.path(), "2026-01-21", &["packet", "import", s(&good)]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let r = on_machine(home.path(), "2031-01-01", &["packet", "import", s(&good)]);
    assert_eq!(r.code, Some(1), "{}{}", r.stdout, r.stderr);
    let field = data_dir(home.path()).join("field.db");
    assert_eq!(at(&field, "2026-01-21", &["check"]).code, Some(0), "still there");
}

#[test]
fn reading_commands_never_create_an_office_database_beside_the_field_copy() {
    let dir = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let good = packet(dir.path());
    let r = on_machine(home.path(), "2026-01-21", &["packet", "import", s(&good)]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let office_db = data_dir(home.path()).join("saps.db");
    let field = data_dir(home.path()).join("field.db");
    let bundle = dir.path().join("any.sapsbundle");
    std::fs::write(&bundle, b"SAPS-BUNDLE 1\n").unwrap();
    let out = dir.path().join("p.sapspacket");
    let commands: [&[&str]; 5] = [
        &["check"],
        &["export"],
        &["export", "--format", "csv"],
        &["bundle", "import", s(&bundle)],
        &["--as", CAROL, "packet", "export", V, s(&out)],
    ];
    for args in commands {
        let r = on_machine(home.path(), "2026-01-22", args);
        assert_eq!(r.code, Some(2), "{args:?}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stderr
                .contains(&format!("there is no office database at {}", office_db.display())),
            "{args:?}: {}",
            r.stderr
        );
        assert!(
            r.stderr.contains(&field.display().to_string()),
            "{args:?} names the field copy: {}",
            r.stderr
        );
        assert!(!office_db.exists(), "{args:?} created {}", office_db.display());
    }
    // Lines for the desk's database go where the desk goes: the field copy.
    let lines = dir.path().join("draft.jsonl");
    let draft = format!(r#"{{"cmd": "save_report_draft", "voucher_id": "{V}", "onsite_days": 4}}"#);
    std::fs::write(&lines, draft).unwrap();
    let r = on_machine(home.path(), "2026-02-03", &["--as", BOB, "exec", s(&lines)]);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    assert!(!office_db.exists(), "exec created {}", office_db.display());
    let export = at(&field, "2026-02-03", &["export"]).stdout;
    assert!(export.contains("\"onsite_days\": 4"), "{export}");
}

#[test]
fn a_missing_database_named_by_db_is_not_created_either() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("nothing.db");
    for args in [
        &["export"][..],
        &["check"],
        &["bundle", "export", V, "x.sapsbundle"],
    ] {
        let r = at(&db, "2026-01-22", args);
        assert_eq!(r.code, Some(2), "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("there is no"), "{args:?}: {}", r.stderr);
        assert!(!db.exists(), "{args:?} created {}", db.display());
    }
}
