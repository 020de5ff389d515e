//! `update(&mut Model, Msg) -> Vec<Effect>`: the only place the model changes.
//! Keys go to the top overlay if there is one, else to the panes.

mod field;
pub mod form;
mod live;
mod load;
mod overlay;
mod panes;

use super::model::{Committed, Confirm, Effect, Failure, Model, Msg, Overlay, Saved};
use crate::describe::describe;
use crate::domain::command::Action;
use crate::domain::{Command, Event, Recorded};
use ratatui::crossterm::event::{KeyEventKind, MouseButton, MouseEventKind};

pub use super::model::AUDIT_WINDOW;
pub use panes::trigger;

/// The desk's own form (not a contract command): back up the database.
pub const BACKUP: Action = Action::Backup;
/// The desk's own form: write the voucher list in view to a file.
pub const EXPORT_LIST: Action = Action::ExportList;

pub fn update(m: &mut Model, msg: Msg) -> Vec<Effect> {
    if !matches!(msg, Msg::Loaded(_) | Msg::Tick(_)) {
        // Something new happened: a read that failed may be tried again
        // (the clock's ticks alone do not retry it every second).
        m.asked.clear();
    }
    let effects = handle(m, msg);
    live::stamp_forms(m);
    // What the tab in view shows is read first (only what is not held), so
    // a command asked for after it is not followed by reads from before it.
    let mut loads = load::plan(m);
    loads.extend(effects);
    loads
}

fn handle(m: &mut Model, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Resize(w, h) => {
            if h > m.size.1 {
                // A taller customers box shows more of them.
                m.customers = None;
            }
            m.size = (w, h);
            Vec::new()
        }
        Msg::Tick(now) => {
            if !m.clock_fixed {
                let new_day = now.date_naive() != m.today();
                m.now = now;
                if new_day {
                    m.asked.clear();
                    m.refresh();
                }
            }
            Vec::new()
        }
        Msg::Key(k) if k.kind == KeyEventKind::Release => Vec::new(),
        Msg::Key(k) => {
            m.flash = None;
            key(m, k)
        }

        Msg::Mouse(e) => {
            if matches!(e.kind, MouseEventKind::Down(MouseButton::Left)) && m.stack.is_empty() {
                panes::click(m, e.column, e.row);
            }
            Vec::new()
        }
        Msg::Done(result) => {
            done(m, result);
            Vec::new()
        }
        Msg::Loaded(Ok(data)) => {
            load::take(m, data);
            Vec::new()
        }
        Msg::Loaded(Err(text)) => {
            m.flash = Some((text, true));
            Vec::new()
        }
        Msg::Previewed(cmd, result) => {
            previewed(m, *cmd, result);
            Vec::new()
        }
        Msg::Refresh => {
            m.refresh();
            Vec::new()
        }
        Msg::Live(heard) => live::heard(m, heard),
        Msg::CaughtUp(result) => live::caught_up(m, result),
        Msg::BackedUp(result) => {
            if matches!(m.stack.last(), Some(Overlay::Form(f)) if f.spec.cmd == BACKUP) {
                m.stack.pop();
            }
            match result {
                Ok(text) => m.flash = Some((text, false)),
                Err(text) => m.stack.push(Overlay::Error(text)),
            }
            Vec::new()
        }
        Msg::ClockMoved(Ok(at)) => {
            m.now = at;
            // Every deadline and status is seen from the new day.
            m.refresh();
            let text = format!(
                "The demo clock is now {} (recorded in the database)",
                at.format("%Y-%m-%d")
            );
            m.flash = Some((text, false));
            Vec::new()
        }
        Msg::ClockMoved(Err(text)) => {
            m.flash = Some((text, true));
            Vec::new()
        }
        Msg::ListWritten(result) => {
            let form = match m.stack.last_mut() {
                Some(Overlay::Form(f)) if f.spec.cmd == EXPORT_LIST => Some(f),
                _ => None,
            };
            match (result, form) {
                // The form stays open to choose another file.
                (Err(text), Some(f)) => f.message = Some(text),
                (Err(text), None) => m.flash = Some((text, true)),
                (Ok(text), form) => {
                    if form.is_some() {
                        m.stack.pop();
                    }
                    m.flash = Some((text, false));
                }
            }
            Vec::new()
        }
        Msg::Field(result) => {
            field::finished(m, result);
            Vec::new()
        }
        Msg::Sheet(result) => {
            crate::ui::sheets::finished(m, result);
            Vec::new()
        }
        Msg::Completed(typed, found) => {
            form::completed(m, typed, found);
            Vec::new()
        }
    }
}

fn key(m: &mut Model, k: ratatui::crossterm::event::KeyEvent) -> Vec<Effect> {
    match m.stack.last() {
        Some(_) => overlay::key(m, k),
        None => panes::key(m, k),
    }
}

/// What a confirmation says: the events the domain would record, or the
/// form shows why it would refuse.
fn previewed(m: &mut Model, command: Command, result: Result<Vec<Recorded>, Failure>) {
    let Some(Overlay::Form(form)) = m.stack.last_mut() else {
        return;
    };
    match result {
        Ok(recorded) => {
            let lines = recorded.iter().map(|r| describe(&r.event)).collect();
            let confirm = Confirm {
                title: form.spec.title.to_string(),
                lines,
                then: Effect::Run(Box::new(command)),
            };
            m.stack.push(Overlay::Confirm(Box::new(confirm)));
        }
        Err(Failure::Rejected(r)) => form.show(&r),
        Err(Failure::Storage(text)) => m.stack.push(Overlay::Error(text)),
    }
}

/// A command came back from the engine: saved, or refused, or not stored.
fn done(m: &mut Model, result: Result<Committed, Failure>) {
    if matches!(m.stack.last(), Some(Overlay::Confirm(_))) {
        m.stack.pop();
    }
    match result {
        Ok(Committed { recorded, state }) => {
            // What the commit changed that the desk holds: the organisation
            // (records are read again as they are shown).
            m.state.org = state.org;
            m.state.last_seq = state.last_seq;
            m.state.redeemed_offerings = state.redeemed_offerings;
            m.saved = Saved::At(m.now);
            if let Some(last) = recorded.last() {
                m.flash = Some((format!("Saved: {}", describe(&last.event)), false));
            }
            for r in &recorded {
                if let Event::UserAdded { email, .. } = &r.event
                    && m.actor.is_none()
                {
                    m.actor = Some(email.clone());
                }
            }
            match m.stack.last_mut() {
                // A draft stays open (its fields were marked saved as they
                // were sent) until the report is submitted from it.
                Some(Overlay::Form(f))
                    if f.autosave
                        && !recorded
                            .iter()
                            .any(|r| matches!(r.event, Event::ReportSubmitted { .. })) => {}
                Some(Overlay::Form(_)) => {
                    m.stack.pop();
                }
                _ => {}
            }
            if let Some(audit) = m.audit.as_mut() {
                audit.extend(recorded);
                let over = audit.len().saturating_sub(AUDIT_WINDOW);
                audit.drain(..over);
            }
            m.refresh();
        }
        Err(Failure::Rejected(r)) => match m.stack.last_mut() {
            Some(Overlay::Form(f)) => f.show(&r),
            _ => m.flash = Some((r.message.clone(), true)),
        },
        Err(Failure::Storage(msg)) => {
            m.saved = Saved::Failed(msg.clone());
            m.stack.push(Overlay::Error(msg));
        }
    }
}
