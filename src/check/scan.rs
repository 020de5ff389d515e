//! Reading every stored value of every tree and decoding it. What decodes
//! goes into a state (damaged values are left out and reported), so the
//! other checks still run on what is left.

use super::Finding;
use crate::domain::records::{Customer, Org, Voucher};
use crate::domain::{Recorded, State};
use crate::store::{Entries, SCHEMA_VERSION, Store, blocks, codec, keys};
use serde::de::DeserializeOwned;

pub struct Scan {
    pub state: State,
    /// The events that decoded, in key order.
    pub events: Vec<Recorded>,
    pub findings: Vec<Finding>,
    /// The index tree as stored (checked against the records later).
    pub index: std::collections::BTreeMap<Vec<u8>, Vec<u8>>,
    /// The ids tree as stored (checked against the events' ids below).
    ids: std::collections::BTreeMap<Vec<u8>, Vec<u8>>,
}

pub fn scan(store: &Store) -> Scan {
    let mut scan = Scan {
        state: State::default(),
        events: Vec::new(),
        findings: Vec::new(),
        index: Default::default(),
        ids: Default::default(),
    };
    let names = match store.tree_names() {
        Ok(names) => names,
        Err(e) => {
            scan.findings.push(Finding::new("the database", e.to_string()));
            return scan;
        }
    };
    for name in names {
        let shown = keys::shown(&name);
        match store.raw_entries(&name) {
            Ok(entries) => scan.tree(&shown, &entries),
            Err(e) => scan
                .findings
                .push(Finding::new(format!("tree {shown}"), e.to_string())),
        }
    }
    scan.state.reindex();
    scan.check_ids();
    scan
}

impl Scan {
    /// Every event whose id was given (and only those) is found by it.
    fn check_ids(&mut self) {
        let mut ids = std::mem::take(&mut self.ids);
        for r in self.events.iter().filter(|r| r.id_given) {
            match ids.remove(r.id.as_bytes().as_slice()) {
                Some(seq) if keys::event_seq(&seq) == Some(r.seq) => {}
                Some(_) => self.findings.push(Finding::new(
                    format!("event {}", r.seq),
                    format!("the ids tree does not give its id {} its seq", r.id),
                )),
                None => self.findings.push(Finding::new(
                    format!("event {}", r.seq),
                    format!("its id {} is missing from the ids tree", r.id),
                )),
            }
        }
        for (id, seq) in ids {
            let id = uuid::Uuid::from_slice(&id).map_or_else(|_| format!("{id:02x?}"), |u| u.to_string());
            let seq = keys::event_seq(&seq).map_or_else(|| "no seq".to_owned(), |s| format!("seq {s}"));
            self.findings.push(Finding::new(
                format!("the id {id}"),
                format!("the ids tree gives it {seq}, but no event with a given id has it"),
            ));
        }
    }

    fn tree(&mut self, name: &str, entries: &Entries) {
        for (key, value) in entries {
            let subject = match name {
                keys::EVENTS => match keys::event_seq(key) {
                    Some(seq) => format!("event {seq}"),
                    None => format!("event key {key:02x?}"),
                },
                keys::META | keys::ORG => format!("{name} {}", keys::shown(key)),
                _ => format!("{} {}", singular(name), keys::shown(key)),
            };
            if let Err(problem) = self.entry(name, key, value) {
                self.findings.push(Finding::new(subject, problem));
            }
        }
    }

    fn entry(&mut self, tree: &str, key: &[u8], value: &[u8]) -> Result<(), String> {
        let text_key = || keys::text(key).ok_or_else(|| "its key is not UTF-8".to_owned());
        match tree {
            keys::META if key == keys::SCHEMA_VERSION_KEY => match keys::parse_schema_version(value) {
                Some(SCHEMA_VERSION) => Ok(()),
                Some(v) => Err(format!("is {v}, this saps writes {SCHEMA_VERSION}")),
                None => Err(format!("has {} bytes instead of 4", value.len())),
            },
            keys::META if key == keys::DEMO_CLOCK_KEY => match keys::parse_demo_clock(value) {
                Some(_) => Ok(()),
                None => Err("is not a date and time (RFC 3339)".to_owned()),
            },
            keys::EVENTS => {
                let first = keys::event_seq(key)
                    .ok_or_else(|| format!("the key has {} bytes instead of 8", key.len()))?;
                // A block's events: each named on its own when it is damaged.
                let parts =
                    blocks::split(value).map_err(|e| format!("its block of events cannot be read: {e}"))?;
                for (i, bytes) in parts.into_iter().enumerate() {
                    let seq = first.saturating_add(i as u64);
                    let decoded = codec::decode_event(bytes).map_err(|e| format!("cannot be read: {e}"));
                    let event = match decoded {
                        Ok(r) if r.seq == seq => Ok(r),
                        Ok(r) => Err(format!("holds event {}", r.seq)),
                        Err(e) => Err(e),
                    };
                    match event {
                        Ok(r) => {
                            self.state.last_seq = self.state.last_seq.max(seq);
                            self.events.push(r);
                        }
                        Err(problem) => self.findings.push(Finding::new(format!("event {seq}"), problem)),
                    }
                }
                Ok(())
            }
            keys::ORG if key == keys::ORG_KEY => {
                self.state.org = decode::<Org>(value)?;
                Ok(())
            }
            keys::CUSTOMERS => {
                let c: Customer = decode(value)?;
                self.state.customers.insert(text_key()?, c);
                Ok(())
            }
            keys::VOUCHERS => {
                let v: Voucher = decode(value)?;
                self.state.vouchers.insert(text_key()?, v);
                Ok(())
            }
            keys::INVOICES => {
                let id = keys::text(value).ok_or_else(|| "its voucher id is not UTF-8".to_owned())?;
                self.state.invoices.insert(text_key()?, id);
                Ok(())
            }
            keys::INDEX => {
                self.index.insert(key.to_vec(), value.to_vec());
                Ok(())
            }
            keys::IDS => {
                self.ids.insert(key.to_vec(), value.to_vec());
                Ok(())
            }
            keys::META | keys::ORG => Err("is a key saps never writes".to_owned()),
            _ if tree.as_bytes() == keys::SLED_DEFAULT_TREE => {
                Err("is in a tree saps never writes".to_owned())
            }
            _ => Err(format!("is in the tree {tree}, which saps does not know")),
        }
    }
}

fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    codec::decode(bytes).map_err(|e| format!("cannot be read: {e}"))
}

fn singular(tree: &str) -> &str {
    match tree {
        keys::CUSTOMERS => "customer",
        keys::VOUCHERS => "voucher",
        keys::INVOICES => "invoice",
        other => other,
    }
}
