//! The stores: sled (the embedded default; the only module naming a sled
//! type, with [`postgres`] the only one naming a PostgreSQL type).
//!
//! Layout and keys: [`keys`]; value bytes: [`codec`]; the audit log's blocks:
//! [`blocks`], every read of them in `log.rs`; the database itself:
//! [`Store`] (in `sled_store.rs`), its raw bytes (`raw.rs`), schema versions
//! ([`migrate`]), [`backup`] files, deliverable [`files`] beside it, and
//! fsync helpers ([`durable`]). A panic inside sled never crosses this
//! boundary (`guard.rs`).

use std::fmt;
use std::path::PathBuf;

pub mod backend;
pub mod backup;
pub mod blocks;
pub mod codec;
mod disk;
pub mod durable;
pub mod files;
mod forward;
mod guard;
pub(crate) mod ids;
pub mod index;
pub mod keys;
mod log;
pub mod migrate;
mod modes;
pub mod pages;
pub mod postgres;
mod raw;
mod reads;
mod repack;
mod scan;
mod sled_store;
mod snapshots;
mod stream;
pub mod streams;
mod visit;
mod writes;

pub use backend::{Backend, Prepared, Subscription};
pub use keys::SCHEMA_VERSION;
pub use log::Events;
pub use raw::Entries;
pub use sled_store::{Options, Store};
pub use stream::{RawEntry, Records};
pub use streams::{Basis, Committed};

/// Whether `db` names a PostgreSQL database (`postgres://…` or
/// `postgresql://…`) rather than a sled directory.
pub fn is_server(db: &std::path::Path) -> bool {
    db.to_str().is_some_and(postgres::is_url)
}

/// How messages name the database `db`: its path, or its server and
/// database without the password.
pub fn shown(db: &std::path::Path) -> String {
    match db.to_str().filter(|d| postgres::is_url(d)) {
        Some(url) => postgres::redacted(url),
        None => db.display().to_string(),
    }
}

/// Opens the database `db` names, for the session and the desk: a sled
/// directory (created when missing or empty), or a PostgreSQL server (its
/// schema created on the first use).
pub fn open(db: &std::path::Path) -> Result<std::sync::Arc<dyn Backend>, StoreError> {
    match db.to_str().filter(|d| postgres::is_url(d)) {
        Some(url) => Ok(std::sync::Arc::new(postgres::PgStore::open(url)?)),
        None => Ok(std::sync::Arc::new(Store::open(db)?)),
    }
}

/// Opens the database `db` names, which must exist: for the commands that
/// only read one or only add to one, which never create anything. (On a
/// server the database exists; its schema is made as by any command.)
pub fn open_existing(db: &std::path::Path) -> Result<std::sync::Arc<dyn Backend>, StoreError> {
    match db.to_str().filter(|d| postgres::is_url(d)) {
        Some(url) => Ok(std::sync::Arc::new(postgres::PgStore::open(url)?)),
        None => Ok(std::sync::Arc::new(Store::open_existing(db)?)),
    }
}

#[derive(Debug)]
pub enum StoreError {
    /// Another process holds the database.
    Locked { path: PathBuf },
    /// The operating system or sled failed (disk full, permissions, ...).
    Io { path: PathBuf, detail: String },
    /// A stored value or file could not be decoded or breaks the format.
    Damaged { what: String, detail: String },
    /// The database was written by a newer saps.
    TooNew { found: u32, supported: u32 },
    /// Someone else committed first: the events were decided on a state
    /// that is no longer the database's (the session decides again).
    Conflict { detail: String },
    /// The database server could not be reached or failed (`at` names the
    /// server and database, never the password).
    Server { at: String, detail: String },
    /// The database refused the change for this connection's role (a
    /// member writing as someone else, or rewriting the log).
    Refused { detail: String },
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Locked { path } => write!(
                f,
                "the database {} is open in another saps; close that one first",
                path.display()
            ),
            StoreError::Io { path, detail } => {
                write!(f, "cannot use the database {}: {detail}", path.display())
            }
            StoreError::Damaged { what, detail } => write!(
                f,
                "the database is damaged: {what} ({detail}); run `saps check`, or `saps restore` from a backup"
            ),
            StoreError::TooNew { found, supported } => write!(
                f,
                "the database has format {found}, newer than this saps understands ({supported}); use a newer saps"
            ),
            StoreError::Conflict { detail } => write!(
                f,
                "someone else changed the database first ({detail}); nothing of this was saved"
            ),
            StoreError::Server { at, detail } => write!(f, "cannot use the database {at}: {detail}"),
            StoreError::Refused { detail } => write!(f, "the database refused the change: {detail}"),
        }
    }
}

impl std::error::Error for StoreError {}
