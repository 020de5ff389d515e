//! The backup file's bytes. Everything is big-endian.
//!
//! ```text
//! magic "SAPSBAK\0" | format u16 | schema u32
//! records, each starting with a tag byte:
//!   1 tree   name_len u16, name          (the entries after it are this tree's)
//!   2 entry  key_len u32, key, value_len u32, value
//!   3 file   name_len u16, name, size u64, bytes   (a deliverable, named by hash)
//!   0 end
//! SHA-256 of every byte before it (32 bytes)
//! ```
//!
//! Reading is bounded: every length is checked against a limit and against
//! the bytes left before the checksum, before anything is allocated.

use sha2::{Digest, Sha256};
use std::io::{self, Read, Write};

pub const MAGIC: &[u8; 8] = b"SAPSBAK\0";
/// The backup format this program writes and reads.
pub const FORMAT: u16 = 1;
pub const HEADER_LEN: u64 = 8 + 2 + 4;
pub const CHECKSUM_LEN: u64 = 32;

const END: u8 = 0;
const TREE: u8 = 1;
const ENTRY: u8 = 2;
const FILE: u8 = 3;

const MAX_NAME: u64 = 1024;
const MAX_KEY: u64 = 1 << 20;
const MAX_VALUE: u64 = 64 << 20;

/// Writes a backup, hashing every byte.
pub struct Writer<W: Write> {
    out: W,
    hasher: Sha256,
    written: u64,
}

impl<W: Write> Writer<W> {
    pub fn new(out: W, schema: u32) -> io::Result<Writer<W>> {
        let mut w = Writer {
            out,
            hasher: Sha256::new(),
            written: 0,
        };
        w.put(MAGIC)?;
        w.put(&FORMAT.to_be_bytes())?;
        w.put(&schema.to_be_bytes())?;
        Ok(w)
    }

    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.hasher.update(bytes);
        self.written += bytes.len() as u64;
        self.out.write_all(bytes)
    }

    fn name(&mut self, name: &[u8]) -> io::Result<()> {
        let len = u16::try_from(name.len()).map_err(|_| io::Error::other("name too long"))?;
        self.put(&len.to_be_bytes())?;
        self.put(name)
    }

    fn blob(&mut self, bytes: &[u8]) -> io::Result<()> {
        let len = u32::try_from(bytes.len()).map_err(|_| io::Error::other("value too long"))?;
        self.put(&len.to_be_bytes())?;
        self.put(bytes)
    }

    pub fn tree(&mut self, name: &[u8]) -> io::Result<()> {
        self.put(&[TREE])?;
        self.name(name)
    }

    pub fn entry(&mut self, key: &[u8], value: &[u8]) -> io::Result<()> {
        self.put(&[ENTRY])?;
        self.blob(key)?;
        self.blob(value)
    }

    /// A file of exactly `size` bytes read from `content`.
    pub fn file(&mut self, name: &str, size: u64, content: impl Read) -> io::Result<()> {
        self.put(&[FILE])?;
        self.name(name.as_bytes())?;
        self.put(&size.to_be_bytes())?;
        let mut content = content.take(size);
        let mut buf = vec![0u8; 64 * 1024];
        let mut copied = 0;
        loop {
            let n = content.read(&mut buf)?;
            if n == 0 {
                break;
            }
            copied += n as u64;
            self.put(&buf[..n])?;
        }
        if copied != size {
            return Err(io::Error::other(format!("{name} shrank while it was copied")));
        }
        Ok(())
    }

    /// Writes the end mark and the checksum; returns the output and the
    /// file's length.
    pub fn finish(mut self) -> io::Result<(W, u64)> {
        self.put(&[END])?;
        let digest = self.hasher.finalize();
        self.out.write_all(&digest)?;
        Ok((self.out, self.written + CHECKSUM_LEN))
    }
}

/// What the header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub format: u16,
    pub schema: u32,
}

/// Reads the header: `Err` names what is wrong.
pub fn read_header(bytes: &[u8; HEADER_LEN as usize]) -> Result<Header, String> {
    if &bytes[..8] != MAGIC {
        return Err("it does not start like a saps backup".to_owned());
    }
    let format = u16::from_be_bytes([bytes[8], bytes[9]]);
    let schema = u32::from_be_bytes([bytes[10], bytes[11], bytes[12], bytes[13]]);
    Ok(Header { format, schema })
}

/// The SHA-256 of the first `len` bytes of `input`.
pub fn digest_of(mut input: impl Read, len: u64) -> io::Result<Vec<u8>> {
    let mut hasher = Sha256::new();
    let copied = io::copy(&mut (&mut input).take(len), &mut Hashing(&mut hasher))?;
    if copied != len {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the file is shorter than it was",
        ));
    }
    Ok(hasher.finalize().to_vec())
}

struct Hashing<'a>(&'a mut Sha256);

impl Write for Hashing<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// One record of the body.
#[derive(Debug, PartialEq, Eq)]
pub enum Item {
    Tree(Vec<u8>),
    Entry(Vec<u8>, Vec<u8>),
    /// A file's name and size; its bytes follow and must be taken with
    /// [`Reader::file_content`] before the next item.
    File {
        name: String,
        size: u64,
    },
    End,
}

/// Reads the records after the header, never past `left` bytes.
pub struct Reader<R: Read> {
    input: R,
    left: u64,
}

impl<R: Read> Reader<R> {
    /// `input` positioned just after the header; `left` is the body's length
    /// (the file's length less the header and the checksum).
    pub fn new(input: R, left: u64) -> Reader<R> {
        Reader { input, left }
    }

    pub fn left(&self) -> u64 {
        self.left
    }

    fn take(&mut self, n: u64, max: u64, what: &str) -> Result<Vec<u8>, String> {
        if n > max {
            return Err(format!("a {what} claims {n} bytes, more than {max}"));
        }
        if n > self.left {
            return Err(format!(
                "a {what} claims {n} bytes but only {} are left",
                self.left
            ));
        }
        let mut buf = vec![0u8; n as usize];
        self.input
            .read_exact(&mut buf)
            .map_err(|e| format!("cannot read a {what}: {e}"))?;
        self.left -= n;
        Ok(buf)
    }

    fn u16(&mut self) -> Result<u64, String> {
        let b = self.take(2, 2, "length")?;
        Ok(u16::from_be_bytes([b[0], b[1]]) as u64)
    }

    fn u32(&mut self) -> Result<u64, String> {
        let b = self.take(4, 4, "length")?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as u64)
    }

    fn u64(&mut self) -> Result<u64, String> {
        let b = self.take(8, 8, "size")?;
        let mut a = [0u8; 8];
        a.copy_from_slice(&b);
        Ok(u64::from_be_bytes(a))
    }

    /// The next record; `Err` says why the body cannot be read.
    pub fn next_item(&mut self, max_file: u64) -> Result<Item, String> {
        let tag = self.take(1, 1, "record tag")?[0];
        match tag {
            END => Ok(Item::End),
            TREE => {
                let n = self.u16()?;
                Ok(Item::Tree(self.take(n, MAX_NAME, "tree name")?))
            }
            ENTRY => {
                let n = self.u32()?;
                let key = self.take(n, MAX_KEY, "key")?;
                let n = self.u32()?;
                let value = self.take(n, MAX_VALUE, "value")?;
                Ok(Item::Entry(key, value))
            }
            FILE => {
                let n = self.u16()?;
                let name = self.take(n, MAX_NAME, "file name")?;
                let name = String::from_utf8(name).map_err(|_| "a file name is not UTF-8".to_owned())?;
                let size = self.u64()?;
                if size > max_file || size > self.left {
                    return Err(format!("the file {name} claims {size} bytes"));
                }
                Ok(Item::File { name, size })
            }
            other => Err(format!("unknown record tag {other}")),
        }
    }

    /// The bytes of the file just announced by [`Item::File`].
    pub fn file_content(&mut self, size: u64) -> impl Read + '_ {
        self.left -= size.min(self.left);
        (&mut self.input).take(size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        let mut w = Writer::new(Vec::new(), 1).unwrap();
        w.tree(b"meta").unwrap();
        w.entry(b"schema_version", &[0, 0, 0, 1]).unwrap();
        w.file(&"a".repeat(64), 3, &b"abc"[..]).unwrap();
        let (bytes, len) = w.finish().unwrap();
        assert_eq!(len, bytes.len() as u64);
        bytes
    }

    #[test]
    fn reads_back_what_it_wrote() {
        let bytes = sample();
        let body = &bytes[HEADER_LEN as usize..bytes.len() - CHECKSUM_LEN as usize];
        let header: &[u8; 14] = bytes[..14].try_into().unwrap();
        assert_eq!(read_header(header).unwrap(), Header { format: 1, schema: 1 });
        let mut r = Reader::new(body, body.len() as u64);
        assert_eq!(r.next_item(10).unwrap(), Item::Tree(b"meta".to_vec()));
        assert_eq!(
            r.next_item(10).unwrap(),
            Item::Entry(b"schema_version".to_vec(), vec![0, 0, 0, 1])
        );
        let Item::File { size, .. } = r.next_item(10).unwrap() else {
            panic!("expected a file")
        };
        let mut content = Vec::new();
        r.file_content(size).read_to_end(&mut content).unwrap();
        assert_eq!(content, b"abc");
        assert_eq!(r.next_item(10).unwrap(), Item::End);
        assert_eq!(r.left(), 0);
        let digest = digest_of(&bytes[..], bytes.len() as u64 - CHECKSUM_LEN).unwrap();
        assert_eq!(&bytes[bytes.len() - 32..], &digest[..]);
    }

    #[test]
    fn a_huge_claimed_length_is_refused_before_allocating() {
        let mut body = vec![ENTRY];
        body.extend_from_slice(&u32::MAX.to_be_bytes());
        let mut r = Reader::new(&body[..], body.len() as u64);
        let err = r.next_item(10).unwrap_err();
        assert!(err.contains("more than"), "{err}");
    }
}
