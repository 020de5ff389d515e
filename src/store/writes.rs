//! What a commit writes: every recorded event (one write each; sled's
//! commit packs them into blocks, [`in_blocks`]) and every record the events
//! touch, encoded before the transaction starts, so that a retried
//! transaction body does no work but writing.

use super::index::{self, Counter};
use super::{blocks, codec, keys};
use crate::domain::event::Touch;
use crate::domain::records::Voucher;
use crate::domain::{Recorded, State};
use std::collections::{BTreeMap, BTreeSet};

/// The record trees a commit writes (meta is written only when opening).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    Events,
    Org,
    Customers,
    Vouchers,
    Invoices,
    Index,
    /// sled's lookup from an event's id to its seq (PostgreSQL keeps the
    /// id in the events table).
    Ids,
}

/// One key to set (`Some`) or remove (`None`).
pub(super) struct Write {
    pub target: Target,
    pub key: Vec<u8>,
    pub value: Option<Vec<u8>>,
}

/// Everything one commit writes: keys to set or remove, and amounts to add
/// to counters (read and written inside the transaction).
pub(super) struct Writes {
    pub writes: Vec<Write>,
    pub deltas: BTreeMap<Vec<u8>, i64>,
}

/// The writes of one commit of `recorded`, records taken from `state` (the
/// state after applying them); a touched record absent from `state` is
/// removed. `stored` reads a voucher as it is on disk before this commit,
/// so that the index follows the change. `Err` names the value that could
/// not be encoded or read.
pub(super) fn prepare(
    state: &State,
    recorded: &[Recorded],
    stored: impl Fn(&str) -> Result<Option<Voucher>, String>,
) -> Result<Writes, String> {
    let mut writes = Vec::new();
    let mut deltas = BTreeMap::new();
    let mut customers = BTreeSet::new();
    let mut touched = BTreeSet::new();
    // Vouchers received in this commit were not stored before it.
    let mut new = BTreeSet::new();
    for r in recorded {
        if let crate::domain::Event::VoucherReceived { voucher_id, .. } = &r.event {
            new.insert(voucher_id.as_str());
        }
        if r.id.is_nil() {
            return Err(format!(
                "event {} has no id (a request's events get theirs from the session)",
                r.seq
            ));
        }
        let bytes = codec::try_encode_event(r).map_err(|e| format!("cannot encode event {}: {e}", r.seq))?;
        writes.push(Write {
            target: Target::Events,
            key: keys::event(r.seq).to_vec(),
            value: Some(bytes),
        });
        if r.id_given {
            // Only an id given from outside is ever asked about again
            // (`ids.rs`): one entry per event would double sled's pages.
            writes.push(Write {
                target: Target::Ids,
                key: r.id.as_bytes().to_vec(),
                value: Some(keys::event(r.seq).to_vec()),
            });
        }
        touched.extend(r.event.touches());
    }
    for touch in touched {
        let write = match &touch {
            Touch::Org => Write {
                target: Target::Org,
                key: keys::ORG_KEY.to_vec(),
                value: Some(encode(&state.org, || "org".to_owned())?),
            },
            Touch::Customer(id) => Write {
                target: Target::Customers,
                key: keys::customer(id).to_vec(),
                value: match state.customers.get(id) {
                    Some(c) => Some(encode(c, || format!("customer {id}"))?),
                    None => None,
                },
            },
            Touch::Voucher(id) => {
                let old = if new.contains(id.as_str()) {
                    None
                } else {
                    stored(id)?
                };
                index_writes(old.as_ref(), state, id, &mut writes, &mut deltas, &mut customers)?;
                Write {
                    target: Target::Vouchers,
                    key: keys::voucher(id).to_vec(),
                    value: match state.vouchers.get(id) {
                        Some(v) => Some(encode(v, || format!("voucher {id}"))?),
                        None => None,
                    },
                }
            }
            Touch::Invoice(k) => Write {
                target: Target::Invoices,
                key: keys::invoice(k).to_vec(),
                value: state.invoices.get(k).map(|id| id.as_bytes().to_vec()),
            },
        };
        writes.push(write);
    }
    // Each touched customer's ledger once, as it is after the commit.
    for c in customers {
        if let Some(l) = state.ledgers.get(&c) {
            writes.push(Write {
                target: Target::Index,
                key: index::ledger_key(&c),
                value: Some(index::encode_ledger(l)),
            });
        }
    }
    deltas.retain(|_, d| *d != 0);
    Ok(Writes { writes, deltas })
}

/// The index entries of voucher `id` moving from `old` (as stored) to its
/// record in `state`: the keys filing it (`index::entries`), its
/// customer's ledger, and the counters it adds to.
fn index_writes(
    old: Option<&Voucher>,
    state: &State,
    id: &str,
    writes: &mut Vec<Write>,
    deltas: &mut BTreeMap<Vec<u8>, i64>,
    customers: &mut BTreeSet<String>,
) -> Result<(), String> {
    let new = state.vouchers.get(id);
    let set = |key: Vec<u8>, value: Option<Vec<u8>>| Write {
        target: Target::Index,
        key,
        value,
    };
    // The keys filing the voucher: those it no longer has go, new ones come.
    let (was, is) = (
        old.map(index::entries).unwrap_or_default(),
        new.map(index::entries).unwrap_or_default(),
    );
    for k in was.iter().filter(|k| !is.contains(k)) {
        writes.push(set(k.clone(), None));
    }
    for k in is.iter().filter(|k| !was.contains(k)) {
        writes.push(set(k.clone(), Some(Vec::new())));
    }
    let mut add = |v: Option<&Voucher>, sign: i64| {
        for (c, n) in v.map(index::contributions).unwrap_or_default() {
            *deltas.entry(Counter::key(&c)).or_default() += sign * n as i64;
        }
    };
    add(old, -1);
    add(new, 1);
    if let Some(v) = new.or(old) {
        // A ledger changes when a voucher comes in or is redeemed.
        let redeemed = |v: Option<&Voucher>| v.map(|v| v.stage.is_redeemed());
        if old.is_none() || new.is_none() || redeemed(old) != redeemed(new) {
            customers.insert(v.customer.clone());
        }
    }
    Ok(())
}

/// `writes` with the events (one write each, in seq order) packed into the
/// blocks sled's events tree stores (`blocks.rs`): the commit's events
/// under few keys, each block written once, here.
pub(super) fn in_blocks(writes: Vec<Write>) -> Vec<Write> {
    let (events, mut out): (Vec<Write>, Vec<Write>) =
        writes.into_iter().partition(|w| w.target == Target::Events);
    let events = events
        .into_iter()
        .filter_map(|w| Some((keys::event_seq(&w.key)?, w.value?)));
    out.extend(blocks::pack(events).into_iter().map(|(first, block)| Write {
        target: Target::Events,
        key: keys::event(first).to_vec(),
        value: Some(block),
    }));
    out
}

fn encode<T: serde::Serialize>(v: &T, what: impl FnOnce() -> String) -> Result<Vec<u8>, String> {
    codec::try_encode(v).map_err(|e| format!("cannot encode {}: {e}", what()))
}
