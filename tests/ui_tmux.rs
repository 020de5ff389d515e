//! The real binary in a real terminal: `saps demo` inside a detached tmux
//! session (on a private tmux server), driven by `send-keys` and read with
//! `capture-pane`. Skipped when tmux is not installed.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const WIDTH: u16 = 120;
const HEIGHT: u16 = 35;

fn have_tmux() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A tmux server of our own (`-L socket`), killed on drop, pass or fail.
struct Tmux {
    socket: String,
    session: String,
}

impl Tmux {
    fn cmd(&self) -> Command {
        let mut c = Command::new("tmux");
        c.arg("-L").arg(&self.socket);
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        let out = self.cmd().args(args).output().expect("tmux runs");
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    fn capture(&self) -> String {
        let out = self.run(&["capture-pane", "-p", "-t", &self.session]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Sends keys as tmux names them ("q", "Escape", "?").
    fn send(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", self.session.as_str()];
        args.extend(keys);
        self.run(&args);
    }

    /// Polls the pane until `ok` holds (up to `secs` seconds); returns the
    /// last capture either way, and whether it held.
    fn wait_for(&self, secs: u64, ok: impl Fn(&str) -> bool) -> (String, bool) {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let screen = self.capture();
            if ok(&screen) {
                return (screen, true);
            }
            if Instant::now() >= deadline {
                return (screen, false);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    #[track_caller]
    fn expect(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let (screen, held) = self.wait_for(10, ok);
        assert!(held, "waited for {what}; the pane shows:\n{screen}");
        screen
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        // tmux leaves its socket file behind: find it, stop the server, remove it.
        let socket = self
            .cmd()
            .args(["display-message", "-p", "#{socket_path}"])
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .filter(|p| p.ends_with(&self.socket));
        let _ = self.cmd().args(["kill-server"]).output();
        if let Some(path) = socket {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Single-quotes `s` for `sh`.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn start(tmp: &Path) -> Tmux {
    let id = std::process::id();
    let t = Tmux {
        socket: format!("saps-ui-test-{id}"),
        session: format!("saps-ui-{id}"),
    };
    let saps = env!("CARGO_BIN_EXE_saps");
    // The demo's database goes to a temp dir of our own; the shell reports
    // the exit status and stays a while so the pane can be read after.
    let script = format!(
        "cd {dir} && TMPDIR={dir} {saps} demo; echo SAPS_EXIT=$?; sleep 30",
        dir = sh_quote(&tmp.display().to_string()),
        saps = sh_quote(saps),
    );
    let w = WIDTH.to_string();
    let h = HEIGHT.to_string();
    let cmd = format!("sh -c {}", sh_quote(&script));
    let out = t
        .cmd()
        .args([
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            &t.session,
            "-x",
            &w,
            "-y",
            &h,
        ])
        .arg(&cmd)
        .env_remove("TMUX")
        .env("TERM", "xterm-256color")
        .output()
        .expect("tmux starts");
    assert!(
        out.status.success(),
        "tmux new-session: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    t
}

#[test]
fn saps_demo_in_a_real_terminal() {
    if !have_tmux() {
        println!("tmux is not installed: skipping the real-terminal test");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let t = start(tmp.path());

    // The whole first frame: the tab bar at the top, the status bar at the bottom.
    let screen = t.expect("the desk", |s| {
        s.contains("Dashboard") && s.contains("(global_admin)")
    });
    let bar = screen.lines().next().unwrap_or("").to_string();
    for step in ["1 Elig", "2 Enr", "3 Prof", "4 ", "5 Res", "6 D", "7 R", "8 Pay"] {
        assert!(bar.contains(step), "{step:?} in the tab bar: {bar}");
    }
    assert!(
        screen.contains("ava@northwind.example (global_admin)"),
        "{screen}"
    );
    assert!(screen.contains("Vouchers per state"), "{screen}");

    t.send(&["4"]);
    t.expect("step 4's vouchers", |s| s.contains("DEMO-0001"));

    t.send(&["?"]);
    let help = t.expect("help", |s| s.contains("Help") && s.contains("Ctrl-C"));
    assert!(help.contains("quit"), "{help}");
    t.send(&["Escape"]);
    t.expect("help closed", |s| {
        !s.contains("Ctrl-C") && s.contains("DEMO-0001")
    });

    t.run(&["resize-window", "-t", &t.session, "-x", "50", "-y", "12"]);
    t.expect("terminal too small", |s| s.contains("terminal too small"));
    t.run(&[
        "resize-window",
        "-t",
        &t.session,
        "-x",
        &WIDTH.to_string(),
        "-y",
        &HEIGHT.to_string(),
    ]);
    t.expect("the desk again", |s| {
        s.contains("1 Elig") && s.contains("DEMO-0001")
    });

    t.send(&["q"]);
    let end = t.expect("saps to exit", |s| s.contains("SAPS_EXIT="));
    assert!(end.contains("SAPS_EXIT=0"), "a clean exit:\n{end}");
    assert!(
        !end.contains("1 Elig") && !end.contains("Dashboard") && !end.contains("DEMO-0001"),
        "the alternate screen is left, the desk is gone:\n{end}"
    );
    assert!(!end.contains("panicked"), "{end}");
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(
        leftovers.is_empty(),
        "the demo's temporary database is removed: {leftovers:?}"
    );
}
