//! `saps export --format xlsx`: one workbook with a Vouchers, a Customers,
//! a Payments and an Audit sheet. Records come in one at a time (customers
//! first, then vouchers, then events) and each sheet streams to its own
//! temporary file, so a workbook of 100,000 vouchers is written in bounded
//! memory. Dates are spreadsheet dates, amounts numbers in their currency.

use super::audit;
use super::sheet::{Formats, Sheet};
use crate::domain::dates::days_between;
use crate::domain::records::{Customer, Invoice, Org, Outcome, Voucher};
use crate::domain::state::Ledger;
use crate::domain::{Catalog, Recorded, Status};
use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use std::collections::HashMap;

pub const VOUCHERS: [&str; 22] = [
    "Voucher ID",
    "Status",
    "Customer",
    "Customer name",
    "Offering",
    "Days",
    "Created on",
    "Expires on",
    "Days left",
    "Engagement",
    "Engagement name",
    "Country",
    "Start",
    "End",
    "Consultants",
    "Redeemed on",
    "Pay by",
    "Invoice number",
    "Amount",
    "Currency",
    "Payment",
    "Voucher administrator",
];
pub const CUSTOMERS: [&str; 6] = [
    "Licensing ID",
    "Name",
    "Planning days",
    "Days used",
    "Days left",
    "Agreement expires",
];
pub const PAYMENTS: [&str; 12] = [
    "Voucher ID",
    "Customer",
    "Invoice number",
    "Requested on",
    "Location",
    "Country",
    "Amount",
    "Currency",
    "Status",
    "Reference",
    "Reason",
    "Answered on",
];
pub use super::audit::{AUDIT, AUDIT_ROWS};

/// A workbook being written: the records' sheets, the audit log's, and
/// the workbook they go in.
pub struct Book<'a> {
    book: Workbook,
    records: Records<'a>,
    audit: audit::Log,
}

/// The Vouchers, Customers and Payments sheets being written.
pub struct Records<'a> {
    formats: Formats,
    /// `#,##0 "EUR"` and the like, one per currency seen.
    money: HashMap<String, Format>,
    vouchers: Sheet,
    customers: Sheet,
    payments: Sheet,
    /// Licensing id to name: the one thing kept per customer.
    names: HashMap<String, String>,
    org: &'a Org,
    catalog: &'a Catalog,
    today: NaiveDate,
}

impl<'a> Book<'a> {
    pub fn new(org: &'a Org, catalog: &'a Catalog, today: NaiveDate) -> Result<Book<'a>, XlsxError> {
        let mut book = Workbook::new();
        // Most of the time goes into compressing the sheets; level 1 keeps
        // the export fast and the file still a fraction of its XML.
        book.set_zip_compression_level(1);
        let formats = Formats::new();
        let vouchers = Sheet::new(&mut book, "Vouchers", &VOUCHERS, &formats)?;
        let customers = Sheet::new(&mut book, "Customers", &CUSTOMERS, &formats)?;
        let payments = Sheet::new(&mut book, "Payments", &PAYMENTS, &formats)?;
        let records = Records {
            formats,
            money: HashMap::new(),
            vouchers,
            customers,
            payments,
            names: HashMap::new(),
            org,
            catalog,
            today,
        };
        Ok(Book {
            book,
            records,
            audit: audit::Log::new(),
        })
    }

    /// A customer's row; `ledger` says how many of its days vouchers hold.
    pub fn customer(&mut self, c: &Customer, ledger: &Ledger) -> Result<(), XlsxError> {
        self.records.customer(c, ledger)
    }

    /// A voucher's row, and a Payments row for each request filed for it.
    pub fn voucher(&mut self, v: &Voucher) -> Result<(), XlsxError> {
        self.records.voucher(v)
    }

    /// An audit row: seq, time, actor, the record the event is about and
    /// the desk's sentence for it (which says what happened). A sheet holds
    /// at most [`AUDIT_ROWS`] of them (Excel's limit); the log goes on in
    /// "Audit 2", "Audit 3" and so on.
    pub fn event(&mut self, r: &Recorded) -> Result<(), XlsxError> {
        self.audit.row(&mut self.book, r.clone())
    }

    /// At most `rows` audit rows a sheet (fewer than Excel's limit: for tests).
    pub fn with_audit_rows(mut self, rows: u32) -> Book<'a> {
        self.audit.set_rows(rows);
        self
    }

    /// The workbook's parts, to be written at once on different threads:
    /// the records' sheets, the audit log's, and the workbook an Audit
    /// sheet is added to when one is full.
    pub fn parts(&mut self) -> (&mut Records<'a>, &mut audit::Log, &mut Workbook) {
        (&mut self.records, &mut self.audit, &mut self.book)
    }

    /// The finished workbook, its sheets in order, not yet saved.
    pub fn finish(mut self) -> Result<Workbook, XlsxError> {
        let audit = self.audit.finish(&mut self.book)?;
        let r = self.records;
        for s in [r.vouchers, r.customers, r.payments] {
            self.book.push_worksheet(s.finish()?);
        }
        for s in audit {
            self.book.push_worksheet(s);
        }
        Ok(self.book)
    }
}

impl<'a> Records<'a> {
    /// A customer's row; `ledger` says how many of its days vouchers hold.
    pub fn customer(&mut self, c: &Customer, ledger: &Ledger) -> Result<(), XlsxError> {
        let used = ledger.held(c, self.today).min(c.planning_days as u64);
        let f = &self.formats;
        let s = &mut self.customers;
        s.next_row();
        s.text(0, &c.licensing_id)?;
        s.text(1, &c.name)?;
        s.number(2, c.planning_days as i64, None)?;
        s.number(3, used as i64, None)?;
        s.number(4, (c.planning_days as u64 - used) as i64, None)?;
        s.date(5, c.agreement_expires, f)?;
        self.names.insert(c.licensing_id.clone(), c.name.clone());
        Ok(())
    }

    /// A voucher's row, and a Payments row for each request filed for it.
    pub fn voucher(&mut self, v: &Voucher) -> Result<(), XlsxError> {
        let status = v.status(self.today);
        let r = v.reservation.as_ref();
        let inv = v.invoices.last();
        for i in &v.invoices {
            self.payment(v, i)?;
        }
        if let Some(i) = inv {
            self.add_money_format(&i.currency);
        }
        let customer_name = self.names.get(&v.customer).map_or("", String::as_str);
        let engagement = r.and_then(|r| self.catalog.engagement(&r.engagement));
        let consultants = r.map(|r| self.consultants(&r.consultants)).unwrap_or_default();
        let money = inv.and_then(|i| self.money.get(&i.currency));
        let f = &self.formats;
        let s = &mut self.vouchers;
        s.next_row();
        s.text(0, &v.voucher_id)?;
        s.text(1, status.as_str())?;
        s.text(2, &v.customer)?;
        s.text(3, customer_name)?;
        s.text(4, &v.offering)?;
        s.number(5, v.days as i64, None)?;
        s.date(6, v.created_on, f)?;
        s.date(7, v.expires_on(), f)?;
        if !v.stage.is_redeemed() && status != Status::Expired {
            s.number(8, days_between(self.today, v.expires_on()), None)?;
        }
        if let Some(r) = r {
            s.text(9, &r.engagement)?;
            s.text(10, engagement.map_or("", |e| e.name.as_str()))?;
            s.text(11, &r.country)?;
            s.date(12, r.start, f)?;
            s.date(13, r.end, f)?;
            s.text(14, &consultants)?;
        }
        if let Some(x) = &v.redemption {
            s.date(15, x.redeemed_at.date_naive(), f)?;
            s.date(16, x.invoice_deadline, f)?;
        }
        if let Some(i) = inv {
            s.text(17, &i.invoice_number)?;
            s.number(18, i.amount as i64, money)?;
            s.text(19, &i.currency)?;
            s.text(20, i.payment.as_ref().map_or("", |p| outcome(p.outcome)))?;
        }
        s.text(21, &v.admin_email)?;
        Ok(())
    }

    fn payment(&mut self, v: &Voucher, i: &Invoice) -> Result<(), XlsxError> {
        self.add_money_format(&i.currency);
        let money = &self.money[&i.currency];
        let f = &self.formats;
        let s = &mut self.payments;
        s.next_row();
        s.text(0, &v.voucher_id)?;
        s.text(1, &v.customer)?;
        s.text(2, &i.invoice_number)?;
        s.date(3, i.requested_at.date_naive(), f)?;
        s.text(4, &i.location_id)?;
        s.text(5, &i.country)?;
        s.number(6, i.amount as i64, Some(money))?;
        s.text(7, &i.currency)?;
        match &i.payment {
            None => s.text(8, "requested")?,
            Some(p) => {
                s.text(8, outcome(p.outcome))?;
                s.text(9, &p.reference)?;
                s.text(10, p.reason.as_deref().unwrap_or(""))?;
                s.date(11, p.recorded_at.date_naive(), f)?;
            }
        }
        Ok(())
    }

    /// Makes `#,##0 "EUR"` and the like, once per currency.
    fn add_money_format(&mut self, currency: &str) {
        if !self.money.contains_key(currency) {
            let code: String = currency.chars().filter(char::is_ascii_alphanumeric).collect();
            let format = Format::new().set_num_format(format!("#,##0 \"{code}\""));
            self.money.insert(currency.to_owned(), format);
        }
    }

    /// The consultants by name (their email when the user is unknown).
    fn consultants(&self, emails: &[String]) -> String {
        let name = |e: &String| {
            self.org
                .users
                .get(&e.trim().to_ascii_lowercase())
                .map_or_else(|| e.clone(), |u| u.name.clone())
        };
        emails.iter().map(name).collect::<Vec<_>>().join(", ")
    }
}

fn outcome(o: Outcome) -> &'static str {
    match o {
        Outcome::Paid => "paid",
        Outcome::Denied => "denied",
    }
}
