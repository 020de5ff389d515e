//! Visiting every record one at a time, without holding them all: what the
//! streaming exports read (the workbook of 100,000 vouchers stays small).

use super::guard::guarded;
use super::sled_store::{decode_as, sled_files};
use super::{Store, StoreError, keys};
use crate::domain::Recorded;
use crate::domain::records::{Customer, Voucher};
use crate::domain::state::Ledger;

impl Store {
    /// Every customer with its planning-day ledger, by licensing id.
    pub fn for_each_customer(&self, mut each: impl FnMut(Customer, Ledger)) -> Result<(), StoreError> {
        guarded(
            || sled_files(&self.path),
            || {
                for item in super::scan::scan(&self.customers) {
                    let (key, value) = item.map_err(|e| self.err(e))?;
                    let id = keys::shown(&key);
                    let c: Customer = decode_as(&value, || format!("customer {id}"))?;
                    let ledger = self.ledger(&id)?.unwrap_or_default();
                    each(c, ledger);
                }
                Ok(())
            },
        )
    }

    /// Every voucher, by voucher id.
    pub fn for_each_voucher(&self, mut each: impl FnMut(Voucher)) -> Result<(), StoreError> {
        guarded(
            || sled_files(&self.path),
            || {
                for item in super::scan::scan(&self.vouchers) {
                    let (key, value) = item.map_err(|e| self.err(e))?;
                    let v: Voucher = decode_as(&value, || format!("voucher {}", keys::shown(&key)))?;
                    each(v);
                }
                Ok(())
            },
        )
    }

    /// Every event of the audit log, in seq order.
    pub fn for_each_event(&self, each: impl FnMut(Recorded)) -> Result<(), StoreError> {
        guarded(|| sled_files(&self.path), || self.read_events(each).map(|_| ()))
    }
}
