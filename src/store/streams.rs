//! Streams: the parts of the state a command reads and an event changes,
//! by name, so that a shared store can let commits that touch different
//! things go on side by side and stop only the ones that really collide
//! (PostgreSQL's commit, `postgres/commit.rs`; sled has one writer).
//!
//! | stream | what it stands for |
//! |---|---|
//! | `org` | the organisation record (users, roles, enrollment, profile) |
//! | `redeemed` | the offerings with a voucher redeemed (SAVB registration reads them) |
//! | `c:<customer>` | the customer record, its ledger and its vouchers' history |
//! | `v:<voucher>` | the voucher record and its index entries |
//! | `i:<invoice key>` | the invoice number's record |
//!
//! A command **depends on** `org`, the streams of what it names
//! ([`Names`](crate::domain::Names)), each named voucher's customer (the
//! store reads it with the voucher) and, when it reads them, `redeemed`. An
//! event **touches** the streams of [`Event::touches`], a voucher event
//! also its voucher's customer, and `VoucherRedeemed` also `redeemed`. The
//! counters are added as deltas where they are stored, so they commute and
//! belong to no stream.

use crate::domain::event::Touch;
use crate::domain::records::Voucher;
use crate::domain::{Event, Names, State};
use std::collections::{BTreeMap, BTreeSet};

pub const ORG: &str = "org";
pub const REDEEMED: &str = "redeemed";

pub fn customer(id: &str) -> String {
    format!("c:{id}")
}

pub fn voucher(id: &str) -> String {
    format!("v:{id}")
}

pub fn invoice(key: &str) -> String {
    format!("i:{key}")
}

/// What a batch of staged commands was decided on, beyond its events'
/// first seq: the streams they depend on and the vouchers as they were
/// before the batch (what the index entries move from).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Basis {
    /// `None`: the whole log (any event since is a conflict).
    pub deps: Option<BTreeSet<String>>,
    /// Each voucher the batch read, as it was before the batch (`None`: not
    /// stored then).
    pub before: BTreeMap<String, Option<Voucher>>,
}

impl Basis {
    /// A basis that depends on the whole log and knows no voucher.
    pub fn whole_log() -> Basis {
        Basis::default()
    }

    /// An empty set of streams (to be added to).
    pub fn streams() -> Basis {
        Basis {
            deps: Some(BTreeSet::new()),
            before: BTreeMap::new(),
        }
    }

    /// Adds what a command naming `names` depends on, `state` holding the
    /// records it read (before it is applied).
    pub fn depend(&mut self, state: &State, names: &Names) {
        for id in &names.vouchers {
            self.before
                .entry(id.clone())
                .or_insert_with(|| state.vouchers.get(id).cloned());
        }
        let Some(deps) = self.deps.as_mut() else {
            return;
        };
        deps.insert(ORG.to_owned());
        if names.redeemed_offerings {
            deps.insert(REDEEMED.to_owned());
        }
        deps.extend(names.customers.iter().map(|c| customer(c)));
        for id in &names.vouchers {
            deps.insert(voucher(id));
            if let Some(v) = state.vouchers.get(id) {
                deps.insert(customer(&v.customer));
            }
        }
        deps.extend(names.invoices.iter().map(|k| invoice(k)));
    }
}

/// The streams `event` touches, `state` the state after it is applied (a
/// voucher's customer is read there; a voucher it does not hold touches
/// `org`, which every command depends on).
pub fn touched(state: &State, event: &Event) -> Vec<String> {
    let mut out = Vec::new();
    for t in event.touches() {
        match t {
            Touch::Org => out.push(ORG.to_owned()),
            Touch::Customer(id) => out.push(customer(&id)),
            Touch::Invoice(k) => out.push(invoice(&k)),
            Touch::Voucher(id) => {
                match state.vouchers.get(&id) {
                    Some(v) => out.push(customer(&v.customer)),
                    None => out.push(ORG.to_owned()),
                }
                out.push(voucher(&id));
            }
        }
    }
    if matches!(event, Event::VoucherRedeemed { .. }) {
        out.push(REDEEMED.to_owned());
    }
    out.sort();
    out.dedup();
    out
}

/// How a commit went: where its events landed and what others changed
/// meanwhile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committed {
    /// The seq the first event got (the events follow it in order).
    pub first: u64,
    /// The streams that other commits touched between the state the batch
    /// was decided on and its first event (none of them one it depends
    /// on); `None` when too many to say.
    pub between: Option<BTreeSet<String>>,
}

/// Forgets from `state` every record of `streams` (what other commits
/// changed): the next command that names one reads it again. `false` when
/// a stream is not a record's (`org`, `redeemed`): read the state again.
pub fn forget(state: &mut State, streams: &BTreeSet<String>) -> bool {
    let mut kept = true;
    for s in streams {
        if let Some(id) = s.strip_prefix("c:") {
            state.customers.remove(id);
            state.ledgers.remove(id);
            for v in state.by_customer.remove(id).unwrap_or_default() {
                state.vouchers.remove(&v);
            }
        } else if let Some(id) = s.strip_prefix("v:") {
            if let Some(v) = state.vouchers.remove(id)
                && let Some(ids) = state.by_customer.get_mut(&v.customer)
            {
                ids.remove(id);
            }
        } else if let Some(k) = s.strip_prefix("i:") {
            state.invoices.remove(k);
        } else {
            kept = false;
        }
    }
    kept
}
