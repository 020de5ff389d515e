//! `saps packet export|import` and `saps bundle export|import` on the
//! command line: exit 0 done (or already imported), 1 refused with the
//! reason, 2 could not run (the database is in use, a file unreadable, ...).

use super::FieldError;
use crate::cli::{Fatal, Settings};
use crate::store::Store;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

pub fn packet_export(
    settings: &Settings,
    voucher_id: &str,
    consultant: Option<&str>,
    file: &Path,
) -> Result<ExitCode, Fatal> {
    let catalog = settings.load_catalog()?;
    let store = Store::open(&settings.db)?;
    let outcome = super::export_packet(&store, &catalog, settings.now(), voucher_id, consultant, file);
    finish(outcome.map(|s| s.message))
}

pub fn packet_import(settings: &Settings, file: &Path) -> Result<ExitCode, Fatal> {
    let catalog = settings.load_catalog()?;
    let store = Store::open(&settings.db)?;
    let outcome = super::import_packet(&store, &catalog, settings.now(), file);
    finish(outcome.map(|r| r.message))
}

pub fn bundle_export(settings: &Settings, voucher_id: &str, file: &Path) -> Result<ExitCode, Fatal> {
    let store = Store::open(&settings.db)?;
    let outcome = super::export_bundle(
        &store,
        settings.now(),
        voucher_id,
        settings.actor.as_deref(),
        file,
    );
    finish(outcome.map(|s| s.message))
}

pub fn bundle_import(settings: &Settings, file: &Path) -> Result<ExitCode, Fatal> {
    let catalog = settings.load_catalog()?;
    let store = Store::open(&settings.db)?;
    let outcome = super::import_bundle(&store, &catalog, settings.now(), settings.actor.as_deref(), file);
    finish(outcome.map(|r| r.message))
}

fn finish(outcome: Result<String, FieldError>) -> Result<ExitCode, Fatal> {
    match outcome {
        Ok(message) => {
            let _ = writeln!(std::io::stdout(), "{message}");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) if e.is_refusal() => {
            let _ = writeln!(std::io::stderr(), "saps: {e}");
            Ok(ExitCode::from(1))
        }
        Err(e) => Err(Fatal(e.to_string())),
    }
}
