//! `renew_mpn` through the real `saps exec`: accepted for an admin with a
//! later date, refused (naming `mpn_expires`, or the role) otherwise, and
//! the export shows the new end.

mod saps_bin;

use saps_bin::saps_plain;
use serde_json::{Value, json};
use std::process::Stdio;
use tempfile::TempDir;

fn exec(db: &std::path::Path, items: &[Value]) -> Vec<Value> {
    let input = items.iter().map(|v| format!("{v}\n")).collect::<String>();
    let file = db.with_file_name("input.jsonl");
    std::fs::write(&file, input).unwrap();
    let out = saps_plain(db)
        .args(["--now", "2026-03-02", "--as", "alice@contoso.example", "exec"])
        .arg(&file)
        .stdin(Stdio::null())
        .output()
        .expect("saps runs");
    assert_eq!(out.status.code(), Some(1), "one line or more refused");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON answer"))
        .collect()
}

#[test]
fn renew_mpn_in_exec() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("saps.db");
    let bob = "bob@contoso.example";
    let answers = exec(
        &db,
        &[
            json!({"cmd": "init_partner", "name": "Contoso", "mpn_id": "1234567", "mpn_expires": "2026-12-31",
                "admin_name": "Alice", "admin_email": "alice@contoso.example"}),
            json!({"cmd": "add_user", "email": bob, "name": "Bob", "role": "consultant"}),
            json!({"cmd": "renew_mpn", "mpn_expires": "2027-12-31"}),
            json!({"cmd": "renew_mpn", "mpn_expires": "2027-12-31"}),
            json!({"cmd": "renew_mpn", "mpn_expires": "2028-12-31", "as": bob}),
            json!({"cmd": "renew_mpn", "mpn_expires": "next year"}),
            json!({"cmd": "renew_mpn"}),
        ],
    );
    let ok: Vec<bool> = answers.iter().map(|a| a["ok"] == json!(true)).collect();
    assert_eq!(ok, [true, true, true, false, false, false, false], "{answers:?}");
    assert_eq!(
        answers[2]["events"][0]["event"]["mpn_renewed"]["mpn_expires"],
        json!("2027-12-31"),
        "{}",
        answers[2]
    );
    let refused = |i: usize, code: &str, names: &str| {
        let a = &answers[i];
        assert_eq!(a["code"], json!(code), "{a}");
        assert!(a["message"].as_str().unwrap().contains(names), "{a}");
    };
    refused(3, "invalid_input", "mpn_expires");
    refused(4, "unauthorized", bob);
    refused(5, "invalid_input", "mpn_expires");
    refused(6, "invalid_input", "mpn_expires");

    let out = saps_plain(&db)
        .args(["--now", "2026-03-02", "export"])
        .output()
        .expect("saps runs");
    let all: Value = serde_json::from_slice(&out.stdout).expect("export is JSON");
    assert_eq!(
        all["partner"]["mpn_expires"],
        json!("2027-12-31"),
        "{}",
        all["partner"]
    );
}
