//! The whole state the rules decide against, and the questions asked of it.

use super::dates::add_days;
use super::program::VOUCHER_VALID_DAYS;
use super::records::{Customer, Org, Stage, Voucher};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A voucher's status on a given day: its stage, or `Expired` once the
/// 180 days are up before it was redeemed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Assigned,
    Reserved,
    Delivered,
    Redeemed,
    Invoiced,
    Paid,
    Denied,
    Expired,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Assigned,
        Status::Reserved,
        Status::Delivered,
        Status::Redeemed,
        Status::Invoiced,
        Status::Paid,
        Status::Denied,
        Status::Expired,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Assigned => "assigned",
            Status::Reserved => "reserved",
            Status::Delivered => "delivered",
            Status::Redeemed => "redeemed",
            Status::Invoiced => "invoiced",
            Status::Paid => "paid",
            Status::Denied => "denied",
            Status::Expired => "expired",
        }
    }
}

impl Stage {
    pub const ALL: [Stage; 7] = [
        Stage::Assigned,
        Stage::Reserved,
        Stage::Delivered,
        Stage::Redeemed,
        Stage::Invoiced,
        Stage::Paid,
        Stage::Denied,
    ];

    /// Redeemed or later: the days are spent and never go back.
    pub fn is_redeemed(self) -> bool {
        !matches!(self, Stage::Assigned | Stage::Reserved | Stage::Delivered)
    }
}

impl From<Stage> for Status {
    fn from(s: Stage) -> Status {
        match s {
            Stage::Assigned => Status::Assigned,
            Stage::Reserved => Status::Reserved,
            Stage::Delivered => Status::Delivered,
            Stage::Redeemed => Status::Redeemed,
            Stage::Invoiced => Status::Invoiced,
            Stage::Paid => Status::Paid,
            Stage::Denied => Status::Denied,
        }
    }
}

impl Voucher {
    /// The first day on which the voucher is no longer valid.
    pub fn expires_on(&self) -> NaiveDate {
        voucher_expiry(self.created_on)
    }

    pub fn status(&self, today: NaiveDate) -> Status {
        if !self.stage.is_redeemed() && today >= self.expires_on() {
            return Status::Expired;
        }
        Status::from(self.stage)
    }

    /// Days this voucher takes from its customer's pool on `today`: all of
    /// them, unless it expired unredeemed while the customer's agreement was
    /// still active, in which case they went back.
    pub fn days_held(&self, customer: &Customer, today: NaiveDate) -> u32 {
        let returned =
            self.status(today) == Status::Expired && customer_active_on(customer, self.expires_on());
        if returned { 0 } else { self.days }
    }

    /// Whether `email` is named on this voucher's reservation.
    pub fn names_consultant(&self, email: &str) -> bool {
        self.reservation
            .as_ref()
            .is_some_and(|r| r.consultants.iter().any(|c| c.eq_ignore_ascii_case(email)))
    }
}

/// The first day a voucher created on `created_on` is no longer valid.
pub fn voucher_expiry(created_on: NaiveDate) -> NaiveDate {
    add_days(created_on, VOUCHER_VALID_DAYS)
}

/// A customer's agreement is active up to, not including, its expiry date.
pub fn customer_active_on(customer: &Customer, day: NaiveDate) -> bool {
    day < customer.agreement_expires
}

/// Upper-cases and trims a voucher id (the form every map key uses).
pub fn voucher_key(id: &str) -> String {
    id.trim().to_ascii_uppercase()
}

/// The form every invoice-number key uses (numbers are unique ignoring case).
pub fn invoice_key(n: &str) -> String {
    n.trim().to_ascii_uppercase()
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct State {
    pub org: Org,
    pub customers: BTreeMap<String, Customer>,
    pub vouchers: BTreeMap<String, Voucher>,
    /// Invoice number (see `invoice_key`) to the voucher it was filed for.
    pub invoices: BTreeMap<String, String>,
    /// Sequence number of the last event applied.
    pub last_seq: u64,
    /// Derived index: customer licensing id to its voucher ids.
    pub by_customer: BTreeMap<String, BTreeSet<String>>,
    /// Derived: each customer's planning-day ledger, so the days left are
    /// known without visiting its vouchers.
    pub ledgers: BTreeMap<String, Ledger>,
    /// Derived: the offerings with at least one voucher redeemed (or later),
    /// which SAVB registration asks for.
    pub redeemed_offerings: BTreeSet<String>,
}

/// The days a customer's vouchers took from its pool: all of them, and the
/// unredeemed ones by the day they expire (those may come back).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    pub received: u64,
    pub unredeemed_by_expiry: BTreeMap<NaiveDate, u64>,
}

impl Ledger {
    pub fn receive(&mut self, days: u32, expires_on: NaiveDate) {
        self.received += days as u64;
        *self.unredeemed_by_expiry.entry(expires_on).or_default() += days as u64;
    }

    pub fn redeem(&mut self, days: u32, expires_on: NaiveDate) {
        if let Some(d) = self.unredeemed_by_expiry.get_mut(&expires_on) {
            *d = d.saturating_sub(days as u64);
            if *d == 0 {
                self.unredeemed_by_expiry.remove(&expires_on);
            }
        }
    }

    /// Days held on `today`: everything received, less what expired
    /// unredeemed while the customer's agreement was still active.
    pub fn held(&self, customer: &Customer, today: NaiveDate) -> u64 {
        let returned: u64 = self
            .unredeemed_by_expiry
            .range(..=today)
            .filter(|(expiry, _)| customer_active_on(customer, **expiry))
            .map(|(_, d)| d)
            .sum();
        self.received.saturating_sub(returned)
    }
}

impl State {
    /// Rebuilds the derived indexes after loading records.
    pub fn reindex(&mut self) {
        self.by_customer.clear();
        self.ledgers.clear();
        self.redeemed_offerings.clear();
        for v in self.vouchers.values() {
            self.by_customer
                .entry(v.customer.clone())
                .or_default()
                .insert(v.voucher_id.clone());
            let ledger = self.ledgers.entry(v.customer.clone()).or_default();
            ledger.receive(v.days, v.expires_on());
            if v.stage.is_redeemed() {
                ledger.redeem(v.days, v.expires_on());
                self.redeemed_offerings.insert(v.offering.clone());
            }
        }
    }

    /// Drops the records (kept: the organisation, the last sequence number,
    /// the redeemed offerings): a working state that grew is emptied once
    /// everything in it is stored.
    pub fn forget_records(&mut self) {
        self.customers.clear();
        self.vouchers.clear();
        self.invoices.clear();
        self.by_customer.clear();
        self.ledgers.clear();
    }

    pub fn customer_vouchers<'a>(&'a self, licensing_id: &str) -> impl Iterator<Item = &'a Voucher> {
        self.by_customer
            .get(licensing_id)
            .into_iter()
            .flatten()
            .filter_map(|id| self.vouchers.get(id))
    }

    /// The customer's planning days not held by a voucher on `today`.
    pub fn remaining_days(&self, licensing_id: &str, today: NaiveDate) -> Option<u32> {
        let c = self.customers.get(licensing_id)?;
        let held = self.ledgers.get(licensing_id).map_or(0, |l| l.held(c, today));
        Some((c.planning_days as u64).saturating_sub(held) as u32)
    }

    pub fn user(&self, email: &str) -> Option<&super::records::User> {
        self.org.users.get(&email.trim().to_ascii_lowercase())
    }
}
