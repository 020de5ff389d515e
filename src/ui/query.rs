//! What the desk asks the app to read (`Effect::Load`) and what comes back
//! (`Msg::Loaded`): plain data, so the model holds no store and `view` and
//! the panes' actions read only the model.

use super::stats::Stats;
use super::tab::Tab;
use super::widgets::list::Row;
use super::widgets::pager::Paged;
use crate::domain::Recorded;
use crate::domain::records::{Customer, Stage, Voucher};
use crate::domain::state::Ledger;
use chrono::NaiveDate;
use std::ops::Range;

/// Which vouchers a list shows: these stages, and whether only those not
/// expired (without, the expired ones come last).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Listed {
    pub stages: &'static [Stage],
    pub current: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Query {
    /// The dashboard's figures on this day, as the store counts them.
    Figures(NaiveDate),
    /// The whole of a short voucher list, on this day.
    List {
        tab: Tab,
        listed: Listed,
        today: NaiveDate,
    },
    /// The reserved engagements naming a consultant, in the list's order.
    Engagements {
        tab: Tab,
        consultant: String,
        listed: Listed,
        today: NaiveDate,
    },
    /// Positions `want` of a long list; of the `selected` keys, those
    /// still on it come back too (a list built again keeps them).
    Page {
        tab: Tab,
        paged: Box<Paged>,
        want: Range<usize>,
        selected: Vec<String>,
    },
    /// The list's vouchers whose id starts with `prefix` (a filter on a
    /// long list), on this day.
    Prefix {
        tab: Tab,
        prefix: String,
        listed: Listed,
        today: NaiveDate,
    },
    /// These vouchers as stored.
    Vouchers(Vec<String>),
    /// A customer's name (the details of the voucher under the cursor).
    Customer(String),
    /// The newest events, this many.
    Audit(usize),
    /// The first customers, this many, with their planning-day ledgers.
    Customers(usize),
    /// Every customer's licensing id and name, up to this many (a picker's).
    CustomerNames(usize),
}

/// One voucher read: found, not stored, or not readable (and why).
pub type Read = Result<Option<Box<Voucher>>, String>;

#[derive(Debug, Clone, PartialEq)]
pub enum Data {
    /// Without the renewals: the desk adds those from its organisation.
    Figures(Stats),
    Rows {
        tab: Tab,
        rows: Vec<Row>,
    },
    Page {
        tab: Tab,
        paged: Box<Paged>,
        /// The selected keys still on the list, when asked.
        selected: Option<Vec<String>>,
    },
    /// A filter's matches, and whether they are all there are.
    Matches {
        tab: Tab,
        prefix: String,
        rows: Vec<Row>,
        all: bool,
    },
    /// Each id asked for, and the voucher (`None`: not stored), or why it
    /// cannot be read (the others are still shown).
    Vouchers(Vec<(String, Read)>),
    /// A customer's licensing id and name (`None`: not stored).
    Customer(String, Option<String>),
    Audit(Vec<Recorded>),
    Customers(Vec<(Customer, Ledger)>),
    /// Licensing ids and names, by id, and whether they are all there are.
    CustomerNames(Vec<(String, String)>, bool),
}
