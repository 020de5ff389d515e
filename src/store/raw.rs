//! Raw access to the stored bytes, below the record layer: for `saps check`,
//! backup and restore, migrations and damage tests. These calls bypass every
//! rule and every decoder; the rest of the program goes through
//! [`Store::load`], [`Store::commit`] and [`Store::events`].

use super::guard::guarded;
use super::sled_store::sled_files;
use super::{Store, StoreError};

/// Every key and value of a tree, in key order.
pub type Entries = Vec<(Vec<u8>, Vec<u8>)>;

impl Store {
    /// The name of every tree sled holds, sled's default tree included, sorted.
    pub fn tree_names(&self) -> Result<Vec<Vec<u8>>, StoreError> {
        guarded(
            || sled_files(&self.path),
            || {
                let mut names: Vec<Vec<u8>> = self.db.tree_names().iter().map(|n| n.to_vec()).collect();
                names.sort();
                Ok(names)
            },
        )
    }

    /// Every key and value of the tree `name` (an empty list when there is
    /// no such tree).
    pub fn raw_entries(&self, name: &[u8]) -> Result<Entries, StoreError> {
        guarded(
            || sled_files(&self.path),
            || {
                let tree = self.db.open_tree(name).map_err(|e| self.err(e))?;
                let mut out = Vec::new();
                for item in super::scan::scan(&tree) {
                    let (k, v) = item.map_err(|e| self.err(e))?;
                    out.push((k.to_vec(), v.to_vec()));
                }
                Ok(out)
            },
        )
    }

    pub fn raw_get(&self, tree: &[u8], key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        guarded(
            || sled_files(&self.path),
            || {
                let tree = self.db.open_tree(tree).map_err(|e| self.err(e))?;
                let value = tree.get(key).map_err(|e| self.err(e))?;
                Ok(value.map(|v| v.to_vec()))
            },
        )
    }

    /// Sets one key of one tree to `value` (`None` removes it), then flushes
    /// and syncs.
    pub fn raw_set(&self, tree: &[u8], key: &[u8], value: Option<&[u8]>) -> Result<(), StoreError> {
        guarded(
            || sled_files(&self.path),
            || {
                let tree = self.db.open_tree(tree).map_err(|e| self.err(e))?;
                match value {
                    Some(v) => tree.insert(key, v).map(drop),
                    None => tree.remove(key).map(drop),
                }
                .map_err(|e| self.err(e))?;
                self.flush()
            },
        )
    }

    /// Empties the tree `name` and fills it with `entries` (one batch), then
    /// flushes and syncs.
    pub fn raw_replace_tree(&self, name: &[u8], entries: &Entries) -> Result<(), StoreError> {
        guarded(
            || sled_files(&self.path),
            || {
                let tree = self.db.open_tree(name).map_err(|e| self.err(e))?;
                tree.clear().map_err(|e| self.err(e))?;
                let mut batch = sled::Batch::default();
                for (k, v) in entries {
                    batch.insert(k.as_slice(), v.as_slice());
                }
                tree.apply_batch(batch).map_err(|e| self.err(e))?;
                self.flush()
            },
        )
    }
}

impl Store {
    /// Empties the tree `name` (no flush: see [`Store::raw_flush`]).
    pub fn raw_clear(&self, name: &[u8]) -> Result<(), StoreError> {
        guarded(
            || sled_files(&self.path),
            || {
                let tree = self.db.open_tree(name).map_err(|e| self.err(e))?;
                tree.clear().map_err(|e| self.err(e))
            },
        )
    }

    /// Writes `entries` into the tree `name`, one insert at a time (not
    /// atomic, no flush): how a restore fills a tree of the new database a
    /// slice at a time. sled 0.34 holds far more memory for one big batch
    /// than for the same inserts one by one (BENCHMARKS.md, "Streaming").
    pub fn raw_insert_all(&self, name: &[u8], entries: &Entries) -> Result<(), StoreError> {
        guarded(
            || sled_files(&self.path),
            || {
                let tree = self.db.open_tree(name).map_err(|e| self.err(e))?;
                let mut pace = super::scan::Pace::default();
                for (k, v) in entries {
                    tree.insert(k.as_slice(), v.as_slice()).map_err(|e| self.err(e))?;
                    pace.went(&tree, k, k.len() + v.len());
                }
                Ok(())
            },
        )
    }

    /// Flushes and syncs what the raw writes left in memory.
    pub fn raw_flush(&self) -> Result<(), StoreError> {
        guarded(|| sled_files(&self.path), || self.flush())
    }

    /// Walks every record the program reads (the organisation, customers,
    /// vouchers, invoices and the audit log), decoding each in turn and
    /// holding none: the first damaged one is the error. What a restore
    /// checks before it puts a database in place.
    pub fn verify_records(&self) -> Result<(), StoreError> {
        self.org()?;
        self.customer_records().try_for_each(|r| r.map(drop))?;
        self.voucher_records().try_for_each(|r| r.map(drop))?;
        self.invoice_records().try_for_each(|r| r.map(drop))?;
        self.event_records().try_for_each(|r| r.map(drop))
    }

    /// Whether the tree `name` holds no key (or does not exist).
    pub fn raw_is_empty(&self, name: &[u8]) -> Result<bool, StoreError> {
        guarded(
            || sled_files(&self.path),
            || {
                let tree = self.db.open_tree(name).map_err(|e| self.err(e))?;
                Ok(tree.first().map_err(|e| self.err(e))?.is_none())
            },
        )
    }
}
