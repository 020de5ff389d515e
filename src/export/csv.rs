//! The CSV export: one row per voucher, quoted as RFC 4180 says (a field with
//! a comma, quote, CR or LF is quoted, inner quotes doubled); rows end in `\n`.

use crate::domain::State;
use crate::domain::records::{Outcome, Voucher};
use chrono::NaiveDate;
use std::borrow::Cow;

pub const HEADER: [&str; 16] = [
    "voucher_id",
    "status",
    "customer",
    "offering",
    "days",
    "created_on",
    "expires_on",
    "engagement",
    "country",
    "start",
    "end",
    "redeemed_on",
    "invoice_number",
    "amount",
    "currency",
    "payment",
];

/// The header and one row per voucher, statuses computed on `today`.
pub fn render(state: &State, today: NaiveDate) -> String {
    let mut out = header_line();
    for v in state.vouchers.values() {
        out.push_str(&line(v, today));
    }
    out
}

/// The header row, with its line end.
pub fn header_line() -> String {
    joined(&HEADER.map(String::from))
}

/// The row of one voucher on `today`, with its line end.
pub fn line(v: &Voucher, today: NaiveDate) -> String {
    joined(&row(v, today))
}

/// `fields` as one CSV line appended to `out` (the desk's list export).
pub fn push_row(out: &mut String, fields: &[String]) {
    out.push_str(&joined(fields));
}

fn joined(fields: &[String]) -> String {
    let mut out = String::new();
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&quote(f));
    }
    out.push('\n');
    out
}

/// A field as CSV: as is, or quoted with inner quotes doubled when needed.
pub fn quote(field: &str) -> Cow<'_, str> {
    if field.contains([',', '"', '\r', '\n']) {
        Cow::Owned(format!("\"{}\"", field.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(field)
    }
}

/// One voucher's row, in `HEADER`'s order (the desk's list export too).
pub fn row(v: &Voucher, today: NaiveDate) -> [String; 16] {
    let r = v.reservation.as_ref();
    let inv = v.invoices.last();
    let text = |s: Option<&String>| s.cloned().unwrap_or_default();
    let day = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
    [
        v.voucher_id.clone(),
        v.status(today).as_str().to_string(),
        v.customer.clone(),
        v.offering.clone(),
        v.days.to_string(),
        day(Some(v.created_on)),
        day(Some(v.expires_on())),
        text(r.map(|r| &r.engagement)),
        text(r.map(|r| &r.country)),
        day(r.map(|r| r.start)),
        day(r.map(|r| r.end)),
        day(v.redemption.as_ref().map(|x| x.redeemed_at.date_naive())),
        text(inv.map(|i| &i.invoice_number)),
        inv.map(|i| i.amount.to_string()).unwrap_or_default(),
        text(inv.map(|i| &i.currency)),
        inv.and_then(|i| i.payment.as_ref())
            .map(|p| outcome(p.outcome))
            .unwrap_or_default()
            .to_string(),
    ]
}

fn outcome(o: Outcome) -> &'static str {
    match o {
        Outcome::Paid => "paid",
        Outcome::Denied => "denied",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_what_needs_it() {
        assert_eq!(quote("plain"), "plain");
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quote("two\nlines"), "\"two\nlines\"");
        assert_eq!(quote("cr\r"), "\"cr\r\"");
        assert_eq!(quote(""), "");
    }

    #[test]
    fn an_empty_state_is_just_the_header() {
        let text = render(&State::default(), NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        assert_eq!(text, format!("{}\n", HEADER.join(",")));
    }
}
