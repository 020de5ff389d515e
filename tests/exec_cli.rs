//! The real `saps` binary on temporary databases: `saps exec` and `saps export`.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use tempfile::TempDir;

struct Run {
    code: Option<i32>,
    lines: Vec<Value>,
    stdout: String,
    stderr: String,
}

mod saps_bin;
use saps_bin::saps_plain as saps;

fn finish(out: std::process::Output) -> Run {
    let stdout = String::from_utf8(out.stdout).expect("stdout is UTF-8");
    let lines = stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or(Value::Null))
        .collect();
    Run {
        code: out.status.code(),
        lines,
        stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into(),
    }
}

fn run(db: &Path, args: &[&str]) -> Run {
    finish(
        saps(db)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("saps runs"),
    )
}

/// Writes `input` to a file beside the database and runs `saps exec FILE`.
fn exec(dir: &TempDir, input: &[u8], args: &[&str]) -> Run {
    let file = dir.path().join(format!("input-{}.jsonl", input.len()));
    std::fs::write(&file, input).unwrap();
    let mut all: Vec<&str> = args.to_vec();
    all.push("exec");
    let file = file.to_str().unwrap().to_string();
    all.push(&file);
    run(&db(dir), &all)
}

fn db(dir: &TempDir) -> PathBuf {
    dir.path().join("saps.db")
}

fn lines(items: &[Value]) -> Vec<u8> {
    items
        .iter()
        .map(|v| format!("{v}\n"))
        .collect::<String>()
        .into_bytes()
}

fn assert_refused(v: &Value, line: u64, code: &str, names: &str) {
    assert_eq!(v["line"], json!(line), "{v}");
    assert_eq!(v["ok"], json!(false), "{v}");
    assert_eq!(v["code"], json!(code), "{v}");
    let message = v["message"].as_str().unwrap_or_default();
    assert!(message.contains(names), "{v}: message does not mention {names:?}");
}

#[test]
fn malformed_lines_are_reported_and_the_run_goes_on() {
    let dir = TempDir::new().unwrap();
    let mut input = Vec::new();
    input.extend_from_slice(b"not json\n"); // 1
    input.extend_from_slice(b"[1,2,3]\n"); // 2
    input.extend_from_slice(b"\xff\xfe{\"cmd\":1}\n"); // 3
    input.extend_from_slice(b"\n"); // 4: blank
    input.extend_from_slice(b"  \t \r\n"); // 5: blank
    input.extend_from_slice(
        format!(
            "{{\"cmd\":\"publish_profile\",\"_pad\":\"{}\"}}\n",
            "x".repeat(2 << 20)
        )
        .as_bytes(),
    ); // 6
    input.extend_from_slice(format!("{}{}\n", "[".repeat(10_000), "]".repeat(10_000)).as_bytes()); // 7
    input.extend_from_slice(b"{\"cmd\":\"fly\"}\r\n"); // 8
    input.extend_from_slice(b"{\"cmd\":\"submit_report\",\"voucher_id\":\"V-000001\",\"as\":5}\n"); // 9
    input.extend_from_slice(
        b"{\"cmd\":\"submit_report\",\"voucher_id\":\"V-000001\",\"at\":\"2026-02-30\"}\n",
    ); // 10
    input.extend_from_slice(b"{\"cmd\":\"submit_report\"}"); // 11, no final newline
    let r = exec(&dir, &input, &[]);
    assert_eq!(r.code, Some(1), "stderr: {}", r.stderr);
    assert_eq!(r.lines.len(), 9, "{}", r.stdout);
    assert_refused(&r.lines[0], 1, "malformed", "JSON");
    assert_refused(&r.lines[1], 2, "malformed", "object");
    assert_refused(&r.lines[2], 3, "malformed", "UTF-8");
    assert_refused(&r.lines[3], 6, "malformed", "longer than 1 MiB");
    assert_refused(&r.lines[4], 7, "malformed", "recursion");
    assert_refused(&r.lines[5], 8, "invalid_input", "cmd: unknown command 'fly'");
    assert_refused(&r.lines[6], 9, "invalid_input", "as:");
    assert_refused(&r.lines[7], 10, "invalid_input", "at:");
    assert_refused(&r.lines[8], 11, "invalid_input", "voucher_id: is required");
    assert!(r.stdout.len() < 10_000, "outputs must not echo huge input");
}

#[test]
fn output_keys_come_in_contract_order() {
    let dir = TempDir::new().unwrap();
    let r = exec(&dir, b"{}\n", &[]);
    assert_eq!(r.code, Some(1));
    assert_eq!(
        r.stdout,
        "{\"line\":1,\"ok\":false,\"code\":\"invalid_input\",\"message\":\"cmd: is required\"}\n"
    );
}

#[test]
fn empty_input_is_all_accepted() {
    let dir = TempDir::new().unwrap();
    let r = exec(&dir, b"\n\n", &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.is_empty());
}

#[test]
fn an_unreadable_input_file_stops_the_run() {
    let dir = TempDir::new().unwrap();
    let missing = dir.path().join("no-such-input.jsonl");
    let r = run(&db(&dir), &["exec", missing.to_str().unwrap()]);
    assert_eq!(r.code, Some(2));
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("no-such-input.jsonl"), "{}", r.stderr);
    assert_eq!(
        r.stderr.trim().lines().count(),
        1,
        "one sentence, no backtrace: {}",
        r.stderr
    );
}

#[test]
fn bad_options_stop_the_run() {
    let dir = TempDir::new().unwrap();
    let r = run(&db(&dir), &["--now", "tomorrow", "exec"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("--now"), "{}", r.stderr);
    let missing = dir.path().join("no-catalog.json");
    let r = run(&db(&dir), &["--catalog", missing.to_str().unwrap(), "exec"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("catalog"), "{}", r.stderr);
}

#[test]
fn no_subcommand_without_a_terminal_points_to_exec_and_export() {
    // With no subcommand saps opens the desk, which needs a terminal; here
    // stdout is a pipe, so it says what to use instead, with no panic.
    let dir = TempDir::new().unwrap();
    let r = run(&db(&dir), &[]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains("needs a terminal") && r.stderr.contains("saps exec"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_database_open_in_another_saps_is_refused() {
    let dir = TempDir::new().unwrap();
    let mut first = saps(&db(&dir))
        .args(["exec", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("saps starts");
    let mut stdin = first.stdin.take().unwrap();
    let mut stdout = BufReader::new(first.stdout.take().unwrap());
    // Once the first answers a line, it surely holds the database.
    stdin.write_all(b"{}\n").unwrap();
    stdin.flush().unwrap();
    let mut answer = String::new();
    stdout.read_line(&mut answer).unwrap();
    assert!(answer.contains("\"line\":1"), "first saps answered {answer:?}");

    let second = run(&db(&dir), &["exec", "-"]);
    assert_eq!(second.code, Some(2), "{}", second.stderr);
    assert!(second.stderr.contains("another saps"), "{}", second.stderr);
    assert_eq!(second.stderr.trim().lines().count(), 1, "{}", second.stderr);

    drop(stdin);
    let status = first.wait().unwrap();
    assert_eq!(status.code(), Some(1));
}

const V: &str = "CONTOSO-0001";

fn happy_path() -> Vec<Value> {
    let bob = "bob@contoso.example";
    let after = "2026-03-16";
    vec![
        json!({"cmd": "init_partner", "name": "Contoso Consulting", "mpn_id": "1234567", "mpn_expires": "2030-12-31",
            "admin_name": "Alice Admin", "admin_email": "alice@contoso.example"}),
        json!({"cmd": "add_location", "location_id": "SEA-1", "country": "US"}),
        json!({"cmd": "add_competency", "competency": "Windows and Devices", "level": "gold", "expires": "2027-03-02"}),
        json!({"cmd": "add_user", "email": bob, "name": "Bob Consultant", "role": "consultant"}),
        json!({"cmd": "record_exam", "consultant": bob, "exam": "MD-100", "competency": "Windows and Devices",
            "passed_on": "2026-01-15"}),
        json!({"cmd": "enroll", "offering": "DDPS", "accept_agreement": true, "policies_reviewed": true}),
        json!({"cmd": "add_customer", "licensing_id": "FAB-001", "name": "Fabrikam", "planning_days": 20,
            "agreement_expires": "2030-01-01"}),
        json!({"cmd": "receive_voucher", "voucher_id": V, "customer": "FAB-001", "offering": "DDPS", "days": 5,
            "created_on": "2026-03-02", "admin_email": "pm@fabrikam.example", "_comment": "forwarded by email"}),
        json!({"cmd": "validate_voucher", "voucher_id": V, "admin_email": "pm@fabrikam.example"}),
        json!({"cmd": "reserve_voucher", "voucher_id": V, "admin_email": "pm@fabrikam.example",
            "engagement": "windows-office-deployment", "location_id": "SEA-1", "country": "US",
            "start": "2026-03-09", "end": "2026-03-13", "consultants": [bob], "accept_terms": true}),
        json!({"cmd": "save_report_draft", "as": bob, "at": after, "voucher_id": V,
            "delivered_start": "2026-03-09", "delivered_end": "2026-03-13", "onsite_days": 4, "offsite_days": 1,
            "walk_on_hours": 2, "deliverable_kind": "Deployment Plan", "deliverable_path": "plan.pdf",
            "summary": "Windows 11 and Microsoft 365 Apps deployment plan", "customer_accepted": true}),
        json!({"cmd": "submit_report", "as": bob, "at": after, "voucher_id": V}),
        json!({"cmd": "redeem", "at": after, "voucher_ids": [V]}),
        json!({"cmd": "register_savb", "at": after, "offering": "DDPS"}),
        json!({"cmd": "request_payment", "at": "2026-03-17T09:30:00Z", "voucher_id": V, "invoice_number": "INV-1"}),
        json!({"cmd": "record_payment", "at": "2026-04-20", "voucher_id": V, "outcome": "paid", "reference": "MS-PAY-1"}),
    ]
}

fn payment_requested(r: &Run) -> Option<&Value> {
    r.lines
        .iter()
        .flat_map(|l| l["events"].as_array().into_iter().flatten())
        .map(|e| &e["event"]["payment_requested"])
        .find(|e| !e.is_null())
}

#[test]
fn one_voucher_from_init_partner_to_paid() {
    let dir = TempDir::new().unwrap();
    let mut steps = happy_path();
    // The deliverable is a real file: submit needs its stored copy.
    let plan = dir.path().join("plan.pdf");
    std::fs::write(&plan, b"the plan").unwrap();
    for s in &mut steps {
        if s["cmd"] == "save_report_draft" {
            s["deliverable_path"] = json!(plan.display().to_string());
        }
    }
    let r = exec(
        &dir,
        &lines(&steps),
        &["--now", "2026-03-02", "--as", "alice@contoso.example"],
    );
    assert_eq!(r.code, Some(0), "stdout:\n{}\nstderr: {}", r.stdout, r.stderr);
    assert_eq!(r.lines.len(), steps.len());
    for (i, l) in r.lines.iter().enumerate() {
        assert_eq!(l["line"], json!(i + 1), "{l}");
        assert_eq!(l["ok"], json!(true), "{l}");
        let first = &l["events"][0];
        for key in ["seq", "at", "actor", "event"] {
            assert!(!first[key].is_null(), "{key} missing in {l}");
        }
    }
    let paid = payment_requested(&r).expect("a payment_requested event");
    assert_eq!(paid["amount"], json!(5500));
    assert_eq!(paid["currency"], json!("USD"));

    let export = run(&db(&dir), &["--now", "2026-04-21", "export", "--format", "json"]);
    assert_eq!(export.code, Some(0), "{}", export.stderr);
    let all: Value = serde_json::from_str(&export.stdout).expect("export is JSON");
    let voucher = all["vouchers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["voucher_id"] == json!(V))
        .unwrap();
    assert_eq!(voucher["status"], json!("paid"), "{voucher}");
    assert_eq!(voucher["expires_on"], json!("2026-08-29"));
    assert_eq!(voucher["invoice"]["invoice_number"], json!("INV-1"));
    assert_eq!(voucher["payment"]["outcome"], json!("paid"));
    assert_eq!(all["customers"][0]["remaining_days"], json!(15));
    assert_eq!(all["audit"][0]["seq"], json!(1));
    for key in [
        "partner",
        "users",
        "locations",
        "competencies",
        "exams",
        "enrollments",
        "profile",
        "savb",
    ] {
        assert!(!all[key].is_null(), "export misses {key}");
    }

    let csv = run(&db(&dir), &["--now", "2026-04-21", "export", "--format", "csv"]);
    assert_eq!(csv.code, Some(0), "{}", csv.stderr);
    let mut rows = csv.stdout.lines();
    assert_eq!(
        rows.next(),
        Some(
            "voucher_id,status,customer,offering,days,created_on,expires_on,engagement,country,start,end,\
             redeemed_on,invoice_number,amount,currency,payment"
        )
    );
    let row = rows.find(|l| l.starts_with(V)).expect("the voucher's row");
    assert!(row.starts_with(&format!("{V},paid,")), "{row}");
    assert!(
        row.contains(",2026-03-02,2026-08-29,windows-office-deployment,US,2026-03-09,2026-03-13,"),
        "{row}"
    );
    assert!(row.ends_with(",2026-03-16,INV-1,5500,USD,paid"), "{row}");
}
