//! A database directory is its owner's only (700) and so are its files
//! (600). A new database is made so (see `disk.rs`); an existing directory
//! that others may read or enter (a database made by hand, copied, or made
//! by an older saps) is tightened to 700 on open, with one line on stderr
//! saying so, or refused, with the command that fixes it, when it cannot be
//! changed. Files and subdirectories are tightened quietly: inside a 700
//! directory no one else could reach them.

use super::StoreError;
use std::path::Path;

/// Tightens the database directory at `db` and what it holds.
pub(super) fn tighten(db: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        use std::io::Write;
        let mode = mode_of(db).map_err(|e| super::disk::io_error(db, &e))?;
        let loose = mode & 0o077 != 0;
        if loose {
            set_mode(db, mode & !0o077).map_err(|e| StoreError::Io {
                path: db.to_path_buf(),
                detail: format!(
                    "the directory can be read by other users (mode {mode:o}), and saps cannot make it private ({e}); run `chmod 700 {}` as its owner",
                    db.display()
                ),
            })?;
            let _ = writeln!(
                std::io::stderr(),
                "saps: the database directory {} could be read by other users (mode {mode:o}); it is now private to you (mode 700)",
                db.display()
            );
        }
        tighten_inside(db, loose, 1);
    }
    #[cfg(not(unix))]
    let _ = db;
    Ok(())
}

/// Takes the group's and others' bits off every entry of `dir`, and off the
/// entries of its subdirectories (`depth` levels) that were open or when
/// `all`. A file that cannot be changed is left as it is.
#[cfg(unix)]
fn tighten_inside(dir: &Path, all: bool, depth: u32) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(meta) = entry.metadata() else { continue };
        if meta.file_type().is_symlink() {
            continue;
        }
        let path = entry.path();
        let mode = std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o7777;
        let loose = mode & 0o077 != 0;
        if loose {
            let _ = set_mode(&path, mode & !0o077);
        }
        if meta.is_dir() && depth > 0 && (all || loose) {
            tighten_inside(&path, true, depth - 1);
        }
    }
}

#[cfg(unix)]
fn mode_of(path: &Path) -> std::io::Result<u32> {
    use std::os::unix::fs::PermissionsExt;
    Ok(std::fs::metadata(path)?.permissions().mode() & 0o7777)
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}
