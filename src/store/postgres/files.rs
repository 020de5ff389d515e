//! Deliverable files in the database, so a member on another machine reads
//! them: `saps.files` holds each file's bytes once, under its SHA-256
//! (content-addressed like the sled store's directory, `store/files.rs`),
//! and every read checks the bytes against the hash and size recorded in
//! the attachment.

use super::PgStore;
use crate::domain::records::Attachment;
use crate::store::files::{FileError, MAX_BYTES, check, damaged, hex, is_sha256};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

impl PgStore {
    /// Stores the file at `path` in the database, as the sled store takes
    /// a file into its directory ([`crate::store::files::attach_with`]: the
    /// same refusals of what is not a regular file, the same limits).
    pub fn attach(&self, path: &Path) -> Result<Option<Attachment>, FileError> {
        crate::store::files::attach_with(path, |file| self.copy_in(file))
    }

    /// Reads at most [`MAX_BYTES`] from `source` into the database, named
    /// by its hash (stored once however often it comes). Returns the hash
    /// and the size.
    pub fn copy_in(&self, source: impl Read) -> Result<(String, u64), FileError> {
        let mut bytes = Vec::new();
        source
            .take(MAX_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| FileError::Unreadable {
                path: PathBuf::from("the deliverable"),
                detail: e.to_string(),
            })?;
        let size = bytes.len() as u64;
        if size > MAX_BYTES {
            return Err(FileError::TooLarge { size });
        }
        let sha = hex(&Sha256::digest(&bytes));
        let stored = i64::try_from(size).unwrap_or(i64::MAX);
        self.with_conn(|conn, at| {
            conn.client
                .execute(
                    "INSERT INTO saps.files (sha256, size, bytes) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING",
                    &[&sha, &stored, &bytes],
                )
                .map_err(|e| super::error(at, e))
        })
        .map_err(|e| FileError::Store {
            path: PathBuf::from(self.at()),
            detail: e.to_string(),
        })?;
        Ok((sha, size))
    }

    /// The stored copy's bytes, checked against the attachment's hash and
    /// size.
    pub fn read_verified(&self, a: &Attachment) -> Result<Vec<u8>, FileError> {
        if !is_sha256(&a.sha256) {
            return Err(damaged(a, "its hash is not 64 hex digits"));
        }
        if a.size > MAX_BYTES {
            return Err(damaged(a, "its recorded size is over the limit"));
        }
        let row = self
            .with_conn(|conn, at| {
                conn.client
                    .query_opt("SELECT bytes FROM saps.files WHERE sha256 = $1", &[&a.sha256])
                    .map_err(|e| super::error(at, e))
            })
            .map_err(|e| damaged(a, &e.to_string()))?;
        let bytes: Vec<u8> = row.ok_or_else(|| damaged(a, "it is not in the database"))?.get(0);
        check(a, bytes.len() as u64, &hex(&Sha256::digest(&bytes)))?;
        Ok(bytes)
    }

    /// Checks the stored copy.
    pub fn verify(&self, a: &Attachment) -> Result<(), FileError> {
        self.read_verified(a).map(drop)
    }

    /// The hash of every stored file, sorted.
    pub fn stored_files(&self) -> Result<Vec<String>, crate::store::StoreError> {
        self.with_conn(|conn, at| {
            let rows = conn
                .client
                .query("SELECT sha256 FROM saps.files ORDER BY sha256", &[])
                .map_err(|e| super::error(at, e))?;
            Ok(rows.iter().map(|r| r.get(0)).collect())
        })
    }
}
