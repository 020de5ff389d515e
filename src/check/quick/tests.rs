//! The replay's release of vouchers whose ids share a hash.

use super::*;
use crate::session::Session;
use crate::settings::Settings;
use std::sync::Arc;

/// Two voucher ids that share an [`id_hash`].
fn colliding() -> (String, String) {
    let mut seen: HashMap<u32, String> = HashMap::new();
    for n in 0..2_000_000 {
        let id = format!("DDPS-2026-{n:07}");
        if let Some(other) = seen.insert(id_hash(&id), id.clone()) {
            return (other, id);
        }
    }
    panic!("no two ids share a hash")
}

/// Two vouchers whose ids share a hash, their events interleaved: the
/// one whose last event comes first waits to the end, the other is let
/// go at its last; the log replays to the stored records.
#[test]
fn vouchers_sharing_a_hash_are_let_go_after_their_last_events() {
    let (a, b) = colliding();
    assert_eq!(id_hash(&a), id_hash(&b));
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(&dir.path().join("db")).unwrap());
    let mut session = Session::open(store.clone(), crate::domain::Catalog::builtin()).unwrap();
    let settings = Settings {
        db: Default::default(),
        actor: None,
        now: None,
        catalog: None,
        rates: None,
    };
    let receive = |id: &str| {
        format!(
            r#"{{"at": "2026-01-12", "as": "carol@contoso.example", "cmd": "receive_voucher", "voucher_id": "{id}", "customer": "LIC-88001", "offering": "DDPS", "days": 5, "created_on": "2026-01-10", "admin_email": "pm@fabrikam.example"}}"#
        )
    };
    let validate = |id: &str| {
        format!(
            r#"{{"at": "2026-01-13", "as": "carol@contoso.example", "cmd": "validate_voucher", "voucher_id": "{id}", "admin_email": "pm@fabrikam.example"}}"#
        )
    };
    let walkthrough = include_str!("../../../assets/walkthrough.jsonl");
    let mut lines: Vec<String> = walkthrough.lines().take(10).map(String::from).collect();
    // a, b, a, b, a: b's last event comes before a's.
    lines.extend([receive(&a), receive(&b), validate(&a), validate(&b)]);
    let reserve = walkthrough.lines().nth(12).unwrap();
    lines.push(reserve.replace("DDPS-2026-0001", &a));
    for line in &lines {
        let req = crate::exec::parse_request(line, &settings).unwrap_or_else(|r| panic!("{line}: {r}"));
        session
            .stage(req)
            .unwrap()
            .as_ref()
            .unwrap_or_else(|r| panic!("{line}: {r}"));
    }
    session.commit().unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 1, 14).unwrap();
    let report = check(&store, today).expect("sound");
    assert_eq!(report.vouchers, 2);
    let mut tampered = store.load().unwrap().vouchers[&b].clone();
    tampered.days += 1;
    store
        .raw_set(
            keys::VOUCHERS.as_bytes(),
            b.as_bytes(),
            Some(&codec::encode(&tampered)),
        )
        .unwrap();
    assert!(check(&store, today).is_none(), "a stored voucher unlike its log");
}
