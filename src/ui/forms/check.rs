//! The whole form checked at once: every field's shape with the parser
//! `saps exec` uses, each problem beside its field in the user's words
//! (labels, not the contract's keys; no codes: those are for help and exec).

use super::{Form, Kind};
use crate::domain::{Command, Rejection};
use crate::input;
use serde_json::Value;

/// Parses the form; on failure every field the parser refuses is marked,
/// not only the first. The parser reads fields in order and stops at the
/// first bad one, so each refused field is set aside (a value of its kind
/// stands in) and the rest parsed again, until nothing more is found.
pub fn command(form: &mut Form) -> Result<Command, Rejection> {
    form.clear_errors();
    let mut map = form.to_map();
    let mut first: Option<Rejection> = None;
    for _ in 0..=form.fields.len() {
        let r = match input::parse_line(&map) {
            Ok(cmd) if first.is_none() => return Ok(cmd),
            Ok(_) => break,
            Err(r) => r,
        };
        let at = r
            .field
            .and_then(|name| form.fields.iter().position(|f| f.spec.name == name));
        let Some(i) = at.filter(|i| form.fields[*i].error.is_none()) else {
            // A rule of the form as a whole, or a stand-in refused: stop here.
            if at.is_none() {
                form.message = Some(words(form, &r.message));
            }
            first.get_or_insert(r);
            break;
        };
        form.fields[i].error = Some(words(form, &r.message));
        map.insert(
            form.fields[i].spec.name.into(),
            stand_in(form.fields[i].spec.kind),
        );
        first.get_or_insert(r);
    }
    // The focus goes to the first field at fault.
    if let Some(i) = form.fields.iter().position(|f| f.error.is_some()) {
        form.focus = i;
    }
    Err(first.unwrap_or_else(|| input::invalid("cmd", "cannot be read")))
}

/// A value of `kind` the parser accepts, standing in for a refused field.
fn stand_in(kind: Kind) -> Value {
    match kind {
        Kind::Int | Kind::Number => Value::from(0),
        Kind::Bool => Value::Bool(false),
        Kind::List => Value::Array(vec![Value::String("x@x.example".into())]),
        Kind::Date => Value::String("2000-01-01".into()),
        Kind::Choice(options) => Value::String(options.first().copied().unwrap_or("").into()),
        Kind::Text | Kind::Long => Value::String("x".into()),
    }
}

/// A message in the user's words: each field key it names (the message's
/// `key: ` prefix, or a key in the text) becomes that field's label.
pub fn words(form: &Form, message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        // This form's field, or else another form's of that name.
        let label = form
            .fields
            .iter()
            .map(|f| &f.spec)
            .chain(super::spec::FORMS.iter().flat_map(|s| s.fields.iter()))
            .find(|f| f.name == word.as_str())
            .map(|f| f.label);
        match label {
            Some(label) if word.contains('_') || out.is_empty() => out.push_str(label),
            _ => out.push_str(word),
        }
        word.clear();
    };
    for c in message.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Marks every empty required field (forms that are not contract commands:
/// a backup, the field hand-off's files); `true` when one was.
pub fn missing(form: &mut Form) -> bool {
    form.clear_errors();
    for f in &mut form.fields {
        if f.spec.required && f.input.value().trim().is_empty() {
            f.error = Some(format!("{}: is required", f.spec.label));
        }
    }
    match form.fields.iter().position(|f| f.error.is_some()) {
        Some(i) => {
            form.focus = i;
            true
        }
        None => false,
    }
}
