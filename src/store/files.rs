//! Deliverable files, kept beside the database: copied into
//! `<database>/deliverables/<sha256>`, written whole under a temporary name,
//! fsynced and renamed, and checked against their hash when read. sled keeps
//! only the [`Attachment`] (hash, original name, size). No sled here.

use super::durable::{AtomicFile, sync_dir};
use crate::domain::records::Attachment;
use crate::domain::rejection::shorten;
use sha2::{Digest, Sha256};
use std::fmt;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// The largest deliverable accepted, in bytes (50 MB).
pub const MAX_BYTES: u64 = 50_000_000;

/// The directory, inside the database's, that holds the deliverables.
pub const DIR: &str = "deliverables";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    /// The file is larger than [`MAX_BYTES`].
    TooLarge { size: u64 },
    /// The file could be opened but not read to its end.
    Unreadable { path: PathBuf, detail: String },
    /// The database's directory could not take the copy.
    Store { path: PathBuf, detail: String },
    /// A stored copy is missing or does not match its hash.
    Damaged { name: String, detail: String },
    /// The path names a directory, a device, a FIFO or a socket.
    NotAFile { path: PathBuf, what: &'static str },
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::TooLarge { size } => write!(
                f,
                "the file has {size} bytes, more than the {MAX_BYTES} (50 MB) a deliverable may have"
            ),
            FileError::Unreadable { path, detail } => {
                write!(
                    f,
                    "cannot read {}: {detail}",
                    shorten(&path.display().to_string())
                )
            }
            FileError::Store { path, detail } => {
                write!(f, "cannot store a copy in {}: {detail}", path.display())
            }
            FileError::NotAFile { path, what } => write!(
                f,
                "{} is {what}, not a file; give the path of the deliverable's file itself",
                shorten(&path.display().to_string())
            ),
            FileError::Damaged { name, detail } => write!(
                f,
                "the stored copy of the deliverable {name} is damaged ({detail}); run `saps check`, or `saps restore` from a backup"
            ),
        }
    }
}

impl std::error::Error for FileError {}

/// Copies the file at `path` (relative to the current directory) into the
/// store of the database at `db`. `Ok(None)` when nothing is there to read
/// (no such file, a dangling link, no permission): the caller keeps only the
/// path. A directory, device, FIFO or socket is refused ([`FileError::NotAFile`]);
/// links are followed, to regular files only.
pub fn attach(db: &Path, path: &Path) -> Result<Option<Attachment>, FileError> {
    attach_with(path, |file| copy_in(db, file))
}

/// [`attach`] into any store: `copy_in` takes the opened file and returns
/// its hash and size (the sled store's directory, PostgreSQL's table).
pub fn attach_with(
    path: &Path,
    copy_in: impl FnOnce(File) -> Result<(String, u64), FileError>,
) -> Result<Option<Attachment>, FileError> {
    // The type is checked before opening (opening a FIFO to read blocks
    // until a writer comes), then again on the opened handle, in case the
    // path was swapped in between; the open itself never blocks.
    let Ok(meta) = fs::metadata(path) else {
        return Ok(None);
    };
    regular(path, &meta)?;
    let Ok(file) = open_nonblocking(path) else {
        return Ok(None);
    };
    let meta = file.metadata().map_err(|e| FileError::Unreadable {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })?;
    regular(path, &meta)?;
    if meta.len() > MAX_BYTES {
        return Err(FileError::TooLarge { size: meta.len() });
    }
    let (sha256, size) = copy_in(file).map_err(|e| match e {
        FileError::Unreadable { detail, .. } => FileError::Unreadable {
            path: path.to_path_buf(),
            detail,
        },
        other => other,
    })?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    Ok(Some(Attachment { name, sha256, size }))
}

/// `Ok` for a regular file; what else it is, refused.
fn regular(path: &Path, meta: &fs::Metadata) -> Result<(), FileError> {
    if meta.is_file() {
        return Ok(());
    }
    let t = meta.file_type();
    let what = if t.is_dir() {
        "a directory"
    } else {
        special_kind(&t)
    };
    Err(FileError::NotAFile {
        path: path.to_path_buf(),
        what,
    })
}

#[cfg(unix)]
fn special_kind(t: &fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_fifo() {
        "a named pipe (FIFO)"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &fs::FileType) -> &'static str {
    "not a regular file"
}

/// Opens `path` to read without waiting for a writer (a FIFO swapped in
/// after the type check would otherwise block the open).
fn open_nonblocking(path: &Path) -> io::Result<File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// The stored copy's bytes, checked against the attachment's hash and size.
pub fn read_verified(db: &Path, a: &Attachment) -> Result<Vec<u8>, FileError> {
    let path = stored_path(db, &a.sha256).ok_or_else(|| damaged(a, "its hash is not 64 hex digits"))?;
    if a.size > MAX_BYTES {
        return Err(damaged(a, "its recorded size is over the limit"));
    }
    let file = File::open(&path).map_err(|e| damaged(a, &e.to_string()))?;
    let mut bytes = Vec::new();
    file.take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| damaged(a, &e.to_string()))?;
    check(a, bytes.len() as u64, &hex(&Sha256::digest(&bytes)))?;
    Ok(bytes)
}

/// Checks the stored copy without keeping its bytes.
pub fn verify(db: &Path, a: &Attachment) -> Result<(), FileError> {
    let path = stored_path(db, &a.sha256).ok_or_else(|| damaged(a, "its hash is not 64 hex digits"))?;
    let file = File::open(&path).map_err(|e| damaged(a, &e.to_string()))?;
    let mut hasher = Sha256::new();
    let size = io::copy(&mut file.take(MAX_BYTES + 1), &mut HashOnly(&mut hasher))
        .map_err(|e| damaged(a, &e.to_string()))?;
    check(a, size, &hex(&hasher.finalize()))
}

pub(super) fn check(a: &Attachment, size: u64, sha: &str) -> Result<(), FileError> {
    if size != a.size {
        return Err(damaged(a, &format!("{size} bytes instead of {}", a.size)));
    }
    if sha != a.sha256 {
        return Err(damaged(a, "its content does not match its hash"));
    }
    Ok(())
}

pub(super) fn damaged(a: &Attachment, detail: &str) -> FileError {
    FileError::Damaged {
        name: format!("{} ({})", a.name, a.sha256),
        detail: detail.to_owned(),
    }
}

/// Where the copy with this hash lives; `None` when `sha256` is not 64
/// lower-case hex digits (so damaged data never names another path).
pub fn stored_path(db: &Path, sha256: &str) -> Option<PathBuf> {
    is_sha256(sha256).then(|| db.join(DIR).join(sha256))
}

pub fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Every stored copy (file named by a hash), sorted by hash.
pub fn stored(db: &Path) -> Vec<(String, PathBuf)> {
    let Ok(dir) = fs::read_dir(db.join(DIR)) else {
        return Vec::new();
    };
    let mut out: Vec<(String, PathBuf)> = dir
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            is_sha256(&name).then(|| (name, e.path()))
        })
        .collect();
    out.sort();
    out
}

/// Streams at most [`MAX_BYTES`] from `source` into the store, named by its
/// hash. Returns the hash and the size.
pub fn copy_in(db: &Path, source: impl Read) -> Result<(String, u64), FileError> {
    let dir = db.join(DIR);
    let store_err = |e: io::Error| FileError::Store {
        path: dir.clone(),
        detail: match e.kind() {
            io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => super::disk::DISK_FULL.to_owned(),
            _ => e.to_string(),
        },
    };
    if !dir.exists() {
        fs::create_dir_all(&dir).map_err(store_err)?;
        sync_dir(db).map_err(store_err)?;
    }
    // The temporary name is replaced by the hash once it is known.
    let mut temp = AtomicFile::create(&dir.join("incoming")).map_err(store_err)?;
    let mut hasher = Sha256::new();
    let mut limited = source.take(MAX_BYTES + 1);
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = match limited.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(FileError::Unreadable {
                    path: PathBuf::from("the deliverable"),
                    detail: e.to_string(),
                });
            }
        };
        size += n as u64;
        if size > MAX_BYTES {
            return Err(FileError::TooLarge { size });
        }
        hasher.update(&buf[..n]);
        temp.write_all(&buf[..n]).map_err(store_err)?;
    }
    let sha = hex(&hasher.finalize());
    let target = dir.join(&sha);
    let same = Attachment {
        name: sha.clone(),
        sha256: sha.clone(),
        size,
    };
    if target.exists() && verify(db, &same).is_ok() {
        // The same bytes are already stored; the temporary copy goes.
        return Ok((sha, size));
    }
    temp.commit_as(&target, true).map_err(store_err)?;
    Ok((sha, size))
}

/// Lower-case hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A writer that only hashes.
struct HashOnly<'a>(&'a mut Sha256);

impl Write for HashOnly<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
