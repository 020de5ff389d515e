//! Keys in a form: moving between fields, typing, toggling, submitting.
//! A form saved field by field (the report draft) saves each changed field
//! on its own as it is left, so nothing typed waits for a final submit and
//! one mistyped field never holds back the others.

use crate::ui::field;
use crate::ui::forms::Kind;
use crate::ui::keymap::{Action, Scope, lookup};
use crate::ui::model::{Effect, Model, Overlay};
use ratatui::crossterm::event::{Event, KeyEvent};
use tui_input::backend::crossterm::EventHandler;

/// Which fields of a draft to save.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Save {
    /// The field being left.
    Focused,
    /// Every changed field (closing, quitting, Enter).
    AllChanged,
}

pub fn key(m: &mut Model, k: KeyEvent) -> Vec<Effect> {
    let action = lookup(Scope::Form, &k);
    match action {
        Some(Action::Quit) => {
            m.quit = true;
            return autosave(m, Save::AllChanged);
        }
        Some(Action::Help) => {
            m.stack.push(Overlay::Help(0));
            return Vec::new();
        }
        Some(Action::Submit) => return submit(m),
        Some(Action::Close) => return close(m),
        Some(Action::NextField) | Some(Action::PrevField) => {
            let effects = autosave(m, Save::Focused);
            if let Some(Overlay::Form(form)) = m.stack.last_mut() {
                if action == Some(Action::NextField) {
                    form.next_field()
                } else {
                    form.prev_field()
                }
            }
            return effects;
        }
        _ => {}
    }
    let Some(Overlay::Form(form)) = m.stack.last_mut() else {
        return Vec::new();
    };
    let toggled = matches!(action, Some(Action::Toggle) | Some(Action::ToggleBack))
        && form.toggle(action == Some(Action::Toggle));
    let typed_into = form
        .focused()
        .is_some_and(|f| !matches!(f.spec.kind, Kind::Bool | Kind::Choice(_)));
    if !toggled
        && typed_into
        && let Some(field) = form.focused_mut()
    {
        let before = field.input.value().to_string();
        field.input.handle_event(&Event::Key(k));
        if field.input.value() != before {
            field.changed = true;
            field.error = None;
        }
    }
    form.warned = false;
    Vec::new()
}

/// For a form saved field by field: one command per changed field in
/// `which`, each marked saved as it is sent. Other forms: nothing.
fn autosave(m: &mut Model, which: Save) -> Vec<Effect> {
    let Some(Overlay::Form(form)) = m.stack.last_mut() else {
        return Vec::new();
    };
    if !form.autosave {
        return Vec::new();
    }
    let fields: Vec<usize> = match which {
        Save::Focused => vec![form.focus],
        Save::AllChanged => (0..form.fields.len()).collect(),
    };
    let mut effects = Vec::new();
    for i in fields {
        if let Some(Ok(cmd)) = form.field_command(i) {
            form.fields[i].changed = false;
            effects.push(Effect::Run(Box::new(cmd)));
        }
    }
    effects
}

/// Esc: a draft saves what it can first. Text that cannot be saved as typed
/// keeps the form open once, saying so; a second Esc discards it.
fn close(m: &mut Model) -> Vec<Effect> {
    let effects = autosave(m, Save::AllChanged);
    let Some(Overlay::Form(form)) = m.stack.last_mut() else {
        return effects;
    };
    // A draft loses only what could not be saved; another form, all it was given.
    let unsaved = if form.autosave {
        form.unsaved()
    } else {
        form.typed()
    };
    if !unsaved.is_empty() && !form.warned {
        form.warned = true;
        let names = unsaved.join(", ");
        let what = if form.autosave {
            "Not saved as typed"
        } else {
            "Not submitted"
        };
        m.flash = Some((format!("{what}: {names}. Press Esc again to discard it"), true));
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
        return autosave(m, Save::AllChanged);
    }
    if form.spec.cmd == super::EXPORT_LIST {
        let file = form.value("file").trim().to_string();
        if file.is_empty() {
            form.message = Some("file: is required".into());
            return Vec::new();
        }
        let list = m.list(m.tab);
        if let Some(p) = list.pages() {
            let text = format!(
                "this list of {} vouchers is read a page at a time: filter it (/) or use saps export, which writes them all",
                p.total
            );
            if let Some(Overlay::Form(form)) = m.stack.last_mut() {
                form.message = Some(text);
            }
            return Vec::new();
        }
        let ids: Vec<String> = (0..list.len())
            .filter_map(|i| list.key(i))
            .map(str::to_string)
            .collect();
        return vec![Effect::ExportList {
            ids,
            file: file.into(),
        }];
    }
    if form.spec.cmd == super::BACKUP {
        let file = form.value("file").trim().to_string();
        if file.is_empty() {
            form.message = Some("file: is required".into());
            return Vec::new();
        }
        return vec![Effect::Backup(file.into())];
    }
    if crate::ui::sheets::is_sheet_form(form.spec.cmd) {
        return match crate::ui::sheets::job(form.spec.cmd, form.value("file")) {
            Ok(job) => vec![Effect::Sheet(job)],
            Err(missing) => {
                form.message = Some(missing);
                Vec::new()
            }
        };
    }
    if field::is_field_form(form.spec.cmd) {
        form.clear_errors();
        return match field::job(form) {
            Ok(job) => vec![Effect::Field(job)],
            Err(missing) => {
                form.message = Some(missing);
                Vec::new()
            }
        };
    }
    let Ok(cmd) = form.command() else {
        return Vec::new();
    };
    if !form.spec.confirm {
        return vec![Effect::Run(Box::new(cmd))];
    }
    // Irreversible: show what the domain says will happen, before doing it.
    vec![Effect::Preview(Box::new(cmd))]
}
