//! A restore into a database that holds the backup's events already (by
//! their ids) is refused as every restore into a database is, and says so:
//! restored there before (or taken from it), nothing missing; or an
//! earlier state of the same database. Nothing changes. On sled and on
//! PostgreSQL.

mod pg_common;
mod saps_bin;

use saps_bin::{Run, run_cmd, saps_plain};
use std::path::Path;

fn saps(db: &str, args: &[&str]) -> Run {
    let mut c = saps_plain(Path::new(db));
    c.args(["--now", saps_bin::NOW]).args(args);
    run_cmd(c)
}

fn ok(db: &str, args: &[&str]) -> String {
    let r = saps(db, args);
    assert_eq!(r.code, Some(0), "{args:?}: {}", r.stderr);
    r.stdout
}

fn held_twice(target: &str, dir: &Path, walkthrough: &str) {
    let file = dir.join("w.sapsbak");
    let file = file.to_str().unwrap();
    ok(walkthrough, &["backup", file]);
    if target != walkthrough {
        ok(target, &["restore", file]);
    }
    let before = ok(target, &["export", "--format", "json"]);
    let again = saps(target, &["restore", file]);
    assert_eq!(again.code, Some(1), "{}", again.stderr);
    assert!(
        again.stderr.contains("already holds every event of this backup")
            && again.stderr.contains("nothing was restored"),
        "{}",
        again.stderr
    );
    assert_eq!(
        ok(target, &["export", "--format", "json"]),
        before,
        "nothing changed"
    );

    // The source moves on; its newer backup into the older copy.
    let line = dir.join("more.jsonl");
    std::fs::write(
        &line,
        "{\"cmd\":\"add_location\",\"as\":\"alice@contoso.example\",\"location_id\":\"LON-9\",\"country\":\"GB\"}\n",
    )
    .unwrap();
    let source = dir.join("source.db");
    let source = source.to_str().unwrap();
    ok(source, &["restore", file]);
    ok(source, &["exec", line.to_str().unwrap()]);
    let newer = dir.join("newer.sapsbak");
    ok(source, &["backup", newer.to_str().unwrap()]);
    let older = saps(target, &["restore", newer.to_str().unwrap()]);
    assert_eq!(older.code, Some(1), "{}", older.stderr);
    assert!(
        older
            .stderr
            .contains("holds an earlier state of this backup's database"),
        "{}",
        older.stderr
    );
    assert_eq!(
        ok(target, &["export", "--format", "json"]),
        before,
        "nothing changed"
    );

    // Another database altogether: the plain refusal.
    let other = dir.join("other.db");
    let other = other.to_str().unwrap();
    let init = dir.join("init.jsonl");
    std::fs::write(
        &init,
        "{\"cmd\":\"init_partner\",\"name\":\"Other\",\"mpn_id\":\"7654321\",\"mpn_expires\":\"2027-01-01\",\"admin_name\":\"O\",\"admin_email\":\"o@other.example\"}\n",
    )
    .unwrap();
    ok(other, &["exec", init.to_str().unwrap()]);
    let plain = saps(other, &["restore", file]);
    assert_eq!(plain.code, Some(1));
    assert!(
        plain.stderr.contains("already holds a database"),
        "{}",
        plain.stderr
    );
}

#[test]
fn a_sled_database_holding_the_backups_events_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = saps_bin::walkthrough_db(dir.path());
    let db = db.to_str().unwrap();
    held_twice(db, dir.path(), db);
}

#[test]
fn a_postgres_database_holding_the_backups_events_says_so() {
    let Some(pg) = pg_common::fresh() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = saps_bin::walkthrough_db(dir.path());
    held_twice(&pg.url(), dir.path(), db.to_str().unwrap());
}
