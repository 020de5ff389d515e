//! A list too long to hold in memory: its place (the cursor is a position
//! in the whole list), its length, and the one page of rows read around
//! the cursor from the store's index.

use crate::store::pages::{Entry, Span};
use crate::store::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paged {
    /// The list: these spans of the index, in order.
    pub spans: Vec<Span>,
    /// Its length, from the store's counters.
    pub total: usize,
    /// The position of `rows[0]`.
    pub start: usize,
    pub rows: Vec<Entry>,
}

impl Paged {
    pub fn new(spans: Vec<Span>, total: usize) -> Paged {
        Paged {
            spans,
            total,
            start: 0,
            rows: Vec::new(),
        }
    }

    /// The voucher id at position `i`, when its page is read.
    pub fn key(&self, i: usize) -> Option<&str> {
        let e = self.rows.get(i.checked_sub(self.start)?)?;
        Some(e.voucher_id.as_str())
    }

    /// Whether positions `want` are all read.
    pub fn holds(&self, want: &std::ops::Range<usize>) -> bool {
        want.is_empty() || (want.start >= self.start && want.end <= self.start + self.rows.len())
    }

    /// Reads the rows at positions `want`, starting from whichever of the
    /// list's ends or the rows already read is nearest, so a move of a row
    /// or a page reads about a page.
    pub fn load(&mut self, store: &Store, want: std::ops::Range<usize>) -> Result<(), StoreError> {
        let want = want.start.min(self.total)..want.end.min(self.total);
        if self.holds(&want) {
            return Ok(());
        }
        let n = want.len();
        let (ls, le) = (self.start, self.start + self.rows.len());
        let from_start = want.end;
        let from_end = self.total - want.start;
        let near = match (self.rows.first(), self.rows.last()) {
            (Some(_), Some(_)) => ls.saturating_sub(want.start) + want.end.saturating_sub(le),
            _ => usize::MAX,
        };
        let rows = if near <= from_start.min(from_end) {
            let first = &self.rows[0].key;
            let last = &self.rows[self.rows.len() - 1].key;
            let mut rows = Vec::with_capacity(n);
            if want.start < ls {
                rows = store.entries_before(&self.spans, Some(first), ls - want.start)?;
            }
            let kept = want.start.max(ls)..want.end.min(le);
            if !kept.is_empty() {
                rows.extend_from_slice(&self.rows[kept.start - ls..kept.end - ls]);
            }
            if want.end > le {
                let mut after = store.entries_after(&self.spans, Some(last), want.end - le)?;
                // Positions le.. : the part before `want` is not kept.
                let skip = want.start.saturating_sub(le).min(after.len());
                rows.extend(after.drain(skip..));
            }
            rows.truncate(n);
            rows
        } else if from_start <= from_end {
            let mut rows = store.entries_after(&self.spans, None, want.end)?;
            rows.drain(..want.start.min(rows.len()));
            rows
        } else {
            let mut rows = store.entries_before(&self.spans, None, from_end)?;
            rows.truncate(n);
            rows
        };
        self.start = want.start;
        self.rows = rows;
        Ok(())
    }
}
