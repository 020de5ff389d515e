//! Voucher lists longer than `Model::page_above` rows are not held: a list
//! is the spans of the store's index its tab shows, its length comes from
//! the counters, and only the page around the cursor is read. A filter on
//! such a list finds vouchers by the start of their id.

use super::layout;
use super::model::Model;
use super::steps::voucher_row;
use super::tab::Tab;
use super::widgets::list::Row;
use super::widgets::pager::Paged;
use crate::domain::records::{Role, Stage};
use crate::domain::state::Status;
use crate::store::pages::Span;

/// Ids a filter looks at, at most, per key typed.
const FILTER_LOOKS_AT: usize = 300;

/// Which vouchers a tab lists: its stages, and whether only those not
/// expired (without, the expired ones come last).
pub fn voucher_list(m: &Model, tab: Tab) -> Option<(&'static [Stage], bool)> {
    match tab {
        Tab::Intake => Some((&Stage::ALL, false)),
        Tab::Reserve => Some((&[Stage::Assigned, Stage::Reserved], true)),
        // A field copy keeps its submitted reports in view: their bundles go back.
        Tab::Deliver if m.field_owner.is_some() => Some((&[Stage::Reserved, Stage::Delivered], true)),
        Tab::Deliver => Some((&[Stage::Reserved], true)),
        Tab::Redeem => Some((&[Stage::Delivered], true)),
        Tab::Payment => Some((
            &[Stage::Redeemed, Stage::Invoiced, Stage::Paid, Stage::Denied],
            false,
        )),
        _ => None,
    }
}

/// The spans of the index `tab` lists, in order, and how many rows they hold.
fn spans(m: &Model, stages: &[Stage], current: bool) -> (Vec<Span>, usize) {
    let tomorrow = m.today().succ_opt().unwrap_or(m.today());
    let count = |s: &Stage| m.stats.stage_counts.get(s).copied().unwrap_or(0) as usize;
    let expired = |s: &Stage| m.stats.expired_by_stage.get(s).copied().unwrap_or(0) as usize;
    let (mut spans, mut total) = (Vec::new(), 0);
    for s in stages {
        if s.is_redeemed() {
            spans.push(Span::of(*s, None, None));
            total += count(s);
        } else {
            spans.push(Span::of(*s, Some(tomorrow), None));
            total += count(s).saturating_sub(expired(s));
        }
    }
    if !current {
        for s in stages.iter().filter(|s| !s.is_redeemed()) {
            spans.push(Span::of(*s, None, Some(tomorrow)));
            total += expired(s);
        }
    }
    (spans, total)
}

/// Makes `tab`'s list paged when it is long (and its rows are not chosen
/// by something the index does not hold, as a consultant's engagements
/// are). `false` when the list is to be built whole.
pub fn paginate(m: &mut Model, tab: Tab) -> bool {
    let consultant = m.role() == Some(Role::Consultant);
    let Some((stages, current)) = voucher_list(m, tab).filter(|_| !(consultant && tab == Tab::Deliver))
    else {
        return false;
    };
    let (spans, total) = spans(m, stages, current);
    if total <= m.page_above {
        return false;
    }
    // Selected rows stay selected while they are still on the list.
    let today = m.today();
    let selected = m.list(tab).selected.iter().filter(|k| {
        m.voucher(k)
            .is_some_and(|v| stages.contains(&v.stage) && (!current || v.status(today) != Status::Expired))
    });
    let selected = selected.cloned().collect();
    let list = m.list_mut(tab);
    list.selected = selected;
    list.paged = Some(Paged::new(spans, total));
    list.matched = None;
    list.stale = false;
    list.move_by(0);
    true
}

/// Reads what a paged list shows now: the page around the cursor, or the
/// vouchers a filter finds.
pub fn sync(m: &mut Model, tab: Tab) {
    let store = std::sync::Arc::clone(&m.store);
    let page = layout::list_page(m.size);
    let filter = m.list(tab).filter.trim().to_ascii_uppercase();
    if m.list(tab).paged.is_none() {
        return;
    }
    if !filter.is_empty() {
        match &m.list(tab).matched {
            Some((f, _)) if *f == filter => return,
            // Every match of a shorter filter is held: a longer one only narrows.
            Some((f, true)) if filter.starts_with(f.as_str()) => {
                let list = m.list_mut(tab);
                list.retain_keys(|k| k.starts_with(filter.as_str()));
                list.matched = Some((filter, true));
                return;
            }
            _ => {}
        }
        let (rows, all) = matches(m, tab, &filter);
        let list = m.list_mut(tab);
        list.set_rows(rows);
        list.matched = Some((filter, all));
        return;
    }
    let window = m.list(tab).window(page);
    let Some(paged) = m.list_mut(tab).paged.as_mut() else {
        return;
    };
    // A failed read leaves the rows as they were.
    if let Err(e) = paged.load(&store, window) {
        m.flash = Some((format!("cannot read the list: {e}"), true));
    }
}

/// The tab's vouchers whose id starts with `prefix`, as rows, and whether
/// they are all there are (fewer ids than the filter looks at started so).
fn matches(m: &mut Model, tab: Tab, prefix: &str) -> (Vec<Row>, bool) {
    let Some((stages, current)) = voucher_list(m, tab) else {
        return (Vec::new(), true);
    };
    let today = m.today();
    match m.store.vouchers_with_prefix(prefix, FILTER_LOOKS_AT) {
        Ok(found) => {
            let all = found.len() < FILTER_LOOKS_AT;
            let rows = found
                .into_iter()
                .filter(|v| stages.contains(&v.stage))
                .filter(|v| !current || v.status(today) != Status::Expired)
                .map(|v| {
                    let status = v.status(today);
                    voucher_row(v.voucher_id, status)
                })
                .collect();
            (rows, all)
        }
        Err(e) => {
            m.flash = Some((format!("cannot filter: {e}"), true));
            (Vec::new(), true)
        }
    }
}
