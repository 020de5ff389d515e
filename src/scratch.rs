//! A throwaway directory under the system's temporary directory, removed
//! when dropped: the demo's database, the copy `saps check` makes of a
//! server's database.

use crate::fatal::Fatal;
use chrono::Utc;
use std::path::PathBuf;

pub struct TempDir(pub PathBuf);

impl TempDir {
    /// A new directory named `prefix-<pid>-<nanoseconds>`.
    pub fn new(prefix: &str) -> Result<TempDir, Fatal> {
        let nanos = Utc::now().timestamp_nanos_opt().unwrap_or_default();
        let dir = std::env::temp_dir().join(format!("{prefix}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| Fatal(format!("cannot create {}: {e}", dir.display())))?;
        Ok(TempDir(dir))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
