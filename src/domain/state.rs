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

impl Voucher {
    /// The first day on which the voucher is no longer valid.
    pub fn expires_on(&self) -> NaiveDate {
        voucher_expiry(self.created_on)
    }

    pub fn status(&self, today: NaiveDate) -> Status {
        let unredeemed = matches!(self.stage, Stage::Assigned | Stage::Reserved | Stage::Delivered);
        if unredeemed && today >= self.expires_on() {
            return Status::Expired;
        }
        match self.stage {
            Stage::Assigned => Status::Assigned,
            Stage::Reserved => Status::Reserved,
            Stage::Delivered => Status::Delivered,
            Stage::Redeemed => Status::Redeemed,
            Stage::Invoiced => Status::Invoiced,
            Stage::Paid => Status::Paid,
            Stage::Denied => Status::Denied,
        }
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
}

impl State {
    /// Rebuilds the derived indexes after loading records.
    pub fn reindex(&mut self) {
        self.by_customer.clear();
        for v in self.vouchers.values() {
            self.by_customer
                .entry(v.customer.clone())
                .or_default()
                .insert(v.voucher_id.clone());
        }
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
        let held: u64 = self
            .customer_vouchers(licensing_id)
            .map(|v| v.days_held(c, today) as u64)
            .sum();
        Some((c.planning_days as u64).saturating_sub(held) as u32)
    }

    pub fn user(&self, email: &str) -> Option<&super::records::User> {
        self.org.users.get(&email.trim().to_ascii_lowercase())
    }
}
