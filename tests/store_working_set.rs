//! The store loads a command's working set (`Store::hydrate`) exactly as the
//! domain defines it (`State::restricted`, which `domain_props` proves
//! sufficient), and the index it keeps beside the records stays equal to
//! the one rebuilt from them, through the desk's and exec's commits.

use chrono::Duration;
use saps::demo;
use saps::domain::command::{CancelReservation, Redeem};
use saps::domain::records::Stage;
use saps::domain::{Catalog, Command, Ctx, Names, State, execute};
use saps::store::{Store, index};

fn demo_store() -> (tempfile::TempDir, std::sync::Arc<Store>, State) {
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(Store::open(&dir.path().join("demo.db")).unwrap());
    let state = demo::seed(store.clone(), &Catalog::builtin()).unwrap();
    (dir, store, state)
}

fn hydrated(store: &Store, names: &Names) -> State {
    let mut ws = store.working_state().unwrap();
    store.hydrate(&mut ws, names).unwrap();
    ws
}

fn index_tree(store: &Store) -> Vec<(Vec<u8>, Vec<u8>)> {
    store.raw_entries(b"index").unwrap()
}

#[test]
fn hydrate_loads_what_restricted_defines() {
    let (_dir, store, full) = demo_store();
    let ids: Vec<String> = full.vouchers.keys().cloned().collect();
    assert!(ids.len() > 20);
    let customers: Vec<String> = full.customers.keys().cloned().collect();
    let invoices: Vec<String> = full.invoices.keys().cloned().collect();
    let mut cases = vec![
        Names::default(),
        Names {
            vouchers: vec!["NO-SUCH".into()],
            customers: vec!["LIC-NONE".into()],
            invoices: vec!["INV-NONE".into()],
            customer_history: true,
            redeemed_offerings: true,
        },
    ];
    for (i, id) in ids.iter().enumerate() {
        cases.push(Names {
            vouchers: vec![id.clone()],
            customers: vec![customers[i % customers.len()].clone()],
            invoices: vec![invoices[i % invoices.len()].clone()],
            customer_history: i % 2 == 0,
            redeemed_offerings: false,
        });
    }
    cases.push(Names {
        vouchers: ids.clone(),
        ..Names::default()
    });
    for names in &cases {
        let want = full.restricted(names);
        assert_eq!(hydrated(&store, names), want, "{names:?}");
    }
    let all = hydrated(
        &store,
        &Names {
            vouchers: ids.clone(),
            customer_history: true,
            ..Names::default()
        },
    );
    assert_eq!(all.vouchers, full.vouchers, "every voucher through its customers");
    assert_eq!(
        all.ledgers, full.ledgers,
        "the stored ledgers are the derived ones"
    );
}

#[test]
fn the_index_follows_every_commit_of_a_working_set() {
    let (_dir, store, full) = demo_store();
    assert_eq!(
        index_tree(&store),
        index::expected(&full).into_iter().collect::<Vec<_>>()
    );
    let catalog = Catalog::builtin();
    let now = demo::now();
    // Each delivered voucher redeemed, each reservation cancelled, one
    // command at a time on its own working set, as the desk does.
    let mut changed = 0;
    for v in full.vouchers.values() {
        let cmd = match v.stage {
            Stage::Delivered => Command::Redeem(Redeem {
                voucher_ids: vec![v.voucher_id.clone()],
            }),
            Stage::Reserved => Command::CancelReservation(CancelReservation {
                voucher_id: v.voucher_id.clone(),
                reason: "moved".into(),
            }),
            _ => continue,
        };
        let mut ws = hydrated(&store, &cmd.names());
        let ctx = Ctx {
            now,
            actor: Some(demo::ADMIN),
            catalog: &catalog,
        };
        if let Ok(recorded) = saps::session::with_fresh_ids(execute(&mut ws, &cmd, &ctx)) {
            store.commit(&ws, &recorded).unwrap();
            changed += 1;
        }
    }
    assert!(changed >= 4, "only {changed} commands went through");
    let after = store.load().unwrap();
    assert_ne!(after, full);
    assert_eq!(
        index_tree(&store),
        index::expected(&after).into_iter().collect::<Vec<_>>()
    );
    // The redeemed offerings reach a fresh working state.
    assert_eq!(
        store.working_state().unwrap().redeemed_offerings,
        after.redeemed_offerings
    );
    let report = saps::check::check(&store, (now + Duration::days(1)).date_naive());
    assert!(report.healthy(), "{}", report.render());
}
