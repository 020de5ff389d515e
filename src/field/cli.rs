//! `saps packet export|import` and `saps bundle export|import` on the
//! command line: exit 0 done (or already imported), 1 refused with the
//! reason, 2 could not run (the database is in use, a file unreadable, ...).
//!
//! Every file is read and checked before a database is opened. Only
//! `packet import` may create a database (the field one, for its first
//! packet), and never for a packet it refuses.

use super::FieldError;
use crate::domain::rules::field::packet_exporter;
use crate::domain::{Ctx, State};
use crate::fatal::Fatal;
use crate::session::Session;
use crate::settings::{Settings, existing_database};
use crate::store::{StoreError, open, open_existing};
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
    existing_database(&settings.db, "write a packet from")?;
    let store = open_existing(&settings.db)?;
    // Handing an engagement out is an admin's, as on the desk.
    let ctx = Ctx {
        now: settings.now(),
        actor: settings.actor.as_deref(),
        catalog: &catalog,
    };
    if let Err(r) = packet_exporter(&store.working_state()?, &ctx) {
        return finish(Err(r.into()));
    }
    let outcome = super::export_packet(&*store, &catalog, settings.now(), voucher_id, consultant, file);
    finish(outcome.map(|s| s.message))
}

pub fn packet_import(settings: &Settings, file: &Path) -> Result<ExitCode, Fatal> {
    let catalog = settings.load_catalog()?;
    let now = settings.now();
    let db = &settings.db;
    let existed = db.exists();
    // The file first, and where there is no database yet the domain too
    // (on an empty one): a refused packet creates no database.
    let checked = super::read_packet(file).and_then(|p| {
        if !existed {
            super::check_packet(&State::default(), &catalog, now, &p)?;
        }
        Ok(p)
    });
    let packet = match checked {
        Ok(p) => p,
        Err(e) => return finish(Err(e)),
    };
    let session = open(db).and_then(|store| Session::open(store, catalog));
    let mut session = session.inspect_err(|e| {
        // In use means another saps made it meanwhile: not ours to remove.
        if !existed && !matches!(e, StoreError::Locked { .. }) {
            remove_created(db);
        }
    })?;
    let outcome = super::import_read_packet(&mut session, now, &packet);
    if !existed && !outcome.as_ref().is_ok_and(|r| r.changed()) {
        // Nothing committed: leave no database behind.
        drop(session);
        remove_created(db);
    }
    finish(outcome.map(|r| r.message))
}

pub fn bundle_export(settings: &Settings, voucher_id: &str, file: &Path) -> Result<ExitCode, Fatal> {
    existing_database(&settings.db, "write a bundle from")?;
    let store = open_existing(&settings.db)?;
    let outcome = super::export_bundle(
        &*store,
        settings.now(),
        voucher_id,
        settings.actor.as_deref(),
        file,
    );
    finish(outcome.map(|s| s.message))
}

pub fn bundle_import(settings: &Settings, file: &Path) -> Result<ExitCode, Fatal> {
    let catalog = settings.load_catalog()?;
    existing_database(&settings.db, "import a bundle into")?;
    let bundle = match super::read_bundle(file) {
        Ok(b) => b,
        Err(e) => return finish(Err(e)),
    };
    let mut session = Session::open(open_existing(&settings.db)?, catalog)?;
    let outcome = super::import_read_bundle(&mut session, settings.now(), settings.actor.as_deref(), &bundle);
    finish(outcome.map(|r| r.message))
}

/// Removes a database this command created and committed nothing to. The
/// store's background flusher may still be closing its files: a few tries.
fn remove_created(db: &Path) {
    for _ in 0..50 {
        match std::fs::remove_dir_all(db) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                std::thread::sleep(std::time::Duration::from_millis(20))
            }
            _ if db.exists() => std::thread::sleep(std::time::Duration::from_millis(20)),
            _ => return,
        }
    }
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
