//! From a JSON object to a [`Command`]: field types only, no program rules.
//!
//! `saps exec` hands each line's object to [`parse_line`]; the screens can
//! build the same `Map` from their form fields and reuse it. No IO here.
//!
//! Rules: `cmd` names the command; `as` and `at` are reserved (read by the
//! caller); keys starting with `_` are comments; any other key the command
//! does not know is refused. A `null` optional field counts as absent, a
//! `null` required field as missing. Every refusal is `invalid_input` and
//! names the field.

mod commands;

use crate::clock::{parse_date, shorten};
use crate::domain::catalog::Level;
use crate::domain::command::CommandKind;
use crate::domain::records::{Outcome, Role};
use crate::domain::{Code, Command, Rejection};
use chrono::NaiveDate;
use serde_json::{Map, Value};

pub use commands::{Field, Spec, spec, specs};

/// Keys every line may carry besides the command's fields.
pub const RESERVED: [&str; 4] = ["cmd", "as", "at", "id"];

/// Parses one command object.
pub fn parse_line(v: &Map<String, Value>) -> Result<Command, Rejection> {
    let fields = Fields::new(v);
    let name = fields.str_ref("cmd")?;
    let spec = CommandKind::parse(name)
        .and_then(commands::spec)
        .ok_or_else(|| invalid("cmd", format!("unknown command '{}'", shorten(name))))?;
    check_keys(v, &spec)?;
    (spec.build)(&fields)
}

/// The first key that is neither reserved, a comment, nor a field of `spec`.
fn check_keys(v: &Map<String, Value>, spec: &Spec) -> Result<(), Rejection> {
    let unknown = v
        .keys()
        .find(|k| !k.starts_with('_') && !RESERVED.contains(&k.as_str()) && !spec.has(k));
    match unknown {
        // The key is the user's text, not a static field name: the message
        // names it, `field` stays empty.
        Some(k) => Err(Rejection {
            code: Code::InvalidInput,
            field: None,
            message: format!("{}: not a field of {}", shorten(k), spec.name()),
        }),
        None => Ok(()),
    }
}

/// An `invalid_input` refusal about `field`.
pub fn invalid(field: &'static str, message: impl std::fmt::Display) -> Rejection {
    Rejection::field(Code::InvalidInput, field, message)
}

/// Converts one present, non-null value, or says what was expected.
type Conv<T> = fn(&Value) -> Result<T, String>;

/// Typed access to a command object's fields.
pub struct Fields<'a> {
    map: &'a Map<String, Value>,
}

impl<'a> Fields<'a> {
    pub fn new(map: &'a Map<String, Value>) -> Fields<'a> {
        Fields { map }
    }

    /// The value of `name`, `None` when absent or `null`.
    pub fn get(&self, name: &str) -> Option<&'a Value> {
        self.map.get(name).filter(|v| !v.is_null())
    }

    fn req<T>(&self, name: &'static str, conv: Conv<T>) -> Result<T, Rejection> {
        let v = self.get(name).ok_or_else(|| invalid(name, "is required"))?;
        conv(v).map_err(|m| invalid(name, m))
    }

    fn opt<T>(&self, name: &'static str, conv: Conv<T>) -> Result<Option<T>, Rejection> {
        self.get(name)
            .map(|v| conv(v).map_err(|m| invalid(name, m)))
            .transpose()
    }

    fn str_ref(&self, name: &'static str) -> Result<&'a str, Rejection> {
        let v = self.get(name).ok_or_else(|| invalid(name, "is required"))?;
        v.as_str().ok_or_else(|| invalid(name, expected("a string", v)))
    }

    pub fn str(&self, name: &'static str) -> Result<String, Rejection> {
        self.req(name, to_string)
    }
    pub fn opt_str(&self, name: &'static str) -> Result<Option<String>, Rejection> {
        self.opt(name, to_string)
    }
    pub fn date(&self, name: &'static str) -> Result<NaiveDate, Rejection> {
        self.req(name, to_date)
    }
    pub fn opt_date(&self, name: &'static str) -> Result<Option<NaiveDate>, Rejection> {
        self.opt(name, to_date)
    }
    /// A JSON integer (not `5.0`) that fits an `i64`.
    pub fn int(&self, name: &'static str) -> Result<i64, Rejection> {
        self.req(name, to_int)
    }
    /// A JSON integer from 0 to `u32::MAX`.
    pub fn opt_u32(&self, name: &'static str) -> Result<Option<u32>, Rejection> {
        self.opt(name, to_u32)
    }
    /// Any JSON number.
    pub fn opt_f64(&self, name: &'static str) -> Result<Option<f64>, Rejection> {
        self.opt(name, to_f64)
    }
    /// A JSON boolean (`true`/`false`, not `"true"` or `1`).
    pub fn bool(&self, name: &'static str) -> Result<bool, Rejection> {
        self.req(name, to_bool)
    }
    pub fn opt_bool(&self, name: &'static str) -> Result<Option<bool>, Rejection> {
        self.opt(name, to_bool)
    }
    /// A JSON array of strings.
    pub fn str_list(&self, name: &'static str) -> Result<Vec<String>, Rejection> {
        self.req(name, to_str_list)
    }
    pub fn opt_str_list(&self, name: &'static str) -> Result<Option<Vec<String>>, Rejection> {
        self.opt(name, to_str_list)
    }
    pub fn role(&self, name: &'static str) -> Result<Role, Rejection> {
        self.req(name, to_role)
    }
    pub fn level(&self, name: &'static str) -> Result<Level, Rejection> {
        self.req(name, to_level)
    }
    pub fn outcome(&self, name: &'static str) -> Result<Outcome, Rejection> {
        self.req(name, to_outcome)
    }
}

/// "expected WHAT, got VALUE" with the value shortened.
fn expected(what: &str, got: &Value) -> String {
    format!("expected {what}, got {}", shown(got))
}

/// A value as JSON text, at most about 40 characters.
pub fn shown(v: &Value) -> String {
    shorten(&v.to_string())
}

fn to_string(v: &Value) -> Result<String, String> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| expected("a string", v))
}

/// A `YYYY-MM-DD` date inside the range saps accepts (1990 to 2199).
fn to_date(v: &Value) -> Result<NaiveDate, String> {
    let d = v
        .as_str()
        .and_then(parse_date)
        .ok_or_else(|| expected("a date YYYY-MM-DD", v))?;
    crate::domain::dates::in_range(d)
}

fn to_int(v: &Value) -> Result<i64, String> {
    match v {
        Value::Number(n) if n.is_u64() && n.as_i64().is_none() => {
            Err(format!("whole number {} is too large", shown(v)))
        }
        _ => v.as_i64().ok_or_else(|| expected("a whole number", v)),
    }
}

fn to_u32(v: &Value) -> Result<u32, String> {
    let n = to_int(v).map_err(|_| expected("a whole number", v))?;
    if n < 0 {
        return Err(expected("a whole number of at least 0", v));
    }
    u32::try_from(n).map_err(|_| format!("whole number {} is too large", shown(v)))
}

fn to_f64(v: &Value) -> Result<f64, String> {
    v.as_f64().ok_or_else(|| expected("a number", v))
}

fn to_bool(v: &Value) -> Result<bool, String> {
    v.as_bool().ok_or_else(|| expected("true or false", v))
}

fn to_str_list(v: &Value) -> Result<Vec<String>, String> {
    let items = v.as_array().ok_or_else(|| expected("an array of strings", v))?;
    items
        .iter()
        .map(|item| item.as_str().map(str::to_string))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| expected("an array of strings", v))
}

fn choice<T>(v: &Value, parse: fn(&str) -> Option<T>, allowed: &str) -> Result<T, String> {
    v.as_str()
        .and_then(parse)
        .ok_or_else(|| expected(&format!("one of {allowed}"), v))
}

fn to_role(v: &Value) -> Result<Role, String> {
    choice(v, Role::parse, "global_admin, partner_admin, consultant")
}

fn to_level(v: &Value) -> Result<Level, String> {
    choice(v, Level::parse, "silver, gold")
}

/// `paid` or `denied`, read like roles and levels: trimmed, any case.
pub fn parse_outcome(s: &str) -> Option<Outcome> {
    match s.trim().to_ascii_lowercase().as_str() {
        "paid" => Some(Outcome::Paid),
        "denied" => Some(Outcome::Denied),
        _ => None,
    }
}

fn to_outcome(v: &Value) -> Result<Outcome, String> {
    choice(v, parse_outcome, "paid, denied")
}
