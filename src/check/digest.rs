//! An order-independent digest of a set of entries: the sum (mod 2^128) of
//! the first 16 bytes of each entry's SHA-256. Two streams of entries given
//! in any order have the same digest when they hold the same entries; it is
//! how the streamed check compares what it cannot hold (the records against
//! the replayed log, the index against the records).

use sha2::{Digest as _, Sha256};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Digest {
    sum: u128,
    count: u64,
}

impl Digest {
    /// Adds one entry made of `parts` (each length-prefixed, so that
    /// `("ab", "c")` and `("a", "bc")` differ).
    pub fn add(&mut self, parts: &[&[u8]]) {
        let mut h = Sha256::new();
        for p in parts {
            h.update((p.len() as u64).to_be_bytes());
            h.update(p);
        }
        let out = h.finalize();
        let mut first = [0u8; 16];
        first.copy_from_slice(&out[..16]);
        self.sum = self.sum.wrapping_add(u128::from_be_bytes(first));
        self.count += 1;
    }

    pub fn count(&self) -> u64 {
        self.count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_order_does_not_matter_but_every_entry_does() {
        let (mut a, mut b, mut c) = (Digest::default(), Digest::default(), Digest::default());
        a.add(&[b"k1", b"v1"]);
        a.add(&[b"k2", b"v2"]);
        b.add(&[b"k2", b"v2"]);
        b.add(&[b"k1", b"v1"]);
        assert_eq!(a, b);
        c.add(&[b"k1", b"v1"]);
        c.add(&[b"k2", b"v3"]);
        assert_ne!(a, c);
        let (mut d, mut e) = (Digest::default(), Digest::default());
        d.add(&[b"ab", b"c"]);
        e.add(&[b"a", b"bc"]);
        assert_ne!(d, e);
    }
}
