//! Races between real `saps exec` processes on one PostgreSQL database.
//!
//! Four processes stay open for the whole test, as four admins at four
//! desks would: two team members on their own logins (acting as
//! themselves) and two on the owner's connection (acting as other admins).
//! Each case of a round is one line sent to all four at the same moment
//! (their stdin is the barrier: every process is connected and idle, having
//! answered the line before, when the case's lines go out); the test reads
//! the four answers, then the next case goes. After every round it checks
//! the program's invariants from the database itself: `saps export`, `saps
//! check`, and the event log read with SQL.

mod pg_common;

use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

const GINA: &str = "gina@contoso.test";
const PAUL: &str = "paul@contoso.test";
const QUINN: &str = "quinn@contoso.test";
const RITA: &str = "rita@contoso.test";
const ANA: &str = "ana@contoso.test";
const PM: &str = "pm@fabrikam.test";
/// Rounds of every case: enough that a lost update would show.
const ROUNDS: usize = 8;
/// A pool customer's days; each racer asks for `ASK` of them.
const POOL: i64 = 12;
const ASK: i64 = 5;

fn saps(url: &str, now: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_saps"));
    c.args(["--db", url, "--now", now]).env_remove("SAPS_DB");
    c
}

/// `saps exec -` fed `lines` at once: the answers.
fn exec_all(url: &str, lines: &[Value]) -> Vec<Value> {
    let mut child = saps(url, "2024-03-01")
        .args(["exec", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("saps runs");
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let answers: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or(Value::Null))
        .collect();
    for (line, answer) in lines.iter().zip(&answers) {
        assert_eq!(answer["ok"], true, "setup line {line}: {answer}");
    }
    assert_eq!(
        answers.len(),
        lines.len(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    answers
}

/// One open `saps exec -`, answering a line at a time.
struct Racer {
    name: String,
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Racer {
    fn start(name: &str, url: &str, as_: Option<&str>) -> Racer {
        let mut cmd = saps(url, "2024-03-01");
        if let Some(a) = as_ {
            cmd.args(["--as", a]);
        }
        let mut child = cmd
            .args(["exec", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("saps runs");
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Racer {
            name: name.to_owned(),
            child,
            stdin,
            stdout,
        }
    }

    fn send(&mut self, line: &Value) {
        writeln!(self.stdin, "{line}").unwrap();
        self.stdin.flush().unwrap();
    }

    fn answer(&mut self) -> Value {
        let mut text = String::new();
        self.stdout.read_line(&mut text).unwrap();
        serde_json::from_str(&text)
            .unwrap_or_else(|_| panic!("{} answered {text:?} (did it stop?)", self.name))
    }
}

/// Sends each racer its line at the same moment, then reads every answer.
fn race(racers: &mut [Racer], lines: &[Value]) -> Vec<Value> {
    for (r, l) in racers.iter_mut().zip(lines) {
        r.send(l);
    }
    racers.iter_mut().map(Racer::answer).collect()
}

/// The racers' answers, the one(s) accepted and the codes of the others.
fn split(answers: &[Value]) -> (Vec<usize>, BTreeSet<String>) {
    let ok = (0..answers.len()).filter(|&i| answers[i]["ok"] == true).collect();
    let codes = answers
        .iter()
        .filter(|a| a["ok"] != true)
        .map(|a| a["code"].as_str().unwrap_or("?").to_owned())
        .collect();
    (ok, codes)
}

fn assert_one_won(case: &str, answers: &[Value], code: &str) -> usize {
    let (ok, codes) = split(answers);
    assert_eq!(ok.len(), 1, "{case}: exactly one racer wins: {answers:?}");
    assert_eq!(
        codes,
        BTreeSet::from([code.to_owned()]),
        "{case}: the others are refused with {code}: {answers:?}"
    );
    ok[0]
}

fn setup(url: &str) {
    let mut lines = vec![
        json!({"cmd": "init_partner", "name": "Contoso", "mpn_id": "1234567", "mpn_expires": "2026-03-01", "admin_name": "Gina", "admin_email": GINA}),
    ];
    for (email, role) in [
        (PAUL, "partner_admin"),
        (QUINN, "partner_admin"),
        (RITA, "partner_admin"),
        (ANA, "consultant"),
    ] {
        lines.push(json!({"as": GINA, "cmd": "add_user", "email": email, "name": email, "role": role}));
    }
    lines.extend([
        json!({"as": GINA, "cmd": "add_location", "location_id": "NYC", "country": "US"}),
        json!({"as": GINA, "cmd": "add_competency", "competency": "Windows and Devices", "level": "gold", "expires": "2026-03-01"}),
        json!({"as": GINA, "cmd": "record_exam", "consultant": ANA, "exam": "MD-100", "competency": "Windows and Devices", "passed_on": "2024-01-15"}),
        json!({"as": GINA, "cmd": "enroll", "offering": "DDPS", "accept_agreement": true, "policies_reviewed": true}),
        json!({"as": GINA, "cmd": "update_profile", "description": "Contoso plans deployments.", "locations": ["NYC"]}),
        json!({"as": GINA, "cmd": "publish_profile"}),
        json!({"as": GINA, "cmd": "add_customer", "licensing_id": "LIC-BIG", "name": "Big", "planning_days": 10000, "agreement_expires": "2026-11-26"}),
    ]);
    exec_all(url, &lines);
}

/// The lines that take `id` (one day of LIC-BIG) from received to
/// delivered, its report submitted.
fn delivered(id: &str, deliverable: &str) -> Vec<Value> {
    vec![
        json!({"at": "2024-03-02", "as": GINA, "cmd": "receive_voucher", "voucher_id": id, "customer": "LIC-BIG", "offering": "DDPS", "days": 1, "created_on": "2024-03-01", "admin_email": PM}),
        reserve(id, GINA),
        json!({"at": "2024-03-16", "as": ANA, "cmd": "save_report_draft", "voucher_id": id, "delivered_start": "2024-03-15", "delivered_end": "2024-03-15", "onsite_days": 1, "offsite_days": 0, "walk_on_hours": 0, "deliverable_kind": "Deployment Plan", "deliverable_path": deliverable, "summary": "Planned.", "next_steps": "Pilot", "customer_contact": PM, "customer_accepted": true}),
        json!({"at": "2024-03-16", "as": ANA, "cmd": "submit_report", "voucher_id": id}),
    ]
}

fn reserve(id: &str, who: &str) -> Value {
    json!({"at": "2024-03-03", "as": who, "cmd": "reserve_voucher", "voucher_id": id, "admin_email": PM, "engagement": "windows-office-deployment", "location_id": "NYC", "country": "US", "start": "2024-03-15", "end": "2024-03-15", "consultants": [ANA], "accept_terms": true})
}

fn redeem(ids: &[&str], who: &str) -> Value {
    json!({"at": "2024-03-17", "as": who, "cmd": "redeem", "voucher_ids": ids})
}

fn request(id: &str, invoice: &str, who: &str) -> Value {
    json!({"at": "2024-03-18", "as": who, "cmd": "request_payment", "voucher_id": id, "invoice_number": invoice})
}

fn paid(id: &str, reference: &str, who: &str) -> Value {
    json!({"at": "2024-04-30", "as": who, "cmd": "record_payment", "voucher_id": id, "outcome": "paid", "reference": reference})
}

/// Round `r`'s vouchers, set up by the owner: `A` validated (to reserve),
/// `B` delivered (to redeem), `C` and `D1`..`D4` redeemed (to request
/// payment), `E` invoiced (to record its payment); and the customer `P`
/// with a pool of [`POOL`] days.
fn prepare_round(url: &str, r: usize, deliverable: &str) {
    let v = |s: &str| format!("RACE{r}-{s}");
    let mut lines = vec![
        json!({"as": GINA, "cmd": "add_customer", "licensing_id": v("P"), "name": v("P"), "planning_days": POOL, "agreement_expires": "2026-11-26"}),
        json!({"at": "2024-03-02", "as": GINA, "cmd": "receive_voucher", "voucher_id": v("A"), "customer": "LIC-BIG", "offering": "DDPS", "days": 1, "created_on": "2024-03-01", "admin_email": PM}),
        json!({"at": "2024-03-03", "as": GINA, "cmd": "validate_voucher", "voucher_id": v("A"), "admin_email": PM}),
    ];
    let later = ["B", "C", "D1", "D2", "D3", "D4", "E"].map(v);
    for id in &later {
        lines.extend(delivered(id, deliverable));
    }
    let redeemed: Vec<&str> = later[1..].iter().map(String::as_str).collect();
    lines.push(redeem(&redeemed, GINA));
    if r == 0 {
        lines.push(json!({"at": "2024-03-17", "as": GINA, "cmd": "register_savb", "offering": "DDPS"}));
    }
    lines.push(request(&v("E"), &v("INV-E"), GINA));
    exec_all(url, &lines);
}

fn export(url: &str) -> Value {
    let out = saps(url, "2024-05-01")
        .args(["export", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("the export is JSON")
}

fn check_is_clean(url: &str) {
    let out = saps(url, "2024-05-01").args(["check"]).output().unwrap();
    assert!(
        out.status.success(),
        "saps check: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// How many events of each kind the audit trail holds about `id`.
fn events_of(audit: &[Value], id: &str) -> BTreeMap<String, usize> {
    let mut n = BTreeMap::new();
    for e in audit {
        let Some((kind, fields)) = e["event"].as_object().and_then(|o| o.iter().next()) else {
            continue;
        };
        if fields.to_string().contains(&format!("\"{id}\"")) {
            *n.entry(kind.clone()).or_default() += 1;
        }
    }
    n
}

fn voucher<'a>(export: &'a Value, id: &str) -> &'a Value {
    export["vouchers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["voucher_id"] == id)
        .unwrap_or_else(|| panic!("voucher {id} is in the export"))
}

/// The log's seqs, read with SQL: 1, 2, ... n, in order, times never
/// going back.
fn log_is_gap_free(db: &pg_common::TestDb) -> i64 {
    let mut c = db.owner_client();
    let rows = c
        .query("SELECT seq, at FROM saps.events ORDER BY seq", &[])
        .unwrap();
    for (i, row) in rows.iter().enumerate() {
        let seq: i64 = row.get(0);
        assert_eq!(seq, i as i64 + 1, "the event seq is gap-free");
    }
    rows.len() as i64
}

#[test]
fn racing_processes_never_break_an_invariant() {
    let Some(db) = pg_common::fresh() else { return };
    let owner = db.url();
    let dir = tempfile::tempdir().unwrap();
    let deliverable = dir.path().join("plan.pdf");
    std::fs::write(&deliverable, b"%PDF-1.4 the plan").unwrap();
    let deliverable = deliverable.display().to_string();
    setup(&owner);
    let members = [db.member(PAUL), db.member(QUINN)];
    // Who races: two members on their own logins, two admins on the owner's.
    let who = [PAUL, QUINN, GINA, RITA];
    let mut racers = vec![
        Racer::start("paul (member)", &members[0], None),
        Racer::start("quinn (member)", &members[1], None),
        Racer::start("gina (owner)", &owner, Some(GINA)),
        Racer::start("rita (owner)", &owner, Some(RITA)),
    ];
    let each = |f: &dyn Fn(usize, &str) -> Value| -> Vec<Value> {
        who.iter().enumerate().map(|(i, w)| f(i, w)).collect()
    };
    let mut invoices_seen = 0;
    for r in 0..ROUNDS {
        prepare_round(&owner, r, &deliverable);
        let v = |s: &str| format!("RACE{r}-{s}");
        // The barrier: every racer answers a refused line (nothing to
        // commit), so all four are connected and idle.
        let warm =
            each(&|_, _| json!({"cmd": "validate_voucher", "voucher_id": "NOPE-000", "admin_email": PM}));
        for a in race(&mut racers, &warm) {
            assert_eq!(a["code"], "not_found", "{a}");
        }

        let reserved = race(&mut racers, &each(&|_, w| reserve(&v("A"), w)));
        assert_one_won("reserve", &reserved, "invalid_transition");
        let redeemed = race(&mut racers, &each(&|_, w| redeem(&[&v("B")], w)));
        assert_one_won("redeem", &redeemed, "invalid_transition");
        let requested = race(
            &mut racers,
            &each(&|i, w| request(&v("C"), &format!("{}-{i}", v("INV-C")), w)),
        );
        let c_won = assert_one_won("request payment", &requested, "invalid_transition");
        let one_number = race(
            &mut racers,
            &each(&|i, w| request(&v(&format!("D{}", i + 1)), &v("INV-D"), w)),
        );
        let d_won = assert_one_won("one invoice number", &one_number, "duplicate_invoice");
        let payments = race(
            &mut racers,
            &each(&|i, w| paid(&v("E"), &format!("PAY-{r}-{i}"), w)),
        );
        assert_one_won("record payment", &payments, "invalid_transition");
        let pool = race(
            &mut racers,
            &each(
                &|i, w| json!({"at": "2024-03-02", "as": w, "cmd": "receive_voucher", "voucher_id": v(&format!("P{i}")), "customer": v("P"), "offering": "DDPS", "days": ASK, "created_on": "2024-03-01", "admin_email": PM}),
            ),
        );
        let (pool_ok, pool_codes) = split(&pool);
        assert_eq!(
            pool_ok.len() as i64,
            POOL / ASK,
            "as many as the pool holds are accepted: {pool:?}"
        );
        assert_eq!(
            pool_codes,
            BTreeSet::from(["insufficient_days".to_owned()]),
            "{pool:?}"
        );

        // The invariants, from the database.
        let x = export(&owner);
        let audit = x["audit"].as_array().unwrap();
        let seqs: Vec<i64> = audit.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
        assert_eq!(
            seqs,
            (1..=seqs.len() as i64).collect::<Vec<_>>(),
            "the audit's seqs"
        );
        assert_eq!(log_is_gap_free(&db), seqs.len() as i64, "the log is the audit");
        check_is_clean(&owner);

        assert_eq!(voucher(&x, &v("A"))["status"], "reserved");
        assert_eq!(voucher(&x, &v("B"))["status"], "redeemed");
        assert_eq!(voucher(&x, &v("C"))["status"], "invoiced");
        assert_eq!(voucher(&x, &v("E"))["status"], "paid");
        for (id, kind) in [
            ("A", "voucher_reserved"),
            ("B", "voucher_redeemed"),
            ("C", "payment_requested"),
            ("E", "payment_recorded"),
        ] {
            let n = events_of(audit, &v(id));
            assert_eq!(n.get(kind), Some(&1), "round {r}: {id} has one {kind}: {n:?}");
            assert!(
                n.values().all(|c| *c == 1),
                "round {r}: {id}'s events are each recorded once: {n:?}"
            );
        }
        let c = voucher(&x, &v("C")).to_string();
        assert!(
            c.contains(&format!("{}-{c_won}", v("INV-C"))),
            "C's invoice is the winner's: {c}"
        );
        for i in 0..4 {
            let d = voucher(&x, &v(&format!("D{}", i + 1)));
            let status = if i == d_won { "invoiced" } else { "redeemed" };
            assert_eq!(d["status"], status, "{d}");
        }
        let mut numbers = BTreeSet::new();
        let vouchers = x["vouchers"].as_array().unwrap();
        let invoiced: Vec<String> = vouchers
            .iter()
            .filter_map(|v| v["invoice"]["invoice_number"].as_str().map(str::to_uppercase))
            .collect();
        for n in &invoiced {
            assert!(
                numbers.insert(n.clone()),
                "invoice number {n} used once: {invoiced:?}"
            );
        }
        invoices_seen += 3;
        assert_eq!(invoiced.len(), invoices_seen, "one invoice per winning request");

        let customer = x["customers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["licensing_id"] == v("P"))
            .unwrap();
        let taken: i64 = vouchers
            .iter()
            .filter(|x| x["customer"] == v("P"))
            .map(|x| x["days"].as_i64().unwrap())
            .sum();
        let remaining = customer["remaining_days"].as_i64().unwrap();
        assert!(remaining >= 0 && taken <= POOL, "{customer}: {taken} days taken");
        assert_eq!(remaining, POOL - taken, "{customer}");
    }
    for Racer {
        name,
        mut child,
        stdin,
        ..
    } in racers
    {
        drop(stdin);
        let code = child.wait().unwrap().code();
        assert_eq!(code, Some(1), "{name} ends saying some lines were refused");
    }
}

/// Eight busy writers, each sending its next line as soon as the last is
/// answered: every commit conflicts with the others on the log, and none
/// may be starved out of its retries (the run stopping with "not saved").
#[test]
fn eight_busy_writers_all_get_through() {
    let Some(db) = pg_common::fresh() else { return };
    let owner = db.url();
    setup(&owner);
    exec_all(
        &owner,
        &[
            json!({"as": GINA, "cmd": "add_customer", "licensing_id": "LIC-POOL", "name": "Pool", "planning_days": 100, "agreement_expires": "2026-11-26"}),
        ],
    );
    const WRITERS: usize = 8;
    const LINES: usize = 15;
    let before = log_is_gap_free(&db) as usize;
    let mut racers: Vec<Racer> = (0..WRITERS)
        .map(|n| Racer::start(&format!("writer {n}"), &owner, Some(GINA)))
        .collect();
    let answers: Vec<Value> = std::thread::scope(|s| {
        let handles: Vec<_> = racers
            .iter_mut()
            .enumerate()
            .map(|(n, r)| {
                s.spawn(move || {
                    (0..LINES)
                        .map(|i| {
                            let customer = if i % 2 == 0 { "LIC-POOL" } else { "LIC-BIG" };
                            r.send(&json!({"at": "2024-03-02", "cmd": "receive_voucher", "voucher_id": format!("BUSY{n}-{i:03}"), "customer": customer, "offering": "DDPS", "days": 1, "created_on": "2024-03-01", "admin_email": PM}));
                            r.answer()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(answers.len(), WRITERS * LINES);
    for a in &answers {
        assert_eq!(a["ok"], true, "{a}");
    }
    for Racer {
        name,
        mut child,
        stdin,
        ..
    } in racers
    {
        drop(stdin);
        assert_eq!(child.wait().unwrap().code(), Some(0), "{name}");
    }
    assert_eq!(log_is_gap_free(&db) as usize, before + WRITERS * LINES);
    check_is_clean(&owner);
}

/// Racers committing on *different* customers (each its own) and on the
/// *same* one (a shared pool that runs out), every line sent as soon as
/// the last is answered. Commits on different customers do not collide
/// (their events are numbered after each other's at commit time); those on
/// the shared pool do, and are decided again. Afterwards: every own line
/// accepted, the shared pool used up exactly and never below zero, every
/// customer's ledger equal to its vouchers' days, the log gap-free and each
/// answer's seqs those of its events in the log.
#[test]
fn racing_on_different_and_same_customers_keeps_every_pool_and_ledger() {
    let Some(db) = pg_common::fresh() else { return };
    let owner = db.url();
    setup(&owner);
    const RACERS: usize = 4;
    const LINES: usize = 12;
    const SHARED: i64 = 15;
    let mut lines = vec![
        json!({"as": GINA, "cmd": "add_customer", "licensing_id": "SHARED", "name": "Shared", "planning_days": SHARED, "agreement_expires": "2026-11-26"}),
    ];
    for n in 0..RACERS {
        lines.push(json!({"as": GINA, "cmd": "add_customer", "licensing_id": format!("OWN-{n}"), "name": format!("Own {n}"), "planning_days": 100, "agreement_expires": "2026-11-26"}));
    }
    exec_all(&owner, &lines);
    let members = [db.member(PAUL), db.member(QUINN)];
    let mut racers = vec![
        Racer::start("paul (member)", &members[0], None),
        Racer::start("quinn (member)", &members[1], None),
        Racer::start("gina (owner)", &owner, Some(GINA)),
        Racer::start("rita (owner)", &owner, Some(RITA)),
    ];
    let answers: Vec<(Value, Value)> = std::thread::scope(|s| {
        let handles: Vec<_> = racers
            .iter_mut()
            .enumerate()
            .map(|(n, r)| {
                s.spawn(move || {
                    (0..LINES)
                        .map(|i| {
                            // Own customer on even lines (3 days), the shared one on odd (1 day).
                            let (customer, days) = if i % 2 == 0 {
                                (format!("OWN-{n}"), 3)
                            } else {
                                ("SHARED".to_owned(), 1)
                            };
                            let line = json!({"at": "2024-03-02", "cmd": "receive_voucher", "voucher_id": format!("MIX{n}-{i:03}"), "customer": customer, "offering": "DDPS", "days": days, "created_on": "2024-03-01", "admin_email": PM});
                            r.send(&line);
                            (line, r.answer())
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let mut shared_ok = 0;
    for (line, a) in &answers {
        if line["customer"] == "SHARED" {
            if a["ok"] == true {
                shared_ok += 1;
            } else {
                assert_eq!(a["code"], "insufficient_days", "{line}: {a}");
            }
        } else {
            assert_eq!(
                a["ok"], true,
                "a line on its own customer goes through: {line}: {a}"
            );
        }
    }
    assert_eq!(shared_ok, SHARED, "the shared pool is used up exactly");

    let x = export(&owner);
    let audit = x["audit"].as_array().unwrap();
    assert_eq!(log_is_gap_free(&db), audit.len() as i64, "the log is the audit");
    check_is_clean(&owner);
    // Each answer's events are the log's at the seqs it names.
    let mut seen = BTreeSet::new();
    for (line, a) in answers.iter().filter(|(_, a)| a["ok"] == true) {
        for e in a["events"].as_array().unwrap() {
            let seq = e["seq"].as_i64().unwrap();
            assert!(seen.insert(seq), "seq {seq} answered once");
            let logged = &audit[seq as usize - 1];
            assert_eq!(logged["seq"], seq);
            assert_eq!(
                logged["event"], e["event"],
                "{line}: the log's event {seq} is the answer's"
            );
        }
    }
    for c in x["customers"].as_array().unwrap() {
        let id = c["licensing_id"].as_str().unwrap();
        let taken: i64 = x["vouchers"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["customer"] == id)
            .map(|v| v["days"].as_i64().unwrap())
            .sum();
        let (pool, remaining) = (
            c["planning_days"].as_i64().unwrap(),
            c["remaining_days"].as_i64().unwrap(),
        );
        assert!(remaining >= 0, "{c}");
        assert_eq!(
            remaining,
            pool - taken,
            "{id}'s ledger is its vouchers' days: {c}"
        );
        if id.starts_with("OWN-") {
            assert_eq!(taken, 3 * (LINES as i64 / 2), "{c}");
        }
    }
    for Racer { mut child, stdin, .. } in racers {
        drop(stdin);
        child.wait().unwrap();
    }
}
