//! The output lines of `saps exec`, keys in the contract's order. The caller
//! flushes once a group of lines is durable (see `exec`'s group commit).

use crate::domain::{Recorded, Rejection};
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct Accepted<'a> {
    line: u64,
    ok: bool,
    events: &'a [Recorded],
    /// Only on a line whose `"id"` the log held already: the events are
    /// the ones it recorded then, and nothing was applied now.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    already_applied: bool,
}

#[derive(Serialize)]
struct Refused<'a> {
    line: u64,
    ok: bool,
    code: &'a str,
    message: &'a str,
}

/// Writes one JSON object a line to `W`.
pub struct Output<W: Write> {
    out: W,
}

impl<W: Write> Output<W> {
    pub fn new(out: W) -> Output<W> {
        Output { out }
    }

    pub fn accepted(&mut self, line: u64, events: &[Recorded], already_applied: bool) -> io::Result<()> {
        self.write(&Accepted {
            line,
            ok: true,
            events,
            already_applied,
        })
    }

    pub fn refused(&mut self, line: u64, r: &Rejection) -> io::Result<()> {
        self.write(&Refused {
            line,
            ok: false,
            code: r.code.as_str(),
            message: &r.message,
        })
    }

    fn write<T: Serialize>(&mut self, value: &T) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, value)?;
        self.out.write_all(b"\n")
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Code;

    #[test]
    fn keys_come_in_contract_order() {
        let mut o = Output::new(Vec::new());
        o.accepted(1, &[], false).unwrap();
        o.accepted(3, &[], true).unwrap();
        o.refused(2, &Rejection::field(Code::InvalidInput, "days", "is required"))
            .unwrap();
        let text = String::from_utf8(o.out).unwrap();
        assert_eq!(
            text,
            "{\"line\":1,\"ok\":true,\"events\":[]}\n\
             {\"line\":3,\"ok\":true,\"events\":[],\"already_applied\":true}\n\
             {\"line\":2,\"ok\":false,\"code\":\"invalid_input\",\"message\":\"days: is required\"}\n"
        );
    }
}
