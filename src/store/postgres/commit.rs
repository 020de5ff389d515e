//! The commit: the events and every record they touch in one transaction,
//! refused when the state it was decided on is stale.
//!
//! Why this is enough: the events are inserted with the seqs the domain
//! gave them, `state.last_seq + 1 ...` of the state the command was decided
//! on, into a log whose `seq` is the primary key and gap-free (its insert
//! trigger refuses an event that does not follow the last one). So the
//! first seq is an expected version for the whole log: the insert succeeds
//! only if no other commit took that seq, and one that did either committed
//! already (a unique violation) or is still running (the insert waits for
//! it, then fails or goes on). When the insert succeeds, every earlier event
//! is committed and no later one can be until this transaction ends: the
//! commits form one line, each on the state the one before it left. A
//! command decided on records older than the log therefore fails here with
//! [`StoreError::Conflict`], writes nothing, and is decided again on a
//! fresh read; none is ever applied on stale data. The record writes are
//! computed by the sled store's own preparation (`writes::prepare`), the
//! stored voucher read inside this transaction, after the log is claimed.
//!
//! Under contention that alone can starve a writer: each try reads, decides
//! and commits while others commit, and every other commit in that window
//! makes it lose again. So a commit that lost takes the *write turn* before
//! it returns the conflict: an exclusive advisory lock ([`TURN`]) on its
//! connection, held while the session reads again, decides again and
//! commits again. Every commit's insert first takes the same lock shared
//! (shared locks do not wait for each other, so commits without a turn run
//! as before), so while a writer holds the turn no other commit can take a
//! seq, and its retry cannot lose. The turn is given back at its
//! connection's next commit call, whatever it does (an empty one too: the
//! retried commands may all be refused now).
//!
//! On success the transaction also notifies `saps_events` with the new last
//! seq (delivered when it commits), which [`PgStore::listen`] waits for.

use super::PgStore;
use super::tx::{Conn, Table, Tx};
use crate::domain::records::Voucher;
use crate::domain::{Recorded, State};
use crate::store::sled_store::counter_value;
use crate::store::writes::{Target, Writes, prepare};
use crate::store::{StoreError, codec, keys};
use chrono::{DateTime, Utc};
use std::cell::RefCell;
use std::collections::BTreeMap;

/// The channel a commit notifies; the payload is the new last seq.
pub const CHANNEL: &str = "saps_events";

/// The advisory lock of the write turn (in this database's lock space).
pub const TURN: i64 = 0x5341_5053; // "SAPS"

impl PgStore {
    /// Writes `recorded` and every record they touch, as found in `state`
    /// (the state after applying them), in one transaction; a touched
    /// record absent from `state` is removed. Empty is a no-op. When
    /// another commit took `recorded`'s first seq (the state is stale):
    /// [`StoreError::Conflict`], and nothing is written.
    pub fn commit(&self, state: &State, recorded: &[Recorded]) -> Result<(), StoreError> {
        let Some(first) = recorded.first() else {
            return self.with_conn(give_back_turn);
        };
        let stale = |e: StoreError| match e {
            StoreError::Conflict { detail } if detail.is_empty() => StoreError::Conflict {
                detail: format!("another saps recorded event {} first", first.seq),
            },
            other => other,
        };
        self.with_conn(|conn, at| {
            let done = write(conn, at, state, recorded, first.seq).map_err(stale);
            give_back_turn(conn, at)?;
            if matches!(done, Err(StoreError::Conflict { .. })) {
                // Lost: this connection waits for the turn, then retries.
                conn.client
                    .execute("SELECT pg_advisory_lock($1)", &[&TURN])
                    .map_err(|e| super::error(at, e))?;
                conn.turn = true;
            }
            done
        })
    }
}

/// Gives the write turn back if this connection holds it.
fn give_back_turn(conn: &mut Conn, at: &str) -> Result<(), StoreError> {
    if conn.turn {
        conn.turn = false;
        conn.client
            .execute("SELECT pg_advisory_unlock($1)", &[&TURN])
            .map_err(|e| super::error(at, e))?;
    }
    Ok(())
}

/// The commit's transaction; a lost race is a `Conflict` with no detail.
fn write(
    conn: &mut Conn,
    at: &str,
    state: &State,
    recorded: &[Recorded],
    first: u64,
) -> Result<(), StoreError> {
    let tx = conn.client.transaction().map_err(|e| super::error(at, e))?;
    let tx = RefCell::new(Tx::new(tx, &mut conn.cache, at));
    let stored = |id: &str| -> Result<Option<Voucher>, String> {
        let bytes = tx
            .borrow_mut()
            .get(Table::Vouchers, keys::voucher(id))
            .map_err(|e| e.to_string())?;
        bytes
            .map(|b| codec::decode(&b).map_err(|e| format!("voucher {id}: {e}")))
            .transpose()
    };
    let Writes { writes, deltas } =
        prepare(state, recorded, stored).map_err(|detail| StoreError::Server {
            at: at.to_owned(),
            detail,
        })?;
    let mut tx = tx.into_inner();
    let bodies: BTreeMap<&[u8], &[u8]> = writes
        .iter()
        .filter(|w| w.target == Target::Events)
        .filter_map(|w| Some((w.key.as_slice(), w.value.as_deref()?)))
        .collect();
    let last = recorded.last().map_or(first, |r| r.seq).to_string();
    insert_events(&mut tx, recorded, &bodies, &last)?;
    let mut tables: BTreeMap<Table, BTreeMap<&[u8], Option<&[u8]>>> = BTreeMap::new();
    for w in writes.iter() {
        if let Some(t) = table(w.target) {
            tables.entry(t).or_default().insert(&w.key, w.value.as_deref());
        }
    }
    for (t, kv) in &tables {
        write_table(&mut tx, *t, kv)?;
    }
    add_to_counters(&mut tx, &deltas)?;
    tx.commit()
}

fn table(t: Target) -> Option<Table> {
    match t {
        Target::Events | Target::Ids => None,
        Target::Org => Some(Table::Org),
        Target::Customers => Some(Table::Customers),
        Target::Vouchers => Some(Table::Vouchers),
        Target::Invoices => Some(Table::Invoices),
        Target::Index => Some(Table::Index),
    }
}

/// The events in one statement, in seq order (the gap trigger sees each
/// row after the one before it), each with its own id (unique: a command
/// that another process applied first fails here too, and its session
/// finds it applied); the same statement takes the turn's lock shared and notifies
/// [`CHANNEL`] of `last` (one round trip for the three).
fn insert_events(
    tx: &mut Tx,
    recorded: &[Recorded],
    bodies: &BTreeMap<&[u8], &[u8]>,
    last: &str,
) -> Result<(), StoreError> {
    let mut seqs = Vec::with_capacity(recorded.len());
    let mut ats: Vec<DateTime<Utc>> = Vec::with_capacity(recorded.len());
    let mut actors = Vec::with_capacity(recorded.len());
    let mut ids = Vec::with_capacity(recorded.len());
    let mut body = Vec::with_capacity(recorded.len());
    for r in recorded {
        let seq = i64::try_from(r.seq).map_err(|_| StoreError::Server {
            at: tx.at.to_owned(),
            detail: format!("event {} is past the largest seq PostgreSQL stores", r.seq),
        })?;
        let key = keys::event(r.seq);
        let bytes = bodies.get(key.as_slice()).ok_or_else(|| StoreError::Server {
            at: tx.at.to_owned(),
            detail: format!("event {} was not encoded", r.seq),
        })?;
        ids.push(r.id);
        seqs.push(seq);
        ats.push(r.at);
        actors.push(r.actor.as_str());
        body.push(*bytes);
    }
    // The turn's lock, shared, before any row goes in (see the module's doc).
    tx.execute(
        "WITH turn AS (SELECT pg_advisory_xact_lock_shared($6)), \
         note AS (SELECT pg_notify($7, $8)) \
         INSERT INTO saps.events (seq, at, actor, id, body) \
         SELECT e.* FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::uuid[], $5::bytea[]) \
         AS e, turn, note ORDER BY 1",
        &[&seqs, &ats, &actors, &ids, &body, &TURN, &CHANNEL, &last],
    )?;
    Ok(())
}

/// Sets and removes the keys of one table, in two statements.
fn write_table(tx: &mut Tx, t: Table, kv: &BTreeMap<&[u8], Option<&[u8]>>) -> Result<(), StoreError> {
    let (mut set_k, mut set_v, mut gone) = (Vec::new(), Vec::new(), Vec::new());
    for (k, v) in kv {
        match v {
            Some(v) => {
                set_k.push(*k);
                set_v.push(*v);
            }
            None => gone.push(*k),
        }
    }
    if !gone.is_empty() {
        let sql = format!("DELETE FROM {} WHERE key = ANY($1)", t.name());
        tx.execute(&sql, &[&gone])?;
    }
    if !set_k.is_empty() {
        let sql = format!(
            "INSERT INTO {} (key, value) SELECT * FROM unnest($1::bytea[], $2::bytea[]) \
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            t.name()
        );
        tx.execute(&sql, &[&set_k, &set_v])?;
    }
    Ok(())
}

/// Adds each delta to its counter (8 bytes, big-endian, as in sled); a
/// counter reaching 0 is removed. The log is claimed already, so no other
/// commit changes the counters meanwhile.
fn add_to_counters(tx: &mut Tx, deltas: &BTreeMap<Vec<u8>, i64>) -> Result<(), StoreError> {
    if deltas.is_empty() {
        return Ok(());
    }
    let keys: Vec<Vec<u8>> = deltas.keys().cloned().collect();
    let now: BTreeMap<Vec<u8>, u64> = tx
        .get_many(Table::Index, &keys)?
        .into_iter()
        .map(|(k, v)| (k, counter_value(&v)))
        .collect();
    let mut kv: BTreeMap<&[u8], Option<&[u8]>> = BTreeMap::new();
    let values: Vec<(&[u8], u64)> = deltas
        .iter()
        .map(|(k, d)| {
            (
                k.as_slice(),
                now.get(k).copied().unwrap_or(0).saturating_add_signed(*d),
            )
        })
        .collect();
    let bytes: Vec<[u8; 8]> = values.iter().map(|(_, n)| n.to_be_bytes()).collect();
    for ((k, n), b) in values.iter().zip(&bytes) {
        kv.insert(k, (*n != 0).then_some(b.as_slice()));
    }
    write_table(tx, Table::Index, &kv)
}
