//! The `ids` tree: each event's id (16 bytes) to its seq (u64 big-endian),
//! written in the commit's transaction with the event. What recognises a
//! retried command, a bundle imported again, a restore of events already
//! here ([`Store::seq_of`]).
//!
//! Schema 3 to 4 builds it from the log ([`build_ids`]): an event stored
//! before ids reads with the id derived from its seq and time
//! (`domain::ids::legacy`), so the step needs to rewrite no block. It walks
//! the log a block at a time and only inserts (the same ids each run): a
//! crash anywhere leaves entries the next run writes again, as the
//! migration framework wants. A restore builds it the same way (a backup
//! leaves the tree out: it is the log's, not a record).

use super::guard::guarded;
use super::sled_store::sled_files;
use super::{Store, StoreError, keys};
use crate::domain::Recorded;
use uuid::Uuid;

/// Ids written between two flushes while the tree is built.
const FLUSH_EVERY: usize = 16 * 1024;

impl Store {
    /// The seq of the event with the id `id`, when the log holds it.
    pub fn seq_of(&self, id: Uuid) -> Result<Option<u64>, StoreError> {
        guarded(
            || sled_files(&self.path),
            || {
                let Some(v) = self.ids.get(id.as_bytes()).map_err(|e| self.err(e))? else {
                    return Ok(None);
                };
                keys::event_seq(&v).map(Some).ok_or_else(|| StoreError::Damaged {
                    what: format!("the id {id}"),
                    detail: format!("its seq has {} bytes instead of 8", v.len()),
                })
            },
        )
    }
}

impl Store {
    /// Up to `n` events after seq `after`, in seq order, reading from the
    /// block that holds `after + 1` on (not the log from its start).
    pub fn events_after(&self, after: u64, n: usize) -> Result<Vec<Recorded>, StoreError> {
        guarded(
            || sled_files(&self.path),
            || {
                let next = after.saturating_add(1);
                let start = match self.events.range(..=keys::event(next)).next_back() {
                    Some(found) => found.map_err(|e| self.err(e))?.0.to_vec(),
                    None => keys::event(next).to_vec(),
                };
                let mut out = Vec::new();
                for item in self.events.range(start..) {
                    if out.len() >= n {
                        break;
                    }
                    let (k, v) = item.map_err(|e| self.err(e))?;
                    let events = super::log::decode_entry(&k, &v)?;
                    out.extend(events.into_iter().filter(|r| r.seq > after).take(n - out.len()));
                }
                Ok(out)
            },
        )
    }
}

/// Schema 3 to 4 (and every restore): the `ids` tree from the log. A
/// damaged block is left for `saps check` to name.
pub fn build_ids(store: &Store) -> Result<(), StoreError> {
    guarded(
        || sled_files(store.path()),
        || {
            let mut written = 0usize;
            for r in store.event_records() {
                let Ok(r) = r else { continue };
                store
                    .ids
                    .insert(r.id.as_bytes(), &keys::event(r.seq)[..])
                    .map_err(|e| store.err(e))?;
                written += 1;
                if written.is_multiple_of(FLUSH_EVERY) {
                    store.flush()?;
                }
            }
            store.flush()
        },
    )
}
