//! Reading input lines with a size cap, without ever buffering more than the
//! cap: a longer line is reported and the rest of it skipped as it streams by.

use std::io::{self, BufRead, ErrorKind};

/// The longest line accepted, in bytes (not counting the line ending).
pub const MAX_LINE: usize = 1 << 20;

/// One physical line of input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    Text(String),
    TooLong,
    NotUtf8,
}

impl<R: io::Read> Lines<io::BufReader<R>> {
    /// Whether a whole next line is already buffered, so reading it cannot
    /// block: the group commit goes on collecting lines only while this holds.
    pub fn line_waiting(&self) -> bool {
        self.inner.buffer().contains(&b'\n')
    }
}

/// Lines of a byte stream, split on `\n` (a `\r` before it is dropped),
/// numbered from 1.
pub struct Lines<R> {
    inner: R,
    cap: usize,
    buf: Vec<u8>,
    number: u64,
}

impl<R: BufRead> Lines<R> {
    pub fn new(inner: R) -> Lines<R> {
        Lines::with_cap(inner, MAX_LINE)
    }

    pub fn with_cap(inner: R, cap: usize) -> Lines<R> {
        Lines {
            inner,
            cap,
            buf: Vec::new(),
            number: 0,
        }
    }

    /// The next line and its 1-based number, or `None` at the end.
    pub fn next_line(&mut self) -> io::Result<Option<(u64, Line)>> {
        self.buf.clear();
        let Some(overflowed) = self.read_raw()? else {
            return Ok(None);
        };
        self.number += 1;
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        let line = if overflowed || self.buf.len() > self.cap {
            Line::TooLong
        } else {
            match std::str::from_utf8(&self.buf) {
                Ok(s) => Line::Text(s.to_string()),
                Err(_) => Line::NotUtf8,
            }
        };
        Ok(Some((self.number, line)))
    }

    /// Reads up to and including the next `\n` into `buf`, keeping at most
    /// `cap + 1` bytes (room for a `\r`). Returns whether it overflowed, or
    /// `None` when the stream had nothing left.
    fn read_raw(&mut self) -> io::Result<Option<bool>> {
        let mut overflowed = false;
        let mut read_any = false;
        loop {
            let avail = match self.inner.fill_buf() {
                Ok(a) => a,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if avail.is_empty() {
                return Ok(read_any.then_some(overflowed));
            }
            read_any = true;
            let newline = avail.iter().position(|b| *b == b'\n');
            let chunk = &avail[..newline.unwrap_or(avail.len())];
            if !overflowed && self.buf.len() + chunk.len() > self.cap + 1 {
                overflowed = true;
                self.buf.clear();
            }
            if !overflowed {
                self.buf.extend_from_slice(chunk);
            }
            let used = newline.map_or(avail.len(), |i| i + 1);
            self.inner.consume(used);
            if newline.is_some() {
                return Ok(Some(overflowed));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(input: &[u8], cap: usize) -> Vec<(u64, Line)> {
        let mut lines = Lines::with_cap(io::BufReader::with_capacity(4, input), cap);
        std::iter::from_fn(|| lines.next_line().unwrap()).collect()
    }

    fn text(s: &str) -> Line {
        Line::Text(s.to_string())
    }

    #[test]
    fn splits_numbers_and_strips_cr() {
        let got = all(b"a\r\n\nbc\nlast", 10);
        assert_eq!(
            got,
            vec![(1, text("a")), (2, text("")), (3, text("bc")), (4, text("last"))]
        );
    }

    #[test]
    fn caps_long_lines_and_goes_on() {
        let got = all(b"0123456789\n0123456789A\n0123456789\r\nok\n", 10);
        assert_eq!(
            got,
            vec![
                (1, text("0123456789")),
                (2, Line::TooLong),
                (3, text("0123456789")),
                (4, text("ok"))
            ]
        );
    }

    #[test]
    fn reports_invalid_utf8() {
        let got = all(b"\xff\xfe\nok", 10);
        assert_eq!(got, vec![(1, Line::NotUtf8), (2, text("ok"))]);
    }

    #[test]
    fn empty_input_has_no_lines() {
        assert!(all(b"", 10).is_empty());
        assert_eq!(all(b"\n", 10), vec![(1, text(""))]);
    }
}
