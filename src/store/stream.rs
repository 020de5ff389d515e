//! Reading every record of a tree one at a time, in key order, without
//! holding the tree: what `saps export`, `check`, `backup` and `restore`
//! walk, so that their memory does not grow with the data. Each item is
//! decoded as it is read; a damaged one is an `Err` naming it, and the walk
//! can go on past it.

use super::guard::guarded;
use super::sled_store::{decode_as, sled_files};
use super::{Store, StoreError, keys};
use crate::domain::records::{Customer, Voucher};
use serde::de::DeserializeOwned;

/// A key and its value, as stored.
pub type RawEntry = (Vec<u8>, Vec<u8>);

/// The records of one tree, decoded as they are read (see the `*_records`
/// methods of [`Store`]).
pub struct Records<'a, T> {
    store: &'a Store,
    iter: super::scan::Scan,
    decode: fn(&[u8], &[u8]) -> Result<T, StoreError>,
}

impl<T> Iterator for Records<'_, T> {
    type Item = Result<T, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        let store = self.store;
        let decode = self.decode;
        let iter = &mut self.iter;
        let item = guarded(
            || sled_files(&store.path),
            || match iter.next() {
                None => Ok(None),
                Some(Err(e)) => Err(store.err(e)),
                Some(Ok((k, v))) => decode(&k, &v).map(Some),
            },
        );
        item.transpose()
    }
}

impl Store {
    fn records<T>(
        &self,
        tree: &sled::Tree,
        decode: fn(&[u8], &[u8]) -> Result<T, StoreError>,
    ) -> Records<'_, T> {
        Records {
            store: self,
            iter: super::scan::scan(tree),
            decode,
        }
    }

    /// Every customer, by licensing id, with the key it is stored under.
    pub fn customer_records(&self) -> Records<'_, (String, Customer)> {
        self.records(&self.customers, |k, v| keyed(k, v, "customer"))
    }

    /// Every voucher, by id, with the key it is stored under.
    pub fn voucher_records(&self) -> Records<'_, (String, Voucher)> {
        self.records(&self.vouchers, |k, v| keyed(k, v, "voucher"))
    }

    /// Every invoice key and the voucher id it was filed for.
    pub fn invoice_records(&self) -> Records<'_, (String, String)> {
        self.records(&self.invoices, |k, v| {
            let id = text_key(k, "invoice")?;
            let voucher = keys::text(v).ok_or_else(|| StoreError::Damaged {
                what: format!("invoice {id}"),
                detail: "voucher id is not UTF-8".to_owned(),
            })?;
            Ok((id, voucher))
        })
    }

    /// Every key and value of the tree `name`, as stored (nothing when there
    /// is no such tree).
    pub fn raw_records(&self, name: &[u8]) -> Result<Records<'_, RawEntry>, StoreError> {
        let tree = guarded(
            || sled_files(&self.path),
            || self.db.open_tree(name).map_err(|e| self.err(e)),
        )?;
        Ok(Records {
            store: self,
            iter: super::scan::scan(&tree),
            decode: |k, v| Ok((k.to_vec(), v.to_vec())),
        })
    }
}

fn text_key(key: &[u8], kind: &str) -> Result<String, StoreError> {
    keys::text(key).ok_or_else(|| StoreError::Damaged {
        what: format!("{kind} {}", keys::shown(key)),
        detail: "key is not UTF-8".to_owned(),
    })
}

fn keyed<T: DeserializeOwned>(key: &[u8], value: &[u8], kind: &str) -> Result<(String, T), StoreError> {
    let id = text_key(key, kind)?;
    let v = decode_as(value, || format!("{kind} {id}"))?;
    Ok((id, v))
}
