//! Reading a whole tree in memory that does not grow with the tree.
//!
//! sled 0.34 keeps every page it reads until its cache lets it go, and its
//! cache decides that late: the cache is 256 shards (a page goes to shard
//! `pid % 256`), each with 1/256 of the capacity, and a shard looks at the
//! pages read in it only when 64 reads of its pages have queued up
//! (`lru.rs`: `N_SHARDS`, `MAX_QUEUE_ITEMS`; neither can be set). A scan
//! reads each leaf once (its iterator keeps the leaf it is in), so a tree
//! of fewer than 256 x 64 leaves is never let go of at all: reading the
//! 300,000-voucher demo's log kept all of it, about 250 MiB, whatever the
//! cache's capacity.
//!
//! So a scan reads the key it just got again, once for every [`STEP`]
//! bytes it has read: that counts as reads of the same leaf, in the same
//! shard, which then fills its queue within a few leaves and gives back
//! every page past its share. What a shard can hold before it looks is
//! then about 64 x [`STEP`] plus its newest page, whatever the tree's size.
//! The extra reads find the leaf in memory (a walk down a few pages, no
//! disk): about one per kilobyte read. Writing a tree key after key (a
//! restore) keeps what it wrote the same way, and is paced the same.

use sled::{IVec, Iter, Tree};

/// Bytes of keys and values read between two extra reads of a key.
const STEP: usize = 1024;

/// Counts the bytes read or written in a tree and reads a key again for
/// every [`STEP`] of them (see the module's doc).
#[derive(Default)]
pub(super) struct Pace {
    owed: usize,
}

impl Pace {
    /// `bytes` went through `key` of `tree`.
    pub(super) fn went(&mut self, tree: &Tree, key: &[u8], bytes: usize) {
        self.owed += bytes;
        while self.owed >= STEP {
            self.owed -= STEP;
            // Only the read counts; what it finds is what we have.
            if tree.get(key).is_err() {
                break;
            }
        }
    }
}

/// An iterator over a whole tree, in key order, that keeps sled's cache
/// letting go of what it read (see the module's doc).
pub(super) struct Scan {
    tree: Tree,
    iter: Iter,
    pace: Pace,
}

/// Every key and value of `tree`, in key order.
pub(super) fn scan(tree: &Tree) -> Scan {
    Scan {
        tree: tree.clone(),
        iter: tree.iter(),
        pace: Pace::default(),
    }
}

impl Iterator for Scan {
    type Item = sled::Result<(IVec, IVec)>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = self.iter.next()?;
        if let Ok((key, value)) = &item {
            self.pace.went(&self.tree, key, key.len() + value.len());
        }
        Some(item)
    }
}
