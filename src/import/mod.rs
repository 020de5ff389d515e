//! `saps import FILE [--dry-run]`: customers and vouchers from a partner's
//! own spreadsheet (CSV or .xlsx). Each row is one command (`add_customer`,
//! or `receive_voucher` when it has a voucher ID) built as the JSON object
//! `saps exec` would read, parsed by `input::parse_line` and run through the
//! session like an exec line, in order, so a voucher may name a customer
//! added rows above. A dry run decides every row the same way on a working
//! state that is never committed.

mod columns;
pub mod table;

pub use columns::{Columns, field_of};
pub use table::{Cell, Table};

use crate::domain::Rejection;
use crate::exec::Ended;
use crate::fatal::Fatal;
use crate::session::{Halt, Outcome, Request, Session};
use crate::settings::Settings;
use chrono::{DateTime, Utc};
use std::fmt;
use std::io::{self, Write};
use std::path::Path;

/// Rows decided before one commit at most (as `saps exec` groups lines).
const GROUP: usize = 1000;

/// One row's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub row: u64,
    /// The command the row was, when it got that far.
    pub cmd: Option<&'static str>,
    pub outcome: Result<(), Refusal>,
}

/// A refused row: the rule, and the column it is about when there is one.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub place: Option<String>,
    pub rejection: Rejection,
}

impl fmt::Display for Answer {
    /// `row 4: ok, add_customer` or `row 9, column E "Days": invalid_input: days: ...`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "row {}", self.row)?;
        match &self.outcome {
            Ok(()) => write!(f, ": ok, {}", self.cmd.unwrap_or("")),
            Err(r) => {
                if let Some(place) = &r.place {
                    write!(f, ", {place}")?;
                }
                write!(f, ": {}: {}", r.rejection.code, r.rejection.message)
            }
        }
    }
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub accepted: usize,
    pub rejected: usize,
    pub dry_run: bool,
    /// Columns whose header names no field, as `Notes (F)`.
    pub ignored: Vec<String>,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rows = self.accepted + self.rejected;
        write!(
            f,
            "{rows} rows: {} accepted, {} rejected",
            self.accepted, self.rejected
        )?;
        if self.dry_run {
            f.write_str(" (dry run: nothing was written)")?;
        }
        if !self.ignored.is_empty() {
            write!(f, "; columns not read: {}", self.ignored.join(", "))?;
        }
        Ok(())
    }
}

/// Who runs the rows, and when.
#[derive(Debug, Clone, Copy)]
pub struct Who<'a> {
    pub actor: Option<&'a str>,
    pub now: DateTime<Utc>,
}

/// Runs every row of `table` through `session`, calling `each` with each
/// row's answer in row order. Accepted rows are committed a group at a
/// time before they are answered; with `dry_run` nothing is committed (the
/// session's staged work is discarded at the end). `Err` when the header
/// cannot be used (a sentence), the session could not go on, or `each`
/// failed (the rows after that group are not run).
pub fn rows(
    session: &mut Session,
    table: &Table,
    who: Who,
    dry_run: bool,
    mut each: impl FnMut(&Answer) -> io::Result<()>,
) -> Result<Summary, ImportError> {
    let columns = Columns::new(&table.header).map_err(ImportError::Header)?;
    let mut summary = Summary {
        dry_run,
        ignored: columns.ignored.clone(),
        ..Summary::default()
    };
    let mut group: Vec<Answer> = Vec::new();
    let mut staged: Vec<usize> = Vec::new();
    let mut finish = |session: &mut Session, group: &mut Vec<Answer>, staged: &mut Vec<usize>| {
        if !dry_run && !staged.is_empty() {
            let outcomes = session.commit().map_err(ImportError::Halt)?;
            for (i, outcome) in staged.iter().zip(outcomes) {
                group[*i].outcome = refusal(&columns, outcome);
            }
        }
        for a in group.iter() {
            match a.outcome {
                Ok(()) => summary.accepted += 1,
                Err(_) => summary.rejected += 1,
            }
            each(a).map_err(|e| ImportError::Unanswered {
                rows: (group[0].row, group[group.len() - 1].row),
                detail: e.to_string(),
            })?;
        }
        group.clear();
        staged.clear();
        Ok::<(), ImportError>(())
    };
    for (i, (row, cells)) in table.rows.iter().enumerate() {
        if group.is_empty() {
            // The records the next group's rows read, at once.
            let names: Vec<crate::domain::Names> = table.rows[i..]
                .iter()
                .take(GROUP)
                .filter_map(|(_, cells)| parse(&columns, cells)?.ok())
                .map(|(_, c)| c.names())
                .collect();
            session.prefetch(&names).map_err(ImportError::Halt)?;
        }
        let Some(parsed) = parse(&columns, cells) else {
            continue;
        };
        let answer = match parsed {
            Err(rejection) => Answer {
                row: *row,
                cmd: None,
                outcome: Err(place(&columns, rejection)),
            },
            Ok((cmd, command)) => {
                let req = Request::new(command, who.actor.map(str::to_owned), who.now);
                let outcome = session.stage(req).map_err(ImportError::Halt)?.clone();
                staged.push(group.len());
                Answer {
                    row: *row,
                    cmd: Some(cmd),
                    outcome: refusal(&columns, outcome),
                }
            }
        };
        group.push(answer);
        if staged.len() >= GROUP {
            finish(session, &mut group, &mut staged)?;
        }
    }
    finish(session, &mut group, &mut staged)?;
    if dry_run {
        session.discard();
    }
    Ok(summary)
}

fn refusal(columns: &Columns, outcome: Outcome) -> Result<(), Refusal> {
    outcome.map(|_| ()).map_err(|r| place(columns, r))
}

fn place(columns: &Columns, rejection: Rejection) -> Refusal {
    Refusal {
        place: rejection.field.and_then(|f| columns.place(f)),
        rejection,
    }
}

/// Why an import stopped.
#[derive(Debug)]
pub enum ImportError {
    /// The header row cannot be used.
    Header(String),
    Halt(Halt),
    /// The rows from `rows.0` to `rows.1` were run (and, unless a dry run,
    /// saved) but their answers could not be given.
    Unanswered {
        rows: (u64, u64),
        detail: String,
    },
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Header(m) => f.write_str(m),
            ImportError::Halt(h) => write!(f, "rows not saved since the last commit: {h}"),
            ImportError::Unanswered { rows, detail } => write!(
                f,
                "rows {} to {} were run but their answers could not be written ({detail}); the rows after them were not run",
                rows.0, rows.1
            ),
        }
    }
}

/// `saps import FILE [--dry-run]`: prints one line per row and a summary.
/// Ends as `exec` does: all accepted, some refused, or rows saved whose
/// answers could not be written.
pub fn run(settings: &Settings, file: &Path, dry_run: bool) -> Result<Ended, Fatal> {
    let table = table::read(file).map_err(Fatal)?;
    crate::settings::existing_database(&settings.db, "import into")?;
    let catalog = settings.load_catalog()?;
    let store = crate::store::open_existing(&settings.db)?;
    let state = store.working_state()?;
    let catalog = crate::field::catalog_for(&settings.db, &state, catalog);
    let mut session = Session::open(store, catalog)?;
    let who = Who {
        actor: settings.actor.as_deref(),
        now: settings.now(),
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    let lost = |sentence: String| {
        // Saved rows without their answers: exit 3, as exec's lines.
        if dry_run {
            Err(Fatal(sentence))
        } else {
            Ok(Ended::AnswersLost(format!(
                "{sentence} (`saps export` shows what the database holds)"
            )))
        }
    };
    let summary = match rows(&mut session, &table, who, dry_run, |a| {
        writeln!(out, "{a}").and_then(|()| out.flush())
    }) {
        Ok(summary) => summary,
        Err(e @ ImportError::Unanswered { .. }) => return lost(format!("{}: {e}", file.display())),
        Err(e) => return Err(Fatal(format!("{}: {e}", file.display()))),
    };
    if let Err(e) = writeln!(out, "{summary}").and_then(|()| out.flush()) {
        return lost(format!(
            "the rows were run but the summary could not be written ({e})"
        ));
    }
    Ok(if summary.rejected == 0 {
        Ended::AllAccepted
    } else {
        Ended::SomeRefused
    })
}

/// The command a row asks for (and its name), or why it cannot be read;
/// `None` for a row that asks for nothing.
fn parse(
    columns: &Columns,
    cells: &[table::Cell],
) -> Option<crate::domain::Decision<(&'static str, crate::domain::Command)>> {
    let map = columns.command(cells)?;
    Some(map.and_then(|m| {
        let cmd = match m.get("cmd").and_then(|c| c.as_str()) {
            Some("receive_voucher") => "receive_voucher",
            _ => "add_customer",
        };
        crate::input::parse_line(&m).map(|c| (cmd, c))
    }))
}
