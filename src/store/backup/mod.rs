//! `saps backup FILE` and `saps restore FILE`: every key and value of every
//! tree, and every deliverable file, in one checksummed, versioned file
//! (layout in [`format`]). The audit log is carried one event per entry
//! (under its seq, as schema 2 stored it, and as the PostgreSQL store's
//! backup writes it), whatever blocks the database keeps it in; a restore
//! packs it into blocks again. Each event's bytes carry its id (schema 4,
//! `codec::EVENT_WITH_ID`); the `ids` tree is left out and built again by
//! a restore.
//!
//! A backup holds the database open, so nothing else writes while it is
//! taken, and is written under a temporary name, fsynced, then renamed. A
//! restore verifies the whole file before writing anything, builds the
//! database in a temporary directory beside the target, checks that it
//! loads, and only then renames it into place.

pub mod format;
mod held;
mod restore;

pub use held::Held;
pub(super) use held::{first_and_last, held};
pub use restore::restore;
pub(super) use restore::{body, verify_file};

use super::durable::AtomicFile;
use super::{SCHEMA_VERSION, Store, StoreError, files, keys};
use format::Writer;
use std::fmt;
use std::fs::{self, File};
use std::io::{self, BufWriter};
use std::path::{Path, PathBuf};

/// What a backup or a restore carried.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub schema: u32,
    pub trees: usize,
    pub entries: usize,
    pub files: usize,
    /// Deliverable copies left out because they no longer match their hash.
    pub skipped: Vec<String>,
    pub bytes: u64,
}

#[derive(Debug)]
pub enum BackupError {
    /// Opening or reading the database failed (locked, damaged, ...).
    Store(StoreError),
    /// There is no database to back up.
    NoDatabase(PathBuf),
    /// The target already exists and is never overwritten.
    Exists { path: PathBuf, database: bool },
    /// The backup file is damaged, truncated, or not a backup at all.
    Invalid { file: PathBuf, detail: String },
    /// The backup was written by a newer saps.
    TooNew { file: PathBuf, detail: String },
    /// The operating system refused (disk full, permissions, ...).
    Io { path: PathBuf, detail: String },
    /// Deliverable copies are damaged or missing, and leaving them out was
    /// not allowed (`--allow-missing-files`): no backup was written.
    MissingFiles { names: Vec<String> },
    /// The database holds the backup's events already (by their ids):
    /// restored there before, or backed up from it; nothing was restored.
    AlreadyHeld { path: PathBuf, held: Held },
    /// A team member's login tried to restore into a shared database: only
    /// the database's owner may.
    NotOwner { role: String, at: String },
}

impl BackupError {
    /// Refusals (exit 1), as opposed to runs that could not start (exit 2).
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            BackupError::Exists { .. }
                | BackupError::AlreadyHeld { .. }
                | BackupError::Invalid { .. }
                | BackupError::TooNew { .. }
                | BackupError::MissingFiles { .. }
                | BackupError::NotOwner { .. }
        )
    }
}

impl fmt::Display for BackupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BackupError::Store(e) => e.fmt(f),
            BackupError::NoDatabase(p) => write!(f, "there is no database at {} to back up", p.display()),
            BackupError::Exists { path, database: true } => write!(
                f,
                "{} already holds a database, and restore never overwrites one: give --db a new path, or move the old database away first",
                path.display()
            ),
            BackupError::Exists {
                path,
                database: false,
            } => write!(
                f,
                "{} already exists, and backup never overwrites a file: choose a new name",
                path.display()
            ),
            BackupError::AlreadyHeld {
                path,
                held: Held::All,
            } => write!(
                f,
                "{} already holds every event of this backup (it was restored there before, or backed up from it), so nothing is missing and nothing was restored",
                path.display()
            ),
            BackupError::AlreadyHeld {
                path,
                held: Held::Earlier,
            } => write!(
                f,
                "{} holds an earlier state of this backup's database (its first events, not its last), and restore never overwrites one: give --db a new path, or move the old database away first",
                path.display()
            ),
            BackupError::Invalid { file, detail } => write!(
                f,
                "{} is not a usable saps backup: {detail}; nothing was restored",
                file.display()
            ),
            BackupError::TooNew { file, detail } => write!(
                f,
                "{} was written by a newer saps ({detail}); restore it with a newer saps",
                file.display()
            ),
            BackupError::Io { path, detail } => write!(f, "cannot use {}: {detail}", path.display()),
            BackupError::MissingFiles { names } => write!(
                f,
                "{} deliverable file(s) the reports name are damaged or missing ({}), so no backup was written; run `saps check` to see which reports they belong to, or `saps backup --allow-missing-files FILE` to back up everything else",
                names.len(),
                names.join(", ")
            ),
            BackupError::NotOwner { role, at } => write!(
                f,
                "only the owner of the database restores a backup into it, and {role} is not the owner of {at}; nothing was restored (connect as the role that owns the database)"
            ),
        }
    }
}

impl std::error::Error for BackupError {}

impl From<StoreError> for BackupError {
    fn from(e: StoreError) -> Self {
        BackupError::Store(e)
    }
}

pub(super) fn io_err(path: &Path) -> impl Fn(io::Error) -> BackupError + '_ {
    move |e| BackupError::Io {
        path: path.to_path_buf(),
        detail: e.to_string(),
    }
}

/// Backs up the database at `db` into `file`, which must not exist. A
/// deliverable copy that is damaged or missing stops the backup (nothing is
/// written) unless `allow_missing_files`; then it is left out and named in
/// [`Summary::skipped`].
pub fn backup(db: &Path, file: &Path, allow_missing_files: bool) -> Result<Summary, BackupError> {
    if let Some(url) = db.to_str().filter(|d| super::postgres::is_url(d)) {
        let store = super::postgres::PgStore::open(url)?;
        return store.backup(file, allow_missing_files);
    }
    if !db.exists() {
        return Err(BackupError::NoDatabase(db.to_path_buf()));
    }
    let store = Store::open_scan(db)?;
    write_open(&store, file, allow_missing_files)
}

/// Backs up an open database into `file`, which must not exist (see
/// [`backup`]; the automatic backup before a migration allows missing files).
pub fn write_open(store: &Store, file: &Path, allow_missing_files: bool) -> Result<Summary, BackupError> {
    if fs::symlink_metadata(file).is_ok() {
        return Err(BackupError::Exists {
            path: file.to_path_buf(),
            database: false,
        });
    }
    let meta = store.raw_get(keys::META.as_bytes(), keys::SCHEMA_VERSION_KEY)?;
    let schema = meta
        .as_deref()
        .and_then(keys::parse_schema_version)
        .unwrap_or(SCHEMA_VERSION);
    let out = AtomicFile::create(file).map_err(io_err(file))?;
    let mut w = Writer::new(BufWriter::new(out), schema).map_err(io_err(file))?;
    let mut summary = Summary {
        schema,
        ..Summary::default()
    };
    // One entry at a time, in key order: nothing is held but the entry (and
    // of the audit log, one block), each event under its own seq.
    for name in store.tree_names()? {
        if name == keys::IDS.as_bytes() {
            // The log's lookup, not a record: a restore builds it again.
            continue;
        }
        w.tree(&name).map_err(io_err(file))?;
        let entries: Box<dyn Iterator<Item = Result<super::RawEntry, StoreError>>> =
            match name == keys::EVENTS.as_bytes() {
                true => Box::new(store.event_entries().map(|e| e.map(with_id))),
                false => Box::new(store.raw_records(&name)?),
            };
        for item in entries {
            let (k, v) = item?;
            // A demo's moved clock belongs to that demo, not to its data.
            if name == keys::META.as_bytes() && k == keys::DEMO_CLOCK_KEY {
                continue;
            }
            w.entry(&k, &v).map_err(io_err(file))?;
            summary.entries += 1;
        }
        summary.trees += 1;
    }
    for (sha, path) in files::stored(store.path()) {
        let size = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let same = crate::domain::records::Attachment {
            name: sha.clone(),
            sha256: sha.clone(),
            size,
        };
        let content = match files::verify(store.path(), &same).and_then(|()| {
            File::open(&path).map_err(|e| files::FileError::Store {
                path: path.clone(),
                detail: e.to_string(),
            })
        }) {
            Ok(f) => f,
            Err(_) => {
                summary.skipped.push(sha);
                continue;
            }
        };
        w.file(&sha, size, content).map_err(io_err(&path))?;
        summary.files += 1;
    }
    let written: std::collections::BTreeSet<String> = files::stored(store.path())
        .into_iter()
        .map(|(sha, _)| sha)
        .filter(|sha| !summary.skipped.contains(sha))
        .collect();
    for sha in named_files(store)? {
        if !written.contains(&sha) && !summary.skipped.contains(&sha) {
            summary.skipped.push(sha);
        }
    }
    seal(w, file, summary, allow_missing_files)
}

/// One event's entry with its id in its bytes: an event stored before ids
/// gets the one it reads with, so that every backup of the same log, from
/// either backend, carries the same bytes. Damaged bytes stay as they are.
fn with_id((k, v): super::RawEntry) -> super::RawEntry {
    if v.first() != Some(&super::codec::FORMAT_VERSION) {
        return (k, v);
    }
    match super::codec::decode_event(&v) {
        Ok(r) => {
            let v = super::codec::event_bytes_with_id(&v, r.id);
            (k, v)
        }
        Err(_) => (k, v),
    }
}

/// The end of every backup, from either backend: with a deliverable copy
/// missing (named in `summary.skipped`) and `allow_missing_files` unset,
/// nothing is left at `file`; otherwise the written file is put in place.
pub(crate) fn seal(
    w: Writer<BufWriter<AtomicFile>>,
    file: &Path,
    mut summary: Summary,
    allow_missing_files: bool,
) -> Result<Summary, BackupError> {
    if !allow_missing_files && !summary.skipped.is_empty() {
        // The temporary file goes with `w`: nothing is left at `file`.
        return Err(BackupError::MissingFiles {
            names: summary.skipped,
        });
    }
    let (buffered, len) = w.finish().map_err(io_err(file))?;
    let out = buffered.into_inner().map_err(|e| io_err(file)(e.into_error()))?;
    out.commit(false).map_err(|e| match e.kind() {
        io::ErrorKind::AlreadyExists => BackupError::Exists {
            path: file.to_path_buf(),
            database: false,
        },
        _ => io_err(file)(e),
    })?;
    summary.bytes = len;
    Ok(summary)
}

/// The hash of every deliverable copy a report names. A voucher that does
/// not decode names none here (`saps check` reports it).
fn named_files(store: &Store) -> Result<std::collections::BTreeSet<String>, BackupError> {
    let named = super::guard::guarded(
        || super::sled_store::sled_files(store.path()),
        || {
            let mut named = std::collections::BTreeSet::new();
            for item in super::scan::scan(&store.vouchers) {
                let (_, value) = item.map_err(|e| store.err(e))?;
                let Ok(v) = super::codec::decode::<crate::domain::records::Voucher>(&value) else {
                    continue;
                };
                if let Some(a) = v.report.and_then(|r| r.fields.deliverable) {
                    named.insert(a.sha256);
                }
            }
            Ok(named)
        },
    )?;
    Ok(named)
}
