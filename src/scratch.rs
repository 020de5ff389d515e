//! A throwaway directory, removed when dropped: under the system's
//! temporary directory (the demo's database, the copy `saps check` makes of
//! a server's database), or beside a database being made (the generated
//! demo's scratch).

use crate::fatal::Fatal;
use crate::store::durable::{parent_dir, temp_beside};
use chrono::Utc;
use std::path::{Path, PathBuf};

pub struct TempDir(pub PathBuf);

impl TempDir {
    /// A new directory named `prefix-<pid>-<nanoseconds>`.
    pub fn new(prefix: &str) -> Result<TempDir, Fatal> {
        let nanos = Utc::now().timestamp_nanos_opt().unwrap_or_default();
        let dir = std::env::temp_dir().join(format!("{prefix}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| Fatal(format!("cannot create {}: {e}", dir.display())))?;
        Ok(TempDir(dir))
    }

    /// A new private (700) directory beside `target`, named as a restore
    /// names its own (`.NAME.PID-N.tmp`); missing parents are made, as
    /// opening a database makes them.
    pub fn beside(target: &Path) -> std::io::Result<TempDir> {
        let path = temp_beside(target);
        std::fs::create_dir_all(parent_dir(target))?;
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&path)?;
        Ok(TempDir(path))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
