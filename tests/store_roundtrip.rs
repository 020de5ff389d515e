//! The sled store: commit, reopen, load; its layout; damage; the codec; the lock.

mod fixtures;

use fixtures::{at, open_retry, raw_sled, raw_sled_current, sample_events, sample_state};
use proptest::prelude::*;
use saps::domain::records::{Customer, Org, Voucher};
use saps::domain::{Event, Recorded, State};
use saps::store::codec::{self, CodecError};
use saps::store::{SCHEMA_VERSION, Store, StoreError, keys};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn fresh_database_loads_empty() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    assert_eq!(store.load().unwrap(), State::default());
    assert!(store.events().unwrap().is_empty());
    store.commit(&sample_state(), &[]).unwrap();
    assert_eq!(
        store.load().unwrap(),
        State::default(),
        "an empty commit writes nothing"
    );
}

#[test]
fn commit_reopen_load_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let state = sample_state();
    let events = sample_events(&state);
    assert_eq!(events.len(), 9);
    {
        let store = Store::open(&path).unwrap();
        store.commit(&state, &events[..3]).unwrap();
        store.commit(&state, &events[3..]).unwrap();
    }
    let store = open_retry(&path).unwrap();
    assert_eq!(store.load().unwrap(), state);
    let stored = store.events().unwrap();
    assert_eq!(stored, events);
    assert_eq!(
        stored.iter().map(|r| r.seq).collect::<Vec<_>>(),
        (1..=9).collect::<Vec<_>>()
    );

    // A touched record missing from the state is removed.
    let mut after = state.clone();
    after.vouchers.remove("VCH-000001");
    after.last_seq = 10;
    after.reindex();
    let gone = Recorded {
        seq: 10,
        id: uuid::Uuid::now_v7(),
        id_given: false,
        at: at(99),
        actor: "ada@fabrikam.example".into(),
        event: Event::VoucherValidated {
            voucher_id: "VCH-000001".into(),
        },
    };
    store.commit(&after, &[gone]).unwrap();
    let loaded = store.load().unwrap();
    assert!(!loaded.vouchers.contains_key("VCH-000001"));
    assert_eq!(loaded, after);
    assert_eq!(store.events().unwrap().len(), 10);
}

#[test]
fn newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let db = raw_sled(&path);
        let meta = db.open_tree(keys::META).unwrap();
        meta.insert(keys::SCHEMA_VERSION_KEY, &(SCHEMA_VERSION + 1).to_be_bytes()[..])
            .unwrap();
        db.flush().unwrap();
    }
    match open_retry(&path) {
        Err(StoreError::TooNew { found, supported })
            if found == SCHEMA_VERSION + 1 && supported == SCHEMA_VERSION => {}
        Err(e) => panic!("expected TooNew, got {e}"),
        Ok(_) => panic!("expected TooNew, the store opened"),
    }
}

#[test]
fn garbage_values_are_named_as_damage() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let db = raw_sled_current(&path);
        db.open_tree(keys::VOUCHERS)
            .unwrap()
            .insert(keys::voucher("VCH-000123"), &[1u8, 0xFF, 0xFF][..])
            .unwrap();
        db.open_tree(keys::EVENTS)
            .unwrap()
            .insert(keys::event(5), &b"junk"[..])
            .unwrap();
        db.flush().unwrap();
    }
    let store = open_retry(&path).unwrap();
    match store.load() {
        Err(StoreError::Damaged { what, .. }) => assert_eq!(what, "voucher VCH-000123"),
        other => panic!("expected Damaged, got {:?}", other.map(|_| ())),
    }
    match store.events() {
        Err(StoreError::Damaged { what, detail }) => {
            assert_eq!(what, "event 5");
            assert!(detail.contains("version"), "{detail}");
        }
        other => panic!("expected Damaged, got {:?}", other.map(|_| ())),
    }
}

#[test]
fn an_event_under_the_wrong_seq_is_damage() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let db = raw_sled_current(&path);
        let mut r = sample_events(&sample_state()).remove(0);
        r.seq = 7;
        let events = db.open_tree(keys::EVENTS).unwrap();
        events.insert(keys::event(6), codec::encode(&r)).unwrap();
        db.flush().unwrap();
    }
    let store = open_retry(&path).unwrap();
    match store.load() {
        Err(StoreError::Damaged { what, .. }) => assert_eq!(what, "event 6"),
        other => panic!("load must refuse a damaged log, got {:?}", other.map(|_| ())),
    }
    match store.events() {
        Err(StoreError::Damaged { what, .. }) => assert_eq!(what, "event 6"),
        other => panic!("expected Damaged, got {:?}", other.map(|_| ())),
    }
}

#[cfg(unix)]
#[test]
fn new_database_directory_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a").join("b").join("db");
    let _store = Store::open(&path).unwrap();
    for p in [&path, &dir.path().join("a")] {
        let mode = std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "{}", p.display());
    }
}

#[test]
fn codec_rejects_bad_bytes() {
    let v = sample_state().vouchers["VCH-000003"].clone();
    let bytes = codec::encode(&v);
    assert_eq!(bytes[0], codec::FORMAT_VERSION);
    assert_eq!(codec::decode::<Voucher>(&bytes).unwrap(), v);
    assert_eq!(codec::decode::<Voucher>(&[]), Err(CodecError::Empty));
    let mut wrong = bytes.clone();
    wrong[0] = 2;
    assert_eq!(
        codec::decode::<Voucher>(&wrong),
        Err(CodecError::UnknownVersion(2))
    );
    for n in 0..bytes.len() {
        assert!(
            codec::decode::<Voucher>(&bytes[..n]).is_err(),
            "prefix of {n} bytes decoded"
        );
    }
    let mut trailing = bytes.clone();
    trailing.push(0);
    assert_eq!(
        codec::decode::<Voucher>(&trailing),
        Err(CodecError::TrailingBytes(1))
    );
}

#[test]
fn codec_refuses_a_length_of_gigabytes() {
    for claimed in [8u64 << 30, 1u64 << 40, u64::MAX / 2] {
        // Version, then bincode's varint marker for a u64 length.
        let mut bytes = vec![codec::FORMAT_VERSION, 0xFD];
        bytes.extend_from_slice(&claimed.to_le_bytes());
        bytes.extend_from_slice(&[b'a'; 64]);
        // Without the decode limit this allocates `claimed` bytes or aborts.
        match codec::decode::<String>(&bytes) {
            Err(CodecError::Bincode(detail)) => assert!(detail.contains("Limit"), "{detail}"),
            other => panic!("{claimed}: expected the limit to refuse it, got {other:?}"),
        }
        assert!(codec::decode::<Vec<u8>>(&bytes).is_err());
        assert!(codec::decode::<Vec<u64>>(&bytes).is_err());
        assert!(codec::decode::<Voucher>(&bytes).is_err());
        assert!(codec::decode::<Recorded>(&bytes).is_err());
    }
}

proptest! {
    #[test]
    fn decode_never_panics(mut bytes in proptest::collection::vec(any::<u8>(), 0..300), versioned in any::<bool>()) {
        if versioned {
            bytes.insert(0, codec::FORMAT_VERSION);
        }
        let _ = codec::decode::<Voucher>(&bytes);
        let _ = codec::decode::<Recorded>(&bytes);
        let _ = codec::decode::<Org>(&bytes);
        let _ = codec::decode::<Customer>(&bytes);
    }
}

const LOCK_ENV: &str = "SAPS_TEST_LOCK_DB";

/// Run only as the child of `second_process_gets_locked`.
#[test]
#[ignore]
fn child_holds_lock() {
    let Some(path) = std::env::var_os(LOCK_ENV) else {
        return;
    };
    let _store = Store::open(Path::new(&path)).unwrap();
    println!("READY");
    std::thread::sleep(Duration::from_secs(3));
}

#[test]
fn second_process_gets_locked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_holds_lock", "--ignored", "--nocapture"])
        .env(LOCK_ENV, &path)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let ready = stdout.lines().map_while(Result::ok).any(|l| l.trim() == "READY");
    assert!(ready, "the child never held the database");
    let start = Instant::now();
    let result = Store::open(&path);
    let took = start.elapsed();
    child.kill().ok();
    child.wait().ok();
    match result {
        Err(e @ StoreError::Locked { .. }) => assert!(e.to_string().contains("open in another saps")),
        Err(e) => panic!("expected Locked, got {e}"),
        Ok(_) => panic!("expected Locked, the store opened"),
    }
    assert!(took < Duration::from_secs(2), "open waited {took:?}");
}
