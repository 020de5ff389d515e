//! saps on PostgreSQL against PostgreSQL itself (issue 12 item 7): every
//! figure beside its floor, measured in the same run on the same server.
//!
//! `cargo bench --bench pg` (`SAPS_BENCH_N` lines of bulk intake, default
//! 20,000). The server is the one `SAPS_BENCH_PG` names (a
//! role that may create databases and roles), else a throwaway cluster
//! started as the tests start theirs (`tests/pg_common`: Debian's
//! PostgreSQL, a free loopback port, `fsync=off`; `synchronous_commit` is
//! left at its default, `on`, as saps leaves it, for saps and the floor
//! alike). The floor writes into a twin schema `floor` of the same tables
//! (`CREATE TABLE ... (LIKE saps.x INCLUDING ALL)`: same keys and indexes,
//! no triggers), the very rows saps wrote, read back from saps's tables.
//!
//! 1. Bulk intake: 20,000 `receive_voucher` lines through the real `saps
//!    exec FILE`, vs inserting the same event rows and the same record rows
//!    (each row's final bytes once) in as many transactions as saps
//!    committed (counted by the events' `xmin`), each transaction one
//!    `unnest` insert per table. Run twice on the same database (0 and
//!    20,000 vouchers before), to show how the cost grows with data size.
//! 2. One interactive command: `save_report_draft` through the session
//!    (`Session::run`: read, decide, commit), vs one raw transaction of the
//!    statements it needs: read the voucher, insert the event, upsert the
//!    voucher; medians of alternating runs.
//! 3. Eight clients: eight `saps exec -` processes, each sending 150
//!    `receive_voucher` lines one at a time (waiting for each answer),
//!    three times: each client on its own customer (sharing the
//!    organisation, the log and the counters), then on four shared
//!    customers whose pools run out (so the commands conflict on the
//!    pools), two clients a pool at a time, then all clients on the same
//!    pool at a time; vs eight connections replaying saps's
//!    write transactions (one read of the customer row, then the same
//!    inserts). Throughput is committed transactions per second. At the end
//!    the invariants are checked: `saps check` clean, the log gap-free, no
//!    pool below zero, each pool's days left its days less its vouchers'.
//!    Beside each: the CPU a commit costs, the whole machine's busy time
//!    (`/proc/stat`) over saps's run and over the floor's, divided by the
//!    commits, and how much of saps's the eight `saps` processes and the
//!    bench driving them used (`/proc/PID/stat`).
//!
//! `SAPS_BENCH_ONLY=own` measures only the eight clients on their own
//! customers; `SAPS_BENCH_PER_CLIENT` sets each client's lines (default
//! 150, at least 125).

#[path = "pg_cpu/mod.rs"]
mod cpu;
#[path = "../tests/pg_common/mod.rs"]
mod pg_common;

use postgres::Client;
use saps::domain::command::SaveReportDraft;
use saps::domain::records::ReportFields;
use saps::domain::{Catalog, Command};
use saps::session::{Request, Session};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

const ADMIN: &str = "gina@contoso.test";
const PM: &str = "pm@fabrikam.test";
/// Lines of one bulk intake (`SAPS_BENCH_N`, default 20,000).
fn bulk_n() -> usize {
    std::env::var("SAPS_BENCH_N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20_000)
}
const CLIENTS: usize = 8;
/// Lines each client sends (`SAPS_BENCH_PER_CLIENT`, default 150; at
/// least 125, so that the shared pools run out).
fn per_client() -> usize {
    std::env::var("SAPS_BENCH_PER_CLIENT")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(150)
}
const KV: [&str; 5] = ["org", "customers", "vouchers", "invoices", "\"index\""];

fn saps() -> Process {
    let mut c = Process::new(env!("CARGO_BIN_EXE_saps"));
    c.args(["--now", "2024-03-02"]).env_remove("SAPS_DB");
    c
}

fn main() {
    if let Ok(url) = std::env::var("SAPS_BENCH_PG") {
        // SAFETY: set before any thread is started.
        unsafe { std::env::set_var("SAPS_TEST_PG", url) };
    }
    let Some(db) = pg_common::fresh() else {
        eprintln!("no PostgreSQL: nothing measured");
        return;
    };
    let url = db.url();
    let dir = tempfile::tempdir().unwrap();
    setup(&url);
    let mut owner = db.owner_client();
    twin_schema(&mut owner);
    println!(
        "PostgreSQL bench ({}), load {}",
        server_version(&mut owner),
        load()
    );

    let n = bulk_n();
    // `SAPS_BENCH_ONLY=own`: only the eight clients on their own customers.
    let only_own = std::env::var("SAPS_BENCH_ONLY").is_ok_and(|o| o == "own");
    let rounds: &[&str] = if only_own { &[] } else { &["BULKA", "BULKB"] };
    for (round, prefix) in rounds.iter().enumerate() {
        let before = round * n;
        let (saps_t, floor_t, ntx) = bulk(&url, &mut owner, dir.path(), prefix);
        println!(
            "bulk intake of {n} receive_voucher ({before} vouchers before): saps exec {:.0} ms, floor {:.0} ms in {ntx} transactions: {:.2}x (target <= 2x)",
            ms(saps_t),
            ms(floor_t),
            ratio(saps_t, floor_t)
        );
    }

    if !only_own {
        let (one_saps, one_floor) = one_command(&url, &mut owner);
        println!(
            "one save_report_draft: session {:.2} ms, raw transaction {:.2} ms (medians): {:.2}x (target <= 1.5x)",
            ms(one_saps),
            ms(one_floor),
            ratio(one_saps, one_floor)
        );
    }
    let mixes: &[Mix] = if only_own {
        &[Mix::Own]
    } else {
        &[Mix::Own, Mix::Spread, Mix::Same]
    };
    for &mix in mixes {
        let Run8 {
            saps_tps,
            floor_tps,
            ntx,
            cpu,
        } = clients(&db, &url, &mut owner, mix);
        let how = mix.how();
        println!(
            "{CLIENTS} clients ({how}), {} commands, {ntx} committed: saps {saps_tps:.0} commits/s, floor {floor_tps:.0}/s with {CLIENTS} connections: {:.2}x (target >= 0.6x), 0 invariant violations",
            CLIENTS * per_client(),
            saps_tps / floor_tps
        );
        let [machine, procs, driver, floor] = cpu.map(|c| c * 1000.0 / ntx as f64);
        println!(
            "  CPU per commit, whole machine: saps {machine:.3} ms (its {CLIENTS} processes {procs:.3}, the bench driving them {driver:.3}, the rest, server and kernel, {:.3}); floor {floor:.3} ms",
            machine - procs - driver
        );
    }
    println!("load after: {}", load());
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn server_version(c: &mut Client) -> String {
    c.query_one("SHOW server_version", &[])
        .map(|r| r.get::<_, String>(0))
        .unwrap_or_default()
}

/// `saps exec` of `lines` at once; every line must be accepted.
fn exec(url: &str, lines: &[Value]) {
    let mut child = saps()
        .args(["--db", url, "exec", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}

fn setup(url: &str) {
    let mut lines = vec![
        json!({"cmd": "init_partner", "name": "Contoso", "mpn_id": "1234567", "mpn_expires": "2026-03-01", "admin_name": "Gina", "admin_email": ADMIN}),
        json!({"as": ADMIN, "cmd": "add_user", "email": "ana@contoso.test", "name": "Ana", "role": "consultant"}),
        json!({"as": ADMIN, "cmd": "add_location", "location_id": "NYC", "country": "US"}),
        json!({"as": ADMIN, "cmd": "add_competency", "competency": "Windows and Devices", "level": "gold", "expires": "2026-03-01"}),
        json!({"as": ADMIN, "cmd": "record_exam", "consultant": "ana@contoso.test", "exam": "MD-100", "competency": "Windows and Devices", "passed_on": "2024-01-15"}),
        json!({"as": ADMIN, "cmd": "enroll", "offering": "DDPS", "accept_agreement": true, "policies_reviewed": true}),
        json!({"as": ADMIN, "cmd": "update_profile", "description": "Contoso plans deployments.", "locations": ["NYC"]}),
        json!({"as": ADMIN, "cmd": "publish_profile"}),
    ];
    for c in 0..100 {
        lines.push(json!({"as": ADMIN, "cmd": "add_customer", "licensing_id": format!("LIC-{c:03}"), "name": format!("Customer {c}"), "planning_days": 10_000, "agreement_expires": "2026-11-26"}));
    }
    for prefix in ["POOL", "SPREAD"] {
        for c in 0..4 {
            lines.push(json!({"as": ADMIN, "cmd": "add_customer", "licensing_id": format!("{prefix}-{c}"), "name": format!("{prefix} {c}"), "planning_days": 250, "agreement_expires": "2026-11-26"}));
        }
    }
    exec(url, &lines);
}

/// The schema `floor`: saps's tables without their triggers.
fn twin_schema(c: &mut Client) {
    let mut sql =
        "CREATE SCHEMA floor; CREATE TABLE floor.events (LIKE saps.events INCLUDING ALL);".to_owned();
    for t in KV {
        sql += &format!("CREATE TABLE floor.{t} (LIKE saps.{t} INCLUDING ALL);");
        sql += &format!("INSERT INTO floor.{t} SELECT * FROM saps.{t};");
    }
    sql += "INSERT INTO floor.events SELECT * FROM saps.events;";
    c.batch_execute(&sql).unwrap();
}

type Rows = Vec<(Vec<u8>, Vec<u8>)>;

fn snapshot(c: &mut Client, t: &str) -> HashMap<Vec<u8>, Vec<u8>> {
    c.query(&format!("SELECT key, value FROM saps.{t}"), &[])
        .unwrap()
        .into_iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

/// One transaction's events as saps stored them.
#[derive(Default, Clone)]
struct Events {
    seq: Vec<i64>,
    at: Vec<chrono::DateTime<chrono::Utc>>,
    actor: Vec<String>,
    id: Vec<uuid::Uuid>,
    body: Vec<Vec<u8>>,
}

/// The events after `after`, grouped by the transaction that wrote them.
fn events_by_tx(c: &mut Client, after: i64) -> Vec<Events> {
    let rows = c
        .query(
            "SELECT seq, at, actor, id, body, xmin::text FROM saps.events WHERE seq > $1 ORDER BY seq",
            &[&after],
        )
        .unwrap();
    let mut groups: Vec<(String, Events)> = Vec::new();
    for r in rows {
        let xmin: String = r.get(5);
        if groups.last().is_none_or(|(x, _)| *x != xmin) {
            groups.push((xmin, Events::default()));
        }
        let e = &mut groups.last_mut().unwrap().1;
        e.seq.push(r.get(0));
        e.at.push(r.get(1));
        e.actor.push(r.get(2));
        e.id.push(r.get(3));
        e.body.push(r.get(4));
    }
    groups.into_iter().map(|(_, e)| e).collect()
}

fn last_seq(c: &mut Client) -> i64 {
    c.query_one("SELECT coalesce(max(seq), 0) FROM saps.events", &[])
        .unwrap()
        .get(0)
}

/// The rows of each table that `f` changed, by table.
fn changed(c: &mut Client, f: impl FnOnce()) -> BTreeMap<&'static str, Rows> {
    let before: Vec<_> = KV.iter().map(|t| snapshot(c, t)).collect();
    f();
    KV.iter()
        .zip(before)
        .map(|(t, old)| {
            let rows = snapshot(c, t)
                .into_iter()
                .filter(|(k, v)| old.get(k) != Some(v))
                .collect();
            (*t, rows)
        })
        .collect()
}

/// The floor of one write transaction: its events and its share of rows,
/// one statement per table (prepared once per connection).
struct Floor {
    insert_events: postgres::Statement,
    upsert: BTreeMap<&'static str, postgres::Statement>,
    read_customer: postgres::Statement,
    read_voucher: postgres::Statement,
}

impl Floor {
    fn prepare(c: &mut Client) -> Floor {
        let insert_events = c
            .prepare(
                "INSERT INTO floor.events (seq, at, actor, id, body) \
                 SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::uuid[], $5::bytea[])",
            )
            .unwrap();
        let upsert = KV
            .iter()
            .map(|t| {
                let sql = format!(
                    "INSERT INTO floor.{t} (key, value) SELECT * FROM unnest($1::bytea[], $2::bytea[]) \
                     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
                );
                (*t, c.prepare(&sql).unwrap())
            })
            .collect();
        let read = |c: &mut Client, t: &str| {
            c.prepare(&format!("SELECT value FROM floor.{t} WHERE key = $1"))
                .unwrap()
        };
        Floor {
            insert_events,
            upsert,
            read_customer: read(c, "customers"),
            read_voucher: read(c, "vouchers"),
        }
    }

    /// One transaction: (optionally) one read, the events, the rows.
    fn write(
        &self,
        c: &mut Client,
        read: Option<(&postgres::Statement, &[u8])>,
        e: &Events,
        rows: &BTreeMap<&'static str, Rows>,
    ) {
        let mut tx = c.transaction().unwrap();
        if let Some((statement, key)) = read {
            tx.query(statement, &[&key]).unwrap();
        }
        tx.execute(&self.insert_events, &[&e.seq, &e.at, &e.actor, &e.id, &e.body])
            .unwrap();
        for (t, kv) in rows {
            if kv.is_empty() {
                continue;
            }
            let (k, v): (Vec<&[u8]>, Vec<&[u8]>) =
                kv.iter().map(|(k, v)| (k.as_slice(), v.as_slice())).unzip();
            tx.execute(&self.upsert[t], &[&k, &v]).unwrap();
        }
        tx.commit().unwrap();
    }
}

/// `rows` dealt into `n` shares, in key order.
fn deal(rows: &BTreeMap<&'static str, Rows>, n: usize) -> Vec<BTreeMap<&'static str, Rows>> {
    let mut shares = vec![BTreeMap::new(); n];
    for (t, kv) in rows {
        let per = kv.len().div_ceil(n.max(1)).max(1);
        for (i, chunk) in kv.chunks(per).enumerate() {
            shares[i].insert(*t, chunk.to_vec());
        }
    }
    shares
}

fn bulk(url: &str, owner: &mut Client, dir: &Path, prefix: &str) -> (Duration, Duration, usize) {
    let input = dir.join(format!("{prefix}.jsonl"));
    let mut text = String::new();
    let n = bulk_n();
    for i in 0..n {
        let line = json!({"as": ADMIN, "cmd": "receive_voucher", "voucher_id": format!("{prefix}-{i:06}"), "customer": format!("LIC-{:03}", i % 100), "offering": "DDPS", "days": 1, "created_on": "2024-03-01", "admin_email": PM});
        text += &format!("{line}\n");
    }
    std::fs::write(&input, text).unwrap();
    let s0 = last_seq(owner);
    let mut took = Duration::ZERO;
    let rows = changed(owner, || {
        let t = Instant::now();
        let out = saps()
            .args(["--db", url, "exec"])
            .arg(&input)
            .stdout(Stdio::null())
            .status()
            .unwrap();
        took = t.elapsed();
        assert!(out.success(), "the bulk intake is accepted");
    });
    let groups = events_by_tx(owner, s0);
    let events: usize = groups.iter().map(|g| g.seq.len()).sum();
    assert_eq!(events, n, "one event a line");
    let shares = deal(&rows, groups.len());
    let mut c = Client::connect(url, postgres::NoTls).unwrap();
    let floor = Floor::prepare(&mut c);
    let t = Instant::now();
    for (g, share) in groups.iter().zip(&shares) {
        floor.write(&mut c, None, g, share);
    }
    (took, t.elapsed(), groups.len())
}

fn one_command(url: &str, owner: &mut Client) -> (Duration, Duration) {
    let id = "ONE-000001";
    exec(
        url,
        &[
            json!({"as": ADMIN, "cmd": "receive_voucher", "voucher_id": id, "customer": "LIC-000", "offering": "DDPS", "days": 1, "created_on": "2024-03-01", "admin_email": PM}),
            json!({"as": ADMIN, "cmd": "validate_voucher", "voucher_id": id, "admin_email": PM}),
            json!({"as": ADMIN, "cmd": "reserve_voucher", "voucher_id": id, "admin_email": PM, "engagement": "windows-office-deployment", "location_id": "NYC", "country": "US", "start": "2024-03-15", "end": "2024-03-15", "consultants": ["ana@contoso.test"], "accept_terms": true}),
        ],
    );
    let backend = saps::store::open(Path::new(url)).unwrap();
    let mut session = Session::open(backend, Catalog::builtin()).unwrap();
    let now = chrono::DateTime::parse_from_rfc3339("2024-03-16T12:00:00Z")
        .unwrap()
        .to_utc();
    let mut draft = |i: usize| {
        let command = Command::SaveReportDraft(SaveReportDraft {
            voucher_id: id.to_owned(),
            fields: ReportFields {
                summary: Some(format!("Workshop notes, revision {i}")),
                ..ReportFields::default()
            },
        });
        let t = Instant::now();
        let outcome = session
            .run(Request::new(command, Some(ADMIN.to_owned()), now))
            .unwrap();
        assert!(outcome.is_ok(), "{outcome:?}");
        t.elapsed()
    };
    draft(0);
    // The floor's bytes: the last draft's event and voucher as saps wrote them.
    let mut c = Client::connect(url, postgres::NoTls).unwrap();
    let floor = Floor::prepare(&mut c);
    let key: Vec<u8> = owner
        .query_one(
            "SELECT key FROM saps.vouchers WHERE value IS NOT NULL ORDER BY key DESC LIMIT 1",
            &[],
        )
        .unwrap()
        .get(0);
    let (mut d_saps, mut d_floor) = (Vec::new(), Vec::new());
    let runs = 300;
    for i in 1..=runs {
        d_saps.push(draft(i));
        let s = last_seq(owner);
        let mut e = events_by_tx(owner, s - 1).remove(0);
        e.seq = vec![1_000_000_000 + i as i64];
        let voucher: Vec<u8> = owner
            .query_one("SELECT value FROM saps.vouchers WHERE key = $1", &[&key])
            .unwrap()
            .get(0);
        let rows = BTreeMap::from([("vouchers", vec![(key.clone(), voucher)])]);
        let t = Instant::now();
        floor.write(&mut c, Some((&floor.read_voucher, &key)), &e, &rows);
        d_floor.push(t.elapsed());
    }
    (median(d_saps), median(d_floor))
}

fn median(mut d: Vec<Duration>) -> Duration {
    d.sort();
    d[d.len() / 2]
}

/// One open `saps exec -` answering a line at a time.
struct Client8 {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
    stdout: BufReader<std::process::ChildStdout>,
}

impl Client8 {
    fn ask(&mut self, line: &Value) -> Value {
        writeln!(self.stdin, "{line}").unwrap();
        self.stdin.flush().unwrap();
        let mut text = String::new();
        self.stdout.read_line(&mut text).unwrap();
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("a client answered {text:?}"))
    }
}

/// Which customer's pool each client's lines take a day of.
#[derive(Clone, Copy, PartialEq)]
enum Mix {
    /// Client `n` its own customer, `LIC-00n` (a team's usual day: each
    /// admin on their own customers, sharing the organisation, the log and
    /// the counters).
    Own,
    /// Line `i` of client `n` pool `(n + i) % 4`: two clients a pool at a
    /// time, the four pools running out.
    Spread,
    /// Line `i` pool `i % 4`: all clients on the same pool at a time, every
    /// commit colliding with the others on it.
    Same,
}

impl Mix {
    fn how(self) -> &'static str {
        match self {
            Mix::Own => "each on its own customer",
            Mix::Spread => "two on each pool at a time",
            Mix::Same => "all on the same pool at a time",
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            Mix::Own => "OWN",
            Mix::Spread => "SPREAD",
            Mix::Same => "POOL",
        }
    }

    fn customer(self, n: usize, i: usize) -> String {
        match self {
            Mix::Own => format!("LIC-{n:03}"),
            Mix::Spread => format!("SPREAD-{}", (n + i) % 4),
            Mix::Same => format!("POOL-{}", i % 4),
        }
    }
}

/// What one round of eight clients measured.
struct Run8 {
    saps_tps: f64,
    floor_tps: f64,
    /// Transactions committed (saps's, and the floor's as many).
    ntx: usize,
    /// Seconds of CPU: the whole machine's while saps ran, the saps
    /// processes', the bench's own while it drove them, the whole
    /// machine's while the floor ran.
    cpu: [f64; 4],
}

/// Eight clients sending their lines one at a time, as `mix` says; then the
/// invariants, then the floor replaying what they committed.
fn clients(db: &pg_common::TestDb, url: &str, owner: &mut Client, mix: Mix) -> Run8 {
    let prefix = mix.prefix();
    let s0 = last_seq(owner);
    let mut procs: Vec<Client8> = (0..CLIENTS)
        .map(|_| {
            let mut child = saps()
                .args(["--db", url, "--as", ADMIN, "exec", "-"])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap();
            Client8 {
                stdin: child.stdin.take().unwrap(),
                stdout: BufReader::new(child.stdout.take().unwrap()),
                child,
            }
        })
        .collect();
    let warm = json!({"cmd": "validate_voucher", "voucher_id": "NOPE-000", "admin_email": PM});
    for p in &mut procs {
        assert_eq!(p.ask(&warm)["code"], "not_found");
    }
    let mut took = Duration::ZERO;
    let mut answers: Vec<Value> = Vec::new();
    let (mut machine, mut driver) = (0.0, 0.0);
    let procs_before: f64 = procs.iter().map(|p| cpu::process(p.child.id())).sum();
    let rows = changed(owner, || {
        let (m0, d0) = (cpu::machine(), cpu::process(std::process::id()));
        let t = Instant::now();
        answers = std::thread::scope(|s| {
            let handles: Vec<_> = procs
                .iter_mut()
                .enumerate()
                .map(|(n, p)| {
                    s.spawn(move || {
                        (0..per_client())
                            .map(|i| {
                                p.ask(&json!({"cmd": "receive_voucher", "voucher_id": format!("{prefix}{n}-{i:04}"), "customer": mix.customer(n, i), "offering": "DDPS", "days": 1, "created_on": "2024-03-01", "admin_email": PM}))
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
        });
        took = t.elapsed();
        (machine, driver) = (cpu::machine() - m0, cpu::process(std::process::id()) - d0);
    });
    let procs_cpu = procs.iter().map(|p| cpu::process(p.child.id())).sum::<f64>() - procs_before;
    for mut p in procs {
        drop(p.stdin);
        p.child.wait().unwrap();
    }
    // The invariants.
    let accepted = answers.iter().filter(|a| a["ok"] == true).count();
    for a in answers.iter().filter(|a| a["ok"] != true) {
        assert_eq!(a["code"], "insufficient_days", "{a}");
    }
    let expected = if mix == Mix::Own {
        CLIENTS * per_client()
    } else {
        1000
    };
    assert_eq!(
        accepted, expected,
        "every line of its own customer, 1000 of the four pools"
    );
    let check = saps().args(["--db", url, "check"]).output().unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let seqs: Vec<i64> = owner
        .query("SELECT seq FROM saps.events ORDER BY seq", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(
        seqs.iter().enumerate().all(|(i, s)| *s == i as i64 + 1),
        "the log is gap-free"
    );
    let export = saps()
        .args(["--db", url, "export", "--format", "json"])
        .output()
        .unwrap();
    let export: Value = serde_json::from_slice(&export.stdout).unwrap();
    let own: Vec<String> = (0..CLIENTS).map(|n| Mix::Own.customer(n, 0)).collect();
    let vouchers = export["vouchers"].as_array().unwrap();
    for c in export["customers"].as_array().unwrap() {
        let id = c["licensing_id"].as_str().unwrap();
        let ours = if mix == Mix::Own {
            own.iter().any(|o| o == id)
        } else {
            id.starts_with(&format!("{prefix}-"))
        };
        if !ours {
            continue;
        }
        let of_it = vouchers.iter().filter(|v| v["customer"] == id);
        let all: i64 = of_it.clone().map(|v| v["days"].as_i64().unwrap()).sum();
        let these: i64 = of_it
            .filter(|v| v["voucher_id"].as_str().unwrap().starts_with(prefix))
            .map(|v| v["days"].as_i64().unwrap())
            .sum();
        let want = if mix == Mix::Own { per_client() as i64 } else { 250 };
        assert_eq!(these, want, "{id}'s vouchers from these clients: {c}");
        assert_eq!(
            c["remaining_days"].as_i64().unwrap(),
            c["planning_days"].as_i64().unwrap() - all,
            "{id}'s pool holds its vouchers' days: {c}"
        );
    }
    let groups = events_by_tx(owner, s0);
    let ntx = groups.len();
    let saps_tps = ntx as f64 / took.as_secs_f64();

    // The floor: the same transactions on eight connections.
    let shares = deal(&rows, ntx);
    let pool_key: Vec<u8> = owner
        .query_one("SELECT key FROM saps.customers ORDER BY key DESC LIMIT 1", &[])
        .unwrap()
        .get(0);
    let work: Vec<(&Events, &BTreeMap<&'static str, Rows>)> = groups.iter().zip(&shares).collect();
    let m0 = cpu::machine();
    let t = Instant::now();
    std::thread::scope(|s| {
        for n in 0..CLIENTS {
            let work = &work;
            let pool_key = &pool_key;
            let url = db.url();
            s.spawn(move || {
                let mut c = Client::connect(&url, postgres::NoTls).unwrap();
                let floor = Floor::prepare(&mut c);
                for (e, rows) in work.iter().skip(n).step_by(CLIENTS) {
                    floor.write(&mut c, Some((&floor.read_customer, pool_key)), e, rows);
                }
            });
        }
    });
    let floor_tps = ntx as f64 / t.elapsed().as_secs_f64();
    Run8 {
        saps_tps,
        floor_tps,
        ntx,
        cpu: [machine, procs_cpu, driver, cpu::machine() - m0],
    }
}
