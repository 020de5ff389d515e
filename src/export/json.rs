//! The JSON export: one object with every record, computed statuses and
//! remaining days, and the audit trail.

use crate::domain::records::{
    Competency, Customer, Enrollment, Exam, Invoice, Location, Partner, Payment, ProfileState, Redemption,
    Report, Reservation, SavbRegistration, User, Voucher,
};
use crate::domain::serde_time::{date, opt_ts, ts};
use crate::domain::{Recorded, State};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

#[derive(Serialize)]
pub struct Export<'a> {
    partner: Option<&'a Partner>,
    users: Vec<&'a User>,
    locations: Vec<&'a Location>,
    competencies: Vec<&'a Competency>,
    exams: &'a [Exam],
    enrollments: Vec<&'a Enrollment>,
    profile: &'a ProfileState,
    customers: Vec<CustomerOut<'a>>,
    vouchers: Vec<VoucherOut<'a>>,
    savb: Vec<SavbOut<'a>>,
    audit: &'a [Recorded],
}

#[derive(Serialize)]
pub(super) struct CustomerOut<'a> {
    #[serde(flatten)]
    pub(super) customer: &'a Customer,
    pub(super) remaining_days: u32,
}

#[derive(Serialize)]
pub(super) struct SavbOut<'a> {
    pub(super) offering: &'a str,
    #[serde(flatten)]
    pub(super) registration: &'a SavbRegistration,
}

#[derive(Serialize)]
pub(super) struct VoucherOut<'a> {
    voucher_id: &'a str,
    status: &'static str,
    customer: &'a str,
    offering: &'a str,
    days: u32,
    #[serde(with = "date")]
    created_on: NaiveDate,
    #[serde(with = "date")]
    expires_on: NaiveDate,
    admin_email: &'a str,
    #[serde(with = "opt_ts", skip_serializing_if = "Option::is_none")]
    validated_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reservation: Option<&'a Reservation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<&'a Report>,
    #[serde(skip_serializing_if = "Option::is_none")]
    redemption: Option<&'a Redemption>,
    #[serde(skip_serializing_if = "Option::is_none")]
    invoice: Option<InvoiceOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    payment: Option<&'a Payment>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    invoices: &'a [Invoice],
}

/// The current payment request, without Microsoft's answer (see `payment`).
#[derive(Serialize)]
struct InvoiceOut<'a> {
    invoice_number: &'a str,
    location_id: &'a str,
    country: &'a str,
    amount: u64,
    currency: &'a str,
    #[serde(with = "ts")]
    requested_at: DateTime<Utc>,
}

/// The whole export, as it will be printed.
pub fn export<'a>(state: &'a State, audit: &'a [Recorded], today: NaiveDate) -> Export<'a> {
    let org = &state.org;
    Export {
        partner: org.partner.as_ref(),
        users: org.users.values().collect(),
        locations: org.locations.values().collect(),
        competencies: org.competencies.values().collect(),
        exams: &org.exams,
        enrollments: org.enrollments.values().collect(),
        profile: &org.profile,
        customers: state
            .customers
            .values()
            .map(|c| customer(state, c, today))
            .collect(),
        vouchers: state.vouchers.values().map(|v| voucher(v, today)).collect(),
        savb: org
            .savb
            .iter()
            .map(|(offering, registration)| SavbOut {
                offering,
                registration,
            })
            .collect(),
        audit,
    }
}

/// Pretty-printed JSON with a final newline.
pub fn render(state: &State, audit: &[Recorded], today: NaiveDate) -> String {
    // Serializing plain records to a String cannot fail; keep a fallback anyway.
    let mut text = serde_json::to_string_pretty(&export(state, audit, today))
        .unwrap_or_else(|e| format!("{{\"error\":{:?}}}", e.to_string()));
    text.push('\n');
    text
}

fn customer<'a>(state: &State, c: &'a Customer, today: NaiveDate) -> CustomerOut<'a> {
    let remaining_days = state
        .remaining_days(&c.licensing_id, today)
        .unwrap_or(c.planning_days);
    CustomerOut {
        customer: c,
        remaining_days,
    }
}

/// One voucher as the export writes it (the desk's list export too).
pub fn voucher_value(v: &Voucher, today: NaiveDate) -> serde_json::Value {
    serde_json::to_value(voucher(v, today)).unwrap_or_default()
}

pub(super) fn voucher(v: &Voucher, today: NaiveDate) -> VoucherOut<'_> {
    let latest = v.invoices.last();
    VoucherOut {
        voucher_id: &v.voucher_id,
        status: v.status(today).as_str(),
        customer: &v.customer,
        offering: &v.offering,
        days: v.days,
        created_on: v.created_on,
        expires_on: v.expires_on(),
        admin_email: &v.admin_email,
        validated_at: v.validated_at,
        reservation: v.reservation.as_ref(),
        report: v.report.as_ref(),
        redemption: v.redemption.as_ref(),
        invoice: latest.map(invoice),
        payment: latest.and_then(|i| i.payment.as_ref()),
        invoices: &v.invoices,
    }
}

fn invoice(i: &Invoice) -> InvoiceOut<'_> {
    InvoiceOut {
        invoice_number: &i.invoice_number,
        location_id: &i.location_id,
        country: &i.country,
        amount: i.amount,
        currency: &i.currency,
        requested_at: i.requested_at,
    }
}
