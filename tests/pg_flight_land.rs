//! How a batch sent to be committed on another thread lands
//! (`src/session/flight.rs`), step by step on the session against a real
//! server: another writer's event lands first, so the batch lands after
//! it; what its lines are told is what the log holds, whatever fails
//! after it landed.

mod pg_common;

use chrono::{TimeZone, Utc};
use saps::domain::{Catalog, Recorded};
use saps::exec::parse_request;
use saps::session::{Landed, Request, Session};
use saps::settings::Settings;
use saps::store::postgres::PgStore;
use serde_json::{Value, json};
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const GINA: &str = "gina@contoso.test";
const PM: &str = "pm@fabrikam.test";

fn request(line: Value) -> Request {
    let settings = Settings {
        db: "unused".into(),
        actor: None,
        now: Some(Utc.with_ymd_and_hms(2024, 3, 2, 12, 0, 0).unwrap()),
        catalog: None,
        rates: None,
    };
    parse_request(&line.to_string(), &settings).unwrap_or_else(|r| panic!("{r:?}"))
}

fn receive(id: &str, customer: &str) -> Value {
    json!({"as": GINA, "cmd": "receive_voucher", "voucher_id": id, "customer": customer, "offering": "DDPS", "days": 1, "created_on": "2024-03-01", "admin_email": PM})
}

/// The partner and two customers, by `saps exec`.
fn setup(url: &str) {
    let mut text = json!({"cmd": "init_partner", "name": "Contoso", "mpn_id": "1234567", "mpn_expires": "2026-03-01", "admin_name": "Gina", "admin_email": GINA}).to_string() + "\n";
    for c in ["A", "B"] {
        text += &(json!({"as": GINA, "cmd": "add_customer", "licensing_id": c, "name": c, "planning_days": 10_000, "agreement_expires": "2026-11-26"}).to_string() + "\n");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_saps"))
        .args(["--db", url, "exec", "-"])
        .env_remove("SAPS_DB")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child.stdin.take().unwrap().write_all(text.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}

fn session(url: &str) -> Session {
    Session::open(Arc::new(PgStore::open(url).unwrap()), Catalog::builtin()).unwrap()
}

/// Each event told is in the log at the seq it was told.
fn in_log(db: &pg_common::TestDb, events: &[Recorded]) {
    let mut owner = db.owner_client();
    for r in events {
        let seq: i64 = owner
            .query_one("SELECT seq FROM saps.events WHERE id = $1", &[&r.id])
            .unwrap()
            .get(0);
        assert_eq!(seq as u64, r.seq, "event {} told at {}", r.id, r.seq);
    }
}

/// Another writer's event first; the batch sent lands after it, and the
/// read that deciding the next batch again needs then fails: the batch
/// that landed is still told, with its seqs; the next one is not saved.
#[test]
fn a_batch_landed_after_others_is_told_even_when_the_next_cannot_be_decided_again() {
    let Some(db) = pg_common::fresh() else { return };
    let url = db.url();
    setup(&url);
    let mut a = session(&url);
    a.stage(request(receive("VOUCH-1", "A"))).unwrap();
    session(&url)
        .run(request(receive("VOUCH-2", "B")))
        .unwrap()
        .unwrap();
    assert!(a.may_send());
    a.send().unwrap();
    a.stage(request(receive("VOUCH-3", "A"))).unwrap();
    // The organisation cannot be read any more: the next batch's fresh
    // read fails.
    db.owner_client()
        .execute("UPDATE saps.org SET value = '\\x00ff'", &[])
        .unwrap();
    let landed = a.land();
    let Ok(Landed::Alone(outcomes)) = landed else {
        panic!("the batch landed, so it is told: {:?}", landed.err());
    };
    assert_eq!(outcomes.len(), 1);
    let events = outcomes[0].0.as_ref().unwrap();
    in_log(&db, events);
    assert!(
        a.commit().is_err(),
        "the next batch is not decided on what it cannot read"
    );
}

/// A line id twice in one batch, that batch landing after another
/// writer's event: both lines are told the seqs the log gives the events.
#[test]
fn an_id_twice_in_a_batch_landing_after_others_tells_the_seqs_it_landed_at() {
    let Some(db) = pg_common::fresh() else { return };
    let url = db.url();
    setup(&url);
    let mut twice = receive("VOUCH-1", "A");
    twice["id"] = json!("01890a5d-ac96-7000-8000-00000000beef");
    for send in [false, true] {
        let mut a = session(&url);
        a.stage(request(twice.clone())).unwrap();
        a.stage(request(twice.clone())).unwrap();
        session(&url)
            .run(request(receive(&format!("VOUCH-2{send}"), "B")))
            .unwrap()
            .unwrap();
        let outcomes: Vec<_> = if send {
            a.send().unwrap();
            match a.land().unwrap() {
                Landed::Alone(o) => o.into_iter().map(|(o, _)| o).collect(),
                Landed::WithStaged(..) => panic!("nothing else touched A"),
            }
        } else {
            a.commit().unwrap()
        };
        assert_eq!(outcomes.len(), 2);
        let (first, again) = (outcomes[0].as_ref().unwrap(), outcomes[1].as_ref().unwrap());
        in_log(&db, first);
        assert_eq!(first, again, "the second is the first's events (sent: {send})");
        if !send {
            twice["voucher_id"] = json!("VOUCH-9");
            twice["id"] = json!("01890a5d-ac96-7000-8000-00000000cafe");
        }
    }
}

/// The log's head lock (`commit_sql.rs`'s `HEAD`, "SAPS").
const HEAD: i64 = 0x5341_5053;

/// Waits until `n` sessions wait for an advisory lock.
fn waiting(watch: &mut postgres::Client, n: i64) {
    let until = Instant::now() + Duration::from_secs(60);
    loop {
        let k: i64 = watch
            .query_one(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
                &[],
            )
            .unwrap()
            .get(0);
        if k >= n {
            return;
        }
        assert!(Instant::now() < until, "{k} waiting, not {n}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The file's first group, in flight, loses to another writer's commit on
/// its customer (which waited for the log's head before it), so both of
/// its groups are decided again and saved together; their answers cannot
/// be written: the sentence names every line saved, both groups'.
#[test]
fn a_lost_flight_saved_with_the_next_group_and_not_answered_names_both_groups() {
    let Some(db) = pg_common::fresh() else { return };
    let url = db.url();
    setup(&url);
    let lines: String = (0..2000)
        .map(|i| receive(&format!("FILE-{i:05}"), "A").to_string() + "\n")
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lines.jsonl");
    std::fs::write(&file, lines).unwrap();
    let mut holder = db.owner_client();
    holder.execute("SELECT pg_advisory_lock($1)", &[&HEAD]).unwrap();
    let mut watch = db.owner_client();
    let count = |c: &mut postgres::Client| -> i64 {
        c.query_one("SELECT count(*) FROM saps.events", &[])
            .unwrap()
            .get(0)
    };
    let before = count(&mut watch);
    let mut other = Command::new(env!("CARGO_BIN_EXE_saps"))
        .args(["--db", &url, "--now", "2024-03-02", "exec", "-"])
        .env_remove("SAPS_DB")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let line = receive("OTHER-00001", "A").to_string() + "\n";
    other.stdin.take().unwrap().write_all(line.as_bytes()).unwrap();
    waiting(&mut watch, 1);
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_saps"))
        .args(["--db", &url, "--now", "2024-03-02", "exec"])
        .arg(&file)
        .env_remove("SAPS_DB")
        .stdout(full)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    waiting(&mut watch, 2);
    holder.execute("SELECT pg_advisory_unlock($1)", &[&HEAD]).unwrap();
    assert!(other.wait().unwrap().success());
    let out = run.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("lines 1 to 2000 were applied and saved"),
        "{stderr}"
    );
    assert_eq!(count(&mut watch), before + 1 + 2000, "every line saved");
}

/// A file that is a pipe (`saps exec <(…)`, a FIFO) is read as it is
/// written: a line alone is answered at once, not held until the next
/// one comes or the pipe is closed.
#[test]
fn a_line_alone_on_a_named_pipe_is_answered_before_the_next_comes() {
    let Some(db) = pg_common::fresh() else { return };
    let url = db.url();
    setup(&url);
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("lines");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let mut run = Command::new(env!("CARGO_BIN_EXE_saps"))
        .args(["--db", &url, "--now", "2024-03-02", "exec"])
        .arg(&fifo)
        .env_remove("SAPS_DB")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = run.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufRead::lines(std::io::BufReader::new(stdout)) {
            let _ = tx.send(line.unwrap());
        }
    });
    let mut writer = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    writer
        .write_all((receive("PIPED-00001", "A").to_string() + "\n").as_bytes())
        .unwrap();
    let answer = rx.recv_timeout(Duration::from_secs(20));
    drop(writer);
    let answer: Value =
        serde_json::from_str(&answer.expect("line 1 answered while the pipe is open")).unwrap();
    assert_eq!(answer["line"], 1);
    assert_eq!(answer["ok"], true, "{answer}");
    assert!(run.wait().unwrap().success());
}
