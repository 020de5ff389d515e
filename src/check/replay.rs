//! Rebuilding the records from the audit log and comparing them with the
//! stored ones, record by record. Pure.

use super::Finding;
use crate::domain::records::{Customer, Org, Voucher};
use crate::domain::{Recorded, State, apply};
use std::collections::{BTreeMap, BTreeSet};

/// The state the log describes: every event applied to an empty state.
pub fn replay(events: &[Recorded]) -> State {
    let mut state = State::default();
    for r in events {
        apply(&mut state, r);
    }
    state.reindex();
    state
}

/// Where `stored` and `replayed` disagree, one finding per record.
pub fn compare(stored: &State, replayed: &State) -> Vec<Finding> {
    let mut out = Vec::new();
    let org = org_parts(&stored.org, &replayed.org);
    if !org.is_empty() {
        out.push(differs("the partner record", &org));
    }
    records(
        &stored.customers,
        &replayed.customers,
        "customer",
        &mut out,
        customer_parts,
    );
    records(
        &stored.vouchers,
        &replayed.vouchers,
        "voucher",
        &mut out,
        voucher_parts,
    );
    records(
        &stored.invoices,
        &replayed.invoices,
        "invoice",
        &mut out,
        |_, _| Vec::new(),
    );
    if stored.last_seq != replayed.last_seq {
        out.push(Finding::new(
            "audit log",
            format!(
                "the records say the last event is {}, the log ends at {}",
                stored.last_seq, replayed.last_seq
            ),
        ));
    }
    out
}

fn differs(subject: &str, parts: &[&str]) -> Finding {
    let problem = if parts.is_empty() {
        "differs from what the audit log rebuilds".to_owned()
    } else {
        format!(
            "differs from what the audit log rebuilds in: {}",
            parts.join(", ")
        )
    };
    Finding::new(subject, problem)
}

fn records<T: PartialEq>(
    stored: &BTreeMap<String, T>,
    replayed: &BTreeMap<String, T>,
    kind: &str,
    out: &mut Vec<Finding>,
    parts: impl Fn(&T, &T) -> Vec<&'static str>,
) {
    let ids: BTreeSet<&String> = stored.keys().chain(replayed.keys()).collect();
    for id in ids {
        let subject = format!("{kind} {id}");
        match (stored.get(id), replayed.get(id)) {
            (Some(a), Some(b)) if a != b => out.push(differs(&subject, &parts(a, b))),
            (Some(_), None) => out.push(Finding::new(subject, "is stored but the audit log never made it")),
            (None, Some(_)) => out.push(Finding::new(subject, "is in the audit log but not stored")),
            _ => {}
        }
    }
}

fn names<'a>(checks: &[(&'a str, bool)]) -> Vec<&'a str> {
    checks.iter().filter(|(_, same)| !same).map(|(n, _)| *n).collect()
}

fn same<T: PartialEq>(a: &T, b: &T) -> bool {
    a == b
}

fn org_parts(a: &Org, b: &Org) -> Vec<&'static str> {
    names(&[
        ("partner", same(&a.partner, &b.partner)),
        ("users", same(&a.users, &b.users)),
        ("locations", same(&a.locations, &b.locations)),
        ("competencies", same(&a.competencies, &b.competencies)),
        ("exams", same(&a.exams, &b.exams)),
        ("enrollments", same(&a.enrollments, &b.enrollments)),
        ("profile", same(&a.profile, &b.profile)),
        ("savb", same(&a.savb, &b.savb)),
    ])
}

fn customer_parts(a: &Customer, b: &Customer) -> Vec<&'static str> {
    names(&[
        ("licensing_id", same(&a.licensing_id, &b.licensing_id)),
        ("name", same(&a.name, &b.name)),
        ("planning_days", same(&a.planning_days, &b.planning_days)),
        (
            "agreement_expires",
            same(&a.agreement_expires, &b.agreement_expires),
        ),
    ])
}

fn voucher_parts(a: &Voucher, b: &Voucher) -> Vec<&'static str> {
    names(&[
        ("voucher_id", same(&a.voucher_id, &b.voucher_id)),
        ("customer", same(&a.customer, &b.customer)),
        ("offering", same(&a.offering, &b.offering)),
        ("days", same(&a.days, &b.days)),
        ("created_on", same(&a.created_on, &b.created_on)),
        ("admin_email", same(&a.admin_email, &b.admin_email)),
        ("stage", same(&a.stage, &b.stage)),
        ("validated_at", same(&a.validated_at, &b.validated_at)),
        ("reservation", same(&a.reservation, &b.reservation)),
        ("report", same(&a.report, &b.report)),
        ("redemption", same(&a.redemption, &b.redemption)),
        ("invoices", same(&a.invoices, &b.invoices)),
    ])
}
