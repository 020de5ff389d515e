//! One road for every command: the session stages, commits or discards; a
//! failure while staging saves nothing of its group and says which lines;
//! and no other code in `src/` runs a command.

mod common;
mod field_common;
mod saps_bin;
mod source_tree;

use common::*;
use field_common::*;
use saps::domain::Command;
use saps::domain::command::SaveReportDraft;
use saps::domain::records::ReportFields;
use saps::session::{Halt, Request};
use std::io::Write;
use std::path::Path;
use std::process::Stdio;

fn draft(summary: &str) -> Request {
    draft_with(ReportFields {
        summary: Some(summary.into()),
        ..ReportFields::default()
    })
}

fn draft_with(fields: ReportFields) -> Request {
    Request::new(
        Command::SaveReportDraft(SaveReportDraft {
            voucher_id: V.into(),
            fields,
        }),
        Some(CONSULTANT.into()),
        at(3),
    )
}

#[test]
fn staged_commands_are_saved_by_commit_in_order_and_discarded_without_a_trace() {
    let dir = tempfile::tempdir().unwrap();
    let office = office(dir.path());
    let before = office.snapshot();
    let mut session = office.session();
    let first = session.stage(draft("one")).unwrap().clone().expect("accepted");
    session.stage(draft("two")).unwrap().as_ref().expect("accepted");
    assert_eq!(session.staged(), 2);
    session.discard();
    assert_eq!(office.snapshot(), before, "a discarded group leaves nothing");

    session.stage(draft("one")).unwrap().as_ref().expect("accepted");
    let refused = Request {
        actor: Some("nobody@contoso.test".into()),
        ..draft("not theirs")
    };
    assert!(session.stage(refused).unwrap().is_err());
    session.stage(draft("two")).unwrap().as_ref().expect("accepted");
    let outcomes = session.commit().unwrap();
    assert_eq!(outcomes.len(), 3);
    assert!(outcomes[0].is_ok() && outcomes[1].is_err() && outcomes[2].is_ok());
    let events = office.events();
    let seqs: Vec<u64> = events.iter().rev().take(2).map(|r| r.seq).collect();
    let last = outcomes[2].as_ref().unwrap()[0].seq;
    assert_eq!(
        seqs,
        vec![last, last - 1],
        "both drafts saved, one after the other"
    );
    assert_eq!(first[0].seq, last - 1, "the seq staged is the seq saved");
    let v = office.store.voucher(V).unwrap().unwrap();
    let summary = v.report.and_then(|r| r.fields.summary);
    assert_eq!(summary.as_deref(), Some("two"));
}

/// Makes the database's deliverable directory unusable (a file in its place).
fn block_deliverables(db: &Path) {
    let place = db.join(saps::store::files::DIR);
    let _ = std::fs::remove_dir_all(&place);
    std::fs::write(&place, b"not a directory").unwrap();
}

#[test]
fn a_deliverable_that_cannot_be_kept_halts_the_group_and_saves_none_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let office = office(dir.path());
    let file = dir.path().join("plan.pdf");
    std::fs::write(&file, b"%PDF the plan").unwrap();
    block_deliverables(office.path());
    let before = office.snapshot();
    let mut session = office.session();
    session.stage(draft("one")).unwrap().as_ref().expect("accepted");
    let with_file = draft_with(ReportFields {
        deliverable_path: Some(file.display().to_string()),
        ..ReportFields::default()
    });
    match session.stage(with_file) {
        Err(Halt::File(m)) => assert!(m.contains("was not saved"), "{m}"),
        other => panic!("expected the copy to fail, got {other:?}"),
    }
    assert_eq!(session.staged(), 0, "the group is dropped");
    assert!(session.commit().unwrap().is_empty());
    assert_eq!(office.snapshot(), before, "nothing of the group was saved");
    // The session goes on from the database as it is.
    session.stage(draft("three")).unwrap().as_ref().expect("accepted");
    assert_eq!(session.commit().unwrap().len(), 1);
}

#[test]
fn exec_names_every_line_of_a_group_that_was_not_saved() {
    let dir = tempfile::tempdir().unwrap();
    let path = {
        let office = office(dir.path());
        block_deliverables(office.path());
        office.path().to_path_buf()
    };
    let file = dir.path().join("plan.pdf");
    std::fs::write(&file, b"%PDF the plan").unwrap();
    let line =
        |extra: &str| format!(r#"{{"cmd":"save_report_draft","voucher_id":"{V}","summary":"s"{extra}}}"#);
    let input = [
        line(""),
        line(""),
        line(&format!(r#","deliverable_path":"{}""#, file.display())),
    ]
    .join("\n")
        + "\n";
    let mut child = saps_bin::saps_plain(&path)
        .args(["--as", CONSULTANT, "--now", "2024-03-04", "exec", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // All at once, so the three lines are one group.
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("lines 1 to 3 were not saved"), "{stderr}");
    assert!(out.stdout.is_empty(), "no line was answered as saved");
}

#[test]
fn only_the_session_runs_a_command() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = source_tree::rust_files("src");
    let mut found = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap();
        if rel.starts_with("domain") || rel == Path::new("session.rs") {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if code.contains("domain::execute")
                || code.contains("domain::apply(")
                || code.contains(".commit(&")
            {
                found.push(format!("{}:{}: {}", rel.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "commands run outside the session:\n{}",
        found.join("\n")
    );
}
