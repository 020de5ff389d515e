//! Which records a session's working state holds: a group's read at once
//! ([`Session::prefetch`]), a record looked up in vain not looked up again
//! within the batch, and after a commit the records that other commits
//! changed meanwhile forgotten ([`Session::settle`]).

use super::{Halt, Outcome, Session};
use crate::domain::Names;
use crate::store::StoreError;
use crate::store::streams::{self, Committed};
use std::collections::BTreeSet;

/// Ids a session looked up and found no record for.
#[derive(Default)]
pub(super) struct Absent {
    pub vouchers: BTreeSet<String>,
    pub customers: BTreeSet<String>,
    pub invoices: BTreeSet<String>,
}

/// Moves by `shift` the seqs of a batch's outcomes, the batch landing
/// after others' events: its fresh ones, and a request given twice in it
/// (the second's outcome is a copy of the first's events). A request
/// found applied in the log keeps the seqs it has there.
pub(super) fn shift_outcomes(outcomes: &mut [Outcome], replayed: &[bool], shift: u64) {
    let mut moved = BTreeSet::new();
    for (o, _) in outcomes.iter_mut().zip(replayed).filter(|(_, r)| !**r) {
        for r in o.iter_mut().flatten() {
            moved.insert((r.id, r.seq));
            r.seq += shift;
        }
    }
    for (o, _) in outcomes.iter_mut().zip(replayed).filter(|(_, r)| **r) {
        for r in o.iter_mut().flatten() {
            if moved.contains(&(r.id, r.seq)) {
                r.seq += shift;
            }
        }
    }
}

impl Session {
    /// Reads at once the records that the commands naming `names` will
    /// read (a group of lines about to be staged): one read per kind of
    /// record instead of one per command. Nothing is decided.
    pub fn prefetch(&mut self, names: &[Names]) -> Result<(), Halt> {
        if self.stale {
            self.reread()?;
        }
        let mut all = Names::default();
        for n in names {
            all.vouchers.extend(n.vouchers.iter().cloned());
            all.customers.extend(n.customers.iter().cloned());
            all.invoices.extend(n.invoices.iter().cloned());
        }
        for list in [&mut all.vouchers, &mut all.customers, &mut all.invoices] {
            list.sort();
            list.dedup();
        }
        self.hydrate(&all)?;
        Ok(())
    }

    /// After a commit: the events renumbered where the store put them (after
    /// others' that came in meanwhile), the last seq the real one, and the
    /// records those others changed forgotten (read again when named).
    pub(super) fn settle_commit(&mut self, done: Committed) {
        let Some(first) = self.recorded.first().map(|r| r.seq) else {
            return;
        };
        let shift = done.first.saturating_sub(first);
        if shift > 0 {
            for r in &mut self.recorded {
                r.seq += shift;
            }
            shift_outcomes(&mut self.outcomes, &self.replayed, shift);
            self.state.last_seq += shift;
        }
        match done.between {
            Some(between) if between.is_empty() => {}
            Some(between) => {
                if !streams::forget(&mut self.state, &between) {
                    self.stale = true;
                }
            }
            None => self.stale = true,
        }
    }

    /// Adds to the working state the records `names` lists, reading only
    /// those it neither holds nor looked up in vain for this batch. A
    /// record held is current: the commit forgets those that others change
    /// ([`Session::settle`]), and one changed after the state's last seq
    /// makes the commit of a command reading it a conflict; so does a
    /// record that came to exist after it was found missing (and the next
    /// batch looks for it again).
    pub(super) fn hydrate(&mut self, names: &Names) -> Result<(), StoreError> {
        if names.customer_history {
            // The history is read whole each time (the store knows which).
            return self.backend.hydrate(&mut self.state, names);
        }
        let (state, absent) = (&self.state, &self.absent);
        let mut ask = Names::default();
        for id in &names.vouchers {
            match state.vouchers.get(id) {
                Some(v) => ask.customers.push(v.customer.clone()),
                None if absent.vouchers.contains(id) => {}
                None => ask.vouchers.push(id.clone()),
            }
        }
        ask.customers.extend(names.customers.iter().cloned());
        ask.customers
            .retain(|c| !state.customers.contains_key(c) && !absent.customers.contains(c));
        ask.invoices = names.invoices.clone();
        ask.invoices
            .retain(|k| !state.invoices.contains_key(k) && !absent.invoices.contains(k));
        if ask.vouchers.is_empty() && ask.customers.is_empty() && ask.invoices.is_empty() {
            return Ok(());
        }
        self.backend.hydrate(&mut self.state, &ask)?;
        let (state, absent) = (&self.state, &mut self.absent);
        absent.vouchers.extend(
            ask.vouchers
                .into_iter()
                .filter(|id| !state.vouchers.contains_key(id)),
        );
        absent.customers.extend(
            ask.customers
                .into_iter()
                .filter(|c| !state.customers.contains_key(c)),
        );
        absent.invoices.extend(
            ask.invoices
                .into_iter()
                .filter(|k| !state.invoices.contains_key(k)),
        );
        Ok(())
    }
}
