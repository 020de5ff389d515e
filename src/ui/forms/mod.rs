//! A form for one command: its fields as typed, their errors, the focus.
//! Submitting builds the same JSON object a `saps exec` line would carry and
//! parses it with the same parser, so the screens and `exec` agree exactly.

pub mod check;
pub mod choices;
pub mod spec;

use crate::domain::command::{Action, CommandKind};
use crate::domain::{Command, Rejection};
use crate::input;
use serde_json::{Map, Value};
pub use spec::{FieldSpec, FormSpec, Kind, form_spec};
use tui_input::Input;

#[derive(Debug, Clone)]
pub struct Field {
    pub spec: FieldSpec,
    pub input: Input,
    pub error: Option<String>,
    /// Changed since the form last saved (for forms saved field by field).
    pub changed: bool,
}

#[derive(Debug, Clone)]
pub struct Form {
    pub spec: &'static FormSpec,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// A message about the form as a whole (a rule, not one field).
    pub message: Option<String>,
    /// Save each field as it is left (the completion report draft).
    pub autosave: bool,
    /// Esc was pressed once over unsaved text; a second Esc discards it.
    pub warned: bool,
    /// The choice under the cursor in the focused field's list, once ↑/↓
    /// moved it (`choices`).
    pub pick: Option<usize>,
    /// The desk's last seq when the form was opened (or last warned that
    /// its record changed underneath): others' events after it that name
    /// its voucher or customer hold the next submit back once.
    pub since: Option<u64>,
}

impl Form {
    pub fn new(spec: &'static FormSpec) -> Form {
        let fields = spec
            .fields
            .iter()
            .map(|s| {
                let initial = match s.kind {
                    Kind::Bool => "no",
                    Kind::Choice(options) => options.first().copied().unwrap_or(""),
                    _ => "",
                };
                Field {
                    spec: *s,
                    input: Input::new(initial.into()),
                    error: None,
                    changed: false,
                }
            })
            .collect();
        Form {
            spec,
            fields,
            focus: 0,
            message: None,
            autosave: spec.cmd == Action::Run(CommandKind::SaveReportDraft),
            warned: false,
            pick: None,
            since: None,
        }
    }

    /// The form for `cmd`, if it has one.
    pub fn for_cmd(cmd: impl Into<Action>) -> Option<Form> {
        form_spec(cmd).map(Form::new)
    }

    /// Fills a field (prefill); unknown names are ignored.
    pub fn with(mut self, name: &str, value: impl Into<String>) -> Form {
        if let Some(f) = self.fields.iter_mut().find(|f| f.spec.name == name) {
            f.input = Input::new(value.into());
        }
        self
    }

    /// Moves the focus to the first empty required field, or else to the
    /// first optional one (a draft opens on what is left to fill).
    pub fn focus_first_empty(mut self) -> Form {
        let empty_required = self
            .fields
            .iter()
            .position(|f| f.spec.required && f.input.value().trim().is_empty());
        let first_optional = self.fields.iter().position(|f| !f.spec.required);
        self.focus = empty_required.or(first_optional).unwrap_or(0);
        self
    }

    pub fn value(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.spec.name == name)
            .map_or("", |f| f.input.value())
    }

    pub fn focused(&self) -> Option<&Field> {
        self.fields.get(self.focus)
    }

    pub fn focused_mut(&mut self) -> Option<&mut Field> {
        self.fields.get_mut(self.focus)
    }

    pub fn next_field(&mut self) {
        if !self.fields.is_empty() {
            self.focus = (self.focus + 1) % self.fields.len();
        }
        self.pick = None;
    }

    pub fn prev_field(&mut self) {
        if !self.fields.is_empty() {
            self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
        }
        self.pick = None;
    }

    /// Space on a yes/no field, Space or ←/→ on a choice.
    pub fn toggle(&mut self, forward: bool) -> bool {
        let Some(f) = self.focused_mut() else { return false };
        let next = match f.spec.kind {
            Kind::Bool => {
                if f.input.value() == "yes" {
                    "no"
                } else {
                    "yes"
                }
            }
            Kind::Choice(options) => {
                let i = options.iter().position(|o| *o == f.input.value());
                let n = options.len();
                let j = match (i, forward) {
                    (None, _) => 0,
                    (Some(i), true) => (i + 1) % n,
                    (Some(i), false) => (i + n - 1) % n,
                };
                options[j]
            }
            _ => return false,
        };
        f.input = Input::new(next.to_string());
        f.changed = true;
        true
    }

    /// The command object from every filled field, typed as the contract wants.
    pub fn to_map(&self) -> Map<String, Value> {
        self.map_of(|_| true)
    }

    fn map_of(&self, keep: impl Fn(usize) -> bool) -> Map<String, Value> {
        let mut map = Map::new();
        map.insert("cmd".into(), Value::String(self.spec.cmd.name().into()));
        for (i, f) in self.fields.iter().enumerate() {
            let raw = f.input.value().trim();
            if !raw.is_empty() && keep(i) {
                map.insert(f.spec.name.into(), typed(f.spec.kind, raw));
            }
        }
        map
    }

    /// Parses the whole form into a command; every field the parser
    /// refuses is marked at once, beside the field (`check`).
    pub fn command(&mut self) -> Result<Command, Rejection> {
        check::command(self)
    }

    /// For a form saved field by field: the command saving field `i` alone
    /// (with the required fields that say what it belongs to), or `None` when
    /// it has not changed. A type error stays beside that field only, so one
    /// mistyped field never holds back the others.
    pub fn field_command(&mut self, i: usize) -> Option<Result<Command, Rejection>> {
        let field = self.fields.get(i)?;
        if !field.changed || field.spec.required {
            return None;
        }
        let parsed = input::parse_line(&self.map_of(|j| j == i || self.fields[j].spec.required));
        let error = parsed.as_ref().err().map(|r| check::words(self, &r.message));
        self.fields[i].error = error;
        Some(parsed)
    }

    /// Fields the user typed into (not just prefilled).
    pub fn typed(&self) -> Vec<&'static str> {
        self.fields
            .iter()
            .filter(|f| f.changed)
            .map(|f| f.spec.name)
            .collect()
    }

    /// Typed text that is not saved: changed, showing an error, not empty.
    pub fn unsaved(&self) -> Vec<&'static str> {
        self.fields
            .iter()
            .filter(|f| f.changed && f.error.is_some() && !f.input.value().trim().is_empty())
            .map(|f| f.spec.name)
            .collect()
    }

    pub fn clear_errors(&mut self) {
        self.message = None;
        for f in &mut self.fields {
            f.error = None;
        }
    }

    /// Shows a rejection beside the field it names, or as the form's message.
    /// The focus moves to that field, except in a form saved field by field,
    /// where it stays where the user is going.
    pub fn show(&mut self, r: &Rejection) {
        let text = check::words(self, &r.message);
        match r
            .field
            .and_then(|name| self.fields.iter().position(|f| f.spec.name == name))
        {
            Some(i) => {
                self.fields[i].error = Some(text);
                if !self.autosave {
                    self.focus = i;
                }
            }
            None => self.message = Some(text),
        }
    }
}

/// A field's text as the JSON value its kind calls for. Text that does not
/// fit the kind is passed on as a string so the parser names the field.
fn typed(kind: Kind, raw: &str) -> Value {
    match kind {
        Kind::Int => raw
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| Value::String(raw.into())),
        Kind::Number => raw
            .parse::<f64>()
            .ok()
            .and_then(|n| serde_json::Number::from_f64(n).map(Value::Number))
            .unwrap_or_else(|| Value::String(raw.into())),
        Kind::Bool => Value::Bool(matches!(raw, "yes" | "y" | "true")),
        Kind::List => Value::Array(
            raw.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.into()))
                .collect(),
        ),
        Kind::Text | Kind::Long | Kind::Date | Kind::Choice(_) => Value::String(raw.into()),
    }
}
