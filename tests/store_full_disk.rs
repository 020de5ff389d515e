//! A full disk never wedges the database (issue 11, item 11).
//!
//! sled 0.34 writes a snapshot when it opens a database whose log moved on;
//! on a full disk that leaves an empty `snap.<lsn>.generating` file, which
//! sled then reads as the newest snapshot on every later open ("damaged").
//! Here the real binary fills a small tmpfs: the run stops with "the disk
//! is full", opens while the disk is still full say so too, and once space
//! is back the database opens whole, with every acknowledged line.
//!
//! Mounting a tmpfs needs root (CI runs as root): as another user, or where
//! mounting is refused, the test says so on stderr and passes without
//! running. `snapshots.rs`'s unit tests cover the same rule on any machine.

#![cfg(target_os = "linux")]

mod saps_bin;

use saps_bin::{Run, run};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

/// A tmpfs of `size` mounted on a temporary directory, unmounted when dropped.
struct Tmpfs(TempDir);

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        if !rustix::process::geteuid().is_root() {
            eprintln!("SKIPPED store_full_disk: mounting a tmpfs needs root (CI runs it as root)");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .output();
        match mounted {
            Ok(out) if out.status.success() => Some(Tmpfs(dir)),
            Ok(out) => {
                let why = String::from_utf8_lossy(&out.stderr);
                eprintln!("SKIPPED store_full_disk: mount refused: {why}");
                None
            }
            Err(e) => {
                eprintln!("SKIPPED store_full_disk: cannot run mount: {e}");
                None
            }
        }
    }

    fn path(&self) -> &Path {
        self.0.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let ok = Command::new("umount").arg(self.path()).status();
        if !ok.is_ok_and(|s| s.success()) {
            let _ = Command::new("umount").arg("-l").arg(self.path()).status();
        }
    }
}

/// Fills the file system of `dir` to the last byte, then frees `free_kib`.
fn fill_leaving(dir: &Path, free_kib: u64) -> PathBuf {
    let filler = dir.join("filler");
    let mut f = OpenOptions::new()
        .create_new(true)
        .write(true)
        .open(&filler)
        .unwrap();
    let chunk = vec![0x55u8; 64 * 1024];
    let mut written = 0u64;
    loop {
        match f.write(&chunk) {
            Ok(0) => break,
            Ok(n) => written += n as u64,
            Err(e) if e.kind() == io::ErrorKind::StorageFull => break,
            Err(e) => panic!("filling the tmpfs: {e}"),
        }
    }
    f.set_len(written.saturating_sub(free_kib * 1024)).unwrap();
    drop(f);
    filler
}

fn many_lines(dir: &Path, n: usize) -> PathBuf {
    let path = dir.join("many.jsonl");
    let mut f = io::BufWriter::new(File::create(&path).unwrap());
    for i in 1..=n {
        writeln!(
            f,
            r#"{{"cmd":"add_customer","as":"carol@contoso.example","licensing_id":"LIC-X{i}","name":"Customer {i}","planning_days":5,"agreement_expires":"2028-01-01"}}"#
        )
        .unwrap();
    }
    path
}

fn says_disk_full(r: &Run, what: &str) {
    assert_eq!(r.code, Some(2), "{what}: {}", r.stderr);
    assert!(
        r.stderr.contains("the disk is full") && r.stderr.contains("nothing acknowledged was lost"),
        "{what}: {}",
        r.stderr
    );
    assert!(!r.stderr.contains("damaged"), "{what}: {}", r.stderr);
}

#[test]
fn a_full_disk_never_wedges_the_database() {
    let Some(tmpfs) = Tmpfs::mount("4m") else {
        return;
    };
    let outside = tempfile::tempdir().unwrap();
    let lines = many_lines(outside.path(), 6000);
    let base = saps_bin::walkthrough_db(tmpfs.path());
    // An open after the walkthrough writes the snapshot it starts from.
    assert_eq!(run(&base, &["check"]).code, Some(0));
    // How much room the run has decides where it stops; both stop mid-run
    // and then leave no room for the next open's snapshot.
    for free_kib in [600, 900] {
        let db = tmpfs.path().join(format!("full-{free_kib}.db"));
        saps_bin::copy_dir(&base, &db);
        let filler = fill_leaving(tmpfs.path(), free_kib);
        let exec = run(&db, &["exec", lines.to_str().unwrap()]);
        let acknowledged = exec.stdout.lines().filter(|l| l.contains(r#""ok":true"#)).count();
        assert!(
            acknowledged > 0 && acknowledged < 6000,
            "{free_kib} KiB: the run should stop midway ({acknowledged} lines acknowledged)"
        );
        says_disk_full(&exec, "exec on a full disk");
        for _ in 0..2 {
            says_disk_full(&run(&db, &["check"]), "check while the disk is still full");
            let generating = fs::read_dir(&db)
                .unwrap()
                .filter(|e| {
                    e.as_ref()
                        .unwrap()
                        .file_name()
                        .to_string_lossy()
                        .ends_with(".generating")
                })
                .count();
            assert_eq!(generating, 0, "an incomplete snapshot was left behind");
        }
        fs::remove_file(filler).unwrap();
        let check = run(&db, &["check"]);
        assert_eq!(
            check.code,
            Some(0),
            "{free_kib} KiB, space back: {}{}",
            check.stdout,
            check.stderr
        );
        let export = saps_bin::export_json(&db);
        let v: serde_json::Value = serde_json::from_str(&export).unwrap();
        let customers = v["customers"].as_array().unwrap();
        // The walkthrough's customer, then every acknowledged line's.
        assert_eq!(customers.len(), 1 + acknowledged, "{free_kib} KiB");
        for i in 1..=acknowledged {
            let id = format!("LIC-X{i}");
            assert!(
                customers.iter().any(|c| c["licensing_id"] == id.as_str()),
                "{id} was acknowledged but is gone"
            );
        }
        fs::remove_dir_all(&db).unwrap();
    }
}

#[test]
fn a_full_disk_while_storing_a_deliverable_names_every_unsaved_line() {
    let Some(tmpfs) = Tmpfs::mount("4m") else {
        return;
    };
    let outside = tempfile::tempdir().unwrap();
    let walkthrough = include_str!("../assets/walkthrough.jsonl");
    let lines: Vec<&str> = walkthrough.lines().collect();
    let reserved = lines
        .iter()
        .position(|l| l.contains("\"reserve_voucher\""))
        .unwrap();
    let setup = outside.path().join("setup.jsonl");
    fs::write(&setup, lines[..=reserved].join("\n")).unwrap();
    let db = tmpfs.path().join("d.db");
    assert_eq!(run(&db, &["exec", setup.to_str().unwrap()]).code, Some(0));
    assert_eq!(run(&db, &["check"]).code, Some(0));
    fs::write(outside.path().join("plan.pdf"), vec![7u8; 3 << 20]).unwrap();
    let add = r#"{"at":"2026-02-01","as":"carol@contoso.example","cmd":"add_customer","licensing_id":"LIC-2","name":"Second","planning_days":5,"agreement_expires":"2028-01-01"}"#;
    let draft = r#"{"at":"2026-02-04","as":"bob@contoso.example","cmd":"save_report_draft","voucher_id":"DDPS-2026-0001","deliverable_kind":"Deployment Plan","deliverable_path":"plan.pdf"}"#;
    let group = outside.path().join("group.jsonl");
    fs::write(&group, format!("{add}\n{draft}\n")).unwrap();
    let filler = fill_leaving(tmpfs.path(), 900);
    let mut c = saps_bin::saps(&db);
    c.current_dir(outside.path()).arg("exec").arg(&group);
    let r = saps_bin::run_cmd(c);
    assert_eq!(r.code, Some(2), "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("lines 1 to 2 were not saved") && r.stderr.contains("the disk is full"),
        "{}",
        r.stderr
    );
    fs::remove_file(filler).unwrap();
    let export = saps_bin::export_json(&db);
    assert!(!export.contains("LIC-2"), "line 1 was reported as not saved");
    assert_eq!(run(&db, &["check"]).code, Some(0));
}
