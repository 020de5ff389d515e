//! The filesystem side of opening a database: what a directory holds
//! before sled sees it, a private directory (700, files 600), and sled's and
//! the operating system's errors turned into [`StoreError`]s.
//!
//! saps makes a database only in a missing or empty directory, and marks
//! it as being made ([`CREATING`]) before sled writes anything, until the
//! schema marker is written: a directory with sled's files but neither
//! marker lost its content (or is not saps's), and is refused, not served
//! empty.

use super::StoreError;
use super::migrate::MARKER;
use std::io;
use std::path::Path;

/// Written before sled creates its files in a new database, removed once
/// the schema version and [`MARKER`] are: a crash in between leaves a
/// database that is still new, not one whose content was lost.
pub const CREATING: &str = "saps-creating";

/// What a database path holds, before sled opens it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Found {
    /// Nothing, or an empty directory.
    Nothing,
    /// A database being made when the last run stopped.
    Creating,
    /// The schema marker or sled's files.
    Database,
    /// Something else: a file, or a directory of other files.
    Other(&'static str),
}

fn found(path: &Path) -> io::Result<Found> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Found::Nothing),
        Err(e) => return Err(e),
    };
    if !meta.is_dir() {
        return Ok(Found::Other("it is a file, not a database directory"));
    }
    let has = |name: &str| path.join(name).exists();
    Ok(if has(MARKER) {
        Found::Database
    } else if has(CREATING) {
        Found::Creating
    } else if has("conf") || has(super::sled_store::SLED_LOG) {
        Found::Database
    } else if std::fs::read_dir(path)?.next().is_none() {
        Found::Nothing
    } else {
        Found::Other("the directory holds other files")
    })
}

/// Makes `path` ready for sled: a new database (only with `create`, and only
/// in a missing or empty directory) or an existing one, owner-only, with no
/// incomplete snapshot left for sled to read.
pub(super) fn prepare(path: &Path, create: bool) -> Result<(), StoreError> {
    private_files();
    let io = |e: io::Error| io_error(path, &e);
    let none_here = |what: &str| StoreError::Io {
        path: path.to_path_buf(),
        detail: format!("{what}no saps database, and this command never creates one"),
    };
    match found(path).map_err(io)? {
        Found::Nothing | Found::Creating if !create => Err(none_here("it holds ")),
        Found::Other(what) if !create => Err(none_here(&format!("{what} and "))),
        Found::Nothing => {
            prepare_dir(path).map_err(io)?;
            super::modes::tighten(path)?;
            super::durable::write_atomic(&path.join(CREATING), b"", true).map_err(io)
        }
        Found::Other(what) => Err(StoreError::Io {
            path: path.to_path_buf(),
            detail: format!(
                "{what} and no saps database; saps makes a new database only in a new or empty directory (give --db a new path)"
            ),
        }),
        Found::Creating | Found::Database => {
            super::modes::tighten(path)?;
            super::snapshots::remove_incomplete(path)
        }
    }
}

/// From the first open on, every file this process creates is its owner's
/// only (600, directories 700): sled's own files included, which sled
/// creates with the default mode.
fn private_files() {
    #[cfg(unix)]
    {
        use rustix::fs::Mode;
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            let old = rustix::process::umask(Mode::from_raw_mode(0o077));
            rustix::process::umask(old | Mode::from_raw_mode(0o077));
        });
    }
}

/// Creates the database directory (and its parents) readable by the owner
/// only, when it does not exist yet.
fn prepare_dir(path: &Path) -> io::Result<()> {
    if path.exists() {
        return Ok(());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(path)?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(path)
    }
}

/// The disk (or the user's quota) is full.
fn is_full(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded
    )
}

/// What a full disk is reported as: what happened, and that what saps
/// acknowledged is safe (a commit is acknowledged only once it is durable,
/// and an incomplete snapshot is removed before the next open).
pub const DISK_FULL: &str = "the disk is full, so saps could not write to it; nothing acknowledged was lost (every change saps reported as saved is kept): free some space and run the command again";

pub(super) fn io_error(path: &Path, e: &io::Error) -> StoreError {
    StoreError::Io {
        path: path.to_path_buf(),
        detail: if is_full(e) {
            DISK_FULL.to_owned()
        } else {
            e.to_string()
        },
    }
}

/// sled reports a held file lock as an io error "could not acquire lock".
fn is_lock_error(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::WouldBlock || e.to_string().contains("could not acquire lock")
}

pub(super) fn sled_error(path: &Path, e: sled::Error) -> StoreError {
    match e {
        sled::Error::Io(io) if is_lock_error(&io) => StoreError::Locked {
            path: path.to_path_buf(),
        },
        sled::Error::Io(io) => io_error(path, &io),
        sled::Error::Corruption { at, .. } => StoreError::Damaged {
            what: format!("the sled files in {}", path.display()),
            detail: match at {
                Some(at) => format!("sled found corrupted data at {at}"),
                None => "sled found corrupted data".to_owned(),
            },
        },
        // A damaged `conf` file reads as another sled version's database.
        sled::Error::Unsupported(detail) | sled::Error::ReportableBug(detail) => StoreError::Damaged {
            what: format!("the sled files in {}", path.display()),
            detail,
        },
        other => StoreError::Io {
            path: path.to_path_buf(),
            detail: other.to_string(),
        },
    }
}
