//! What opening a database may create and must refuse (issue 11, items 10,
//! 12 and 14): commands that only read never create anything; `exec` and
//! the desk make a database only in a missing or empty directory; a
//! database whose sled files lost their content (the schema marker gone
//! too) is refused, not served as new; every file is its owner's only.

mod fixtures;
mod saps_bin;

use saps_bin::{run, run_cmd, saps};
use std::fs;
use std::path::{Path, PathBuf};

/// Every path under `dir`, with its size, sorted.
fn listing(dir: &Path) -> Vec<(PathBuf, u64)> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let meta = entry.metadata().unwrap();
        out.push((entry.path(), meta.len()));
        if meta.is_dir() {
            out.extend(listing(&entry.path()));
        }
    }
    out.sort();
    out
}

/// A directory that holds someone's files and no saps database.
fn other_files(root: &Path) -> PathBuf {
    let dir = root.join("documents");
    fs::create_dir_all(dir.join("old")).unwrap();
    fs::write(dir.join("notes.txt"), "not a database").unwrap();
    fs::write(dir.join("old").join("plan.pdf"), "%PDF").unwrap();
    dir
}

const READ_ONLY: &[&[&str]] = &[
    &["check"],
    &["export"],
    &["export", "--format", "csv"],
    &["packet", "export", "DDPS-2026-0001", "PACKET"],
    &["bundle", "export", "DDPS-2026-0001", "BUNDLE"],
    &["backup", "BACKUP"],
];

#[test]
fn commands_that_only_read_never_create_anything() {
    let root = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let empty = root.path().join("empty");
    fs::create_dir(&empty).unwrap();
    for db in [other_files(root.path()), empty] {
        let before = listing(&db);
        for args in READ_ONLY {
            let args: Vec<String> = args
                .iter()
                .map(|a| match *a {
                    "PACKET" | "BUNDLE" | "BACKUP" => out.path().join(a).display().to_string(),
                    a => a.to_owned(),
                })
                .collect();
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let r = run(&db, &args);
            assert_eq!(
                r.code,
                Some(2),
                "{args:?} in {}: {}{}",
                db.display(),
                r.stdout,
                r.stderr
            );
            assert!(
                r.stderr.contains("no saps database") && r.stderr.contains("never creates one"),
                "{args:?}: {}",
                r.stderr
            );
            assert_eq!(listing(&db), before, "{args:?} changed {}", db.display());
        }
        assert_eq!(
            fs::read_dir(out.path()).unwrap().count(),
            0,
            "no file was written"
        );
    }
}

#[test]
fn exec_and_the_desk_refuse_a_directory_of_other_files() {
    let root = tempfile::tempdir().unwrap();
    let db = other_files(root.path());
    let before = listing(&db);
    let script = root.path().join("init.jsonl");
    let walkthrough = include_str!("../assets/walkthrough.jsonl");
    fs::write(&script, walkthrough.lines().next().unwrap()).unwrap();
    let exec = run(&db, &["exec", script.to_str().unwrap()]);
    let desk = run(&db, &[]);
    for (what, r) in [("exec", exec), ("the desk", desk)] {
        assert_eq!(r.code, Some(2), "{what}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stderr.contains("no saps database") && r.stderr.contains("new or empty directory"),
            "{what}: {}",
            r.stderr
        );
        assert_eq!(listing(&db), before, "{what} changed the directory");
    }
}

#[test]
fn exec_makes_a_database_in_a_missing_or_empty_directory() {
    let root = tempfile::tempdir().unwrap();
    let empty = root.path().join("empty");
    fs::create_dir(&empty).unwrap();
    for db in [root.path().join("new").join("saps.db"), empty] {
        let script = root.path().join("walkthrough.jsonl");
        fs::write(&script, include_str!("../assets/walkthrough.jsonl")).unwrap();
        // Run where the walkthrough's deliverable file is.
        let mut c = saps(&db);
        c.current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets"))
            .arg("exec")
            .arg(&script);
        let r = run_cmd(c);
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        assert!(
            !db.join("saps-creating").exists(),
            "the mark of a new database stays"
        );
        assert_eq!(run(&db, &["check"]).code, Some(0));
    }
}

/// The walkthrough's database with sled's log emptied and the snapshots and
/// the schema marker removed: what a wiped database looks like.
fn wiped(root: &Path) -> PathBuf {
    let db = saps_bin::walkthrough_db(root);
    assert_eq!(run(&db, &["check"]).code, Some(0), "a snapshot is written");
    fs::write(db.join("db"), b"").unwrap();
    for entry in fs::read_dir(&db).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("snap.") || name == "saps-schema" {
            fs::remove_file(path).unwrap();
        }
    }
    db
}

#[test]
fn a_wiped_database_is_refused_not_served_as_new() {
    let root = tempfile::tempdir().unwrap();
    let db = wiped(root.path());
    let script = root.path().join("init.jsonl");
    let walkthrough = include_str!("../assets/walkthrough.jsonl");
    fs::write(&script, walkthrough.lines().next().unwrap()).unwrap();
    for args in [
        vec!["exec", script.to_str().unwrap()],
        vec!["check"],
        vec!["export"],
    ] {
        let r = run(&db, &args);
        assert_eq!(r.code, Some(2), "{args:?}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stderr.contains("lost its content") && r.stderr.contains("saps restore"),
            "{args:?}: {}",
            r.stderr
        );
        assert!(r.stdout.is_empty(), "{args:?}: {}", r.stdout);
    }
    let desk = run(&db, &[]);
    assert!(desk.stderr.contains("lost its content"), "{}", desk.stderr);
}

#[test]
fn a_database_cut_off_while_being_made_is_still_new() {
    let root = tempfile::tempdir().unwrap();
    // Stopped before sled wrote anything: only the mark.
    let early = root.path().join("early.db");
    fs::create_dir(&early).unwrap();
    fs::write(early.join("saps-creating"), b"").unwrap();
    // Stopped after sled made its files, before the schema version.
    let late = root.path().join("late.db");
    fixtures::raw_sled(&late).flush().unwrap();
    fs::write(late.join("saps-creating"), b"").unwrap();
    for db in [early, late] {
        let store = fixtures::open_retry(&db).unwrap();
        assert!(store.load().unwrap().org.partner.is_none());
        assert!(db.join("saps-schema").exists());
        assert!(!db.join("saps-creating").exists());
    }
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Every file under `db` is 600 and every directory 700.
#[cfg(unix)]
fn all_private(db: &Path) {
    assert_eq!(mode(db), 0o700, "{}", db.display());
    for (path, _) in listing(db) {
        let want = if path.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode(&path), want, "{}", path.display());
    }
}

/// The walkthrough run where its deliverable file exists, so that the
/// database holds a deliverable copy too.
#[cfg(unix)]
fn walkthrough_with_deliverable(root: &Path) -> PathBuf {
    let db = root.join("modes.db");
    fs::write(root.join("fabrikam-deployment-plan.pdf"), b"%PDF plan").unwrap();
    let script = root.join("walkthrough.jsonl");
    fs::write(&script, include_str!("../assets/walkthrough.jsonl")).unwrap();
    let mut c = saps(&db);
    c.current_dir(root).arg("exec").arg(&script);
    let r = run_cmd(c);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(fs::read_dir(db.join("deliverables")).unwrap().count(), 1);
    db
}

#[cfg(unix)]
#[test]
fn every_file_is_made_private() {
    let root = tempfile::tempdir().unwrap();
    let db = walkthrough_with_deliverable(root.path());
    // A second open writes a snapshot; a backup file too is private.
    let backup = root.path().join("saps.sapsbak");
    assert_eq!(run(&db, &["backup", backup.to_str().unwrap()]).code, Some(0));
    all_private(&db);
    assert_eq!(mode(&backup), 0o600);
}

#[cfg(unix)]
#[test]
fn an_open_database_directory_is_tightened_and_the_user_told() {
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile::tempdir().unwrap();
    let db = walkthrough_with_deliverable(root.path());
    let set = |p: &Path, m: u32| fs::set_permissions(p, fs::Permissions::from_mode(m)).unwrap();
    set(&db, 0o755);
    for (path, _) in listing(&db) {
        set(&path, if path.is_dir() { 0o777 } else { 0o644 });
    }
    let r = run(&db, &["check"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let told: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(told.len(), 1, "{}", r.stderr);
    assert!(
        told[0].contains(&db.display().to_string())
            && told[0].contains("mode 755")
            && told[0].contains("700"),
        "{}",
        told[0]
    );
    all_private(&db);
    let again = run(&db, &["check"]);
    assert_eq!(again.code, Some(0));
    assert!(again.stderr.is_empty(), "told twice: {}", again.stderr);
}
