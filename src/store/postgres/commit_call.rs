//! The arguments of one `saps.commit_events` call (`commit_fn.rs`): the
//! events as encoded (and where each one's bytes after its seq start), the
//! streams each touched, the records to set or remove, the counters' deltas.

use super::commit_fn::streams_literal;
use super::commit_sql::TABLES;
use super::tx::Table;
use crate::domain::Recorded;
use crate::store::writes::{Target, Write};
use crate::store::{StoreError, keys};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use uuid::Uuid;

/// The arguments of one `saps.commit_events` call, owned: made on the
/// thread that decided the batch, sent from another (`commit.rs`).
pub(super) struct Call {
    pub ats: Vec<DateTime<Utc>>,
    pub actors: Vec<String>,
    pub ids: Vec<Uuid>,
    pub bodies: Vec<Vec<u8>>,
    pub tail_at: Vec<i32>,
    /// Each event's streams, as an array's literal.
    pub streams: Vec<String>,
    pub w_table: Vec<i32>,
    pub w_key: Vec<Vec<u8>>,
    pub w_value: Vec<Option<Vec<u8>>>,
    pub w_set: Vec<i32>,
    pub w_gone: Vec<i32>,
    pub c_key: Vec<Vec<u8>>,
    pub c_delta: Vec<i64>,
}

impl Call {
    pub(super) fn new(
        at: &str,
        recorded: &[Recorded],
        touched: &[Vec<String>],
        writes: &[Write],
        deltas: &BTreeMap<Vec<u8>, i64>,
    ) -> Result<Call, StoreError> {
        let bad = |detail: String| StoreError::Server {
            at: at.to_owned(),
            detail,
        };
        let bodies: BTreeMap<&[u8], &[u8]> = writes
            .iter()
            .filter(|w| w.target == Target::Events)
            .filter_map(|w| Some((w.key.as_slice(), w.value.as_deref()?)))
            .collect();
        let mut call = Call {
            ats: Vec::with_capacity(recorded.len()),
            actors: Vec::with_capacity(recorded.len()),
            ids: Vec::with_capacity(recorded.len()),
            bodies: Vec::with_capacity(recorded.len()),
            tail_at: Vec::with_capacity(recorded.len()),
            streams: Vec::with_capacity(recorded.len()),
            w_table: Vec::new(),
            w_key: Vec::new(),
            w_value: Vec::new(),
            w_set: Vec::new(),
            w_gone: Vec::new(),
            c_key: deltas.keys().cloned().collect(),
            c_delta: deltas.values().copied().collect(),
        };
        for (r, touched) in recorded.iter().zip(touched) {
            let key = keys::event(r.seq);
            let body = bodies
                .get(key.as_slice())
                .ok_or_else(|| bad(format!("event {} was not encoded", r.seq)))?;
            let tail =
                after_seq(body).ok_or_else(|| bad(format!("event {} does not start with its seq", r.seq)))?;
            call.bodies.push(body.to_vec());
            // Where the rest starts, 1-based (SQL's substring).
            call.tail_at
                .push(i32::try_from(body.len() - tail.len() + 1).unwrap_or(i32::MAX));
            // The event's own id (the session's, a bundle's, a backup's).
            call.ids.push(r.id);
            call.ats.push(r.at);
            call.actors.push(r.actor.clone());
            call.streams.push(streams_literal(touched));
        }
        // One write per key, the last one (as the events left it).
        let mut tables: BTreeMap<(usize, &[u8]), Option<&[u8]>> = BTreeMap::new();
        for w in writes {
            if let Some(n) = table(w.target) {
                tables.insert((n, &w.key), w.value.as_deref());
            }
        }
        for ((n, k), v) in tables {
            let n = i32::try_from(n).unwrap_or(0);
            let kinds = if v.is_some() {
                &mut call.w_set
            } else {
                &mut call.w_gone
            };
            if kinds.last() != Some(&n) {
                kinds.push(n);
            }
            call.w_table.push(n);
            call.w_key.push(k.to_vec());
            call.w_value.push(v.map(<[u8]>::to_vec));
        }
        Ok(call)
    }
}

/// An encoded event's bytes after its format byte and its seq (bincode's
/// varint: one byte up to 250, else a marker, 251, 252 or 253, and 2, 4 or 8
/// bytes): what the server puts the seq it gives in front of.
fn after_seq(body: &[u8]) -> Option<&[u8]> {
    let len = match *body.get(1)? {
        0..=250 => 1,
        251 => 3,
        252 => 5,
        253 => 9,
        _ => return None,
    };
    body.get(1 + len..)
}

/// The position of `t`'s table in [`TABLES`]; `None` for the events.
fn table(t: Target) -> Option<usize> {
    let table = match t {
        Target::Events | Target::Ids => return None,
        Target::Org => Table::Org,
        Target::Customers => Table::Customers,
        Target::Vouchers => Table::Vouchers,
        Target::Invoices => Table::Invoices,
        Target::Index => Table::Index,
    };
    TABLES.iter().position(|x| *x == table)
}

#[cfg(test)]
mod tests {
    use super::after_seq;
    use crate::store::codec;

    #[test]
    fn the_rest_of_an_event_follows_its_seq_whatever_its_length() {
        for seq in [
            0u64,
            1,
            250,
            251,
            65_535,
            65_536,
            u32::MAX as u64,
            u32::MAX as u64 + 1,
        ] {
            let bytes = codec::encode(&(seq, "rest"));
            assert_eq!(after_seq(&bytes), Some(&codec::encode(&"rest")[1..]), "{seq}");
        }
    }
}
