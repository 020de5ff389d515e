//! Random command sequences over a small universe, from a ready partner,
//! through `execute`. After every step: the customers' pools add up, no
//! voucher is redeemed or paid twice, every status change is an edge of
//! domain.md's state diagram, a refusal changes nothing; at the end,
//! replaying the log rebuilds the state.

mod common;

use common::steps::{Kind, Knobs, command, ready_world, step_strategy};
use common::*;
use proptest::prelude::*;
use saps::domain::event::Event;
use saps::domain::records::Outcome;
use saps::domain::{Ctx, Rejection, State, Status, apply, decide};
use std::collections::BTreeMap;

/// Runs one step: moves the clock or turns the step into a command.
fn run_step(w: &mut World, kind: Kind, k: &Knobs) -> Option<Result<(), Rejection>> {
    if kind == Kind::Advance {
        w.advance(k.n.max(0));
        return None;
    }
    let (actor, cmd) = command(w, kind, k);
    Some(w.run(actor, cmd).map(drop))
}

/// Deciding on the working set the command names gives what deciding on
/// the whole state gives (what lets a store load only that set).
fn working_set_decides_the_same(w: &World, kind: Kind, k: &Knobs) -> Result<(), TestCaseError> {
    if kind == Kind::Advance {
        return Ok(());
    }
    let (actor, cmd) = command(w, kind, k);
    let ctx = Ctx {
        actor: Some(actor),
        ..w.ctx()
    };
    let ws = w.state.restricted(&cmd.names());
    prop_assert_eq!(decide(&ws, &cmd, &ctx), decide(&w.state, &cmd, &ctx), "{:?}", cmd);
    Ok(())
}

fn statuses(w: &World) -> BTreeMap<String, Status> {
    let today = w.today();
    w.state
        .vouchers
        .iter()
        .map(|(k, v)| (k.clone(), v.status(today)))
        .collect()
}

fn edge_allowed(from: Status, to: Status) -> bool {
    use Status::*;
    from == to
        || matches!(
            (from, to),
            (Assigned, Reserved)
                | (Reserved, Assigned)
                | (Reserved, Delivered)
                | (Delivered, Redeemed)
                | (Redeemed, Invoiced)
                | (Invoiced, Paid)
                | (Invoiced, Denied)
                | (Denied, Invoiced)
                | (Assigned | Reserved | Delivered, Expired)
        )
}

fn check_invariants(w: &World, before: &BTreeMap<String, Status>) -> Result<(), TestCaseError> {
    let today = w.today();
    for (id, c) in &w.state.customers {
        let held: u32 = w.state.customer_vouchers(id).map(|v| v.days_held(c, today)).sum();
        prop_assert!(
            held <= c.planning_days,
            "{id} holds {held} of {}",
            c.planning_days
        );
        prop_assert_eq!(w.state.remaining_days(id, today), Some(c.planning_days - held));
    }
    let (mut redeemed, mut paid) = (BTreeMap::<&str, u32>::new(), BTreeMap::<&str, u32>::new());
    for r in &w.log {
        match &r.event {
            Event::VoucherRedeemed { voucher_id, .. } => *redeemed.entry(voucher_id).or_default() += 1,
            Event::PaymentRecorded {
                voucher_id,
                outcome: Outcome::Paid,
                ..
            } => *paid.entry(voucher_id).or_default() += 1,
            _ => {}
        }
    }
    prop_assert!(redeemed.values().all(|n| *n == 1), "redeemed twice: {redeemed:?}");
    prop_assert!(paid.values().all(|n| *n == 1), "paid twice: {paid:?}");
    let after = statuses(w);
    for (id, from) in before {
        let to = after.get(id).copied();
        prop_assert!(
            to.is_some_and(|to| edge_allowed(*from, to)),
            "{id}: {from:?} -> {to:?}"
        );
    }
    for (id, to) in &after {
        prop_assert!(
            before.contains_key(id) || *to == Status::Assigned,
            "new {id} is {to:?}"
        );
    }
    Ok(())
}

proptest! {
    // 64 cases unless PROPTEST_CASES asks for more (a longer hunt).
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(64)
    ))]

    #[test]
    fn invariants_hold_for_random_sequences(steps in prop::collection::vec(step_strategy(), 1..60)) {
        let mut w = ready_world();
        for (kind, knobs) in &steps {
            let (before, snapshot) = (statuses(&w), w.state.clone());
            working_set_decides_the_same(&w, *kind, knobs)?;
            if let Some(Err(_)) = run_step(&mut w, *kind, knobs) {
                prop_assert!(w.state == snapshot, "a refusal changed the state");
            }
            check_invariants(&w, &before)?;
        }
        let seqs: Vec<u64> = w.log.iter().map(|r| r.seq).collect();
        prop_assert_eq!(seqs, (1..=w.log.len() as u64).collect::<Vec<_>>());
        let mut replayed = State::default();
        for r in &w.log {
            apply(&mut replayed, r);
        }
        replayed.reindex();
        prop_assert!(replayed == w.state, "replaying the log does not rebuild the state");
    }
}

/// The generator reaches payment often enough for the invariants to mean something.
#[test]
fn sequences_reach_payment() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut reached = Vec::new();
    for _ in 0..64 {
        let steps = prop::collection::vec(step_strategy(), 1..60)
            .new_tree(&mut runner)
            .unwrap()
            .current();
        let mut w = ready_world();
        for (kind, knobs) in &steps {
            run_step(&mut w, *kind, knobs);
        }
        reached.extend(w.log.iter().filter_map(|r| match &r.event {
            Event::VoucherRedeemed { .. } => Some("redeemed"),
            Event::PaymentRecorded {
                outcome: Outcome::Paid,
                ..
            } => Some("paid"),
            Event::PaymentRecorded {
                outcome: Outcome::Denied,
                ..
            } => Some("denied"),
            _ => None,
        }));
    }
    for stage in ["redeemed", "paid", "denied"] {
        let n = reached.iter().filter(|s| **s == stage).count();
        assert!(n >= 3, "only {n} vouchers reached {stage} in 64 sequences");
    }
}
