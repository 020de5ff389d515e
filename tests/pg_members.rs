//! A team member's own login through the real binary: its lines act as the
//! member, and a line or `--as` naming anyone else is `unauthorized`; the
//! database's owner may act as anyone, as the owner of a sled file does.

mod pg_common;

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};

const PAT: &str = "pat@northwind.example";
const AVA: &str = "ava@northwind.example";

/// `saps --db URL --now 2026-06-15 [args] exec -` fed `lines`: the answers.
fn exec(url: &str, args: &[&str], lines: &str) -> (Option<i32>, Vec<Value>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_saps"))
        .args(["--db", url, "--now", "2026-06-15"])
        .args(args)
        .args(["exec", "-"])
        .env_remove("SAPS_DB")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("saps runs");
    child.stdin.take().unwrap().write_all(lines.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let answers = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or(Value::Null))
        .collect();
    (
        out.status.code(),
        answers,
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn a_member_acts_only_as_itself_and_the_owner_as_anyone() {
    let Some(db) = pg_common::fresh() else { return };
    let owner = db.url();
    let setup = format!(
        "{}\n{}\n",
        r#"{"cmd":"init_partner","name":"Northwind","mpn_id":"7001234","mpn_expires":"2027-09-30","admin_name":"Ava","admin_email":"ava@northwind.example"}"#,
        format_args!(
            r#"{{"cmd":"add_user","as":"{AVA}","email":"{PAT}","name":"Pat","role":"partner_admin"}}"#
        ),
    );
    let (code, answers, err) = exec(&owner, &[], &setup);
    assert_eq!(code, Some(0), "the owner sets the partner up: {answers:?} {err}");
    let pat = db.member(PAT);

    let location = |id: &str, who: Option<&str>| {
        let who = who.map_or(String::new(), |w| format!(r#","as":"{w}""#));
        format!(r#"{{"cmd":"add_location","location_id":"{id}","country":"US"{who}}}"#)
    };
    let lines = [
        location("SEA-9", None),
        location("SEA-8", Some(AVA)),
        location("SEA-7", Some(PAT)),
    ]
    .join("\n")
        + "\n";
    let (code, answers, err) = exec(&pat, &[], &lines);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(
        answers[0]["ok"], true,
        "no \"as\": acts as the member: {}",
        answers[0]
    );
    assert_eq!(answers[0]["events"][0]["actor"], PAT, "{}", answers[0]);
    assert_eq!(answers[1]["code"], "unauthorized", "{}", answers[1]);
    let said = answers[1]["message"].as_str().unwrap_or_default();
    assert!(said.contains(PAT) && said.contains(AVA), "{said}");
    assert_eq!(answers[2]["ok"], true, "naming itself is fine: {}", answers[2]);

    let (_, answers, _) = exec(&pat, &["--as", AVA], &(location("SEA-6", None) + "\n"));
    assert_eq!(
        answers[0]["code"], "unauthorized",
        "--as someone else: {}",
        answers[0]
    );

    let (code, answers, err) = exec(&owner, &[], &(location("SEA-5", Some(AVA)) + "\n"));
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(answers[0]["events"][0]["actor"], AVA, "the owner acts as anyone");
}

#[test]
fn a_members_desk_opens_as_the_member_without_a_picker() {
    use saps::app::{DeskOptions, prepare_on};
    use saps::store::postgres::PgStore;
    let Some(db) = pg_common::fresh() else { return };
    let owner = std::sync::Arc::new(PgStore::open(&db.url()).unwrap());
    saps::demo::seed(owner, &saps::domain::Catalog::builtin()).unwrap();
    // Roles are the cluster's: another test of this file makes pat's.
    const DANA: &str = "dana@northwind.example";
    let url = db.member(DANA);
    for asked in [None, Some(AVA.to_owned())] {
        let opts = DeskOptions {
            db: url.clone().into(),
            actor: asked.clone(),
            now: Some(saps::demo::now()),
            catalog: saps::domain::Catalog::builtin(),
            tour: false,
        };
        let store = std::sync::Arc::new(PgStore::open(&url).unwrap());
        let (m, _engine) = prepare_on(store, opts).unwrap();
        assert_eq!(m.actor.as_deref(), Some(DANA), "asked {asked:?}");
        assert!(
            !m.stack
                .iter()
                .any(|o| matches!(o, saps::ui::model::Overlay::Picker(_))),
            "no picker of whom to act as"
        );
        if asked.is_some() {
            let flash = m.flash.as_ref().map(|(t, _)| t.as_str()).unwrap_or_default();
            assert!(
                flash.contains("you are connected as dana@northwind.example"),
                "{flash}"
            );
        }
    }
}
