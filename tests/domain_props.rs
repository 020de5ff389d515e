//! Random command sequences over a small universe, from a ready partner,
//! through `execute`. After every step: the customers' pools add up, no
//! voucher is redeemed or paid twice, every status change is an edge of
//! domain.md's state diagram, a refusal changes nothing; at the end,
//! replaying the log rebuilds the state.

mod common;

use common::*;
use proptest::prelude::*;
use saps::domain::event::Event;
use saps::domain::records::{Outcome, ReportFields, Stage, Voucher};
use saps::domain::rules::report::report_problems;
use saps::domain::{Command, Ctx, Rejection, State, Status, apply, decide};
use std::collections::BTreeMap;

const VIDS: [&str; 4] = ["DDPS-0001", " ddps-0002", "DDPS-0003", "X1"];
const CUSTOMERS: [&str; 3] = [CUSTOMER, "LIC-002", "LIC-003"];
const ACTORS: [&str; 11] = [
    PA,
    PA,
    PA,
    PA,
    PA,
    ADMIN,
    ADMIN,
    ADMIN,
    CONSULTANT,
    OTHER_CONSULTANT,
    "x@y.test",
];
const DAYS: [i64; 11] = [1, 3, 5, 10, 15, 1, 3, 5, 0, 2, -3];
/// How many days before today a received voucher was created.
const BACK: [i64; 10] = [0, 0, 0, 0, 0, 30, 100, 179, 180, -1];
const ENGAGEMENTS: [&str; 7] = [
    ENGAGEMENT,
    ENGAGEMENT,
    ENGAGEMENT,
    ENGAGEMENT,
    "mobile-productivity",
    "enterprise-security-poc",
    "sharepoint-deployment",
];
const STAFF: [&[&str]; 3] = [&[CONSULTANT], &[OTHER_CONSULTANT], &[CONSULTANT, ADMIN]];
const INVOICES: [&str; 4] = ["INV-1", "inv-1", "INV-2", "INV-3"];
const WALK_ON: [f64; 5] = [0.0, 2.0, 4.0, 4.5, 9.0];

/// What a step does; its `Knobs` choose the details.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Advance,
    AddCustomer,
    Receive,
    Validate,
    Reserve,
    Reschedule,
    Cancel,
    Draft,
    Submit,
    Redeem,
    Register,
    Request,
    Record,
    /// The happy path's next command for a voucher, so sequences get far.
    Next,
}

/// `v` below 6 names an existing voucher when there is one; `n` is a day
/// offset or count; `flag` is mostly true (right email, terms, fit report).
#[derive(Debug, Clone)]
struct Knobs {
    v: usize,
    who: usize,
    n: i64,
    len: i64,
    pick: usize,
    flag: bool,
}

fn step_strategy() -> impl Strategy<Value = (Kind, Knobs)> {
    use Kind::*;
    let kinds = vec![
        Advance,
        Advance,
        AddCustomer,
        Receive,
        Receive,
        Receive,
        Validate,
        Reserve,
        Reserve,
        Reserve,
        Reschedule,
        Cancel,
        Draft,
        Draft,
        Draft,
        Submit,
        Submit,
        Submit,
        Redeem,
        Redeem,
        Register,
        Request,
        Request,
        Record,
        Record,
        Next,
        Next,
        Next,
        Next,
        Next,
        Next,
        Next,
        Next,
    ];
    let knobs = (
        0..8usize,
        0..ACTORS.len(),
        -3i64..46,
        0i64..20,
        0..10_000usize,
        prop::bool::weighted(0.85),
    )
        .prop_map(|(v, who, n, len, pick, flag)| Knobs {
            v,
            who,
            n,
            len,
            pick,
            flag,
        });
    (prop::sample::select(kinds), knobs)
}

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

fn command(w: &World, kind: Kind, k: &Knobs) -> (&'static str, Command) {
    let t = |n: i64| w.today() + chrono::Duration::days(n);
    let known: Vec<&String> = w.state.vouchers.keys().collect();
    let vid = |i: usize| match i {
        5 if !known.is_empty() => format!(" {} ", known[i % known.len()].to_lowercase()),
        0..5 if !known.is_empty() => known[i % known.len()].clone(),
        _ => VIDS[i % VIDS.len()].to_string(),
    };
    let id = vid(k.v);
    let who = ACTORS[k.who];
    let pick = |n: usize| k.pick % n;
    match kind {
        Kind::Advance => unreachable!("the clock is not a command"),
        Kind::AddCustomer => (PA, customer_cmd("LIC-003", k.n - 5, t(100 + 15 * k.len))),
        Kind::Receive => {
            let cmd = receive_cmd(
                VIDS[pick(4)],
                CUSTOMERS[pick(3)],
                DAYS[pick(11)],
                t(-BACK[pick(10)]),
            );
            (who, cmd)
        }
        Kind::Validate => (
            who,
            validate_as(&id, if k.flag { VOUCHER_ADMIN } else { "x@y.test" }),
        ),
        Kind::Reserve => {
            let mut r = reserve(&id, t(k.n), t(k.n + k.len));
            r.engagement = ENGAGEMENTS[pick(7)].into();
            r.consultants = STAFF[pick(3)].iter().map(|s| s.to_string()).collect();
            r.accept_terms = k.flag;
            r.distinct_scope = (pick(2) == 0).then(|| "other division".into());
            if pick(11) == 0 {
                r.country = "CA".into();
            }
            (who, Command::ReserveVoucher(r))
        }
        Kind::Reschedule => (
            PA,
            Command::Reschedule {
                voucher_id: id,
                start: t(k.n),
                end: t(k.n + k.len),
            },
        ),
        Kind::Cancel => (who, cancel_cmd(&id)),
        Kind::Draft => {
            let fields = match w.state.vouchers.get(id.trim().to_uppercase().as_str()) {
                Some(v) if k.flag => full_report(v.days as i64, t(0), t(0)),
                _ => ReportFields {
                    onsite_days: Some(pick(16) as u32),
                    offsite_days: Some(k.len as u32 % 10),
                    walk_on_hours: Some(WALK_ON[pick(5)]),
                    ..full_report(0, t(k.n % 3 - 1), t(k.n % 3))
                },
            };
            (who, draft_cmd(&id, fields))
        }
        Kind::Submit => (who, submit_cmd(&id)),
        Kind::Redeem => {
            let other = vid(pick(8));
            let ids = if k.len % 2 == 0 {
                vec![id.as_str()]
            } else {
                vec![id.as_str(), other.as_str()]
            };
            (who, redeem_cmd(&ids))
        }
        Kind::Register => (who, savb_cmd()),
        Kind::Request => {
            let location_id = (!k.flag).then(|| "TOR".to_string());
            let invoice_number = INVOICES[pick(4)].into();
            (
                PA,
                Command::RequestPayment {
                    voucher_id: id,
                    invoice_number,
                    location_id,
                },
            )
        }
        Kind::Record => (
            who,
            record_cmd(
                &id,
                if pick(2) == 0 {
                    Outcome::Paid
                } else {
                    Outcome::Denied
                },
            ),
        ),
        Kind::Next => match w.state.vouchers.get(id.trim().to_uppercase().as_str()) {
            None => (
                PA,
                receive_cmd(VIDS[pick(3)], CUSTOMERS[pick(2)], DAYS[pick(5)], t(0)),
            ),
            Some(v) => next_step(w, v, pick(3) != 0),
        },
    }
}

fn next_step(w: &World, v: &Voucher, paid: bool) -> (&'static str, Command) {
    let id = v.voucher_id.as_str();
    let ctx = w.ctx();
    let fields = v.report.as_ref().map(|r| r.fields.clone()).unwrap_or_default();
    let today = w.today();
    match v.stage {
        Stage::Assigned => (PA, Command::ReserveVoucher(reserve(id, today, today))),
        Stage::Reserved if report_problems(v, &fields, &ctx).is_empty() => (CONSULTANT, submit_cmd(id)),
        Stage::Reserved => (PA, draft_cmd(id, full_report(v.days as i64, today, today))),
        Stage::Delivered => (PA, redeem_cmd(&[id])),
        Stage::Redeemed | Stage::Denied if !w.state.org.savb.contains_key("DDPS") => (ADMIN, savb_cmd()),
        Stage::Redeemed | Stage::Denied => (PA, request_cmd(id, &format!("N-{}", w.log.len()))),
        Stage::Invoiced | Stage::Paid => (
            PA,
            record_cmd(id, if paid { Outcome::Paid } else { Outcome::Denied }),
        ),
    }
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

fn ready_world() -> World {
    let mut w = World::setup_ready();
    w.ok(PA, customer_cmd("LIC-002", 20, day(200)));
    w.ok(PA, location_cmd("TOR", "CA"));
    w
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
