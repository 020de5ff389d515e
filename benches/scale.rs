//! Fast at 100,000 vouchers (issue 5): every figure beside its floor,
//! measured in the same run on the same disk.
//!
//! `cargo bench --bench scale` (N vouchers via SAPS_BENCH_N, default
//! 100000; the databases go in a temporary directory under SAPS_BENCH_DIR,
//! default cargo's target tmp directory). The N-voucher database is built
//! once with `saps::demo::compact::seed_compact` (as `saps demo --vouchers
//! N` makes it); the empty one is the same partner with no vouchers.
//!
//! 1. Opening the desk: Store::open + app::prepare_on + one frame at 200x50,
//!    N vouchers vs the empty database, and where the time goes.
//! 2. A frame of each tab at 200x50; keys on the voucher list (step 4):
//!    Down, End, and a filter by a voucher id (`/`, the id, Enter).
//! 3. Resident memory of the desk after one frame (a child process).
//! 4. Bulk intake: N receive_voucher lines through the real `saps exec`, vs
//!    the same records and events written straight into sled in atomic
//!    batches of 1,000 with a flush per batch (and with an fsync too).
//! 5. One durable interactive command (save_report_draft) on the N-voucher
//!    store: domain::execute + Store::commit, vs one raw sled atomic batch
//!    of the same bytes + flush (and + fsync).
//!
//! The raw baselines are the only code outside `src/store/` that names sled:
//! they are the floor the store is measured against.

use chrono::{DateTime, NaiveDate, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use saps::app::{self, DeskOptions, Engine};
use saps::demo::{self, compact};
use saps::domain::command::SaveReportDraft;
use saps::domain::records::{ReportFields, Stage, Voucher};
use saps::domain::{self, Catalog, Command, Ctx, Event, Recorded, State};
use saps::store::{Store, StoreError, codec, keys};
use saps::ui::tab::Tab;
use saps::ui::{Model, Msg, view};
use sled::transaction::{ConflictableTransactionError, TransactionError, Transactional};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const W: u16 = 200;
const H: u16 = 50;
const CACHE: u64 = 32 * 1024 * 1024;
const BATCH: usize = 1_000;
const ACTOR: &str = "ava@northwind.example";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--rss-child") {
        rss_child(Path::new(&args[i + 1]));
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--rss-parts") {
        rss_parts(Path::new(&args[i + 1]));
        return;
    }
    let n: usize = std::env::var("SAPS_BENCH_N")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let base = std::env::var_os("SAPS_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| env!("CARGO_TARGET_TMPDIR").into());
    std::fs::create_dir_all(&base).expect("bench dir");
    let dir = tempfile::tempdir_in(&base).expect("temp dir");
    let started = Instant::now();
    let mut t = Table::default();
    println!("saps scale bench: N = {n}, databases in {}", base.display());

    // SAPS_BENCH_KEEP=DIR keeps the two databases in DIR and seeds them only
    // when missing, so repeated runs (of two builds, say) measure the desk on
    // the same data; SAPS_BENCH_DESK_ONLY=1 leaves out intake and the command.
    let keep = std::env::var_os("SAPS_BENCH_KEEP").map(PathBuf::from);
    let desk_only = std::env::var_os("SAPS_BENCH_DESK_ONLY").is_some();
    let at = keep.clone().unwrap_or_else(|| dir.path().to_path_buf());
    let big = at.join("big.db");
    let empty = at.join("empty.db");
    for (path, count) in [(&big, n), (&empty, 0)] {
        if keep.is_some() && path.exists() {
            continue;
        }
        let (s, store) = compact::seed_compact(path, &Catalog::builtin(), count).expect("seed");
        drop(store);
        println!("seeded: {s}");
        if count == n {
            t.row(
                "seed: saps demo --vouchers N (domain, 128 commits, then backed up and restored in place)",
                &format!("{:.1} s", s.seconds),
                "",
                "",
            );
        }
    }

    opening(&mut t, &big, &empty);
    frames(&mut t, &big);
    memory(&mut t, &big, &empty);
    if !desk_only {
        let raw = intake(&mut t, dir.path(), n);
        interactive(&mut t, &big, &raw);
    }

    println!("\n| figure | measured | floor / baseline | ratio |\n|---|---|---|---|");
    for r in &t.rows {
        println!("| {} | {} | {} | {} |", r[0], r[1], r[2], r[3]);
    }
    println!("\nbench took {:.0} s", started.elapsed().as_secs_f64());
}

/// The figures, for the closing table.
#[derive(Default)]
struct Table {
    rows: Vec<[String; 4]>,
}

impl Table {
    fn row(&mut self, what: &str, value: &str, floor: &str, ratio: &str) {
        println!("{what}: {value}{}{}", pre(" vs ", floor), pre("; ratio ", ratio));
        self.rows
            .push([what.into(), value.into(), floor.into(), ratio.into()]);
    }
}

fn pre(p: &str, s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("{p}{s}")
    }
}

fn median(v: &[Duration]) -> Duration {
    let mut v = v.to_vec();
    v.sort();
    v[v.len() / 2]
}

fn p95(v: &[Duration]) -> Duration {
    let mut v = v.to_vec();
    v.sort();
    v[(v.len() * 95 / 100).min(v.len() - 1)]
}

fn us(d: Duration) -> String {
    format!("{:.0} µs", d.as_secs_f64() * 1e6)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn ratio(a: Duration, b: Duration) -> String {
    format!("{:.2}x", a.as_secs_f64() / b.as_secs_f64())
}

/// Store::open, retrying while sled's flusher of a dropped handle still
/// holds the lock.
fn open(path: &Path) -> Store {
    let until = Instant::now() + Duration::from_secs(10);
    loop {
        match Store::open(path) {
            Ok(s) => return s,
            Err(StoreError::Locked { .. }) if Instant::now() < until => {
                std::thread::sleep(Duration::from_millis(20))
            }
            Err(e) => panic!("open {}: {e}", path.display()),
        }
    }
}

fn options(path: &Path) -> DeskOptions {
    DeskOptions {
        db: path.to_path_buf(),
        actor: Some(ACTOR.into()),
        now: Some(demo::now()),
        catalog: Catalog::builtin(),
        tour: false,
    }
}

/// From nothing to the first complete frame.
fn first_frame(path: &Path) -> (Duration, Model, Engine, Terminal<TestBackend>) {
    let t = Instant::now();
    let store = open(path);
    let (mut m, mut engine) = app::prepare_on(std::sync::Arc::new(store), options(path)).expect("prepare");
    app::dispatch(&mut m, &mut engine, Msg::Resize(W, H));
    let mut term = Terminal::new(TestBackend::new(W, H)).expect("terminal");
    term.draw(|f| view(&m, f)).expect("draw");
    (t.elapsed(), m, engine, term)
}

fn opening(t: &mut Table, big: &Path, empty: &Path) {
    let runs = |path: &Path, k: usize| -> Vec<Duration> { (0..k).map(|_| first_frame(path).0).collect() };
    let e = median(&runs(empty, 5));
    let b = median(&runs(big, 3));
    t.row(
        "open the desk: first frame, N vouchers (median of 3)",
        &ms(b),
        &format!("{} empty db", ms(e)),
        &ratio(b, e),
    );
    // Where the time goes (one run, the same steps prepare_on takes).
    let t0 = Instant::now();
    let store = open(big);
    let t_open = t0.elapsed();
    let t1 = Instant::now();
    let state = desk_state(&store);
    let t_state = t1.elapsed();
    let t3 = Instant::now();
    let (m, _engine) = desk_model(store, state);
    let t_model = t3.elapsed();
    let mut term = Terminal::new(TestBackend::new(W, H)).expect("terminal");
    let t4 = Instant::now();
    term.draw(|f| view(&m, f)).expect("draw");
    let t_draw = t4.elapsed();
    println!(
        "  first frame, N vouchers, by part: Store::open {} · the desk's state (the organisation) {} · Model::new (dashboard figures) {} · draw {}",
        ms(t_open),
        ms(t_state),
        ms(t_model),
        ms(t_draw)
    );
    t.row("  of which Store::open (sled's recovery)", &ms(t_open), "", "");
    t.row(
        "  of which the desk's state (the organisation)",
        &ms(t_state),
        "",
        "",
    );
    t.row(
        "  of which Model::new (the dashboard's counters and deadlines)",
        &ms(t_model),
        "",
        "",
    );
    t.row("  of which the draw", &ms(t_draw), "", "");
}

/// The desk's model on `store`, as the bench's user, at 200x50, with what
/// its first frame shows read (the dashboard's figures).
fn desk_model(store: Store, state: State) -> (Model, Engine) {
    let mut m = Model::new(state, Catalog::builtin(), demo::now(), "big".into());
    m.actor = Some(ACTOR.into());
    m.size = (W, H);
    let backend: Arc<dyn saps::store::Backend> = Arc::new(store);
    let session = saps::session::Session::open(backend, Catalog::builtin()).expect("session");
    let mut engine = Engine::new(session);
    app::dispatch(&mut m, &mut engine, Msg::Refresh);
    (m, engine)
}

/// What `prepare_on` reads before the first frame.
fn desk_state(store: &Store) -> State {
    store.working_state().expect("working state")
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// Handles `msg` and redraws, as the desk's loop does after a key.
fn press(m: &mut Model, e: &mut Engine, term: &mut Terminal<TestBackend>, msg: Msg) -> Duration {
    let t = Instant::now();
    app::dispatch(m, e, msg);
    term.draw(|f| view(m, f)).expect("draw");
    t.elapsed()
}

fn frames(t: &mut Table, big: &Path) {
    let (_, mut m, mut e, mut term) = first_frame(big);
    let mut worst = (Duration::ZERO, Tab::Dashboard);
    let mut worst_switch = (Duration::ZERO, Tab::Dashboard);
    for (i, tab) in Tab::ALL.iter().enumerate() {
        // Through its key, so the tab's rows are built as on the desk.
        let switch = press(
            &mut m,
            &mut e,
            &mut term,
            key(KeyCode::Char(char::from(b'0' + i as u8))),
        );
        assert_eq!(m.tab, *tab);
        let d: Vec<Duration> = (0..30)
            .map(|_| {
                let s = Instant::now();
                term.draw(|f| view(&m, f)).expect("draw");
                s.elapsed()
            })
            .collect();
        let med = median(&d);
        println!(
            "  frame {:<18} median {} (switching to it: {})",
            tab.title(),
            us(med),
            us(switch)
        );
        t.row(&format!("frame 200x50: {}", tab.title()), &us(med), "", "");
        if med > worst.0 {
            worst = (med, *tab);
        }
        if switch > worst_switch.0 {
            worst_switch = (switch, *tab);
        }
    }
    println!("  slowest frame: {} ({})", worst.1.title(), us(worst.0));
    t.row(
        &format!(
            "key: go to a tab (0-9) + redraw, the slowest: {} (its rows built)",
            worst_switch.1.title()
        ),
        &ms(worst_switch.0),
        "",
        "",
    );
    // Each tab's switch again, from the dashboard, median of 15: one switch
    // above is a single noisy figure.
    let mut slowest = (Duration::ZERO, Tab::Dashboard);
    for (i, tab) in Tab::ALL.iter().enumerate().skip(1) {
        let d: Vec<Duration> = (0..15)
            .map(|_| {
                press(&mut m, &mut e, &mut term, key(KeyCode::Char('0')));
                press(
                    &mut m,
                    &mut e,
                    &mut term,
                    key(KeyCode::Char(char::from(b'0' + i as u8))),
                )
            })
            .collect();
        if median(&d) > slowest.0 {
            slowest = (median(&d), *tab);
        }
    }
    t.row(
        &format!(
            "key: go to a tab from the dashboard + redraw, median of 15, the slowest: {}",
            slowest.1.title()
        ),
        &us(slowest.0),
        "",
        "",
    );
    // Keys on step 4's list of every voucher.
    press(&mut m, &mut e, &mut term, key(KeyCode::Char('4')));
    let down: Vec<Duration> = (0..100)
        .map(|_| press(&mut m, &mut e, &mut term, key(KeyCode::Down)))
        .collect();
    t.row("key Down + redraw (step 4, N rows)", &us(median(&down)), "", "");
    let end: Vec<Duration> = (0..30)
        .map(|_| {
            press(&mut m, &mut e, &mut term, key(KeyCode::Home));
            press(&mut m, &mut e, &mut term, key(KeyCode::End))
        })
        .collect();
    t.row("key End + redraw (step 4)", &us(median(&end)), "", "");
    // A voucher from the middle of the paid ones (most of the list).
    let paid = e
        .backend()
        .filed(Stage::Paid, None, None, usize::MAX)
        .expect("index");
    let id = paid[paid.len() / 2].voucher_id.clone();
    let mut per_key = Vec::new();
    let mut totals = Vec::new();
    for _ in 0..5 {
        let mut keys = vec![key(KeyCode::Char('/'))];
        keys.extend(id.chars().map(|c| key(KeyCode::Char(c))));
        keys.push(key(KeyCode::Enter));
        let took: Vec<Duration> = keys
            .into_iter()
            .map(|k| press(&mut m, &mut e, &mut term, k))
            .collect();
        assert_eq!(m.current_key(), Some(id.as_str()), "the filter finds {id}");
        totals.push(took.iter().sum());
        per_key.extend(took);
        press(&mut m, &mut e, &mut term, key(KeyCode::Esc));
    }
    let worst_key = per_key.iter().max().copied().unwrap_or_default();
    t.row(
        &format!(
            "filter by id (/ {id} Enter, {} keys): per key + redraw, median",
            id.len() + 2
        ),
        &us(median(&per_key)),
        "",
        "",
    );
    t.row("  the slowest key of the filter", &us(worst_key), "", "");
    t.row("  the whole filter sequence", &ms(median(&totals)), "", "");
}

/// This process's resident memory now and at its peak, in KiB.
fn rss_now() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// In the child: the desk on `path` after one frame, then after visiting
/// every tab (step 4 lists every voucher), then its memory.
fn rss_child(path: &Path) {
    let (_, mut m, mut e, mut term) = first_frame(path);
    let (first, _) = rss_now();
    for i in 0..Tab::ALL.len() {
        press(
            &mut m,
            &mut e,
            &mut term,
            key(KeyCode::Char(char::from(b'0' + i as u8))),
        );
    }
    let (rss, hwm) = rss_now();
    println!("{first} {rss} {hwm} {}", m.list(Tab::Intake).total());
}

/// In the child: resident memory after each step of opening the desk.
fn rss_parts(path: &Path) {
    let mut out = vec![rss_now().0];
    let store = open(path);
    out.push(rss_now().0);
    let state = desk_state(&store);
    out.push(rss_now().0);
    let (m, _engine) = desk_model(store, state);
    let mut term = Terminal::new(TestBackend::new(W, H)).expect("terminal");
    term.draw(|f| view(&m, f)).expect("draw");
    out.push(rss_now().0);
    let text: Vec<String> = out.iter().map(u64::to_string).collect();
    println!("{}", text.join(" "));
}

fn memory(t: &mut Table, big: &Path, empty: &Path) {
    let rss = |path: &Path| -> (f64, f64, f64) {
        let out = Process::new(std::env::current_exe().expect("exe"))
            .arg("--rss-child")
            .arg(path)
            .output()
            .expect("child");
        let text = String::from_utf8_lossy(&out.stdout);
        let f: Vec<f64> = text.split_whitespace().filter_map(|s| s.parse().ok()).collect();
        assert!(
            f.len() == 4,
            "child said {text:?} {}",
            String::from_utf8_lossy(&out.stderr)
        );
        (f[0] / 1024.0, f[1] / 1024.0, f[2] / 1024.0)
    };
    let (e_first, e_rss, e_hwm) = rss(empty);
    let (b_first, b_rss, b_hwm) = rss(big);
    let out = Process::new(std::env::current_exe().expect("exe"))
        .arg("--rss-parts")
        .arg(big)
        .output()
        .expect("child");
    let parts: Vec<f64> = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .filter_map(|s| s.parse::<f64>().ok())
        .map(|k| k / 1024.0)
        .collect();
    t.row(
        "resident memory after the first frame, N vouchers (VmRSS)",
        &format!("{b_first:.0} MiB"),
        &format!("{e_first:.0} MiB empty db"),
        &format!("+{:.0} MiB", b_first - e_first),
    );
    t.row(
        "resident memory after visiting every tab (VmRSS)",
        &format!("{b_rss:.0} MiB"),
        &format!("{e_rss:.0} MiB empty db"),
        &format!("+{:.0} MiB", b_rss - e_rss),
    );
    t.row(
        "  peak resident memory (VmHWM)",
        &format!("{b_hwm:.0} MiB"),
        &format!("{e_hwm:.0} MiB empty db"),
        &format!("+{:.0} MiB", b_hwm - e_hwm),
    );
    if let [start, opened, state, drawn] = parts[..] {
        println!(
            "  memory by step, N vouchers: process {start:.0} MiB · Store::open +{:.0} · the desk's state +{:.0} · Model::new and a frame +{:.0} MiB",
            opened - start,
            state - opened,
            drawn - state
        );
        t.row(
            "  of which Store::open (sled's cache as recovery reads)",
            &format!("+{:.0} MiB", opened - start),
            "",
            "",
        );
        t.row(
            "  of which the desk's state (the organisation)",
            &format!("+{:.0} MiB", state - opened),
            "",
            "",
        );
        t.row(
            "  of which Model::new and a frame",
            &format!("+{:.0} MiB", drawn - state),
            "",
            "",
        );
    }
}

/// A key and its value, as written.
type Kv = (Vec<u8>, Vec<u8>);

/// A raw sled database with the two trees an intake writes (and a third
/// for the index entries saps adds).
struct Raw {
    db: sled::Db,
    events: sled::Tree,
    vouchers: sled::Tree,
    index: sled::Tree,
    log: File,
}

impl Raw {
    fn open(path: &Path) -> Raw {
        let db = sled::Config::new()
            .path(path)
            .cache_capacity(CACHE)
            .open()
            .expect("sled");
        Raw {
            events: db.open_tree(keys::EVENTS).expect("tree"),
            vouchers: db.open_tree(keys::VOUCHERS).expect("tree"),
            index: db.open_tree(keys::INDEX).expect("tree"),
            log: File::open(path.join("db")).expect("sled log"),
            db,
        }
    }

    /// One atomic write of both trees, flushed (and fsynced).
    fn commit(&self, events: &[Kv], vouchers: &[Kv], fsync: bool) {
        self.write(&[&self.events, &self.vouchers], &[events, vouchers], fsync);
    }

    /// As `commit`, with the index entries too: one atomic write of three
    /// trees, flushed and fsynced (the keys saps itself writes).
    fn commit_indexed(&self, events: &[Kv], vouchers: &[Kv], index: &[Kv]) {
        self.write(
            &[&self.events, &self.vouchers, &self.index],
            &[events, vouchers, index],
            true,
        );
    }

    /// One transaction over `trees`, each given its keys, then flush (and fsync).
    fn write(&self, trees: &[&sled::Tree], kvs: &[&[Kv]], fsync: bool) {
        trees
            .transaction(|views| {
                for (tree, kvs) in views.iter().zip(kvs) {
                    for (k, v) in kvs.iter() {
                        tree.insert(k.as_slice(), v.as_slice())?;
                    }
                }
                Ok::<(), ConflictableTransactionError<()>>(())
            })
            .map_err(|e: TransactionError<()>| format!("{e:?}"))
            .expect("raw transaction");
        self.db.flush().expect("flush");
        if fsync {
            self.log.sync_all().expect("fsync");
        }
    }
}

fn at() -> DateTime<Utc> {
    demo::now()
}

fn bulk_voucher(i: usize) -> (String, String, String) {
    (
        format!("BULK-{:07}", i + 1),
        format!("LIC-B{}", i % 4 + 1),
        format!("pm{}@customer.example", i % 97),
    )
}

/// The bytes `saps exec` writes for the i-th intake line: its event and its voucher.
fn bulk_bytes(i: usize, seq: u64) -> (Kv, Kv) {
    let (id, customer, admin) = bulk_voucher(i);
    let created_on = NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
    let v = Voucher::received(
        id.clone(),
        customer.clone(),
        "DDPS".into(),
        5,
        created_on,
        admin.clone(),
    );
    let r = Recorded {
        seq,
        id: uuid::Uuid::now_v7(),
        id_given: false,
        at: at(),
        actor: ACTOR.into(),
        event: Event::VoucherReceived {
            voucher_id: id.clone(),
            customer,
            offering: "DDPS".into(),
            days: 5,
            created_on,
            admin_email: admin,
        },
    };
    (
        (keys::event(seq).to_vec(), codec::encode(&r)),
        (keys::voucher(&id).to_vec(), codec::encode(&v)),
    )
}

fn exec(db: &Path, input: &Path, output: &Path) -> Duration {
    let t = Instant::now();
    let status = Process::new(env!("CARGO_BIN_EXE_saps"))
        .arg("--db")
        .arg(db)
        .arg("--now")
        .arg(demo::NOW)
        .arg("exec")
        .arg(input)
        .stdout(File::create(output).expect("output"))
        .stderr(Stdio::inherit())
        .status()
        .expect("saps exec");
    let took = t.elapsed();
    assert!(status.success(), "saps exec {}: {status}", input.display());
    took
}

/// Bulk intake; returns the raw database (holding N records) for the next part.
fn intake(t: &mut Table, dir: &Path, n: usize) -> Raw {
    let db = dir.join("intake.db");
    let setup = dir.join("intake-setup.jsonl");
    let lines = dir.join("intake.jsonl");
    let mut f = std::io::BufWriter::new(File::create(&setup).expect("setup file"));
    writeln!(f, r#"{{"cmd": "init_partner", "name": "Northwind Planning Partners", "mpn_id": "7001234", "mpn_expires": "2027-09-30", "admin_name": "Ava Lindqvist", "admin_email": "{ACTOR}"}}"#).expect("write");
    let pool = n / 4 * 5 + 100;
    for c in 1..=4 {
        writeln!(f, r#"{{"cmd": "add_customer", "as": "{ACTOR}", "licensing_id": "LIC-B{c}", "name": "Customer {c}", "planning_days": {pool}, "agreement_expires": "2028-06-30"}}"#).expect("write");
    }
    drop(f);
    let mut f = std::io::BufWriter::new(File::create(&lines).expect("intake file"));
    for i in 0..n {
        let (id, customer, admin) = bulk_voucher(i);
        writeln!(f, r#"{{"cmd": "receive_voucher", "as": "{ACTOR}", "voucher_id": "{id}", "customer": "{customer}", "offering": "DDPS", "days": 5, "created_on": "2026-06-01", "admin_email": "{admin}"}}"#).expect("write");
    }
    drop(f);
    exec(&db, &setup, &dir.join("intake-setup.out"));
    let took = exec(&db, &lines, &dir.join("intake.out"));
    let acks = std::fs::read_to_string(dir.join("intake.out"))
        .expect("acks")
        .lines()
        .count();
    assert_eq!(acks, n, "one acknowledgement a line");

    // The floor: the same bytes, written straight into sled.
    let first_seq = 1 + 4 + 2; // init_partner (2 events) and 4 customers come first
    let bytes: Vec<_> = (0..n).map(|i| bulk_bytes(i, first_seq + i as u64)).collect();
    let floor = |path: &Path, fsync: bool| -> (Duration, Raw) {
        let raw = Raw::open(path);
        let s = Instant::now();
        for chunk in bytes.chunks(BATCH) {
            let (ev, vo): (Vec<_>, Vec<_>) = chunk.iter().cloned().unzip();
            raw.commit(&ev, &vo, fsync);
        }
        (s.elapsed(), raw)
    };
    let (sync_took, _) = floor(&dir.join("raw-fsync.db"), true);
    // The same with each voucher's index entry (its stage-and-expiry key):
    // every key saps writes but the few ledgers and counters.
    let indexed = {
        let raw = Raw::open(&dir.join("raw-indexed.db"));
        let entries: Vec<Kv> = (0..n)
            .map(|i| {
                let (id, customer, admin) = bulk_voucher(i);
                let created_on = NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
                let v = Voucher::received(id, customer, "DDPS".into(), 5, created_on, admin);
                (saps::store::index::status_key(&v), Vec::new())
            })
            .collect();
        let s = Instant::now();
        for (chunk, idx) in bytes.chunks(BATCH).zip(entries.chunks(BATCH)) {
            let (ev, vo): (Vec<_>, Vec<_>) = chunk.iter().cloned().unzip();
            raw.commit_indexed(&ev, &vo, idx);
        }
        s.elapsed()
    };
    let (raw_took, raw) = floor(&dir.join("raw.db"), false);
    let per = |d: Duration| format!("{:.1} µs/record", d.as_secs_f64() * 1e6 / n.max(1) as f64);
    t.row(
        "bulk intake: N receive_voucher lines through saps exec",
        &format!("{} ({:.1} s)", per(took), took.as_secs_f64()),
        &format!("{} raw sled, batches of 1,000 + flush", per(raw_took)),
        &ratio(took, raw_took),
    );
    t.row(
        "  vs the floor with an fsync per batch too",
        &per(took),
        &format!("{} raw sled, batches of 1,000 + flush + fsync", per(sync_took)),
        &ratio(took, sync_took),
    );
    t.row(
        "  vs the keys saps writes (event, voucher, index entry), raw, + flush + fsync",
        &per(took),
        &format!("{} raw sled, 3 trees, batches of 1,000", per(indexed)),
        &ratio(took, indexed),
    );
    raw
}

/// The same values under event keys moved by `by`.
fn rekey(ev: &[Kv], by: u64) -> Vec<Kv> {
    ev.iter()
        .map(|(k, v)| {
            let seq = keys::event_seq(k).unwrap_or(0) + by;
            (keys::event(seq).to_vec(), v.clone())
        })
        .collect()
}

fn interactive(t: &mut Table, big: &Path, raw: &Raw) {
    let store = open(big);
    let catalog = Catalog::builtin();
    let today = demo::now().date_naive();
    // The reserved vouchers not yet expired, from the index.
    let reserved: Vec<String> = store
        .filed(Stage::Reserved, today.succ_opt(), None, usize::MAX)
        .expect("index")
        .into_iter()
        .map(|f| f.voucher_id)
        .collect();
    assert!(!reserved.is_empty());
    let (mut saps_d, mut raw_d, mut sync_d) = (Vec::new(), Vec::new(), Vec::new());
    let mut exec_d = Vec::new();
    let mut bytes = 0;
    let (mut ev, mut vo) = (Vec::new(), Vec::new());
    for i in 0..320 {
        let id = &reserved[i % reserved.len()];
        let cmd = Command::SaveReportDraft(SaveReportDraft {
            voucher_id: id.clone(),
            fields: ReportFields {
                summary: Some(format!("Workshop notes, revision {i}")),
                ..ReportFields::default()
            },
        });
        let ctx = Ctx {
            now: demo::now(),
            actor: Some(ACTOR),
            catalog: &catalog,
        };
        // The three take turns going first, so none always meets a cold or warm disk.
        let (mut d_saps, mut d_raw, mut d_sync) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
        let mut d_exec = Duration::ZERO;
        for turn in 0..3 {
            match (i + turn) % 3 {
                0 => {
                    // As the desk: the working set from the store, decide, commit.
                    let s = Instant::now();
                    let mut state = store.working_state().expect("working state");
                    store.hydrate(&mut state, &cmd.names()).expect("hydrate");
                    let recorded = saps::session::with_fresh_ids(domain::execute(&mut state, &cmd, &ctx))
                        .expect("draft accepted");
                    d_exec = s.elapsed();
                    store.commit(&state, &recorded).expect("commit");
                    d_saps = s.elapsed();
                    let r = &recorded[0];
                    ev = vec![(keys::event(r.seq).to_vec(), codec::encode(r))];
                    vo = vec![(keys::voucher(id).to_vec(), codec::encode(&state.vouchers[id]))];
                }
                // The raw writes use the bytes of the last saps commit (the
                // same sizes), under their own event keys.
                1 => {
                    let ev = rekey(&ev, 10_000_000);
                    let s = Instant::now();
                    raw.commit(&ev, &vo, false);
                    d_raw = s.elapsed();
                }
                _ => {
                    let ev = rekey(&ev, 20_000_000);
                    let s = Instant::now();
                    raw.commit(&ev, &vo, true);
                    d_sync = s.elapsed();
                }
            }
        }
        bytes = ev.iter().chain(&vo).map(|(_, v)| v.len()).sum();
        if i >= 20 {
            saps_d.push(d_saps);
            exec_d.push(d_exec);
            raw_d.push(d_raw);
            sync_d.push(d_sync);
        }
    }
    let n = saps_d.len();
    t.row(
        &format!("one durable command (save_report_draft, {bytes} bytes), median of {n}"),
        &us(median(&saps_d)),
        &format!("{} raw batch + flush", us(median(&raw_d))),
        &ratio(median(&saps_d), median(&raw_d)),
    );
    t.row(
        "  of which domain::execute (decide + apply), median",
        &us(median(&exec_d)),
        "",
        "",
    );
    t.row(
        "  p95",
        &us(p95(&saps_d)),
        &format!("{} raw batch + flush", us(p95(&raw_d))),
        &ratio(p95(&saps_d), p95(&raw_d)),
    );
    t.row(
        "  vs raw batch + flush + fsync, median",
        &us(median(&saps_d)),
        &format!("{} raw batch + flush + fsync", us(median(&sync_d))),
        &ratio(median(&saps_d), median(&sync_d)),
    );
    t.row(
        "  vs raw batch + flush + fsync, p95",
        &us(p95(&saps_d)),
        &format!("{} raw batch + flush + fsync", us(p95(&sync_d))),
        &ratio(p95(&saps_d), p95(&sync_d)),
    );
}
