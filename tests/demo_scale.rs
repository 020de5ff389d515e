//! `saps demo --vouchers N`: the generated database has N vouchers in every
//! state, and is sound as `saps check` sees it (records agree with the
//! replayed audit log, the invariants hold on the demo's day).

use saps::check::invariants::check_state;
use saps::demo::{self, scale};
use saps::domain::{Catalog, Status};
use saps::store::{Backend, Store};

const N: usize = 2_000;

#[test]
fn two_thousand_vouchers_in_every_state_and_sound() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = std::sync::Arc::new(Store::open(&dir.path().join("scale.db")).expect("open"));
    let summary = scale::seed_scale(store.clone(), &Catalog::builtin(), N).expect("seeds");
    assert_eq!(summary.vouchers, N, "{summary}");
    assert_eq!(summary.customers, N / 50, "{summary}");
    assert!(summary.commits > 1, "committed in batches: {summary}");

    let state = store.load().expect("loads");
    assert_eq!(state.vouchers.len(), N);
    let today = demo::now().date_naive();
    for s in Status::ALL {
        let count = state.vouchers.values().filter(|v| v.status(today) == s).count();
        assert!(count > 0, "no {} voucher: {summary}", s.as_str());
        let reported = summary.by_status.iter().find(|(t, _)| *t == s).map(|(_, n)| *n);
        assert_eq!(reported, Some(count), "{summary}");
    }
    assert_eq!(check_state(&state, today), Vec::new());
    // The dashboard's counts, read from the index's counters on several
    // days, are what the records say.
    for day in [
        today,
        today + chrono::Days::new(40),
        today - chrono::Days::new(400),
    ] {
        let stats = saps::app::figures::read(&*store, &state, day).expect("stats");
        for s in Status::ALL {
            let count = state.vouchers.values().filter(|v| v.status(day) == s).count() as u64;
            assert_eq!(
                stats.per_status.get(&s).copied(),
                Some(count),
                "{} on {day}",
                s.as_str()
            );
        }
    }
    // The whole of `saps check`: every value decodes, the replayed log gives
    // the stored records, seqs run 1, 2, 3, ...
    let report = saps::check::check(&store, today);
    assert!(report.healthy(), "{}", report.render());
    assert_eq!(report.vouchers, N);
    assert_eq!(report.events as u64, summary.events);
}

#[test]
fn refuses_a_database_with_a_partner() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = std::sync::Arc::new(Store::open(&dir.path().join("scale.db")).expect("open"));
    scale::seed_scale(store.clone(), &Catalog::builtin(), 0).expect("an empty partner seeds");
    let again = scale::seed_scale(store.clone(), &Catalog::builtin(), 10);
    assert!(again.is_err());
}

#[test]
fn the_desk_holds_only_the_latest_events_and_the_store_gives_them_in_order() {
    use saps::app::{DeskOptions, prepare_on};
    use saps::ui::update::AUDIT_WINDOW;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scale.db");
    let store = std::sync::Arc::new(Store::open(&path).unwrap());
    scale::seed_scale(store.clone(), &Catalog::builtin(), 1_000).unwrap();
    let last = store.load().unwrap().last_seq;
    assert!(
        last as usize > AUDIT_WINDOW,
        "the seed makes more events than the window"
    );

    let recent = store.recent_events(3).unwrap();
    let seqs: Vec<u64> = recent.iter().map(|r| r.seq).collect();
    assert_eq!(seqs, [last - 2, last - 1, last], "the newest, oldest first");

    let opts = DeskOptions {
        db: path,
        actor: Some(demo::ADMIN.into()),
        now: Some(demo::now()),
        catalog: Catalog::builtin(),
        tour: false,
    };
    let (mut m, mut engine) = prepare_on(store, opts).unwrap();
    assert!(m.audit.is_none(), "the audit log is not read at start-up");
    m.tab = saps::ui::tab::Tab::Audit;
    saps::app::dispatch(&mut m, &mut engine, saps::ui::Msg::Refresh);
    let audit = m.audit.as_ref().expect("read when its pane is shown");
    assert_eq!(audit.len(), AUDIT_WINDOW);
    let first = last + 1 - AUDIT_WINDOW as u64;
    assert_eq!(audit.first().map(|r| r.seq), Some(first));
    assert_eq!(m.event(last).map(|r| r.seq), Some(last));
    assert_eq!(m.event(first).map(|r| r.seq), Some(first));
    assert!(m.event(first - 1).is_none(), "older events are not held");
}

#[test]
fn a_longer_history_is_committed_in_as_many_batches() {
    // 100,000 vouchers (636,972 commands) commit as before, 5,000 events a time.
    assert_eq!(scale::batch_events(636_972), scale::BATCH_EVENTS);
    let commits = |commands: usize| commands.div_ceil(scale::batch_events(commands));
    // 300,000 vouchers, and ten times that: the same number of commits.
    for commands in [1_911_178, 19_111_780] {
        assert!(commits(commands) <= scale::COMMITS + 1, "{commands}");
    }
    assert!(commits(2_000) == 1);
}

/// Into a fresh directory the demo is generated beside it and restored
/// into it: the same records, events (ids too) and demo clock as one
/// generated in place, a sound database, and nothing left beside it.
#[test]
fn written_compactly_it_holds_what_generating_in_place_holds() {
    use saps::demo::compact;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("new").join("compact.db");
    assert!(compact::applies(&target), "a missing directory");
    let (summary, compacted) = compact::seed_compact(&target, &Catalog::builtin(), 300).expect("seeds");
    assert_eq!(summary.vouchers, 300, "{summary}");
    let names: Vec<_> = std::fs::read_dir(dir.path().join("new"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        names,
        vec![std::ffi::OsString::from("compact.db")],
        "no scratch left"
    );
    assert!(!compact::applies(&target), "a database is not written over");

    let here = dir.path().join("here.db");
    std::fs::create_dir(&here).unwrap();
    assert!(compact::applies(&here), "an empty directory");
    let in_place = std::sync::Arc::new(Store::open(&here).unwrap());
    scale::seed_scale(in_place.clone(), &Catalog::builtin(), 300).unwrap();
    demo::mark_demo(&*in_place).unwrap();

    assert_eq!(compacted.load().unwrap(), in_place.load().unwrap());
    // (Each generation gives its events fresh ids; a restore keeps them,
    // as `tests/exec_ids.rs` shows.)
    let events = |s: &dyn Backend| {
        let mut all = s.events_after(0, usize::MAX).unwrap();
        all.iter_mut().for_each(|r| r.id = uuid::Uuid::nil());
        all
    };
    let (a, b) = (events(&*compacted), events(&*in_place));
    assert_eq!(a.len() as u64, summary.events);
    assert_eq!(a, b, "the same events at the same times");
    assert_eq!(compacted.demo_clock().unwrap(), Some(demo::now()));
    drop(compacted);
    // (sled's flusher may hold the dropped database's lock for a moment.)
    let mut again = Store::open(&target);
    for _ in 0..100 {
        if again.is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        again = Store::open(&target);
    }
    let report = saps::check::check(&again.expect("reopens"), demo::now().date_naive());
    assert!(report.healthy(), "{}", report.render());
}

/// `saps demo --vouchers N --db .` (or the same directory by its full
/// path) in an empty directory writes the demo into it, the directory
/// itself kept: the shell that is in it still sees the database.
#[cfg(unix)]
#[test]
fn the_directory_saps_runs_in_gets_the_demo_in_place() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    for (name, db) in [("dot", None), ("full", Some(()))] {
        let here = dir.path().join(name);
        std::fs::create_dir(&here).unwrap();
        let before = std::fs::metadata(&here).unwrap();
        let db = db.map_or(std::path::PathBuf::from("."), |()| here.clone());
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_saps"))
            .current_dir(&here)
            .arg("demo")
            .arg("--vouchers")
            .arg("20")
            .arg("--db")
            .arg(&db)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        // (Here the desk has no terminal: the database is made before it.)
        assert!(stderr.contains("needs a terminal"), "{name}: {stderr}");
        assert!(here.join("conf").exists(), "{name}: a database in it: {stderr}");
        assert_eq!(
            std::fs::metadata(&here).unwrap().ino(),
            before.ino(),
            "{name}: the same directory"
        );
        let names = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(names, if name == "dot" { 1 } else { 2 }, "nothing left beside");
    }
}

/// An empty directory in one that takes no new entries (here made
/// immutable, which binds root too) gets the demo in place, as before
/// there was a scratch beside it: nothing is refused for want of room
/// beside the target.
#[cfg(target_os = "linux")]
#[test]
fn an_empty_directory_that_cannot_have_a_scratch_beside_it_is_generated_in_place() {
    use saps::demo::compact;
    struct Mutable<'a>(&'a std::path::Path);
    impl Drop for Mutable<'_> {
        fn drop(&mut self) {
            let _ = std::process::Command::new("chattr")
                .arg("-i")
                .arg(self.0)
                .status();
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("demo.db");
    std::fs::create_dir(&target).unwrap();
    let locked = std::process::Command::new("chattr")
        .arg("+i")
        .arg(dir.path())
        .output()
        .is_ok_and(|o| o.status.success());
    let _unlock = Mutable(dir.path());
    if !locked || std::fs::create_dir(dir.path().join("probe")).is_ok() {
        eprintln!("skipped: chattr +i is not to be had here");
        return;
    }
    assert!(!compact::applies(&target), "no scratch can be made beside it");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_saps"))
        .args(["demo", "--vouchers", "20", "--db"])
        .arg(&target)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // (Here the desk has no terminal: the database is made before it.)
    assert!(stderr.contains("needs a terminal"), "{stderr}");
    assert!(target.join("conf").exists(), "a database in it: {stderr}");
}
