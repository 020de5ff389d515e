//! Restoring a backup file into a new database: verify the whole file,
//! build the database beside the target (the audit log packed into blocks
//! as it is read), check it loads, rename it in place.

use super::format::{self, CHECKSUM_LEN, HEADER_LEN, Header, Item, Reader};
use super::{BackupError, Summary, io_err};
use crate::store::durable::{parent_dir, sync_dir, temp_beside};
use crate::store::migrate::{self, Plan};
use crate::store::raw::Entries;
use crate::store::sled_store::{Options, SLED_LOG};
use crate::store::{SCHEMA_VERSION, Store, StoreError, blocks, codec, files, keys};
use std::fs::{self, File};
use std::io::{self, BufReader, Read};
use std::path::Path;

/// Entries written to sled between two flushes while a tree is restored.
const BATCH: usize = 10_000;
/// ... or this many bytes of them (the log's blocks are up to 6 KiB each).
const BATCH_BYTES: usize = 4 << 20;

/// Restores `file` into a new database at `db`.
pub fn restore(file: &Path, db: &Path) -> Result<Summary, BackupError> {
    if let Some(url) = db.to_str().filter(|d| crate::store::postgres::is_url(d)) {
        return crate::store::postgres::PgStore::open(url)?.restore(file);
    }
    if let Err(e) = refuse_existing(db) {
        return Err(super::held::held_in_sled(file, db).unwrap_or(e));
    }
    let (header, len) = verify_file(file)?;
    let temp = temp_beside(db);
    let built = build(&temp, file, header, len);
    let summary = match built {
        Ok(s) => s,
        Err(e) => {
            let _ = fs::remove_dir_all(&temp);
            return Err(e);
        }
    };
    if let Err(e) = fs::rename(&temp, db) {
        let _ = fs::remove_dir_all(&temp);
        refuse_existing(db)?;
        return Err(io_err(db)(e));
    }
    sync_dir(&parent_dir(db)).map_err(io_err(db))?;
    Ok(summary)
}

/// A database at `db` (anything but an empty directory) is never replaced;
/// one held by another saps is reported as such.
fn refuse_existing(db: &Path) -> Result<(), BackupError> {
    let exists = match fs::symlink_metadata(db) {
        Err(_) => false,
        Ok(m) if m.is_dir() => fs::read_dir(db).map_or(true, |mut d| d.next().is_some()),
        Ok(_) => true,
    };
    if !exists {
        return Ok(());
    }
    if let Ok(log) = File::open(db.join(SLED_LOG))
        && matches!(log.try_lock(), Err(fs::TryLockError::WouldBlock))
    {
        return Err(StoreError::Locked {
            path: db.to_path_buf(),
        }
        .into());
    }
    Err(BackupError::Exists {
        path: db.to_path_buf(),
        database: true,
    })
}

/// Checks the header, the length and the checksum before anything is read.
pub(in crate::store) fn verify_file(file: &Path) -> Result<(Header, u64), BackupError> {
    let invalid = |detail: String| BackupError::Invalid {
        file: file.to_path_buf(),
        detail,
    };
    let f = File::open(file).map_err(io_err(file))?;
    let len = f.metadata().map_err(io_err(file))?.len();
    let mut head = Vec::new();
    f.take(HEADER_LEN).read_to_end(&mut head).map_err(io_err(file))?;
    let magic = &format::MAGIC[..head.len().min(format::MAGIC.len())];
    if !head.starts_with(magic) {
        return Err(invalid("it does not start like a saps backup".to_owned()));
    }
    let head = match <[u8; HEADER_LEN as usize]>::try_from(head) {
        Ok(head) if len >= HEADER_LEN + 1 + CHECKSUM_LEN => head,
        _ => return Err(invalid(format!("it has only {len} bytes (truncated?)"))),
    };
    let header = format::read_header(&head).map_err(invalid)?;
    let mut f = BufReader::new(File::open(file).map_err(io_err(file))?);
    let digest = format::digest_of(&mut f, len - CHECKSUM_LEN).map_err(io_err(file))?;
    let mut stored = [0u8; CHECKSUM_LEN as usize];
    f.read_exact(&mut stored).map_err(io_err(file))?;
    let sound = digest == stored;
    let too_new = |what: String| BackupError::TooNew {
        file: file.to_path_buf(),
        detail: if sound {
            what
        } else {
            format!("{what}, or the file is damaged")
        },
    };
    if header.format > format::FORMAT {
        let (found, reads) = (header.format, format::FORMAT);
        return Err(too_new(format!("backup format {found}, this saps reads {reads}")));
    }
    if header.format == 0 {
        return Err(invalid("backup format 0 was never written".to_owned()));
    }
    if !sound {
        let detail = "its checksum does not match its content (damaged or truncated)";
        return Err(invalid(detail.to_owned()));
    }
    if header.schema > SCHEMA_VERSION {
        return Err(too_new(format!(
            "schema {}, this saps knows {SCHEMA_VERSION}",
            header.schema
        )));
    }
    if header.schema == 0 {
        return Err(invalid("schema 0 was never written".to_owned()));
    }
    Ok((header, len))
}

/// The records of the verified backup `file` (`len` bytes), after its header.
pub(in crate::store) fn body(file: &Path, len: u64) -> Result<Reader<BufReader<File>>, BackupError> {
    let mut input = BufReader::new(File::open(file).map_err(io_err(file))?);
    io::copy(&mut (&mut input).take(HEADER_LEN), &mut io::sink()).map_err(io_err(file))?;
    Ok(Reader::new(input, len - HEADER_LEN - CHECKSUM_LEN))
}

/// A block of events as the events tree stores it.
/// The entries of one tree not yet written, and their size.
#[derive(Default)]
struct Batch {
    entries: Entries,
    bytes: usize,
}

impl Batch {
    fn add(&mut self, entries: impl IntoIterator<Item = (Vec<u8>, Vec<u8>)>) {
        for (k, v) in entries {
            self.bytes += k.len() + v.len();
            self.entries.push((k, v));
        }
    }

    fn full(&self) -> bool {
        self.entries.len() >= BATCH || self.bytes >= BATCH_BYTES
    }

    fn clear(&mut self) {
        self.entries.clear();
        self.bytes = 0;
    }
}

fn block_entry((first, block): (u64, Vec<u8>)) -> (Vec<u8>, Vec<u8>) {
    (keys::event(first).to_vec(), block)
}

/// Builds the restored database at `temp`.
fn build(temp: &Path, file: &Path, header: Header, len: u64) -> Result<Summary, BackupError> {
    let invalid = |detail: String| BackupError::Invalid {
        file: file.to_path_buf(),
        detail,
    };
    // The backup file is the copy from before any migration.
    let plan = Plan {
        backup_first: false,
        ..migrate::plan()
    };
    let options = Options {
        plan,
        ..Options::scan()
    };
    let store = Store::open_with(temp, &options)?;
    let mut reader = body(file, len)?;
    let mut summary = Summary {
        schema: header.schema,
        bytes: len,
        ..Summary::default()
    };
    let mut names = std::collections::BTreeSet::new();
    // The tree being filled, and its entries not yet written (at most
    // `BATCH`): memory does not grow with the backup.
    let mut current: Option<(Vec<u8>, Batch)> = None;
    // The audit log's events, one per entry in the file, into blocks, and
    // the ids given from outside (marked in their bytes) into the `ids` tree.
    let mut packer = blocks::Packer::default();
    let mut ids = Batch::default();
    loop {
        let item = reader.next_item(files::MAX_BYTES).map_err(&invalid)?;
        if matches!(item, Item::Tree(_) | Item::End)
            && let Some((name, mut batch)) = current.take()
        {
            batch.add(packer.finish().map(block_entry));
            store.raw_insert_all(&name, &batch.entries)?;
        }
        match item {
            Item::End => break,
            Item::Tree(name) => {
                if !names.insert(name.clone()) {
                    return Err(invalid(format!("the tree {} appears twice", keys::shown(&name))));
                }
                summary.trees += 1;
                if name != keys::IDS.as_bytes() {
                    // (The ids written with the events stay.)
                    store.raw_clear(&name)?;
                }
                current = Some((name, Batch::default()));
            }
            Item::Entry(k, v) => match current.as_mut() {
                Some((name, batch)) => {
                    summary.entries += 1;
                    match keys::event_seq(&k).filter(|_| name == keys::EVENTS.as_bytes()) {
                        Some(seq) if !blocks::is_block(&v) => {
                            if let Some(id) = codec::given_event_id(&v) {
                                ids.add([(id.as_bytes().to_vec(), k)]);
                            }
                            if ids.full() {
                                store.raw_insert_all(keys::IDS.as_bytes(), &ids.entries)?;
                                ids.clear();
                            }
                            batch.add(packer.push(seq, v).map(block_entry))
                        }
                        // Anything else is written as it is (and, if damaged, named below).
                        _ => {
                            batch.add(packer.finish().map(block_entry));
                            batch.add([(k, v)]);
                        }
                    }
                    if batch.full() {
                        store.raw_insert_all(name, &batch.entries)?;
                        batch.clear();
                        // What sled holds for unflushed writes grows until a flush.
                        store.raw_flush()?;
                    }
                }
                None => return Err(invalid("an entry comes before any tree".to_owned())),
            },
            Item::File { name, size } => {
                if !files::is_sha256(&name) {
                    return Err(invalid(format!("a file is named {name:?}, not by its hash")));
                }
                let (sha, got) =
                    files::copy_in(temp, reader.file_content(size)).map_err(|e| invalid(e.to_string()))?;
                if sha != name || got != size {
                    return Err(invalid(format!("the file {name} does not match its hash")));
                }
                summary.files += 1;
            }
        }
    }
    store.raw_insert_all(keys::IDS.as_bytes(), &ids.entries)?;
    store.raw_flush()?;
    if reader.left() != 0 {
        return Err(invalid(format!("{} bytes follow the end mark", reader.left())));
    }
    if !names.contains(keys::META.as_bytes()) {
        return Err(invalid("it has no meta tree, so no schema_version".to_owned()));
    }
    let schema = store.raw_get(keys::META.as_bytes(), keys::SCHEMA_VERSION_KEY)?;
    if schema.as_deref().and_then(keys::parse_schema_version) != Some(header.schema) {
        return Err(invalid("its schema_version does not match its header".to_owned()));
    }
    migrate::ensure_schema(&store, &plan)?;
    let damaged = |e: StoreError| match e {
        StoreError::Damaged { what, detail } => invalid(format!("it holds damaged data ({what}: {detail})")),
        other => BackupError::Store(other),
    };
    store.verify_records().map_err(damaged)?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_of_big_blocks_is_written_long_before_its_count() {
        let mut batch = Batch::default();
        let block = || (vec![0u8; 8], vec![7u8; 6 * 1024]);
        while !batch.full() {
            batch.add([block()]);
        }
        // 6 KiB blocks: written after ~680 of them (4 MiB), not 10,000 (60 MiB).
        assert!(batch.entries.len() < 700, "{} entries", batch.entries.len());
        assert!(batch.bytes >= BATCH_BYTES);
        batch.clear();
        assert!(!batch.full() && batch.bytes == 0 && batch.entries.is_empty());
        for _ in 0..BATCH - 1 {
            batch.add([(vec![1], vec![2])]);
        }
        assert!(!batch.full());
        batch.add([(vec![1], vec![2])]);
        assert!(batch.full(), "small entries: written after {BATCH}");
    }
}
