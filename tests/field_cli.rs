//! Issue 6 through the real binary: `saps packet export|import` and
//! `saps bundle export|import`, their messages and exit codes.

mod field_cli_common;
mod saps_bin;

use field_cli_common::*;
use std::path::Path;

#[test]
fn a_report_filed_on_a_machine_that_never_saw_the_office() {
    let office_dir = tempfile::tempdir().unwrap();
    let field_dir = tempfile::tempdir().unwrap();
    let office = office(office_dir.path());
    let field = field_dir.path().join("field.db");
    let packet = office_dir.path().join("bob.sapspacket");

    let r = at(
        &office,
        "2026-01-20",
        &["--as", CAROL, "packet", "export", "ddps-2026-0001", s(&packet)],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout.contains("packet for DDPS-2026-0001 written"),
        "{}",
        r.stdout
    );
    let r = at(
        &office,
        "2026-01-20",
        &["--as", CAROL, "packet", "export", V, s(&packet)],
    );
    assert_eq!(r.code, Some(1), "never overwritten");
    assert!(r.stderr.contains("already exists"), "{}", r.stderr);

    // The packet travels; the office database does not.
    let carried = field_dir.path().join("bob.sapspacket");
    std::fs::copy(&packet, &carried).unwrap();
    let r = at(&field, "2026-01-21", &["packet", "import", s(&carried)]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout.starts_with("imported the packet for DDPS-2026-0001"),
        "{}",
        r.stdout
    );
    let r = at(&field, "2026-01-21", &["packet", "import", s(&carried)]);
    assert_eq!(r.code, Some(0));
    assert!(r.stdout.starts_with("already imported"), "{}", r.stdout);
    let r = at(&office, "2026-01-21", &["packet", "import", s(&carried)]);
    assert_eq!(r.code, Some(1), "the office is no field database");
    assert!(r.stderr.contains("office database"), "{}", r.stderr);

    let pdf = field_dir.path().join("plan.pdf");
    std::fs::write(&pdf, b"%PDF-1.7 Fabrikam deployment plan").unwrap();
    let lines = field_dir.path().join("report.jsonl");
    std::fs::write(&lines, report_lines(&pdf)).unwrap();
    let r = at(&field, "2026-02-06", &["--as", BOB, "exec", s(&lines)]);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    let bundle = field_dir.path().join("bob.sapsbundle");
    let r = at(&field, "2026-02-07", &["bundle", "export", V, s(&bundle)]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout.contains("submitted 2026-02-06 17:30 UTC"),
        "{}",
        r.stdout
    );
    assert_eq!(at(&field, "2026-02-07", &["check"]).code, Some(0));

    // A changed deliverable byte: refused, exit 1, nothing written.
    let tampered = office_dir.path().join("tampered.sapsbundle");
    let mut bytes = std::fs::read(&bundle).unwrap();
    *bytes.last_mut().unwrap() ^= 0x20;
    std::fs::write(&tampered, bytes).unwrap();
    let before = at(&office, "2026-02-09", &["export"]).stdout;
    let r = at(&office, "2026-02-09", &["bundle", "import", s(&tampered)]);
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains("deliverable hash mismatch"), "{}", r.stderr);
    assert_eq!(at(&office, "2026-02-09", &["export"]).stdout, before);

    let r = at(&office, "2026-02-09", &["bundle", "import", s(&bundle)]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout.starts_with(
            "imported the completion report of DDPS-2026-0001 by bob@contoso.example, submitted 2026-02-06 17:30 UTC, imported 2026-02-09 12:00 UTC"
        ),
        "{}",
        r.stdout
    );
    let once = at(&office, "2026-02-09", &["export"]).stdout;
    let r = at(&office, "2026-02-10", &["bundle", "import", s(&bundle)]);
    assert_eq!(r.code, Some(0));
    assert!(r.stdout.starts_with("already imported"), "{}", r.stdout);
    assert_eq!(at(&office, "2026-02-09", &["export"]).stdout, once);

    let redeem = office_dir.path().join("redeem.jsonl");
    std::fs::write(&redeem, format!(r#"{{"cmd": "redeem", "voucher_ids": ["{V}"]}}"#)).unwrap();
    let r = at(
        &office,
        "2026-02-10",
        &["--as", "carol@contoso.example", "exec", s(&redeem)],
    );
    assert_eq!(r.code, Some(0), "{}", r.stdout);
    let export: serde_json::Value =
        serde_json::from_str(&at(&office, "2026-02-10", &["export"]).stdout).unwrap();
    let voucher = &export["vouchers"][0];
    assert_eq!(voucher["status"], "redeemed");
    assert_eq!(voucher["report"]["submitted_by"], BOB);
    assert_eq!(voucher["report"]["fields"]["deliverable"]["name"], "plan.pdf");
    assert_eq!(at(&office, "2026-02-10", &["check"]).code, Some(0));
}

#[test]
fn packet_import_defaults_to_a_field_database_beside_the_office_one() {
    let dir = tempfile::tempdir().unwrap();
    let office = office(dir.path());
    let packet = dir.path().join("bob.sapspacket");
    assert_eq!(
        at(
            &office,
            "2026-01-20",
            &["--as", CAROL, "packet", "export", V, s(&packet)]
        )
        .code,
        Some(0)
    );
    let r = on_machine(dir.path(), "2026-01-21", &["packet", "import", s(&packet)]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let field = data_dir(dir.path()).join("field.db");
    assert!(field.is_dir(), "the field database is {}", field.display());
    assert!(
        !data_dir(dir.path()).join("saps.db").exists(),
        "the office default is left alone"
    );
}

#[test]
fn a_database_in_use_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let office = office(dir.path());
    let packet = dir.path().join("bob.sapspacket");
    let held = saps::store::Store::open(&office).unwrap();
    let r = at(
        &office,
        "2026-01-20",
        &["--as", CAROL, "packet", "export", V, s(&packet)],
    );
    drop(held);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("open in another saps"), "{}", r.stderr);
    assert!(!packet.exists());
    let r = at(
        &office,
        "2026-01-20",
        &["bundle", "import", s(&dir.path().join("missing.sapsbundle"))],
    );
    assert_eq!(r.code, Some(2), "an unreadable file: {}", r.stderr);
    assert!(r.stderr.contains("cannot read"), "{}", r.stderr);
}

#[test]
fn packet_export_needs_an_admin_acting_user() {
    let dir = tempfile::tempdir().unwrap();
    let office = office(dir.path());
    let packet = dir.path().join("bob.sapspacket");
    let r = at(&office, "2026-01-20", &["packet", "export", V, s(&packet)]);
    assert_eq!(r.code, Some(1), "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("--as"), "{}", r.stderr);
    let r = at(
        &office,
        "2026-01-20",
        &["--as", BOB, "packet", "export", V, s(&packet)],
    );
    assert_eq!(r.code, Some(1), "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("bob@contoso.example"), "{}", r.stderr);
    assert!(r.stderr.contains("packets"), "{}", r.stderr);
    assert!(!packet.exists(), "nothing written");
    let r = at(
        &office,
        "2026-01-20",
        &["--as", CAROL, "packet", "export", V, s(&packet)],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
}

#[test]
fn exec_in_the_field_checks_reports_against_the_packets_catalog() {
    let office_dir = tempfile::tempdir().unwrap();
    let field_dir = tempfile::tempdir().unwrap();
    let office = office(office_dir.path());
    // The office's catalog knows a deliverable kind the built-in one does not.
    let builtin =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/catalog.json")).unwrap();
    let mut catalog: serde_json::Value = serde_json::from_str(&builtin).unwrap();
    catalog["deliverable_kinds"]
        .as_array_mut()
        .unwrap()
        .push("Field Readiness Plan".into());
    let catalog_file = office_dir.path().join("catalog.json");
    std::fs::write(&catalog_file, catalog.to_string()).unwrap();
    let packet = office_dir.path().join("bob.sapspacket");
    let args = [
        "--catalog",
        s(&catalog_file),
        "--as",
        CAROL,
        "packet",
        "export",
        V,
        s(&packet),
    ];
    let r = at(&office, "2026-01-20", &args);
    assert_eq!(r.code, Some(0), "{}", r.stderr);

    // The consultant's saps has the built-in catalog only.
    let field = field_dir.path().join("field.db");
    assert_eq!(
        at(&field, "2026-01-21", &["packet", "import", s(&packet)]).code,
        Some(0)
    );
    let pdf = field_dir.path().join("plan.pdf");
    std::fs::write(&pdf, b"%PDF-1.7 readiness plan").unwrap();
    let lines = field_dir.path().join("report.jsonl");
    let text = report_lines(&pdf).replace("Deployment Plan", "Field Readiness Plan");
    std::fs::write(&lines, text).unwrap();
    let r = at(&field, "2026-02-06", &["--as", BOB, "exec", s(&lines)]);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    assert!(!r.stdout.contains("is not one of"), "{}", r.stdout);
}
