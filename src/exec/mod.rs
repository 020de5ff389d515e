//! `saps exec [FILE|-]`: JSON-line commands through the domain, one output
//! line each, every accepted line committed before its output is printed.

mod lines;
mod output;

pub use lines::{Line, Lines, MAX_LINE};
pub use output::Output;

use crate::cli::{Fatal, Settings};
use crate::clock::{CLOCK_EXPECTED, parse_clock};
use crate::domain::{self, Catalog, Code, Command, Ctx, Decision, Recorded, Rejection, State};
use crate::input::{self, invalid};
use crate::store::Store;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::path::Path;

/// Runs the commands of `file` (standard input when `None`). Returns whether
/// every line was accepted; `Err` when the run could not start or go on.
pub fn run(settings: &Settings, file: Option<&Path>) -> Result<bool, Fatal> {
    let input = open_input(file)?;
    let catalog = settings.load_catalog()?;
    let store = Store::open(&settings.db)?;
    let state = store.working_state()?;
    let catalog = crate::field::catalog_for(&settings.db, &state, catalog);
    let mut session = Session {
        settings,
        catalog,
        store,
        state,
    };
    // Buffered: a group's answers go out in one write once it is durable.
    let out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    session.run(Lines::new(input), &mut Output::new(out))
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
/// Vouchers the working state may hold between groups.
const KEEP_VOUCHERS: usize = 4096;

/// Lines decided and applied but not yet durable: their outcomes wait, in
/// order, until one commit makes the accepted ones durable.
#[derive(Default)]
struct Group {
    outcomes: Vec<(u64, Decision<Vec<Recorded>>)>,
    recorded: Vec<Recorded>,
}

/// What a run holds: a working state, kept in step with the store. It
/// starts with the organisation only; each line adds the records it names
/// (`Store::hydrate`), and they are forgotten again once the group holding
/// them is committed and too many have gathered.
struct Session<'a> {
    settings: &'a Settings,
    catalog: Catalog,
    store: Store,
    state: State,
}

/// One line's command with the user and the clock it runs under.
pub struct Request {
    pub command: Command,
    pub actor: Option<String>,
    pub now: DateTime<Utc>,
}

impl Session<'_> {
    /// Group commit: lines that are already waiting are decided and applied
    /// one by one, then committed together (one atomic write, flushed and
    /// synced), and only then answered. An answer still means durable; a
    /// line that arrives alone is committed alone, without waiting.
    fn run<R: Read, W: Write>(
        &mut self,
        mut lines: Lines<BufReader<R>>,
        out: &mut Output<W>,
    ) -> Result<bool, Fatal> {
        let mut all_accepted = true;
        let mut group = Group::default();
        while let Some((n, line)) = lines
            .next_line()
            .map_err(|e| Fatal(format!("cannot read the input: {e}")))?
        {
            if let Some(outcome) = self.handle(n, line)? {
                all_accepted &= outcome.is_ok();
                if let Ok(events) = &outcome {
                    group.recorded.extend(events.iter().cloned());
                }
                group.outcomes.push((n, outcome));
            }
            if group.outcomes.len() >= GROUP || !lines.line_waiting() {
                self.answer(&mut group, out)?;
            }
        }
        self.answer(&mut group, out)?;
        Ok(all_accepted)
    }

    /// Commits the group's events, then prints its answers.
    fn answer<W: Write>(&mut self, group: &mut Group, out: &mut Output<W>) -> Result<(), Fatal> {
        if group.outcomes.is_empty() {
            return Ok(());
        }
        if let Err(e) = self.store.commit(&self.state, &group.recorded) {
            let first = group.outcomes.first().map_or(0, |(n, _)| *n);
            return Err(Fatal(format!("lines from {first} on were not saved: {e}")));
        }
        let written: std::io::Result<()> = group
            .outcomes
            .iter()
            .try_for_each(|(n, outcome)| match outcome {
                Ok(events) => out.accepted(*n, events),
                Err(rejection) => out.refused(*n, rejection),
            })
            .and_then(|_| out.flush());
        written.map_err(|e| Fatal(format!("cannot write the output: {e}")))?;
        *group = Group::default();
        if self.state.vouchers.len() > KEEP_VOUCHERS {
            self.state.forget_records();
        }
        Ok(())
    }

    /// `None` for a blank line; otherwise the line's outcome (applied to the
    /// state, not yet committed). `Err` when a deliverable could not be kept.
    fn handle(&mut self, n: u64, line: Line) -> Result<Option<Decision<Vec<Recorded>>>, Fatal> {
        let text = match line {
            Line::TooLong => return Ok(Some(Err(malformed("line is longer than 1 MiB")))),
            Line::NotUtf8 => return Ok(Some(Err(malformed("line is not valid UTF-8")))),
            Line::Text(t) => t,
        };
        let text = if n == 1 {
            text.strip_prefix('\u{feff}').unwrap_or(&text)
        } else {
            &text
        };
        if text.trim().is_empty() {
            return Ok(None);
        }
        match parse_request(text, self.settings) {
            Ok(request) => self.execute(n, &request).map(Some),
            Err(rejection) => Ok(Some(Err(rejection))),
        }
    }

    /// Decides and applies the command (the group commit makes it durable).
    fn execute(&mut self, n: u64, req: &Request) -> Result<Decision<Vec<Recorded>>, Fatal> {
        let ctx = Ctx {
            now: req.now,
            actor: req.actor.as_deref(),
            catalog: &self.catalog,
        };
        if let Err(e) = self.store.hydrate(&mut self.state, &req.command.names()) {
            return Err(Fatal(format!(
                "line {n} could not be read against the database: {e}"
            )));
        }
        let command = match crate::deliverable::attach_deliverable(
            self.store.path(),
            &self.state,
            &req.command,
            &ctx,
        ) {
            Ok(Ok(command)) => command,
            Ok(Err(rejection)) => return Ok(Err(rejection)),
            Err(Fatal(e)) => return Err(Fatal(format!("line {n} was not saved: {e}"))),
        };
        Ok(domain::execute(&mut self.state, &command, &ctx))
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
    Ok(Request { command, actor, now })
}

fn malformed(message: impl Into<String>) -> Rejection {
    Rejection::rule(Code::Malformed, message)
}

/// The line as a JSON object (serde_json's recursion limit refuses deep nesting).
fn parse_object(text: &str) -> Decision<Map<String, Value>> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
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
