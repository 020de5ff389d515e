//! A killed `saps exec` never loses a line whose acknowledgement was printed.
//!
//! Each round starts `saps exec` on a pipe, streams `receive_voucher` lines into
//! it, reads acknowledgements, kills it with SIGKILL after a pseudo-random number
//! of them, then reopens the database and checks that every acknowledged voucher
//! is there. The short run is part of `cargo test`; the long one is
//! `cargo test --release --test exec_durability -- --ignored`.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

const ADMIN: &str = "alice@contoso.example";

fn saps(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_saps"));
    c.arg("--db")
        .arg(db)
        .arg("--as")
        .arg(ADMIN)
        .arg("--now")
        .arg("2026-01-05");
    c
}

fn setup(db: &Path) {
    let lines = [
        format!(
            r#"{{"cmd":"init_partner","name":"Contoso","mpn_id":"1","mpn_expires":"2030-01-01","admin_name":"Alice","admin_email":"{ADMIN}"}}"#
        ),
        r#"{"cmd":"add_customer","licensing_id":"LIC-1","name":"Fabrikam","planning_days":1000000,"agreement_expires":"2030-01-01"}"#.to_string(),
    ];
    let mut child = saps(db)
        .arg("exec")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all((lines.join("\n") + "\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "setup failed: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}

fn voucher_line(n: usize) -> String {
    format!(
        r#"{{"cmd":"receive_voucher","voucher_id":"V-{n:08}","customer":"LIC-1","offering":"DDPS","days":1,"created_on":"2026-01-05","admin_email":"pm@fabrikam.example"}}"#
    )
}

/// Runs one round: returns how many acknowledgements were read before the kill.
fn kill_round(db: &Path, first: usize, kill_after: usize) -> Vec<usize> {
    let mut child = saps(db)
        .arg("exec")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        for n in first..first + 10 * kill_after + 50 {
            if stdin.write_all((voucher_line(n) + "\n").as_bytes()).is_err() {
                break;
            }
        }
    });
    let mut acked = Vec::new();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    while acked.len() < kill_after {
        let Some(Ok(line)) = lines.next() else { break };
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["ok"], true, "rejected: {line}");
        let n = v["line"].as_u64().unwrap() as usize;
        acked.push(first + n - 1);
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = writer.join();
    acked
}

fn stored_vouchers(db: &Path) -> std::collections::BTreeSet<String> {
    let out = saps(db).args(["export", "--format", "json"]).output().unwrap();
    assert!(
        out.status.success(),
        "export failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["vouchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["voucher_id"].as_str().unwrap().to_string())
        .collect()
}

fn run(rounds: usize, seed: u64) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("saps.db");
    setup(&db);
    let mut rng = seed;
    let mut next = 0;
    let mut acked_total = Vec::new();
    for _ in 0..rounds {
        rng = rng
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let kill_after = 1 + (rng >> 33) as usize % 40;
        let acked = kill_round(&db, next, kill_after);
        let stored = stored_vouchers(&db);
        for n in &acked {
            let id = format!("V-{n:08}");
            assert!(
                stored.contains(&id),
                "acknowledged {id} is missing after the kill"
            );
        }
        acked_total.extend(acked);
        // Unacknowledged lines may or may not have landed; start past them all.
        next += 10 * kill_after + 50;
    }
    assert!(
        acked_total.len() >= rounds,
        "every round acknowledged at least one line"
    );
}

#[test]
fn killed_exec_keeps_every_acknowledged_line() {
    run(4, 7);
}

#[test]
#[ignore = "long crash run: cargo test --release --test exec_durability -- --ignored"]
fn killed_exec_keeps_every_acknowledged_line_long() {
    run(300, 0x5eed);
}
