//! A second process on a database in use gets exit 2 and "open in another
//! saps", for every subcommand, within a second or so.

mod saps_bin;

use saps_bin::{run, saps};
use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::time::{Duration, Instant};

#[test]
fn every_subcommand_refuses_a_database_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let db = saps_bin::walkthrough_db(dir.path());
    let backup = dir.path().join("b.sapsbak");
    assert_eq!(run(&db, &["backup", backup.to_str().unwrap()]).code, Some(0));
    let input = dir.path().join("line.jsonl");
    std::fs::write(&input, "{\"cmd\":\"publish_profile\"}\n").unwrap();

    // A `saps exec` that keeps the database open while it waits for input.
    let mut holder = saps(&db)
        .args(["--as", "alice@contoso.example", "exec"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = holder.stdin.take().unwrap();
    stdin.write_all(b"{\"cmd\":\"publish_profile\"}\n").unwrap();
    let mut ack = String::new();
    BufReader::new(holder.stdout.take().unwrap())
        .read_line(&mut ack)
        .unwrap();
    assert!(ack.contains("\"ok\":true"), "{ack}");

    let second = dir.path().join("c.sapsbak");
    let runs: [(&str, Vec<&str>); 5] = [
        ("exec", vec!["exec", input.to_str().unwrap()]),
        ("export", vec!["export"]),
        ("check", vec!["check"]),
        ("backup", vec!["backup", second.to_str().unwrap()]),
        ("restore", vec!["restore", backup.to_str().unwrap()]),
    ];
    let mut failures = Vec::new();
    for (name, args) in &runs {
        let start = Instant::now();
        let r = run(&db, args);
        let took = start.elapsed();
        let said = r.stderr.contains("open in another saps");
        if r.code != Some(2) || !said || took > Duration::from_secs(3) {
            failures.push(format!("{name}: exit {:?} after {took:?}: {}", r.code, r.stderr));
        }
    }
    drop(stdin);
    holder.wait().unwrap();
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(!second.exists(), "no backup was written");
}

/// sled's lock can outlive a database's close by a moment (a snapshot sled
/// started on its own threads finishing): an open waits that out instead of
/// saying another saps has it (`saps check` on PostgreSQL, opening the copy
/// it had just restored, said so once in CI). A lock held longer is still
/// another saps's.
#[test]
fn a_lock_let_go_a_moment_later_is_waited_for() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    drop(saps::store::Store::open(&db).unwrap());
    let log = std::fs::File::open(db.join("db")).unwrap();
    log.lock().unwrap();
    let held = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        log.unlock().unwrap();
    });
    let start = Instant::now();
    let opened = saps::store::Store::open(&db);
    assert!(opened.is_ok(), "opened once the lock was let go: {opened:?}");
    assert!(start.elapsed() >= Duration::from_millis(250), "it waited for it");
    drop(opened);
    held.join().unwrap();

    let log = std::fs::File::open(db.join("db")).unwrap();
    log.lock().unwrap();
    let start = Instant::now();
    let refused = saps::store::Store::open(&db);
    assert!(
        matches!(refused, Err(saps::store::StoreError::Locked { .. })),
        "{refused:?}"
    );
    assert!(start.elapsed() < Duration::from_secs(3), "not for long");
    drop(log);
}
