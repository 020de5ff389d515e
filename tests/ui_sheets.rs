//! The desk's spreadsheets and calendar, by keys on the demo: the dashboard
//! writes the workbook (`x`) and the calendar (`c`) where it suggests and
//! says where; step 4 imports a sheet (`i`), showing the dry run's result
//! before anything is written.

mod ui_common;

use calamine::{Reader, Xlsx, open_workbook};
use ratatui::crossterm::event::KeyCode;
use saps::ui::model::Overlay;
use std::path::PathBuf;
use ui_common::Desk;

#[test]
fn the_dashboard_writes_the_workbook_and_the_calendar_beside_the_database() {
    let mut d = Desk::demo();
    d.key('0');
    d.key('x');
    assert_eq!(d.form_title(), Some("Export to an Excel workbook"));
    let book = PathBuf::from(d.field("file"));
    assert_eq!(book, d.dir.path().join("saps-2026-06-15.xlsx"));
    d.press(KeyCode::Enter);
    assert!(d.form().is_none(), "{:?}", d.m.stack.last());
    assert_eq!(d.flash(), format!("Workbook written to {}", book.display()));
    let mut xlsx: Xlsx<_> = open_workbook(&book).unwrap();
    assert_eq!(xlsx.sheet_names(), ["Vouchers", "Customers", "Payments", "Audit"]);
    assert_eq!(xlsx.worksheet_range("Vouchers").unwrap().rows().count(), 22 + 1);

    d.key('c');
    assert_eq!(d.form_title(), Some("Export the deadlines to a calendar file"));
    let ics = PathBuf::from(d.field("file"));
    assert_eq!(ics, d.dir.path().join("saps-deadlines.ics"));
    d.press(KeyCode::Enter);
    assert!(d.form().is_none());
    assert!(
        d.flash().ends_with(&format!("written to {}", ics.display())),
        "{}",
        d.flash()
    );
    let cal: icalendar::Calendar = std::fs::read_to_string(&ics).unwrap().parse().unwrap();
    assert!(
        d.flash()
            .contains(&format!("Calendar of {} deadlines", cal.events().count()))
    );
}

#[test]
fn step_4_shows_the_dry_run_then_imports_on_yes() {
    let mut d = Desk::demo();
    let sheet = d.dir.path().join("tracker.csv");
    std::fs::write(
        &sheet,
        "Licensing ID,Name,Planning days,Agreement expires,Voucher ID,Customer,Offering,Days,Created on,Voucher administrator\n\
         LIC-NEW-1,Northwind Traders,20,2028-01-31,,,,,,\n\
         ,,,,NEW-00001,LIC-NEW-1,DDPS,5,2026-06-01,pm@northwind-traders.example\n\
         ,,,,NEW-00002,LIC-NEW-1,DDPS,ten,2026-06-01,pm@northwind-traders.example\n",
    )
    .unwrap();
    let before = d.stored();

    d.key('4');
    d.key('i');
    assert_eq!(
        d.form_title(),
        Some("Import customers and vouchers from a spreadsheet")
    );
    assert_eq!(PathBuf::from(d.field("file")), d.dir.path().join("tracker.xlsx"));
    d.fill("file", sheet.to_str().unwrap());
    d.press(KeyCode::Enter);

    let Some(Overlay::Confirm(c)) = d.m.stack.last() else {
        panic!("the dry run's result is shown first: {:?}", d.m.stack.last());
    };
    assert_eq!(
        c.lines[0],
        "3 rows: 2 accepted, 1 rejected (dry run: nothing was written)"
    );
    assert!(
        c.lines[1].starts_with("row 4, column H \"Days\": invalid_input: days:"),
        "{:?}",
        c.lines
    );
    assert!(d.stored() == before, "the dry run wrote nothing");

    d.key('y');
    assert!(d.m.stack.is_empty(), "{:?}", d.m.stack.last());
    assert_eq!(d.flash(), "3 rows: 2 accepted, 1 rejected");
    let after = d.stored();
    assert!(after.customers.contains_key("LIC-NEW-1"));
    assert!(after.vouchers.contains_key("NEW-00001"));
    assert!(!after.vouchers.contains_key("NEW-00002"));
    assert_eq!(after.vouchers.len(), before.vouchers.len() + 1);
}
