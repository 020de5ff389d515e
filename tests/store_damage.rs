//! Damaged data never crashes `saps`: garbage in stored values and damaged
//! sled files make `exec`, `export` and `check` end with a sentence, never a
//! panic (exit 101), an abort (a signal) or a hang.
//!
//! The long run of the file damage is
//! `cargo test --release --test store_damage -- --ignored`.

mod saps_bin;

use saps::store::{Store, keys};
use saps_bin::{Lcg, Run, copy_dir, run, walkthrough_db};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// A walkthrough database that also has a sled snapshot file (written when
/// sled reopens a database).
fn base() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = walkthrough_db(dir.path());
    saps_bin::export_json(&db);
    (dir, db)
}

/// Within this process sled may hold its lock a moment after a drop; a
/// child started meanwhile would see the database as open elsewhere.
fn wait_unlocked(db: &Path) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        let log = File::open(db.join("db")).unwrap();
        if log.try_lock().is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("{} stayed locked", db.display());
}

fn assert_sentence(r: &Run, what: &str) {
    assert!(r.ended_cleanly(), "{what}: crashed ({:?}): {}", r.code, r.stderr);
    assert!(!r.stderr.contains("panicked"), "{what}: {}", r.stderr);
    if r.code != Some(0) {
        let line = r.stderr.lines().find(|l| l.starts_with("saps: ")).unwrap_or("");
        assert!(
            line.len() > 30,
            "{what}: exit {:?} without a sentence: {:?}",
            r.code,
            r.stderr
        );
    }
}

/// Values that are not what the tree holds.
fn garbage(kind: usize, real: &[u8]) -> Vec<u8> {
    match kind {
        0 => Vec::new(),
        1 => vec![1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F],
        2 => real[..real.len() / 2].to_vec(),
        3 => {
            let mut v = real.to_vec();
            match v.first_mut() {
                Some(first) => *first = 9,
                None => v.push(9),
            }
            v
        }
        _ => vec![0xC3, 0x28, 0xA0, 0xA1],
    }
}

#[test]
fn garbage_values_end_in_a_sentence_naming_them() {
    let (dir, db) = base();
    let line = dir.path().join("line.jsonl");
    std::fs::write(
        &line,
        "{\"cmd\":\"publish_profile\",\"as\":\"alice@contoso.example\"}\n",
    )
    .unwrap();
    let entries: Vec<(Vec<u8>, Vec<u8>, Vec<u8>)> = {
        let store = Store::open(&db).unwrap();
        let mut all = Vec::new();
        for tree in store.tree_names().unwrap() {
            for (k, v) in store.raw_entries(&tree).unwrap() {
                all.push((tree.clone(), k, v));
            }
        }
        all
    };
    wait_unlocked(&db);
    for tree in keys::RECORD_TREES.iter().chain([&keys::INDEX, &keys::META]) {
        assert!(
            entries.iter().any(|(t, _, _)| t == tree.as_bytes()),
            "the walkthrough stores every kind of record: {tree}"
        );
    }
    for (i, (tree, key, real)) in entries.iter().enumerate() {
        let kind = i % 5;
        let copy = dir.path().join(format!("copy-{i}.db"));
        copy_dir(&db, &copy);
        {
            let store = Store::open(&copy).unwrap();
            // An empty value (an index entry) cut in half is still itself.
            let bad = Some(garbage(kind, real))
                .filter(|g| g != real)
                .unwrap_or_else(|| garbage(1, real));
            store.raw_set(tree, key, Some(&bad)).unwrap();
        }
        wait_unlocked(&copy);
        let what = format!("{} {} (garbage {kind})", keys::shown(tree), keys::shown(key));
        let export = run(&copy, &["export"]);
        assert_sentence(&export, &what);
        let check = run(&copy, &["check"]);
        assert_sentence(&check, &what);
        assert_ne!(
            check.code,
            Some(0),
            "{what}: check found nothing: {}",
            check.stdout
        );
        let exec = run(&copy, &["exec", line.to_str().unwrap()]);
        assert_sentence(&exec, &what);
        if tree.as_slice() == keys::META.as_bytes() {
            // The schema version is read on open: nothing starts.
            assert_eq!(
                (export.code, check.code, exec.code),
                (Some(2), Some(2), Some(2)),
                "{what}"
            );
        } else if tree.as_slice() == keys::INDEX.as_bytes() {
            // The index is derived: check compares it with the records.
            assert_eq!(check.code, Some(1), "{what}: {}", check.stdout);
            assert!(check.stdout.contains("- index "), "{what}: {}", check.stdout);
        } else if tree.as_slice() == keys::IDS.as_bytes() {
            // The ids are the log's lookup: check compares it with the log.
            assert_eq!(check.code, Some(1), "{what}: {}", check.stdout);
            assert!(check.stdout.contains("the ids tree"), "{what}: {}", check.stdout);
        } else if tree.as_slice() != keys::INVOICES.as_bytes() {
            // Any bytes are a voucher id to the invoice index; everything
            // else must be refused by the program itself.
            assert_eq!(export.code, Some(2), "{what}: export served damaged data");
            assert!(export.stderr.contains("damaged") && export.stderr.contains("saps check"));
            // exec reads only what its line names (here the organisation):
            // damage elsewhere is `saps check`'s to find, not every command's.
            if tree.as_slice() == keys::ORG.as_bytes() {
                assert_eq!(exec.code, Some(2), "{what}: exec ran on damaged data");
            }
            assert_eq!(check.code, Some(1), "{what}: {}", check.stderr);
            assert!(
                check.stdout.contains("cannot be read"),
                "{what}: {}",
                check.stdout
            );
        }
        std::fs::remove_dir_all(&copy).unwrap();
    }
}

/// Damages one of sled's files: flips bits, truncates, zeroes a range,
/// appends junk or deletes it.
fn damage_files(db: &Path, rng: &mut Lcg) -> String {
    let mut files: Vec<PathBuf> = std::fs::read_dir(db)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let file = files[rng.below(files.len())].clone();
    let mut bytes = std::fs::read(&file).unwrap();
    // Most of sled's log file is unused zeroes; aim at the written part.
    let used = bytes
        .iter()
        .rposition(|b| *b != 0)
        .map_or(bytes.len(), |i| i + 1)
        .max(1);
    let kind = rng.below(5);
    match kind {
        0 => {
            for _ in 0..1 + rng.below(8) {
                let at = rng.below(used.min(bytes.len()));
                if let Some(b) = bytes.get_mut(at) {
                    *b ^= 1 << rng.below(8);
                }
            }
        }
        1 => bytes.truncate(rng.below(used + 1)),
        2 => {
            let at = rng.below(used);
            let end = (at + 1 + rng.below(256)).min(bytes.len());
            bytes[at.min(end)..end].fill(0);
        }
        3 => bytes.extend((0..1 + rng.below(300)).map(|_| rng.next() as u8)),
        _ => {
            std::fs::remove_file(&file).unwrap();
            return format!("removed {}", file.display());
        }
    }
    std::fs::write(&file, &bytes).unwrap();
    format!("damage {kind} to {}", file.display())
}

fn file_damage_rounds(rounds: usize, seed: u64) {
    let (dir, db) = base();
    let mut rng = Lcg(seed);
    let mut refused = 0;
    for i in 0..rounds {
        let copy = dir.path().join(format!("round-{i}.db"));
        copy_dir(&db, &copy);
        let what = damage_files(&copy, &mut rng);
        let export = run(&copy, &["export"]);
        assert_sentence(&export, &what);
        let check = run(&copy, &["check"]);
        assert_sentence(&check, &what);
        for r in [&export, &check] {
            if r.code == Some(2) {
                let said = r.stderr.contains("is damaged") && r.stderr.contains("saps restore");
                assert!(said, "{what}: {}", r.stderr);
            }
        }
        if export.code != Some(0) {
            refused += 1;
        }
        std::fs::remove_dir_all(&copy).unwrap();
    }
    assert!(refused > 0, "no damage was ever noticed in {rounds} rounds");
}

#[test]
fn damaged_sled_files_end_in_a_sentence() {
    file_damage_rounds(30, 0xDA3A6E);
}

#[test]
#[ignore = "long run: cargo test --release --test store_damage -- --ignored"]
fn damaged_sled_files_end_in_a_sentence_long() {
    file_damage_rounds(600, 0x5EED_DA3A6E);
}
