//! A walk over a whole tree holds about the same memory whatever the tree's
//! size. sled 0.34's cache looks at the pages read in one of its 256 shards
//! only after 64 reads there, and a walk reads each leaf once: before the
//! store paced its walks (`src/store/scan.rs`), a walk over a tree of a few
//! thousand leaves kept every one of them (the 300,000-voucher demo's log:
//! about 250 MiB). Measured here as the live heap, counted by this test
//! binary's allocator: no clock, no resident-set sampling.

use saps::store::Store;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call goes to the system allocator unchanged; only counts
// are kept beside it.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

const TREE: &[u8] = b"bulk";
/// Values the size of the log's fullest blocks (6 KiB), enough of them for
/// about 2,000 leaves: 96 MiB.
const VALUES: usize = 16_000;
const VALUE: usize = 6 * 1024;

/// The most the live heap may grow while the whole tree is walked: each
/// shard's newest leaf and what it holds before it looks, not the tree.
/// Measured: 14 MiB paced, 92 MiB (the whole tree) before.
const MOST: usize = 32 << 20;

#[test]
fn walking_a_tree_does_not_keep_what_it_read() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    {
        let store = Store::open(&db).unwrap();
        for chunk in (0..VALUES).collect::<Vec<_>>().chunks(1_000) {
            let entries: Vec<(Vec<u8>, Vec<u8>)> = chunk
                .iter()
                .map(|i| ((*i as u64).to_be_bytes().to_vec(), vec![(*i % 251) as u8; VALUE]))
                .collect();
            store.raw_insert_all(TREE, &entries).unwrap();
            store.raw_flush().unwrap();
        }
    }
    let store = Store::open_scan(&db).unwrap();
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let mut seen = 0usize;
    for item in store.raw_records(TREE).unwrap() {
        let (k, v) = item.unwrap();
        let i = u64::from_be_bytes(k.as_slice().try_into().unwrap()) as usize;
        assert_eq!(i, seen, "keys in order");
        assert_eq!(v, vec![(i % 251) as u8; VALUE], "value {i}");
        seen += 1;
    }
    assert_eq!(seen, VALUES);
    let grew = PEAK.load(Ordering::Relaxed).saturating_sub(before);
    assert!(
        grew < MOST,
        "walking {} MiB grew the heap by {} MiB (at most {} MiB)",
        (VALUES * VALUE) >> 20,
        grew >> 20,
        MOST >> 20
    );
}
