//! `saps restore FILE` into a PostgreSQL database: the backup file of
//! either backend (`store/backup`) into a saps database that holds no
//! record yet, in one transaction.
//!
//! Like the sled store's restore: the whole file's checksum is verified
//! before anything is written, every record is decoded as it is read (an
//! event against its key), every deliverable against its hash, and any
//! failure rolls everything back. Memory stays bounded: rows go to the
//! server [`BATCH`] at a time, a deliverable one at a time. The events keep
//! their seqs (each must follow the one before);
//! the other tables get sled's very keys and value bytes. A backup of an
//! older sled schema is first brought up to date in a temporary sled
//! database (its migrations are sled's), then restored from there.
//!
//! The tables are locked for the transaction, so no commit slips in while
//! the database is found empty and filled; only the database's owner
//! restores.

use super::restore_fill::{Fill, Rows, invalid};
use super::tx::{Conn, Tx};
use super::{Identity, PgStore};
use crate::store::backup::{self, BackupError, Summary};
use crate::store::{SCHEMA_VERSION, StoreError};
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// Rows sent to the server in one statement.
pub const BATCH: usize = 1000;

/// Every table of the schema that holds what a backup carries.
const TABLES: &[&str] = &[
    "saps.events",
    "saps.org",
    "saps.customers",
    "saps.vouchers",
    "saps.invoices",
    "saps.\"index\"",
    "saps.files",
];

impl PgStore {
    /// Restores the backup `file` into this database, which must hold no
    /// record (its schema created, or nothing at all).
    pub fn restore(&self, file: &Path) -> Result<Summary, BackupError> {
        match self.identity()? {
            Identity::Owner { .. } => {}
            Identity::Member { email: role } | Identity::Other { role } => {
                return Err(BackupError::NotOwner {
                    role,
                    at: self.at().to_owned(),
                });
            }
        }
        let (header, len) = backup::verify_file(file)?;
        if header.schema < SCHEMA_VERSION {
            return self.restore_migrated(file);
        }
        let outcome = self.with_conn(|conn, at| Ok(fill(conn, at, file, len)))?;
        let mut summary = outcome?;
        summary.schema = header.schema;
        Ok(summary)
    }

    /// An older backup: restored into a temporary sled database (which
    /// migrates it), backed up again, and that copy restored here.
    fn restore_migrated(&self, file: &Path) -> Result<Summary, BackupError> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir().join(format!("saps-restore-{}-{nanos}", std::process::id()));
        let cleanup = |dir: &PathBuf| {
            let _ = std::fs::remove_dir_all(dir);
        };
        let run = || -> Result<Summary, BackupError> {
            std::fs::create_dir_all(&dir).map_err(backup::io_err(&dir))?;
            let db = dir.join("migrated.db");
            backup::restore(file, &db)?;
            let copy = dir.join("migrated.sapsbak");
            backup::backup(&db, &copy, false)?;
            let (_, len) = backup::verify_file(&copy)?;
            let outcome = self.with_conn(|conn, at| Ok(fill(conn, at, &copy, len)))?;
            let mut summary = outcome?;
            summary.bytes = std::fs::metadata(file).map_or(summary.bytes, |m| m.len());
            Ok(summary)
        };
        let out = run();
        cleanup(&dir);
        let mut summary = out?;
        summary.schema = backup::verify_file(file)?.0.schema;
        Ok(summary)
    }
}

/// Fills the empty database from the verified backup `file` in one
/// transaction.
fn fill(conn: &mut Conn, at: &str, file: &Path, len: u64) -> Result<Summary, BackupError> {
    let pg = |e: postgres::Error| BackupError::Store(super::error(at, e));
    let tx = conn.client.transaction().map_err(pg)?;
    let mut tx = Tx::new(tx, &mut conn.cache, at);
    tx.execute(
        &format!("LOCK TABLE {} IN SHARE ROW EXCLUSIVE MODE", TABLES.join(", ")),
        &[],
    )?;
    for table in TABLES {
        let any = tx.query(&format!("SELECT 1 FROM {table} LIMIT 1"), &[])?;
        if !any.is_empty() {
            // Refused either way; said so when its events are here already.
            let span = backup::first_and_last(file, len)?;
            let id_at = |seq: u64| -> Result<Option<Uuid>, StoreError> {
                let seq = i64::try_from(seq).unwrap_or(i64::MAX);
                let rows = tx.query("SELECT id FROM saps.events WHERE seq = $1", &[&seq])?;
                Ok(rows.first().map(|r| r.get::<_, Uuid>(0)))
            };
            if let Some(held) = backup::held(span, id_at)? {
                return Err(BackupError::AlreadyHeld {
                    path: PathBuf::from(at),
                    held,
                });
            }
            return Err(BackupError::Exists {
                path: PathBuf::from(at),
                database: true,
            });
        }
    }
    let mut fill = Fill {
        tx,
        file,
        summary: Summary {
            bytes: len,
            ..Summary::default()
        },
        rows: Rows::None,
        last_seq: 0,
    };
    let mut reader = backup::body(file, len)?;
    fill.items(&mut reader)?;
    if reader.left() != 0 {
        return Err(invalid(
            file,
            format!("{} bytes follow the end mark", reader.left()),
        ));
    }
    let Fill { tx, summary, .. } = fill;
    tx.commit()?;
    Ok(summary)
}
