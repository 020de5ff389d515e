//! The rules every state must keep, whatever commands led there (the ones
//! domain.md implies and the property tests check). Pure: a `State` and a
//! day in, findings out; usable from tests as well as `saps check`.

use super::Finding;
use crate::domain::State;
use crate::domain::records::{Outcome, Stage, Voucher};
use crate::domain::state::invoice_key;
use chrono::NaiveDate;

/// Every broken rule of `state` on `today`; empty when it is sound.
pub fn check_state(state: &State, today: NaiveDate) -> Vec<Finding> {
    let mut out = Vec::new();
    keys_match(state, &mut out);
    days_within_pools(state, today, &mut out);
    for v in state.vouchers.values() {
        stage_agrees_with_parts(v, &mut out);
    }
    invoice_index(state, &mut out);
    out
}

/// The rules one voucher keeps on its own (its stage against its parts).
pub fn check_voucher(v: &Voucher) -> Vec<Finding> {
    let mut out = Vec::new();
    stage_agrees_with_parts(v, &mut out);
    out
}

/// Event seqs are 1, 2, 3, ... with no gap and no repeat.
pub fn seqs_contiguous(seqs: impl IntoIterator<Item = u64>) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut expected = 1u64;
    for seq in seqs {
        if seq != expected {
            let problem = if seq == expected + 1 {
                format!("event {expected} is missing")
            } else if seq > expected {
                format!("events {expected} to {} are missing", seq - 1)
            } else {
                format!("event {seq} comes after event {}", expected - 1)
            };
            out.push(Finding::new("audit log", problem));
        }
        expected = seq.max(expected.saturating_sub(1)).saturating_add(1);
    }
    out
}

fn keys_match(state: &State, out: &mut Vec<Finding>) {
    for (key, c) in &state.customers {
        if *key != c.licensing_id {
            out.push(Finding::new(
                format!("customer {key}"),
                format!("is stored under the key of {}", c.licensing_id),
            ));
        }
    }
    for (key, v) in &state.vouchers {
        if *key != v.voucher_id {
            out.push(Finding::new(
                format!("voucher {key}"),
                format!("holds voucher {}", v.voucher_id),
            ));
        }
        if !state.customers.contains_key(&v.customer) {
            out.push(Finding::new(
                format!("voucher {key}"),
                format!("belongs to customer {}, who is not recorded", v.customer),
            ));
        }
    }
}

fn days_within_pools(state: &State, today: NaiveDate, out: &mut Vec<Finding>) {
    for c in state.customers.values() {
        let held: u64 = state
            .vouchers
            .values()
            .filter(|v| v.customer == c.licensing_id)
            .map(|v| v.days_held(c, today) as u64)
            .sum();
        if held > c.planning_days as u64 {
            out.push(Finding::new(
                format!("customer {}", c.licensing_id),
                format!(
                    "its vouchers hold {held} days on {today}, more than its {} planning days",
                    c.planning_days
                ),
            ));
        }
    }
}

/// How far along the way a stage is (0 assigned ... 4 paid or denied).
fn rank(stage: Stage) -> u8 {
    match stage {
        Stage::Assigned => 0,
        Stage::Reserved => 1,
        Stage::Delivered => 2,
        Stage::Redeemed => 3,
        Stage::Invoiced => 4,
        Stage::Paid | Stage::Denied => 5,
    }
}

fn stage_agrees_with_parts(v: &Voucher, out: &mut Vec<Finding>) {
    let r = rank(v.stage);
    let submitted = v.report.as_ref().is_some_and(|rep| rep.submitted_at.is_some());
    let last_payment = v.invoices.last().and_then(|i| i.payment.as_ref());
    let checks = [
        (r >= 1, v.reservation.is_some(), "reservation"),
        (r >= 2, submitted, "submitted completion report"),
        (r >= 3, v.redemption.is_some(), "redemption"),
        (r >= 4, !v.invoices.is_empty(), "payment request"),
    ];
    let stage = format!("{:?}", v.stage).to_ascii_lowercase();
    for (needed, present, part) in checks {
        let problem = match (needed, present) {
            (true, false) => format!("is {stage} but has no {part}"),
            (false, true) => format!("is {stage} but already has a {part}"),
            _ => continue,
        };
        out.push(Finding::new(format!("voucher {}", v.voucher_id), problem));
    }
    if v.stage == Stage::Assigned && v.report.is_some() {
        let problem = "is assigned but has a completion report".to_owned();
        out.push(Finding::new(format!("voucher {}", v.voucher_id), problem));
    }
    let outcome = match v.stage {
        Stage::Paid => Some(Outcome::Paid),
        Stage::Denied => Some(Outcome::Denied),
        _ => None,
    };
    let payment_problem = match (outcome, last_payment) {
        (Some(want), Some(p)) if p.outcome != want => Some(format!(
            "is {stage} but its last payment request was {}",
            format!("{:?}", p.outcome).to_ascii_lowercase()
        )),
        (Some(_), None) if !v.invoices.is_empty() => {
            Some(format!("is {stage} but its last payment request has no answer"))
        }
        (None, Some(_)) if v.stage == Stage::Invoiced => {
            Some("is invoiced but its last payment request already has an answer".to_owned())
        }
        _ => None,
    };
    if let Some(problem) = payment_problem {
        out.push(Finding::new(format!("voucher {}", v.voucher_id), problem));
    }
}

fn invoice_index(state: &State, out: &mut Vec<Finding>) {
    for (key, voucher_id) in &state.invoices {
        let listed = state
            .vouchers
            .get(voucher_id)
            .is_some_and(|v| v.invoices.iter().any(|i| invoice_key(&i.invoice_number) == *key));
        if !listed {
            out.push(Finding::new(
                format!("invoice {key}"),
                format!("points to voucher {voucher_id}, which has no such payment request"),
            ));
        }
    }
    for v in state.vouchers.values() {
        for i in &v.invoices {
            let key = invoice_key(&i.invoice_number);
            match state.invoices.get(&key) {
                Some(id) if *id == v.voucher_id => {}
                Some(id) => out.push(Finding::new(
                    format!("voucher {}", v.voucher_id),
                    format!("has invoice {key}, which the index gives to voucher {id}"),
                )),
                None => out.push(Finding::new(
                    format!("voucher {}", v.voucher_id),
                    format!("has invoice {key}, which is missing from the invoice index"),
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seq_gaps_and_repeats_are_found() {
        assert!(seqs_contiguous([1, 2, 3]).is_empty());
        assert!(seqs_contiguous([]).is_empty());
        let gap = seqs_contiguous([1, 2, 5, 6]);
        assert_eq!(gap.len(), 1);
        assert!(gap[0].problem.contains("events 3 to 4 are missing"), "{gap:?}");
        assert_eq!(seqs_contiguous([2, 3])[0].problem, "event 1 is missing");
        assert_eq!(seqs_contiguous([1, 2, 2, 3]).len(), 1);
    }
}
