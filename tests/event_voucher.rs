//! `Event::voucher_id` (what `saps check` reads per event without copying
//! anything) names the same voucher as `Event::touches`, on every event of
//! the demo, which holds every kind of voucher event.

use saps::domain::Catalog;
use saps::domain::event::Touch;
use saps::store::Store;
use std::collections::BTreeSet;
use std::sync::Arc;

#[test]
fn voucher_id_names_the_voucher_an_event_touches() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(&dir.path().join("demo.db")).unwrap());
    saps::demo::seed(store.clone(), &Catalog::builtin()).unwrap();
    let mut kinds = BTreeSet::new();
    let mut events = 0;
    store
        .for_each_event(&mut |r: saps::domain::Recorded| {
            let touched: Vec<String> = r
                .event
                .touches()
                .into_iter()
                .filter_map(|t| match t {
                    Touch::Voucher(id) => Some(id),
                    _ => None,
                })
                .collect();
            assert!(touched.len() <= 1, "event {} touches {touched:?}", r.seq);
            assert_eq!(
                r.event.voucher_id(),
                touched.first().map(String::as_str),
                "event {}",
                r.seq
            );
            if !touched.is_empty() {
                let name = serde_json::to_value(&r.event).unwrap();
                let kind = match name {
                    serde_json::Value::Object(m) => m.keys().next().cloned().unwrap_or_default(),
                    other => other.to_string(),
                };
                kinds.insert(kind);
            }
            events += 1;
        })
        .unwrap();
    assert!(events > 50);
    for kind in [
        "voucher_received",
        "voucher_validated",
        "voucher_reserved",
        "report_draft_saved",
        "report_submitted",
        "voucher_redeemed",
        "payment_requested",
        "payment_recorded",
    ] {
        assert!(kinds.contains(kind), "the demo has {kind}: {kinds:?}");
    }
}
