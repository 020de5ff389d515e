//! Making files survive a power cut: fsync of files and directories, and
//! files written whole under a temporary name, fsynced, then renamed.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Fsyncs a directory, so that files created or renamed in it stay there.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// The directory a path lives in (`.` for a bare file name).
pub fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A name beside `target` that no other writer in this or another process
/// uses at the same moment: `.<name>.<pid>-<n>.tmp`.
pub fn temp_beside(target: &Path) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    parent_dir(target).join(format!(".{name}.{}-{n}.tmp", std::process::id()))
}

/// A file being written under a temporary name; [`AtomicFile::commit`]
/// fsyncs it, renames it to its target and fsyncs the directory. Dropped
/// without a commit, the temporary file is removed.
pub struct AtomicFile {
    file: Option<File>,
    temp: PathBuf,
    target: PathBuf,
}

impl AtomicFile {
    /// Creates the temporary file (owner-only on Unix) beside `target`.
    pub fn create(target: &Path) -> io::Result<AtomicFile> {
        let temp = temp_beside(target);
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(&temp)?;
        Ok(AtomicFile {
            file: Some(file),
            temp,
            target: target.to_path_buf(),
        })
    }

    /// Makes the file durable under its target name. When `replace` is
    /// false and the target exists, fails with `AlreadyExists` and leaves
    /// the target alone.
    pub fn commit(self, replace: bool) -> io::Result<()> {
        let target = self.target.clone();
        self.commit_as(&target, replace)
    }

    /// [`AtomicFile::commit`] under another name in the same directory.
    pub fn commit_as(mut self, target: &Path, replace: bool) -> io::Result<()> {
        let file = self
            .file
            .take()
            .ok_or_else(|| io::Error::other("already committed"))?;
        file.sync_all()?;
        drop(file);
        if replace {
            fs::rename(&self.temp, target)?;
        } else {
            // A hard link fails when the target exists, so a file someone
            // else wrote meanwhile is never replaced. FAT and exFAT (USB
            // sticks) have no hard links: there the file is copied to a
            // name created only if it does not exist.
            match fs::hard_link(&self.temp, target) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Err(e),
                Err(_) => copy_to_new(&self.temp, target)?,
            }
            fs::remove_file(&self.temp)?;
        }
        sync_dir(&parent_dir(target))
    }
}

/// The no-overwrite commit where hard links are not supported: `target` is
/// created only if it does not exist (else `AlreadyExists`, nothing
/// touched), `temp`'s bytes are written to it and fsynced, and the
/// directory is fsynced. Not atomic: a crash midway may leave a short
/// `target`, which the reader's checksums refuse; a failed copy removes it.
pub(crate) fn copy_to_new(temp: &Path, target: &Path) -> io::Result<()> {
    let mut from = File::open(temp)?;
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut to = options.open(target)?;
    let copied = io::copy(&mut from, &mut to).and_then(|_| to.sync_all());
    if let Err(e) = copied {
        drop(to);
        let _ = fs::remove_file(target);
        return Err(e);
    }
    sync_dir(&parent_dir(target))
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.file.as_mut() {
            Some(f) => f.write(buf),
            None => Err(io::Error::other("already committed")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.file.as_mut() {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.file.is_some() || self.temp.exists() {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

/// Writes `bytes` to `target` atomically (see [`AtomicFile`]).
pub fn write_atomic(target: &Path, bytes: &[u8], replace: bool) -> io::Result<()> {
    let mut f = AtomicFile::create(target)?;
    f.write_all(bytes)?;
    f.commit(replace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_files_and_never_replaces_unless_asked() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.bin");
        write_atomic(&target, b"one", false).unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"one");
        let err = write_atomic(&target, b"two", false).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&target).unwrap(), b"one");
        write_atomic(&target, b"three", true).unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"three");
        let left: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file is left behind");
    }

    #[test]
    fn without_hard_links_the_copy_never_replaces_either() {
        let dir = tempfile::tempdir().unwrap();
        let temp = dir.path().join(".a.tmp");
        let target = dir.path().join("a.bin");
        fs::write(&temp, b"one").unwrap();
        copy_to_new(&temp, &target).unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"one");
        fs::write(&temp, b"two").unwrap();
        let err = copy_to_new(&temp, &target).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&target).unwrap(), b"one", "left alone");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&target).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "owner-only, as the temporary file");
        }
        let missing = copy_to_new(&dir.path().join("gone"), &dir.path().join("b.bin"));
        assert!(missing.is_err());
        assert!(!dir.path().join("b.bin").exists(), "nothing created");
    }

    #[test]
    fn an_abandoned_file_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut f = AtomicFile::create(&dir.path().join("x")).unwrap();
        f.write_all(b"partial").unwrap();
        drop(f);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
