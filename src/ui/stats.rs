//! The dashboard's figures: the app reads the store's counters and the few
//! vouchers near a deadline (`app::figures`) when the state (or the day)
//! changes, so neither reading nor drawing them visits every voucher; the
//! organisation's renewals are added here from the state the desk holds.

use crate::domain::State;
use crate::domain::program::RENEWAL_WINDOW_DAYS;
use crate::domain::records::Stage;
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
    /// Vouchers per stage, and of those the unredeemed ones expired today
    /// (what a paged list's length comes from).
    pub stage_counts: BTreeMap<Stage, u64>,
    pub expired_by_stage: BTreeMap<Stage, u64>,
}

/// Deadlines this close are shown (renewals from when renewal opens).
pub const VOUCHER_DAYS: i64 = 30;
pub const INVOICE_DAYS: i64 = 14;
/// At most this many deadlines of one kind are listed.
pub const MOST: usize = 500;

/// "ends in 12 days", "ends today", "ended 3 days ago".
fn in_days(left: i64) -> String {
    match left {
        0 => "ends today".to_string(),
        1.. => format!("ends in {left} days"),
        _ => format!("ended {} days ago", -left),
    }
}

impl Stats {
    /// Adds the organisation's enrollments and competencies ending within
    /// the renewal window to the deadlines, soonest first.
    pub fn add_renewals(&mut self, state: &State, today: NaiveDate) {
        for e in state.org.enrollments.values() {
            let left = (e.expires_on - today).num_days();
            if left <= RENEWAL_WINDOW_DAYS {
                let when = in_days(left);
                self.deadlines.push((
                    left,
                    format!("enrollment in {} {when} ({})", e.offering, e.expires_on),
                ));
            }
        }
        for c in state.org.competencies.values() {
            let left = (c.expires - today).num_days();
            if left <= RENEWAL_WINDOW_DAYS {
                let when = in_days(left);
                self.deadlines.push((
                    left,
                    format!("competency {} {when} ({})", c.competency, c.expires),
                ));
            }
        }
        self.deadlines.sort();
    }
}
