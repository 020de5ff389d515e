//! One line of `saps exec` as a request: its command, its acting user
//! (`"as"`), its clock (`"at"`) and its id (`"id"`).

use super::{Request, strict};
use crate::clock::{CLOCK_EXPECTED, parse_clock};
use crate::domain::{Code, Decision, Rejection};
use crate::input::{self, invalid};
use crate::settings::Settings;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

/// One line as a command with its acting user and clock (`"as"`, `"at"`,
/// else the settings').
pub fn parse_request(text: &str, settings: &Settings) -> Decision<Request> {
    let map = parse_object(text)?;
    let command = input::parse_line(&map)?;
    let actor = line_actor(&map)?.or_else(|| settings.actor.clone());
    let now = match line_clock(&map)? {
        Some(t) => t,
        None => settings.now(),
    };
    let request = Request::new(command, actor, now);
    Ok(match line_id(&map)? {
        Some(id) => request.given_id(id),
        None => request,
    })
}

/// The line's `"id"`, when given (`null` counts as absent): a UUIDv7, the
/// id of the line's first event. A line whose id the log holds already is
/// not applied again.
fn line_id(map: &Map<String, Value>) -> Decision<Option<uuid::Uuid>> {
    const EXPECTED: &str =
        "expected a UUIDv7 such as 01890a5d-ac96-774b-bcce-b302099a8057 (`uuidgen --time-v7`)";
    let text = match map.get("id") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) => s,
        Some(other) => return Err(invalid("id", format!("{EXPECTED}, got {}", input::shown(other)))),
    };
    let got = || format!("{EXPECTED}, got \"{}\"", crate::domain::rejection::shorten(text));
    match uuid::Uuid::try_parse(text.trim()) {
        Ok(id) if crate::domain::ids::is_v7(&id) => Ok(Some(id)),
        Ok(id) => Err(invalid(
            "id",
            format!("{} (a UUID of version {})", got(), id.get_version_num()),
        )),
        Err(_) => Err(invalid("id", got())),
    }
}

pub(super) fn malformed(message: impl Into<String>) -> Rejection {
    Rejection::rule(Code::Malformed, message)
}

/// The line as a JSON object (serde_json's recursion limit refuses deep
/// nesting). A key repeated in any object of the line is `malformed`, named.
fn parse_object(text: &str) -> Decision<Map<String, Value>> {
    match serde_json::from_str::<strict::Strict>(text).map(|s| s.0) {
        Ok(Value::Object(map)) => Ok(map),
        Err(e) if e.to_string().starts_with(strict::REPEATED) => Err(malformed(format!(
            "{}: a key may appear once in an object",
            e.to_string().replace(" at line 1 column ", " at column ")
        ))),
        Ok(other) => Err(malformed(format!("expected a JSON object, got {}", kind(&other)))),
        // The input is one line, so serde_json's "line 1" says nothing.
        Err(e) => Err(malformed(format!(
            "not valid JSON: {}",
            e.to_string().replace(" at line 1 column ", " at column ")
        ))),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The line's `"as"`, when given (`null` counts as absent).
fn line_actor(map: &Map<String, Value>) -> Decision<Option<String>> {
    match map.get("as") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(invalid(
            "as",
            format!("expected an email, got {}", input::shown(other)),
        )),
    }
}

/// The line's `"at"`, when given (`null` counts as absent).
fn line_clock(map: &Map<String, Value>) -> Decision<Option<DateTime<Utc>>> {
    match map.get("at") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => parse_clock(s).map(Some).map_err(|m| invalid("at", m)),
        Some(other) => Err(invalid(
            "at",
            format!("{CLOCK_EXPECTED}, got {}", input::shown(other)),
        )),
    }
}
