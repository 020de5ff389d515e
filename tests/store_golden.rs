//! Golden bytes of the stored format.
//!
//! If this fails you changed the stored format; bump FORMAT_VERSION and add
//! a migration (decode the old version with frozen copies of the old types
//! and upgrade them with `From`, and a step in `store::migrate`). Do not just
//! paste the new bytes in.
//!
//! One exception so far: `ReportFields::deliverable` was added before any
//! release, while no database of format 1 existed outside development, so
//! these bytes were updated and FORMAT_VERSION stays 1.

use chrono::{DateTime, NaiveDate, Utc};
use saps::domain::records::*;
use saps::domain::{Event, Recorded};
use saps::store::codec;

const VOUCHER_HEX: &str = concat!(
    "010a5643482d303030313233084c49432d31303031045344505305fb94901270",
    "6d40636f6e746f736f2e6578616d706c650601fd0200dd0ee902000001157368",
    "617265706f696e742d6465706c6f796d656e740655532d534541025553fbd890",
    "fbe0900113626f4066616272696b616d2e6578616d706c65010d454d45412064",
    "69766973696f6e0101fbd89001fbe09001040101010000000000000440010f44",
    "65706c6f796d656e7420506c616e010b7368613235362f616231320114506c61",
    "6e6e65642074686520726f6c6c6f75742e010650696c6f742e0112706d40636f",
    "6e746f736f2e6578616d706c6501010108706c616e2e70646640396638366430",
    "3831383834633764363539613266656161306335356164303135613362663466",
    "3162326230623832326364313564366331356230663030613038fb55bc01fd00",
    "6e0b21ea0200000113626f4066616272696b616d2e6578616d706c6501fd0030",
    "f72cea020000fb5c910105494e562d370655532d534541025553fb7c15035553",
    "44fd00f2e238ea0200000101055245462d37010d77726f6e6720636f756e7472",
    "79fdf6bc7d74ea020000",
);
const RECORDED_HEX: &str = concat!(
    "012afdce9b1286e9020000146164614066616272696b616d2e6578616d706c65",
    "0b0a5643482d303030313233157368617265706f696e742d6465706c6f796d65",
    "6e740655532d534541025553fbd890fbe0900113626f4066616272696b616d2e",
    "6578616d706c65010d454d4541206469766973696f6e",
);

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap()
}

fn reservation() -> Reservation {
    Reservation {
        engagement: "sharepoint-deployment".into(),
        location_id: "US-SEA".into(),
        country: "US".into(),
        start: day(2020, 10, 5),
        end: day(2020, 10, 9),
        consultants: vec!["bo@fabrikam.example".into()],
        distinct_scope: Some("EMEA division".into()),
    }
}

/// A voucher with every field and every optional part set.
fn golden_voucher() -> Voucher {
    let fields = ReportFields {
        delivered_start: Some(day(2020, 10, 5)),
        delivered_end: Some(day(2020, 10, 9)),
        onsite_days: Some(4),
        offsite_days: Some(1),
        walk_on_hours: Some(2.5),
        deliverable_kind: Some("Deployment Plan".into()),
        deliverable_path: Some("sha256/ab12".into()),
        summary: Some("Planned the rollout.".into()),
        next_steps: Some("Pilot.".into()),
        customer_contact: Some("pm@contoso.example".into()),
        customer_accepted: Some(true),
        deliverable: Some(Attachment {
            name: "plan.pdf".into(),
            sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into(),
            size: 48_213,
        }),
    };
    let payment = Payment {
        outcome: Outcome::Denied,
        reference: "REF-7".into(),
        reason: Some("wrong country".into()),
        recorded_at: at(1_603_000_000_123),
    };
    Voucher {
        voucher_id: "VCH-000123".into(),
        customer: "LIC-1001".into(),
        offering: "SDPS".into(),
        days: 5,
        created_on: day(2020, 9, 1),
        admin_email: "pm@contoso.example".into(),
        stage: Stage::Denied,
        validated_at: Some(at(1_600_000_000_001)),
        reservation: Some(reservation()),
        report: Some(Report {
            fields,
            submitted_at: Some(at(1_602_300_000_000)),
            submitted_by: Some("bo@fabrikam.example".into()),
        }),
        redemption: Some(Redemption {
            redeemed_at: at(1_602_400_000_000),
            invoice_deadline: day(2020, 12, 10),
        }),
        invoices: vec![Invoice {
            invoice_number: "INV-7".into(),
            location_id: "US-SEA".into(),
            country: "US".into(),
            amount: 5500,
            currency: "USD".into(),
            requested_at: at(1_602_500_000_000),
            payment: Some(payment),
        }],
    }
}

fn golden_recorded() -> Recorded {
    Recorded {
        seq: 42,
        id: uuid::Uuid::from_u128(0x0174_b8f1_e7e7_7abc_8def_0123_4567_89ab),
        id_given: false,
        at: at(1_601_000_000_999),
        actor: "ada@fabrikam.example".into(),
        event: Event::VoucherReserved {
            voucher_id: "VCH-000123".into(),
            reservation: reservation(),
        },
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn voucher_bytes_are_unchanged() {
    let v = golden_voucher();
    assert_eq!(hex(&codec::encode(&v)), VOUCHER_HEX);
    assert_eq!(codec::decode::<Voucher>(&unhex(VOUCHER_HEX)).unwrap(), v);
}

#[test]
fn recorded_event_bytes_are_unchanged() {
    let r = golden_recorded();
    assert_eq!(hex(&codec::encode(&r)), RECORDED_HEX);
    // The codec's form leaves the id out (the event's serde form).
    let no_id = Recorded {
        id: uuid::Uuid::nil(),
        id_given: false,
        ..r.clone()
    };
    assert_eq!(codec::decode::<Recorded>(&unhex(RECORDED_HEX)).unwrap(), no_id);
    // Stored before ids, the event reads with the id its seq and time give.
    let legacy = codec::decode_event(&unhex(RECORDED_HEX)).unwrap();
    assert_eq!(legacy.id, saps::domain::ids::legacy(42, r.at));
    assert_eq!(legacy, Recorded { id: legacy.id, ..r });
}

/// Schema 4: an event's stored bytes are version 2, the same bytes as
/// above after it, then its id's 16 bytes.
#[test]
fn an_event_with_its_id_has_golden_bytes() {
    let r = golden_recorded();
    let with_id = format!("02{}{}", &RECORDED_HEX[2..], "0174b8f1e7e77abc8def0123456789ab");
    assert_eq!(hex(&codec::try_encode_event(&r).unwrap()), with_id);
    assert_eq!(codec::decode_event(&unhex(&with_id)).unwrap(), r);
    assert_eq!(codec::event_id(&unhex(&with_id)), Some(r.id));
    assert_eq!(
        codec::event_bytes_with_id(&unhex(RECORDED_HEX), r.id),
        unhex(&with_id)
    );
    assert!(codec::decode_event(&unhex(&with_id[..with_id.len() - 34])).is_err());
}

#[test]
fn golden_bytes_start_with_the_format_version() {
    assert_eq!(unhex(VOUCHER_HEX)[0], codec::FORMAT_VERSION);
    assert_eq!(unhex(RECORDED_HEX)[0], codec::FORMAT_VERSION);
}

/// `MpnRenewed` was added after every earlier event variant: its bytes name
/// it by its place at the end (0x14, the 21st), so the older events' bytes
/// (above) did not move and FORMAT_VERSION stays 1.
const MPN_RENEWED_HEX: &str = "012bfdd09b1286e9020000146164614066616272696b616d2e6578616d706c6514fb0ea4";

#[test]
fn an_event_added_at_the_end_has_its_own_golden_bytes() {
    let r = Recorded {
        seq: 43,
        id: uuid::Uuid::from_u128(0x0174_b8f1_ebd0_7abc_8def_0123_4567_89ac),
        id_given: false,
        at: at(1_601_000_001_000),
        actor: "ada@fabrikam.example".into(),
        event: Event::MpnRenewed {
            mpn_expires: day(2027, 6, 30),
        },
    };
    assert_eq!(hex(&codec::encode(&r)), MPN_RENEWED_HEX);
    let back = codec::decode::<Recorded>(&unhex(MPN_RENEWED_HEX)).unwrap();
    assert_eq!(back, Recorded { id: back.id, ..r });
}
