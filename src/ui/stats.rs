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
    /// The deadlines, soonest first.
    pub deadlines: Vec<Deadline>,
    /// Vouchers per stage, and of those the unredeemed ones expired today
    /// (what a paged list's length comes from).
    pub stage_counts: BTreeMap<Stage, u64>,
    pub expired_by_stage: BTreeMap<Stage, u64>,
}

/// Deadlines this close are shown (renewals from when renewal opens).
pub const VOUCHER_DAYS: i64 = 30;
pub const INVOICE_DAYS: i64 = 14;
/// A deadline closer than this many days is shown in the warning colour and
/// marked "soon" (the word, so `NO_COLOR` loses nothing).
pub const SOON_DAYS: i64 = 14;
/// At most this many deadlines of one kind are listed.
pub const MOST: usize = 500;

/// One deadline: days left, a sentence, and what Enter opens.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Deadline {
    pub left: i64,
    pub text: String,
    pub target: Target,
}

/// What a deadline is about (the dashboard opens it on its step).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    /// A voucher, at the stage it was listed in.
    Voucher(String, Stage),
    /// An enrollment, by offering.
    Enrollment(String),
    /// A competency, by name.
    Competency(String),
}

impl Target {
    /// The dashboard list's row key.
    pub fn key(&self) -> String {
        match self {
            Target::Voucher(id, _) => format!("voucher {id}"),
            Target::Enrollment(o) => format!("enrollment {o}"),
            Target::Competency(c) => format!("competency {c}"),
        }
    }
}

/// "today", "tomorrow", "in 12 days", "yesterday", "3 days ago".
pub fn in_days(left: i64) -> String {
    match left {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        2.. => format!("in {}", days(left)),
        -1 => "yesterday".to_string(),
        _ => format!("{} ago", days(-left)),
    }
}

/// How close a deadline `left` days away is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    Passed,
    Soon,
    Later,
}

pub fn urgency(left: i64) -> Urgency {
    match left {
        ..0 => Urgency::Passed,
        l if l < SOON_DAYS => Urgency::Soon,
        _ => Urgency::Later,
    }
}

impl Urgency {
    /// The word a deadline carries besides its colour: "passed", "soon", or none.
    pub fn mark(self) -> &'static str {
        match self {
            Urgency::Passed => "passed",
            Urgency::Soon => "soon",
            Urgency::Later => "",
        }
    }
}

/// "1 day", "12 days".
pub fn days(n: i64) -> String {
    match n.abs() {
        1 => format!("{n} day"),
        _ => format!("{n} days"),
    }
}

/// "ends tomorrow", "ended 3 days ago": a verb before `in_days`.
fn ends(left: i64) -> String {
    if left < 0 {
        format!("ended {}", in_days(left))
    } else {
        format!("ends {}", in_days(left))
    }
}

impl Stats {
    /// Adds the organisation's enrollments and competencies ending within
    /// the renewal window to the deadlines, soonest first.
    pub fn add_renewals(&mut self, state: &State, today: NaiveDate) {
        for e in state.org.enrollments.values() {
            let left = (e.expires_on - today).num_days();
            if left <= RENEWAL_WINDOW_DAYS {
                self.deadlines.push(Deadline {
                    left,
                    text: format!("enrollment in {} {} ({})", e.offering, ends(left), e.expires_on),
                    target: Target::Enrollment(e.offering.clone()),
                });
            }
        }
        for c in state.org.competencies.values() {
            let left = (c.expires - today).num_days();
            if left <= RENEWAL_WINDOW_DAYS {
                self.deadlines.push(Deadline {
                    left,
                    text: format!("competency {} {} ({})", c.competency, ends(left), c.expires),
                    target: Target::Competency(c.competency.clone()),
                });
            }
        }
        self.deadlines.sort();
    }
}
