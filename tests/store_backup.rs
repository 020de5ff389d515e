//! `saps backup` and `saps restore` with the real binary: round trips, the
//! committed v1 fixture, refusals, and damaged backup files.

mod saps_bin;

use saps_bin::{Lcg, export_json, run, saps, walkthrough_db};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

const PLAN: &[u8] = b"%PDF-1.4\n% saps test fixture: the Fabrikam deployment plan\n";

/// A walkthrough database whose deliverable was a real file (so it holds a
/// stored copy), made the way `tests/fixtures/v1.sapsbak` was.
fn walkthrough_with_deliverable(dir: &Path) -> PathBuf {
    std::fs::write(dir.join("fabrikam-deployment-plan.pdf"), PLAN).unwrap();
    let db = dir.join("with-file.db");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/walkthrough.jsonl");
    let mut c = saps(&db);
    c.current_dir(dir).arg("exec").arg(script);
    let r = saps_bin::run_cmd(c);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    db
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1.sapsbak")
}

fn leftovers(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    names.sort();
    names
}

#[test]
fn backup_then_restore_gives_the_same_export_and_files() {
    let dir = tempfile::tempdir().unwrap();
    let db = walkthrough_with_deliverable(dir.path());
    let file = dir.path().join("copy.sapsbak");
    let r = run(&db, &["backup", file.to_str().unwrap()]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("1 deliverable files"), "{}", r.stdout);
    let restored = dir.path().join("restored.db");
    let r = run(&restored, &["restore", file.to_str().unwrap()]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let original = export_json(&db);
    assert!(
        original.contains("\"sha256\""),
        "the walkthrough attached the plan"
    );
    assert_eq!(export_json(&restored), original);
    let check = run(&restored, &["check"]);
    assert_eq!(check.code, Some(0), "{}{}", check.stdout, check.stderr);
    assert!(check.stdout.starts_with("healthy: 21 events"), "{}", check.stdout);
    assert!(check.stdout.contains("1 deliverable file"), "{}", check.stdout);
    let sha = saps::store::files::hex(&Sha256::digest(PLAN));
    assert_eq!(
        std::fs::read(restored.join("deliverables").join(sha)).unwrap(),
        PLAN
    );
    assert!(leftovers(dir.path()).is_empty(), "{:?}", leftovers(dir.path()));
}

#[test]
fn the_v1_fixture_restores_to_what_the_walkthrough_makes_today() {
    let dir = tempfile::tempdir().unwrap();
    let today = walkthrough_with_deliverable(dir.path());
    let restored = dir.path().join("from-v1.db");
    let r = run(&restored, &["restore", fixture().to_str().unwrap()]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("schema 1"), "{}", r.stdout);
    let export = export_json(&restored);
    assert!(export.contains("\"status\": \"paid\""), "{export}");
    assert_eq!(export, export_json(&today), "a format change needs a migration");
    let check = run(&restored, &["check"]);
    assert_eq!(check.code, Some(0), "{}{}", check.stdout, check.stderr);
}

#[test]
fn restore_never_overwrites_and_backup_never_replaces() {
    let dir = tempfile::tempdir().unwrap();
    let db = walkthrough_db(dir.path());
    let before = export_json(&db);
    let r = run(&db, &["restore", fixture().to_str().unwrap()]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stderr.contains("already holds a database"), "{}", r.stderr);
    assert_eq!(export_json(&db), before);
    // An empty directory is not a database: restoring into it is fine.
    let empty = dir.path().join("empty.db");
    std::fs::create_dir(&empty).unwrap();
    assert_eq!(
        run(&empty, &["restore", fixture().to_str().unwrap()]).code,
        Some(0)
    );
    let file = dir.path().join("taken.sapsbak");
    std::fs::write(&file, b"mine").unwrap();
    let r = run(&db, &["backup", file.to_str().unwrap()]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stderr.contains("never overwrites a file"), "{}", r.stderr);
    assert_eq!(std::fs::read(&file).unwrap(), b"mine");
    let missing = dir.path().join("nothing-here.db");
    let r = run(
        &missing,
        &["backup", dir.path().join("x.sapsbak").to_str().unwrap()],
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("there is no database"), "{}", r.stderr);
    assert!(!missing.exists(), "backup created a database");
}

/// Restores `bytes` as a backup file; asserts exit 1 with a sentence and
/// that nothing was created. Returns the message.
fn refused(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let file = dir.join(format!("{name}.sapsbak"));
    std::fs::write(&file, bytes).unwrap();
    let db = dir.join(format!("{name}.db"));
    let r = run(&db, &["restore", file.to_str().unwrap()]);
    assert!(r.ended_cleanly(), "{name}: crashed: {}", r.stderr);
    assert_eq!(r.code, Some(1), "{name}: {}{}", r.stdout, r.stderr);
    assert!(!db.exists(), "{name}: a database was created");
    assert!(leftovers(dir).is_empty(), "{name}: left {:?}", leftovers(dir));
    std::fs::remove_file(&file).unwrap();
    r.stderr
}

#[test]
fn damaged_or_truncated_backups_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read(fixture()).unwrap();
    let mut rng = Lcg(0xBAC0);
    for i in 0..12 {
        let mut bytes = good.clone();
        let at = rng.below(bytes.len());
        bytes[at] ^= 1 << rng.below(8);
        let msg = refused(dir.path(), &format!("flip-{i}"), &bytes);
        assert!(msg.contains("saps: ") && msg.contains("backup"), "{msg}");
    }
    for len in [0, 5, 14, 47, good.len() / 2, good.len() - 1] {
        let msg = refused(dir.path(), &format!("cut-{len}"), &good[..len]);
        assert!(msg.contains("not a usable saps backup"), "{msg}");
    }
    let msg = refused(
        dir.path(),
        "text",
        b"this is not a backup at all, just some text that is long enough to be one",
    );
    assert!(msg.contains("does not start like a saps backup"), "{msg}");
    let mut longer = good.clone();
    longer.extend_from_slice(b"junk");
    let msg = refused(dir.path(), "longer", &longer);
    assert!(msg.contains("checksum"), "{msg}");
}

/// A backup with a correct checksum over whatever `body` is.
fn sealed(format: u16, schema: u32, body: &[u8]) -> Vec<u8> {
    let mut bytes = b"SAPSBAK\0".to_vec();
    bytes.extend_from_slice(&format.to_be_bytes());
    bytes.extend_from_slice(&schema.to_be_bytes());
    bytes.extend_from_slice(body);
    let digest = Sha256::digest(&bytes);
    bytes.extend_from_slice(&digest);
    bytes
}

#[test]
fn newer_or_lying_backups_are_refused_without_huge_allocations() {
    let dir = tempfile::tempdir().unwrap();
    let msg = refused(dir.path(), "format2", &sealed(2, 1, &[0]));
    assert!(
        msg.contains("newer saps") && msg.contains("backup format 2"),
        "{msg}"
    );
    let msg = refused(dir.path(), "schema9", &sealed(1, 9, &[0]));
    assert!(msg.contains("newer saps") && msg.contains("schema 9"), "{msg}");
    // Lengths far beyond the file, checksummed so only the bounds catch them.
    let mut tree = vec![1u8];
    tree.extend_from_slice(&4u16.to_be_bytes());
    tree.extend_from_slice(b"meta");
    let mut huge_entry = tree.clone();
    huge_entry.push(2);
    huge_entry.extend_from_slice(&u32::MAX.to_be_bytes());
    huge_entry.extend_from_slice(&[0u8; 16]);
    let msg = refused(dir.path(), "huge-entry", &sealed(1, 1, &huge_entry));
    assert!(msg.contains("claims"), "{msg}");
    let mut huge_file = vec![3u8];
    huge_file.extend_from_slice(&64u16.to_be_bytes());
    huge_file.extend_from_slice(&[b'a'; 64]);
    huge_file.extend_from_slice(&u64::MAX.to_be_bytes());
    let msg = refused(dir.path(), "huge-file", &sealed(1, 1, &huge_file));
    assert!(msg.contains("claims"), "{msg}");
    let msg = refused(dir.path(), "no-end", &sealed(1, 1, &tree));
    assert!(msg.contains("not a usable saps backup"), "{msg}");
    let msg = refused(dir.path(), "no-meta", &sealed(1, 1, &[0]));
    assert!(msg.contains("schema_version"), "{msg}");
}
