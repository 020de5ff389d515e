//! The live desk on PostgreSQL: a desk driven by keys (ava's own login)
//! while a second writer, a separate `saps exec` process (pat's login),
//! commits. The desk shows the change within about a second of the commit
//! without a key pressed (only what its listener heard is dispatched), a
//! half-typed form keeps its text, and a submit on a voucher changed
//! underneath says so and keeps the text. A lost listening connection is
//! said and retried. A desk on a file never listens.

mod pg_common;
mod ui_common;

use ratatui::crossterm::event::KeyCode;
use saps::app::{self, DeskOptions, live::Listener};
use saps::demo;
use saps::domain::{Catalog, Status};
use saps::ui::Msg;
use saps::ui::model::{Heard, Live};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use ui_common::*;

/// Member roles are the cluster's, named by the demo's emails: one test
/// at a time makes them.
static TEAM: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// A demo database on the server, with member logins for ava and pat.
fn team() -> Option<(pg_common::TestDb, String, String)> {
    let db = pg_common::fresh()?;
    let store = saps::store::open(std::path::Path::new(&db.url())).expect("the server opens");
    demo::seed(store, &Catalog::builtin()).expect("the demo seeds");
    let ava = db.member(AVA);
    let pat = db.member(PAT);
    Some((db, ava, pat))
}

/// A desk on `url` acting as ava, listening.
fn desk(url: &str) -> (Desk, Listener) {
    let store = saps::store::open(std::path::Path::new(url)).expect("the server opens");
    let opts = DeskOptions {
        db: PathBuf::from(url),
        actor: Some(AVA.into()),
        now: Some(demo::now()),
        catalog: Catalog::builtin(),
        tour: false,
    };
    let (mut m, engine) = app::prepare_on(store, opts).expect("desk prepares");
    let listener = app::start_listening(&mut m, &engine).expect("a server desk listens");
    m.db_label = DB_LABEL.to_string();
    let mut d = Desk {
        m,
        engine: Some(engine),
        db: PathBuf::from(url),
        dir: tempfile::tempdir().unwrap(),
    };
    d.send(Msg::Resize(80, 24));
    (d, listener)
}

/// `saps --db URL exec -` fed `lines`, as a process of its own.
fn exec(url: &str, lines: &[String]) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_saps"))
        .args(["--db", url, "--now", demo::NOW, "exec", "-"])
        .env_remove("SAPS_DB")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("saps runs");
    let input = lines.join("\n") + "\n";
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the second writer's lines go through: {said} {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn reserve(id: &str) -> String {
    format!(
        r#"{{"cmd":"reserve_voucher","voucher_id":"{id}","admin_email":"pm1@customer.example","engagement":"windows-office-deployment","location_id":"SEA-1","country":"US","start":"2026-06-22","end":"2026-06-26","consultants":["{CODY}"],"accept_terms":true}}"#
    )
}

/// Waits (bounded) for what the listener hears and dispatches it: no key.
/// How long it took, and the messages.
fn hear(d: &mut Desk, listener: &Listener, within: Duration) -> (Duration, Vec<Msg>) {
    let start = Instant::now();
    let msgs = listener.wait(within);
    let took = start.elapsed();
    for msg in msgs.clone() {
        d.send(msg);
    }
    (took, msgs)
}

fn changed(msgs: &[Msg]) -> usize {
    msgs.iter()
        .filter(|m| matches!(m, Msg::Live(Heard::Changed(_))))
        .count()
}

#[test]
fn a_desk_shows_another_users_commit_within_a_second_without_a_key() {
    let _one = TEAM.lock().unwrap_or_else(|e| e.into_inner());
    let Some((db, ava, pat)) = team() else { return };
    let (mut d, listener) = desk(&ava);
    d.key('5');
    pick(&mut d, "DEMO-0001");
    assert_eq!(
        d.m.voucher("DEMO-0001").map(|v| v.status(d.m.today())),
        Some(Status::Assigned)
    );
    assert!(
        d.show().contains("● live"),
        "the status bar says the desk is live:\n{}",
        d.show()
    );

    exec(&pat, &[reserve("DEMO-0001")]);
    let (took, msgs) = hear(&mut d, &listener, Duration::from_secs(3));
    assert_eq!(changed(&msgs), 1, "one commit heard: {msgs:?}");
    assert!(took < Duration::from_secs(1), "heard {took:?} after pat's commit");
    // What the pane shows was read again, by the desk's own reads.
    assert_eq!(
        d.m.voucher("DEMO-0001").map(|v| v.status(d.m.today())),
        Some(Status::Reserved)
    );
    let screen = d.show();
    assert!(screen.contains("1 change by pat@northwind.example"), "{screen}");
    assert!(screen.contains("reserved"), "{screen}");

    // A burst of commits comes as one refresh that counts them all.
    let locations: Vec<String> = ["SEA-7", "SEA-8", "SEA-9"]
        .iter()
        .map(|id| format!(r#"{{"cmd":"add_location","location_id":"{id}","country":"US"}}"#))
        .collect();
    exec(&pat, &locations);
    let (_, msgs) = hear(&mut d, &listener, Duration::from_secs(3));
    assert_eq!(changed(&msgs), 1, "one message for the burst: {msgs:?}");
    assert!(
        d.flash().starts_with("3 changes by pat@northwind.example"),
        "{}",
        d.flash()
    );
    assert!(
        d.m.state.org.locations.contains_key("SEA-9"),
        "the organisation caught up"
    );

    listener.stop();
    drop(d);
    drop(db);
}

#[test]
fn a_half_typed_form_keeps_its_text_and_its_submit_says_the_voucher_changed() {
    let _one = TEAM.lock().unwrap_or_else(|e| e.into_inner());
    let Some((db, ava, pat)) = team() else { return };
    let (mut d, listener) = desk(&ava);
    d.key('5');
    pick(&mut d, "DEMO-0001");
    d.key('r');
    d.fill("location_id", "SEA-1");
    d.fill("country", "US");
    d.fill("start", "2026-06-29");
    d.fill("end", "2026-07-0");
    let typed: Vec<(String, String)> = d
        .form()
        .unwrap()
        .fields
        .iter()
        .map(|f| (f.spec.name.to_string(), f.input.value().to_string()))
        .collect();
    let focus = d.focused();

    exec(&pat, &[reserve("DEMO-0001")]);
    let (took, msgs) = hear(&mut d, &listener, Duration::from_secs(3));
    assert_eq!(changed(&msgs), 1, "{msgs:?}");
    assert!(took < Duration::from_secs(1), "heard {took:?} after pat's commit");
    assert!(d.flash().contains("pat@northwind.example"), "{}", d.flash());
    assert!(d.form().is_some(), "the form stays open");
    assert_eq!(d.focused(), focus, "the focus stays");
    for (name, value) in &typed {
        assert_eq!(&d.field(name), value, "{name} kept as typed");
    }
    // Typing goes on where it was.
    d.keys("3");
    assert_eq!(d.field("end"), "2026-07-03");
    d.fill("consultants", CODY);
    d.set_toggle("accept_terms", "yes");

    d.press(KeyCode::Enter);
    assert!(d.form().is_some(), "not submitted: the form stays");
    let said = d.form().unwrap().message.clone().unwrap_or_default();
    assert!(
        said.starts_with("DEMO-0001 was changed by pat@northwind.example while you were editing"),
        "{said}"
    );
    assert!(said.contains("its stage is now Reserved"), "{said}");
    assert!(said.contains("press Enter again to submit"), "{said}");
    assert!(squash(&d.screen(120, 40)).contains("DEMO-0001 was changed by pat@northwind.example"));
    assert_eq!(d.field("end"), "2026-07-03", "the text is kept");
    assert_eq!(d.field("start"), "2026-06-29");

    // The second submit goes through the domain's rules: reserved already.
    d.press(KeyCode::Enter);
    let form = d.form().expect("refused: the form stays");
    let why = form
        .message
        .iter()
        .chain(form.fields.iter().filter_map(|f| f.error.as_ref()))
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(!why.contains("while you were editing"), "{why}");
    assert!(!why.is_empty(), "the rule that refused it is shown");
    assert_eq!(d.field("end"), "2026-07-03", "still kept");
    let v = d.voucher("DEMO-0001").unwrap();
    assert_eq!(
        v.reservation.unwrap().start.to_string(),
        "2026-06-22",
        "pat's stands"
    );
    listener.stop();
    drop(d);
    drop(db);
}

#[test]
fn a_lost_listening_connection_is_said_and_listening_comes_back() {
    let _one = TEAM.lock().unwrap_or_else(|e| e.into_inner());
    let Some((db, _, pat)) = team() else { return };
    // On the owner's login, whose connections the owner may end.
    let (mut d, listener) = desk(&db.url());
    db.owner_sql(&format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{}' AND application_name = 'saps listen'",
        db.name
    ));
    let (_, msgs) = hear(&mut d, &listener, Duration::from_secs(5));
    assert!(
        msgs.iter().any(|m| matches!(m, Msg::Live(Heard::Lost(_)))),
        "the loss is heard: {msgs:?}"
    );
    assert!(matches!(d.m.live, Live::Lost(_)));
    assert!(d.show().contains("✗ not live"), "{}", d.show());
    assert!(d.flash().contains("reconnecting"), "{}", d.flash());
    let mut back = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !back.iter().any(|m| matches!(m, Msg::Live(Heard::Back))) && Instant::now() < deadline {
        back.extend(hear(&mut d, &listener, Duration::from_secs(1)).1);
    }
    assert!(matches!(d.m.live, Live::On), "listening again: {back:?}");
    // And it hears commits again.
    exec(&pat, &[reserve("DEMO-0001")]);
    let (_, msgs) = hear(&mut d, &listener, Duration::from_secs(3));
    assert_eq!(changed(&msgs), 1, "{msgs:?}");
    assert!(d.flash().contains("1 change by pat"), "{}", d.flash());
    listener.stop();
    drop(d);
    drop(db);
}

#[test]
fn a_desk_on_a_file_never_listens_and_its_status_bar_is_as_before() {
    let mut d = Desk::demo();
    let engine = d.engine.as_ref().unwrap();
    assert!(app::start_listening(&mut d.m, engine).is_none());
    assert_eq!(d.m.live, Live::Off);
    let screen = d.screen(80, 24);
    assert!(
        !screen.contains("● live") && !screen.contains("not live"),
        "{screen}"
    );
}
