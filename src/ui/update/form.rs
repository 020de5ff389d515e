//! Keys in a form: moving between fields, typing, toggling, submitting.
//! A form saved field by field (the report draft) saves each changed field
//! on its own as it is left, so nothing typed waits for a final submit and
//! one mistyped field never holds back the others.

use crate::ui::field;
use crate::ui::forms::{Form, Kind, check, choices};
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
    if choices_key(m, &k) {
        return Vec::new();
    }
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
        Some(Action::CompletePath) => return complete_path(m),
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
            form.pick = None;
        }
    }
    form.warned = false;
    Vec::new()
}

/// ↑/↓ and Enter over the focused field's list of choices; `true` when the
/// key was the list's.
fn choices_key(m: &mut Model, k: &KeyEvent) -> bool {
    let Some(Overlay::Form(form)) = m.stack.last() else {
        return false;
    };
    let list = choices::shown(m, form, form.focus);
    let at = choices::armed(form, &list);
    let action = lookup(Scope::Choices, k);
    let picker = form
        .focused()
        .and_then(|f| choices::source(form.spec.cmd, f.spec.name))
        .is_some();
    if list.is_empty() && picker && matches!(action, Some(Action::Up | Action::Down)) {
        // ↑/↓ belong to the list in a picker field: with nothing left to
        // choose they do not slip away to another field (Tab does).
        let typed = choices::typed_part(form, form.focus).to_string();
        m.flash = Some((
            format!("No choice matches {typed:?}: Ctrl-U clears it, Tab moves on"),
            true,
        ));
        return true;
    }
    let (pick, take) = match (action, at) {
        _ if list.is_empty() => return false,
        (Some(Action::Down), at) => (Some(at.map_or(0, |i| (i + 1).min(list.len() - 1))), None),
        (Some(Action::Up), Some(0)) if form.pick.is_some() => (None, None),
        (Some(Action::Up), Some(i)) if i > 0 => (Some(i - 1), None),
        (Some(Action::Choose), Some(i)) => (None, Some(list[i].clone())),
        _ => return false,
    };
    let mut form = match m.stack.pop() {
        Some(Overlay::Form(form)) => form,
        _ => return false,
    };
    form.pick = pick;
    if let Some(c) = take {
        let i = form.focus;
        choices::take(m, &mut form, i, &c);
    }
    form.warned = false;
    m.stack.push(Overlay::Form(form));
    true
}

/// Ctrl-T in a file field: the app completes the path typed (`Msg::Completed`).
fn complete_path(m: &mut Model) -> Vec<Effect> {
    let Some(Overlay::Form(form)) = m.stack.last() else {
        return Vec::new();
    };
    match form.focused() {
        Some(f) if is_file_field(f.spec.name) => vec![Effect::Complete(f.input.value().to_string())],
        _ => {
            m.flash = Some(("Ctrl-T completes a file path, in a file field".into(), true));
            Vec::new()
        }
    }
}

/// A field that names a file on this computer.
pub fn is_file_field(name: &str) -> bool {
    matches!(name, "deliverable_path" | "file")
}

/// What the app found for the path typed: the common start of the names
/// that fit replaces it; several are listed on the status bar.
pub fn completed(m: &mut Model, typed: String, found: Result<Vec<String>, String>) {
    let Some(Overlay::Form(form)) = m.stack.last_mut() else {
        return;
    };
    let Some(field) = form.focused_mut().filter(|f| f.input.value() == typed) else {
        return;
    };
    let found = match found {
        Ok(found) if found.is_empty() => Err(format!("no file starts with {typed}")),
        other => other,
    };
    match found {
        Err(why) => m.flash = Some((why, true)),
        Ok(found) => {
            let common = common_start(&found);
            if common.chars().count() > typed.chars().count() {
                field.input = tui_input::Input::new(common);
                field.changed = true;
                field.error = None;
            }
            if found.len() > 1 {
                let names: Vec<&str> = found
                    .iter()
                    .map(|p| p.rsplit('/').find(|s| !s.is_empty()).unwrap_or(p))
                    .take(8)
                    .collect();
                let more = if found.len() > 8 { ", …" } else { "" };
                m.flash = Some((format!("{} fit: {}{more}", found.len(), names.join(", ")), false));
            }
        }
    }
}

fn common_start(all: &[String]) -> String {
    let Some(first) = all.first() else {
        return String::new();
    };
    let mut n = first.len();
    for s in &all[1..] {
        n = first
            .char_indices()
            .zip(s.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8())
            .min(n);
    }
    first[..n].to_string()
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

/// Esc: a draft saves what it can first. Over a refusal of a form holding
/// typed text, one Esc dismisses the refusal (the text stays, the focus on
/// the field at fault, so the next key goes into it) and the next Esc closes
/// the form. Otherwise text not saved keeps the form open once, saying so;
/// a second Esc discards it. A form with nothing typed closes at once.
fn close(m: &mut Model) -> Vec<Effect> {
    let effects = autosave(m, Save::AllChanged);
    let Some(Overlay::Form(form)) = m.stack.last_mut() else {
        return effects;
    };
    let unsaved = match form.autosave {
        true => form.unsaved(),
        false => form.typed(),
    };
    if !form.warned && !unsaved.is_empty() && refused(form) {
        dismiss(form);
        form.warned = true;
        let names = unsaved.join(", ");
        let then = match form.autosave {
            true => format!("{names} not saved as typed: Esc again discards it"),
            false => format!("Esc again closes the form, discarding {names}"),
        };
        m.flash = Some((format!("Refusal dismissed, your text kept; {then}"), false));
        return effects;
    }
    // A draft loses only what could not be saved; another form, all it was given.
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

/// A refusal is on screen: beside a field or as the form's message.
fn refused(form: &Form) -> bool {
    form.message.is_some() || form.fields.iter().any(|f| f.error.is_some())
}

/// Clears the refusal's messages; in a draft a field not saved as typed
/// keeps its mark (it says what Esc would discard).
fn dismiss(form: &mut Form) {
    let keep = match form.autosave {
        true => form.unsaved(),
        false => Vec::new(),
    };
    form.message = None;
    for f in &mut form.fields {
        if !keep.contains(&f.spec.name) {
            f.error = None;
        }
    }
}

fn submit(m: &mut Model) -> Vec<Effect> {
    let Some(Overlay::Form(form)) = m.stack.last_mut() else {
        return Vec::new();
    };
    if form.autosave {
        return submit_draft(m);
    }
    let sheet = crate::ui::sheets::is_sheet_form(form.spec.cmd);
    let plain = form.spec.cmd == super::BACKUP || sheet || field::is_field_form(form.spec.cmd);
    // Not contract commands: every empty required field is marked at once.
    if plain && check::missing(form) {
        return Vec::new();
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
        return vec![Effect::Backup(file.into())];
    }
    if sheet {
        return match crate::ui::sheets::job(form.spec.cmd, form.value("file")) {
            Ok(job) => vec![Effect::Sheet(job)],
            Err(missing) => {
                form.message = Some(check::words(form, &missing));
                Vec::new()
            }
        };
    }
    if field::is_field_form(form.spec.cmd) {
        return match field::job(form) {
            Ok(job) => vec![Effect::Field(job)],
            Err(missing) => {
                form.message = Some(check::words(form, &missing));
                Vec::new()
            }
        };
    }
    let Ok(cmd) = form.command() else {
        return Vec::new();
    };
    let confirm = form.spec.confirm;
    if let Some(text) = super::live::changed_underneath(m, &cmd) {
        if let Some(Overlay::Form(form)) = m.stack.last_mut() {
            form.message = Some(text);
        }
        return Vec::new();
    }
    if !confirm {
        return vec![Effect::Run(Box::new(cmd))];
    }
    // Irreversible: show what the domain says will happen, before doing it.
    vec![Effect::Preview(Box::new(cmd))]
}

/// Enter in the report form: every changed field is saved, then the report
/// is submitted (the domain lists what is unmet, beside the form). A field
/// that cannot be saved as typed holds the submit back.
fn submit_draft(m: &mut Model) -> Vec<Effect> {
    let mut effects = autosave(m, Save::AllChanged);
    let Some(Overlay::Form(form)) = m.stack.last_mut() else {
        return effects;
    };
    if !form.unsaved().is_empty() {
        form.message = Some("Not submitted: a field is not saved as typed (marked above)".into());
        return effects;
    }
    let mut map = serde_json::Map::new();
    map.insert("cmd".into(), "submit_report".into());
    map.insert("voucher_id".into(), form.value("voucher_id").trim().into());
    match crate::input::parse_line(&map) {
        Ok(cmd) => match super::live::changed_underneath(m, &cmd) {
            Some(text) => {
                if let Some(Overlay::Form(form)) = m.stack.last_mut() {
                    form.message = Some(text);
                }
            }
            None => effects.push(Effect::Run(Box::new(cmd))),
        },
        Err(r) => form.show(&r),
    }
    effects
}
