//! The workbook and the calendar of the demo, written by the real binary and
//! read back with real readers: calamine for the .xlsx, icalendar's parser
//! for the .ics.

mod saps_bin;

use calamine::{Data, Reader, Xlsx, open_workbook};
use chrono::NaiveDate;
use icalendar::{Calendar, Component};
use saps::domain::Catalog;
use saps::store::Store;
use saps_bin::{run_cmd, saps_plain};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The demo database (as `saps demo` seeds it) in `dir`.
fn demo_db(dir: &Path) -> PathBuf {
    let db = dir.join("demo.db");
    let store = Store::open(&db).unwrap();
    saps::demo::seed(Arc::new(store), &Catalog::builtin()).unwrap();
    db
}

/// Opens `db` again, waiting while this process's last handle lets go
/// (sled's flusher thread holds the lock a few milliseconds after a drop).
fn reopen(db: &Path) -> Store {
    let start = std::time::Instant::now();
    loop {
        match Store::open(db) {
            Err(saps::store::StoreError::Locked { .. }) if start.elapsed().as_secs() < 5 => {
                std::thread::sleep(std::time::Duration::from_millis(20))
            }
            other => return other.unwrap(),
        }
    }
}

fn export(db: &Path, args: &[&str]) -> saps_bin::Run {
    let mut c = saps_plain(db);
    c.args(["--now", saps::demo::NOW, "export"]).args(args);
    let r = run_cmd(c);
    assert_eq!(r.code, Some(0), "export {args:?} failed: {}", r.stderr);
    r
}

fn demo_json(db: &Path) -> Value {
    serde_json::from_str(&export(db, &["--format", "json"]).stdout).unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn column(header: &[Data], name: &str) -> usize {
    header
        .iter()
        .position(|h| matches!(h, Data::String(s) if s == name))
        .unwrap_or_else(|| panic!("no column {name:?} in {header:?}"))
}

#[test]
fn the_demo_workbook_has_its_sheets_with_typed_dates_and_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let file = dir.path().join("demo.xlsx");
    export(&db, &["--format", "xlsx", "--output", file.to_str().unwrap()]);
    let json = demo_json(&db);

    let mut book: Xlsx<_> = open_workbook(&file).unwrap();
    assert_eq!(book.sheet_names(), ["Vouchers", "Customers", "Payments", "Audit"]);

    let vouchers = book.worksheet_range("Vouchers").unwrap();
    let rows: Vec<&[Data]> = vouchers.rows().collect();
    let header = rows[0];
    let expected = json["vouchers"].as_array().unwrap();
    assert_eq!(rows.len() - 1, expected.len(), "one row per voucher");
    let (id, created, days, amount, status, name) = (
        column(header, "Voucher ID"),
        column(header, "Created on"),
        column(header, "Days"),
        column(header, "Amount"),
        column(header, "Status"),
        column(header, "Customer name"),
    );
    let mut amounts = 0;
    for (row, v) in rows[1..].iter().zip(expected) {
        assert_eq!(row[id].to_string(), v["voucher_id"].as_str().unwrap());
        assert_eq!(row[status].to_string(), v["status"].as_str().unwrap());
        let Data::DateTime(d) = &row[created] else {
            panic!("created on is not a date: {:?}", row[created]);
        };
        assert_eq!(
            d.as_datetime().unwrap().date(),
            day(v["created_on"].as_str().unwrap())
        );
        assert_eq!(row[days], Data::Float(v["days"].as_f64().unwrap()));
        assert!(
            !row[name].to_string().is_empty(),
            "every voucher's customer has a name"
        );
        if let Some(inv) = v.get("invoice") {
            assert_eq!(row[amount], Data::Float(inv["amount"].as_f64().unwrap()));
            amounts += 1;
        }
    }
    assert!(amounts > 0, "the demo has payment requests");

    let customers = book.worksheet_range("Customers").unwrap();
    let crows: Vec<&[Data]> = customers.rows().collect();
    let json_customers = json["customers"].as_array().unwrap();
    assert_eq!(crows.len() - 1, json_customers.len());
    let left = column(crows[0], "Days left");
    let ends = column(crows[0], "Agreement expires");
    for (row, c) in crows[1..].iter().zip(json_customers) {
        assert_eq!(row[left], Data::Float(c["remaining_days"].as_f64().unwrap()));
        assert!(matches!(row[ends], Data::DateTime(_)), "{:?}", row[ends]);
    }

    let payments = book.worksheet_range("Payments").unwrap();
    let filed: usize = expected
        .iter()
        .map(|v| v.get("invoices").and_then(Value::as_array).map_or(0, Vec::len))
        .sum();
    assert_eq!(payments.rows().count() - 1, filed, "one row per payment request");

    let audit = book.worksheet_range("Audit").unwrap();
    assert_eq!(audit.rows().count() - 1, json["audit"].as_array().unwrap().len());
    let first = audit.rows().nth(1).unwrap();
    assert_eq!(first[0], Data::Float(1.0));
    assert!(matches!(first[1], Data::DateTime(_)), "{:?}", first[1]);
}

/// The open deadlines of the demo, counted from its JSON export.
fn open_deadlines(json: &Value, today: NaiveDate) -> usize {
    let mut n = 0;
    for v in json["vouchers"].as_array().unwrap() {
        let last = match v["status"].as_str().unwrap() {
            "assigned" | "reserved" | "delivered" => day(v["expires_on"].as_str().unwrap()).pred_opt(),
            "redeemed" | "denied" => Some(day(v["redemption"]["invoice_deadline"].as_str().unwrap())),
            _ => None,
        };
        n += last.is_some_and(|d| d >= today) as usize;
    }
    let ends = |s: &Value| day(s.as_str().unwrap()).pred_opt().unwrap();
    n += (ends(&json["partner"]["mpn_expires"]) >= today) as usize;
    for c in json["competencies"].as_array().unwrap() {
        n += (ends(&c["expires"]) >= today) as usize;
    }
    for e in json["enrollments"].as_array().unwrap() {
        let end = day(e["expires_on"].as_str().unwrap());
        n += (end - chrono::Duration::days(90) >= today) as usize;
        n += (ends(&e["expires_on"]) >= today) as usize;
    }
    n
}

#[test]
fn the_demo_calendar_holds_one_event_per_open_deadline_with_stable_uids() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let json = demo_json(&db);
    let today = saps::demo::now().date_naive();

    let first = export(&db, &["--format", "ics"]).stdout;
    let file = dir.path().join("deadlines.ics");
    export(&db, &["--format", "ics", "--output", file.to_str().unwrap()]);
    let again = std::fs::read_to_string(&file).unwrap();

    let parse = |text: &str| -> Calendar { text.parse().unwrap_or_else(|e| panic!("not iCalendar: {e}")) };
    let cal = parse(&first);
    let events: Vec<_> = cal.events().collect();
    assert_eq!(events.len(), open_deadlines(&json, today));
    let uids: Vec<String> = events.iter().map(|e| e.get_uid().unwrap().to_owned()).collect();
    assert_eq!(
        uids.iter().collect::<BTreeSet<_>>().len(),
        uids.len(),
        "UIDs are unique"
    );
    let again_uids: Vec<String> = parse(&again)
        .events()
        .map(|e| e.get_uid().unwrap().to_owned())
        .collect();
    assert_eq!(uids, again_uids, "a second export has the same UIDs");

    for e in &events {
        assert!(e.get_start().is_some() && e.get_summary().is_some() && e.get_description().is_some());
        let alarm = e.components().iter().find(|c| c.component_kind() == "VALARM");
        let trigger = alarm.and_then(|a| a.property_value("TRIGGER"));
        assert!(
            trigger.is_some_and(|t| t == "-PT604800S" || t == "-P7D"),
            "alarm {trigger:?}"
        );
    }
    let payment = events
        .iter()
        .find(|e| e.get_summary().unwrap().contains("last day to request payment"))
        .expect("the demo has a payment window open");
    let summary = payment.get_summary().unwrap();
    assert!(
        summary.starts_with("DEMO-") && summary.ends_with(')'),
        "{summary}"
    );
    assert!(payment.get_description().unwrap().contains("Voucher DEMO-"));
}

#[test]
fn the_demo_workbooks_audit_says_who_did_what_when_to_which_record() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let file = dir.path().join("demo.xlsx");
    export(&db, &["--format", "xlsx", "--output", file.to_str().unwrap()]);
    let json = demo_json(&db);

    let mut book: Xlsx<_> = open_workbook(&file).unwrap();
    let audit = book.worksheet_range("Audit").unwrap();
    let rows: Vec<&[Data]> = audit.rows().collect();
    let header: Vec<String> = rows[0].iter().map(Data::to_string).collect();
    assert_eq!(header, ["Seq", "At (UTC)", "Actor", "Record", "Summary"]);
    let events = json["audit"].as_array().unwrap();
    assert_eq!(rows.len() - 1, events.len(), "one row per event");
    let mut kinds = BTreeSet::new();
    for (row, e) in rows[1..].iter().zip(events) {
        assert_eq!(row[0], Data::Float(e["seq"].as_f64().unwrap()));
        let Data::DateTime(at) = &row[1] else {
            panic!("the time is not a date and time: {:?}", row[1]);
        };
        let want = chrono::DateTime::parse_from_rfc3339(e["at"].as_str().unwrap()).unwrap();
        let got = at.as_datetime().unwrap().and_utc();
        assert!(
            (got - want.to_utc()).num_milliseconds().abs() < 5,
            "{got} for {want}"
        );
        assert_eq!(row[2].to_string(), e["actor"].as_str().unwrap());
        let (name, fields) = match &e["event"] {
            Value::Object(m) => m.iter().next().map(|(k, v)| (k.clone(), v.clone())).unwrap(),
            Value::String(s) => (s.clone(), Value::Null),
            other => panic!("event {other}"),
        };
        let summary = row[4].to_string();
        assert!(!summary.is_empty(), "event {name} has a summary");
        let subject = ["voucher_id", "licensing_id", "location_id"]
            .iter()
            .find_map(|k| fields.get(*k).and_then(Value::as_str));
        if let Some(subject) = subject {
            assert_eq!(row[3].to_string(), subject, "the record of {name}");
            assert!(summary.contains(subject), "{summary:?} names {subject}");
        }
        kinds.insert(name);
    }
    for kind in [
        "customer_added",
        "voucher_received",
        "voucher_redeemed",
        "payment_recorded",
    ] {
        assert!(kinds.contains(kind), "the demo's audit has {kind}: {kinds:?}");
    }
}

/// Excel holds 1,048,576 rows a sheet; the 300,000-voucher demo's log has
/// 1.9 million events, and the export failed ("Row or column exceeds
/// Excel's allowed limits"). The log goes on in "Audit 2", "Audit 3"...,
/// each with its header; here with 4 rows a sheet instead of Excel's limit.
#[test]
fn an_audit_longer_than_a_sheet_goes_on_in_the_next_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let store = reopen(&db);
    let org = store.working_state().unwrap().org;
    let catalog = Catalog::builtin();
    let mut events = Vec::new();
    store.for_each_event(&mut |r| events.push(r)).unwrap();
    let events = &events[..10];
    let today = saps::demo::now().date_naive();
    let mut book = saps::export::xlsx::Book::new(&org, &catalog, today)
        .unwrap()
        .with_audit_rows(4);
    for r in events {
        book.event(r).unwrap();
    }
    let mut book = book.finish().unwrap();
    let file = dir.path().join("long.xlsx");
    saps::export::save_workbook(&mut book, &file).unwrap();

    let mut read: Xlsx<_> = open_workbook(&file).unwrap();
    let names = read.sheet_names();
    assert_eq!(
        names,
        ["Vouchers", "Customers", "Payments", "Audit", "Audit 2", "Audit 3"]
    );
    let mut seqs = Vec::new();
    for name in ["Audit", "Audit 2", "Audit 3"] {
        let range = read.worksheet_range(name).unwrap();
        let rows: Vec<&[Data]> = range.rows().collect();
        let header: Vec<String> = rows[0].iter().map(Data::to_string).collect();
        assert_eq!(
            header,
            ["Seq", "At (UTC)", "Actor", "Record", "Summary"],
            "{name}"
        );
        assert!(rows.len() - 1 <= 4, "{name}: {} rows", rows.len() - 1);
        seqs.extend(rows[1..].iter().map(|r| r[0].to_string()));
    }
    let want: Vec<String> = events.iter().map(|r| r.seq.to_string()).collect();
    assert_eq!(seqs, want, "every event once, in order, across the sheets");
}
