//! Reading only what is needed: the working set a command is decided on,
//! and the pages and counters the desk shows. None of these visits every
//! voucher; [`Store::load`] (export, check, backup) does.

use super::guard::guarded;
use super::index::{self, Counter};
use super::pages::{Entry, Span};
use super::sled_store::{counter_value, decode_as, sled_files};
use super::{Store, StoreError, keys};
use crate::domain::records::{Customer, Org, Stage, Voucher};
use crate::domain::state::Ledger;
use crate::domain::{Names, State};
use chrono::NaiveDate;
use serde::de::DeserializeOwned;

impl Store {
    /// The state every command starts from: the organisation, the last
    /// sequence number and the offerings already redeemed; records are
    /// added by [`Store::hydrate`].
    pub fn working_state(&self) -> Result<State, StoreError> {
        guarded(
            || sled_files(&self.path),
            || {
                let mut state = State {
                    org: self.org()?,
                    ..State::default()
                };
                state.last_seq = self.last_seq()?;
                let prefix = Counter::Redeemed(String::new()).key();
                for item in self.index.scan_prefix(&prefix) {
                    let (key, _) = item.map_err(|e| self.err(e))?;
                    if let Some(Counter::Redeemed(o)) = Counter::parse(&key) {
                        state.redeemed_offerings.insert(o);
                    }
                }
                Ok(state)
            },
        )
    }

    /// Adds to `state` the records `names` lists that it does not hold yet:
    /// what deciding the command reads. A record `state` holds is taken to
    /// be newer than the stored one (applied but not yet committed).
    pub fn hydrate(&self, state: &mut State, names: &Names) -> Result<(), StoreError> {
        guarded(
            || sled_files(&self.path),
            || {
                for id in &names.vouchers {
                    self.add_voucher(state, id)?;
                }
                let mut customers = names.customers.clone();
                for id in &names.vouchers {
                    if let Some(v) = state.vouchers.get(id) {
                        customers.push(v.customer.clone());
                    }
                }
                for c in &customers {
                    self.add_customer(state, c)?;
                    if names.customer_history && !names.vouchers.is_empty() {
                        for item in self.index.scan_prefix(index::customer_prefix(c)) {
                            let (key, _) = item.map_err(|e| self.err(e))?;
                            let id = keys::shown(&key[index::customer_prefix(c).len()..]);
                            self.add_voucher(state, &id)?;
                        }
                    }
                }
                for k in &names.invoices {
                    if !state.invoices.contains_key(k)
                        && let Some(v) = self.invoices.get(keys::invoice(k)).map_err(|e| self.err(e))?
                    {
                        let id =
                            keys::text(&v).ok_or_else(|| damaged(format!("invoice {k}"), "not UTF-8"))?;
                        state.invoices.insert(k.clone(), id);
                    }
                }
                Ok(())
            },
        )
    }

    fn add_voucher(&self, state: &mut State, id: &str) -> Result<(), StoreError> {
        if state.vouchers.contains_key(id) {
            return Ok(());
        }
        if let Some(v) = self.get::<Voucher>(&self.vouchers, keys::voucher(id), "voucher", id)? {
            state.add_voucher(&v);
        }
        Ok(())
    }

    fn add_customer(&self, state: &mut State, id: &str) -> Result<(), StoreError> {
        if state.customers.contains_key(id) {
            return Ok(());
        }
        if let Some(c) = self.get::<Customer>(&self.customers, keys::customer(id), "customer", id)? {
            state.customers.insert(id.to_owned(), c);
            let ledger = self.ledger(id)?.unwrap_or_default();
            state.ledgers.insert(id.to_owned(), ledger);
        }
        Ok(())
    }

    pub(super) fn ledger(&self, customer: &str) -> Result<Option<Ledger>, StoreError> {
        match self
            .index
            .get(index::ledger_key(customer))
            .map_err(|e| self.err(e))?
        {
            Some(b) => index::decode_ledger(&b)
                .map(Some)
                .map_err(|d| damaged(format!("ledger of {customer}"), &d)),
            None => Ok(None),
        }
    }

    /// The organisation record (empty before `init_partner`).
    pub fn org(&self) -> Result<Org, StoreError> {
        Ok(self.get(&self.org, keys::ORG_KEY, "org", "")?.unwrap_or_default())
    }

    /// One voucher, or `None`.
    pub fn voucher(&self, id: &str) -> Result<Option<Voucher>, StoreError> {
        guarded(
            || sled_files(&self.path),
            || self.get(&self.vouchers, keys::voucher(id), "voucher", id),
        )
    }

    /// The first `n` customers (by licensing id) with their ledgers: the
    /// pools a desk shows, however many customers there are.
    pub fn customers_page(&self, n: usize) -> Result<Vec<(Customer, Ledger)>, StoreError> {
        guarded(
            || sled_files(&self.path),
            || {
                let mut out = Vec::new();
                for item in self.customers.iter().take(n) {
                    let (key, value) = item.map_err(|e| self.err(e))?;
                    let id = keys::shown(&key);
                    let c: Customer = decode_as(&value, || format!("customer {id}"))?;
                    out.push((c, self.ledger(&id)?.unwrap_or_default()));
                }
                Ok(out)
            },
        )
    }

    /// The vouchers whose reservation names `consultant`, by id.
    pub fn reserved_by(&self, consultant: &str) -> Result<Vec<Voucher>, StoreError> {
        guarded(
            || sled_files(&self.path),
            || {
                let prefix = index::consultant_prefix(consultant);
                let mut out = Vec::new();
                for item in self.index.scan_prefix(&prefix) {
                    let (key, _) = item.map_err(|e| self.err(e))?;
                    let id = keys::shown(&key[prefix.len()..]);
                    out.extend(self.get::<Voucher>(&self.vouchers, keys::voucher(&id), "voucher", &id)?);
                }
                Ok(out)
            },
        )
    }

    /// One customer, or `None`.
    pub fn customer(&self, id: &str) -> Result<Option<Customer>, StoreError> {
        guarded(
            || sled_files(&self.path),
            || self.get(&self.customers, keys::customer(id), "customer", id),
        )
    }

    /// The vouchers at `stage`, by day (then id), from `from` on and
    /// before `until` when given, at most `limit` of them: one span of the
    /// index read as a list's page is.
    pub fn filed(
        &self,
        stage: Stage,
        from: Option<NaiveDate>,
        until: Option<NaiveDate>,
        limit: usize,
    ) -> Result<Vec<Entry>, StoreError> {
        self.entries_after(&[Span::of(stage, from, until)], None, limit)
    }

    /// The counters of the index, but of the unredeemed vouchers per expiry
    /// day only those from `from` on: a partner's history of expired
    /// vouchers is not read (it is the stage's count less these).
    pub fn counters(&self, from: NaiveDate) -> Result<Vec<(Counter, u64)>, StoreError> {
        guarded(
            || sled_files(&self.path),
            || {
                let unredeemed = Counter::Unredeemed(from, Stage::Assigned).key();
                let (tag, day) = (&unredeemed[..2], &unredeemed[..6]);
                let mut out = Vec::new();
                let mut scan = |range: (std::ops::Bound<Vec<u8>>, std::ops::Bound<Vec<u8>>)| {
                    for item in self.index.range(range) {
                        let (key, value) = item.map_err(|e| self.err(e))?;
                        if let Some(c) = Counter::parse(&key) {
                            out.push((c, counter_value(&value)));
                        }
                    }
                    Ok::<(), StoreError>(())
                };
                use std::ops::Bound::{Excluded, Included};
                // Every counter before the per-day ones, then those from `from`
                // on, then every counter after them.
                scan((Included(vec![index::COUNTER]), Excluded(tag.to_vec())))?;
                let mut after = tag.to_vec();
                after[1] += 1;
                scan((Included(day.to_vec()), Excluded(after.clone())))?;
                scan((Included(after), Excluded(vec![index::COUNTER + 1])))?;
                Ok(out)
            },
        )
    }

    /// The record under `key` of `tree`, decoded; a bad one is named
    /// `kind id`.
    pub(super) fn get<T: DeserializeOwned>(
        &self,
        tree: &sled::Tree,
        key: &[u8],
        kind: &str,
        id: &str,
    ) -> Result<Option<T>, StoreError> {
        match tree.get(key).map_err(|e| self.err(e))? {
            Some(bytes) => decode_as(&bytes, || format!("{kind} {id}")).map(Some),
            None => Ok(None),
        }
    }
}

fn damaged(what: String, detail: &str) -> StoreError {
    StoreError::Damaged {
        what,
        detail: detail.to_owned(),
    }
}
