//! Event ids: every recorded event carries a UUIDv7, the same in every
//! store, in backups, and where an event travels (a field bundle). The
//! domain never makes a random or clock-based id: a request's id comes from
//! outside (a line's `"id"`, or a fresh one its caller makes), and its
//! events' ids are derived from it here, so that deciding a request again
//! gives the same ids.
//!
//! - The first event of a request has the request's id; its k-th (k ≥ 1)
//!   has [`nth`]: the request's 48-bit time and random bits from a SHA-256
//!   of the request id and k (version and variant set), so two requests'
//!   events never share an id, whatever ids a script chooses.
//! - An event stored before events had ids has [`legacy`]: the time of its
//!   `at` and random bits from a SHA-256 of its seq: a migration, a restore
//!   and every later read derive the same id.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use uuid::{Builder, Uuid};

/// The id of the `k`-th event (from 0) of the request `request`.
pub fn nth(request: Uuid, k: usize) -> Uuid {
    if k == 0 {
        return request;
    }
    let mut h = Sha256::new();
    h.update(b"saps event of request");
    h.update(request.as_bytes());
    h.update((k as u64).to_be_bytes());
    with_time(&request.as_bytes()[..6], &h.finalize()[..10])
}

/// The id of an event stored without one: `seq`'s, at `at`.
pub fn legacy(seq: u64, at: DateTime<Utc>) -> Uuid {
    let ms = u64::try_from(at.timestamp_millis()).unwrap_or(0);
    let mut h = Sha256::new();
    h.update(b"saps event without an id");
    h.update(seq.to_be_bytes());
    with_time(&ms.to_be_bytes()[2..], &h.finalize()[..10])
}

/// A reproducible id for a request of generated data (the demo, the scale
/// generator) made at `at`, `n` its place (the seq before it): the same database made twice (on
/// either store) has the same ids, so its backups are equal.
pub fn generated(what: &str, n: u64, at: DateTime<Utc>) -> Uuid {
    let ms = u64::try_from(at.timestamp_millis()).unwrap_or(0);
    let mut h = Sha256::new();
    h.update(b"saps generated request ");
    h.update(what.as_bytes());
    h.update(n.to_be_bytes());
    with_time(&ms.to_be_bytes()[2..], &h.finalize()[..10])
}

/// A UUIDv7 of the 48-bit big-endian time `ms` and 74 bits of `random`.
fn with_time(ms: &[u8], random: &[u8]) -> Uuid {
    let mut bytes = [0u8; 16];
    bytes[..6].copy_from_slice(ms);
    bytes[6..].copy_from_slice(random);
    Builder::from_bytes(bytes)
        .with_version(uuid::Version::SortRand)
        .with_variant(uuid::Variant::RFC4122)
        .into_uuid()
}

/// Whether `id` is a UUIDv7 (what a line's `"id"` must be).
pub fn is_v7(id: &Uuid) -> bool {
    id.get_version_num() == 7 && id.get_variant() == uuid::Variant::RFC4122
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn derived_ids_are_v7_distinct_and_stable() {
        let req = Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001);
        assert_eq!(nth(req, 0), req);
        let ids: Vec<Uuid> = (0..100).map(|k| nth(req, k)).collect();
        assert!(ids[1..].iter().all(is_v7));
        assert_eq!(ids.iter().collect::<std::collections::BTreeSet<_>>().len(), 100);
        assert_eq!(nth(req, 5), ids[5]);
        // The request's time stays: its events sort with it, by time.
        assert!(ids.iter().all(|i| i.as_bytes()[..6] == req.as_bytes()[..6]));
        // A script's sequential ids do not meet each other's events.
        let next = Uuid::from_u128(req.as_u128() + 1);
        assert!(!ids.contains(&next));
        let at = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        assert_eq!(legacy(7, at), legacy(7, at));
        assert_ne!(legacy(7, at), legacy(8, at));
        assert!(is_v7(&legacy(7, at)));
        let ms = at.timestamp_millis() as u64;
        assert_eq!(legacy(7, at).get_timestamp().unwrap().to_unix().0, ms / 1000);
    }
}
