//! sled 0.34 writes a snapshot as `snap.<lsn>.generating`, fsyncs it and
//! renames it to `snap.<lsn>`; on open it reads the newest `snap.*` file,
//! `.generating` ones included. A snapshot cut short (the disk filled up
//! while sled wrote it at open) is then the newest file, and every later
//! open fails as "corrupted" although the log holds every acknowledged
//! commit. So before sled opens a database, a `.generating` file that is
//! empty or whose checksum does not match its bytes (sled's own test) is
//! removed, under sled's lock, so never while another saps writes one. A
//! complete `.generating` file, and every other file, is left alone.

use super::StoreError;
use super::disk::io_error;
use super::durable::sync_dir;
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Removes the incomplete snapshots sled would otherwise read.
pub(super) fn remove_incomplete(db: &Path) -> Result<(), StoreError> {
    let io = |e: io::Error| io_error(db, &e);
    let generating = generating(db).map_err(io)?;
    if generating.is_empty() {
        return Ok(());
    }
    // sled holds an exclusive lock on its log file while it has the database
    // open (and a snapshot is only written while it does).
    let _lock = match File::open(db.join(super::sled_store::SLED_LOG)) {
        Ok(log) => match log.try_lock() {
            Ok(()) => Some(log),
            Err(fs::TryLockError::WouldBlock) => {
                return Err(StoreError::Locked {
                    path: db.to_path_buf(),
                });
            }
            Err(fs::TryLockError::Error(e)) => return Err(io(e)),
        },
        // No log file: no sled has this database open.
        Err(_) => None,
    };
    let mut removed = false;
    for file in generating {
        if !complete(&file).map_err(io)? {
            fs::remove_file(&file).map_err(io)?;
            removed = true;
        }
    }
    if removed {
        sync_dir(db).map_err(io)?;
    }
    Ok(())
}

/// The `snap.*.generating` files in `db`.
fn generating(db: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(db)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("snap.") && name.ends_with(".generating") && entry.file_type()?.is_file() {
            out.push(entry.path());
        }
    }
    Ok(out)
}

/// Whether a snapshot file is whole: its bytes, an 8-byte length, then the
/// CRC-32 of the bytes (little-endian), as sled writes it.
fn complete(file: &Path) -> io::Result<bool> {
    let mut bytes = Vec::new();
    File::open(file)?.read_to_end(&mut bytes)?;
    let len = bytes.len();
    if len <= 12 {
        return Ok(false);
    }
    let stored = u32::from_le_bytes([bytes[len - 4], bytes[len - 3], bytes[len - 2], bytes[len - 1]]);
    Ok(crc32fast::hash(&bytes[..len - 12]) == stored)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(body: &[u8]) -> Vec<u8> {
        let mut out = body.to_vec();
        out.extend_from_slice(&(body.len() as u64).to_le_bytes());
        out.extend_from_slice(&crc32fast::hash(body).to_le_bytes());
        out
    }

    #[test]
    fn only_empty_or_cut_short_generating_files_go() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path();
        let whole = snapshot(b"a snapshot's bytes");
        let files: [(&str, &[u8]); 6] = [
            ("snap.0000000000000010", &whole),
            ("snap.0000000000000020.generating", b""),
            ("snap.0000000000000030.generating", &whole[..whole.len() - 3]),
            ("snap.0000000000000040.generating", &whole),
            ("db", b"log"),
            ("snap.0000000000000050.generating.bak", b""),
        ];
        for (name, bytes) in files {
            fs::write(db.join(name), bytes).unwrap();
        }
        remove_incomplete(db).unwrap();
        let mut left: Vec<String> = fs::read_dir(db)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                "db",
                "snap.0000000000000010",
                "snap.0000000000000040.generating",
                "snap.0000000000000050.generating.bak"
            ]
        );
    }

    #[test]
    fn a_held_database_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path();
        let log = File::create(db.join("db")).unwrap();
        log.lock().unwrap();
        fs::write(db.join("snap.0000000000000020.generating"), b"").unwrap();
        assert!(matches!(remove_incomplete(db), Err(StoreError::Locked { .. })));
        assert!(db.join("snap.0000000000000020.generating").exists());
    }
}
