//! Every read of the audit log as stored (the `events` tree, in blocks:
//! see `blocks.rs`), giving back [`Recorded`]s one at a time: in seq order,
//! the last ones, the last seq, the block holding one seq, and the events'
//! bytes one per seq as a backup carries them.

use super::blocks;
use super::guard::guarded;
use super::sled_store::sled_files;
use super::stream::RawEntry;
use super::{Store, StoreError, codec, keys};
use crate::domain::Recorded;

/// The events stored under one key, decoded, each checked against the seq
/// its place in the block gives it.
pub fn decode_entry(key: &[u8], value: &[u8]) -> Result<Vec<Recorded>, StoreError> {
    let first = entry_seq(key)?;
    let parts = block_parts(first, value)?;
    let seqs = (0..).map(|i| first.saturating_add(i));
    parts
        .into_iter()
        .zip(seqs)
        .map(|(bytes, seq)| decode_at(bytes, seq))
        .collect()
}

/// The events' bytes the value stored from `first` holds, in order.
fn block_parts(first: u64, value: &[u8]) -> Result<Vec<&[u8]>, StoreError> {
    blocks::split(value).map_err(|detail| StoreError::Damaged {
        what: format!("the events stored from {first}"),
        detail,
    })
}

/// The event in `bytes`, which its place says is event `seq`.
fn decode_at(bytes: &[u8], seq: u64) -> Result<Recorded, StoreError> {
    let r = codec::decode_event(bytes).map_err(|e| StoreError::Damaged {
        what: format!("event {seq}"),
        detail: e.to_string(),
    })?;
    if r.seq != seq {
        return Err(StoreError::Damaged {
            what: format!("event {seq}"),
            detail: format!("it holds event {}", r.seq),
        });
    }
    Ok(r)
}

/// The first seq of the events stored under `key`.
pub fn entry_seq(key: &[u8]) -> Result<u64, StoreError> {
    keys::event_seq(key).ok_or_else(|| StoreError::Damaged {
        what: format!("event key {key:02x?}"),
        detail: format!("{} bytes instead of 8", key.len()),
    })
}

/// The audit log in seq order, one event at a time (a block's bytes held,
/// its events decoded one by one as they are asked for): see
/// [`Store::event_records`].
pub struct Events<'a> {
    store: &'a Store,
    iter: super::scan::Scan,
    pending: Option<Pending>,
    /// The last seq given so far (0 before the first).
    last: u64,
}

/// A block being given out: its bytes, where each event lies in them, and
/// the next to decode. (Decoding a whole block at once, then dropping its
/// events one by one, left glibc's malloc tens of thousands of small free
/// chunks to sort at every block: a slower malloc the bigger the heap.)
struct Pending {
    first: u64,
    value: sled::IVec,
    parts: Vec<std::ops::Range<usize>>,
    next: usize,
}

impl Pending {
    fn new(key: &[u8], value: sled::IVec) -> Result<Pending, StoreError> {
        let first = entry_seq(key)?;
        let base = value.as_ptr() as usize;
        let parts = block_parts(first, &value)?
            .into_iter()
            .map(|p| {
                let start = p.as_ptr() as usize - base;
                start..start + p.len()
            })
            .collect();
        Ok(Pending {
            first,
            value,
            parts,
            next: 0,
        })
    }

    /// The next event, checked against the seq its place gives it.
    fn next(&mut self) -> Option<Result<Recorded, StoreError>> {
        let range = self.parts.get(self.next)?.clone();
        let seq = self.first.saturating_add(self.next as u64);
        self.next += 1;
        Some(decode_at(&self.value[range], seq))
    }
}

impl Iterator for Events<'_> {
    type Item = Result<Recorded, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(block) = self.pending.as_mut()
                && let Some(r) = block.next()
            {
                match &r {
                    Ok(r) => self.last = r.seq,
                    // A damaged block is one `Err`; the walk goes on past it.
                    Err(_) => self.pending = None,
                }
                return Some(r);
            }
            self.pending = None;
            let (store, iter) = (self.store, &mut self.iter);
            let item = guarded(
                || sled_files(&store.path),
                || match iter.next() {
                    None => Ok(None),
                    Some(Err(e)) => Err(store.err(e)),
                    Some(Ok((k, v))) => Pending::new(&k, v).map(Some),
                },
            );
            let block = match item.transpose()? {
                Ok(block) => block,
                Err(e) => return Some(Err(e)),
            };
            if block.first <= self.last {
                return Some(Err(StoreError::Damaged {
                    what: format!("event {}", block.first),
                    detail: format!("it is stored again after event {}", self.last),
                }));
            }
            self.pending = Some(block);
        }
    }
}

impl Store {
    /// The audit log in seq order, each event checked against where it is
    /// stored; a damaged block is one `Err` and the walk goes on past it.
    pub fn event_records(&self) -> Events<'_> {
        Events {
            store: self,
            iter: super::scan::scan(&self.events),
            pending: None,
            last: 0,
        }
    }

    /// Decodes every event in seq order; returns the last seq (0 for none).
    pub(super) fn read_events(&self, mut each: impl FnMut(Recorded)) -> Result<u64, StoreError> {
        let mut last = 0;
        for r in self.event_records() {
            let r = r?;
            last = r.seq;
            each(r);
        }
        Ok(last)
    }

    /// The last `n` events (or fewer), oldest first, reading only the last
    /// blocks.
    pub(super) fn read_recent(&self, n: usize) -> Result<Vec<Recorded>, StoreError> {
        let mut out: Vec<Recorded> = Vec::with_capacity(n.min(1 << 16));
        for item in self.events.iter().rev() {
            if out.len() >= n {
                break;
            }
            let (key, value) = item.map_err(|e| self.err(e))?;
            let events = decode_entry(&key, &value)?;
            out.extend(events.into_iter().rev().take(n - out.len()));
        }
        out.reverse();
        Ok(out)
    }

    /// The seq of the last event stored (0 for none), from the last block.
    pub(super) fn last_seq(&self) -> Result<u64, StoreError> {
        let Some((key, value)) = self.events.last().map_err(|e| self.err(e))? else {
            return Ok(0);
        };
        let first = entry_seq(&key)?;
        let n = blocks::split(&value).map_err(|detail| StoreError::Damaged {
            what: format!("the events stored from {first}"),
            detail,
        })?;
        Ok(first + n.len() as u64 - 1)
    }

    /// The key and value the event `seq` is stored in (the block with the
    /// greatest key not after `seq`), as stored: for damage tests and
    /// repairs. `None` when no block starts at or before `seq`.
    pub fn event_block(&self, seq: u64) -> Result<Option<RawEntry>, StoreError> {
        guarded(
            || sled_files(&self.path),
            || {
                let found = self.events.range(..=keys::event(seq)).next_back();
                match found.transpose().map_err(|e| self.err(e))? {
                    Some((k, v)) => Ok(Some((k.to_vec(), v.to_vec()))),
                    None => Ok(None),
                }
            },
        )
    }

    /// The audit log as a backup carries it (the layout of schema 2): each
    /// event's bytes under its own seq. A block that cannot be split is
    /// given as stored, so that the backup keeps it (and a restore and
    /// `saps check` name it).
    pub fn event_entries(&self) -> impl Iterator<Item = Result<RawEntry, StoreError>> + '_ {
        let mut iter = super::scan::scan(&self.events);
        let mut pending = Vec::new().into_iter();
        std::iter::from_fn(move || {
            loop {
                if let Some(e) = pending.next() {
                    return Some(Ok(e));
                }
                let item = guarded(
                    || sled_files(&self.path),
                    || iter.next().transpose().map_err(|e| self.err(e)),
                );
                let (k, v) = match item.transpose()? {
                    Ok(kv) => kv,
                    Err(e) => return Some(Err(e)),
                };
                let split = keys::event_seq(&k).and_then(|first| {
                    let parts = blocks::split(&v).ok()?;
                    let each = parts.into_iter().enumerate();
                    Some(
                        each.map(|(i, p)| (keys::event(first + i as u64).to_vec(), p.to_vec()))
                            .collect::<Vec<_>>(),
                    )
                });
                pending = split
                    .unwrap_or_else(|| vec![(k.to_vec(), v.to_vec())])
                    .into_iter();
            }
        })
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
                    let events = decode_entry(&k, &v)?;
                    out.extend(events.into_iter().filter(|r| r.seq > after).take(n - out.len()));
                }
                Ok(out)
            },
        )
    }
}
