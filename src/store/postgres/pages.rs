//! Pages of a voucher list, as the sled store reads them (`store/pages.rs`):
//! ordered range scans of the `S` keys of `saps.index`, a page at a time.

use super::PgStore;
use super::tx::Table;
use crate::domain::records::Voucher;
use crate::store::pages::{Entry, Span, entry};
use crate::store::sled_store::decode_as;
use crate::store::{StoreError, keys};

impl PgStore {
    /// Up to `n` entries of `spans` (in order) after the key `after` (from
    /// the start when `None`).
    pub fn entries_after(
        &self,
        spans: &[Span],
        after: Option<&[u8]>,
        n: usize,
    ) -> Result<Vec<Entry>, StoreError> {
        self.read(|tx| {
            let mut out = Vec::new();
            let first = after.map_or(0, |k| {
                spans.iter().position(|s| s.holds(k)).unwrap_or(spans.len())
            });
            for (i, span) in spans.iter().enumerate().skip(first) {
                if out.len() >= n {
                    break;
                }
                let start = match after {
                    Some(k) if i == first => (k, true),
                    _ => (span.start.as_slice(), false),
                };
                let rows = tx.range(Table::Index, start, Some(&span.end), Some(n - out.len()), false)?;
                out.extend(rows.iter().filter_map(|(k, _)| entry(k)));
            }
            Ok(out)
        })
    }

    /// Up to `n` entries of `spans` before the key `before` (from the end
    /// when `None`), in list order.
    pub fn entries_before(
        &self,
        spans: &[Span],
        before: Option<&[u8]>,
        n: usize,
    ) -> Result<Vec<Entry>, StoreError> {
        self.read(|tx| {
            let mut out = Vec::new();
            let last = match before {
                Some(k) => spans.iter().position(|s| s.holds(k)).map_or(0, |i| i + 1),
                None => spans.len(),
            };
            for (i, span) in spans.iter().enumerate().take(last).rev() {
                if out.len() >= n {
                    break;
                }
                let end = match before {
                    Some(k) if i + 1 == last => k,
                    _ => span.end.as_slice(),
                };
                let rows = tx.range(
                    Table::Index,
                    (&span.start, false),
                    Some(end),
                    Some(n - out.len()),
                    true,
                )?;
                out.extend(rows.iter().filter_map(|(k, _)| entry(k)));
            }
            out.reverse();
            Ok(out)
        })
    }

    /// Vouchers whose id starts with `prefix`, in id order, looking at no
    /// more than `most` ids.
    pub fn vouchers_with_prefix(&self, prefix: &str, most: usize) -> Result<Vec<Voucher>, StoreError> {
        self.read(|tx| {
            tx.prefix(Table::Vouchers, prefix.as_bytes(), Some(most))?
                .into_iter()
                .map(|(k, v)| decode_as(&v, || format!("voucher {}", keys::shown(&k))))
                .collect()
        })
    }
}
