//! `saps exec [FILE|-]`: JSON-line commands through the domain, one output
//! line each, every accepted line committed before its output is printed.

mod lines;
mod output;
mod strict;

pub use lines::{Line, Lines, MAX_LINE};
pub use output::Output;

use crate::clock::{CLOCK_EXPECTED, parse_clock};
use crate::domain::{Code, Decision, Rejection};
use crate::fatal::Fatal;
use crate::input::{self, invalid};
pub use crate::session::Request;
use crate::session::Session;
use crate::settings::Settings;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::path::Path;

/// How a run ended, as far as its exit status goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ended {
    /// Every line was accepted (exit 0).
    AllAccepted,
    /// Some lines were refused (exit 1).
    SomeRefused,
    /// Lines were applied and saved, but their answers could not be written
    /// (standard output closed or full): exit [`ANSWERS_LOST`], this sentence.
    AnswersLost(String),
}

/// The exit status of a run whose saved lines could not be answered: not 2
/// ("could not start"), since lines were applied, and not 0 or 1, since a
/// script cannot know which were refused.
pub const ANSWERS_LOST: u8 = 3;

/// Why a run stopped early.
enum Stop {
    Fatal(Fatal),
    AnswersLost(String),
}

impl From<Fatal> for Stop {
    fn from(f: Fatal) -> Stop {
        Stop::Fatal(f)
    }
}

/// Runs the commands of `file` (standard input when `None`); `Err` when the
/// run could not start or go on.
pub fn run(settings: &Settings, file: Option<&Path>) -> Result<Ended, Fatal> {
    let input = open_input(file)?;
    let catalog = settings.load_catalog()?;
    let store = crate::store::open(&settings.db)?;
    let state = store.working_state()?;
    let catalog = crate::field::catalog_for(&settings.db, &state, catalog);
    let session = Session::open(store, catalog)?;
    let mut run = Run { settings, session };
    // Buffered: a group's answers go out in one write once it is durable.
    let out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    match run.run(Lines::new(input), &mut Output::new(out)) {
        Ok(true) => Ok(Ended::AllAccepted),
        Ok(false) => Ok(Ended::SomeRefused),
        Err(Stop::AnswersLost(sentence)) => Ok(Ended::AnswersLost(sentence)),
        Err(Stop::Fatal(f)) => Err(f),
    }
}

/// The input, buffered here (not by stdin) so that `Lines::line_waiting`
/// can see what has arrived without blocking.
fn open_input(file: Option<&Path>) -> Result<BufReader<Box<dyn Read>>, Fatal> {
    let inner: Box<dyn Read> = match file {
        None => Box::new(io::stdin()),
        Some(path) => Box::new(
            File::open(path)
                .map_err(|e| Fatal(format!("cannot read the input file {}: {e}", path.display())))?,
        ),
    };
    Ok(BufReader::with_capacity(INPUT_BUFFER, inner))
}

/// Input read ahead at most; what is buffered is what a group may take.
const INPUT_BUFFER: usize = 1 << 20;
/// Lines answered by one commit at most.
const GROUP: usize = 1000;

/// A line's answer while its group waits for the commit: refused before it
/// reached the session (not JSON, a missing field), or staged there.
enum Waiting {
    Refused(Rejection),
    Staged,
}

/// What a run holds: the session every line goes through.
struct Run<'a> {
    settings: &'a Settings,
    session: Session,
}

impl Run<'_> {
    /// Group commit: lines that are already waiting are staged one by one,
    /// then committed together (one atomic write, flushed and synced), and
    /// only then answered. An answer still means durable; a line that
    /// arrives alone is committed alone, without waiting.
    fn run<R: Read, W: Write>(
        &mut self,
        mut lines: Lines<BufReader<R>>,
        out: &mut Output<W>,
    ) -> Result<bool, Stop> {
        let mut all_accepted = true;
        let mut pending: Vec<(u64, Decision<Request>)> = Vec::new();
        while let Some((n, line)) = lines
            .next_line()
            .map_err(|e| Fatal(format!("cannot read the input: {e}")))?
        {
            if let Some(parsed) = self.parse(n, line) {
                pending.push((n, parsed));
            }
            if pending.len() >= GROUP || !lines.line_waiting() {
                all_accepted &= self.group(std::mem::take(&mut pending), out)?;
            }
        }
        all_accepted &= self.group(pending, out)?;
        Ok(all_accepted)
    }

    /// Stages a group of parsed lines (their records read first, at once:
    /// [`Session::prefetch`]), then commits and answers them.
    fn group<W: Write>(
        &mut self,
        pending: Vec<(u64, Decision<Request>)>,
        out: &mut Output<W>,
    ) -> Result<bool, Stop> {
        if pending.is_empty() {
            return Ok(true);
        }
        let names: Vec<_> = pending
            .iter()
            .filter_map(|(_, p)| p.as_ref().ok().map(|r| r.command.names()))
            .collect();
        if names.len() > 1 {
            self.session.prefetch(&names).map_err(|e| {
                let lines: Vec<(u64, Waiting)> = pending.iter().map(|(n, _)| (*n, Waiting::Staged)).collect();
                Fatal(format!("{} not saved: {e}", lines_of(&lines, None)))
            })?;
        }
        let mut group: Vec<(u64, Waiting)> = Vec::with_capacity(pending.len());
        for (n, parsed) in pending {
            let waiting = match parsed {
                Ok(request) => match self.session.stage(request) {
                    Ok(_) => Waiting::Staged,
                    Err(e) => {
                        return Err(Fatal(format!("{} not saved: {e}", lines_of(&group, Some(n)))).into());
                    }
                },
                Err(rejection) => Waiting::Refused(rejection),
            };
            group.push((n, waiting));
        }
        self.answer(&mut group, out)
    }

    /// Commits the group's staged lines, then prints every answer. Returns
    /// whether every line was accepted.
    fn answer<W: Write>(
        &mut self,
        group: &mut Vec<(u64, Waiting)>,
        out: &mut Output<W>,
    ) -> Result<bool, Stop> {
        if group.is_empty() {
            return Ok(true);
        }
        let outcomes = self
            .session
            .commit_marked()
            .map_err(|e| Fatal(format!("{} not saved: {e}", lines_of(group, None))))?;
        let mut outcomes = outcomes.into_iter();
        let mut all_accepted = true;
        let written: std::io::Result<()> = group
            .iter()
            .try_for_each(|(n, waiting)| {
                let (outcome, replayed) = match waiting {
                    Waiting::Refused(rejection) => (Err(rejection.clone()), false),
                    Waiting::Staged => outcomes.next().unwrap_or_else(|| (Ok(Vec::new()), false)),
                };
                all_accepted &= outcome.is_ok();
                match &outcome {
                    Ok(events) => out.accepted(*n, events, replayed),
                    Err(rejection) => out.refused(*n, rejection),
                }
            })
            .and_then(|_| out.flush());
        written.map_err(|e| {
            // Saved, not answered: the run stops here (see `ANSWERS_LOST`).
            let lines = lines_of(group, None);
            Stop::AnswersLost(format!(
                "{lines} applied and saved, but the answers could not be written to the output ({e}); the lines after them were not run (`saps export` shows what the database holds)"
            ))
        })?;
        group.clear();
        Ok(all_accepted)
    }

    /// `None` for a blank line; otherwise the request it asks for, or why
    /// it is refused before it reaches the session.
    fn parse(&self, n: u64, line: Line) -> Option<Decision<Request>> {
        let text = match line {
            Line::TooLong => return Some(Err(malformed("line is longer than 1 MiB"))),
            Line::NotUtf8 => return Some(Err(malformed("line is not valid UTF-8"))),
            Line::Text(t) => t,
        };
        let text = if n == 1 {
            text.strip_prefix('\u{feff}').unwrap_or(&text)
        } else {
            &text
        };
        if text.trim().is_empty() {
            return None;
        }
        Some(parse_request(text, self.settings))
    }
}

/// The lines of a group that a failure leaves unsaved, in words: "line 7
/// was", "lines 3 to 7 were".
fn lines_of(group: &[(u64, Waiting)], failed: Option<u64>) -> String {
    let mut ns = group.iter().map(|(n, _)| *n).chain(failed);
    let first = ns.next().unwrap_or(0);
    match ns.last() {
        Some(last) if last != first => format!("lines {first} to {last} were"),
        _ => format!("line {first} was"),
    }
}

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

fn malformed(message: impl Into<String>) -> Rejection {
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
