//! `saps backup` of a PostgreSQL database: the same file as the sled
//! store's (`store/backup`), its trees in sled's layout (the key/value
//! tables, the log as seq → bytes, `meta` with the layout's schema), so a
//! restore into either backend reads it. Everything is read in one snapshot.

use super::PgStore;
use super::tx::Table;
use crate::domain::records::{Attachment, Voucher};
use crate::store::backup::format::Writer;
use crate::store::backup::{BackupError, Summary, io_err};
use crate::store::durable::AtomicFile;
use crate::store::files::{self, hex};
use crate::store::{Entries, SCHEMA_VERSION, codec, keys};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::fs;
use std::io::BufWriter;
use std::path::Path;

impl PgStore {
    /// Backs up the whole database into `file`, which must not exist. A
    /// deliverable copy that is damaged or missing stops the backup
    /// (nothing is written) unless `allow_missing_files`; then it is left
    /// out and named in [`Summary::skipped`] (as the sled store's backup).
    pub fn backup(&self, file: &Path, allow_missing_files: bool) -> Result<Summary, BackupError> {
        if fs::symlink_metadata(file).is_ok() {
            return Err(BackupError::Exists {
                path: file.to_path_buf(),
                database: false,
            });
        }
        let (trees, stored) = self.read(|tx| {
            let mut trees: Vec<(&[u8], Entries)> = Vec::new();
            let events = tx.query("SELECT seq, body, id FROM saps.events ORDER BY seq", &[])?;
            let mut events: Option<Entries> = Some(
                events
                    .iter()
                    .map(|r| {
                        let seq: i64 = r.get(0);
                        let body = codec::event_bytes_with_id(r.get(1), r.get(2));
                        (keys::event(u64::try_from(seq).unwrap_or(0)).to_vec(), body)
                    })
                    .collect(),
            );
            let meta = vec![(
                keys::SCHEMA_VERSION_KEY.to_vec(),
                keys::schema_version(SCHEMA_VERSION).to_vec(),
            )];
            trees.push((keys::SLED_DEFAULT_TREE, Vec::new()));
            for (name, table) in [
                (keys::CUSTOMERS, Some(Table::Customers)),
                (keys::EVENTS, None),
                (keys::INDEX, Some(Table::Index)),
                (keys::INVOICES, Some(Table::Invoices)),
                (keys::META, None),
                (keys::ORG, Some(Table::Org)),
                (keys::VOUCHERS, Some(Table::Vouchers)),
            ] {
                let entries = match (name, table) {
                    (_, Some(t)) => tx.range(t, (&[], false), None, None, false)?,
                    (keys::EVENTS, None) => events.take().unwrap_or_default(),
                    _ => meta.clone(),
                };
                trees.push((name.as_bytes(), entries));
            }
            let files = tx.query("SELECT sha256, bytes FROM saps.files ORDER BY sha256", &[])?;
            let files: Vec<(String, Vec<u8>)> = files.iter().map(|r| (r.get(0), r.get(1))).collect();
            Ok((trees, files))
        })?;
        let out = AtomicFile::create(file).map_err(io_err(file))?;
        let mut w = Writer::new(BufWriter::new(out), SCHEMA_VERSION).map_err(io_err(file))?;
        let mut summary = Summary {
            schema: SCHEMA_VERSION,
            ..Summary::default()
        };
        for (name, entries) in &trees {
            w.tree(name).map_err(io_err(file))?;
            for (k, v) in entries {
                w.entry(k, v).map_err(io_err(file))?;
            }
            summary.trees += 1;
            summary.entries += entries.len();
        }
        let stored_names: Vec<String> = stored.iter().map(|(sha, _)| sha.clone()).collect();
        for (sha, bytes) in stored {
            let same = Attachment {
                name: sha.clone(),
                sha256: sha.clone(),
                size: bytes.len() as u64,
            };
            if files::check(&same, same.size, &hex(&Sha256::digest(&bytes))).is_err() {
                summary.skipped.push(sha);
                continue;
            }
            w.file(&sha, same.size, bytes.as_slice()).map_err(io_err(file))?;
            summary.files += 1;
        }
        // Every copy a report names must be there.
        let written: BTreeSet<&str> = stored_names
            .iter()
            .map(String::as_str)
            .filter(|sha| !summary.skipped.iter().any(|s| s == sha))
            .collect();
        let vouchers = trees.iter().find(|(name, _)| *name == keys::VOUCHERS.as_bytes());
        for (_, value) in vouchers.map(|(_, e)| e.as_slice()).unwrap_or_default() {
            let Ok(v) = codec::decode::<Voucher>(value) else {
                continue;
            };
            if let Some(a) = v.report.and_then(|r| r.fields.deliverable)
                && !written.contains(a.sha256.as_str())
                && !summary.skipped.contains(&a.sha256)
            {
                summary.skipped.push(a.sha256);
            }
        }
        crate::store::backup::seal(w, file, summary, allow_missing_files)
    }
}
