//! Stored value encoding: one format version byte, then bincode 2 (serde,
//! `standard()` config). Decoding is bounded and total: any input gives a
//! value or a [`CodecError`], never a panic or a huge allocation.

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
pub fn try_encode<T: Serialize>(v: &T) -> Result<Vec<u8>, CodecError> {
    let body = bincode::serde::encode_to_vec(v, config()).map_err(|e| CodecError::Bincode(e.to_string()))?;
    let mut out = Vec::with_capacity(body.len() + 1);
    out.push(FORMAT_VERSION);
    out.extend_from_slice(&body);
    Ok(out)
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
    let (value, used) = bincode::serde::decode_from_slice(body, config().with_limit::<LIMIT>())
        .map_err(|e| CodecError::Bincode(e.to_string()))?;
    if used != body.len() {
        return Err(CodecError::TrailingBytes(body.len() - used));
    }
    Ok(value)
}
