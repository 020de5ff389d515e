//! What a commit writes: every recorded event and every record the events
//! touch, encoded before the transaction starts, so that a retried
//! transaction body does no work but writing.

use super::{codec, keys};
use crate::domain::event::Touch;
use crate::domain::{Recorded, State};
use std::collections::BTreeSet;

/// The record trees a commit writes (meta is written only when opening).
#[derive(Clone, Copy)]
pub(super) enum Target {
    Events,
    Org,
    Customers,
    Vouchers,
    Invoices,
}

/// One key to set (`Some`) or remove (`None`).
pub(super) struct Write {
    pub target: Target,
    pub key: Vec<u8>,
    pub value: Option<Vec<u8>>,
}

/// The writes of one commit of `recorded`, records taken from `state` (the
/// state after applying them); a touched record absent from `state` is
/// removed. `Err` names the value that could not be encoded.
pub(super) fn prepare(state: &State, recorded: &[Recorded]) -> Result<Vec<Write>, String> {
    let mut writes = Vec::new();
    let mut touched = BTreeSet::new();
    for r in recorded {
        writes.push(Write {
            target: Target::Events,
            key: keys::event(r.seq).to_vec(),
            value: Some(encode(r, || format!("event {}", r.seq))?),
        });
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
            Touch::Voucher(id) => Write {
                target: Target::Vouchers,
                key: keys::voucher(id).to_vec(),
                value: match state.vouchers.get(id) {
                    Some(v) => Some(encode(v, || format!("voucher {id}"))?),
                    None => None,
                },
            },
            Touch::Invoice(k) => Write {
                target: Target::Invoices,
                key: keys::invoice(k).to_vec(),
                value: state.invoices.get(k).map(|id| id.as_bytes().to_vec()),
            },
        };
        writes.push(write);
    }
    Ok(writes)
}

fn encode<T: serde::Serialize>(v: &T, what: impl FnOnce() -> String) -> Result<Vec<u8>, String> {
    codec::try_encode(v).map_err(|e| format!("cannot encode {}: {e}", what()))
}
