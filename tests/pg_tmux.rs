//! Two real desks in a real terminal on one PostgreSQL database: ava's and
//! pat's own logins, each `saps --db postgres://…` (no `--as`: a member's
//! login opens as the member) in a window of a private tmux server. What
//! one commits shows on the other without a key; a half-typed form keeps
//! its text and its submit says the voucher changed. Skipped without tmux
//! (or PostgreSQL, as every `pg_` test).

mod pg_common;

use saps::demo;
use saps::domain::Catalog;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const AVA: &str = "ava@northwind.example";
const PAT: &str = "pat@northwind.example";

/// A tmux server of our own (`-L socket`), killed on drop, pass or fail.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> Output {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs");
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    fn capture(&self, window: &str) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", window]).stdout).into_owned()
    }

    /// Types `text` literally into `window`.
    fn text(&self, window: &str, text: &str) {
        self.run(&["send-keys", "-t", window, "-l", text]);
    }

    /// Keys as tmux names them ("Enter", "Tab", "Space").
    fn keys(&self, window: &str, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", window];
        args.extend(keys);
        self.run(&args);
    }

    /// Polls `window` until it shows `what` (10 s at most): the screen,
    /// and how long it took.
    #[track_caller]
    fn expect(&self, window: &str, what: &str) -> (String, Duration) {
        let start = Instant::now();
        loop {
            let screen = self.capture(window);
            if screen.contains(what) {
                return (screen, start.elapsed());
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "waited for {what:?} in {window}; it shows:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[test]
fn two_members_desks_see_each_others_changes_live() {
    if !Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        eprintln!("tmux is not installed: the two-desk tmux test is skipped");
        return;
    }
    let Some(db) = pg_common::fresh() else { return };
    let store = saps::store::open(std::path::Path::new(&db.url())).expect("the server opens");
    demo::seed(store, &Catalog::builtin()).expect("the demo seeds");
    let urls = [("ava", db.member(AVA)), ("pat", db.member(PAT))];
    let t = Tmux {
        socket: format!("saps-pg-tmux-{}", std::process::id()),
    };
    let saps = env!("CARGO_BIN_EXE_saps");
    for (i, (name, url)) in urls.iter().enumerate() {
        let script = format!(
            "{} --db {} --now {}; sleep 30",
            sh_quote(saps),
            sh_quote(url),
            demo::NOW
        );
        let cmd = format!("env -u SAPS_DB sh -c {}", sh_quote(&script));
        let mut args = vec!["-f", "/dev/null"];
        match i {
            0 => args.extend([
                "new-session",
                "-d",
                "-s",
                "desks",
                "-n",
                name,
                "-x",
                "120",
                "-y",
                "35",
            ]),
            _ => args.extend(["new-window", "-t", "desks", "-n", name]),
        }
        args.push(&cmd);
        t.run(&args);
    }
    let (ava, pat) = ("desks:ava", "desks:pat");
    t.expect(ava, "ava@northwind.example (global_admin)  ● live");
    t.expect(pat, "pat@northwind.example (partner_admin)  ● live");

    // Ava half-fills the reserve form of DEMO-0001.
    t.text(ava, "5");
    t.text(ava, "/DEMO-0001");
    t.keys(ava, &["Enter"]);
    t.expect(ava, "filter: DEMO-0001");
    t.text(ava, "r");
    t.expect(ava, "Reserve a voucher");
    for (value, next) in [
        ("SEA-1", true),
        ("US", true),
        ("2026-06-29", true),
        ("2026-07-0", false),
    ] {
        t.text(ava, value);
        if next {
            t.keys(ava, &["Tab"]);
        }
    }
    t.expect(ava, "2026-07-0 ");

    // Pat reserves it first, by keys on the other desk.
    t.text(pat, "5");
    t.text(pat, "/DEMO-0001");
    t.keys(pat, &["Enter"]);
    t.expect(pat, "filter: DEMO-0001");
    t.text(pat, "r");
    t.expect(pat, "Reserve a voucher");
    for value in [
        "SEA-1",
        "US",
        "2026-06-22",
        "2026-06-26",
        "cody@northwind.example",
    ] {
        t.text(pat, value);
        t.keys(pat, &["Tab"]);
    }
    t.keys(pat, &["Space", "Enter"]);
    t.expect(pat, "Saved: voucher DEMO-0001 reserved");
    let (screen, took) = t.expect(ava, "1 change by pat@northwind.example");
    assert!(took < Duration::from_secs(2), "shown {took:?} after pat's save");
    assert!(screen.contains("2026-07-0 "), "ava's text is kept:\n{screen}");
    assert!(screen.contains("2026-06-29"), "{screen}");

    // Ava finishes and submits: told, text kept; pat's reservation stands.
    t.text(ava, "3");
    t.keys(ava, &["Tab"]);
    t.text(ava, "cody@northwind.example");
    t.keys(ava, &["Tab", "Space", "Enter"]);
    let (screen, _) = t.expect(ava, "DEMO-0001 was changed by pat@northwind.example");
    assert!(
        screen.contains("Reserved. Review and press Enter again"),
        "{screen}"
    );
    assert!(screen.contains("2026-07-03"), "{screen}");

    // And back: ava validates DEMO-0002; pat's desk shows it.
    // One key at a time: an Escape followed at once by a key reads as Alt.
    for _ in 0..2 {
        t.keys(ava, &["Escape"]);
        std::thread::sleep(Duration::from_millis(300));
    }
    t.text(ava, "/");
    t.keys(ava, &["C-u"]);
    t.text(ava, "DEMO-0002");
    t.keys(ava, &["Enter"]);
    t.expect(ava, "filter: DEMO-0002");
    t.text(ava, "v");
    t.expect(ava, "Validate a voucher");
    t.text(ava, "pm2@customer.example");
    t.keys(ava, &["Enter"]);
    t.expect(ava, "Saved: voucher DEMO-0002 validated");
    let (_, took) = t.expect(
        pat,
        "1 change by ava@northwind.example: voucher DEMO-0002 validated",
    );
    assert!(took < Duration::from_secs(2), "shown {took:?} after ava's save");
    t.text(ava, "q");
    t.text(pat, "q");
    // The desks' connections close before the database is dropped.
    std::thread::sleep(Duration::from_millis(800));
    drop(t);
    drop(db);
}
