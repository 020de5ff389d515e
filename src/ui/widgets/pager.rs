//! A list too long to hold in memory: its place (the cursor is a position
//! in the whole list), its length, and the one page of rows read around
//! the cursor. The app reads the pages (`app::pages`); this is the data.

use crate::domain::records::Stage;
use chrono::NaiveDate;

/// A stretch of a voucher list: the vouchers at `stage` whose day (expiry,
/// or the invoice deadline once redeemed) is in `[from, to)`, either end open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    pub stage: Stage,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl Part {
    pub fn of(stage: Stage, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Part {
        Part { stage, from, to }
    }

    /// Whether a voucher at `stage` filed on `day` is in this stretch.
    pub fn holds(&self, stage: Stage, day: NaiveDate) -> bool {
        stage == self.stage && self.from.is_none_or(|f| day >= f) && self.to.is_none_or(|t| day < t)
    }
}

/// A row of a paged list: its place in the list as the store reads it
/// (opaque here), and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: Vec<u8>,
    pub voucher_id: String,
    pub stage: Stage,
    pub day: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paged {
    /// The list: these stretches, in order.
    pub parts: Vec<Part>,
    /// Its length, from the store's counters.
    pub total: usize,
    /// The position of `rows[0]`.
    pub start: usize,
    pub rows: Vec<Entry>,
}

impl Paged {
    pub fn new(parts: Vec<Part>, total: usize) -> Paged {
        Paged {
            parts,
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
        let want = want.start.min(self.total)..want.end.min(self.total);
        want.is_empty() || (want.start >= self.start && want.end <= self.start + self.rows.len())
    }
}
