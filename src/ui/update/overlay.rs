//! Keys in the overlays other than forms: confirmation, help, the user
//! picker, an error.

use super::form;
use crate::ui::keymap::{Action, Scope, lookup};
use crate::ui::model::{Effect, Model, Overlay};
use crate::ui::overlays::help_lines;
use ratatui::crossterm::event::KeyEvent;

pub fn key(m: &mut Model, k: KeyEvent) -> Vec<Effect> {
    if lookup(Scope::Always, &k) == Some(Action::Quit) {
        if matches!(m.stack.last(), Some(Overlay::Form(_))) {
            return form::key(m, k);
        }
        m.quit = true;
        return Vec::new();
    }
    match m.stack.last() {
        Some(Overlay::Form(_)) => form::key(m, k),
        Some(Overlay::Confirm(c)) => match lookup(Scope::Confirm, &k) {
            Some(Action::Yes) => vec![c.then.clone()],
            Some(Action::Close) => {
                m.stack.pop();
                Vec::new()
            }
            _ => Vec::new(),
        },
        Some(Overlay::Picker(i)) => picker(m, *i, k),
        Some(Overlay::Help(scroll)) => {
            let scroll = *scroll;
            let next = match lookup(Scope::Help, &k) {
                Some(Action::Up) => Some(scroll.saturating_sub(1)),
                Some(Action::Down) => Some(scroll.saturating_add(1)),
                Some(Action::PageUp) => Some(scroll.saturating_sub(10)),
                Some(Action::PageDown) => Some(scroll.saturating_add(10)),
                Some(Action::Home) => Some(0),
                _ => None,
            };
            match next {
                Some(n) => {
                    let most = help_lines(m).len().saturating_sub(1) as u16;
                    if let Some(Overlay::Help(s)) = m.stack.last_mut() {
                        *s = n.min(most);
                    }
                }
                None if closes(&k) => {
                    m.stack.pop();
                }
                None => {}
            }
            Vec::new()
        }
        Some(Overlay::Error(_)) => {
            if closes(&k) {
                m.stack.pop();
            }
            Vec::new()
        }
        None => Vec::new(),
    }
}

/// Whether `k` closes help or a message (the help key too: it toggles).
fn closes(k: &KeyEvent) -> bool {
    matches!(lookup(Scope::Help, k), Some(Action::Close | Action::Help))
}

fn picker(m: &mut Model, i: usize, k: KeyEvent) -> Vec<Effect> {
    let users: Vec<String> = m.state.org.users.keys().cloned().collect();
    let last = users.len().saturating_sub(1);
    let next = match lookup(Scope::Picker, &k) {
        Some(Action::Up) => i.saturating_sub(1),
        Some(Action::Down) => (i + 1).min(last),
        Some(Action::Choose) => {
            if let Some(email) = users.get(i) {
                m.actor = Some(email.clone());
                m.flash = Some((format!("Acting as {email}"), false));
                m.stack.pop();
                m.rows_changed();
            }
            return Vec::new();
        }
        Some(Action::Close) if m.actor.is_some() => {
            m.stack.pop();
            return Vec::new();
        }
        Some(Action::Quit) => {
            m.quit = true;
            return Vec::new();
        }
        _ => i,
    };
    if let Some(Overlay::Picker(cur)) = m.stack.last_mut() {
        *cur = next;
    }
    Vec::new()
}
