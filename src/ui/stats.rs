//! The dashboard's figures: read from the store's counters and from the
//! few vouchers near a deadline, when the state (or the day) changes, so
//! neither reading nor drawing them visits every voucher.

use crate::domain::State;
use crate::domain::records::Stage;
use crate::domain::state::Status;
use crate::store::index::Counter;
use crate::store::{Store, StoreError};
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

/// Deadlines this close are shown.
const VOUCHER_DAYS: i64 = 30;
const INVOICE_DAYS: i64 = 14;
const RENEWAL_DAYS: i64 = 90;
/// At most this many deadlines of one kind are listed.
const MOST: usize = 500;

/// "ends in 12 days", "ends today", "ended 3 days ago".
fn in_days(left: i64) -> String {
    match left {
        0 => "ends today".to_string(),
        1.. => format!("ends in {left} days"),
        _ => format!("ended {} days ago", -left),
    }
}

impl Stats {
    /// The figures on `today`: counters from the store, the organisation's
    /// renewals from `state`.
    pub fn read(store: &Store, state: &State, today: NaiveDate) -> Result<Stats, StoreError> {
        let mut s = Stats {
            per_status: Status::ALL.iter().map(|s| (*s, 0)).collect(),
            ..Stats::default()
        };
        // Unredeemed vouchers not expired today, per stage: those expiring
        // from tomorrow on; the rest of the stage's vouchers are expired.
        let tomorrow = today.succ_opt().unwrap_or(today);
        let mut current: BTreeMap<Stage, u64> = BTreeMap::new();
        for (counter, n) in store.counters(tomorrow)? {
            match counter {
                Counter::Stage(stage) => *s.stage_counts.entry(stage).or_default() += n,
                Counter::Unredeemed(_, stage) => *current.entry(stage).or_default() += n,
                Counter::Money(currency, kind) => *s.money.entry((currency, kind)).or_default() += n,
                Counter::Redeemed(_) => {}
            }
        }
        for (stage, n) in &s.stage_counts {
            let (stage, n) = (*stage, *n);
            let at = if stage.is_redeemed() {
                n
            } else {
                let expired = n.saturating_sub(current.get(&stage).copied().unwrap_or(0));
                s.expired_by_stage.insert(stage, expired);
                *s.per_status.entry(Status::Expired).or_default() += expired;
                n - expired
            };
            *s.per_status.entry(Status::from(stage)).or_default() += at;
        }
        s.vouchers_due(store, today)?;
        s.renewals(state, today);
        s.deadlines.sort();
        Ok(s)
    }

    /// Unredeemed vouchers expiring within `VOUCHER_DAYS`, redeemed (or
    /// denied) ones whose payment window closes within `INVOICE_DAYS`.
    fn vouchers_due(&mut self, store: &Store, today: NaiveDate) -> Result<(), StoreError> {
        // The first day past `days` from today.
        let until = |days: i64| {
            today
                .checked_add_days(chrono::Days::new(days as u64 + 1))
                .unwrap_or(today)
        };
        for stage in [Stage::Assigned, Stage::Reserved, Stage::Delivered] {
            // Filed by expiry: from tomorrow (today it is expired) on.
            let from = today.succ_opt().unwrap_or(today);
            for f in store.filed(stage, Some(from), Some(until(VOUCHER_DAYS)), MOST)? {
                let left = (f.day - today).num_days();
                if left > VOUCHER_DAYS {
                    break;
                }
                let text = format!(
                    "{} expires in {left} days ({}) – {}",
                    f.voucher_id,
                    f.day,
                    Status::from(stage).as_str()
                );
                self.deadlines.push((left, text));
            }
        }
        for stage in [Stage::Redeemed, Stage::Denied] {
            // Filed by invoice deadline once redeemed.
            for f in store.filed(stage, Some(today), Some(until(INVOICE_DAYS)), MOST)? {
                let left = (f.day - today).num_days();
                if left > INVOICE_DAYS {
                    break;
                }
                let text = format!(
                    "{} payment window closes in {left} days ({})",
                    f.voucher_id, f.day
                );
                self.deadlines.push((left, text));
            }
        }
        Ok(())
    }

    fn renewals(&mut self, state: &State, today: NaiveDate) {
        for e in state.org.enrollments.values() {
            let left = (e.expires_on - today).num_days();
            if left <= RENEWAL_DAYS {
                let when = in_days(left);
                self.deadlines.push((
                    left,
                    format!("enrollment in {} {when} ({})", e.offering, e.expires_on),
                ));
            }
        }
        for c in state.org.competencies.values() {
            let left = (c.expires - today).num_days();
            if left <= RENEWAL_DAYS {
                let when = in_days(left);
                self.deadlines.push((
                    left,
                    format!("competency {} {when} ({})", c.competency, c.expires),
                ));
            }
        }
    }
}
