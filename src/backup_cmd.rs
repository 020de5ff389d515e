//! `saps backup FILE` and `saps restore FILE` on the command line: exit 0
//! done, 1 refused (the target exists, the backup is damaged or too new),
//! 2 could not run (the database is in use, unreadable, ...).

use crate::fatal::Fatal;
use crate::settings::Settings;
use crate::store::backup::{self, BackupError, Summary};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// `saps backup FILE`: damaged or missing deliverable copies refuse the
/// backup (exit 1) unless `allow_missing_files`, which leaves them out and
/// says so.
pub fn backup(settings: &Settings, file: &Path, allow_missing_files: bool) -> Result<ExitCode, Fatal> {
    let outcome = backup::backup(&settings.db, file, allow_missing_files);
    finish(outcome, |s| {
        let mut line = format!("backup written to {}: {}", file.display(), describe(s));
        if !s.skipped.is_empty() {
            line.push_str(&format!(
                "\nsaps: left out {} damaged or missing deliverable file(s) ({}); run `saps check`",
                s.skipped.len(),
                s.skipped.join(", ")
            ));
        }
        line
    })
}

pub fn restore(settings: &Settings, file: &Path) -> Result<ExitCode, Fatal> {
    let outcome = backup::restore(file, &settings.db);
    finish(outcome, |s| {
        format!(
            "restored {} into {}: {}",
            file.display(),
            crate::store::shown(&settings.db),
            describe(s)
        )
    })
}

fn describe(s: &Summary) -> String {
    format!(
        "schema {}, {} keys in {} trees, {} deliverable files, {} bytes",
        s.schema, s.entries, s.trees, s.files, s.bytes
    )
}

fn finish(
    outcome: Result<Summary, BackupError>,
    done: impl Fn(&Summary) -> String,
) -> Result<ExitCode, Fatal> {
    match outcome {
        Ok(summary) => {
            let _ = writeln!(std::io::stdout(), "{}", done(&summary));
            Ok(ExitCode::SUCCESS)
        }
        Err(e) if e.is_refusal() => {
            let _ = writeln!(std::io::stderr(), "saps: {e}");
            Ok(ExitCode::from(1))
        }
        Err(e) => Err(Fatal(e.to_string())),
    }
}
