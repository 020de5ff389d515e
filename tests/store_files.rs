//! Deliverable files: copied beside the database under their SHA-256 by
//! `saps exec`, refused over 50 MB, kept as a plain path when the path names
//! no file, and verified by `saps check`.

mod saps_bin;

use saps::domain::records::Attachment;
use saps::store::files::{self, FileError};
use saps_bin::{run, saps};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

const VOUCHER: &str = "DDPS-2026-0001";

/// The walkthrough up to the reservation (the report is next).
fn reserved_script() -> String {
    let all = include_str!("../assets/walkthrough.jsonl");
    let lines: Vec<&str> = all.lines().collect();
    let end = lines
        .iter()
        .position(|l| l.contains("\"reserve_voucher\""))
        .unwrap();
    lines[..=end].join("\n") + "\n"
}

fn draft(path: &str, who: &str) -> String {
    format!(
        r#"{{"at":"2026-02-04","as":"{who}","cmd":"save_report_draft","voucher_id":"{VOUCHER}","deliverable_kind":"Deployment Plan","deliverable_path":{}}}"#,
        Value::String(path.into())
    ) + "\n"
}

/// Runs `script` through `saps exec` from the directory `cwd`.
fn exec_in(cwd: &Path, db: &Path, script: &str) -> Vec<Value> {
    let file = cwd.join(format!("script-{}.jsonl", script.len()));
    std::fs::write(&file, script).unwrap();
    let mut c = saps(db);
    c.current_dir(cwd).arg("exec").arg(&file);
    let r = saps_bin::run_cmd(c);
    assert!(r.ended_cleanly(), "{}", r.stderr);
    r.stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn stored_report(db: &Path) -> Value {
    let export: Value = serde_json::from_str(&saps_bin::export_json(db)).unwrap();
    export["vouchers"][0]["report"]["fields"].clone()
}

fn setup() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("files.db");
    let out = exec_in(dir.path(), &db, &reserved_script());
    assert!(out.iter().all(|l| l["ok"] == true), "{out:?}");
    (dir, db)
}

#[test]
fn a_readable_file_is_copied_under_its_hash_and_checked() {
    let (dir, db) = setup();
    let content = b"The Fabrikam deployment plan, version 1.\n";
    std::fs::create_dir(dir.path().join("docs")).unwrap();
    std::fs::write(dir.path().join("docs/plan.pdf"), content).unwrap();
    let out = exec_in(dir.path(), &db, &draft("docs/plan.pdf", "bob@contoso.example"));
    assert_eq!(out[0]["ok"], true, "{out:?}");
    let sha = files::hex(&Sha256::digest(content));
    let fields = stored_report(&db);
    assert_eq!(fields["deliverable_path"], "docs/plan.pdf");
    let expected = serde_json::json!({"name": "plan.pdf", "sha256": sha, "size": content.len()});
    assert_eq!(fields["deliverable"], expected);
    let attachment = Attachment {
        name: "plan.pdf".into(),
        sha256: sha.clone(),
        size: content.len() as u64,
    };
    assert_eq!(files::read_verified(&db, &attachment).unwrap(), content);
    let check = run(&db, &["check"]);
    assert_eq!(check.code, Some(0), "{}", check.stdout);
    assert!(check.stdout.contains("1 deliverable file"), "{}", check.stdout);

    // A changed copy is damage, for the reader and for `saps check`.
    let copy = db.join("deliverables").join(&sha);
    std::fs::write(&copy, b"The Fabrikam deployment plan, version 2.\n").unwrap();
    assert!(matches!(
        files::read_verified(&db, &attachment),
        Err(FileError::Damaged { .. })
    ));
    let check = run(&db, &["check"]);
    assert_eq!(check.code, Some(1), "{}", check.stdout);
    assert!(
        check
            .stdout
            .contains(&format!("voucher {VOUCHER}: its deliverable plan.pdf")),
        "{}",
        check.stdout
    );
    std::fs::remove_file(&copy).unwrap();
    let check = run(&db, &["check"]);
    assert_eq!(check.code, Some(1), "a missing copy is found too");

    // A later draft naming a path that is no file drops the copy's record.
    let out = exec_in(
        dir.path(),
        &db,
        &draft("elsewhere/plan-v2.pdf", "bob@contoso.example"),
    );
    assert_eq!(out[0]["ok"], true, "{out:?}");
    assert_eq!(stored_report(&db)["deliverable"], Value::Null);
}

#[test]
fn a_path_that_names_no_file_is_kept_as_a_reference() {
    let (dir, db) = setup();
    let out = exec_in(dir.path(), &db, &draft("plan.pdf", "bob@contoso.example"));
    assert_eq!(out[0]["ok"], true, "{out:?}");
    let fields = stored_report(&db);
    assert_eq!(fields["deliverable_path"], "plan.pdf");
    assert_eq!(fields["deliverable"], Value::Null);
    assert!(!db.join("deliverables").exists());
    // A directory is refused at draft time, saying what it is.
    std::fs::create_dir(dir.path().join("folder")).unwrap();
    let out = exec_in(dir.path(), &db, &draft("folder", "bob@contoso.example"));
    assert_eq!(out[0]["ok"], false, "{out:?}");
    assert_eq!(out[0]["code"], "invalid_input", "{out:?}");
    let message = out[0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("folder is a directory, not a file"), "{out:?}");
    assert_eq!(stored_report(&db)["deliverable_path"], "plan.pdf");
}

#[test]
fn a_file_over_50_mb_is_refused_and_nothing_is_copied() {
    let (dir, db) = setup();
    let big = dir.path().join("huge.pdf");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(files::MAX_BYTES + 1).unwrap();
    let out = exec_in(dir.path(), &db, &draft("huge.pdf", "bob@contoso.example"));
    assert_eq!(out[0]["ok"], false);
    assert_eq!(out[0]["code"], "too_long");
    assert!(
        out[0]["message"].as_str().unwrap().contains("deliverable_path"),
        "{out:?}"
    );
    assert!(files::stored(&db).is_empty());
    // Exactly at the limit is fine (a sparse file: quick to copy).
    f.set_len(files::MAX_BYTES).unwrap();
    let out = exec_in(dir.path(), &db, &draft("huge.pdf", "bob@contoso.example"));
    assert_eq!(out[0]["ok"], true, "{out:?}");
    assert_eq!(files::stored(&db).len(), 1);
}

#[test]
fn a_refused_draft_copies_nothing() {
    let (dir, db) = setup();
    std::fs::write(dir.path().join("plan.pdf"), b"plan").unwrap();
    // Someone who is not a user may not write the report.
    let out = exec_in(dir.path(), &db, &draft("plan.pdf", "mallory@contoso.example"));
    assert_eq!(out[0]["ok"], false, "{out:?}");
    assert!(files::stored(&db).is_empty());
}

#[test]
fn stored_names_are_only_hashes() {
    let db = Path::new("/nowhere/db");
    assert!(files::stored_path(db, "../../etc/passwd").is_none());
    assert!(
        files::stored_path(db, &"A".repeat(64)).is_none(),
        "upper case is not how saps names them"
    );
    let sha = "0".repeat(64);
    assert_eq!(
        files::stored_path(db, &sha),
        Some(db.join("deliverables").join(&sha))
    );
    let bad = Attachment {
        name: "x".into(),
        sha256: "../x".into(),
        size: 1,
    };
    assert!(matches!(
        files::read_verified(db, &bad),
        Err(FileError::Damaged { .. })
    ));
}
