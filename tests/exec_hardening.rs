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
