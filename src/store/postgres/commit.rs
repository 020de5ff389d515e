//! The commit: the events and every record they touch in one transaction,
//! refused only when another commit since changed what it was decided on.
//!
//! A batch of commands is decided on the state as of seq `expected` (its
//! first event's seq less one, as the domain numbered it) and on records
//! read after that. It **depends on** streams (`store/streams.rs`): `org`,
//! what its commands name, each named voucher's customer. Each event row
//! stores the streams it **touched**. The commit is one call of
//! `saps.commit_events` (`commit_fn.rs`: one round trip), which:
//!
//! 1. takes the log's head lock ([`HEAD`], a transaction-level advisory
//!    lock), held to the end of the transaction, so no other commit is
//!    numbered or written meanwhile and commit order is seq order;
//! 2. looks for an event after `expected` that touched a stream the batch
//!    depends on (`seq > expected AND streams && deps`: a primary-key range
//!    scan over the few events since). One found: [`StoreError::Conflict`],
//!    nothing written, and the session decides again on a fresh read;
//! 3. otherwise numbers the events from the head (`head + 1 ...`; when
//!    that is not the seq they were decided with, the body is stored as its
//!    format byte, the seq's bytes made there and the rest as encoded here),
//!    inserts them, writes the records, adds the counters' deltas and notifies
//!    [`CHANNEL`]; the answer says where the events landed and which
//!    streams the commits in between touched (the session forgets those
//!    records).
//!
//! **Why a record write is never a lost update.** `writes::prepare` writes
//! whole records (voucher, customer, ledger, org, invoice) from the
//! session's state. Every record it writes is in a stream the batch depends
//! on: the events' vouchers are named by their commands (`v:`), their
//! customers' ledgers are those of named customers or of named vouchers
//! (`c:`), a new customer is named (`c:`), an invoice is named (`i:`), the
//! organisation is `org`. [`PgStore::commit_on`] checks that before it
//! writes (and falls back to the whole log if not). The session's copy of
//! such a record was read at seq `expected` or later, and any commit that
//! changed it after that touched its stream with a seq above `expected`,
//! which step 2 finds, under the lock, so none can slip in before this
//! commit ends. So each record written is the stored one with only this
//! batch's events applied. The index entries filing a voucher are moved
//! from the voucher as it was before the batch (kept by the session, its
//! stream checked like the rest); counters are deltas added in place
//! (they commute). Reads the batch made that it does not write (a
//! customer's history, the redeemed offerings) are in its streams too.
//!
//! **Turns.** Under contention on one stream (eight writers on one
//! customer's pool) a writer can keep losing: each try reads, decides and
//! commits while others commit on the same stream. So a commit that lost
//! takes the *turn* of the streams it depends on (but `org`) before it says
//! `Conflict`: exclusive advisory locks ([`TURN`], the stream's hash) on
//! its connection, held while the session reads again, decides again and
//! commits again, given back at that connection's next commit call,
//! whatever it does. Every commit first takes its streams' turns shared
//! (shared locks do not wait for each other), so while a writer holds a
//! stream's turn, no other commit on that stream can go through, and its
//! retry cannot lose on it; commits on other streams go on.
//!
//! Gap-free and ordered: seqs are given under the head lock from the
//! highest committed one, the lock is held to the commit, and members
//! cannot insert into the log but through the function (schema 5, which
//! also refuses an event whose actor is not the connecting member).
//! [`PgStore::commit`] is a commit on the whole log (any
//! event since `expected` is a conflict; the events keep their seqs).

use super::PgStore;
use super::commit_call::Call;
use super::commit_sql::{TURN, turn_keys};
use super::tx::{Conn, Table, Tx};
use crate::domain::records::Voucher;
use crate::domain::{Recorded, State};
use crate::store::streams::{self, Basis, Committed};
use crate::store::writes::{Writes, prepare};
use crate::store::{StoreError, codec, keys};
use std::collections::{BTreeMap, BTreeSet};

/// The channel a commit notifies; the payload is the new last seq.
pub const CHANNEL: &str = "saps_events";

/// Events in between a commit's basis and its head beyond which the
/// session is told to read the state again instead of forgetting records.
const MOST_BETWEEN: i32 = 1000;

impl PgStore {
    /// Writes `recorded` and every record they touch, as found in `state`
    /// (the state after applying them), in one transaction; a touched
    /// record absent from `state` is removed. Empty is a no-op. When any
    /// other commit came after the state it was decided on (the state is
    /// stale): [`StoreError::Conflict`], and nothing is written.
    pub fn commit(&self, state: &State, recorded: &[Recorded]) -> Result<(), StoreError> {
        self.commit_on(state, recorded, &Basis::whole_log()).map(|_| ())
    }

    /// [`PgStore::commit`] of a batch decided on `basis`: refused only
    /// when a commit since touched a stream it depends on (see the module's
    /// doc); its events are numbered after those of the commits in between.
    pub fn commit_on(
        &self,
        state: &State,
        recorded: &[Recorded],
        basis: &Basis,
    ) -> Result<Committed, StoreError> {
        let prepared = self.prepare_commit(state, recorded, basis)?;
        self.run_commit(prepared)
    }

    /// What [`PgStore::commit_on`] sends, made from `state` (the records
    /// written, the events' bytes and streams): owned, so that another
    /// thread may send it ([`PgStore::run_commit`]) while this one decides
    /// the next batch.
    pub fn prepare_commit(
        &self,
        state: &State,
        recorded: &[Recorded],
        basis: &Basis,
    ) -> Result<PgCommit, StoreError> {
        let Some(first) = recorded.first() else {
            return Ok(PgCommit {
                first: state.last_seq + 1,
                call: None,
            });
        };
        let mut touched: Vec<Vec<String>> = Vec::with_capacity(recorded.len());
        for r in recorded {
            touched.push(streams::touched(state, &r.event));
        }
        // Every record written must be in a stream the batch depends on.
        let deps = basis
            .deps
            .as_ref()
            .filter(|deps| touched.iter().flatten().all(|s| deps.contains(s)));
        let before = self.read_each(|tx| stored_vouchers(tx, recorded, basis))?;
        let stored = |id: &str| -> Result<Option<Voucher>, String> { Ok(before.get(id).cloned().flatten()) };
        let Writes { writes, deltas } =
            prepare(state, recorded, stored).map_err(|detail| StoreError::Server {
                at: self.at.clone(),
                detail,
            })?;
        let call = Call::new(&self.at, recorded, &touched, &writes, &deltas)?;
        let deps: Option<Vec<String>> = deps.map(|d| d.iter().cloned().collect());
        let turns = turn_keys(deps.iter().flatten().map(String::as_str));
        Ok(PgCommit {
            first: first.seq,
            call: Some((call, deps, turns)),
        })
    }

    /// Gives back the turns this connection took when it lost, if any
    /// (the session gave up instead of deciding again).
    pub fn give_back(&self) -> Result<(), StoreError> {
        self.with_conn(give_back_turn)
    }

    /// Sends a prepared commit (see [`PgStore::commit_on`]).
    pub fn run_commit(&self, prepared: PgCommit) -> Result<Committed, StoreError> {
        let PgCommit { first, call } = prepared;
        let Some((call, deps, turns)) = call else {
            self.with_conn(give_back_turn)?;
            return Ok(Committed {
                first,
                between: Some(BTreeSet::new()),
            });
        };
        let expected_i = i64::try_from(first - 1).unwrap_or(i64::MAX);
        self.with_conn(|conn, at| {
            let rows = Tx::each(&mut conn.client, &mut conn.cache, at).query(
                "SELECT o_first, o_conflict, o_between FROM saps.commit_events(\
                 $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
                &[
                    &expected_i,
                    &deps,
                    &turns,
                    &MOST_BETWEEN,
                    &call.ats,
                    &call.actors,
                    &call.ids,
                    &call.bodies,
                    &call.tail_at,
                    &call.streams,
                    &call.w_table,
                    &call.w_key,
                    &call.w_value,
                    &call.w_set,
                    &call.w_gone,
                    &call.c_key,
                    &call.c_delta,
                    &CHANNEL,
                ],
            );
            give_back_turn(conn, at)?;
            let rows = rows?;
            let row = rows.first().ok_or_else(|| StoreError::Server {
                at: at.to_owned(),
                detail: "the commit returned no row".to_owned(),
            })?;
            let (landed, conflict): (Option<i64>, Option<i64>) = (row.get(0), row.get(1));
            if let Some(seq) = conflict {
                let detail = if seq > expected_i {
                    format!("another saps recorded event {seq} first, which changed what event {first} was decided on")
                } else {
                    format!("the log ends at event {seq}, so event {first} cannot follow it")
                };
                if deps.is_some() {
                    // Lost: this connection takes the turn of what it lost on.
                    take_turn(conn, at, &turns)?;
                }
                return Err(StoreError::Conflict { detail });
            }
            let between: Option<Vec<String>> = row.get(2);
            Ok(Committed {
                first: landed.and_then(|s| u64::try_from(s).ok()).unwrap_or(first),
                between: between.map(|b| b.into_iter().collect()),
            })
        })
    }
}

/// A commit made ready to send ([`PgStore::prepare_commit`]): the seq its
/// first event was decided with, and the call (none for no events).
pub struct PgCommit {
    first: u64,
    call: Option<(Call, Option<Vec<String>>, Vec<i32>)>,
}

/// Takes the turn of `deps`' streams (but `org`, which every command
/// reads): exclusive advisory locks on this connection, held while the
/// session reads again, decides again and commits again, so that no other
/// commit on those streams can make it lose again meanwhile (each commit
/// takes its streams' turns shared first, `commit_sql.rs`).
fn take_turn(conn: &mut Conn, at: &str, turns: &[i32]) -> Result<(), StoreError> {
    conn.client
        .execute(
            "SELECT pg_advisory_lock($1, t.k) FROM unnest($2::integer[]) AS t(k)",
            &[&TURN, &turns],
        )
        .map_err(|e| super::error(at, e))?;
    conn.turn = true;
    Ok(())
}

/// Gives back the turns this connection holds, if any.
fn give_back_turn(conn: &mut Conn, at: &str) -> Result<(), StoreError> {
    if conn.turn {
        conn.turn = false;
        conn.client
            .execute("SELECT pg_advisory_unlock_all()", &[])
            .map_err(|e| super::error(at, e))?;
    }
    Ok(())
}

/// The vouchers the events touch as stored before them: as the session
/// kept them ([`Basis::before`]), else read now (their streams are checked
/// by the commit all the same). Vouchers received here were not stored.
fn stored_vouchers(
    tx: &mut Tx,
    recorded: &[Recorded],
    basis: &Basis,
) -> Result<BTreeMap<String, Option<Voucher>>, StoreError> {
    let mut out = BTreeMap::new();
    let mut read = BTreeSet::new();
    for r in recorded {
        if let crate::domain::Event::VoucherReceived { voucher_id, .. } = &r.event {
            out.entry(voucher_id.clone()).or_insert(None);
        }
        for t in r.event.touches() {
            if let crate::domain::event::Touch::Voucher(id) = t {
                match basis.before.get(&id) {
                    Some(v) => {
                        out.entry(id).or_insert_with(|| v.clone());
                    }
                    None if !out.contains_key(&id) => {
                        read.insert(id);
                    }
                    None => {}
                }
            }
        }
    }
    read.retain(|id| !out.contains_key(id));
    if read.is_empty() {
        return Ok(out);
    }
    let keys: Vec<Vec<u8>> = read.iter().map(|id| keys::voucher(id).to_vec()).collect();
    for id in &read {
        out.insert(id.clone(), None);
    }
    for (key, bytes) in tx.get_many(Table::Vouchers, &keys)? {
        let id = keys::shown(&key);
        let v: Voucher = codec::decode(&bytes).map_err(|e| StoreError::Damaged {
            what: format!("voucher {id}"),
            detail: e.to_string(),
        })?;
        out.insert(id, Some(v));
    }
    Ok(out)
}
