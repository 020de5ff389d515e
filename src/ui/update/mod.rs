//! `update(&mut Model, Msg) -> Vec<Effect>`: the only place the model changes.
//! Keys go to the top overlay if there is one, else to the panes.

mod field;
mod form;
mod overlay;
mod panes;

use super::describe::describe;
use super::model::{Effect, Failure, Model, Msg, Overlay, Saved};
use crate::domain::{Event, Recorded};
use ratatui::crossterm::event::{KeyEventKind, MouseButton, MouseEventKind};

pub use panes::trigger;

/// The desk keeps this many recent events for its audit pane; the whole log
/// is in `saps export`.
pub const AUDIT_WINDOW: usize = 1_000;

/// The desk's own form (not a contract command): back up the database.
pub const BACKUP: &str = "backup";

pub fn update(m: &mut Model, msg: Msg) -> Vec<Effect> {
    let effects = handle(m, msg);
    // The tab in view has rows that match the state (built only when needed).
    m.ensure_rows(m.tab);
    effects
}

fn handle(m: &mut Model, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Resize(w, h) => {
            m.size = (w, h);
            Vec::new()
        }
        Msg::Tick(now) => {
            if !m.clock_fixed {
                let new_day = now.date_naive() != m.today();
                m.now = now;
                if new_day {
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
        Msg::Field(result) => {
            field::finished(m, result);
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

/// A command came back from the engine: saved, or refused, or not stored.
fn done(m: &mut Model, result: Result<Vec<Recorded>, Failure>) {
    if matches!(m.stack.last(), Some(Overlay::Confirm(_))) {
        m.stack.pop();
    }
    match result {
        Ok(recorded) => {
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
                // A draft stays open; its fields were marked saved as they were sent.
                Some(Overlay::Form(f)) if f.autosave => {}
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
            _ => m.flash = Some((format!("{} ({})", r.message, r.code), true)),
        },
        Err(Failure::Storage(msg)) => {
            m.saved = Saved::Failed(msg.clone());
            m.stack.push(Overlay::Error(msg));
        }
    }
}
