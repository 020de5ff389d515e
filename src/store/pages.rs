//! Pages of a voucher list read straight from the index: a list is a row of
//! key spans of the `S` keys, read a page at a time from either end or next
//! to a key already shown, so a list of any length costs one page.

use super::guard::guarded;
use super::index::{self, parse_status};
use super::sled_store::{decode_as, sled_files};
use super::{Store, StoreError, keys};
use crate::domain::records::{Stage, Voucher};
use chrono::NaiveDate;

/// One span of `S` keys, `[start, end)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub start: Vec<u8>,
    pub end: Vec<u8>,
}

impl Span {
    /// The vouchers at `stage` whose day is in `[from, to)` (either end open).
    pub fn of(stage: Stage, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Span {
        let end = match to {
            Some(d) => index::status_prefix(stage, Some(d)),
            None => {
                let mut k = index::status_prefix(stage, None);
                // The next stage's first key (stage bytes are below 255).
                k[1] += 1;
                k
            }
        };
        Span {
            start: index::status_prefix(stage, from),
            end,
        }
    }

    pub(super) fn holds(&self, key: &[u8]) -> bool {
        key >= self.start.as_slice() && key < self.end.as_slice()
    }
}

/// A row of a paged list: the index key (its place) and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: Vec<u8>,
    pub voucher_id: String,
    pub stage: Stage,
    pub day: NaiveDate,
}

impl Store {
    /// Up to `n` entries of `spans` (in order) after the key `after` (from
    /// the start when `None`).
    pub fn entries_after(
        &self,
        spans: &[Span],
        after: Option<&[u8]>,
        n: usize,
    ) -> Result<Vec<Entry>, StoreError> {
        guarded(
            || sled_files(&self.path),
            || {
                let mut out = Vec::new();
                let first = after.map_or(0, |k| {
                    spans.iter().position(|s| s.holds(k)).unwrap_or(spans.len())
                });
                for (i, span) in spans.iter().enumerate().skip(first) {
                    let lower = match after {
                        Some(k) if i == first => std::ops::Bound::Excluded(k.to_vec()),
                        _ => std::ops::Bound::Included(span.start.clone()),
                    };
                    let range = (lower, std::ops::Bound::Excluded(span.end.clone()));
                    for item in self.index.range(range) {
                        if out.len() >= n {
                            return Ok(out);
                        }
                        let (key, _) = item.map_err(|e| self.err(e))?;
                        out.extend(entry(&key));
                    }
                }
                Ok(out)
            },
        )
    }

    /// Up to `n` entries of `spans` before the key `before` (from the end
    /// when `None`), in list order.
    pub fn entries_before(
        &self,
        spans: &[Span],
        before: Option<&[u8]>,
        n: usize,
    ) -> Result<Vec<Entry>, StoreError> {
        guarded(
            || sled_files(&self.path),
            || {
                let mut out = Vec::new();
                let last = match before {
                    Some(k) => spans.iter().position(|s| s.holds(k)).map_or(0, |i| i + 1),
                    None => spans.len(),
                };
                'spans: for (i, span) in spans.iter().enumerate().take(last).rev() {
                    let upper = match before {
                        Some(k) if i + 1 == last => std::ops::Bound::Excluded(k.to_vec()),
                        _ => std::ops::Bound::Excluded(span.end.clone()),
                    };
                    let range = (std::ops::Bound::Included(span.start.clone()), upper);
                    for item in self.index.range(range).rev() {
                        if out.len() >= n {
                            break 'spans;
                        }
                        let (key, _) = item.map_err(|e| self.err(e))?;
                        out.extend(entry(&key));
                    }
                }
                out.reverse();
                Ok(out)
            },
        )
    }

    /// Vouchers whose id starts with `prefix`, in id order, looking at no
    /// more than `most` ids: what a filter by voucher id finds.
    pub fn vouchers_with_prefix(&self, prefix: &str, most: usize) -> Result<Vec<Voucher>, StoreError> {
        guarded(
            || sled_files(&self.path),
            || {
                let mut out = Vec::new();
                for item in self.vouchers.scan_prefix(prefix.as_bytes()).take(most) {
                    let (key, value) = item.map_err(|e| self.err(e))?;
                    out.push(decode_as(&value, || format!("voucher {}", keys::shown(&key)))?);
                }
                Ok(out)
            },
        )
    }
}

pub(super) fn entry(key: &[u8]) -> Option<Entry> {
    let (stage, day, voucher_id) = parse_status(key)?;
    Some(Entry {
        key: key.to_vec(),
        voucher_id,
        stage,
        day,
    })
}
