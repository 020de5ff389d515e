//! Stored value encoding: one format version byte, then bincode 2 (serde,
//! `standard()` config). Decoding is bounded and total: any input gives a
//! value or a [`CodecError`], never a panic or a huge allocation.

use crate::domain::{Recorded, ids};
use bincode::enc::write::{SizeWriter, Writer};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt;

/// The version byte every stored value starts with. Bump it (and keep a
/// frozen copy of the old types to decode and upgrade) when a stored type
/// changes shape.
pub const FORMAT_VERSION: u8 = 1;

/// The most bytes a decoder may claim for one value (strings, vectors).
/// Far above any real record; a corrupt length prefix fails instead of
/// allocating gigabytes.
pub const LIMIT: usize = 16 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodecError {
    /// The value has no bytes at all.
    Empty,
    /// The first byte names a format this program does not know.
    UnknownVersion(u8),
    /// bincode could not read (or write) the value.
    Bincode(String),
    /// The value decoded but bytes were left over.
    TrailingBytes(usize),
}

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodecError::Empty => write!(f, "empty value"),
            CodecError::UnknownVersion(v) => {
                write!(
                    f,
                    "unknown format version {v} (this saps writes {FORMAT_VERSION})"
                )
            }
            CodecError::Bincode(detail) => write!(f, "undecodable value: {detail}"),
            CodecError::TrailingBytes(n) => write!(f, "{n} unexpected trailing bytes"),
        }
    }
}

impl std::error::Error for CodecError {}

fn config() -> bincode::config::Configuration {
    bincode::config::standard()
}

/// Encodes `v`, reporting a value serde cannot write (for example a
/// sequence of unknown length) as an error.
///
/// The bytes are measured first and written into one allocation of their
/// size (bincode's own `encode_to_vec` grows a vector from empty: seven
/// allocations for a voucher, and room to spare kept with the bytes).
pub fn try_encode<T: Serialize>(v: &T) -> Result<Vec<u8>, CodecError> {
    encode_with_room(v, 0)
}

/// [`try_encode`] with room for `extra` more bytes.
fn encode_with_room<T: Serialize>(v: &T, extra: usize) -> Result<Vec<u8>, CodecError> {
    let bincode_err = |e: bincode::error::EncodeError| CodecError::Bincode(e.to_string());
    let mut size = SizeWriter::default();
    bincode::serde::encode_into_writer(v, &mut size, config()).map_err(bincode_err)?;
    let mut out = Sized(Vec::with_capacity(1 + size.bytes_written + extra));
    out.0.push(FORMAT_VERSION);
    bincode::serde::encode_into_writer(v, &mut out, config()).map_err(bincode_err)?;
    Ok(out.0)
}

/// A vector bincode writes into (its capacity already the size).
struct Sized(Vec<u8>);

impl Writer for Sized {
    fn write(&mut self, bytes: &[u8]) -> Result<(), bincode::error::EncodeError> {
        self.0.extend_from_slice(bytes);
        Ok(())
    }
}

/// Encodes `v` as stored bytes.
///
/// # Panics
/// Only if `v`'s `Serialize` impl cannot be written by bincode at all, which
/// is a programming error in a stored type (see [`try_encode`]).
pub fn encode<T: Serialize>(v: &T) -> Vec<u8> {
    match try_encode(v) {
        Ok(bytes) => bytes,
        Err(e) => panic!("a stored type cannot be encoded: {e}"),
    }
}

/// Decodes stored bytes written by [`encode`].
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, CodecError> {
    let (&version, body) = bytes.split_first().ok_or(CodecError::Empty)?;
    if version != FORMAT_VERSION {
        return Err(CodecError::UnknownVersion(version));
    }
    decode_body(body)
}

/// The bincode body of a value, after its version byte.
fn decode_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, CodecError> {
    let (value, used) = bincode::serde::decode_from_slice(body, config().with_limit::<LIMIT>())
        .map_err(|e| CodecError::Bincode(e.to_string()))?;
    if used != body.len() {
        return Err(CodecError::TrailingBytes(body.len() - used));
    }
    Ok(value)
}

/// The version byte of an event stored with its id: [`FORMAT_VERSION`]'s
/// bytes of the [`Recorded`] (which leave the id out), then the id's 16
/// bytes. An event written before ids (version [`FORMAT_VERSION`]) reads
/// with the id [`ids::legacy`] derives from its seq and time.
pub const EVENT_WITH_ID: u8 = 2;
/// The same layout for an event whose id was given from outside
/// (`Recorded::id_given`): the one kind of id a store must find again.
pub const EVENT_WITH_GIVEN_ID: u8 = 3;

/// An event's stored bytes, its id included.
pub fn try_encode_event(r: &Recorded) -> Result<Vec<u8>, CodecError> {
    let mut out = encode_with_room(r, 16)?;
    out[0] = match r.id_given {
        true => EVENT_WITH_GIVEN_ID,
        false => EVENT_WITH_ID,
    };
    out.extend_from_slice(r.id.as_bytes());
    Ok(out)
}

/// The id of the event in `bytes` when it was given from outside (version
/// [`EVENT_WITH_GIVEN_ID`]), without decoding the event.
pub fn given_event_id(bytes: &[u8]) -> Option<uuid::Uuid> {
    match bytes.first() {
        Some(&EVENT_WITH_GIVEN_ID) => event_id(bytes),
        _ => None,
    }
}

/// An event's stored bytes, of either version, with its id.
pub fn decode_event(bytes: &[u8]) -> Result<Recorded, CodecError> {
    match bytes.split_first() {
        Some((&v @ (EVENT_WITH_ID | EVENT_WITH_GIVEN_ID), rest)) if rest.len() >= 16 => {
            let (body, id) = rest.split_at(rest.len() - 16);
            let mut r: Recorded = decode_body(body)?;
            r.id = uuid::Uuid::from_slice(id).map_err(|e| CodecError::Bincode(e.to_string()))?;
            r.id_given = v == EVENT_WITH_GIVEN_ID;
            Ok(r)
        }
        Some((&(EVENT_WITH_ID | EVENT_WITH_GIVEN_ID), rest)) => Err(CodecError::Bincode(format!(
            "{} bytes cannot hold an event and its id",
            rest.len()
        ))),
        _ => {
            let mut r: Recorded = decode(bytes)?;
            r.id = ids::legacy(r.seq, r.at);
            Ok(r)
        }
    }
}

/// The id of the event in `bytes` when they carry it (version
/// [`EVENT_WITH_ID`]), without decoding the event.
pub fn event_id(bytes: &[u8]) -> Option<uuid::Uuid> {
    match bytes.split_first() {
        Some((&(EVENT_WITH_ID | EVENT_WITH_GIVEN_ID), rest)) if rest.len() >= 16 => {
            uuid::Uuid::from_slice(&rest[rest.len() - 16..]).ok()
        }
        _ => None,
    }
}

/// An event's stored bytes of either version as bytes that carry `id`
/// (what a backup writes: the PostgreSQL store keeps an older event's id
/// in its own column).
pub fn event_bytes_with_id(bytes: &[u8], id: uuid::Uuid) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let len = out.len();
    match out.first().copied() {
        Some(FORMAT_VERSION) => {
            out[0] = EVENT_WITH_ID;
            out.extend_from_slice(id.as_bytes());
        }
        Some(EVENT_WITH_ID | EVENT_WITH_GIVEN_ID) if len > 16 => {
            out[len - 16..].copy_from_slice(id.as_bytes())
        }
        // Damaged: kept as it is, for a restore and `saps check` to name.
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytes are bincode's own, in one allocation of their size.
    #[test]
    fn encodes_as_bincode_in_one_exact_allocation() {
        let v = (
            "DEMO-0001".to_owned(),
            vec![3u32, 400, 70_000],
            Some("a plan".to_owned()),
            2.5f64,
        );
        let mut expected = vec![FORMAT_VERSION];
        expected.extend(bincode::serde::encode_to_vec(&v, config()).unwrap());
        let bytes = encode(&v);
        assert_eq!(bytes, expected);
        assert_eq!(bytes.capacity(), bytes.len());
        assert_eq!(
            decode::<(String, Vec<u32>, Option<String>, f64)>(&bytes).unwrap(),
            v
        );
    }

    /// Every kind of stored value the demo makes (the org, customers,
    /// vouchers, each event with its id; ledgers have their own encoding)
    /// encodes to the bytes bincode's `encode_to_vec` gives behind the
    /// version byte.
    #[test]
    fn every_stored_value_of_the_demo_encodes_as_before() {
        fn before<T: Serialize>(v: &T) -> Vec<u8> {
            let mut out = vec![FORMAT_VERSION];
            out.extend(bincode::serde::encode_to_vec(v, config()).unwrap());
            out
        }
        let dir = tempfile::tempdir().unwrap();
        let store = std::sync::Arc::new(crate::store::Store::open(&dir.path().join("db")).unwrap());
        let state = crate::demo::seed(store.clone(), &crate::domain::Catalog::builtin()).unwrap();
        assert!(!state.vouchers.is_empty() && !state.customers.is_empty());
        assert_eq!(encode(&state.org), before(&state.org));
        for c in state.customers.values() {
            assert_eq!(encode(c), before(c), "{}", c.licensing_id);
        }
        for (id, v) in &state.vouchers {
            assert_eq!(encode(v), before(v), "{id}");
        }
        let events = crate::store::Backend::events_after(&*store, 0, usize::MAX).unwrap();
        assert_eq!(events.len() as u64, state.last_seq);
        for r in &events {
            let mut old = before(r);
            old[0] = if r.id_given {
                EVENT_WITH_GIVEN_ID
            } else {
                EVENT_WITH_ID
            };
            old.extend_from_slice(r.id.as_bytes());
            let bytes = try_encode_event(r).unwrap();
            assert_eq!(bytes, old, "event {}", r.seq);
            assert_eq!(bytes.capacity(), bytes.len(), "event {}", r.seq);
        }
    }
}
