//! Running one scenario file through the real `saps exec` on a target, and
//! checking every answer, the exit status, `saps check` and the export.

#![allow(dead_code)]

pub mod golden;
pub mod scenario;
pub mod target;

use crate::saps_bin::{Run, run_cmd, saps_plain};
use scenario::{Expect, Scenario};
use serde_json::Value;
use std::path::Path;
pub use target::Target;
use tempfile::TempDir;

/// The clock of every line without `"at"`: day 0 of the domain tests.
pub const NOW: &str = "2024-03-01";

/// `saps --db TARGET --now NOW ARGS…` in a clean environment.
fn saps(target: &Target, now: &str, args: &[&str]) -> Run {
    let db = target.db_arg();
    let mut c = saps_plain(Path::new(&db));
    c.arg("--now").arg(now).args(args);
    run_cmd(c)
}

/// Runs scenario `name` on a target made by `make` (skipped when it gives
/// `None`), and panics with every difference, each naming file and line.
pub fn run_on(name: &str, make: fn() -> Option<Target>) {
    let Some(target) = make() else { return };
    let s = scenario::load(name);
    let work = TempDir::new().expect("a temporary directory");
    let dir = work.path().display().to_string();
    for file in &s.files {
        let content = format!("deliverable {file} of scenario {}\n", s.name);
        std::fs::write(work.path().join(file), content).unwrap();
    }
    let input = work.path().join(format!("{}.jsonl", s.name));
    std::fs::write(&input, s.input.replace("$DIR", &json_inner(&dir))).unwrap();
    let run = saps(&target, NOW, &["exec", input.to_str().unwrap()]);
    let shown = format!("tests/scenarios/{}.jsonl", s.name);
    let mut problems = check_answers(&s, &run, &shown);
    let all_ok = s.expects.iter().all(|e| e.code == "ok");
    let want = if all_ok { 0 } else { 1 };
    if run.code != Some(want) {
        problems.push(format!(
            "{shown}: exit status {:?}, expected {want}; stderr: {}",
            run.code, run.stderr
        ));
    }
    assert!(
        problems.is_empty(),
        "{shown} on {}:\n{}",
        target.label(),
        problems.join("\n")
    );
    // Checked and exported at the scenario's last clock: `saps check` at an
    // earlier one counts the vouchers received later against the pool.
    let end = s.last_clock.as_deref().unwrap_or(NOW);
    let check = saps(&target, end, &["check"]);
    assert_eq!(
        check.code,
        Some(0),
        "{shown} on {}: saps check after the run: {}{}",
        target.label(),
        check.stdout,
        check.stderr
    );
    let export = saps(&target, end, &["export", "--format", "json"]);
    assert_eq!(
        export.code,
        Some(0),
        "{shown} on {}: export: {}",
        target.label(),
        export.stderr
    );
    golden::compare(&s.name, target.label(), &export.stdout, &dir);
}

/// A string as it appears inside a JSON string literal.
fn json_inner(s: &str) -> String {
    let quoted = serde_json::to_string(s).unwrap();
    quoted[1..quoted.len() - 1].to_string()
}

/// Every output line against its expectation, in order.
fn check_answers(s: &Scenario, run: &Run, shown: &str) -> Vec<String> {
    let answers: Vec<&str> = run.stdout.lines().filter(|l| !l.trim().is_empty()).collect();
    let mut problems = Vec::new();
    for (i, e) in s.expects.iter().enumerate() {
        let Some(answer) = answers.get(i) else {
            problems.push(format!("{shown}:{}: no answer (expected {})", e.line, wanted(e)));
            continue;
        };
        if let Some(p) = check_one(e, answer) {
            problems.push(format!("{shown}:{}: {p}", e.line));
        }
    }
    for extra in answers.iter().skip(s.expects.len()) {
        problems.push(format!("{shown}: an answer no line expects: {extra}"));
    }
    problems
}

fn wanted(e: &Expect) -> String {
    match &e.names {
        Some(n) => format!("{} naming {n:?}", e.code),
        None => e.code.clone(),
    }
}

/// What differs between one answer and its expectation, if anything.
pub fn check_one(e: &Expect, answer: &str) -> Option<String> {
    let Ok(v) = serde_json::from_str::<Value>(answer) else {
        return Some(format!("the answer is not JSON: {answer}"));
    };
    if v["line"].as_u64() != Some(e.line) {
        return Some(format!("expected the answer to line {}, got {answer}", e.line));
    }
    let got = match v["ok"].as_bool() {
        Some(true) => "ok",
        Some(false) => v["code"].as_str().unwrap_or("(no code)"),
        None => return Some(format!("the answer has no \"ok\": {answer}")),
    };
    let message = v["message"].as_str().unwrap_or_default();
    if got == "ok" && !v["events"].is_array() {
        return Some(format!("an accepted line without its events: {answer}"));
    }
    if got != "ok" && message.trim().is_empty() {
        return Some(format!("a rejection without a message: {answer}"));
    }
    if got != e.code {
        let said = if got == "ok" { "accepted" } else { message };
        return Some(format!("expected {}, got {got}: {said}", wanted(e)));
    }
    match &e.names {
        Some(words) if !message.contains(words.as_str()) => Some(format!(
            "{got} as expected, but the message does not name {words:?}: {message}"
        )),
        _ => None,
    }
}
