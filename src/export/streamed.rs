//! The export written as the store is read: one voucher, customer or event
//! at a time, so memory does not grow with the database. The bytes are the
//! same as [`super::json::render`] and [`super::csv::render`] give for the
//! whole state (a test compares them).
//!
//! Held in memory: the organisation and the customers (with the days their
//! vouchers hold, summed in a first pass over the vouchers), never the
//! vouchers or the audit log.

use super::csv;
use super::json::{CustomerOut, SavbOut, voucher};
use crate::domain::records::{Customer, Org};
use crate::store::{Store, StoreError};
use chrono::NaiveDate;
use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

/// Why an export stopped.
#[derive(Debug)]
pub enum Failure {
    /// A record could not be read (the output stops before it).
    Store(StoreError),
    /// The output could not be written.
    Write(io::Error),
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure::Store(e)
    }
}

/// The CSV export of `store` on `today`, row by row.
pub fn csv(store: &Store, today: NaiveDate, out: &mut dyn Write) -> Result<(), Failure> {
    out.write_all(csv::header_line().as_bytes())
        .map_err(Failure::Write)?;
    for item in store.voucher_records() {
        let (_, v) = item?;
        out.write_all(csv::line(&v, today).as_bytes())
            .map_err(Failure::Write)?;
    }
    Ok(())
}

/// The JSON export of `store` on `today`, pretty-printed with a final newline.
pub fn json(store: &Store, today: NaiveDate, out: &mut dyn Write) -> Result<(), Failure> {
    let org = store.org()?;
    let mut customers = BTreeMap::new();
    for item in store.customer_records() {
        let (id, c) = item?;
        customers.insert(id, c);
    }
    let held = held_days(store, &customers, today)?;
    let walk = Walk {
        store,
        today,
        org: &org,
        customers: &customers,
        held: &held,
        failed: RefCell::new(None),
    };
    let mut ser = serde_json::Serializer::with_formatter(&mut *out, serde_json::ser::PrettyFormatter::new());
    if let Err(e) = walk.serialize(&mut ser) {
        return Err(match walk.failed.into_inner() {
            Some(store_error) => Failure::Store(store_error),
            None => Failure::Write(e.into()),
        });
    }
    out.write_all(b"\n").map_err(Failure::Write)
}

/// The days each customer's vouchers hold on `today` (by the customer id
/// the vouchers name), as the state's ledgers would give them.
fn held_days(
    store: &Store,
    customers: &BTreeMap<String, Customer>,
    today: NaiveDate,
) -> Result<HashMap<String, u64>, StoreError> {
    let mut held: HashMap<String, u64> = HashMap::new();
    for item in store.voucher_records() {
        let (_, v) = item?;
        if let Some(c) = customers.get(&v.customer) {
            *held.entry(v.customer.clone()).or_default() += v.days_held(c, today) as u64;
        }
    }
    Ok(held)
}

struct Walk<'a> {
    store: &'a Store,
    today: NaiveDate,
    org: &'a Org,
    customers: &'a BTreeMap<String, Customer>,
    held: &'a HashMap<String, u64>,
    /// The store's error, when one stopped the walk.
    failed: RefCell<Option<StoreError>>,
}

impl Walk<'_> {
    fn fail<E: serde::ser::Error>(&self, e: StoreError) -> E {
        let error = E::custom(e.to_string());
        *self.failed.borrow_mut() = Some(e);
        error
    }

    fn remaining_days(&self, c: &Customer) -> u32 {
        match self.customers.get(&c.licensing_id) {
            Some(pool) => {
                let held = self.held.get(&c.licensing_id).copied().unwrap_or(0);
                (pool.planning_days as u64).saturating_sub(held) as u32
            }
            None => c.planning_days,
        }
    }
}

impl Serialize for Walk<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let org = self.org;
        let mut st = s.serialize_struct("Export", 11)?;
        st.serialize_field("partner", &org.partner.as_ref())?;
        st.serialize_field("users", &org.users.values().collect::<Vec<_>>())?;
        st.serialize_field("locations", &org.locations.values().collect::<Vec<_>>())?;
        st.serialize_field("competencies", &org.competencies.values().collect::<Vec<_>>())?;
        st.serialize_field("exams", &org.exams)?;
        st.serialize_field("enrollments", &org.enrollments.values().collect::<Vec<_>>())?;
        st.serialize_field("profile", &org.profile)?;
        st.serialize_field("customers", &Customers(self))?;
        st.serialize_field("vouchers", &Vouchers(self))?;
        let savb: Vec<SavbOut> = org
            .savb
            .iter()
            .map(|(offering, registration)| SavbOut {
                offering,
                registration,
            })
            .collect();
        st.serialize_field("savb", &savb)?;
        st.serialize_field("audit", &Audit(self))?;
        st.end()
    }
}

struct Customers<'a>(&'a Walk<'a>);

impl Serialize for Customers<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for c in self.0.customers.values() {
            seq.serialize_element(&CustomerOut {
                customer: c,
                remaining_days: self.0.remaining_days(c),
            })?;
        }
        seq.end()
    }
}

struct Vouchers<'a>(&'a Walk<'a>);

impl Serialize for Vouchers<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for item in self.0.store.voucher_records() {
            let (_, v) = item.map_err(|e| self.0.fail::<S::Error>(e))?;
            seq.serialize_element(&voucher(&v, self.0.today))?;
        }
        seq.end()
    }
}

struct Audit<'a>(&'a Walk<'a>);

impl Serialize for Audit<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for item in self.0.store.event_records() {
            let r = item.map_err(|e| self.0.fail::<S::Error>(e))?;
            seq.serialize_element(&r)?;
        }
        seq.end()
    }
}
