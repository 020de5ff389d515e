//! Keys in a form: moving between fields, typing, toggling, submitting.
//! A form saved field by field (the report draft) saves each changed field
//! as it is left, so nothing typed waits for a final submit.

use crate::domain::{self, Ctx};
use crate::ui::describe::describe;
use crate::ui::keymap::{Action, Scope, lookup};
use crate::ui::model::{Confirm, Effect, Model, Overlay};
use ratatui::crossterm::event::{Event, KeyEvent};
use tui_input::backend::crossterm::EventHandler;

pub fn key(m: &mut Model, k: KeyEvent) -> Vec<Effect> {
    let action = lookup(Scope::Form, &k);
    match action {
        Some(Action::Quit) => {
            m.quit = true;
            return autosave(m);
        }
        Some(Action::Help) => {
            m.stack.push(Overlay::Help);
            return Vec::new();
        }
        Some(Action::Submit) => return submit(m),
        Some(Action::Close) => return close(m),
        _ => {}
    }
    let Some(Overlay::Form(form)) = m.stack.last_mut() else {
        return Vec::new();
    };
    match action {
        Some(Action::NextField) | Some(Action::PrevField) => {
            let effects = autosave(m);
            if let Some(Overlay::Form(form)) = m.stack.last_mut() {
                if action == Some(Action::NextField) {
                    form.next_field()
                } else {
                    form.prev_field()
                }
            }
            effects
        }
        Some(Action::Toggle) | Some(Action::ToggleBack) if form.toggle(action == Some(Action::Toggle)) => {
            Vec::new()
        }
        _ => {
            if let Some(field) = form.focused_mut() {
                let before = field.input.value().to_string();
                field.input.handle_event(&Event::Key(k));
                if field.input.value() != before {
                    field.changed = true;
                    field.error = None;
                }
            }
            Vec::new()
        }
    }
}

/// For a form saved field by field: the command saving what changed.
fn autosave(m: &mut Model) -> Vec<Effect> {
    let Some(Overlay::Form(form)) = m.stack.last_mut() else {
        return Vec::new();
    };
    if !form.autosave || !form.fields.iter().any(|f| f.changed) {
        return Vec::new();
    }
    match form.command(true) {
        Ok(cmd) => vec![Effect::Run(Box::new(cmd))],
        Err(_) => Vec::new(), // shown beside the field; the text stays
    }
}

/// Esc: a draft saves first; a form whose input cannot be saved stays open
/// once, showing why, and closes on a second Esc.
fn close(m: &mut Model) -> Vec<Effect> {
    let Some(Overlay::Form(form)) = m.stack.last_mut() else {
        return Vec::new();
    };
    let had_errors = form.message.is_some() || form.fields.iter().any(|f| f.error.is_some());
    let effects = autosave(m);
    let now_errors = match m.stack.last() {
        Some(Overlay::Form(f)) => f.fields.iter().any(|f| f.error.is_some()),
        _ => false,
    };
    if now_errors && !had_errors {
        m.flash = Some((
            "This field cannot be saved as typed; fix it, or press Esc again to discard".into(),
            true,
        ));
        return effects;
    }
    m.stack.pop();
    effects
}

fn submit(m: &mut Model) -> Vec<Effect> {
    let Some(Overlay::Form(form)) = m.stack.last_mut() else {
        return Vec::new();
    };
    if form.autosave {
        return autosave(m);
    }
    if form.spec.cmd == super::BACKUP {
        let file = form.value("file").trim().to_string();
        if file.is_empty() {
            form.message = Some("file: is required".into());
            return Vec::new();
        }
        return vec![Effect::Backup(file.into())];
    }
    let Ok(cmd) = form.command(false) else {
        return Vec::new();
    };
    if !form.spec.confirm {
        return vec![Effect::Run(Box::new(cmd))];
    }
    // Irreversible: show what the domain says will happen, before doing it.
    let title = form.spec.title.to_string();
    let actor = m.actor.clone();
    let ctx = Ctx {
        now: m.now,
        actor: actor.as_deref(),
        catalog: &m.catalog,
    };
    match domain::decide(&m.state, &cmd, &ctx) {
        Ok(recorded) => {
            let lines = recorded.iter().map(|r| describe(&r.event)).collect();
            m.stack.push(Overlay::Confirm(Box::new(Confirm {
                title,
                lines,
                command: cmd,
            })));
        }
        Err(r) => {
            if let Some(Overlay::Form(form)) = m.stack.last_mut() {
                form.show(&r);
            }
        }
    }
    Vec::new()
}
