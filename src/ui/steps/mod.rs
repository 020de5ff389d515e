//! One file per pane, each with the same three plain functions:
//! `rows(&Model)` (the list's keys, where the model holds them), `render(frame, area, &Model)` and
//! `actions(&Model)` (what the pane lets the user do, and whether it can).

pub mod audit;
pub mod dashboard;
pub mod deliver;
mod detail;
pub mod eligibility;
pub mod enroll;
pub mod intake;
pub mod payment;
pub mod profile;
pub mod redeem;
pub mod reserve;
mod table;
pub mod welcome;

pub use detail::voucher_row;
pub use table::{Column, render_styled, render_table};

use super::model::Model;
use super::tab::Tab;
use super::widgets::list::Row;
use crate::domain::command::Action;
use crate::domain::command::CommandKind;
use crate::domain::permission;
use ratatui::Frame;
use ratatui::layout::Rect;

/// Something a pane offers: a key, a label, the command whose form it opens
/// (with fields filled in), and whether the acting user can do it now.
#[derive(Debug, Clone, PartialEq)]
pub struct PaneAction {
    pub key: char,
    pub label: &'static str,
    pub cmd: Action,
    pub prefill: Vec<(&'static str, String)>,
    pub available: Result<(), String>,
}

impl PaneAction {
    pub fn new(key: char, label: &'static str, cmd: impl Into<Action>) -> PaneAction {
        PaneAction {
            key,
            label,
            cmd: cmd.into(),
            prefill: Vec::new(),
            available: Ok(()),
        }
    }

    pub fn fill(mut self, field: &'static str, value: impl Into<String>) -> PaneAction {
        self.prefill.push((field, value.into()));
        self
    }

    /// Unavailable, for `why`, unless `ok`.
    pub fn only_if(mut self, ok: bool, why: impl Into<String>) -> PaneAction {
        if !ok && self.available.is_ok() {
            self.available = Err(why.into());
        }
        self
    }
}

/// The rows of a list built from the model. The voucher lists (steps 4 to
/// 8) are loaded instead (`ui::paging`): none here.
pub fn rows(tab: Tab, m: &Model) -> Vec<Row> {
    match tab {
        Tab::Dashboard => dashboard::rows(m),
        Tab::Eligibility => eligibility::rows(m),
        Tab::Enroll => enroll::rows(m),
        Tab::Profile => profile::rows(m),
        Tab::Audit => audit::rows(m),
        Tab::Intake | Tab::Reserve | Tab::Deliver | Tab::Redeem | Tab::Payment => Vec::new(),
    }
}

pub fn render(tab: Tab, f: &mut Frame, area: Rect, m: &Model) {
    if m.state.org.partner.is_none() && m.field_owner.is_none() {
        // The first run: a greeting rather than empty panes.
        return welcome::render(f, area, m);
    }
    match tab {
        Tab::Dashboard => dashboard::render(f, area, m),
        Tab::Eligibility => eligibility::render(f, area, m),
        Tab::Enroll => enroll::render(f, area, m),
        Tab::Profile => profile::render(f, area, m),
        Tab::Intake => intake::render(f, area, m),
        Tab::Reserve => reserve::render(f, area, m),
        Tab::Deliver => deliver::render(f, area, m),
        Tab::Redeem => redeem::render(f, area, m),
        Tab::Payment => payment::render(f, area, m),
        Tab::Audit => audit::render(f, area, m),
    }
}

/// On a voucher list: write it, as shown, to a file beside the database.
fn write_list_action(tab: Tab, m: &Model) -> Option<PaneAction> {
    crate::ui::paging::voucher_list(m, tab)?;
    let dir = m.db_path.parent().unwrap_or(std::path::Path::new(""));
    let name = format!(
        "vouchers-{}-{}.csv",
        tab.title()
            .to_lowercase()
            .replace([' ', '&'], "-")
            .replace("--", "-")
            .replace("--", "-"),
        m.today().format("%Y%m%d")
    );
    let file = dir.join(name).display().to_string();
    Some(
        PaneAction::new('w', "Write the list to a file", crate::ui::update::EXPORT_LIST)
            .fill("file", file)
            .only_if(!m.list(tab).is_empty(), "the list is empty"),
    )
}

/// The pane's actions, each marked unavailable when the acting user's role
/// may not run its command (the domain's permission table says why).
pub fn actions(tab: Tab, m: &Model) -> Vec<PaneAction> {
    // Before the partner exists there is one thing to do, from any tab.
    if m.state.org.partner.is_none() {
        return vec![PaneAction::new(
            's',
            "Set up the partner",
            CommandKind::InitPartner,
        )];
    }
    let mut list = match tab {
        Tab::Dashboard => dashboard::actions(m),
        Tab::Eligibility => eligibility::actions(m),
        Tab::Enroll => enroll::actions(m),
        Tab::Profile => profile::actions(m),
        Tab::Intake => intake::actions(m),
        Tab::Reserve => reserve::actions(m),
        Tab::Deliver => deliver::actions(m),
        Tab::Redeem => redeem::actions(m),
        Tab::Payment => payment::actions(m),
        Tab::Audit => audit::actions(m),
    };
    if let Some(a) = write_list_action(tab, m) {
        list.push(a);
    }
    for a in &mut list {
        let role_ok = match m.role() {
            Some(role) => permission::role_may(role, a.cmd),
            None => Err("choose the acting user first".to_string()),
        };
        if let (Ok(()), Err(why)) = (&a.available, role_ok) {
            a.available = Err(why);
        }
    }
    list
}
