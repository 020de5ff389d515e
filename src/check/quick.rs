//! `saps check` in memory that does not grow with the vouchers: every
//! tree is walked in key order, one record at a time, and what cannot be
//! held is compared by [`Digest`] (the stored vouchers against the vouchers
//! the audit log rebuilds, the index against the entries the records call
//! for, the invoice tree against the vouchers' payment requests).
//!
//! It answers only "sound": at the first doubt (a value that does not
//! decode, a broken rule, a digest that differs) it gives up, and the
//! whole-state check runs and names every problem. Held: the organisation,
//! the customers, each customer's ledger, the counters, a hash and a seq per
//! voucher id (where its last event is), and while the log is replayed the
//! vouchers whose last event is still to come, encoded.

use super::digest::Digest;
use super::{Report, invariants};
use crate::domain::records::{Customer, Org};
use crate::domain::state::{Ledger, invoice_key};
use crate::domain::{State, apply};
use crate::store::{SCHEMA_VERSION, Store, codec, files, index, keys};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};

/// The report of a sound database, or `None` when something may be wrong.
pub fn check(store: &Store, today: NaiveDate) -> Option<Report> {
    trees_known(store)?;
    let org = org(store)?;
    let mut customers = BTreeMap::new();
    for item in store.customer_records() {
        let (id, c) = item.ok()?;
        if id != c.licensing_id {
            return None;
        }
        customers.insert(id, c);
    }
    let records = vouchers(store, &customers, today)?;
    let mut invoices = Digest::default();
    for item in store.invoice_records() {
        let (key, voucher) = item.ok()?;
        invoices.add(&[key.as_bytes(), voucher.as_bytes()]);
    }
    let mut stored_index = Digest::default();
    for item in store.raw_records(keys::INDEX.as_bytes()).ok()? {
        let (k, v) = item.ok()?;
        stored_index.add(&[&k, &v]);
    }
    if records.invoices != invoices || records.index != stored_index {
        return None;
    }
    let replayed = replay(store)?;
    let same = replayed.vouchers == records.vouchers
        && replayed.invoices == invoices
        && replayed.state.org == org
        && replayed.state.customers == customers;
    same.then(|| Report {
        findings: Vec::new(),
        events: replayed.events as usize,
        customers: customers.len(),
        vouchers: records.vouchers.count() as usize,
        invoices: invoices.count() as usize,
        deliverables: records.deliverables,
    })
}

/// Only saps's trees hold anything, and `meta` says this schema.
fn trees_known(store: &Store) -> Option<()> {
    let ours = [
        keys::META,
        keys::EVENTS,
        keys::ORG,
        keys::CUSTOMERS,
        keys::VOUCHERS,
        keys::INVOICES,
        keys::INDEX,
        keys::IDS,
    ];
    for name in store.tree_names().ok()? {
        if !ours.iter().any(|t| t.as_bytes() == name) && store.raw_records(&name).ok()?.next().is_some() {
            return None;
        }
    }
    for item in store.raw_records(keys::META.as_bytes()).ok()? {
        let (k, v) = item.ok()?;
        let sound = (k == keys::SCHEMA_VERSION_KEY && keys::parse_schema_version(&v) == Some(SCHEMA_VERSION))
            || (k == keys::DEMO_CLOCK_KEY && keys::parse_demo_clock(&v).is_some());
        sound.then_some(())?;
    }
    Some(())
}

fn org(store: &Store) -> Option<Org> {
    let mut org = Org::default();
    for item in store.raw_records(keys::ORG.as_bytes()).ok()? {
        let (k, v) = item.ok()?;
        (k == keys::ORG_KEY).then_some(())?;
        org = codec::decode(&v).ok()?;
    }
    Some(org)
}

/// What the stored vouchers add up to.
struct Records {
    /// Each voucher's key and bytes.
    vouchers: Digest,
    /// Each payment request's invoice key and voucher id.
    invoices: Digest,
    /// The index the records call for.
    index: Digest,
    deliverables: usize,
}

fn vouchers(store: &Store, customers: &BTreeMap<String, Customer>, today: NaiveDate) -> Option<Records> {
    let mut out = Records {
        vouchers: Digest::default(),
        invoices: Digest::default(),
        index: Digest::default(),
        deliverables: 0,
    };
    let mut held: HashMap<String, u64> = HashMap::new();
    let mut ledgers: BTreeMap<String, Ledger> = BTreeMap::new();
    let mut counts: BTreeMap<Vec<u8>, u64> = BTreeMap::new();
    for item in store.voucher_records() {
        let (key, v) = item.ok()?;
        let c = customers.get(&v.customer)?;
        if key != v.voucher_id || !invariants::check_voucher(&v).is_empty() {
            return None;
        }
        *held.entry(v.customer.clone()).or_default() += v.days_held(c, today) as u64;
        for i in &v.invoices {
            out.invoices
                .add(&[invoice_key(&i.invoice_number).as_bytes(), key.as_bytes()]);
        }
        out.vouchers.add(&[key.as_bytes(), &codec::encode(&v)]);
        for k in index::entries(&v) {
            out.index.add(&[&k, &[]]);
        }
        for (counter, n) in index::contributions(&v) {
            *counts.entry(counter.key()).or_default() += n;
        }
        let ledger = ledgers.entry(v.customer.clone()).or_default();
        ledger.receive(v.days, v.expires_on());
        if v.stage.is_redeemed() {
            ledger.redeem(v.days, v.expires_on());
        }
        if let Some(a) = v.report.as_ref().and_then(|r| r.fields.deliverable.as_ref()) {
            out.deliverables += 1;
            files::verify(store.path(), a).ok()?;
        }
    }
    for c in customers.values() {
        let days = held.get(&c.licensing_id).copied().unwrap_or(0);
        (days <= c.planning_days as u64).then_some(())?;
    }
    for (customer, l) in &ledgers {
        out.index
            .add(&[&index::ledger_key(customer), &index::encode_ledger(l)]);
    }
    for (k, n) in counts.into_iter().filter(|(_, n)| *n > 0) {
        out.index.add(&[&k, &n.to_be_bytes()]);
    }
    Some(out)
}

/// What the audit log rebuilds.
struct Replayed {
    /// The organisation and the customers (the vouchers are in `vouchers`).
    state: State,
    vouchers: Digest,
    invoices: Digest,
    events: u64,
}

/// A voucher id's hash. Ids that share one (a few among 300,000) are let go
/// at the later one's last event: the other waits, encoded, to the end.
fn id_hash(id: &str) -> u32 {
    let mut h = DefaultHasher::new();
    id.hash(&mut h);
    h.finish() as u32
}

/// One bit a seq: set where the event is its voucher's last (as far as the
/// vouchers' [`id_hash`]es tell). The replay reads it in seq order, a
/// fraction of the memory of the table it is made from (a bit an event, not
/// 8 bytes and a hash probe a voucher).
#[derive(Default)]
struct LastEvents(Vec<u64>);

impl LastEvents {
    fn set(&mut self, seq: u64, on: bool) {
        let (word, bit) = ((seq / 64) as usize, seq % 64);
        if word >= self.0.len() {
            self.0.resize(word + 1, 0);
        }
        match on {
            true => self.0[word] |= 1 << bit,
            false => self.0[word] &= !(1 << bit),
        }
    }

    fn get(&self, seq: u64) -> bool {
        let (word, bit) = ((seq / 64) as usize, seq % 64);
        self.0.get(word).is_some_and(|w| w & (1 << bit) != 0)
    }
}

/// Replays the log with each voucher let go at its last event (found in a
/// first pass; ids that share a hash are let go at the later one's).
fn replay(store: &Store) -> Option<Replayed> {
    let mut last_seqs = LastEvents::default();
    let mut events = 0u64;
    // Each event whose id was given is found by it, and the ids tree names
    // no other (fresh ids have no entry): the same (id, seq) pairs from the
    // log as from the tree.
    let mut ids = Digest::default();
    {
        // Each voucher's latest event so far (seqs past u32 are left to the
        // whole check).
        let mut last: HashMap<u32, u32> = HashMap::new();
        for item in store.event_records() {
            let r = item.ok()?;
            (r.seq == events + 1).then_some(())?;
            if r.id_given {
                ids.add(&[r.id.as_bytes(), &keys::event(r.seq)]);
            }
            events = r.seq;
            let seq = u32::try_from(r.seq).ok()?;
            if let Some(id) = r.event.voucher_id() {
                if let Some(before) = last.insert(id_hash(id), seq) {
                    last_seqs.set(u64::from(before), false);
                }
                last_seqs.set(r.seq, true);
            }
        }
    }
    let mut tree = Digest::default();
    for item in store.raw_records(keys::IDS.as_bytes()).ok()? {
        let (k, v) = item.ok()?;
        tree.add(&[&k, &v]);
    }
    (tree == ids).then_some(())?;
    let mut out = Replayed {
        state: State::default(),
        vouchers: Digest::default(),
        invoices: Digest::default(),
        events,
    };
    let state = &mut out.state;
    // The vouchers whose last event is still to come, encoded between their
    // events (a third of the memory of the decoded records).
    let mut parked: HashMap<String, Vec<u8>> = HashMap::new();
    for item in store.event_records() {
        let r = item.ok()?;
        // (The one voucher an event is about; its key moves, never copied.)
        let about = r.event.voucher_id();
        if let Some((id, bytes)) = about.and_then(|id| parked.remove_entry(id)) {
            state.vouchers.insert(id, codec::decode(&bytes).ok()?);
        }
        apply(state, &r);
        // Derived maps the comparison does not use.
        state.by_customer.clear();
        state.ledgers.clear();
        for (k, id) in std::mem::take(&mut state.invoices) {
            out.invoices.add(&[k.as_bytes(), id.as_bytes()]);
        }
        if let Some((id, v)) = about.and_then(|id| state.vouchers.remove_entry(id)) {
            let bytes = codec::encode(&v);
            if last_seqs.get(r.seq) {
                out.vouchers.add(&[id.as_bytes(), &bytes]);
            } else {
                parked.insert(id, bytes);
            }
        }
    }
    for (id, v) in std::mem::take(&mut state.vouchers) {
        out.vouchers.add(&[id.as_bytes(), &codec::encode(&v)]);
    }
    for (id, bytes) in parked {
        out.vouchers.add(&[id.as_bytes(), &bytes]);
    }
    (state.last_seq == events).then_some(out)
}

#[cfg(test)]
mod tests;
