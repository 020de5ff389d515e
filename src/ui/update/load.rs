//! What the desk reads, and when: after every message `plan` asks for what
//! the tab in view shows and the model does not hold yet (`Effect::Load`),
//! and `take` puts what comes back (`Msg::Loaded`) into the model. A read
//! that fails says so on the status bar and is not asked again until the
//! next key.

use crate::ui::forms::choices;
use crate::ui::layout;
use crate::ui::model::{AUDIT_WINDOW, CUSTOMER_NAMES, Effect, Model, Overlay};
use crate::ui::paging;
use crate::ui::query::{Data, Query};
use crate::ui::steps;
use crate::ui::tab::Tab;

/// Vouchers held beyond those shown, at most, before the cache is emptied.
const HELD: usize = 1_000;

/// The reads the tab in view needs now.
pub fn plan(m: &mut Model) -> Vec<Effect> {
    let mut ask = Vec::new();
    let figures = Query::Figures(m.today());
    if !m.figures_read && !m.asked.contains(&figures) {
        // A long list's length comes from the figures: read them first.
        return ask_for(m, vec![figures]);
    }
    let tab = m.tab;
    if tab == Tab::Audit && m.audit.is_none() {
        ask.push(Query::Audit(AUDIT_WINDOW));
    }
    if m.customer_names.is_none() && picks_customer(m) {
        ask.push(Query::CustomerNames(CUSTOMER_NAMES));
    }
    if tab == Tab::Intake && m.customers.is_none() {
        // As many as the tallest customers box can show.
        ask.push(Query::Customers(usize::from(m.size.1.max(1))));
    }
    if m.list(tab).stale && !paging::rebuild(m, tab, &mut ask) {
        let rows = steps::rows(tab, m);
        let list = m.list_mut(tab);
        list.paged = None;
        list.set_rows(rows);
    }
    if m.list(tab).stale {
        // Its rows are on their way.
        return ask_for(m, ask);
    }
    focus(m, tab);
    paging::sync(m, tab, &mut ask);
    if paging::voucher_list(m, tab).is_some() {
        let page = layout::list_page(m.size);
        let list = m.list(tab);
        let mut missing: Vec<String> = list
            .window(page)
            .filter_map(|i| list.key(i))
            .chain(list.current())
            .filter(|k| !m.shown.contains_key(*k))
            .map(str::to_string)
            .collect();
        missing.sort_unstable();
        missing.dedup();
        if !missing.is_empty() {
            ask.push(Query::Vouchers(missing));
        }
        // The details name the customer of the voucher under the cursor.
        let customer = m
            .list(tab)
            .current()
            .and_then(|k| m.voucher(k))
            .map(|v| &v.customer);
        if let Some(c) = customer.filter(|c| !m.names.contains_key(*c)) {
            ask.push(Query::Customer(c.clone()));
        }
    }
    ask_for(m, ask)
}

/// A form on screen has a customer picker.
fn picks_customer(m: &Model) -> bool {
    m.stack.iter().any(|o| match o {
        Overlay::Form(f) => f
            .fields
            .iter()
            .any(|x| choices::source(f.spec.cmd, x.spec.name) == Some(choices::Source::Customer)),
        _ => false,
    })
}

/// The queries not asked yet since the last input, as effects.
fn ask_for(m: &mut Model, queries: Vec<Query>) -> Vec<Effect> {
    let mut effects = Vec::new();
    for q in queries {
        if !m.asked.contains(&q) {
            m.asked.push(q.clone());
            effects.push(Effect::Load(q));
        }
    }
    effects
}

/// Puts the cursor on the voucher the tour points at, once its list is read.
fn focus(m: &mut Model, tab: Tab) {
    let Some(v) = m.focus.clone() else {
        return;
    };
    let list = m.list(tab);
    if list.stale || list.paged.as_ref().is_some_and(|p| p.rows.is_empty()) {
        return;
    }
    m.focus = None;
    let list = m.list_mut(tab);
    if let Some(i) = (0..list.len()).find(|&i| list.key(i) == Some(v.as_str())) {
        list.select_at(i);
    }
}

/// Takes in what was read.
pub fn take(m: &mut Model, data: Data) {
    match data {
        Data::Figures(mut stats) => {
            stats.add_renewals(&m.state, m.today());
            m.stats = stats;
            m.figures_read = true;
            // The dashboard's rows are its deadlines.
            m.list_mut(Tab::Dashboard).stale = true;
        }
        Data::Rows { tab, rows } => {
            let list = m.list_mut(tab);
            list.paged = None;
            list.set_rows(rows);
        }
        Data::Page { tab, paged, selected } => {
            let list = m.list_mut(tab);
            if let Some(selected) = selected {
                list.selected = selected.into_iter().collect();
            }
            list.paged = Some(*paged);
        }
        Data::Matches {
            tab,
            prefix,
            rows,
            all,
        } => {
            let list = m.list_mut(tab);
            list.set_rows(rows);
            list.matched = Some((prefix, all));
        }
        Data::Vouchers(found) => {
            if m.shown.len() + found.len() > HELD {
                m.shown.clear();
            }
            if let Some((_, Err(why))) = found.iter().find(|(_, r)| r.is_err()) {
                m.flash = Some((why.clone(), true));
            }
            m.shown.extend(found);
        }
        Data::Customer(id, name) => {
            m.names.insert(id, name);
        }
        Data::Audit(events) => {
            m.audit = Some(events);
            // Its rows are the events.
            m.list_mut(Tab::Audit).stale = true;
        }
        Data::Customers(customers) => m.customers = Some(customers),
        Data::CustomerNames(names, all) => m.customer_names = Some((names, all)),
    }
}
