//! The bytes of the `events` tree: the events of one commit stored in
//! blocks, each under the seq of its first event (big-endian, so the keys
//! still sort by seq), written once in the commit's transaction and never
//! rewritten. Fewer keys than one per event keep sled's page table (read
//! whole when a database opens) small (BENCHMARKS.md, issue 11).
//!
//! ```text
//! block: TAG u8 | count u16 | count × (len u32, one event's bytes) | CRC-32 u32
//! ```
//!
//! Every integer is big-endian; the CRC-32 covers every byte before it, so a
//! torn or altered block is damage, not other events. One event's bytes are
//! its [`codec`](super::codec) encoding, as stored in schema 2 under its
//! own key; a value that does not start with [`TAG`] is such a single event
//! (what an interrupted migration leaves) and reads as a block of one.
//! The events of a block have consecutive seqs from its key's.
//!
//! Pure: no sled here; the store's readers are in `log.rs`.

/// The most events in one block.
pub const MAX_EVENTS: usize = 64;

/// The most bytes of events in one block (a single bigger event is a block
/// of its own). sled 0.34 writes a page over 128 KiB to a file of its own
/// under `blobs/`, and splits a leaf past 16 keys: 16 blocks of 6 KiB stay
/// in its log.
pub const MAX_BYTES: usize = 6 * 1024;

/// The first byte of every block; never the first byte of an encoded event
/// (the codec's format version, far below it).
pub const TAG: u8 = 0xEB;

const HEAD: usize = 1 + 2;
const CRC: usize = 4;

/// Whether `value` is a block (rather than a single event).
pub fn is_block(value: &[u8]) -> bool {
    value.first() == Some(&TAG)
}

/// The block holding `events` (each one event's bytes).
pub fn encode<B: AsRef<[u8]>>(events: &[B]) -> Vec<u8> {
    let size: usize = events.iter().map(|e| 4 + e.as_ref().len()).sum();
    let mut out = Vec::with_capacity(HEAD + size + CRC);
    out.push(TAG);
    out.extend_from_slice(&(events.len() as u16).to_be_bytes());
    for e in events {
        let e = e.as_ref();
        out.extend_from_slice(&(e.len() as u32).to_be_bytes());
        out.extend_from_slice(e);
    }
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_be_bytes());
    out
}

/// The events' bytes a value holds, in order: a block's, or the value
/// itself when it is a single event. `Err` says how a block is damaged.
pub fn split(value: &[u8]) -> Result<Vec<&[u8]>, String> {
    if !is_block(value) {
        return Ok(vec![value]);
    }
    if value.len() < HEAD + CRC {
        return Err(format!("a block of {} bytes is cut short", value.len()));
    }
    let (body, crc) = value.split_at(value.len() - CRC);
    let stored = u32::from_be_bytes([crc[0], crc[1], crc[2], crc[3]]);
    if crc32fast::hash(body) != stored {
        return Err("the block's checksum does not match its bytes (torn or altered)".to_owned());
    }
    let count = u16::from_be_bytes([body[1], body[2]]) as usize;
    let mut out = Vec::with_capacity(count);
    let mut rest = &body[HEAD..];
    while !rest.is_empty() {
        if rest.len() < 4 {
            return Err("the block ends inside an event's length".to_owned());
        }
        let len = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        if rest.len() - 4 < len {
            return Err("the block ends inside an event".to_owned());
        }
        out.push(&rest[4..4 + len]);
        rest = &rest[4 + len..];
    }
    if out.len() != count || count == 0 {
        return Err(format!("the block says {count} events but holds {}", out.len()));
    }
    Ok(out)
}

/// How many events a value holds, read from its head only (a single event
/// holds one); `None` when the head is damaged. What finding the last seq
/// needs, without decoding the block (`saps check` reads it whole).
pub fn count(value: &[u8]) -> Option<u64> {
    match value {
        [TAG, a, b, ..] if value.len() >= HEAD + CRC => match u16::from_be_bytes([*a, *b]) {
            0 => None,
            n => Some(u64::from(n)),
        },
        [TAG, ..] => None,
        _ => Some(1),
    }
}

/// Gathers events of consecutive seqs into blocks of at most
/// [`MAX_EVENTS`] events and [`MAX_BYTES`] bytes.
#[derive(Default)]
pub struct Packer {
    first: u64,
    events: Vec<Vec<u8>>,
    bytes: usize,
}

impl Packer {
    /// Adds the event `seq` (its bytes); returns the block finished before
    /// it (its first seq and bytes), when it did not fit or `seq` does not
    /// follow.
    pub fn push(&mut self, seq: u64, event: Vec<u8>) -> Option<(u64, Vec<u8>)> {
        let follows = self.first.checked_add(self.events.len() as u64) == Some(seq);
        let fits = self.events.len() < MAX_EVENTS && self.bytes + event.len() <= MAX_BYTES;
        let done = match self.events.is_empty() || (follows && fits) {
            true => None,
            false => self.finish(),
        };
        if self.events.is_empty() {
            self.first = seq;
        }
        self.bytes += event.len();
        self.events.push(event);
        done
    }

    /// The block being gathered, if any.
    pub fn finish(&mut self) -> Option<(u64, Vec<u8>)> {
        if self.events.is_empty() {
            return None;
        }
        let block = encode(&self.events);
        self.events.clear();
        self.bytes = 0;
        Some((self.first, block))
    }

    /// How many events the block being gathered holds.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }
}

/// The blocks of `events` (seq and bytes each, in seq order).
pub fn pack(events: impl IntoIterator<Item = (u64, Vec<u8>)>) -> Vec<(u64, Vec<u8>)> {
    let mut p = Packer::default();
    let mut out: Vec<(u64, Vec<u8>)> = events.into_iter().filter_map(|(s, e)| p.push(s, e)).collect();
    out.extend(p.finish());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_gives_back_its_events() {
        let events: Vec<Vec<u8>> = vec![vec![1, 2, 3], vec![], vec![1; 300]];
        let block = encode(&events);
        assert!(is_block(&block));
        assert_eq!(count(&block), Some(3));
        let back: Vec<Vec<u8>> = split(&block).unwrap().into_iter().map(<[u8]>::to_vec).collect();
        assert_eq!(back, events);
    }

    #[test]
    fn a_single_event_is_a_block_of_one() {
        assert_eq!(split(&[1, 9, 9]).unwrap(), vec![&[1u8, 9, 9][..]]);
        assert_eq!(count(&[1, 9, 9]), Some(1));
    }

    #[test]
    fn every_torn_or_altered_block_is_damage() {
        let block = encode(&[vec![1u8, 2, 3], vec![1, 4]]);
        for cut in 1..block.len() {
            assert!(split(&block[..cut]).is_err(), "cut at {cut}");
        }
        for i in 1..block.len() {
            let mut altered = block.clone();
            altered[i] ^= 0x10;
            assert!(split(&altered).is_err(), "byte {i} altered");
        }
    }

    #[test]
    fn blocks_are_bounded_and_break_where_seqs_do() {
        let blocks = pack((1..=200).map(|s| (s, vec![0u8; 10])));
        let counts: Vec<u64> = blocks.iter().map(|(_, b)| count(b).unwrap()).collect();
        assert_eq!(counts, [64, 64, 64, 8]);
        assert_eq!(blocks.iter().map(|b| b.0).collect::<Vec<_>>(), [1, 65, 129, 193]);
        let big = pack((1..=3).map(|s| (s, vec![0u8; MAX_BYTES / 2 + 1])));
        assert_eq!(big.len(), 3);
        let gap = pack([(1, vec![1]), (2, vec![1]), (5, vec![1])]);
        assert_eq!(gap.iter().map(|b| b.0).collect::<Vec<_>>(), [1, 5]);
    }
}
