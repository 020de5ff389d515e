//! A line with a key given twice (at any depth) is `malformed`, naming the
//! key, and changes nothing: serde_json alone would keep the last value, so
//! a repeated `"role"` made a global admin, a repeated `"as"` acted as the
//! last user named and a repeated `"cmd"` ran the last command.

mod saps_bin;

use saps_bin::saps_plain;
use serde_json::{Value, json};
use std::process::Stdio;
use tempfile::TempDir;

const ALICE: &str = "alice@contoso.example";
const BOB: &str = "bob@contoso.example";

fn exec(db: &std::path::Path, input: &str) -> (Option<i32>, Vec<Value>) {
    let file = db.with_file_name("input.jsonl");
    std::fs::write(&file, input).unwrap();
    let out = saps_plain(db)
        .args(["--now", "2026-03-02", "--as", ALICE, "exec"])
        .arg(&file)
        .stdin(Stdio::null())
        .output()
        .expect("saps runs");
    let answers = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON answer"))
        .collect();
    (out.status.code(), answers)
}

fn export(db: &std::path::Path) -> Value {
    let out = saps_plain(db)
        .args(["--now", "2026-03-02", "export"])
        .output()
        .expect("saps runs");
    serde_json::from_slice(&out.stdout).expect("export is JSON")
}

fn assert_malformed(a: &Value, line: u64, key: &str) {
    assert_eq!(a["line"], json!(line), "{a}");
    assert_eq!(a["ok"], json!(false), "{a}");
    assert_eq!(a["code"], json!("malformed"), "{a}");
    let message = a["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(&format!("repeated key \"{key}\"")),
        "{a}: should name {key}"
    );
}

#[test]
fn a_repeated_key_is_malformed_at_any_depth() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("saps.db");
    let init = json!({"cmd": "init_partner", "name": "Contoso", "mpn_id": "1234567", "mpn_expires": "2030-12-31",
        "admin_name": "Alice", "admin_email": ALICE});
    let bob = json!({"cmd": "add_user", "email": BOB, "name": "Bob", "role": "consultant"});
    let input = [
        init.to_string(),
        bob.to_string(),
        // 3: role twice; the last would make a global admin.
        r#"{"cmd":"add_user","email":"eve@contoso.example","name":"Eve","role":"consultant","role":"global_admin"}"#
            .to_string(),
        // 4: as twice; the last would act as the admin.
        format!(r#"{{"cmd":"add_location","as":"{BOB}","as":"{ALICE}","location_id":"SEA-1","country":"US"}}"#),
        // 5: cmd twice; the last would run another command.
        r#"{"cmd":"publish_profile","cmd":"add_location","location_id":"NYC-1","country":"US"}"#.to_string(),
        // 6: a repeat inside a nested object (a comment's).
        r#"{"cmd":"add_location","location_id":"LON-1","country":"GB","_note":{"by":"a","by":"b"}}"#.to_string(),
        // 7: a repeat in an object inside an array.
        r#"{"cmd":"redeem","voucher_ids":[{"id":1,"id":2}]}"#.to_string(),
        // 8: the same key in two different objects is fine.
        r#"{"cmd":"add_location","location_id":"PAR-1","country":"FR","_a":{"x":1},"_b":{"x":1}}"#.to_string(),
    ]
    .join("\n");
    let (code, answers) = exec(&db, &input);
    assert_eq!(code, Some(1), "{answers:?}");
    assert_eq!(answers.len(), 8, "{answers:?}");
    assert_eq!(answers[0]["ok"], json!(true), "{}", answers[0]);
    assert_eq!(answers[1]["ok"], json!(true), "{}", answers[1]);
    assert_malformed(&answers[2], 3, "role");
    assert_malformed(&answers[3], 4, "as");
    assert_malformed(&answers[4], 5, "cmd");
    assert_malformed(&answers[5], 6, "by");
    assert_malformed(&answers[6], 7, "id");
    assert_eq!(answers[7]["ok"], json!(true), "{}", answers[7]);

    let all = export(&db);
    let users: Vec<&str> = all["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap())
        .collect();
    assert_eq!(users, [ALICE, BOB], "no Eve of either role");
    let locations: Vec<&str> = all["locations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["location_id"].as_str().unwrap())
        .collect();
    assert_eq!(locations, ["PAR-1"], "only the line without a repeat");
}
