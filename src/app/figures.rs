//! The dashboard's figures as the store holds them: the counters, and the
//! few vouchers near a deadline (`Query::Figures`).

use crate::domain::State;
use crate::domain::records::Stage;
use crate::domain::state::Status;
use crate::store::index::Counter;
use crate::store::{Backend, StoreError};
use crate::ui::stats::{Deadline, INVOICE_DAYS, MOST, Stats, Target, VOUCHER_DAYS, in_days};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The whole of the dashboard's figures on `today`: the store's, and the
/// renewals of `state`'s organisation.
pub fn read(store: &dyn Backend, state: &State, today: NaiveDate) -> Result<Stats, StoreError> {
    let mut s = counted(store, today)?;
    s.add_renewals(state, today);
    Ok(s)
}

/// The figures the store holds on `today` (the renewals are the desk's).
pub fn counted(store: &dyn Backend, today: NaiveDate) -> Result<Stats, StoreError> {
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
    vouchers_due(&mut s, store, today)?;
    s.deadlines.sort();
    Ok(s)
}

/// Unredeemed vouchers expiring within `VOUCHER_DAYS`, redeemed (or
/// denied) ones whose payment window closes within `INVOICE_DAYS`.
fn vouchers_due(s: &mut Stats, store: &dyn Backend, today: NaiveDate) -> Result<(), StoreError> {
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
                "{} expires {} ({}) – {}",
                f.voucher_id,
                in_days(left),
                f.day,
                Status::from(stage).as_str()
            );
            let target = Target::Voucher(f.voucher_id, stage);
            s.deadlines.push(Deadline { left, text, target });
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
                "{} payment window closes {} ({})",
                f.voucher_id,
                in_days(left),
                f.day
            );
            let target = Target::Voucher(f.voucher_id, stage);
            s.deadlines.push(Deadline { left, text, target });
        }
    }
    Ok(())
}
