//! The workbook's Audit sheet(s): one row per event, who did what when, to
//! which record. What happened is the desk's sentence for it, who and when
//! the event's actor and time; the record column says which voucher
//! (customer, user...) it is about.

use super::sheet::{Formats, Sheet};
use crate::describe::describe;
use crate::domain::{Event, Recorded};
use rust_xlsxwriter::{Workbook, XlsxError};

/// Who did what when, to which record (a voucher's ID, a customer's
/// licensing ID...), in the desk's words; the JSON export has every field.
pub const AUDIT: [&str; 5] = ["Seq", "At (UTC)", "Actor", "Record", "Summary"];
/// The most rows below its header a sheet may have (Excel: 1,048,576 rows).
pub const AUDIT_ROWS: u32 = 1_048_575;

/// The audit log's sheets, the last one being written: a sheet holds at
/// most `rows` events (Excel's limit, fewer in tests) and the log goes on
/// in "Audit 2", "Audit 3" and so on.
pub struct Log {
    sheets: Vec<Sheet>,
    rows: u32,
    formats: Formats,
}

impl Default for Log {
    fn default() -> Log {
        Log::new()
    }
}

impl Log {
    pub fn new() -> Log {
        Log {
            sheets: Vec::new(),
            rows: AUDIT_ROWS,
            formats: Formats::new(),
        }
    }

    /// At most `rows` audit rows a sheet.
    pub fn set_rows(&mut self, rows: u32) {
        self.rows = rows.clamp(1, AUDIT_ROWS);
    }

    /// The row of one event: seq, time, actor, the record it is about and
    /// the desk's sentence for it; a new sheet in `book` when the last is
    /// full. The event's actor and sentence are handed to the cells, not copied.
    pub fn row(&mut self, book: &mut Workbook, r: Recorded) -> Result<(), XlsxError> {
        if self.sheets.last().is_none_or(|s| s.rows() >= self.rows) {
            self.add_sheet(book)?;
        }
        let f = &self.formats;
        let Some(s) = self.sheets.last_mut() else {
            return Ok(());
        };
        let summary = describe(&r.event);
        s.next_row();
        s.number(0, r.seq as i64, None)?;
        s.time(1, r.at, f)?;
        s.owned_text(2, r.actor)?;
        s.text(3, record(&r.event))?;
        s.owned_text(4, summary)
    }

    fn add_sheet(&mut self, book: &mut Workbook) -> Result<(), XlsxError> {
        let name = match self.sheets.len() {
            0 => "Audit".to_owned(),
            n => format!("Audit {}", n + 1),
        };
        self.sheets.push(Sheet::new(book, &name, &AUDIT, &self.formats)?);
        Ok(())
    }

    /// The finished sheets, in order (one, with its header, for no events).
    pub fn finish(mut self, book: &mut Workbook) -> Result<Vec<rust_xlsxwriter::Worksheet>, XlsxError> {
        if self.sheets.is_empty() {
            self.add_sheet(book)?;
        }
        self.sheets.into_iter().map(Sheet::finish).collect()
    }
}

/// What the event is about: the voucher, the customer, the user, the
/// location, the competency or the offering ("" for the partner itself).
pub fn record(e: &Event) -> &str {
    match e {
        Event::PartnerInitialized { mpn_id, .. } => mpn_id,
        Event::MpnRenewed { .. } | Event::ProfileUpdated { .. } | Event::ProfilePublished { .. } => "",
        Event::UserAdded { email, .. } => email,
        Event::LocationAdded { location_id, .. } => location_id,
        Event::CompetencyRecorded { competency, .. } => competency,
        Event::ExamRecorded { consultant, .. } => consultant,
        Event::Enrolled { offering, .. } | Event::SavbRegistered { offering } => offering,
        Event::CustomerAdded { licensing_id, .. } => licensing_id,
        Event::VoucherReceived { voucher_id, .. }
        | Event::VoucherValidated { voucher_id }
        | Event::VoucherReserved { voucher_id, .. }
        | Event::VoucherRescheduled { voucher_id, .. }
        | Event::ReservationCancelled { voucher_id, .. }
        | Event::ReportDraftSaved { voucher_id, .. }
        | Event::ReportSubmitted { voucher_id }
        | Event::VoucherRedeemed { voucher_id, .. }
        | Event::PaymentRequested { voucher_id, .. }
        | Event::PaymentRecorded { voucher_id, .. } => voucher_id,
    }
}
