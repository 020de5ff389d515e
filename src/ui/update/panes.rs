//! Keys and clicks on the panes: tabs, list movement, filter, pane actions.

use crate::ui::forms::Form;
use crate::ui::keymap::{Action, Scope, lookup};
use crate::ui::layout;
use crate::ui::model::{Effect, Model, Overlay};
use crate::ui::steps::{self, PaneAction};
use crate::ui::tab::Tab;
use crate::ui::tabs;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub fn key(m: &mut Model, k: KeyEvent) -> Vec<Effect> {
    if m.list(m.tab).filtering {
        filter_key(m, k);
        return Vec::new();
    }
    if m.tour.is_some() {
        match lookup(Scope::Tour, &k) {
            Some(Action::TourNext) => return tour_move(m, true),
            Some(Action::TourPrev) => return tour_move(m, false),
            Some(Action::Close) => {
                m.tour = None;
                m.flash = Some((TOUR_ENDED.to_string(), false));
                return Vec::new();
            }
            _ => {}
        }
    }
    let effects = pane_key(m, k);
    follow_tour(m);
    effects
}

/// What the desk says when the tour ends.
const TOUR_ENDED: &str = "The tour has ended: ? lists every key; `saps demo --tour` starts it again";

/// A jump to another tab takes the tour to that tab's stop (or ends it
/// where no stop is), so it never names a step that is not on screen.
fn follow_tour(m: &mut Model) {
    let Some(t) = m.tour.as_mut() else {
        return;
    };
    if t.tab() == m.tab {
        return;
    }
    match crate::ui::tour::STOPS.iter().position(|s| s.tab == m.tab) {
        Some(i) => t.stop = i,
        None => {
            m.tour = None;
            m.flash = Some((TOUR_ENDED.to_string(), false));
        }
    }
}

fn pane_key(m: &mut Model, k: KeyEvent) -> Vec<Effect> {
    let page = layout::list_page(m.size);
    let tab = m.tab;
    match lookup(Scope::Panes, &k) {
        Some(Action::Quit) => m.quit = true,
        Some(Action::Help) => m.stack.push(Overlay::Help(0)),
        Some(Action::GoTab(t)) => go_tab(m, t),
        Some(Action::NextTab) => step_tab(m, true),
        Some(Action::PrevTab) => step_tab(m, false),
        Some(Action::Up) => m.list_mut(tab).move_by(-1),
        Some(Action::Down) => m.list_mut(tab).move_by(1),
        Some(Action::PageUp) => m.list_mut(tab).move_by(-(page as isize)),
        Some(Action::PageDown) => m.list_mut(tab).move_by(page as isize),
        Some(Action::Home) => m.list_mut(tab).home(),
        Some(Action::End) => m.list_mut(tab).end(),
        Some(Action::Filter) => m.list_mut(tab).filtering = true,
        Some(Action::Select) => m.list_mut(tab).toggle_selected(),
        Some(Action::Close) => m.list_mut(tab).set_filter(String::new()),
        // Before the partner exists Enter sets it up, from any tab.
        Some(Action::Open) if tab == Tab::Dashboard && m.state.org.partner.is_some() => open_deadline(m),
        Some(Action::Clock(days)) => return move_clock(m, days),
        Some(Action::SwitchUser) => switch_user(m),
        Some(Action::Open) => {
            if let Some(a) = steps::actions(tab, m).into_iter().next() {
                trigger(m, &a);
            }
        }
        _ => {
            if let KeyCode::Char(c) = k.code
                && let Some(a) = steps::actions(tab, m).into_iter().find(|a| a.key == c)
            {
                trigger(m, &a);
            }
        }
    }
    Vec::new()
}

/// `@`: the user picker, on the user acting now (a field copy acts as its
/// consultant only).
fn switch_user(m: &mut Model) {
    if let Some(owner) = &m.field_owner {
        m.flash = Some((format!("this field copy acts as {owner} only"), true));
        return;
    }
    let at = m
        .actor
        .as_ref()
        .and_then(|a| m.state.org.users.keys().position(|u| u == a))
        .unwrap_or(0);
    m.stack.push(Overlay::Picker(at));
}

/// `+` / `>`: a demo database's clock a day or a week later.
fn move_clock(m: &mut Model, days: u64) -> Vec<Effect> {
    if !m.demo_clock {
        let text = "only a demo database's clock moves (this one follows the real clock or --now)";
        m.flash = Some((text.to_string(), true));
        return Vec::new();
    }
    match m.now.checked_add_days(chrono::Days::new(days)) {
        Some(at) => vec![Effect::MoveClock(at)],
        None => Vec::new(),
    }
}

/// Enter on the dashboard: the deadline under the cursor opens on its
/// step, its row selected once the list is read.
fn open_deadline(m: &mut Model) {
    let Some(d) = steps::dashboard::current(m) else {
        m.flash = Some(("no deadline to open".to_string(), true));
        return;
    };
    let (tab, row) = steps::dashboard::opens(&d.target);
    let row = match &d.target {
        // Step 1 lists engagements: the first that qualifies through it.
        crate::ui::stats::Target::Competency(c) => m
            .catalog
            .engagements
            .iter()
            .find(|e| e.qualifying.iter().any(|q| &q.competency == c))
            .map(|e| e.slug.clone())
            .unwrap_or(row),
        _ => row,
    };
    m.tab = tab;
    m.focus = Some(row);
    // The list may hold the row already.
    m.list_mut(tab).stale = true;
}

/// Goes to `t` if this desk shows it (a field copy shows one step).
fn go_tab(m: &mut Model, t: Tab) {
    if m.tabs().contains(&t) {
        m.tab = t;
    } else {
        let only: Vec<String> = m.tabs().iter().map(|t| t.label()).collect();
        let text = format!("a field copy shows only {}", only.join(", "));
        m.flash = Some((text, true));
    }
}

/// Tab/Shift-Tab: the next or previous tab this desk shows.
fn step_tab(m: &mut Model, forward: bool) {
    let tabs = m.tabs();
    let n = tabs.len();
    let i = tabs.iter().position(|t| *t == m.tab).unwrap_or(0);
    m.tab = tabs[if forward { (i + 1) % n } else { (i + n - 1) % n }];
}

/// Opens the action's form, or says why it is unavailable.
pub fn trigger(m: &mut Model, a: &PaneAction) {
    if let Err(why) = &a.available {
        m.flash = Some((format!("{} is unavailable: {why}", a.label), true));
        return;
    }
    let Some(mut form) = Form::for_cmd(a.cmd) else {
        return;
    };
    for (field, value) in &a.prefill {
        form = form.with(field, value.clone());
    }
    m.stack.push(Overlay::Form(Box::new(form.focus_first_empty())));
}

fn filter_key(m: &mut Model, k: KeyEvent) {
    let action = lookup(Scope::Filter, &k);
    match action {
        Some(Action::Quit) => m.quit = true,
        Some(Action::Help) => m.stack.push(Overlay::Help(0)),
        _ => {}
    }
    let list = m.list_mut(m.tab);
    match (action, k.code) {
        (Some(Action::Close), _) => {
            list.filtering = false;
            list.set_filter(String::new());
        }
        (Some(Action::Keep), _) => list.filtering = false,
        (Some(Action::Erase), _) => {
            let mut f = list.filter.clone();
            f.pop();
            list.set_filter(f);
        }
        (Some(Action::EraseAll), _) => list.set_filter(String::new()),
        // A control key is never typed in (Ctrl-U is not a "u").
        (None, KeyCode::Char(c)) if !k.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => {
            let f = format!("{}{c}", list.filter);
            list.set_filter(f);
        }
        _ => {}
    }
}

fn tour_move(m: &mut Model, forward: bool) -> Vec<Effect> {
    if forward
        && m.tour
            .as_ref()
            .is_some_and(|t| t.stop + 1 == crate::ui::tour::STOPS.len())
    {
        // n on the last stop ends the tour, saying so.
        m.tour = None;
        m.flash = Some((TOUR_ENDED.to_string(), false));
        return Vec::new();
    }
    if let Some(t) = m.tour.as_mut() {
        if forward { t.next() } else { t.prev() }
    }
    if let Some(t) = &m.tour {
        m.tab = t.tab();
        // The cursor goes to the stop's voucher once the list is read.
        m.focus = t.voucher().map(str::to_string);
    }
    Vec::new()
}

/// A left click: a tab in the tab bar, or a row of the pane's list.
pub fn click(m: &mut Model, x: u16, y: u16) {
    let areas = layout::areas(m.size);
    if y == areas.tabs.y {
        if let Some(t) = tabs::tab_at(areas.tabs, x, m.tabs()) {
            m.tab = t;
        }
        return;
    }
    let (list_area, _) = layout::list_and_detail(areas.body);
    let first_row = list_area.y + 2; // border and header
    if x < list_area.x || x >= list_area.right() || y < first_row || y >= list_area.bottom().saturating_sub(1)
    {
        return;
    }
    let page = layout::list_page(m.size);
    let list = m.list_mut(m.tab);
    let start = list.window(page).start;
    list.select_at(start + (y - first_row) as usize);
}
