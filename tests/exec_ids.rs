//! A line's `"id"` (issue 12 item 8): a line whose id the log holds is not
//! applied again; it answers `ok: true` with the events it recorded the
//! first time and `"already_applied": true`. On sled a file run twice; on
//! PostgreSQL the same, and two real `saps exec` processes racing the same
//! id line: the line is applied once.

mod pg_common;
mod saps_bin;

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

const ADMIN: &str = "gina@contoso.test";

fn id(n: u64) -> String {
    // UUIDv7s of a fixed time, as a script's generator would give.
    format!("01890a5d-ac96-7000-8000-{n:012x}")
}

fn lines() -> Vec<Value> {
    vec![
        json!({"id": id(1), "cmd": "init_partner", "name": "Contoso", "mpn_id": "1234567", "mpn_expires": "2027-03-01", "admin_name": "Gina", "admin_email": ADMIN}),
        json!({"id": id(2), "as": ADMIN, "cmd": "add_customer", "licensing_id": "LIC-1", "name": "One", "planning_days": 10, "agreement_expires": "2027-01-01"}),
        json!({"id": id(3), "as": ADMIN, "cmd": "add_location", "location_id": "NYC", "country": "US"}),
        // Refused: nothing recorded under its id, so it is decided again.
        json!({"id": id(4), "as": ADMIN, "cmd": "add_location", "location_id": "NYC", "country": "US"}),
    ]
}

fn exec_file(db: &str, file: &Path) -> (Option<i32>, Vec<Value>, String) {
    let mut c = saps_bin::saps_plain(Path::new(db));
    c.args(["--now", saps_bin::NOW, "exec"]).arg(file);
    let r = saps_bin::run_cmd(c);
    let answers = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (r.code, answers, r.stderr)
}

fn export(db: &str) -> String {
    let mut c = saps_bin::saps_plain(Path::new(db));
    c.args(["--now", saps_bin::NOW, "export", "--format", "json"]);
    let r = saps_bin::run_cmd(c);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    r.stdout
}

fn write_lines(dir: &Path, lines: &[Value]) -> std::path::PathBuf {
    let file = dir.join("lines.jsonl");
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(&file, text).unwrap();
    file
}

/// A file run twice: the second run applies nothing and says so, line by
/// line, with the events of the first.
fn rerun_applies_nothing(db: &str, dir: &Path) {
    let file = write_lines(dir, &lines());
    let (code, first, err) = exec_file(db, &file);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        first[..3]
            .iter()
            .all(|a| a["ok"] == true && a.get("already_applied").is_none()),
        "{first:?}"
    );
    assert_eq!(first[3]["code"], "already_exists", "{first:?}");
    let before = export(db);
    let (code, again, err) = exec_file(db, &file);
    assert_eq!(code, Some(1), "{err}");
    for n in 0..3 {
        assert_eq!(again[n]["ok"], true, "{again:?}");
        assert_eq!(again[n]["already_applied"], true, "{again:?}");
        assert_eq!(again[n]["events"], first[n]["events"], "line {}", n + 1);
    }
    assert_eq!(again[3]["code"], "already_exists", "{again:?}");
    assert_eq!(export(db), before, "nothing was applied twice");

    // The same id twice in one run, and a line after a crash re-sent with
    // another line: only the new one is applied.
    let more = vec![
        json!({"id": id(5), "as": ADMIN, "cmd": "add_customer", "licensing_id": "LIC-2", "name": "Two", "planning_days": 5, "agreement_expires": "2027-01-01"}),
        json!({"id": id(5), "as": ADMIN, "cmd": "add_customer", "licensing_id": "LIC-2", "name": "Two", "planning_days": 5, "agreement_expires": "2027-01-01"}),
        lines()[1].clone(),
    ];
    let file = write_lines(dir, &more);
    let (code, answers, err) = exec_file(db, &file);
    assert_eq!(code, Some(0), "{err}: {answers:?}");
    assert!(answers[0].get("already_applied").is_none(), "{answers:?}");
    assert_eq!(answers[1]["already_applied"], true, "{answers:?}");
    assert_eq!(answers[1]["events"], answers[0]["events"]);
    assert_eq!(answers[2]["already_applied"], true, "{answers:?}");
    let state: Value = serde_json::from_str(&export(db)).unwrap();
    assert_eq!(state["customers"].as_array().unwrap().len(), 2);
}

#[test]
fn a_file_run_again_on_sled_applies_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ids.db");
    rerun_applies_nothing(db.to_str().unwrap(), dir.path());
}

#[test]
fn a_file_run_again_on_postgres_applies_nothing_twice() {
    let Some(pg) = pg_common::fresh() else { return };
    let dir = tempfile::tempdir().unwrap();
    rerun_applies_nothing(&pg.url(), dir.path());
}

#[test]
fn an_id_that_is_not_a_uuid_v7_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ids.db");
    let mut bad = lines()[..1].to_vec();
    for (i, v) in [
        json!("not-a-uuid"),
        json!("6ba7b810-9dad-41d1-80b4-00c04fd430c8"),
        json!(7),
    ]
    .into_iter()
    .enumerate()
    {
        bad.push(json!({"id": v, "as": ADMIN, "cmd": "add_location", "location_id": format!("L{i}"), "country": "US"}));
    }
    let file = write_lines(dir.path(), &bad);
    let (code, answers, _) = exec_file(db.to_str().unwrap(), &file);
    assert_eq!(code, Some(1));
    assert_eq!(answers[0]["ok"], true);
    for a in &answers[1..] {
        assert_eq!(a["code"], "invalid_input", "{a}");
        assert!(
            a["message"]
                .as_str()
                .unwrap()
                .starts_with("id: expected a UUIDv7"),
            "{a}"
        );
    }
    assert!(
        answers[2]["message"].as_str().unwrap().contains("version 4"),
        "{}",
        answers[2]
    );
}

/// Two `saps exec -` processes on one PostgreSQL database, both sent the
/// same id line at the same moment: one applies it, the other answers
/// with the events it recorded, already applied; the log holds them once.
#[test]
fn two_processes_racing_one_id_line_on_postgres_apply_it_once() {
    let Some(pg) = pg_common::fresh() else { return };
    let url = pg.url();
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = exec_file(&url, &write_lines(dir.path(), &lines()[..1]));
    assert_eq!(code, Some(0), "{err}");
    let events = |client: &mut postgres::Client| -> i64 {
        client
            .query_one("SELECT count(*) FROM saps.events", &[])
            .unwrap()
            .get(0)
    };
    let mut client = pg.owner_client();
    let before = events(&mut client);
    let start = || {
        let mut c = Command::new(env!("CARGO_BIN_EXE_saps"));
        c.args(["--db", &url, "--now", saps_bin::NOW, "exec", "-"])
            .env_remove("SAPS_DB")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let mut child = c.spawn().unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        (child, stdin, stdout)
    };
    let mut racers = [start(), start()];
    const ROUNDS: u64 = 12;
    for round in 0..ROUNDS {
        let line = json!({"id": id(100 + round), "as": ADMIN, "cmd": "add_customer", "licensing_id": format!("RACE-{round}"), "name": "Race", "planning_days": 3, "agreement_expires": "2027-01-01"});
        for (_, stdin, _) in racers.iter_mut() {
            writeln!(stdin, "{line}").unwrap();
            stdin.flush().unwrap();
        }
        let answers: Vec<Value> = racers
            .iter_mut()
            .map(|(_, _, out)| {
                let mut text = String::new();
                out.read_line(&mut text).unwrap();
                serde_json::from_str(&text).unwrap_or_else(|_| panic!("answered {text:?}"))
            })
            .collect();
        assert!(
            answers.iter().all(|a| a["ok"] == true),
            "round {round}: {answers:?}"
        );
        let replayed = answers.iter().filter(|a| a["already_applied"] == true).count();
        assert_eq!(
            replayed, 1,
            "round {round}: one applies it, one finds it applied: {answers:?}"
        );
        assert_eq!(answers[0]["events"], answers[1]["events"], "round {round}");
    }
    for (mut child, stdin, _) in racers {
        drop(stdin);
        assert!(child.wait().unwrap().success());
    }
    assert_eq!(
        events(&mut client),
        before + ROUNDS as i64,
        "every race's line is in the log once"
    );
    let check = saps_bin::run_cmd({
        let mut c = saps_bin::saps_plain(Path::new(&url));
        c.args(["--now", saps_bin::NOW, "check"]);
        c
    });
    assert_eq!(check.code, Some(0), "{}{}", check.stdout, check.stderr);
}

fn event_ids(db: &str) -> Vec<(u64, uuid::Uuid)> {
    let store = saps::store::open(Path::new(db)).unwrap();
    let mut out = Vec::new();
    store.for_each_event(&mut |r| out.push((r.seq, r.id))).unwrap();
    out
}

fn ok(db: &str, args: &[&str]) {
    let run = || {
        let mut c = saps_bin::saps_plain(Path::new(db));
        c.args(["--now", saps_bin::NOW]).args(args);
        saps_bin::run_cmd(c)
    };
    let mut r = run();
    // A sled database just closed in this process stays locked until
    // sled's flusher thread ends (a few milliseconds).
    for _ in 0..100 {
        if !r.stderr.contains("is open in another saps") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        r = run();
    }
    assert_eq!(r.code, Some(0), "{args:?}: {}", r.stderr);
}

/// The ids move with the events: sled → PostgreSQL → sled keeps every
/// event's id, and a file run before the move is recognised after it.
#[test]
fn ids_move_with_backups_between_the_stores() {
    let Some(pg) = pg_common::fresh() else { return };
    let dir = tempfile::tempdir().unwrap();
    let sled = dir.path().join("ids.db");
    let sled = sled.to_str().unwrap();
    let file = write_lines(dir.path(), &lines());
    exec_file(sled, &file);
    let ids = event_ids(sled);
    assert!(ids.len() > 3 && ids.iter().all(|(_, id)| saps::domain::ids::is_v7(id)));
    let (one, two) = (dir.path().join("1.sapsbak"), dir.path().join("2.sapsbak"));
    ok(sled, &["backup", one.to_str().unwrap()]);
    let url = pg.url();
    ok(&url, &["restore", one.to_str().unwrap()]);
    assert_eq!(event_ids(&url), ids, "PostgreSQL keeps sled's ids");
    let (_, again, _) = exec_file(&url, &file);
    assert!(
        again[..3].iter().all(|a| a["already_applied"] == true),
        "{again:?}"
    );
    ok(&url, &["backup", two.to_str().unwrap()]);
    let back = dir.path().join("back.db");
    ok(back.to_str().unwrap(), &["restore", two.to_str().unwrap()]);
    assert_eq!(event_ids(back.to_str().unwrap()), ids, "and back on sled");
}

/// Only a given id is looked up again, so only given ids are filed: lines
/// without `"id"` add no entry to sled's `ids` tree (one an event doubled
/// the pages sled reads on open), a line with one adds one, found by it.
#[test]
fn only_given_ids_are_filed_for_looking_up() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db_s = db.to_str().unwrap();
    let plain: Vec<Value> = lines()
        .into_iter()
        .take(3)
        .map(|mut l| {
            l.as_object_mut().unwrap().remove("id");
            l
        })
        .collect();
    let (code, _, err) = exec_file(db_s, &write_lines(dir.path(), &plain));
    assert_eq!(code, Some(0), "{err}");
    let given =
        [json!({"id": id(9), "as": ADMIN, "cmd": "add_location", "location_id": "SEA", "country": "US"})];
    let (code, _, err) = exec_file(db_s, &write_lines(dir.path(), &given));
    assert_eq!(code, Some(0), "{err}");
    let store = saps::store::Store::open(&db).unwrap();
    let filed = store.raw_entries(saps::store::keys::IDS.as_bytes()).unwrap();
    let events = store.events().unwrap();
    // init_partner records the partner and its admin: 4 events, then 1.
    assert_eq!(events.len(), 5);
    assert_eq!(filed.len(), 1, "one given id filed, not one per event");
    let want: uuid::Uuid = id(9).parse().unwrap();
    assert_eq!(filed[0].0, want.as_bytes().to_vec());
    assert_eq!(store.seq_of(want).unwrap(), Some(5));
    assert!(
        events
            .iter()
            .take(4)
            .all(|r| !r.id_given && store.seq_of(r.id).unwrap().is_none())
    );
}
