//! The filesystem side of opening a database: a private directory, and
//! sled's and the operating system's errors turned into [`StoreError`]s.

use super::StoreError;
use std::io;
use std::path::Path;

/// Creates the database directory (and its parents) readable by the owner
/// only, when it does not exist yet.
pub(super) fn prepare_dir(path: &Path) -> io::Result<()> {
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

pub(super) fn io_error(path: &Path, e: &io::Error) -> StoreError {
    StoreError::Io {
        path: path.to_path_buf(),
        detail: e.to_string(),
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
