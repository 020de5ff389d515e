//! `saps restore` into PostgreSQL, through the real binary: a database moves
//! sled → PostgreSQL → sled with equal backups (byte for byte) and equal
//! exports (JSON and CSV) at every stop, deliverables included; a database
//! that holds records is refused as sled's restore refuses; a member
//! cannot restore; a damaged backup leaves the database empty.

mod pg_common;
mod saps_bin;

use saps::demo::{self, scale};
use saps::domain::Catalog;
use saps::store::Store;
use saps::store::backup::format::{self, Item, Reader, Writer};
use saps_bin::{Run, run_cmd, saps_plain};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// `saps --db DB --now <the demo's day> ARGS`.
fn saps(db: &str, args: &[&str]) -> Run {
    let mut c = saps_plain(Path::new(db));
    c.arg("--now").arg(demo::NOW).args(args);
    run_cmd(c)
}

fn ok(db: &str, args: &[&str]) -> String {
    let mut run = saps(db, args);
    // A sled database just closed in this process stays locked until
    // sled's flusher thread ends (a few milliseconds).
    for _ in 0..100 {
        if !run.stderr.contains("is open in another saps") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        run = saps(db, args);
    }
    assert_eq!(run.code, Some(0), "saps --db {db} {args:?}: {}", run.stderr);
    run.stdout
}

/// JSON and CSV exports.
fn exports(db: &str) -> (String, String) {
    (
        ok(db, &["export", "--format", "json"]),
        ok(db, &["export", "--format", "csv"]),
    )
}

/// Moves the sled database `from` to PostgreSQL and back to a new sled
/// database, comparing backups and exports at every stop.
fn round_trip(dir: &Path, from: &Path, url: &str) {
    let from = from.to_str().unwrap();
    let (f1, f2, f3) = (
        dir.join("1.sapsbak"),
        dir.join("2.sapsbak"),
        dir.join("3.sapsbak"),
    );
    let back = dir.join("back.db");
    let (f1s, f2s, f3s, backs) = (
        f1.to_str().unwrap(),
        f2.to_str().unwrap(),
        f3.to_str().unwrap(),
        back.to_str().unwrap(),
    );
    let expected = exports(from);
    ok(from, &["backup", f1s]);
    let said = ok(url, &["restore", f1s]);
    assert!(
        said.starts_with(&format!("restored {f1s} into postgres")),
        "{said}"
    );
    let user = url.split_once("://").unwrap().1.split('@').next().unwrap();
    if let Some((_, password)) = user.split_once(':').filter(|(_, p)| !p.is_empty()) {
        assert!(!said.contains(password), "the password is never shown: {said}");
    }
    assert_eq!(exports(url), expected, "PostgreSQL exports what sled did");
    ok(url, &["backup", f2s]);
    assert!(
        std::fs::read(&f1).unwrap() == std::fs::read(&f2).unwrap(),
        "PostgreSQL's backup is sled's, byte for byte"
    );
    ok(backs, &["restore", f2s]);
    assert_eq!(exports(backs), expected, "back on sled, the same exports");
    ok(backs, &["backup", f3s]);
    assert!(
        std::fs::read(&f1).unwrap() == std::fs::read(&f3).unwrap(),
        "the third backup is the first"
    );
    let check = saps(url, &["check"]);
    assert_eq!(
        check.code,
        Some(0),
        "saps check on PostgreSQL: {}{}",
        check.stdout,
        check.stderr
    );
}

#[test]
fn the_demo_moves_sled_to_postgres_to_sled_with_equal_backups_and_exports() {
    let Some(db) = pg_common::fresh() else { return };
    let dir = tempfile::tempdir().unwrap();
    let demo_db = dir.path().join("demo.db");
    {
        let store = Arc::new(Store::open(&demo_db).unwrap());
        demo::seed(store, &Catalog::builtin()).unwrap();
    }
    round_trip(dir.path(), &demo_db, &db.url());
    // The demo's deliverable is in the files table, and reads back verified.
    let files: i64 = db
        .owner_client()
        .query_one("SELECT count(*) FROM saps.files", &[])
        .unwrap()
        .get(0);
    assert!(files > 0, "the demo's deliverable moved into saps.files");

    // Restoring again, into a database that holds its events, is refused
    // in sled's words (saying they are all there), and changes nothing.
    let f1 = dir.path().join("1.sapsbak");
    let before = exports(&db.url());
    let again = saps(&db.url(), &["restore", f1.to_str().unwrap()]);
    assert_eq!(again.code, Some(1), "{}", again.stderr);
    assert!(
        again.stderr.contains("already holds every event of this backup"),
        "{}",
        again.stderr
    );
    assert_eq!(exports(&db.url()), before);
}

#[test]
fn a_generated_database_of_thousands_of_vouchers_moves_both_ways() {
    let Some(db) = pg_common::fresh() else { return };
    let dir = tempfile::tempdir().unwrap();
    let from = dir.path().join("scale.db");
    {
        let store = Arc::new(Store::open(&from).unwrap());
        let summary = scale::seed_scale(store, &Catalog::builtin(), 3_000).unwrap();
        assert_eq!(summary.vouchers, 3_000);
    }
    round_trip(dir.path(), &from, &db.url());
    let events: i64 = db
        .owner_client()
        .query_one("SELECT count(*) FROM saps.events", &[])
        .unwrap()
        .get(0);
    assert!(
        events as usize > saps::store::postgres::RESTORE_BATCH,
        "more events than one batch: {events}"
    );
}

#[test]
fn a_member_cannot_restore_and_a_damaged_backup_restores_nothing() {
    let Some(db) = pg_common::fresh() else { return };
    let dir = tempfile::tempdir().unwrap();
    let demo_db = dir.path().join("demo.db");
    {
        let store = Arc::new(Store::open(&demo_db).unwrap());
        demo::seed(store, &Catalog::builtin()).unwrap();
    }
    let file = dir.path().join("demo.sapsbak");
    let file_s = file.to_str().unwrap();
    ok(demo_db.to_str().unwrap(), &["backup", file_s]);
    ok(&db.url(), &["check"]);
    let member = db.member("ava@northwind.example");
    let refused = saps(&member, &["restore", file_s]);
    assert_eq!(refused.code, Some(1), "{}", refused.stderr);
    assert!(
        refused
            .stderr
            .contains("only the owner of the database restores a backup into it"),
        "{}",
        refused.stderr
    );

    // One byte changed in the middle: the checksum refuses it first.
    let mut bytes = std::fs::read(&file).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    let damaged = dir.path().join("damaged.sapsbak");
    std::fs::write(&damaged, &bytes).unwrap();
    let run = saps(&db.url(), &["restore", damaged.to_str().unwrap()]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("is not a usable saps backup"),
        "{}",
        run.stderr
    );
    let events: i64 = db
        .owner_client()
        .query_one("SELECT count(*) FROM saps.events", &[])
        .unwrap()
        .get(0);
    assert_eq!(events, 0, "nothing was restored");
    // The sound one still restores after both refusals.
    ok(&db.url(), &["restore", file_s]);
}

#[test]
fn a_damaged_record_behind_a_sound_checksum_rolls_the_whole_restore_back() {
    let Some(db) = pg_common::fresh() else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = demo_backup(dir.path());
    // The same backup, rewritten with its last voucher's bytes cut short
    // (the vouchers tree comes after the events): a sound checksum over a
    // record that does not decode.
    let last = entries(&file, b"vouchers") - 1;
    let damaged_file = rewritten(&file, &dir.path().join("damaged.sapsbak"), |tree, n, v| {
        (tree == b"vouchers" && n == last).then(|| Some(v[..v.len() / 2].to_vec()))
    });
    let run = saps(&db.url(), &["restore", damaged_file.to_str().unwrap()]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("it holds damaged data (voucher "),
        "{}",
        run.stderr
    );
    let client = &mut db.owner_client();
    for table in ["events", "vouchers", "customers", "files"] {
        let n: i64 = client
            .query_one(&format!("SELECT count(*) FROM saps.{table}"), &[])
            .unwrap()
            .get(0);
        assert_eq!(n, 0, "saps.{table} is empty again");
    }
    ok(&db.url(), &["restore", file.to_str().unwrap()]);
}

/// A backup of the demo's sled database, made in `dir`.
fn demo_backup(dir: &Path) -> PathBuf {
    let demo_db = dir.join("demo.db");
    {
        let store = Arc::new(Store::open(&demo_db).unwrap());
        demo::seed(store, &Catalog::builtin()).unwrap();
    }
    let file = dir.join("demo.sapsbak");
    ok(demo_db.to_str().unwrap(), &["backup", file.to_str().unwrap()]);
    file
}

/// The items of the backup `file`, each file's content beside it.
fn items(file: &Path) -> (u32, Vec<(Item, Vec<u8>)>) {
    let bytes = std::fs::read(file).unwrap();
    let header = format::read_header(bytes[..format::HEADER_LEN as usize].try_into().unwrap()).unwrap();
    let body = &bytes[format::HEADER_LEN as usize..bytes.len() - format::CHECKSUM_LEN as usize];
    let mut reader = Reader::new(body, body.len() as u64);
    let mut items = Vec::new();
    loop {
        match reader.next_item(u64::MAX).unwrap() {
            Item::End => break,
            Item::File { name, size } => {
                let mut content = Vec::new();
                std::io::Read::read_to_end(&mut reader.file_content(size), &mut content).unwrap();
                items.push((Item::File { name, size }, content));
            }
            item => items.push((item, Vec::new())),
        }
    }
    (header.schema, items)
}

/// How many entries the tree `name` of the backup `file` has.
fn entries(file: &Path, name: &[u8]) -> usize {
    let mut tree = Vec::new();
    let mut n = 0;
    for (item, _) in items(file).1 {
        match item {
            Item::Tree(t) => tree = t,
            Item::Entry(..) if tree == name => n += 1,
            _ => {}
        }
    }
    n
}

/// The backup `file` written again to `to`, with a sound checksum, each
/// entry as `change` says (given its tree, its place in the tree and its
/// value): `None` as it was, `Some(None)` left out, `Some(Some(v))` as `v`.
fn rewritten(
    file: &Path,
    to: &Path,
    change: impl Fn(&[u8], usize, &[u8]) -> Option<Option<Vec<u8>>>,
) -> PathBuf {
    let (schema, items) = items(file);
    let mut w = Writer::new(Vec::new(), schema).unwrap();
    let (mut tree, mut n) = (Vec::new(), 0);
    for (item, content) in &items {
        match item {
            Item::Tree(name) => {
                (tree, n) = (name.clone(), 0);
                w.tree(name).unwrap();
            }
            Item::Entry(k, v) => {
                match change(&tree, n, v) {
                    None => w.entry(k, v).unwrap(),
                    Some(Some(v)) => w.entry(k, &v).unwrap(),
                    Some(None) => {}
                }
                n += 1;
            }
            Item::File { name, size } => w.file(name, *size, content.as_slice()).unwrap(),
            Item::End => unreachable!(),
        }
    }
    std::fs::write(to, w.finish().unwrap().0).unwrap();
    to.to_path_buf()
}

#[test]
fn a_backup_whose_events_skip_one_restores_nothing() {
    let Some(db) = pg_common::fresh() else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = demo_backup(dir.path());
    // Event 3 left out, behind a sound checksum.
    let gapped = rewritten(&file, &dir.path().join("gapped.sapsbak"), |tree, n, _| {
        (tree == b"events" && n == 2).then_some(None)
    });
    let run = saps(&db.url(), &["restore", gapped.to_str().unwrap()]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("its events do not follow one another") && run.stderr.contains("event 4"),
        "{}",
        run.stderr
    );
    let n: i64 = db
        .owner_client()
        .query_one("SELECT count(*) FROM saps.events", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 0, "nothing restored");
}

#[test]
fn a_backup_of_an_older_schema_restores_into_postgres_migrated_as_into_sled() {
    let Some(db) = pg_common::fresh() else { return };
    let dir = tempfile::tempdir().unwrap();
    let v1 = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1.sapsbak");
    let v1 = v1.to_str().unwrap();
    let on_sled = dir.path().join("v1.db");
    let on_sled = on_sled.to_str().unwrap();
    ok(on_sled, &["restore", v1]);
    let before = restore_dirs();
    let said = ok(&db.url(), &["restore", v1]);
    assert!(
        said.contains("schema 1"),
        "the summary names the backup's schema: {said}"
    );
    assert_eq!(exports(&db.url()), exports(on_sled), "the same data, migrated");
    let (a, b) = (dir.path().join("a.sapsbak"), dir.path().join("b.sapsbak"));
    ok(&db.url(), &["backup", a.to_str().unwrap()]);
    ok(on_sled, &["backup", b.to_str().unwrap()]);
    assert!(
        std::fs::read(&a).unwrap() == std::fs::read(&b).unwrap(),
        "equal backups"
    );
    let left: Vec<_> = restore_dirs().difference(&before).cloned().collect();
    assert!(left.is_empty(), "the temporary sled database is gone");
}

/// The temporary sled databases an older backup's restore migrates in.
fn restore_dirs() -> std::collections::BTreeSet<String> {
    std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("saps-restore-"))
        .collect()
}
