//! The sled database behind [`Store`]: opening, loading, committing.
//! No sled type leaves `src/store/`.

use super::disk::{io_error, prepare_dir, sled_error};
use super::{StoreError, codec, keys};
use crate::domain::event::Touch;
use crate::domain::{Recorded, State};
use serde::de::DeserializeOwned;
use sled::transaction::{TransactionError, Transactional};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// sled's page cache size.
const CACHE_CAPACITY: u64 = 32 * 1024 * 1024;

/// An open saps database. Holds sled's file lock until dropped.
pub struct Store {
    path: PathBuf,
    db: sled::Db,
    meta: sled::Tree,
    events: sled::Tree,
    org: sled::Tree,
    customers: sled::Tree,
    vouchers: sled::Tree,
    invoices: sled::Tree,
}

/// The record trees a commit writes (meta is written only by `open`).
#[derive(Clone, Copy)]
enum Target {
    Events,
    Org,
    Customers,
    Vouchers,
    Invoices,
}

/// One key to set (`Some`) or remove (`None`), prepared before the
/// transaction so that a retried transaction body does no work but writing.
struct Write {
    target: Target,
    key: Vec<u8>,
    value: Option<Vec<u8>>,
}

impl Store {
    /// Opens the database at `path` (a directory), creating it if needed.
    /// Fails at once with [`StoreError::Locked`] when another process has it.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        prepare_dir(path).map_err(|e| io_error(path, &e))?;
        let db = sled::Config::new()
            .path(path)
            .cache_capacity(CACHE_CAPACITY)
            .open()
            .map_err(|e| sled_error(path, e))?;
        let tree = |name: &str| db.open_tree(name).map_err(|e| sled_error(path, e));
        let store = Store {
            path: path.to_path_buf(),
            meta: tree(keys::META)?,
            events: tree(keys::EVENTS)?,
            org: tree(keys::ORG)?,
            customers: tree(keys::CUSTOMERS)?,
            vouchers: tree(keys::VOUCHERS)?,
            invoices: tree(keys::INVOICES)?,
            db,
        };
        store.check_schema()?;
        Ok(store)
    }

    /// Where the database lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The whole state, rebuilt from the stored records.
    pub fn load(&self) -> Result<State, StoreError> {
        let mut state = State::default();
        if let Some(bytes) = self.org.get(keys::ORG_KEY).map_err(|e| self.err(e))? {
            state.org = decode_as(&bytes, || "org".to_owned())?;
        }
        state.customers = self.read_map(&self.customers, "customer", codec_value)?;
        state.vouchers = self.read_map(&self.vouchers, "voucher", codec_value)?;
        state.invoices = self.read_map(&self.invoices, "invoice", |bytes| {
            keys::text(bytes).ok_or_else(|| "voucher id is not UTF-8".to_owned())
        })?;
        state.last_seq = match self.events.last().map_err(|e| self.err(e))? {
            None => 0,
            Some((key, _)) => event_seq(&key)?,
        };
        state.reindex();
        Ok(state)
    }

    /// Writes `recorded` and every record they touch, as found in `state`
    /// (the state after applying them), in one transaction, then flushes.
    /// A touched record absent from `state` is removed. Empty is a no-op.
    pub fn commit(&self, state: &State, recorded: &[Recorded]) -> Result<(), StoreError> {
        if recorded.is_empty() {
            return Ok(());
        }
        let writes = self.prepare(state, recorded)?;
        let trees = (
            &self.events,
            &self.org,
            &self.customers,
            &self.vouchers,
            &self.invoices,
        );
        trees
            .transaction(|(events, org, customers, vouchers, invoices)| {
                for w in &writes {
                    let tree = match w.target {
                        Target::Events => events,
                        Target::Org => org,
                        Target::Customers => customers,
                        Target::Vouchers => vouchers,
                        Target::Invoices => invoices,
                    };
                    match &w.value {
                        Some(v) => tree.insert(w.key.as_slice(), v.as_slice())?,
                        None => tree.remove(w.key.as_slice())?,
                    };
                }
                Ok(())
            })
            .map_err(|e: TransactionError<()>| match e {
                TransactionError::Storage(e) => self.err(e),
                TransactionError::Abort(()) => self.io("the commit was aborted".to_owned()),
            })?;
        self.db.flush().map_err(|e| self.err(e))?;
        Ok(())
    }

    /// The audit log, in seq order.
    pub fn events(&self) -> Result<Vec<Recorded>, StoreError> {
        let mut out = Vec::new();
        for item in self.events.iter() {
            let (key, value) = item.map_err(|e| self.err(e))?;
            let seq = event_seq(&key)?;
            let r: Recorded = decode_as(&value, || format!("event {seq}"))?;
            if r.seq != seq {
                return Err(StoreError::Damaged {
                    what: format!("event {seq}"),
                    detail: format!("it holds event {}", r.seq),
                });
            }
            out.push(r);
        }
        Ok(out)
    }

    fn check_schema(&self) -> Result<(), StoreError> {
        let damaged = |detail: String| StoreError::Damaged {
            what: format!("{} {}", keys::META, keys::shown(keys::SCHEMA_VERSION_KEY)),
            detail,
        };
        match self.meta.get(keys::SCHEMA_VERSION_KEY).map_err(|e| self.err(e))? {
            None => {
                let v = keys::schema_version(keys::SCHEMA_VERSION);
                self.meta
                    .insert(keys::SCHEMA_VERSION_KEY, &v[..])
                    .map_err(|e| self.err(e))?;
                self.db.flush().map_err(|e| self.err(e))?;
                Ok(())
            }
            Some(bytes) => match keys::parse_schema_version(&bytes) {
                None => Err(damaged(format!("{} bytes instead of 4", bytes.len()))),
                Some(0) => Err(damaged("version 0 was never written by saps".to_owned())),
                Some(found) if found > keys::SCHEMA_VERSION => Err(StoreError::TooNew {
                    found,
                    supported: keys::SCHEMA_VERSION,
                }),
                Some(_) => Ok(()),
            },
        }
    }

    /// Encodes every write of a commit before the transaction starts.
    fn prepare(&self, state: &State, recorded: &[Recorded]) -> Result<Vec<Write>, StoreError> {
        let mut writes = Vec::new();
        let mut touched = BTreeSet::new();
        for r in recorded {
            let value = self.encode(r, || format!("event {}", r.seq))?;
            let key = keys::event(r.seq).to_vec();
            writes.push(Write {
                target: Target::Events,
                key,
                value: Some(value),
            });
            touched.extend(r.event.touches());
        }
        for touch in touched {
            let write = match &touch {
                Touch::Org => Write {
                    target: Target::Org,
                    key: keys::ORG_KEY.to_vec(),
                    value: Some(self.encode(&state.org, || "org".to_owned())?),
                },
                Touch::Customer(id) => Write {
                    target: Target::Customers,
                    key: keys::customer(id).to_vec(),
                    value: match state.customers.get(id) {
                        Some(c) => Some(self.encode(c, || format!("customer {id}"))?),
                        None => None,
                    },
                },
                Touch::Voucher(id) => Write {
                    target: Target::Vouchers,
                    key: keys::voucher(id).to_vec(),
                    value: match state.vouchers.get(id) {
                        Some(v) => Some(self.encode(v, || format!("voucher {id}"))?),
                        None => None,
                    },
                },
                Touch::Invoice(k) => Write {
                    target: Target::Invoices,
                    key: keys::invoice(k).to_vec(),
                    value: state.invoices.get(k).map(|id| id.as_bytes().to_vec()),
                },
            };
            writes.push(write);
        }
        Ok(writes)
    }

    fn encode<T: serde::Serialize>(
        &self,
        v: &T,
        what: impl FnOnce() -> String,
    ) -> Result<Vec<u8>, StoreError> {
        codec::try_encode(v).map_err(|e| self.io(format!("cannot encode {}: {e}", what())))
    }

    /// Reads a whole tree of text keys into a map, naming any bad entry.
    fn read_map<T>(
        &self,
        tree: &sled::Tree,
        kind: &str,
        decode: impl Fn(&[u8]) -> Result<T, String>,
    ) -> Result<BTreeMap<String, T>, StoreError> {
        let mut out = BTreeMap::new();
        for item in tree.iter() {
            let (key, value) = item.map_err(|e| self.err(e))?;
            let shown = keys::shown(&key);
            let damaged = |detail: String| StoreError::Damaged {
                what: format!("{kind} {shown}"),
                detail,
            };
            let id = keys::text(&key).ok_or_else(|| damaged("key is not UTF-8".to_owned()))?;
            let v = decode(&value).map_err(damaged)?;
            out.insert(id, v);
        }
        Ok(out)
    }

    fn err(&self, e: sled::Error) -> StoreError {
        sled_error(&self.path, e)
    }

    fn io(&self, detail: String) -> StoreError {
        StoreError::Io {
            path: self.path.clone(),
            detail,
        }
    }
}

fn codec_value<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    codec::decode(bytes).map_err(|e| e.to_string())
}

fn decode_as<T: DeserializeOwned>(bytes: &[u8], what: impl FnOnce() -> String) -> Result<T, StoreError> {
    codec::decode(bytes).map_err(|e| StoreError::Damaged {
        what: what(),
        detail: e.to_string(),
    })
}

fn event_seq(key: &[u8]) -> Result<u64, StoreError> {
    keys::event_seq(key).ok_or_else(|| StoreError::Damaged {
        what: format!("event key {key:02x?}"),
        detail: format!("{} bytes instead of 8", key.len()),
    })
}
