//! Reading a page of a long list (`ui::widgets::pager::Paged`) from the
//! store's index, starting from whichever of the list's ends or the rows
//! already read is nearest, so a move of a row or a page reads about a page.

use crate::store::pages::{Entry as Stored, Span};
use crate::store::{Backend, StoreError};
use crate::ui::widgets::pager::{Entry, Paged};
use std::ops::Range;

fn entry(e: Stored) -> Entry {
    Entry {
        key: e.key,
        voucher_id: e.voucher_id,
        stage: e.stage,
        day: e.day,
    }
}

fn entries(found: Vec<Stored>) -> Vec<Entry> {
    found.into_iter().map(entry).collect()
}

/// Reads the rows at positions `want` into `paged`.
pub fn load(store: &dyn Backend, paged: &mut Paged, want: Range<usize>) -> Result<(), StoreError> {
    let total = paged.total;
    let want = want.start.min(total)..want.end.min(total);
    if paged.holds(&want) {
        return Ok(());
    }
    let spans: Vec<Span> = paged
        .parts
        .iter()
        .map(|p| Span::of(p.stage, p.from, p.to))
        .collect();
    let after = |from: Option<&[u8]>, n| store.entries_after(&spans, from, n).map(entries);
    let before = |from: Option<&[u8]>, n| store.entries_before(&spans, from, n).map(entries);
    let n = want.len();
    let (ls, le) = (paged.start, paged.start + paged.rows.len());
    let from_start = want.end;
    let from_end = total - want.start;
    let near = match paged.rows.is_empty() {
        false => ls.saturating_sub(want.start) + want.end.saturating_sub(le),
        true => usize::MAX,
    };
    let rows = if near <= from_start.min(from_end) {
        let first = &paged.rows[0].key;
        let last = &paged.rows[paged.rows.len() - 1].key;
        let mut rows = Vec::with_capacity(n);
        if want.start < ls {
            rows = before(Some(first), ls - want.start)?;
        }
        let kept = want.start.max(ls)..want.end.min(le);
        if !kept.is_empty() {
            rows.extend_from_slice(&paged.rows[kept.start - ls..kept.end - ls]);
        }
        if want.end > le {
            let mut more = after(Some(last), want.end - le)?;
            // Positions le.. : the part before `want` is not kept.
            let skip = want.start.saturating_sub(le).min(more.len());
            rows.extend(more.drain(skip..));
        }
        rows.truncate(n);
        rows
    } else if from_start <= from_end {
        let mut rows = after(None, want.end)?;
        rows.drain(..want.start.min(rows.len()));
        rows
    } else {
        let mut rows = before(None, from_end)?;
        rows.truncate(n);
        rows
    };
    paged.start = want.start;
    paged.rows = rows;
    Ok(())
}
