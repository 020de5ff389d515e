//! The audit log and the whole state: `events`, `recent_events`, `load`.
//! An event whose columns disagree with its bytes (another seq, another
//! actor) is damage: the columns are what the database checked, the bytes
//! what saps decodes.

use super::PgStore;
use super::reads::org;
use super::tx::{Table, Tx};
use crate::domain::{Recorded, State};
use crate::store::sled_store::decode_as;
use crate::store::{StoreError, codec, keys};
use postgres::Row;
use std::collections::BTreeMap;

impl PgStore {
    /// The audit log, in seq order.
    pub fn events(&self) -> Result<Vec<Recorded>, StoreError> {
        self.read(|tx| {
            let mut out = Vec::new();
            read_events(tx, |r| out.push(r))?;
            Ok(out)
        })
    }

    /// The last `n` events (or fewer), oldest first.
    pub fn recent_events(&self, n: usize) -> Result<Vec<Recorded>, StoreError> {
        self.read(|tx| {
            let limit = i64::try_from(n).unwrap_or(i64::MAX);
            let rows = tx.query(
                "SELECT seq, actor, body, id FROM saps.events ORDER BY seq DESC LIMIT $1",
                &[&limit],
            )?;
            let mut out = rows.iter().map(event).collect::<Result<Vec<_>, _>>()?;
            out.reverse();
            Ok(out)
        })
    }

    /// The seq of the event whose id is `id`, when the log holds it.
    pub fn seq_of(&self, id: uuid::Uuid) -> Result<Option<u64>, StoreError> {
        self.read(|tx| {
            let rows = tx.query("SELECT seq FROM saps.events WHERE id = $1", &[&id])?;
            Ok(rows
                .first()
                .map(|r| u64::try_from(r.get::<_, i64>(0)).unwrap_or(0)))
        })
    }

    /// Up to `n` events after seq `after`, in seq order.
    pub fn events_after(&self, after: u64, n: usize) -> Result<Vec<Recorded>, StoreError> {
        self.read(|tx| {
            let after = i64::try_from(after).unwrap_or(i64::MAX);
            let limit = i64::try_from(n).unwrap_or(i64::MAX);
            let rows = tx.query(
                "SELECT seq, actor, body, id FROM saps.events WHERE seq > $1 ORDER BY seq LIMIT $2",
                &[&after, &limit],
            )?;
            rows.iter().map(event).collect()
        })
    }

    /// The whole state, rebuilt from the stored records, in one snapshot;
    /// the log is read too, so that nothing runs on a damaged one.
    pub fn load(&self) -> Result<State, StoreError> {
        self.read(|tx| {
            let mut state = State {
                org: org(tx)?,
                ..State::default()
            };
            state.customers = read_map(tx, Table::Customers, "customer", |b, what| decode_as(b, what))?;
            state.vouchers = read_map(tx, Table::Vouchers, "voucher", |b, what| decode_as(b, what))?;
            state.invoices = read_map(tx, Table::Invoices, "invoice", |b, what| {
                keys::text(b).ok_or_else(|| StoreError::Damaged {
                    what: what(),
                    detail: "voucher id is not UTF-8".to_owned(),
                })
            })?;
            state.last_seq = read_events(tx, |_| ())?;
            state.reindex();
            Ok(state)
        })
    }
}

fn read_map<T>(
    tx: &mut Tx,
    t: Table,
    kind: &str,
    decode: impl Fn(&[u8], &dyn Fn() -> String) -> Result<T, StoreError>,
) -> Result<BTreeMap<String, T>, StoreError> {
    let mut out = BTreeMap::new();
    for (key, value) in tx.range(t, (&[], false), None, None, false)? {
        let shown = keys::shown(&key);
        let what = || format!("{kind} {shown}");
        let id = keys::text(&key).ok_or_else(|| StoreError::Damaged {
            what: what(),
            detail: "key is not UTF-8".to_owned(),
        })?;
        out.insert(id, decode(&value, &what)?);
    }
    Ok(out)
}

/// Decodes every event in seq order; returns the last seq (0 for none).
fn read_events(tx: &mut Tx, mut each: impl FnMut(Recorded)) -> Result<u64, StoreError> {
    let rows = tx.query("SELECT seq, actor, body, id FROM saps.events ORDER BY seq", &[])?;
    let mut last = 0;
    for row in &rows {
        let r = event(row)?;
        last = r.seq;
        each(r);
    }
    Ok(last)
}

fn event(row: &Row) -> Result<Recorded, StoreError> {
    let seq: i64 = row.get(0);
    let actor: &str = row.get(1);
    let body: &[u8] = row.get(2);
    let mut r = codec::decode_event(body).map_err(|e| StoreError::Damaged {
        what: format!("event {seq}"),
        detail: e.to_string(),
    })?;
    // The id column is the event's id (an event stored before ids were
    // kept in its bytes has it there only).
    r.id = row.get(3);
    let damaged = |detail: String| StoreError::Damaged {
        what: format!("event {seq}"),
        detail,
    };
    if i64::try_from(r.seq).ok() != Some(seq) {
        return Err(damaged(format!("it holds event {}", r.seq)));
    }
    if r.actor != actor {
        return Err(damaged(format!(
            "its actor column says {actor} but the event says {}",
            r.actor
        )));
    }
    Ok(r)
}
