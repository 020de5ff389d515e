//! `saps exec [FILE|-]`: JSON-line commands through the domain, one output
//! line each, every accepted line committed before its output is printed.

mod lines;
mod output;
mod request;
mod strict;

pub use lines::{Line, Lines, MAX_LINE};
pub use output::Output;
use request::malformed;
pub use request::parse_request;

use crate::domain::{Decision, Rejection};
use crate::fatal::Fatal;
pub use crate::session::Request;
use crate::session::{Landed, Outcome, Session};
use crate::settings::Settings;
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
    let mut run = Run {
        settings,
        session,
        flying: Vec::new(),
        from_file: file.is_some_and(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file())),
    };
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
    /// The lines of the batch the session has in flight (`flight.rs`).
    flying: Vec<(u64, Waiting)>,
    /// The input is a regular file: more lines follow until its end,
    /// whether or not they are read yet (on standard input or a pipe, only
    /// those already there).
    from_file: bool,
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
                let more = self.from_file || lines.line_waiting();
                all_accepted &= self.group(std::mem::take(&mut pending), more, out)?;
            }
        }
        all_accepted &= self.group(pending, false, out)?;
        all_accepted &= self.land(out)?;
        Ok(all_accepted)
    }

    /// Stages a group of parsed lines (their records read first, at once:
    /// [`Session::prefetch`]), then commits and answers them.
    ///
    /// While a group is staged, the one before it may still be in flight
    /// (on a server: `session/flight.rs`): it lands, and is answered, once
    /// this one is decided; this one is sent in turn when `more` lines are
    /// waiting, else committed and answered now.
    fn group<W: Write>(
        &mut self,
        pending: Vec<(u64, Decision<Request>)>,
        more: bool,
        out: &mut Output<W>,
    ) -> Result<bool, Stop> {
        if pending.is_empty() {
            return Ok(true);
        }
        let names: Vec<_> = pending
            .iter()
            .filter_map(|(_, p)| p.as_ref().ok().map(|r| r.command.names()))
            .collect();
        if names.len() > 1
            && let Err(e) = self.session.prefetch(&names)
        {
            let lines: Vec<(u64, Waiting)> = pending.iter().map(|(n, _)| (*n, Waiting::Staged)).collect();
            return Err(self.halted(format!("{} not saved: {e}", lines_of(&lines, None)), out));
        }
        let mut group: Vec<(u64, Waiting)> = Vec::with_capacity(pending.len());
        for (n, parsed) in pending {
            let waiting = match parsed {
                Ok(request) => match self.session.stage(request) {
                    Ok(_) => Waiting::Staged,
                    Err(e) => {
                        return Err(self.halted(format!("{} not saved: {e}", lines_of(&group, Some(n))), out));
                    }
                },
                Err(rejection) => Waiting::Refused(rejection),
            };
            group.push((n, waiting));
        }
        let mut all_accepted = true;
        if !self.flying.is_empty() {
            let mut flying = std::mem::take(&mut self.flying);
            let landed = self.session.land().map_err(|e| {
                let both: Vec<(u64, Waiting)> = flying.drain(..).chain(group.drain(..)).collect();
                Fatal(format!("{} not saved: {e}", lines_of(&both, None)))
            })?;
            match landed {
                Landed::Alone(outcomes) => all_accepted &= print(&mut flying, outcomes, out)?,
                Landed::WithStaged(outcomes) => {
                    // Saved together, so answered together: answers that
                    // cannot be written name both groups' lines.
                    let mut both: Vec<(u64, Waiting)> = flying.drain(..).chain(group.drain(..)).collect();
                    return Ok(all_accepted & print(&mut both, outcomes, out)?);
                }
            }
        }
        if more && self.session.may_send() {
            self.session
                .send()
                .map_err(|e| Fatal(format!("{} not saved: {e}", lines_of(&group, None))))?;
            self.flying = group;
            return Ok(all_accepted);
        }
        Ok(all_accepted & self.answer(&mut group, out)?)
    }

    /// Lands the batch in flight, if any, and answers its lines.
    fn land<W: Write>(&mut self, out: &mut Output<W>) -> Result<bool, Stop> {
        if self.flying.is_empty() {
            return Ok(true);
        }
        let mut flying = std::mem::take(&mut self.flying);
        match self.session.land() {
            // (Nothing is staged here: the flight's outcomes are all.)
            Ok(Landed::Alone(outcomes) | Landed::WithStaged(outcomes)) => print(&mut flying, outcomes, out),
            Err(e) => Err(Fatal(format!("{} not saved: {e}", lines_of(&flying, None))).into()),
        }
    }

    /// A group that could not be staged: the batch in flight lands and is
    /// answered first (its lines may well be saved), then the run stops
    /// with `sentence`.
    fn halted<W: Write>(&mut self, sentence: String, out: &mut Output<W>) -> Stop {
        match self.land(out) {
            Ok(_) => Fatal(sentence).into(),
            Err(stop) => stop,
        }
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
        print(group, outcomes, out)
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

/// Prints the answers of a group's lines, `outcomes` those of its staged
/// ones in order; whether every line was accepted.
fn print<W: Write>(
    group: &mut Vec<(u64, Waiting)>,
    outcomes: Vec<(Outcome, bool)>,
    out: &mut Output<W>,
) -> Result<bool, Stop> {
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
