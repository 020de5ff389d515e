//! The `index` tree: what the store derives from the records so that a
//! command or a pane reads only what it needs, never every voucher. It is
//! written in the same transaction as the records it follows (`writes.rs`);
//! [`expected`] rebuilds it from a whole state (the migration to schema 2,
//! `saps check`).
//!
//! | key                                   | value                                   |
//! |---------------------------------------|-----------------------------------------|
//! | `S` stage · day · voucher id          | empty: vouchers by stage, then by day   |
//! | `C` id length · customer id · voucher | empty: a customer's 15-day vouchers     |
//! | `R` id length · consultant · voucher  | empty: the reservations naming a consultant |
//! | `L` customer id                       | the customer's planning-day ledger      |
//! | `N` counter (see [`Counter`])         | u64, big-endian                         |
//!
//! The day of an `S` key is the voucher's expiry, or its invoice deadline
//! once it is redeemed (or denied) with one: the date its next deadline is.
//! Days are `num_days_from_ce`, big-endian, so keys sort by date.

use crate::domain::State;
use crate::domain::names::in_history;
use crate::domain::records::{Outcome, Stage, Voucher};
use crate::domain::state::Ledger;
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

pub const STATUS: u8 = b'S';
pub const CUSTOMER: u8 = b'C';
pub const CONSULTANT: u8 = b'R';
pub const LEDGER: u8 = b'L';
pub const COUNTER: u8 = b'N';

fn stage_byte(s: Stage) -> u8 {
    Stage::ALL.iter().position(|x| *x == s).unwrap_or(0) as u8
}

fn day_bytes(d: NaiveDate) -> [u8; 4] {
    (d.num_days_from_ce().max(0) as u32).to_be_bytes()
}

fn day_of(b: &[u8]) -> Option<NaiveDate> {
    let n = u32::from_be_bytes(b.get(..4)?.try_into().ok()?);
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(n).ok()?)
}

/// The day a voucher is filed under in the `S` keys.
pub fn status_day(v: &Voucher) -> NaiveDate {
    match (&v.redemption, v.stage) {
        (Some(r), Stage::Redeemed | Stage::Denied) => r.invoice_deadline,
        _ => v.expires_on(),
    }
}

/// `S` keys of `stage` (and from `from` on, when given) start with this.
pub fn status_prefix(stage: Stage, from: Option<NaiveDate>) -> Vec<u8> {
    let mut k = vec![STATUS, stage_byte(stage)];
    if let Some(d) = from {
        k.extend_from_slice(&day_bytes(d));
    }
    k
}

pub fn status_key(v: &Voucher) -> Vec<u8> {
    let mut k = status_prefix(v.stage, Some(status_day(v)));
    k.extend_from_slice(v.voucher_id.as_bytes());
    k
}

/// The stage, day and voucher id of an `S` key.
pub fn parse_status(k: &[u8]) -> Option<(Stage, NaiveDate, String)> {
    if k.len() < 6 || k[0] != STATUS {
        return None;
    }
    let stage = *Stage::ALL.get(k[1] as usize)?;
    let id = std::str::from_utf8(&k[6..]).ok()?.to_owned();
    Some((stage, day_of(&k[2..6])?, id))
}

pub fn customer_prefix(customer: &str) -> Vec<u8> {
    let len = u16::try_from(customer.len()).unwrap_or(u16::MAX);
    let mut k = vec![CUSTOMER];
    k.extend_from_slice(&len.to_be_bytes());
    k.extend_from_slice(customer.as_bytes());
    k
}

pub fn customer_key(customer: &str, voucher_id: &str) -> Vec<u8> {
    let mut k = customer_prefix(customer);
    k.extend_from_slice(voucher_id.as_bytes());
    k
}

/// `R` keys of `consultant` (lower-cased) start with this.
pub fn consultant_prefix(consultant: &str) -> Vec<u8> {
    let email = consultant.trim().to_ascii_lowercase();
    let len = u16::try_from(email.len()).unwrap_or(u16::MAX);
    let mut k = vec![CONSULTANT];
    k.extend_from_slice(&len.to_be_bytes());
    k.extend_from_slice(email.as_bytes());
    k
}

/// Every key of the index that files one voucher (empty values): its place
/// by stage and day, in its customer's history (15-day vouchers), and under
/// each consultant its reservation names.
pub fn entries(v: &Voucher) -> Vec<Vec<u8>> {
    let mut out = vec![status_key(v)];
    if in_history(v) {
        out.push(customer_key(&v.customer, &v.voucher_id));
    }
    for c in v.reservation.iter().flat_map(|r| &r.consultants) {
        let mut k = consultant_prefix(c);
        k.extend_from_slice(v.voucher_id.as_bytes());
        out.push(k);
    }
    out.sort();
    out.dedup();
    out
}

pub fn ledger_key(customer: &str) -> Vec<u8> {
    let mut k = vec![LEDGER];
    k.extend_from_slice(customer.as_bytes());
    k
}

/// A ledger's bytes: version 1, days received, then each expiry day with
/// the unredeemed days expiring on it.
pub fn encode_ledger(l: &Ledger) -> Vec<u8> {
    let mut out = Vec::with_capacity(9 + 12 * l.unredeemed_by_expiry.len());
    out.push(1);
    out.extend_from_slice(&l.received.to_be_bytes());
    for (day, n) in &l.unredeemed_by_expiry {
        out.extend_from_slice(&day_bytes(*day));
        out.extend_from_slice(&n.to_be_bytes());
    }
    out
}

pub fn decode_ledger(b: &[u8]) -> Result<Ledger, String> {
    let bad = || {
        format!(
            "a ledger of {} bytes is not version 1 with 12-byte entries",
            b.len()
        )
    };
    if b.len() < 9 || b[0] != 1 || !(b.len() - 9).is_multiple_of(12) {
        return Err(bad());
    }
    let mut l = Ledger {
        received: u64::from_be_bytes(b[1..9].try_into().map_err(|_| bad())?),
        ..Ledger::default()
    };
    for e in b[9..].chunks_exact(12) {
        let day = day_of(&e[..4]).ok_or_else(bad)?;
        l.unredeemed_by_expiry
            .insert(day, u64::from_be_bytes(e[4..].try_into().map_err(|_| bad())?));
    }
    Ok(l)
}

/// A running count kept under an `N` key, so the dashboard reads a few
/// counters instead of every voucher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Counter {
    /// Vouchers at a stage.
    Stage(Stage),
    /// Unredeemed vouchers at a stage expiring on a day (so the expired
    /// ones are counted on any day).
    Unredeemed(NaiveDate, Stage),
    /// Invoiced money: currency and "requested" | "paid" | "denied".
    Money(String, &'static str),
    /// Vouchers of an offering redeemed or later.
    Redeemed(String),
}

const MONEY_KINDS: [&str; 3] = ["requested", "paid", "denied"];

impl Counter {
    pub fn key(&self) -> Vec<u8> {
        let mut k = vec![COUNTER];
        match self {
            Counter::Stage(s) => k.extend_from_slice(&[b's', stage_byte(*s)]),
            Counter::Unredeemed(d, s) => {
                k.push(b'u');
                k.extend_from_slice(&day_bytes(*d));
                k.push(stage_byte(*s));
            }
            Counter::Money(cur, kind) => {
                k.push(b'm');
                k.push(MONEY_KINDS.iter().position(|x| x == kind).unwrap_or(0) as u8);
                k.extend_from_slice(cur.as_bytes());
            }
            Counter::Redeemed(o) => {
                k.push(b'o');
                k.extend_from_slice(o.as_bytes());
            }
        }
        k
    }

    pub fn parse(k: &[u8]) -> Option<Counter> {
        let (&[COUNTER, tag], rest) = k.split_first_chunk::<2>()? else {
            return None;
        };
        let text = || std::str::from_utf8(rest).ok().map(str::to_owned);
        match (tag, rest) {
            (b's', [s]) => Some(Counter::Stage(*Stage::ALL.get(*s as usize)?)),
            (b'u', [d @ .., s]) if d.len() == 4 => {
                Some(Counter::Unredeemed(day_of(d)?, *Stage::ALL.get(*s as usize)?))
            }
            (b'm', [kind, cur @ ..]) => Some(Counter::Money(
                std::str::from_utf8(cur).ok()?.to_owned(),
                MONEY_KINDS.get(*kind as usize)?,
            )),
            (b'o', _) => Some(Counter::Redeemed(text()?)),
            _ => None,
        }
    }
}

/// What one voucher adds to the counters.
pub fn contributions(v: &Voucher) -> Vec<(Counter, u64)> {
    let mut out = vec![(Counter::Stage(v.stage), 1)];
    if v.stage.is_redeemed() {
        out.push((Counter::Redeemed(v.offering.clone()), 1));
    } else {
        out.push((Counter::Unredeemed(v.expires_on(), v.stage), 1));
    }
    for inv in &v.invoices {
        let kind = match inv.payment.as_ref().map(|p| p.outcome) {
            Some(Outcome::Paid) => "paid",
            Some(Outcome::Denied) => "denied",
            None => "requested",
        };
        out.push((Counter::Money(inv.currency.clone(), kind), inv.amount));
    }
    out
}

/// The whole index tree as it should be for `state` (a whole state, its
/// derived ledgers rebuilt).
pub fn expected(state: &State) -> BTreeMap<Vec<u8>, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut counts: BTreeMap<Vec<u8>, u64> = BTreeMap::new();
    for v in state.vouchers.values() {
        for k in entries(v) {
            out.insert(k, Vec::new());
        }
        for (c, n) in contributions(v) {
            *counts.entry(c.key()).or_default() += n;
        }
    }
    for (customer, l) in &state.ledgers {
        out.insert(ledger_key(customer), encode_ledger(l));
    }
    // A counter at 0 is no key, as a commit leaves it (a zero amount, say).
    for (c, n) in counts.into_iter().filter(|(_, n)| *n > 0) {
        out.insert(c, n.to_be_bytes().to_vec());
    }
    out
}

/// An index key for messages: what it is about, in words.
pub fn describe(key: &[u8]) -> String {
    if let Some((stage, day, id)) = parse_status(key) {
        return format!("of voucher {id} ({stage:?}, {day})");
    }
    if let Some(c) = Counter::parse(key) {
        return format!("counter {c:?}");
    }
    match key.split_first() {
        Some((&LEDGER, rest)) => format!("ledger of {}", String::from_utf8_lossy(rest)),
        Some((&CONSULTANT, rest)) if rest.len() >= 2 => {
            format!("consultant entry {}", String::from_utf8_lossy(&rest[2..]))
        }
        Some((&CUSTOMER, rest)) if rest.len() >= 2 => {
            format!("customer entry {}", String::from_utf8_lossy(&rest[2..]))
        }
        _ => format!("key {key:02x?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::records::{Invoice, Stage};

    #[test]
    fn a_counter_adding_up_to_nothing_is_no_key() {
        let day = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let mut v = Voucher::received("V1".into(), "C1".into(), "DDPS".into(), 5, day, "a@b.c".into());
        v.stage = Stage::Invoiced;
        v.invoices.push(Invoice {
            invoice_number: "I1".into(),
            location_id: "L".into(),
            country: "US".into(),
            amount: 0,
            currency: "USD".into(),
            requested_at: chrono::DateTime::from_timestamp(0, 0).unwrap(),
            payment: None,
        });
        let mut state = State::default();
        state.vouchers.insert("V1".into(), v);
        let built = expected(&state);
        let money = Counter::Money("USD".into(), "requested").key();
        assert!(!built.contains_key(&money), "a zero amount is no counter");
        assert!(built.contains_key(&Counter::Stage(Stage::Invoiced).key()));
    }
}
