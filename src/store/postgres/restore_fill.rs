//! The filling of a restore (`restore.rs`): the backup's items read one by
//! one, each record decoded and checked as it is read (an event against
//! its key and the one before it, a deliverable against its hash), rows
//! sent [`BATCH`] at a time.

use super::restore::BATCH;
use super::tx::{Table, Tx};
use crate::domain::Recorded;
use crate::domain::records::{Customer, Org, Voucher};
use crate::store::backup::format::{Item, Reader};
use crate::store::backup::{BackupError, Summary};
use crate::store::files::{self, hex};
use crate::store::{SCHEMA_VERSION, StoreError, codec, keys};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;
use uuid::Uuid;

/// The rows of the tree being read, not yet sent.
pub(super) enum Rows {
    /// Before the first tree, or in a tree whose entries are checked only.
    None,
    Meta {
        schema: bool,
    },
    Skip,
    Events(Vec<Event>),
    Table(Table, Vec<(Vec<u8>, Vec<u8>)>),
}

pub(super) struct Event {
    seq: i64,
    at: DateTime<Utc>,
    actor: String,
    id: Uuid,
    body: Vec<u8>,
}

pub(super) struct Fill<'a, 't> {
    pub tx: Tx<'t>,
    pub file: &'a Path,
    pub summary: Summary,
    pub rows: Rows,
    /// The seq of the last event read (0: none yet).
    pub last_seq: i64,
}

pub(super) fn invalid(file: &Path, detail: String) -> BackupError {
    BackupError::Invalid {
        file: file.to_path_buf(),
        detail,
    }
}

impl Fill<'_, '_> {
    pub fn items(&mut self, reader: &mut Reader<impl Read>) -> Result<(), BackupError> {
        let mut names = std::collections::BTreeSet::new();
        let mut schema_seen = false;
        loop {
            let item = reader
                .next_item(files::MAX_BYTES)
                .map_err(|d| invalid(self.file, d))?;
            if matches!(item, Item::Tree(_) | Item::End) {
                if let Rows::Meta { schema } = self.rows {
                    schema_seen = schema;
                }
                self.flush()?;
                self.rows = Rows::None;
            }
            match item {
                Item::End => break,
                Item::Tree(name) => {
                    if !names.insert(name.clone()) {
                        return Err(invalid(
                            self.file,
                            format!("the tree {} appears twice", keys::shown(&name)),
                        ));
                    }
                    self.summary.trees += 1;
                    self.rows = self.rows_of(&name)?;
                }
                Item::Entry(k, v) => {
                    self.summary.entries += 1;
                    self.entry(k, v)?;
                }
                Item::File { name, size } => self.file(reader, name, size)?,
            }
        }
        if !schema_seen {
            return Err(invalid(
                self.file,
                "it has no meta tree, so no schema_version".to_owned(),
            ));
        }
        Ok(())
    }

    fn rows_of(&self, name: &[u8]) -> Result<Rows, BackupError> {
        let table = |t| Ok(Rows::Table(t, Vec::with_capacity(BATCH)));
        match std::str::from_utf8(name) {
            Ok(keys::META) => Ok(Rows::Meta { schema: false }),
            Ok(keys::EVENTS) => Ok(Rows::Events(Vec::with_capacity(BATCH))),
            Ok(keys::ORG) => table(Table::Org),
            Ok(keys::CUSTOMERS) => table(Table::Customers),
            Ok(keys::VOUCHERS) => table(Table::Vouchers),
            Ok(keys::INVOICES) => table(Table::Invoices),
            Ok(keys::INDEX) => table(Table::Index),
            _ if name == keys::SLED_DEFAULT_TREE => Ok(Rows::Skip),
            _ => Err(invalid(
                self.file,
                format!(
                    "it holds the tree {}, which no saps database has",
                    keys::shown(name)
                ),
            )),
        }
    }

    fn entry(&mut self, k: Vec<u8>, v: Vec<u8>) -> Result<(), BackupError> {
        let damaged =
            |what: String, e: &dyn std::fmt::Display| format!("it holds damaged data ({what}: {e})");
        let full = match &mut self.rows {
            Rows::None => return Err(invalid(self.file, "an entry comes before any tree".to_owned())),
            Rows::Skip => false,
            Rows::Meta { schema } => {
                if k == keys::SCHEMA_VERSION_KEY {
                    if keys::parse_schema_version(&v) != Some(SCHEMA_VERSION) {
                        let detail = "its schema_version does not match its header".to_owned();
                        return Err(invalid(self.file, detail));
                    }
                    *schema = true;
                }
                false
            }
            Rows::Events(rows) => {
                let Some(seq) = keys::event_seq(&k) else {
                    let detail = format!("an event key has {} bytes instead of 8", k.len());
                    return Err(invalid(self.file, detail));
                };
                let r: Recorded = match codec::decode_event(&v) {
                    Ok(r) => r,
                    Err(e) => return Err(invalid(self.file, damaged(format!("event {seq}"), &e))),
                };
                let (Ok(pg_seq), true) = (i64::try_from(seq), r.seq == seq) else {
                    let detail = format!("event {seq} holds event {}", r.seq);
                    return Err(invalid(self.file, damaged(format!("event {seq}"), &detail)));
                };
                if pg_seq != self.last_seq + 1 {
                    let last = self.last_seq;
                    let detail = format!(
                        "its events do not follow one another (event {seq} comes after event {last})"
                    );
                    return Err(invalid(self.file, detail));
                }
                self.last_seq = pg_seq;
                rows.push(Event {
                    seq: pg_seq,
                    at: r.at,
                    actor: r.actor,
                    id: r.id,
                    body: codec::event_bytes_with_id(&v, r.id),
                });
                rows.len() >= BATCH
            }
            Rows::Table(t, rows) => {
                let what = || String::from_utf8_lossy(&k).into_owned();
                let checked = match t {
                    Table::Org => codec::decode::<Org>(&v).map(drop),
                    Table::Customers => codec::decode::<Customer>(&v).map(drop),
                    Table::Vouchers => codec::decode::<Voucher>(&v).map(drop),
                    Table::Invoices | Table::Index => Ok(()),
                };
                if let Err(e) = checked {
                    let kind = match t {
                        Table::Org => "org",
                        Table::Customers => "customer",
                        _ => "voucher",
                    };
                    return Err(invalid(self.file, damaged(format!("{kind} {}", what()), &e)));
                }
                if *t == Table::Invoices && keys::text(&v).is_none() {
                    let detail = "voucher id is not UTF-8";
                    return Err(invalid(
                        self.file,
                        damaged(format!("invoice {}", what()), &detail),
                    ));
                }
                rows.push((k, v));
                rows.len() >= BATCH
            }
        };
        if full {
            self.flush()?;
        }
        Ok(())
    }

    /// Sends the rows read so far.
    fn flush(&mut self) -> Result<(), BackupError> {
        match &mut self.rows {
            Rows::Events(rows) if !rows.is_empty() => {
                let seqs: Vec<i64> = rows.iter().map(|e| e.seq).collect();
                let ats: Vec<DateTime<Utc>> = rows.iter().map(|e| e.at).collect();
                let actors: Vec<&str> = rows.iter().map(|e| e.actor.as_str()).collect();
                let ids: Vec<Uuid> = rows.iter().map(|e| e.id).collect();
                let bodies: Vec<&[u8]> = rows.iter().map(|e| e.body.as_slice()).collect();
                let sent = self.tx.execute(
                    "INSERT INTO saps.events (seq, at, actor, id, body) \
                     SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::uuid[], $5::bytea[]) \
                     ORDER BY 1",
                    &[&seqs, &ats, &actors, &ids, &bodies],
                );
                if let Err(StoreError::Conflict { detail }) = sent {
                    let detail = format!("its events do not follow one another ({detail})");
                    return Err(invalid(self.file, detail));
                }
                sent?;
                rows.clear();
            }
            Rows::Table(t, rows) if !rows.is_empty() => {
                let (k, v): (Vec<&[u8]>, Vec<&[u8]>) =
                    rows.iter().map(|(k, v)| (k.as_slice(), v.as_slice())).unzip();
                let sql = format!(
                    "INSERT INTO {} (key, value) SELECT * FROM unnest($1::bytea[], $2::bytea[])",
                    t.name()
                );
                self.tx.execute(&sql, &[&k, &v])?;
                rows.clear();
            }
            _ => {}
        }
        Ok(())
    }

    /// One deliverable, checked against its name (its hash) and size.
    fn file(&mut self, reader: &mut Reader<impl Read>, name: String, size: u64) -> Result<(), BackupError> {
        if !files::is_sha256(&name) {
            return Err(invalid(
                self.file,
                format!("a file is named {name:?}, not by its hash"),
            ));
        }
        let mut bytes = Vec::new();
        reader
            .file_content(size)
            .read_to_end(&mut bytes)
            .map_err(|e| invalid(self.file, format!("cannot read the file {name}: {e}")))?;
        if bytes.len() as u64 != size || hex(&Sha256::digest(&bytes)) != name {
            return Err(invalid(
                self.file,
                format!("the file {name} does not match its hash"),
            ));
        }
        let stored = i64::try_from(size).unwrap_or(i64::MAX);
        let added = self.tx.execute(
            "INSERT INTO saps.files (sha256, size, bytes) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING",
            &[&name, &stored, &bytes],
        )?;
        if added == 0 {
            return Err(invalid(self.file, format!("the file {name} appears twice")));
        }
        self.summary.files += 1;
        Ok(())
    }
}
