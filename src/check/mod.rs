//! `saps check`: is the database sound?
//!
//! 1. Every stored value of every tree is read and decoded (`scan.rs`).
//! 2. The records are rebuilt from the audit log and compared with the stored
//!    ones, record by record ([`replay`]).
//! 3. The rules every state keeps hold on the clock's day ([`invariants`]),
//!    and the event seqs run 1, 2, 3, ... without a gap.
//! 4. Every deliverable a report names is stored and matches its hash.
//!
//! Steps 2 and 3 are pure and reusable by tests. A sound database is first
//! checked without holding it (`quick.rs`); the steps above run on the
//! whole state only when that finds a doubt, to name every problem.

mod digest;
mod index;
pub mod invariants;
mod quick;
pub mod replay;
mod scan;

use crate::domain::State;
use crate::fatal::Fatal;
use crate::settings::Settings;
use crate::store::{Store, files};
use chrono::NaiveDate;
use std::fmt;
use std::io::Write;

/// One thing wrong, and with what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub subject: String,
    pub problem: String,
}

impl Finding {
    pub fn new(subject: impl Into<String>, problem: impl Into<String>) -> Finding {
        Finding {
            subject: subject.into(),
            problem: problem.into(),
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.subject, self.problem)
    }
}

/// What `saps check` found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub events: usize,
    pub customers: usize,
    pub vouchers: usize,
    pub invoices: usize,
    pub deliverables: usize,
}

impl Report {
    pub fn healthy(&self) -> bool {
        self.findings.is_empty()
    }

    /// "healthy: 20 events, 1 customer, ..." or the list of findings.
    pub fn render(&self) -> String {
        let counts = format!(
            "{}, {}, {}, {}, {}",
            count(self.events, "event"),
            count(self.customers, "customer"),
            count(self.vouchers, "voucher"),
            count(self.invoices, "payment request"),
            count(self.deliverables, "deliverable file"),
        );
        if self.healthy() {
            return format!("healthy: {counts}\n");
        }
        let mut out = format!("{} ({counts} read):\n", count(self.findings.len(), "problem"));
        for f in &self.findings {
            out.push_str(&format!("- {f}\n"));
        }
        out
    }
}

fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// The streamed check alone: `Some` only for a sound database.
pub fn check_streamed(store: &Store, today: NaiveDate) -> Option<Report> {
    quick::check(store, today)
}

/// Checks an open database on `today`: first walking it in bounded memory
/// (`quick.rs`), which can only say "sound"; when it cannot, the whole
/// state is loaded and every problem named ([`check_whole`]).
pub fn check(store: &Store, today: NaiveDate) -> Report {
    quick::check(store, today).unwrap_or_else(|| check_whole(store, today))
}

/// Checks an open database on `today` with every record in memory; names
/// every problem.
pub fn check_whole(store: &Store, today: NaiveDate) -> Report {
    let scan = scan::scan(store);
    let mut findings = scan.findings;
    let scan_clean = findings.is_empty();
    // What the program itself loads must agree with what the scan read.
    let stored: State = match store.load() {
        Ok(state) => state,
        Err(e) => {
            if scan_clean {
                findings.push(Finding::new("the records", e.to_string()));
            }
            scan.state
        }
    };
    if let Err(e) = store.events()
        && scan_clean
    {
        findings.push(Finding::new("the audit log", e.to_string()));
    }
    findings.extend(invariants::seqs_contiguous(scan.events.iter().map(|r| r.seq)));
    findings.extend(replay::compare(&stored, &replay::replay(&scan.events)));
    findings.extend(invariants::check_state(&stored, today));
    findings.extend(index::compare(
        &scan.index,
        &crate::store::index::expected(&stored),
    ));
    let mut deliverables = 0;
    for v in stored.vouchers.values() {
        let Some(a) = v.report.as_ref().and_then(|r| r.fields.deliverable.as_ref()) else {
            continue;
        };
        deliverables += 1;
        if let Err(e) = files::verify(store.path(), a) {
            let problem = match e {
                files::FileError::Damaged { detail, .. } => {
                    format!("its deliverable {} ({}) is damaged: {detail}", a.name, a.sha256)
                }
                other => other.to_string(),
            };
            findings.push(Finding::new(format!("voucher {}", v.voucher_id), problem));
        }
    }
    Report {
        findings,
        events: scan.events.len(),
        customers: stored.customers.len(),
        vouchers: stored.vouchers.len(),
        invoices: stored.invoices.len(),
        deliverables,
    }
}

/// A throwaway sled copy (`copy.db` inside it) of the server database `db`.
fn copy_of_server(db: &std::path::Path) -> Result<crate::scratch::TempDir, Fatal> {
    let scratch = crate::scratch::TempDir::new("saps-check")?;
    let file = scratch.0.join("copy.sapsbak");
    let copy =
        |e: crate::store::backup::BackupError| Fatal(format!("cannot copy the database to check it: {e}"));
    crate::store::backup::backup(db, &file, true).map_err(copy)?;
    crate::store::backup::restore(&file, &scratch.0.join("copy.db")).map_err(copy)?;
    Ok(scratch)
}

/// `saps check`: prints the report; `Ok(true)` when healthy.
pub fn run(settings: &Settings) -> Result<bool, Fatal> {
    let today = settings.now().date_naive();
    crate::settings::existing_database(&settings.db, "check")?;
    // A server's database is checked on a copy of its bytes: backed up and
    // restored into a throwaway sled database, every value decoded, the log
    // replayed against the records, the rules' invariants checked.
    let scratch = match crate::store::is_server(&settings.db) {
        true => Some(copy_of_server(&settings.db)?),
        false => None,
    };
    let db = scratch
        .as_ref()
        .map_or(settings.db.clone(), |s| s.0.join("copy.db"));
    let store = Store::open_scan(&db)?;
    let report = check(&store, today);
    drop(store);
    let _ = std::io::stdout().write_all(report.render().as_bytes());
    if !report.healthy() {
        let _ = writeln!(
            std::io::stderr(),
            "saps: the database {} has {}; see the list above, and `saps restore` a backup into a new --db path if the data is needed",
            crate::store::shown(&settings.db),
            count(report.findings.len(), "problem")
        );
    }
    Ok(report.healthy())
}
