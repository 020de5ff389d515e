//! A field bundle into a team's PostgreSQL office (issue 12 item 8): the
//! office records the submission under the field's id, the same bundle
//! again is "already imported", and two `saps bundle import` processes
//! racing the same bundle import it once.

mod field_cli_common;
mod pg_common;
mod saps_bin;

use field_cli_common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The walkthrough office moved to PostgreSQL, and Bob's bundle from a
/// field database made from its packet.
fn office_and_bundle(url: &str, dir: &Path) -> PathBuf {
    let sled = office(dir);
    let file = dir.join("office.sapsbak");
    assert_eq!(at(&sled, "2026-01-20", &["backup", s(&file)]).code, Some(0));
    let r = at(Path::new(url), "2026-01-20", &["restore", s(&file)]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let packet = dir.join("bob.sapspacket");
    let r = at(
        Path::new(url),
        "2026-01-20",
        &["--as", CAROL, "packet", "export", V, s(&packet)],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let field = dir.join("field.db");
    assert_eq!(
        at(&field, "2026-01-21", &["packet", "import", s(&packet)]).code,
        Some(0)
    );
    let pdf = dir.join("plan.pdf");
    std::fs::write(&pdf, b"%PDF-1.7 Fabrikam deployment plan").unwrap();
    let lines = dir.join("report.jsonl");
    std::fs::write(&lines, report_lines(&pdf)).unwrap();
    let r = at(&field, "2026-02-06", &["--as", BOB, "exec", s(&lines)]);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    let bundle = dir.join("bob.sapsbundle");
    let r = at(&field, "2026-02-07", &["bundle", "export", V, s(&bundle)]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    bundle
}

fn submissions(db: &pg_common::TestDb) -> Vec<uuid::Uuid> {
    // The report_submitted events' ids, from the log.
    let store = saps::store::open(Path::new(&db.url())).unwrap();
    let mut out = Vec::new();
    store
        .for_each_event(&mut |r| {
            if matches!(r.event, saps::domain::Event::ReportSubmitted { .. }) {
                out.push(r.id)
            }
        })
        .unwrap();
    out
}

fn submit_id(bundle: &Path) -> uuid::Uuid {
    let text = std::fs::read(bundle).unwrap();
    let text = String::from_utf8_lossy(&text);
    let at = text.find("\"submit_id\": \"").unwrap() + "\"submit_id\": \"".len();
    text[at..at + 36].parse().unwrap()
}

#[test]
fn a_bundle_into_postgres_is_recorded_under_its_id_and_recognised_again() {
    let Some(db) = pg_common::fresh() else { return };
    let dir = tempfile::tempdir().unwrap();
    let url = db.url();
    let bundle = office_and_bundle(&url, dir.path());
    let r = at(Path::new(&url), "2026-02-09", &["bundle", "import", s(&bundle)]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout.starts_with("imported the completion report"),
        "{}",
        r.stdout
    );
    assert_eq!(submissions(&db), vec![submit_id(&bundle)]);
    let r = at(Path::new(&url), "2026-02-10", &["bundle", "import", s(&bundle)]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.starts_with("already imported"), "{}", r.stdout);
    assert_eq!(submissions(&db).len(), 1);
}

#[test]
fn two_processes_racing_one_bundle_on_postgres_import_it_once() {
    let Some(db) = pg_common::fresh() else { return };
    let dir = tempfile::tempdir().unwrap();
    let url = db.url();
    let bundle = office_and_bundle(&url, dir.path());
    let racers: Vec<_> = (0..2)
        .map(|_| {
            let mut c = Command::new(env!("CARGO_BIN_EXE_saps"));
            c.args([
                "--db",
                &url,
                "--now",
                "2026-02-09",
                "bundle",
                "import",
                s(&bundle),
            ])
            .env_remove("SAPS_DB")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
            c.spawn().unwrap()
        })
        .collect();
    let outs: Vec<String> = racers
        .into_iter()
        .map(|c| {
            let out = c.wait_with_output().unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            String::from_utf8_lossy(&out.stdout).into_owned()
        })
        .collect();
    let imported = outs.iter().filter(|o| o.starts_with("imported")).count();
    let again = outs.iter().filter(|o| o.starts_with("already imported")).count();
    assert_eq!((imported, again), (1, 1), "{outs:?}");
    assert_eq!(submissions(&db), vec![submit_id(&bundle)]);
}
