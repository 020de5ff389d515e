//! Voucher lists are loaded, not built from the model: a short list whole,
//! a consultant's engagements from the index naming it, and a list longer
//! than `Model::page_above` rows a page at a time (its stretches of the
//! index, its length from the counters, only the page around the cursor
//! read). A filter on a long list finds vouchers by the start of their id.
//! Here the desk decides what to ask for (`Query`); the app reads it.

use super::layout;
use super::model::Model;
use super::query::{Listed, Query};
use super::tab::Tab;
use super::widgets::pager::{Paged, Part};
use crate::domain::records::{Role, Stage};

/// Which vouchers a tab lists: its stages, and whether only those not
/// expired (without, the expired ones come last).
pub fn voucher_list(m: &Model, tab: Tab) -> Option<Listed> {
    let listed = |stages: &'static [Stage], current| Some(Listed { stages, current });
    match tab {
        Tab::Intake => listed(&Stage::ALL, false),
        Tab::Reserve => listed(&[Stage::Assigned, Stage::Reserved], true),
        // A field copy keeps its submitted reports in view: their bundles go back.
        Tab::Deliver if m.field_owner.is_some() => listed(&[Stage::Reserved, Stage::Delivered], true),
        Tab::Deliver => listed(&[Stage::Reserved], true),
        Tab::Redeem => listed(&[Stage::Delivered], true),
        Tab::Payment => listed(
            &[Stage::Redeemed, Stage::Invoiced, Stage::Paid, Stage::Denied],
            false,
        ),
        _ => None,
    }
}

/// The stretches of the index `listed` covers, in order, and how many rows
/// they hold (from the dashboard's counts).
fn parts(m: &Model, listed: Listed) -> (Vec<Part>, usize) {
    let tomorrow = m.today().succ_opt().unwrap_or(m.today());
    let count = |s: &Stage| m.stats.stage_counts.get(s).copied().unwrap_or(0) as usize;
    let expired = |s: &Stage| m.stats.expired_by_stage.get(s).copied().unwrap_or(0) as usize;
    let (mut parts, mut total) = (Vec::new(), 0);
    for s in listed.stages {
        if s.is_redeemed() {
            parts.push(Part::of(*s, None, None));
            total += count(s);
        } else {
            parts.push(Part::of(*s, Some(tomorrow), None));
            total += count(s).saturating_sub(expired(s));
        }
    }
    if !listed.current {
        for s in listed.stages.iter().filter(|s| !s.is_redeemed()) {
            parts.push(Part::of(*s, None, Some(tomorrow)));
            total += expired(s);
        }
    }
    (parts, total)
}

/// Asks for the rows of `tab`'s voucher list, which is stale: a long one
/// becomes paged at once (its page asked for by `sync`). `false` when `tab`
/// lists no vouchers.
pub fn rebuild(m: &mut Model, tab: Tab, ask: &mut Vec<Query>) -> bool {
    let Some(listed) = voucher_list(m, tab) else {
        return false;
    };
    let today = m.today();
    if m.role() == Some(Role::Consultant) && tab == Tab::Deliver {
        // Chosen by something the index's stretches do not hold.
        if let Some(me) = m.actor.clone() {
            ask.push(Query::Engagements {
                tab,
                consultant: me,
                listed,
                today,
            });
        } else {
            m.list_mut(tab).set_rows(Vec::new());
        }
        return true;
    }
    let (parts, total) = parts(m, listed);
    if total <= m.page_above {
        ask.push(Query::List { tab, listed, today });
        return true;
    }
    let list = m.list_mut(tab);
    list.paged = Some(Paged::new(parts, total));
    list.matched = None;
    list.stale = false;
    list.move_by(0);
    true
}

/// Asks for what a paged list shows now: the page around the cursor, or
/// the vouchers a filter finds (a longer filter only narrows matches that
/// were all there are).
pub fn sync(m: &mut Model, tab: Tab, ask: &mut Vec<Query>) {
    let page = layout::list_page(m.size);
    let today = m.today();
    let filter = m.list(tab).filter.trim().to_ascii_uppercase();
    let Some(listed) = voucher_list(m, tab) else {
        return;
    };
    let list = m.list_mut(tab);
    let Some(paged) = &list.paged else {
        return;
    };
    if !filter.is_empty() {
        match &list.matched {
            Some((f, _)) if *f == filter => {}
            Some((f, true)) if filter.starts_with(f.as_str()) => {
                list.retain_keys(|k| k.starts_with(filter.as_str()));
                list.matched = Some((filter, true));
            }
            _ => ask.push(Query::Prefix {
                tab,
                prefix: filter,
                listed,
                today,
            }),
        }
        return;
    }
    let want = list.window(page);
    if !paged.holds(&want) {
        // A list built again keeps the rows selected that are still on it.
        let selected = match paged.rows.is_empty() {
            true => list.selected.iter().cloned().collect(),
            false => Vec::new(),
        };
        ask.push(Query::Page {
            tab,
            paged: Box::new(paged.clone()),
            want,
            selected,
        });
    }
}
