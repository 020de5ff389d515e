//! Consultants in the field: the engagement packet (office → consultant) and
//! the completion-report bundle (consultant → office), one file each way.
//!
//! Every decision is the domain's (`domain::rules::field`): these functions
//! read and write the files, check their hashes, and commit what the domain
//! accepted. Nothing is copied or committed before everything is checked.
//!
//! For the desk: [`field_owner`] tells whether a database is a field
//! database and whose; [`field_catalog`] is the catalog to check its reports
//! with; the four functions below are the two files each way.

mod bundle;
pub mod cli;
pub mod file_format;
mod packet;

pub use bundle::{Bundle, export_bundle, import_bundle, import_read_bundle, read_bundle};
pub use packet::{Packet, check_packet, export_packet, import_packet, import_read_packet, read_packet};

use crate::domain::catalog::{Engagement, Offering};
use crate::domain::records::User;
use crate::domain::state::voucher_key;
use crate::domain::{Catalog, Names, Recorded, Rejection, State};
use crate::session::{Halt, Request, Session};
use crate::store::Backend;
use crate::store::StoreError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::{Path, PathBuf};

/// The directory, inside a field database's, that keeps the packets' JSON.
pub const PACKETS_DIR: &str = "packets";

/// Why a file was not written or not imported.
#[derive(Debug)]
pub enum FieldError {
    /// The file is not usable (wrong kind, damaged, tampered, exists): exit 1.
    Refused(String),
    /// The domain refused: exit 1, with the rejection's code.
    Rejected(Rejection),
    /// A file could not be read or written: exit 2.
    Io(String),
    /// The database could not be used: exit 2.
    Store(StoreError),
}

impl FieldError {
    /// A refusal (exit 1) rather than a failure to run (exit 2).
    pub fn is_refusal(&self) -> bool {
        matches!(self, FieldError::Refused(_) | FieldError::Rejected(_))
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldError::Refused(m) | FieldError::Io(m) => f.write_str(m),
            FieldError::Rejected(r) => write!(f, "refused: {r}"),
            FieldError::Store(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for FieldError {}

impl From<StoreError> for FieldError {
    fn from(e: StoreError) -> FieldError {
        FieldError::Store(e)
    }
}

impl From<Rejection> for FieldError {
    fn from(r: Rejection) -> FieldError {
        FieldError::Rejected(r)
    }
}

/// A file written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// One line for a person: what was written where.
    pub message: String,
    pub voucher_id: String,
    pub file: PathBuf,
    pub bytes: u64,
}

/// A file imported, or found already imported.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportReport {
    /// One line for a person: what was imported, or "already imported".
    pub message: String,
    pub voucher_id: String,
    pub consultant: String,
    /// The events committed (empty when nothing changed); the desk applies
    /// them to the state it holds.
    pub events: Vec<Recorded>,
}

impl ImportReport {
    pub fn changed(&self) -> bool {
        !self.events.is_empty()
    }
}

/// The catalog entry a packet carries: what the engagement is and the
/// deliverable kinds the report may name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PacketCatalog {
    pub offering: Option<Offering>,
    pub engagement: Option<Engagement>,
    pub deliverable_kinds: Vec<String>,
}

/// The consultant a field database belongs to; `None` for an office one.
/// A field database opens as this user, on the Deliver & report step.
pub fn field_owner(state: &State) -> Option<&User> {
    crate::domain::rules::field::field_owner(state)
}

/// `base` with the catalog entries of the packets a field database holds
/// laid over it, so a report is checked against the office's catalog.
pub fn field_catalog(db: &Path, base: &Catalog) -> Catalog {
    let mut catalog = base.clone();
    let Ok(dir) = std::fs::read_dir(db.join(PACKETS_DIR)) else {
        return catalog;
    };
    for entry in dir.filter_map(Result::ok) {
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        let Ok(p) = serde_json::from_str::<PacketCatalog>(&text) else {
            continue;
        };
        overlay(&mut catalog, p);
    }
    catalog
}

/// The catalog to check a database's reports with: [`field_catalog`] for a
/// field database (as the desk and `saps exec` use), else `base`.
pub fn catalog_for(db: &Path, state: &State, base: Catalog) -> Catalog {
    match field_owner(state) {
        Some(_) => field_catalog(db, &base),
        None => base,
    }
}

fn overlay(catalog: &mut Catalog, p: PacketCatalog) {
    if let Some(o) = p.offering {
        catalog.offerings.retain(|x| x.code != o.code);
        catalog.offerings.push(o);
    }
    if let Some(e) = p.engagement {
        catalog
            .engagements
            .retain(|x| !x.slug.eq_ignore_ascii_case(&e.slug));
        catalog.engagements.push(e);
    }
    for kind in p.deliverable_kinds {
        if catalog.deliverable_kind(&kind).is_none() {
            catalog.deliverable_kinds.push(kind);
        }
    }
}

/// The organisation with the voucher `id` names (and its customer): what
/// writing a packet or a bundle reads.
fn read_voucher(store: &dyn Backend, id: &str) -> Result<State, FieldError> {
    let mut state = store.working_state()?;
    let names = Names {
        vouchers: vec![voucher_key(id)],
        ..Names::default()
    };
    store.hydrate(&mut state, &names)?;
    Ok(state)
}

/// Stages an import in `session`: its events, or the domain's refusal
/// (then nothing stays staged).
fn staged_events(session: &mut Session, request: Request) -> Result<Vec<Recorded>, FieldError> {
    let outcome = session.stage(request).map_err(halted)?.clone();
    match outcome {
        Ok(events) if !events.is_empty() => Ok(events),
        other => {
            session.discard();
            other.map_err(FieldError::Rejected)
        }
    }
}

/// Keeps the deliverable copies a file enclosed, before its import commits.
fn keep_copies(session: &Session, copies: &[Vec<u8>], what: &str) -> Result<(), FieldError> {
    for bytes in copies {
        session
            .backend()
            .keep_bytes(bytes)
            .map_err(|e| FieldError::Io(format!("the {what}'s deliverable was not saved: {e}")))?;
    }
    Ok(())
}

/// Commits the staged import: the events saved.
fn committed_events(session: &mut Session) -> Result<Vec<Recorded>, FieldError> {
    match session.commit().map_err(halted)?.pop() {
        Some(Ok(events)) => Ok(events),
        Some(Err(rejection)) => Err(FieldError::Rejected(rejection)),
        None => Ok(Vec::new()),
    }
}

fn halted(h: Halt) -> FieldError {
    match h {
        Halt::Store(e) => FieldError::Store(e),
        Halt::File(m) => FieldError::Io(m),
    }
}

/// A time as the messages show it: `2026-06-20 10:00 UTC`.
pub(crate) fn shown(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}
