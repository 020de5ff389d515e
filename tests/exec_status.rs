//! Exit statuses that say what happened (issue 11, item 13): lines saved
//! but not answered (standard output full or closed) exit 3, not 2; a
//! deliverable that cannot be stored names every line of its group that was
//! not saved; `backup` refuses damaged or missing deliverable copies unless
//! `--allow-missing-files`.

mod saps_bin;

use saps_bin::{run, run_cmd, saps};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const WALKTHROUGH: &str = include_str!("../assets/walkthrough.jsonl");

fn script(dir: &Path, name: &str, lines: &[&str]) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

fn events(db: &Path) -> usize {
    let v: serde_json::Value = serde_json::from_str(&saps_bin::export_json(db)).unwrap();
    v["audit"].as_array().unwrap().len()
}

/// Runs the walkthrough with standard output set up by `stdout`.
fn walkthrough_into(dir: &Path, stdout: Stdio) -> (PathBuf, Option<i32>, String) {
    let db = dir.join("w.db");
    let file = script(dir, "walkthrough.jsonl", &WALKTHROUGH.lines().collect::<Vec<_>>());
    let mut c: Command = saps(&db);
    // Where the walkthrough's deliverable file is.
    let out = c
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets"))
        .arg("exec")
        .arg(&file)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    (
        db,
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn answers_lost(code: Option<i32>, stderr: &str, db: &Path) {
    assert_eq!(code, Some(3), "{stderr}");
    assert!(
        stderr.contains("lines 1 to 20 were applied and saved") && stderr.contains("could not be written"),
        "{stderr}"
    );
    assert_eq!(events(db), 21, "every line was saved");
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_standard_output_is_exit_3_and_the_lines_are_saved() {
    let dir = tempfile::tempdir().unwrap();
    let full = fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let (db, code, stderr) = walkthrough_into(dir.path(), Stdio::from(full));
    answers_lost(code, &stderr, &db);
}

#[test]
fn a_closed_pipe_is_exit_3_and_the_lines_are_saved() {
    let dir = tempfile::tempdir().unwrap();
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let (db, code, stderr) = walkthrough_into(dir.path(), Stdio::from(writer));
    answers_lost(code, &stderr, &db);
}

#[test]
fn a_deliverable_that_cannot_be_stored_names_every_unsaved_line_of_its_group() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let lines: Vec<&str> = WALKTHROUGH.lines().collect();
    let reserved = lines
        .iter()
        .position(|l| l.contains("\"reserve_voucher\""))
        .unwrap();
    let setup = script(dir.path(), "setup.jsonl", &lines[..=reserved]);
    assert_eq!(run(&db, &["exec", setup.to_str().unwrap()]).code, Some(0));
    // The store cannot take a copy: where its directory goes is a file.
    fs::write(db.join("deliverables"), b"").unwrap();
    fs::write(dir.path().join("plan.pdf"), b"%PDF plan").unwrap();
    let add = r#"{"at":"2026-02-01","as":"carol@contoso.example","cmd":"add_customer","licensing_id":"LIC-2","name":"Second","planning_days":5,"agreement_expires":"2028-01-01"}"#;
    let draft = r#"{"at":"2026-02-04","as":"bob@contoso.example","cmd":"save_report_draft","voucher_id":"DDPS-2026-0001","deliverable_kind":"Deployment Plan","deliverable_path":"plan.pdf"}"#;
    let file = script(dir.path(), "group.jsonl", &[add, "", draft]);
    let before = events(&db);
    let mut c = saps(&db);
    c.current_dir(dir.path()).arg("exec").arg(&file);
    let r = run_cmd(c);
    assert_eq!(r.code, Some(2), "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.is_empty(), "nothing was answered: {}", r.stdout);
    assert!(
        r.stderr.contains("lines 1 to 3 were not saved") && r.stderr.contains("plan.pdf"),
        "{}",
        r.stderr
    );
    assert_eq!(events(&db), before, "line 1 was not saved either");
}

/// The walkthrough with its deliverable stored.
fn with_deliverable(dir: &Path) -> (PathBuf, PathBuf) {
    let db = dir.join("b.db");
    fs::write(dir.join("fabrikam-deployment-plan.pdf"), b"%PDF plan").unwrap();
    let file = script(dir, "walkthrough.jsonl", &WALKTHROUGH.lines().collect::<Vec<_>>());
    let mut c = saps(&db);
    c.current_dir(dir).arg("exec").arg(&file);
    assert_eq!(run_cmd(c).code, Some(0));
    let copy = fs::read_dir(db.join("deliverables"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    (db, copy)
}

#[test]
fn backup_refuses_damaged_or_missing_deliverable_copies_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let (db, copy) = with_deliverable(dir.path());
    let sha = copy.file_name().unwrap().to_string_lossy().into_owned();
    let damage: [(&str, &dyn Fn()); 2] = [
        ("damaged", &|| fs::write(&copy, b"%PDF other").unwrap()),
        ("missing", &|| fs::remove_file(&copy).unwrap()),
    ];
    for (what, spoil) in damage {
        spoil();
        let file = dir.path().join(format!("{what}.sapsbak"));
        let r = run(&db, &["backup", file.to_str().unwrap()]);
        assert_eq!(r.code, Some(1), "{what}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stderr.contains(&sha) && r.stderr.contains("--allow-missing-files"),
            "{what}: {}",
            r.stderr
        );
        assert!(!file.exists(), "{what}: a backup was written");
        let leftovers = fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".tmp")
            })
            .count();
        assert_eq!(leftovers, 0, "{what}: a temporary file was left");
        let r = run(&db, &["backup", "--allow-missing-files", file.to_str().unwrap()]);
        assert_eq!(r.code, Some(0), "{what}: {}", r.stderr);
        assert!(
            r.stdout.contains("left out 1") && r.stdout.contains(&sha),
            "{what}: {}",
            r.stdout
        );
        assert!(file.exists());
    }
}
