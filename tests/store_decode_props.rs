//! Every decoder of stored bytes is total: random bytes and mutations of
//! real encoded records give a value or an error, never a panic or a huge
//! allocation. Covers each stored type and the backup file's reader.

mod fixtures;

use fixtures::{sample_events, sample_state};
use proptest::prelude::*;
use saps::domain::records::{Attachment, Customer, Org, Voucher};
use saps::domain::{Recorded, State};
use saps::store::backup::format::{Item, Reader};
use saps::store::codec;

/// One encoded value of every stored type, the voucher with every part.
fn real_values() -> Vec<Vec<u8>> {
    let state: State = sample_state();
    let mut out = vec![codec::encode(&state.org)];
    out.extend(state.customers.values().map(codec::encode));
    for v in state.vouchers.values() {
        let mut v = v.clone();
        if let Some(report) = v.report.as_mut() {
            report.fields.deliverable = Some(Attachment {
                name: "plan.pdf".into(),
                sha256: "ab".repeat(32),
                size: 1234,
            });
        }
        out.push(codec::encode(&v));
    }
    out.extend(sample_events(&state).iter().map(codec::encode));
    out
}

fn decode_all(bytes: &[u8]) {
    let _ = codec::decode::<Org>(bytes);
    let _ = codec::decode::<Customer>(bytes);
    let _ = codec::decode::<Voucher>(bytes);
    let _ = codec::decode::<Recorded>(bytes);
    let _ = codec::decode::<Attachment>(bytes);
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Set(usize, u8),
    Insert(usize, Vec<u8>),
    Remove(usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0u8..8).prop_map(|(i, b)| Mutation::Flip(i, b)),
        // 0xFB..0xFF are bincode's varint markers for wide integers: lengths.
        (
            any::<usize>(),
            prop_oneof![
                Just(0xFBu8),
                Just(0xFC),
                Just(0xFD),
                Just(0xFE),
                Just(0xFF),
                any::<u8>()
            ]
        )
            .prop_map(|(i, b)| Mutation::Set(i, b)),
        (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..12))
            .prop_map(|(i, v)| Mutation::Insert(i, v)),
        (any::<usize>(), 1usize..16).prop_map(|(i, n)| Mutation::Remove(i, n)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn mutate(bytes: &mut Vec<u8>, m: &Mutation) {
    let at = |i: usize, len: usize| if len == 0 { 0 } else { i % len };
    match m {
        Mutation::Flip(i, b) if !bytes.is_empty() => {
            let i = at(*i, bytes.len());
            bytes[i] ^= 1 << b;
        }
        Mutation::Set(i, b) if !bytes.is_empty() => {
            let i = at(*i, bytes.len());
            bytes[i] = *b;
        }
        Mutation::Insert(i, v) => {
            let i = at(*i, bytes.len() + 1);
            bytes.splice(i..i, v.iter().copied());
        }
        Mutation::Remove(i, n) if !bytes.is_empty() => {
            let i = at(*i, bytes.len());
            let end = (i + n).min(bytes.len());
            bytes.drain(i..end);
        }
        Mutation::Truncate(i) => {
            let keep = at(*i, bytes.len() + 1);
            bytes.truncate(keep);
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_bytes_never_panic(mut bytes in proptest::collection::vec(any::<u8>(), 0..400), versioned: bool) {
        if versioned {
            bytes.insert(0, codec::FORMAT_VERSION);
        }
        decode_all(&bytes);
    }

    #[test]
    fn mutated_records_never_panic(which in any::<usize>(), mutations in proptest::collection::vec(mutation(), 1..6)) {
        let values = real_values();
        let mut bytes = values[which % values.len()].clone();
        for m in &mutations {
            mutate(&mut bytes, m);
        }
        decode_all(&bytes);
    }

    #[test]
    fn the_backup_reader_never_panics(body in proptest::collection::vec(any::<u8>(), 0..300), claimed in 0u64..400) {
        let mut reader = Reader::new(&body[..], claimed.min(body.len() as u64));
        for _ in 0..64 {
            match reader.next_item(1 << 20) {
                Ok(Item::End) | Err(_) => break,
                Ok(Item::File { size, .. }) => {
                    let mut sink = Vec::new();
                    let _ = std::io::Read::read_to_end(&mut reader.file_content(size), &mut sink);
                }
                Ok(_) => {}
            }
        }
    }
}

#[test]
fn the_real_values_decode_before_mutation() {
    let values = real_values();
    assert!(values.len() > 10);
    let state = sample_state();
    let voucher: Voucher = codec::decode(&codec::encode(&state.vouchers["VCH-000003"])).unwrap();
    assert_eq!(voucher, state.vouchers["VCH-000003"]);
}
