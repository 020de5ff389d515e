//! Random command sequences (`common::steps`, as in `domain_props`) run
//! through a real store the way the desk and `saps exec` run them: each
//! command decided on a working set (`working_state` + `hydrate`), the
//! desk committing one command at a time, exec keeping one working state
//! and committing a group of commands at once. After every commit the
//! index the store keeps step by step equals the one rebuilt from the
//! records, and the records equal the whole state the same events build.

mod common;

use common::steps::{Kind, Knobs, command, ready_commands, ready_world, step_strategy};
use common::*;
use proptest::prelude::*;
use saps::domain::{Command, Ctx, Recorded, State, apply, decide, execute};
use saps::store::index;
use saps::store::{Entries, Store};
use std::collections::{BTreeMap, BTreeSet};

/// One step of a run.
#[derive(Debug, Clone)]
enum Step {
    /// The desk: one command (or a move of the clock) on a fresh working
    /// set, committed alone.
    Desk(Kind, Knobs),
    /// `saps exec`: commands (and moves of the clock, as lines' `"at"`) on
    /// its long-lived working state, hydrated before each, committed
    /// together; with `forget`, its records are dropped after the commit
    /// (as exec does once it holds many).
    Group { steps: Vec<(Kind, Knobs)>, forget: bool },
}

fn step() -> impl Strategy<Value = Step> {
    let group = (
        prop::collection::vec(step_strategy(), 2..=5),
        prop::bool::weighted(0.3),
    )
        .prop_map(|(steps, forget)| Step::Group { steps, forget });
    prop_oneof![
        3 => step_strategy().prop_map(|(kind, knobs)| Step::Desk(kind, knobs)),
        1 => group,
    ]
}

/// A store, the whole state its events build (with the clock and the
/// log), and exec's working state while an exec run lasts.
struct Run {
    _dir: tempfile::TempDir,
    store: Store,
    world: World,
    session: Option<State>,
}

impl Run {
    fn new() -> Run {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("saps.db")).unwrap();
        Run {
            _dir: dir,
            store,
            world: World::new(),
            session: None,
        }
    }

    /// The ready partner, each set-up command committed by the desk.
    fn ready() -> Result<Run, TestCaseError> {
        let mut run = Run::new();
        // The deliverable the generated reports name (`plan_copy`).
        saps::store::files::copy_in(run.store.path(), PLAN_BYTES).unwrap();
        for (actor, cmd) in ready_commands() {
            let name = cmd.name();
            let recorded = run.desk(actor, cmd)?;
            prop_assert!(!recorded.is_empty(), "set-up {} was refused", name);
        }
        prop_assert!(
            run.world.state == ready_world().state,
            "the store's set-up is not the ready world"
        );
        Ok(run)
    }

    fn step(&mut self, step: &Step) -> Result<(), TestCaseError> {
        match step {
            Step::Desk(Kind::Advance, k) => self.world.advance(k.n.max(0)),
            Step::Desk(kind, k) => {
                let (actor, cmd) = command(&self.world, *kind, k);
                self.desk(actor, cmd)?;
            }
            Step::Group { steps, forget } => self.group(steps, *forget)?,
        }
        Ok(())
    }

    /// The desk: a fresh working set for one command, committed alone. An
    /// exec run does not overlap the desk (the store is locked), so exec's
    /// working state ends here; the next group starts a new run.
    fn desk(&mut self, actor: &str, cmd: Command) -> Result<Vec<Recorded>, TestCaseError> {
        self.session = None;
        let mut ws = self.store.working_state().unwrap();
        let recorded = decide_on(&self.store, &mut self.world, &mut ws, actor, &cmd)?;
        self.store.commit(&ws, &recorded).unwrap();
        self.agrees(None)?;
        Ok(recorded)
    }

    /// Exec: every command of the group on one working state (kept from the
    /// last group), one commit for all their events.
    fn group(&mut self, steps: &[(Kind, Knobs)], forget: bool) -> Result<(), TestCaseError> {
        let mut ws = match self.session.take() {
            Some(ws) => ws,
            None => self.store.working_state().unwrap(),
        };
        let mut all = Vec::new();
        for (kind, k) in steps {
            if *kind == Kind::Advance {
                self.world.advance(k.n.max(0));
                continue;
            }
            let (actor, cmd) = command(&self.world, *kind, k);
            all.extend(decide_on(&self.store, &mut self.world, &mut ws, actor, &cmd)?);
        }
        self.store.commit(&ws, &all).unwrap();
        self.agrees(Some(&ws))?;
        if forget {
            ws.forget_records();
        }
        self.session = Some(ws);
        Ok(())
    }

    /// After a commit: the index is the one the records call for, the
    /// records are the whole state, and exec's working state (`session`)
    /// holds what the store holds.
    fn agrees(&self, session: Option<&State>) -> Result<(), TestCaseError> {
        let loaded = self.store.load().unwrap();
        let stored = self.store.raw_entries(b"index").unwrap();
        let want: Entries = index::expected(&loaded).into_iter().collect();
        prop_assert!(
            stored == want,
            "after event {}, the index differs from the records:\n{}",
            loaded.last_seq,
            differences(&stored, &want)
        );
        let mut whole = self.world.state.clone();
        whole.reindex();
        prop_assert!(
            loaded == whole,
            "the stored records are not the whole state:\n{}",
            state_differences(&loaded, &whole)
        );
        if let Some(ws) = session {
            held_as_stored(ws, &loaded)?;
        }
        Ok(())
    }
}

/// Decides `cmd` as `actor` on the working state `ws` (hydrated first, as
/// exec and the desk do) and on the whole state: the same decision. The
/// accepted events are applied to both; returns them.
fn decide_on(
    store: &Store,
    w: &mut World,
    ws: &mut State,
    actor: &str,
    cmd: &Command,
) -> Result<Vec<Recorded>, TestCaseError> {
    store.hydrate(ws, &cmd.names()).unwrap();
    let ctx = Ctx {
        now: w.now,
        actor: Some(actor),
        catalog: &w.catalog,
    };
    let whole = decide(&w.state, cmd, &ctx);
    let got = execute(ws, cmd, &ctx);
    prop_assert_eq!(&got, &whole, "{} as {} on {}", cmd.name(), actor, w.today());
    let mut recorded = got.unwrap_or_default();
    saps::session::stamp(&mut recorded, saps::session::fresh_id(), false);
    for r in &recorded {
        apply(&mut w.state, r);
    }
    w.log.extend(recorded.iter().cloned());
    Ok(recorded)
}

/// Every record exec's working state holds is the stored one.
fn held_as_stored(ws: &State, loaded: &State) -> Result<(), TestCaseError> {
    prop_assert_eq!(&ws.org, &loaded.org);
    prop_assert_eq!(ws.last_seq, loaded.last_seq);
    prop_assert_eq!(&ws.redeemed_offerings, &loaded.redeemed_offerings);
    for (id, v) in &ws.vouchers {
        prop_assert_eq!(Some(v), loaded.vouchers.get(id), "voucher {}", id);
    }
    for (id, c) in &ws.customers {
        prop_assert_eq!(Some(c), loaded.customers.get(id), "customer {}", id);
    }
    for (id, l) in &ws.ledgers {
        let stored = loaded.ledgers.get(id).cloned().unwrap_or_default();
        prop_assert_eq!(l, &stored, "ledger of {}", id);
    }
    for (k, id) in &ws.invoices {
        prop_assert_eq!(Some(id), loaded.invoices.get(k), "invoice {}", k);
    }
    Ok(())
}

/// The keys on which the stored index and the expected one differ, in
/// words, with both values.
fn differences(stored: &Entries, want: &Entries) -> String {
    let stored: BTreeMap<&[u8], &[u8]> = stored.iter().map(|(k, v)| (&k[..], &v[..])).collect();
    let want: BTreeMap<&[u8], &[u8]> = want.iter().map(|(k, v)| (&k[..], &v[..])).collect();
    let keys: BTreeSet<&[u8]> = stored.keys().chain(want.keys()).copied().collect();
    let mut out = String::new();
    for key in keys {
        let (have, should) = (stored.get(key), want.get(key));
        if have != should {
            let value = |v: Option<&&[u8]>| v.map_or("absent".to_owned(), |v| shown_value(key, v));
            out.push_str(&format!(
                "- {}: stored {}, the records call for {}\n",
                index::describe(key),
                value(have),
                value(should)
            ));
        }
    }
    out
}

fn shown_value(key: &[u8], v: &[u8]) -> String {
    match key.first() {
        Some(&index::COUNTER) => match <[u8; 8]>::try_from(v) {
            Ok(b) => u64::from_be_bytes(b).to_string(),
            Err(_) => format!("{v:02x?}"),
        },
        Some(&index::LEDGER) => match index::decode_ledger(v) {
            Ok(l) => format!("{l:?}"),
            Err(e) => e,
        },
        _ if v.is_empty() => "present".to_owned(),
        _ => format!("{v:02x?}"),
    }
}

/// Which records differ between two states, by name.
fn state_differences(a: &State, b: &State) -> String {
    fn keys<V: PartialEq>(what: &str, a: &BTreeMap<String, V>, b: &BTreeMap<String, V>) -> String {
        let all: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
        all.into_iter()
            .filter(|k| a.get(*k) != b.get(*k))
            .map(|k| format!("- {what} {k}\n"))
            .collect()
    }
    let mut out = String::new();
    if a.org != b.org {
        out.push_str("- the organisation\n");
    }
    if a.last_seq != b.last_seq {
        out.push_str(&format!("- last seq {} / {}\n", a.last_seq, b.last_seq));
    }
    out.push_str(&keys("customer", &a.customers, &b.customers));
    out.push_str(&keys("voucher", &a.vouchers, &b.vouchers));
    out.push_str(&keys("invoice", &a.invoices, &b.invoices));
    out.push_str(&keys("ledger", &a.ledgers, &b.ledgers));
    if a.redeemed_offerings != b.redeemed_offerings {
        out.push_str("- the redeemed offerings\n");
    }
    out
}

proptest! {
    // 24 cases unless PROPTEST_CASES asks for more (each opens a database).
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(24)
    ))]

    #[test]
    fn the_index_follows_every_commit(steps in prop::collection::vec(step(), 1..50)) {
        let mut run = Run::ready()?;
        for s in &steps {
            run.step(s)?;
        }
        let report = saps::check::check(&run.store, run.world.today());
        prop_assert!(report.healthy(), "{}", report.render());
    }
}
