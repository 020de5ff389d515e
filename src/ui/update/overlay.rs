//! Keys in the overlays other than forms: confirmation, help, the user
//! picker, an error.

use super::form;
use crate::ui::keymap::{Action, Scope, lookup};
use crate::ui::model::{Effect, Model, Overlay};
use crate::ui::overlays::help_lines;
use ratatui::crossterm::event::{KeyCode, KeyEvent};

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
            Some(Action::Yes) => vec![Effect::Run(Box::new(c.command.clone()))],
            Some(Action::Close) => {
                m.stack.pop();
                Vec::new()
            }
            _ => Vec::new(),
        },
        Some(Overlay::Picker(i)) => picker(m, *i, k),
        Some(Overlay::Help(scroll)) => {
            let scroll = *scroll;
            let next = match k.code {
                KeyCode::Up | KeyCode::Char('k') => Some(scroll.saturating_sub(1)),
                KeyCode::Down | KeyCode::Char('j') => Some(scroll.saturating_add(1)),
                KeyCode::PageUp => Some(scroll.saturating_sub(10)),
                KeyCode::PageDown => Some(scroll.saturating_add(10)),
                KeyCode::Home => Some(0),
                _ => None,
            };
            match next {
                Some(n) => {
                    let most = help_lines(m).len().saturating_sub(1) as u16;
                    if let Some(Overlay::Help(s)) = m.stack.last_mut() {
                        *s = n.min(most);
                    }
                }
                None if is_close(k.code) => {
                    m.stack.pop();
                }
                None => {}
            }
            Vec::new()
        }
        Some(Overlay::Error(_)) => {
            if is_close(k.code) {
                m.stack.pop();
            }
            Vec::new()
        }
        None => Vec::new(),
    }
}

fn is_close(code: KeyCode) -> bool {
    matches!(
        code,
        KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') | KeyCode::Char('?') | KeyCode::F(1)
    )
}

fn picker(m: &mut Model, i: usize, k: KeyEvent) -> Vec<Effect> {
    let users: Vec<String> = m.state.org.users.keys().cloned().collect();
    let last = users.len().saturating_sub(1);
    let next = match k.code {
        KeyCode::Up | KeyCode::Char('k') => i.saturating_sub(1),
        KeyCode::Down | KeyCode::Char('j') => (i + 1).min(last),
        KeyCode::Enter => {
            if let Some(email) = users.get(i) {
                m.actor = Some(email.clone());
                m.flash = Some((format!("Acting as {email}"), false));
                m.stack.pop();
                m.rows_changed();
            }
            return Vec::new();
        }
        KeyCode::Esc if m.actor.is_some() => {
            m.stack.pop();
            return Vec::new();
        }
        KeyCode::Char('q') => {
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
