//! A long `saps exec FILE` on PostgreSQL sends each group of lines to be
//! committed while it decides the next (`src/session/flight.rs`). These
//! race it against another real process on the same pools, and give it a
//! line id twice, groups apart: every line is answered once, in order,
//! with the seqs the log gives its events; no pool goes below zero; a
//! request is applied once.

mod pg_common;

use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::process::{Command, Stdio};

const GINA: &str = "gina@contoso.test";
const PM: &str = "pm@fabrikam.test";
/// Each shared pool's days; the two processes ask for more in all.
const POOL: i64 = 1100;

fn saps(url: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_saps"));
    c.args(["--db", url, "--now", "2024-03-02"]).env_remove("SAPS_DB");
    c
}

fn receive(id: &str, customer: &str) -> Value {
    json!({"as": GINA, "cmd": "receive_voucher", "voucher_id": id, "customer": customer, "offering": "DDPS", "days": 1, "created_on": "2024-03-01", "admin_email": PM})
}

fn text(lines: &[Value]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

fn answers(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not JSON: {l}")))
        .collect()
}

fn setup(url: &str) {
    let mut lines = vec![
        json!({"cmd": "init_partner", "name": "Contoso", "mpn_id": "1234567", "mpn_expires": "2026-03-01", "admin_name": "Gina", "admin_email": GINA}),
    ];
    for c in 0..3 {
        lines.push(json!({"as": GINA, "cmd": "add_customer", "licensing_id": format!("P-{c}"), "name": format!("Pool {c}"), "planning_days": POOL, "agreement_expires": "2026-11-26"}));
    }
    lines.push(json!({"as": GINA, "cmd": "add_customer", "licensing_id": "Q", "name": "Quiet", "planning_days": 10_000, "agreement_expires": "2026-11-26"}));
    let out = saps(url)
        .args(["exec", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child.stdin.take().unwrap().write_all(text(&lines).as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}

/// The log as the owner reads it: each seq's event, as `saps export`
/// shows events.
fn log(url: &str) -> Vec<Value> {
    let out = saps(url).args(["export", "--format", "json"]).output().unwrap();
    let export: Value = serde_json::from_slice(&out.stdout).unwrap();
    export["audit"].as_array().cloned().unwrap_or_default()
}

/// Every answer is its line's, in order; every accepted line's events are
/// in the log at the seqs it was told. The seqs told, in all.
fn told(answers: &[Value], lines: usize, log: &BTreeMap<u64, Value>) -> BTreeSet<u64> {
    assert_eq!(answers.len(), lines, "one answer a line");
    let mut seqs = BTreeSet::new();
    for (i, a) in answers.iter().enumerate() {
        assert_eq!(a["line"], i as u64 + 1, "in order: {a}");
        if a["ok"] != true {
            assert_eq!(a["code"], "insufficient_days", "{a}");
            continue;
        }
        for e in a["events"].as_array().unwrap() {
            let seq = e["seq"].as_u64().unwrap();
            assert_eq!(
                log.get(&seq).map(|l| &l["event"]),
                Some(&e["event"]),
                "line {}: event {seq}",
                i + 1
            );
            if a.get("already_applied") != Some(&Value::Bool(true)) {
                assert!(seqs.insert(seq), "seq {seq} told twice");
            }
        }
    }
    seqs
}

#[test]
fn a_long_file_raced_by_another_writer_keeps_every_pool_and_every_seq() {
    raced(true);
}

/// Only the writer on another customer: the file's groups land after its
/// commits, so the group decided meanwhile is decided again.
#[test]
fn a_long_file_landing_after_others_commits_decides_the_next_group_again() {
    raced(false);
}

/// The file against the quiet writer, and the pool writer too when `pools`.
fn raced(pools: bool) {
    let Some(db) = pg_common::fresh() else { return };
    let url = db.url();
    setup(&url);
    // 3,000 lines of a file (three groups in flight in turn) and 600 on
    // another process's standard input, on the same three pools: 3,600
    // days asked of 3,300. A third process on another customer commits
    // in between without colliding (the file's groups land after it).
    let file_lines: Vec<Value> = (0..3000)
        .map(|i| receive(&format!("FILE-{i:05}"), &format!("P-{}", i % 3)))
        .collect();
    let other_lines: Vec<Value> = (0..if pools { 600 } else { 0 })
        .map(|i| receive(&format!("PIPE-{i:05}"), &format!("P-{}", i % 3)))
        .collect();
    let quiet_lines: Vec<Value> = (0..600).map(|i| receive(&format!("QUIET-{i:05}"), "Q")).collect();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("intake.jsonl");
    std::fs::write(&file, text(&file_lines)).unwrap();
    let mut other = saps(&url)
        .args(["exec", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut other_in = other.stdin.take().unwrap();
    // Its answers are read as they come (a full pipe would stop it).
    let other = std::thread::spawn(move || other.wait_with_output().unwrap());
    let mut quiet = saps(&url)
        .args(["exec", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut quiet_in = quiet.stdin.take().unwrap();
    let quiet = std::thread::spawn(move || quiet.wait_with_output().unwrap());
    let long = saps(&url)
        .arg("exec")
        .arg(&file)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // The other writer's lines in small bursts, while the file runs.
    for (i, calm) in quiet_lines.chunks(50).enumerate() {
        if let Some(chunk) = other_lines.chunks(50).nth(i) {
            other_in.write_all(text(chunk).as_bytes()).unwrap();
            other_in.flush().unwrap();
        }
        for line in calm {
            quiet_in
                .write_all(text(std::slice::from_ref(line)).as_bytes())
                .unwrap();
            quiet_in.flush().unwrap();
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    drop(other_in);
    drop(quiet_in);
    let long = long.wait_with_output().unwrap();
    let other = other.join().unwrap();
    let quiet = quiet.join().unwrap();
    assert!(
        long.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&long.stderr)
    );

    let events = log(&url);
    let by_seq: BTreeMap<u64, Value> = events
        .iter()
        .map(|e| (e["seq"].as_u64().unwrap(), e.clone()))
        .collect();
    let seqs: Vec<u64> = by_seq.keys().copied().collect();
    assert_eq!(seqs, (1..=events.len() as u64).collect::<Vec<_>>(), "gap-free");
    let a = told(&answers(&long.stdout), file_lines.len(), &by_seq);
    let b = told(&answers(&other.stdout), other_lines.len(), &by_seq);
    let c = told(&answers(&quiet.stdout), quiet_lines.len(), &by_seq);
    assert!(
        a.is_disjoint(&b) && a.is_disjoint(&c) && b.is_disjoint(&c),
        "no seq told twice"
    );
    let received = events
        .iter()
        .filter(|e| e["event"].get("voucher_received").is_some())
        .count();
    assert_eq!(
        a.len() + b.len() + c.len(),
        received,
        "every voucher in the log was told to its line"
    );
    assert_eq!(
        c.len(),
        quiet_lines.len(),
        "the quiet customer's lines all went in"
    );
    let asked = (file_lines.len() + other_lines.len()) as i64;
    assert_eq!(
        received as i64,
        asked.min(3 * POOL) + c.len() as i64,
        "the pools are used up as far as asked"
    );

    let out = saps(&url).args(["export", "--format", "json"]).output().unwrap();
    let export: Value = serde_json::from_slice(&out.stdout).unwrap();
    for c in export["customers"].as_array().unwrap() {
        let id = c["licensing_id"].as_str().unwrap();
        if id == "Q" {
            continue;
        }
        let days: i64 = export["vouchers"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["customer"] == id)
            .map(|v| v["days"].as_i64().unwrap())
            .sum();
        assert_eq!(days, asked.min(3 * POOL) / 3, "{id}: {c}");
        assert_eq!(c["remaining_days"], POOL - days, "{id}: {c}");
    }
    let check = saps(&url).arg("check").output().unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

#[test]
fn a_line_id_given_again_groups_later_is_applied_once() {
    let Some(db) = pg_common::fresh() else { return };
    let url = db.url();
    setup(&url);
    let id = "01890a5d-ac96-7000-8000-00000000beef";
    let mut lines: Vec<Value> = (0..2500)
        .map(|i| receive(&format!("ID-{i:05}"), &format!("P-{}", i % 3)))
        .collect();
    let mut twice = receive("TWICE-00001", "P-0");
    twice["id"] = json!(id);
    // In the first group, and again in the second (the first then in
    // flight) and the third.
    lines[10] = twice.clone();
    lines[1200] = twice.clone();
    lines[2400] = twice;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ids.jsonl");
    std::fs::write(&file, text(&lines)).unwrap();
    let out = saps(&url).arg("exec").arg(&file).output().unwrap();
    let answers = answers(&out.stdout);
    assert_eq!(answers.len(), lines.len());
    let first = &answers[10];
    assert_eq!(first["ok"], true, "{first}");
    for again in [&answers[1200], &answers[2400]] {
        assert_eq!(again["ok"], true, "{again}");
        assert_eq!(again["already_applied"], true, "{again}");
        assert_eq!(
            again["events"], first["events"],
            "the events recorded the first time"
        );
    }
    let received: Vec<Value> = log(&url)
        .into_iter()
        .filter(|e| e["event"]["voucher_received"]["voucher_id"] == "TWICE-00001")
        .collect();
    assert_eq!(received.len(), 1, "applied once: {received:?}");
}
