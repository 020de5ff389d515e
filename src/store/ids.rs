//! The `ids` tree: an event's id (16 bytes) to its seq (u64 big-endian),
//! for the ids given from outside only (`Recorded::id_given`: a line's
//! `"id"`, a field bundle's), written in the commit's transaction with the
//! event. What recognises a line run again and a bundle imported again
//! ([`Store::seq_of`]). Every event carries its id in its bytes; a fresh
//! id (or one derived from it) is never asked about, so it gets no entry:
//! one entry per event doubled the pages sled reads on open (the
//! 300,000-voucher demo: 63 MiB to 132 MiB).
//!
//! Schema 3 to 4 writes nothing here: no event before schema 4 had a given
//! id. A restore fills it from the events' bytes (a backup leaves the tree
//! out: it is the log's, not a record).

use super::guard::guarded;
use super::sled_store::sled_files;
use super::{Store, StoreError, keys};
use uuid::Uuid;

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

/// Schema 3 to 4: events stored before ids read with ids derived from
/// their seq and time (`domain::ids::legacy`), none of them given, so the
/// step has nothing to write (and a crash anywhere leaves nothing to redo).
pub fn no_given_ids(_: &Store) -> Result<(), StoreError> {
    Ok(())
}
