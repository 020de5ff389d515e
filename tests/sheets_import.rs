//! `saps import`: a partner's spreadsheet of 10 customers and 1,000 vouchers
//! with a few bad rows, as CSV and as .xlsx (made here), through the real
//! binary. Each bad row is named with its row number and column, the rest
//! are accepted, and the dry run writes nothing.

mod saps_bin;

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook};
use saps_bin::{export_json, run, walkthrough_db};
use serde_json::Value;
use std::path::Path;

const ADMIN: &str = "alice@contoso.example";
const HEADER: [&str; 11] = [
    "Licensing ID",
    "Customer name",
    "Planning days",
    "Agreement expires",
    "Voucher ID",
    "Customer",
    "Offering",
    "Days",
    "Created on",
    "Voucher administrator",
    "Notes",
];

#[derive(Clone)]
enum V {
    Text(String),
    Num(f64),
    Date(NaiveDate),
    Empty,
}

fn t(s: &str) -> V {
    V::Text(s.to_owned())
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A bad row: its index among the vouchers, what to break, the column it
/// must be named by and the code it must get.
struct Bad {
    voucher: usize,
    col: usize,
    value: V,
    letter: &'static str,
    code: &'static str,
}

/// The sheet's rows under the header (customers first, then vouchers),
/// the bad ones broken as `bad` says.
fn sheet(bad: &[Bad]) -> Vec<Vec<V>> {
    let mut rows = Vec::new();
    for c in 0..10 {
        let mut r = vec![V::Empty; HEADER.len()];
        r[0] = t(&format!("LIC-IMP-{c:02}"));
        r[1] = t(&format!("Customer {c}, Ltd."));
        r[2] = V::Num(600.0);
        r[3] = V::Date(date(2028, 12, 31));
        rows.push(r);
    }
    for i in 0..1000 {
        let mut r = vec![V::Empty; HEADER.len()];
        r[4] = t(&format!("IMP-{i:05}"));
        r[5] = t(&format!("LIC-IMP-{:02}", i % 10));
        r[6] = t("DDPS");
        r[7] = V::Num(3.0);
        r[8] = V::Date(date(2026, 3, 1));
        r[9] = t(&format!("pm{i}@customer.example"));
        r[10] = t("from the tracker");
        for b in bad.iter().filter(|b| b.voucher == i) {
            r[b.col] = b.value.clone();
        }
        rows.push(r);
    }
    rows
}

fn write_csv(path: &Path, rows: &[Vec<V>]) {
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(HEADER).unwrap();
    for r in rows {
        let cells: Vec<String> = r
            .iter()
            .map(|v| match v {
                V::Text(s) => s.clone(),
                V::Num(n) => n.to_string(),
                V::Date(d) => d.format("%Y-%m-%d").to_string(),
                V::Empty => String::new(),
            })
            .collect();
        w.write_record(&cells).unwrap();
    }
    w.flush().unwrap();
}

fn write_xlsx(path: &Path, rows: &[Vec<V>]) {
    let mut book = Workbook::new();
    let dates = Format::new().set_num_format("dd/mm/yyyy");
    let s = book.add_worksheet();
    for (c, h) in HEADER.iter().enumerate() {
        s.write_string(0, c as u16, *h).unwrap();
    }
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        for (c, v) in r.iter().enumerate() {
            let c = c as u16;
            match v {
                V::Text(x) => s.write_string(row, c, x).map(|_| ()),
                V::Num(n) => s.write_number(row, c, *n).map(|_| ()),
                V::Date(d) => s.write_datetime_with_format(row, c, d, &dates).map(|_| ()),
                V::Empty => Ok(()),
            }
            .unwrap();
        }
    }
    book.save(path).unwrap();
}

/// The spreadsheet row a voucher is on: the header is row 1, the ten
/// customers rows 2 to 11.
fn row_of(voucher: usize) -> u64 {
    voucher as u64 + 12
}

fn import(db: &Path, file: &Path, dry: bool) -> saps_bin::Run {
    let mut args = vec!["--as", ADMIN, "import", file.to_str().unwrap()];
    if dry {
        args.push("--dry-run");
    }
    run(db, &args)
}

/// Checks the answers: one line per row, each bad row named by its row,
/// column and code, every other row accepted, then the summary.
fn check_answers(r: &saps_bin::Run, bad: &[Bad], dry: bool) {
    assert_eq!(r.code, Some(1), "some rows are rejected: {}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 1010 + 1, "{}", r.stdout);
    for b in bad {
        let row = row_of(b.voucher);
        let line = lines
            .iter()
            .find(|l| l.starts_with(&format!("row {row},")) || l.starts_with(&format!("row {row}:")))
            .unwrap_or_else(|| panic!("no line for row {row}"));
        let head = format!(
            "row {row}, column {} \"{}\": {}: ",
            b.letter, HEADER[b.col], b.code
        );
        assert!(
            line.starts_with(&head),
            "row {row}: expected {head:?}, got {line:?}"
        );
    }
    let ok = lines.iter().filter(|l| l.contains(": ok, ")).count();
    assert_eq!(ok, 1010 - bad.len(), "every other row is accepted");
    let mut summary = format!("1010 rows: {} accepted, {} rejected", 1010 - bad.len(), bad.len());
    if dry {
        summary.push_str(" (dry run: nothing was written)");
    }
    summary.push_str("; columns not read: Notes (K)");
    assert_eq!(lines.last().unwrap(), &summary);
}

fn voucher_ids(json: &str) -> Vec<String> {
    let v: Value = serde_json::from_str(json).unwrap();
    v["vouchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["voucher_id"].as_str().unwrap().to_owned())
        .collect()
}

fn intake(bad: &[Bad], write: fn(&Path, &[Vec<V>]), name: &str) {
    let dir = tempfile::tempdir().unwrap();
    let db = walkthrough_db(dir.path());
    let file = dir.path().join(name);
    write(&file, &sheet(bad));

    let before = export_json(&db);
    let dry = import(&db, &file, true);
    check_answers(&dry, bad, true);
    assert!(export_json(&db) == before, "the dry run wrote nothing");

    let real = import(&db, &file, false);
    check_answers(&real, bad, false);
    let strip = |s: &str| s.replace(" (dry run: nothing was written)", "");
    assert_eq!(
        strip(&dry.stdout),
        real.stdout,
        "the dry run said what the import did"
    );
    let ids = voucher_ids(&export_json(&db));
    // A bad row's voucher is not stored (the duplicate's own id was replaced).
    assert_eq!(ids.len(), 1 + 1000 - bad.len());
    for b in bad {
        assert!(
            !ids.contains(&format!("IMP-{:05}", b.voucher)),
            "bad row {} was stored",
            row_of(b.voucher)
        );
    }
}

#[test]
fn a_csv_of_1000_vouchers_with_bad_rows() {
    let bad = [
        Bad {
            voucher: 17,
            col: 7,
            value: t("ten"),
            letter: "H",
            code: "invalid_input",
        },
        Bad {
            voucher: 250,
            col: 8,
            value: t("2026-02-30"),
            letter: "I",
            code: "invalid_input",
        },
        Bad {
            voucher: 401,
            col: 5,
            value: t("LIC-NOPE"),
            letter: "F",
            code: "not_found",
        },
        Bad {
            voucher: 402,
            col: 4,
            value: t("AB"),
            letter: "E",
            code: "invalid_input",
        },
        Bad {
            voucher: 777,
            col: 4,
            value: t("IMP-00003"),
            letter: "E",
            code: "already_exists",
        },
        Bad {
            voucher: 998,
            col: 7,
            value: V::Num(4.0),
            letter: "H",
            code: "invalid_days",
        },
        Bad {
            voucher: 999,
            col: 9,
            value: V::Empty,
            letter: "J",
            code: "invalid_input",
        },
    ];
    intake(&bad, write_csv, "tracker.csv");
}

#[test]
fn an_xlsx_of_1000_vouchers_with_typed_dates_and_bad_rows() {
    let bad = [
        Bad {
            voucher: 5,
            col: 8,
            value: V::Num(46000.5),
            letter: "I",
            code: "invalid_input",
        },
        Bad {
            voucher: 60,
            col: 7,
            value: V::Num(2.5),
            letter: "H",
            code: "invalid_input",
        },
        Bad {
            voucher: 333,
            col: 8,
            value: V::Date(date(2026, 5, 1)),
            letter: "I",
            code: "invalid_input",
        },
        Bad {
            voucher: 900,
            col: 5,
            value: t("LIC-NOPE"),
            letter: "F",
            code: "not_found",
        },
    ];
    intake(&bad, write_xlsx, "tracker.xlsx");
}

#[test]
fn a_file_that_cannot_be_used_stops_the_run_with_a_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let db = walkthrough_db(dir.path());
    let before = export_json(&db);
    let cases: [(&str, &[u8], &str); 3] = [
        (
            "twice.csv",
            b"Voucher ID,Days,voucher_id\nV-000001,5,V-000002\n",
            "both hold voucher_id",
        ),
        (
            "none.csv",
            b"Notes,Status\nhello,open\n",
            "names none of the fields",
        ),
        (
            "broken.xlsx",
            b"PK\x03\x04 not really a workbook",
            "cannot read the workbook",
        ),
    ];
    for (name, bytes, says) in cases {
        let file = dir.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        let r = import(&db, &file, false);
        assert_eq!(r.code, Some(2), "{name}: {}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains(says), "{name}: {}", r.stderr);
    }
    assert!(export_json(&db) == before, "nothing was written");
}

#[test]
fn a_cell_that_cannot_be_read_is_a_rejection_naming_its_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let db = walkthrough_db(dir.path());
    let file = dir.path().join("latin1.csv");
    let mut bytes = b"Licensing ID,Name,Planning days,Agreement expires\n".to_vec();
    bytes.extend_from_slice(b"LIC-L1,Caf\xe9 M\xfcller,10,2028-01-01\nLIC-L2,Plain,10,2028-01-01\n");
    std::fs::write(&file, bytes).unwrap();
    let r = import(&db, &file, false);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(
        lines[0].starts_with("row 2, column B \"Name\": invalid_input: name: not UTF-8 text"),
        "{}",
        r.stdout
    );
    assert_eq!(lines[1], "row 3: ok, add_customer");
    assert_eq!(lines[2], "2 rows: 1 accepted, 1 rejected");
}

#[cfg(target_os = "linux")]
#[test]
fn rows_saved_whose_answers_cannot_be_written_are_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    let db = walkthrough_db(dir.path());
    let file = dir.path().join("two.csv");
    std::fs::write(
        &file,
        "Licensing ID,Name,Planning days,Agreement expires\nLIC-F1,One,10,2028-01-01\nLIC-F2,Two,10,2028-01-01\n",
    )
    .unwrap();
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let out = saps_bin::saps(&db)
        .args(["--as", ADMIN, "import", file.to_str().unwrap()])
        .stdout(std::process::Stdio::from(full))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("rows 2 to 3 were run but their answers could not be written"),
        "{stderr}"
    );
    let json: Value = serde_json::from_str(&export_json(&db)).unwrap();
    let ids: Vec<&str> = json["customers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["licensing_id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"LIC-F1") && ids.contains(&"LIC-F2"), "{ids:?}");
}
