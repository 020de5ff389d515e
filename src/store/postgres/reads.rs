//! Reading only what is needed, as the sled store does (`store/reads.rs`):
//! the working set a command is decided on, the records, pages and
//! counters the desk shows. Each method reads in one snapshot.

use super::PgStore;
use super::tx::{Table, Tx};
use crate::domain::records::{Customer, Org, Stage, Voucher};
use crate::domain::state::Ledger;
use crate::domain::{Names, State};
use crate::store::index::{self, Counter};
use crate::store::sled_store::{counter_value, decode_as};
use crate::store::{StoreError, keys};
use chrono::NaiveDate;

impl PgStore {
    /// The state every command starts from: the organisation, the last
    /// sequence number and the offerings already redeemed; records are
    /// added by [`PgStore::hydrate`].
    pub fn working_state(&self) -> Result<State, StoreError> {
        self.read_each(working_state_at_once)
    }

    /// Adds to `state` the records `names` lists that it does not hold yet
    /// (a record `state` holds is taken to be newer than the stored one).
    ///
    /// Run after [`PgStore::working_state`], each statement is a later
    /// snapshot (no transaction: a record held already costs no round
    /// trip); that is safe: each can only be as new as `state.last_seq` or
    /// newer, and a command decided on anything newer fails its commit
    /// ([`PgStore::commit`]). [`PgStore::working_set`] reads both in one
    /// snapshot.
    pub fn hydrate(&self, state: &mut State, names: &Names) -> Result<(), StoreError> {
        self.read_each(|tx| hydrate(tx, state, names))
    }

    /// [`PgStore::working_state`] and [`PgStore::hydrate`] in one snapshot:
    /// everything one command is decided on, as of one moment.
    pub fn working_set(&self, names: &Names) -> Result<State, StoreError> {
        self.read(|tx| {
            let mut state = working_state(tx)?;
            hydrate(tx, &mut state, names)?;
            Ok(state)
        })
    }

    /// The organisation record (empty before `init_partner`).
    pub fn org(&self) -> Result<Org, StoreError> {
        self.read(org)
    }

    /// One voucher, or `None`.
    pub fn voucher(&self, id: &str) -> Result<Option<Voucher>, StoreError> {
        self.read(|tx| record(tx, Table::Vouchers, keys::voucher(id), "voucher", id))
    }

    /// One customer, or `None`.
    pub fn customer(&self, id: &str) -> Result<Option<Customer>, StoreError> {
        self.read(|tx| record(tx, Table::Customers, keys::customer(id), "customer", id))
    }

    /// The first `n` customers (by licensing id) with their ledgers.
    pub fn customers_page(&self, n: usize) -> Result<Vec<(Customer, Ledger)>, StoreError> {
        self.read(|tx| {
            let mut out = Vec::new();
            for (key, value) in tx.range(Table::Customers, (&[], false), None, Some(n), false)? {
                let id = keys::shown(&key);
                let c: Customer = decode_as(&value, || format!("customer {id}"))?;
                out.push((c, ledger(tx, &id)?.unwrap_or_default()));
            }
            Ok(out)
        })
    }

    /// The vouchers whose reservation names `consultant`, by id.
    pub fn reserved_by(&self, consultant: &str) -> Result<Vec<Voucher>, StoreError> {
        self.read(|tx| {
            let prefix = index::consultant_prefix(consultant);
            let ids: Vec<Vec<u8>> = tx
                .prefix(Table::Index, &prefix, None)?
                .into_iter()
                .map(|(k, _)| k[prefix.len()..].to_vec())
                .collect();
            tx.get_many(Table::Vouchers, &ids)?
                .into_iter()
                .map(|(k, v)| decode_as(&v, || format!("voucher {}", keys::shown(&k))))
                .collect()
        })
    }

    /// The counters of the index, but of the unredeemed vouchers per expiry
    /// day only those from `from` on (as the sled store reads them).
    pub fn counters(&self, from: NaiveDate) -> Result<Vec<(Counter, u64)>, StoreError> {
        self.read(|tx| {
            let unredeemed = Counter::Unredeemed(from, Stage::Assigned).key();
            let (tag, day) = (&unredeemed[..2], &unredeemed[..6]);
            let mut after = tag.to_vec();
            after[1] += 1;
            let mut out = Vec::new();
            let spans: [(&[u8], &[u8]); 3] = [
                (&[index::COUNTER], tag),
                (day, &after),
                (&after, &[index::COUNTER + 1]),
            ];
            for (start, end) in spans {
                for (key, value) in tx.range(Table::Index, (start, false), Some(end), None, false)? {
                    if let Some(c) = Counter::parse(&key) {
                        out.push((c, counter_value(&value)));
                    }
                }
            }
            Ok(out)
        })
    }
}

pub(super) fn org(tx: &mut Tx) -> Result<Org, StoreError> {
    Ok(record(tx, Table::Org, keys::ORG_KEY, "org", "")?.unwrap_or_default())
}

pub(super) fn last_seq(tx: &mut Tx) -> Result<u64, StoreError> {
    let rows = tx.query("SELECT coalesce(max(seq), 0) FROM saps.events", &[])?;
    let seq: i64 = rows.first().map_or(0, |r| r.get(0));
    Ok(u64::try_from(seq).unwrap_or(0))
}

fn working_state(tx: &mut Tx) -> Result<State, StoreError> {
    let mut state = State {
        org: org(tx)?,
        last_seq: last_seq(tx)?,
        ..State::default()
    };
    let prefix = Counter::Redeemed(String::new()).key();
    for (key, _) in tx.prefix(Table::Index, &prefix, None)? {
        if let Some(Counter::Redeemed(o)) = Counter::parse(&key) {
            state.redeemed_offerings.insert(o);
        }
    }
    Ok(state)
}

/// [`working_state`] in one statement (one snapshot, one round trip).
fn working_state_at_once(tx: &mut Tx) -> Result<State, StoreError> {
    let prefix = Counter::Redeemed(String::new()).key();
    let end = super::tx::successor(&prefix).unwrap_or_default();
    let rows = tx.query(
        "SELECT (SELECT coalesce(max(seq), 0) FROM saps.events), \
         (SELECT value FROM saps.org WHERE key = $1), \
         ARRAY(SELECT key FROM saps.\"index\" WHERE key >= $2 AND key < $3 ORDER BY key)",
        &[&keys::ORG_KEY, &prefix, &end],
    )?;
    let row = rows.first().ok_or_else(|| StoreError::Server {
        at: tx.at.to_owned(),
        detail: "the working state query returned no row".to_owned(),
    })?;
    let seq: i64 = row.get(0);
    let org: Option<Vec<u8>> = row.get(1);
    let redeemed: Vec<Vec<u8>> = row.get(2);
    let mut state = State {
        org: match org {
            Some(b) => decode_as(&b, || "org".to_owned())?,
            None => Org::default(),
        },
        last_seq: u64::try_from(seq).unwrap_or(0),
        ..State::default()
    };
    for key in redeemed {
        if let Some(Counter::Redeemed(o)) = Counter::parse(&key) {
            state.redeemed_offerings.insert(o);
        }
    }
    Ok(state)
}

/// The records of `names` that `state` does not hold, one statement per
/// kind of record (vouchers, customers with their ledgers, each history,
/// invoices) whatever the number of names: a group of commands is read in
/// a few round trips ([`crate::session::Session::prefetch`]).
fn hydrate(tx: &mut Tx, state: &mut State, names: &Names) -> Result<(), StoreError> {
    let ids: Vec<&String> = names.vouchers.iter().collect();
    add_vouchers(tx, state, &ids)?;
    let mut customers = names.customers.clone();
    for id in &names.vouchers {
        if let Some(v) = state.vouchers.get(id) {
            customers.push(v.customer.clone());
        }
    }
    customers.sort();
    customers.dedup();
    add_customers(tx, state, &customers)?;
    if names.customer_history && !names.vouchers.is_empty() {
        for c in &customers {
            let prefix = index::customer_prefix(c);
            let history: Vec<String> = tx
                .prefix(Table::Index, &prefix, None)?
                .into_iter()
                .map(|(key, _)| keys::shown(&key[prefix.len()..]))
                .collect();
            add_vouchers(tx, state, &history.iter().collect::<Vec<_>>())?;
        }
    }
    let wanted: Vec<Vec<u8>> = names
        .invoices
        .iter()
        .filter(|k| !state.invoices.contains_key(*k))
        .map(|k| keys::invoice(k).to_vec())
        .collect();
    for (key, v) in tx.get_many(Table::Invoices, &wanted)? {
        let k = keys::shown(&key);
        let id = keys::text(&v).ok_or_else(|| StoreError::Damaged {
            what: format!("invoice {k}"),
            detail: "not UTF-8".to_owned(),
        })?;
        state.invoices.insert(k, id);
    }
    Ok(())
}

/// The vouchers of `ids` that `state` does not hold, in one statement.
fn add_vouchers(tx: &mut Tx, state: &mut State, ids: &[&String]) -> Result<(), StoreError> {
    let wanted: Vec<Vec<u8>> = ids
        .iter()
        .filter(|id| !state.vouchers.contains_key(id.as_str()))
        .map(|id| keys::voucher(id).to_vec())
        .collect();
    for (key, bytes) in tx.get_many(Table::Vouchers, &wanted)? {
        let v: Voucher = decode_as(&bytes, || format!("voucher {}", keys::shown(&key)))?;
        state.add_voucher(&v);
    }
    Ok(())
}

/// The customers of `ids` that `state` does not hold, each with its
/// ledger, in one statement (an index probe per key, as `Tx::get_many`).
fn add_customers(tx: &mut Tx, state: &mut State, ids: &[String]) -> Result<(), StoreError> {
    let ids: Vec<&String> = ids.iter().filter(|c| !state.customers.contains_key(*c)).collect();
    if ids.is_empty() {
        return Ok(());
    }
    let customer_keys: Vec<Vec<u8>> = ids.iter().map(|c| keys::customer(c).to_vec()).collect();
    let ledger_keys: Vec<Vec<u8>> = ids.iter().map(|c| index::ledger_key(c)).collect();
    let rows = tx.query(
        "SELECT k.n, c.value, l.value FROM unnest($1::bytea[], $2::bytea[]) WITH ORDINALITY AS k(ck, lk, n) \
         CROSS JOIN LATERAL (SELECT x.value FROM saps.customers x WHERE x.key = k.ck LIMIT 1) c \
         LEFT JOIN LATERAL (SELECT y.value FROM saps.\"index\" y WHERE y.key = k.lk LIMIT 1) l ON true",
        &[&customer_keys, &ledger_keys],
    )?;
    for row in rows {
        let n: i64 = row.get(0);
        let Some(id) = usize::try_from(n - 1).ok().and_then(|i| ids.get(i)) else {
            continue;
        };
        let c: Customer = decode_as(&row.get::<_, Vec<u8>>(1), || format!("customer {id}"))?;
        let ledger = match row.get::<_, Option<Vec<u8>>>(2) {
            Some(b) => index::decode_ledger(&b).map_err(|detail| StoreError::Damaged {
                what: format!("ledger of {id}"),
                detail,
            })?,
            None => Ledger::default(),
        };
        state.customers.insert((*id).clone(), c);
        state.ledgers.insert((*id).clone(), ledger);
    }
    Ok(())
}

fn ledger(tx: &mut Tx, customer: &str) -> Result<Option<Ledger>, StoreError> {
    match tx.get(Table::Index, &index::ledger_key(customer))? {
        Some(b) => index::decode_ledger(&b)
            .map(Some)
            .map_err(|detail| StoreError::Damaged {
                what: format!("ledger of {customer}"),
                detail,
            }),
        None => Ok(None),
    }
}

/// The record under `key` of `t`, decoded; a bad one is named `kind id`.
pub(super) fn record<T: serde::de::DeserializeOwned>(
    tx: &mut Tx,
    t: Table,
    key: &[u8],
    kind: &str,
    id: &str,
) -> Result<Option<T>, StoreError> {
    match tx.get(t, key)? {
        Some(bytes) => decode_as(&bytes, || format!("{kind} {id}")).map(Some),
        None => Ok(None),
    }
}
