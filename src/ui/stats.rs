//! The dashboard's figures: counted once when the state (or the day)
//! changes, so drawing the dashboard costs nothing that grows with vouchers.

use crate::domain::State;
use crate::domain::records::Outcome;
use crate::domain::state::Status;
use chrono::NaiveDate;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    pub per_status: BTreeMap<Status, u64>,
    /// (currency, "requested" | "paid" | "denied") to the amount.
    pub money: BTreeMap<(String, &'static str), u64>,
    /// Days left and a sentence, soonest first.
    pub deadlines: Vec<(i64, String)>,
}

/// Deadlines this close are shown.
const VOUCHER_DAYS: i64 = 30;
const INVOICE_DAYS: i64 = 14;
const RENEWAL_DAYS: i64 = 90;

/// "ends in 12 days", "ends today", "ended 3 days ago".
fn in_days(left: i64) -> String {
    match left {
        0 => "ends today".to_string(),
        1.. => format!("ends in {left} days"),
        _ => format!("ended {} days ago", -left),
    }
}

impl Stats {
    pub fn of(state: &State, today: NaiveDate) -> Stats {
        let mut s = Stats {
            per_status: Status::ALL.iter().map(|s| (*s, 0)).collect(),
            ..Stats::default()
        };
        for v in state.vouchers.values() {
            let status = v.status(today);
            *s.per_status.entry(status).or_default() += 1;
            for inv in &v.invoices {
                let kind = match inv.payment.as_ref().map(|p| p.outcome) {
                    Some(Outcome::Paid) => "paid",
                    Some(Outcome::Denied) => "denied",
                    None => "requested",
                };
                *s.money.entry((inv.currency.clone(), kind)).or_default() += inv.amount;
            }
            let left = (v.expires_on() - today).num_days();
            if matches!(status, Status::Assigned | Status::Reserved | Status::Delivered)
                && left <= VOUCHER_DAYS
            {
                let text = format!(
                    "{} expires in {left} days ({}) – {}",
                    v.voucher_id,
                    v.expires_on(),
                    status.as_str()
                );
                s.deadlines.push((left, text));
            }
            if let Some(r) = &v.redemption
                && matches!(status, Status::Redeemed | Status::Denied)
            {
                let left = (r.invoice_deadline - today).num_days();
                if (0..=INVOICE_DAYS).contains(&left) {
                    let text = format!(
                        "{} payment window closes in {left} days ({})",
                        v.voucher_id, r.invoice_deadline
                    );
                    s.deadlines.push((left, text));
                }
            }
        }
        for e in state.org.enrollments.values() {
            let left = (e.expires_on - today).num_days();
            if left <= RENEWAL_DAYS {
                let when = in_days(left);
                s.deadlines.push((
                    left,
                    format!("enrollment in {} {when} ({})", e.offering, e.expires_on),
                ));
            }
        }
        for c in state.org.competencies.values() {
            let left = (c.expires - today).num_days();
            if left <= RENEWAL_DAYS {
                let when = in_days(left);
                s.deadlines.push((
                    left,
                    format!("competency {} {when} ({})", c.competency, c.expires),
                ));
            }
        }
        s.deadlines.sort();
        s
    }
}
