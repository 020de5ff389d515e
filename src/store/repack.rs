//! Schema 2 to 3: the audit log from one key per event into blocks
//! (`blocks.rs`), walking the log in key order a slice at a time, so that
//! memory does not grow with it.
//!
//! Each block is one atomic sled batch: its first event's key gets the
//! block, the keys of the others go. Every seq is stored once before and
//! after each batch, so a crash anywhere leaves a log that reads whole (a
//! mix of blocks and single events, which `log.rs` reads alike), and
//! running the step again packs only the single events left: the step is
//! idempotent, as the framework wants.

use super::blocks::{self, Packer};
use super::guard::guarded;
use super::sled_store::sled_files;
use super::{Store, StoreError, keys};
use std::ops::Bound::{Excluded, Unbounded};

/// Keys read from the log at a time.
const SLICE: usize = 4096;

/// Blocks written between two flushes (what sled holds unflushed grows
/// until one).
const FLUSH_EVERY: usize = 256;

/// Packs every event stored under its own key into blocks.
pub fn pack_events(store: &Store) -> Result<(), StoreError> {
    guarded(|| sled_files(store.path()), || pack(store))
}

fn pack(store: &Store) -> Result<(), StoreError> {
    let tree = &store.events;
    let mut after: Option<Vec<u8>> = None;
    let mut packer = Packer::default();
    let mut written = 0usize;
    let mut write = |block: Option<(u64, Vec<u8>)>| -> Result<(), StoreError> {
        let Some((first, block)) = block else {
            return Ok(());
        };
        let n = blocks::count(&block).unwrap_or(1);
        let mut batch = sled::Batch::default();
        batch.insert(&keys::event(first)[..], block);
        for seq in first.saturating_add(1)..first.saturating_add(n) {
            batch.remove(&keys::event(seq)[..]);
        }
        tree.apply_batch(batch).map_err(|e| store.err(e))?;
        written += 1;
        if written.is_multiple_of(FLUSH_EVERY) {
            store.flush()?;
        }
        Ok(())
    };
    loop {
        let slice = match &after {
            None => tree.range::<&[u8], _>(..),
            Some(k) => tree.range::<Vec<u8>, _>((Excluded(k.clone()), Unbounded)),
        };
        let slice = slice
            .take(SLICE)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| store.err(e))?;
        let Some((last, _)) = slice.last() else {
            break;
        };
        after = Some(last.to_vec());
        for (k, v) in slice {
            match keys::event_seq(&k) {
                Some(seq) if !blocks::is_block(&v) => write(packer.push(seq, v.to_vec()))?,
                // A block already (packed before a crash), or a key saps
                // never writes (left for `saps check` to name).
                _ => write(packer.finish())?,
            }
        }
    }
    write(packer.finish())?;
    store.flush()
}
