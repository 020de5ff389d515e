//! Issue 11 through the real binary: dates and clock values outside the
//! accepted range, leap seconds, and a report without a stored deliverable.

use serde_json::{Value, json};
use std::path::Path;
use std::process::Stdio;
use tempfile::TempDir;

mod saps_bin;
use saps_bin::saps_plain;

struct Run {
    code: Option<i32>,
    lines: Vec<Value>,
    stderr: String,
}

/// `saps --db DB ARGS exec FILE` with `items` as the input lines; the
/// input file is written in `dir`, the run's current directory.
fn exec(dir: &Path, items: &[Value], args: &[&str]) -> Run {
    let file = dir.join("input.jsonl");
    let text: String = items.iter().map(|v| format!("{v}\n")).collect();
    std::fs::write(&file, text).unwrap();
    let out = saps_plain(&dir.join("saps.db"))
        .current_dir(dir)
        .args(args)
        .arg("exec")
        .arg(&file)
        .stdin(Stdio::null())
        .output()
        .expect("saps runs");
    Run {
        code: out.status.code(),
        lines: String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or(Value::Null))
            .collect(),
        stderr: String::from_utf8_lossy(&out.stderr).into(),
    }
}

fn init() -> Value {
    json!({"cmd": "init_partner", "name": "Contoso Consulting", "mpn_id": "1234567", "mpn_expires": "2030-12-31",
        "admin_name": "Alice Admin", "admin_email": "alice@contoso.example"})
}

fn refused(v: &Value, code: &str, mentions: &[&str]) {
    assert_eq!(v["ok"], json!(false), "{v}");
    assert_eq!(v["code"], json!(code), "{v}");
    let m = v["message"].as_str().unwrap_or_default();
    for want in mentions {
        assert!(m.contains(want), "{v}: no {want:?}");
    }
}

#[test]
fn dates_outside_1990_to_2199_and_leap_seconds_are_refused() {
    let dir = TempDir::new().unwrap();
    let competency = |expires: &str| json!({"cmd": "add_competency", "competency": "Windows and Devices", "level": "gold", "expires": expires});
    let r = exec(
        dir.path(),
        &[
            init(),
            competency("9999-12-31"),
            competency("1900-01-01"),
            json!({"cmd": "add_location", "location_id": "SEA", "country": "US", "at": "9999-12-31T00:00:00Z"}),
            json!({"cmd": "add_location", "location_id": "SEA", "country": "US", "at": "2026-06-30T23:59:60Z"}),
            json!({"cmd": "add_location", "location_id": "SEA", "country": "US", "at": "2199-12-31T23:59:59Z"}),
            competency("2199-12-31"),
        ],
        &["--as", "alice@contoso.example", "--now", "2026-03-02"],
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert_eq!(r.lines[0]["ok"], json!(true));
    refused(
        &r.lines[1],
        "invalid_input",
        &["expires", "9999-12-31", "1990-01-01 to 2199-12-31"],
    );
    refused(&r.lines[2], "invalid_input", &["expires", "1900-01-01"]);
    refused(&r.lines[3], "invalid_input", &["at", "1990-01-01 to 2199-12-31"]);
    refused(&r.lines[4], "invalid_input", &["at", "leap second"]);
    assert_eq!(r.lines[5]["ok"], json!(true), "{}", r.lines[5]);
    assert_eq!(r.lines[6]["ok"], json!(true), "{}", r.lines[6]);
    // Every time printed is RFC 3339 with a four-digit year.
    let export = saps_plain(&dir.path().join("saps.db"))
        .arg("export")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&export.stdout);
    assert!(!text.contains("+10000") && !text.contains(":60Z"), "{text}");
    // A --now outside the range stops the run before it starts.
    let r = exec(dir.path(), &[init()], &["--now", "9999-12-31"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("1990-01-01 to 2199-12-31"), "{}", r.stderr);
}

/// The walkthrough's lines up to the reservation, then drafts naming
/// `path` and a submit, as Bob after the engagement.
fn report_lines(path: &str) -> Vec<Value> {
    let all = include_str!("../assets/walkthrough.jsonl");
    let mut out: Vec<Value> = all
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .take_while(|v: &Value| v["cmd"] != "save_report_draft")
        .collect();
    let bob = "bob@contoso.example";
    let v = "DDPS-2026-0001";
    out.push(
        json!({"cmd": "save_report_draft", "as": bob, "at": "2026-02-06", "voucher_id": v,
        "delivered_end": "2026-02-06", "offsite_days": 1, "walk_on_hours": 2, "onsite_days": 4,
        "deliverable_kind": "Deployment Plan", "deliverable_path": path, "customer_accepted": true}),
    );
    out.push(json!({"cmd": "submit_report", "as": bob, "at": "2026-02-06", "voucher_id": v}));
    out
}

#[test]
fn submit_needs_a_stored_deliverable_and_special_files_are_refused() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    // A typo and a dangling link: the draft keeps the path, submit refuses.
    std::os::unix::fs::symlink(d.join("gone.pdf"), d.join("dangling.pdf")).unwrap();
    for path in ["plan-typo.pdf", "dangling.pdf"] {
        let sub = TempDir::new_in(d).unwrap();
        let lines = report_lines(&d.join(path).display().to_string());
        let n = lines.len();
        let r = exec(sub.path(), &lines, &[]);
        assert_eq!(r.code, Some(1), "{}", r.stderr);
        assert_eq!(r.lines[n - 2]["ok"], json!(true), "{}", r.lines[n - 2]);
        refused(
            &r.lines[n - 1],
            "report_incomplete",
            &[
                "deliverable_path",
                "no copy of the deliverable is stored: the file",
                "was not found",
            ],
        );
    }
    // A directory, a device, a FIFO: refused at draft time, saying what it is.
    let fifo = d.join("plan.fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let fifo_link = d.join("fifo-link.pdf");
    std::os::unix::fs::symlink(&fifo, &fifo_link).unwrap();
    for (path, what) in [
        (d.display().to_string(), "a directory"),
        ("/dev/zero".to_string(), "a device"),
        (fifo.display().to_string(), "a named pipe (FIFO)"),
        (fifo_link.display().to_string(), "a named pipe (FIFO)"),
    ] {
        let sub = TempDir::new_in(d).unwrap();
        let lines = report_lines(&path);
        let n = lines.len();
        let started = std::time::Instant::now();
        let r = exec(sub.path(), &lines, &[]);
        assert!(started.elapsed().as_secs() < 20, "{path}: the run waited");
        assert_eq!(r.code, Some(1), "{}", r.stderr);
        refused(
            &r.lines[n - 2],
            "invalid_input",
            &["deliverable_path", what, "not a file"],
        );
    }
    // A link to a regular file is followed: the copy is stored and submit passes.
    let plan = d.join("plan.pdf");
    std::fs::write(&plan, b"the plan").unwrap();
    let link = d.join("plan-link.pdf");
    std::os::unix::fs::symlink(&plan, &link).unwrap();
    let sub = TempDir::new_in(d).unwrap();
    let lines = report_lines(&link.display().to_string());
    let r = exec(sub.path(), &lines, &[]);
    assert_eq!(r.code, Some(0), "{:?} {}", r.lines.last(), r.stderr);
}

#[test]
fn a_long_value_is_echoed_cut() {
    let dir = TempDir::new().unwrap();
    let long = "V".repeat(10_000);
    let r = exec(
        dir.path(),
        &[
            init(),
            json!({"cmd": "validate_voucher", "voucher_id": long, "admin_email": "pm@fabrikam.example"}),
            json!({"cmd": "add_user", "email": format!("{long}@x.example"), "name": "N", "role": "consultant"}),
            json!({"cmd": "add_location", "location_id": "SEA", "country": long}),
        ],
        &["--as", "alice@contoso.example", "--now", "2026-03-02"],
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    for line in &r.lines[1..] {
        let m = line["message"].as_str().unwrap_or_default();
        assert!(m.contains("VVV...") && !m.contains(&"V".repeat(41)), "{line}");
        assert!(m.len() < 200, "{} characters: {m}", m.len());
    }
}

#[test]
fn the_demo_stores_the_deliverable_of_every_report() {
    use saps::domain::records::Stage;
    let dir = TempDir::new().unwrap();
    let store = std::sync::Arc::new(saps::store::Store::open(&dir.path().join("demo.db")).unwrap());
    let state = saps::demo::seed(store.clone(), &saps::domain::Catalog::builtin()).unwrap();
    let reported: Vec<_> = state
        .vouchers
        .values()
        .filter(|v| v.stage != Stage::Assigned && v.stage != Stage::Reserved)
        .collect();
    assert!(reported.len() >= 10, "{} reported vouchers", reported.len());
    for v in reported {
        let fields = &v.report.as_ref().unwrap().fields;
        assert!(
            fields.deliverable.is_some(),
            "{} has no stored copy",
            v.voucher_id
        );
    }
    let report = saps::check::check(&store, saps::demo::now().date_naive());
    assert!(report.healthy(), "{}", report.render());
}
