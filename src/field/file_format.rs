//! The bytes of a packet or bundle file: readable with `head`, checked by hash.
//!
//! ```text
//! SAPS-PACKET 1\n                       magic and format version
//! sha256 <64 hex> json <N>\n             SHA-256 of the N bytes of JSON
//! <N bytes of JSON>\n                    the content, pretty-printed
//! <file bytes, one after another>        sizes and hashes listed in the JSON
//! ```
//!
//! The checksum covers the JSON; each enclosed file is checked against the
//! SHA-256 the JSON lists for it, so a changed deliverable is named as such.
//! Reading is bounded: the whole file at most [`MAX_FILE`] bytes, the JSON at
//! most [`MAX_JSON`], each enclosed file at most the deliverable limit.

use super::FieldError;
use crate::domain::records::Attachment;
use crate::store::Backend;
use crate::store::durable::AtomicFile;
use crate::store::files::{self, hex};
use sha2::{Digest, Sha256};
use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::Path;

/// The format this program writes and reads.
pub const FORMAT: u32 = 1;
/// The largest JSON part read (16 MiB).
pub const MAX_JSON: u64 = 16 << 20;
/// The largest file read: the JSON and two deliverables, with room to spare.
pub const MAX_FILE: u64 = MAX_JSON + 2 * files::MAX_BYTES + 4096;

/// Which of the two files: its magic word and what it is called in messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Packet,
    Bundle,
}

impl Kind {
    pub fn magic(self) -> &'static str {
        match self {
            Kind::Packet => "SAPS-PACKET",
            Kind::Bundle => "SAPS-BUNDLE",
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Kind::Packet => "engagement packet",
            Kind::Bundle => "completion-report bundle",
        }
    }
    fn a_name(self) -> &'static str {
        match self {
            Kind::Packet => "an engagement packet",
            Kind::Bundle => "a completion-report bundle",
        }
    }
    fn command(self) -> &'static str {
        match self {
            Kind::Packet => "saps packet import",
            Kind::Bundle => "saps bundle import",
        }
    }
    fn other(self) -> Kind {
        match self {
            Kind::Packet => Kind::Bundle,
            Kind::Bundle => Kind::Packet,
        }
    }
}

/// A file read and checked: its JSON and the bytes that follow it.
#[derive(Debug)]
pub struct Container {
    pub json: Vec<u8>,
    pub tail: Vec<u8>,
}

/// Writes `json` and then `enclosed` to `target`, never over an existing
/// file: under a temporary name, fsynced, then linked into place.
pub fn write(target: &Path, kind: Kind, json: &[u8], enclosed: &[&[u8]]) -> Result<u64, FieldError> {
    if target.exists() {
        return Err(FieldError::Refused(format!(
            "{} already exists; saps never overwrites a file, choose another name",
            target.display()
        )));
    }
    let io = |e: std::io::Error| FieldError::Io(format!("cannot write {}: {e}", target.display()));
    let mut out = AtomicFile::create(target).map_err(io)?;
    let header = format!(
        "{} {FORMAT}\nsha256 {} json {}\n",
        kind.magic(),
        hex(&Sha256::digest(json)),
        json.len()
    );
    out.write_all(header.as_bytes()).map_err(io)?;
    out.write_all(json).map_err(io)?;
    out.write_all(b"\n").map_err(io)?;
    let mut len = header.len() as u64 + json.len() as u64 + 1;
    for bytes in enclosed {
        out.write_all(bytes).map_err(io)?;
        len += bytes.len() as u64;
    }
    out.commit(false).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            FieldError::Refused(format!(
                "{} already exists; saps never overwrites a file",
                target.display()
            ))
        } else {
            io(e)
        }
    })?;
    Ok(len)
}

/// Reads `path` as a file of `kind`: header, format version and checksum.
pub fn read(path: &Path, kind: Kind) -> Result<Container, FieldError> {
    let shown = path.display();
    let file = File::open(path).map_err(|e| FieldError::Io(format!("cannot read {shown}: {e}")))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| FieldError::Io(format!("cannot read {shown}: {e}")))?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(refused(path, kind, format!("it is larger than {MAX_FILE} bytes")));
    }
    parse(&bytes)
        .map_err(|why| refused(path, kind, why))
        .and_then(|(magic, version, rest)| {
            if magic != kind.magic() {
                let why = if magic == kind.other().magic() {
                    format!(
                        "it is {}, not {}; use `{}`",
                        kind.other().a_name(),
                        kind.a_name(),
                        kind.other().command()
                    )
                } else {
                    format!("it does not start like a saps {}", kind.name())
                };
                return Err(refused(path, kind, why));
            }
            if version != FORMAT {
                return Err(refused(
                    path,
                    kind,
                    format!("it has format {version}; this saps reads format {FORMAT} (use a newer saps)"),
                ));
            }
            Ok(rest)
        })
}

fn refused(path: &Path, kind: Kind, why: String) -> FieldError {
    FieldError::Refused(format!(
        "{} is not a usable {}: {why}",
        path.display(),
        kind.name()
    ))
}

/// Splits the header off and checks the JSON against its checksum.
fn parse(bytes: &[u8]) -> Result<(String, u32, Container), String> {
    let (first, rest) = line(bytes, 64).ok_or("its first line is not a saps header")?;
    let (magic, version) = first
        .split_once(' ')
        .ok_or("its first line is not a saps header")?;
    let version: u32 = version
        .parse()
        .map_err(|_| "its format version is not a number")?;
    let (second, rest) = line(rest, 160).ok_or("its checksum line is missing or damaged")?;
    let parts: Vec<&str> = second.split(' ').collect();
    let ["sha256", sum, "json", len] = parts.as_slice() else {
        return Err("its checksum line is missing or damaged".to_owned());
    };
    if !files::is_sha256(sum) {
        return Err("its checksum is not 64 hex digits".to_owned());
    }
    let len: u64 = len.parse().map_err(|_| "its content length is not a number")?;
    if len > MAX_JSON {
        return Err(format!("its content claims {len} bytes, more than {MAX_JSON}"));
    }
    if len + 1 > rest.len() as u64 {
        return Err(format!(
            "it is truncated: the content claims {len} bytes, {} are left",
            rest.len()
        ));
    }
    let (json, rest) = rest.split_at(len as usize);
    if hex(&Sha256::digest(json)) != *sum {
        return Err("its checksum does not match its content (the file was changed or damaged)".to_owned());
    }
    let tail = rest
        .strip_prefix(b"\n")
        .ok_or("its content does not end where its header says")?;
    let container = Container {
        json: json.to_vec(),
        tail: tail.to_vec(),
    };
    Ok((magic.to_owned(), version, container))
}

/// The text before the first newline within `max` bytes, and what follows.
fn line(bytes: &[u8], max: usize) -> Option<(&str, &[u8])> {
    let end = bytes.iter().take(max).position(|b| *b == b'\n')?;
    let text = std::str::from_utf8(&bytes[..end]).ok()?;
    Some((text, &bytes[end + 1..]))
}

/// The JSON's format version must be the header's (both are this saps's).
pub fn same_version(path: &Path, kind: Kind, json_version: u32) -> Result<(), FieldError> {
    if json_version == FORMAT {
        return Ok(());
    }
    Err(refused(
        path,
        kind,
        format!("its content says format version {json_version}, its header {FORMAT}"),
    ))
}

/// The enclosed files, split off `tail` by the sizes `listed`, each checked
/// against its hash. `file` and `what` name the file in messages.
pub fn enclosed(
    tail: &[u8],
    listed: &[Attachment],
    file: &Path,
    what: &str,
) -> Result<Vec<Vec<u8>>, FieldError> {
    let file = file.display();
    let total = listed.iter().try_fold(0u64, |sum, a| sum.checked_add(a.size));
    if total != Some(tail.len() as u64) {
        let total = total.map_or("more than 2^64".to_owned(), |t| t.to_string());
        return Err(FieldError::Refused(format!(
            "the {what} {file} is damaged: it lists {total} bytes of enclosed files but holds {}",
            tail.len()
        )));
    }
    let mut out = Vec::new();
    let mut rest = tail;
    for a in listed {
        if a.size > files::MAX_BYTES {
            return Err(FieldError::Refused(format!(
                "the deliverable {} in the {what} {file} has {} bytes, more than a deliverable may have",
                a.name, a.size
            )));
        }
        let (bytes, after) = rest.split_at(a.size as usize);
        if hex(&Sha256::digest(bytes)) != a.sha256 {
            return Err(FieldError::Refused(format!(
                "deliverable hash mismatch: the copy of {} in the {what} {file} does not match its SHA-256 {} (the file was changed or damaged)",
                a.name, a.sha256
            )));
        }
        out.push(bytes.to_vec());
        rest = after;
    }
    Ok(out)
}

/// Reads a stored deliverable for a file being written.
pub fn stored_copy(store: &dyn Backend, a: &Attachment) -> Result<Vec<u8>, FieldError> {
    store.read_file(a).map_err(|e| FieldError::Refused(e.to_string()))
}

/// Makes sure the directory `target` goes into exists.
pub fn ensure_parent(target: &Path) -> Result<(), FieldError> {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() && !p.exists() => {
            fs::create_dir_all(p).map_err(|e| FieldError::Io(format!("cannot create {}: {e}", p.display())))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_back_and_catches_a_changed_byte() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.sapspacket");
        let json = br#"{"a": 1}"#;
        write(&path, Kind::Packet, json, &[b"abc"]).unwrap();
        let c = read(&path, Kind::Packet).unwrap();
        assert_eq!(c.json, json);
        assert_eq!(c.tail, b"abc");
        let err = read(&path, Kind::Bundle).unwrap_err().to_string();
        assert!(err.contains("saps packet import"), "{err}");
        assert!(matches!(
            write(&path, Kind::Packet, json, &[]),
            Err(FieldError::Refused(_))
        ));
        let mut bytes = fs::read(&path).unwrap();
        let at = bytes.windows(3).position(|w| w == b": 1").unwrap();
        bytes[at + 2] = b'2';
        let changed = dir.path().join("q.sapspacket");
        fs::write(&changed, &bytes).unwrap();
        let err = read(&changed, Kind::Packet).unwrap_err().to_string();
        assert!(err.contains("checksum"), "{err}");
    }

    #[test]
    fn a_huge_claimed_length_is_refused() {
        let header = format!("SAPS-BUNDLE 1\nsha256 {} json 999999999999\n", "a".repeat(64));
        let err = parse(header.as_bytes()).err().unwrap();
        assert!(err.contains("more than"), "{err}");
    }
}
