//! The sled database behind [`Store`]: opening, loading, committing.
//! No sled type leaves `src/store/`.

use super::disk::{io_error, sled_error};
use super::durable::sync_dir;
use super::guard::guarded;
use super::migrate::{self, Plan};
use super::writes::{Target, Writes, in_blocks, prepare};
use super::{StoreError, codec, keys};
use crate::domain::records::Voucher;
use crate::domain::{Recorded, State};
use serde::de::DeserializeOwned;
use sled::transaction::{TransactionError, Transactional};
use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};

/// sled's page cache size for the desk and `exec`, which read pages again.
pub const CACHE_CAPACITY: u64 = 32 * 1024 * 1024;

/// sled's page cache size for a command that reads every record once in
/// key order (export, check, backup, restore): a page is not read twice, so
/// a bigger cache only grows the memory (BENCHMARKS.md, "Streaming").
pub const SCAN_CACHE_CAPACITY: u64 = 4 * 1024 * 1024;

/// How long an open waits for sled's lock before saying another saps
/// holds the database (see [`Store::open_with`]).
const LOCK_PATIENCE: std::time::Duration = std::time::Duration::from_secs(1);

/// The file sled 0.34 keeps its log in, inside the database directory.
pub(super) const SLED_LOG: &str = "db";

/// An open saps database. Holds sled's file lock until dropped.
pub struct Store {
    pub(super) path: PathBuf,
    pub(super) db: sled::Db,
    pub(super) events: sled::Tree,
    pub(super) org: sled::Tree,
    pub(super) customers: sled::Tree,
    pub(super) vouchers: sled::Tree,
    pub(super) invoices: sled::Tree,
    pub(super) index: sled::Tree,
    /// Each event's id to its seq (`keys::IDS`).
    pub(super) ids: sled::Tree,
    /// sled's log file, fsynced after every flush when `sync_files` is set.
    log: File,
    sync_files: bool,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// How to open a database. `Options::default()` is what saps uses.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// After sled's flush, also fsync sled's log file (sled 0.34 on Linux
    /// only calls `sync_file_range`, which neither writes the file's size
    /// nor flushes the disk's cache). See README "Your data".
    pub sync_files: bool,
    /// The schema this program wants and the steps that lead there.
    pub plan: Plan<'a>,
    /// sled's page cache, in bytes.
    pub cache_capacity: u64,
}

impl Default for Options<'static> {
    fn default() -> Self {
        Options {
            sync_files: true,
            plan: migrate::plan(),
            cache_capacity: CACHE_CAPACITY,
        }
    }
}

impl Options<'static> {
    /// What a command that reads every record once opens with.
    pub fn scan() -> Self {
        Options {
            cache_capacity: SCAN_CACHE_CAPACITY,
            ..Options::default()
        }
    }
}

impl Store {
    /// Opens the database at `path` (a directory), making a new one when
    /// the directory is missing or empty (never in a directory of other
    /// files), and migrating it (after an automatic backup) when it is
    /// older. Fails with [`StoreError::Locked`] when another process has it
    /// (after a second: a database just closed can hold sled's lock a
    /// moment longer, while a snapshot sled started finishes).
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Store::open_with(path, &Options::default())
    }

    /// [`Store::open`] of a database that must exist: what the commands that
    /// only read (check, export, backup, packet and bundle export) use, so
    /// that they never create anything where there is no saps database.
    pub fn open_existing(path: &Path) -> Result<Store, StoreError> {
        Store::open_as(path, &Options::default(), false)
    }

    /// [`Store::open`] with other options: the fsync benchmark turns the
    /// extra sync off, migration tests bring their own plan, restore skips
    /// the automatic backup.
    pub fn open_with(path: &Path, options: &Options) -> Result<Store, StoreError> {
        Store::open_as(path, options, true)
    }

    fn open_as(path: &Path, options: &Options, create: bool) -> Result<Store, StoreError> {
        super::disk::prepare(path, create)?;
        let since = std::time::Instant::now();
        let store = loop {
            match guarded(|| sled_files(path), || Store::open_sled(path, options)) {
                // A database just closed (a restore's, a process that just
                // ended) can hold sled's lock a moment longer: a snapshot
                // sled started on its own threads still finishing. Held
                // after a while, it is another saps's.
                Err(StoreError::Locked { .. }) if since.elapsed() < LOCK_PATIENCE => {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                other => {
                    break other.inspect_err(|_| {
                        // sled may have started a snapshot it could not
                        // finish (a full disk): it is not left for the next
                        // open to read.
                        let _ = super::snapshots::remove_incomplete(path);
                    })?;
                }
            }
        };
        migrate::ensure_schema(&store, &options.plan)?;
        Ok(store)
    }

    /// [`Store::open_existing`] with `options` (a restore looking into a
    /// database it will not replace, with a plan of no steps).
    pub(super) fn open_as_is(path: &Path, options: &Options) -> Result<Store, StoreError> {
        Store::open_as(path, options, false)
    }

    /// [`Store::open_existing`] with the small cache of [`Options::scan`]:
    /// for export, check and backup, which read each record once.
    pub fn open_scan(path: &Path) -> Result<Store, StoreError> {
        Store::open_as(path, &Options::scan(), false)
    }

    fn open_sled(path: &Path, options: &Options) -> Result<Store, StoreError> {
        let sync_files = options.sync_files;
        let db = sled::Config::new()
            .path(path)
            .cache_capacity(options.cache_capacity)
            .open()
            .map_err(|e| sled_error(path, e))?;
        let tree = |name: &str| db.open_tree(name).map_err(|e| sled_error(path, e));
        let log = File::open(path.join(SLED_LOG)).map_err(|e| io_error(path, &e))?;
        // The log file's name must survive a power cut as well as its bytes.
        sync_dir(path).map_err(|e| io_error(path, &e))?;
        Ok(Store {
            path: path.to_path_buf(),
            events: tree(keys::EVENTS)?,
            org: tree(keys::ORG)?,
            customers: tree(keys::CUSTOMERS)?,
            vouchers: tree(keys::VOUCHERS)?,
            invoices: tree(keys::INVOICES)?,
            index: tree(keys::INDEX)?,
            ids: tree(keys::IDS)?,
            db,
            log,
            sync_files,
        })
    }

    /// Where the database lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The whole state, rebuilt from the stored records.
    pub fn load(&self) -> Result<State, StoreError> {
        guarded(|| sled_files(&self.path), || self.load_unguarded())
    }

    fn load_unguarded(&self) -> Result<State, StoreError> {
        let mut state = State::default();
        if let Some(bytes) = self.org.get(keys::ORG_KEY).map_err(|e| self.err(e))? {
            state.org = decode_as(&bytes, || "org".to_owned())?;
        }
        state.customers = self.read_map(&self.customers, "customer", codec_value)?;
        state.vouchers = self.read_map(&self.vouchers, "voucher", codec_value)?;
        state.invoices = self.read_map(&self.invoices, "invoice", |bytes| {
            keys::text(bytes).ok_or_else(|| "voucher id is not UTF-8".to_owned())
        })?;
        // The audit log is read too, so that nothing runs on a damaged one.
        state.last_seq = self.read_events(|_| ())?;
        state.reindex();
        Ok(state)
    }

    /// Writes `recorded` and every record they touch, as found in `state`
    /// (the state after applying them), in one transaction, then flushes
    /// and syncs. A touched record absent from `state` is removed. Empty is
    /// a no-op.
    pub fn commit(&self, state: &State, recorded: &[Recorded]) -> Result<(), StoreError> {
        if recorded.is_empty() {
            return Ok(());
        }
        let stored = |id: &str| -> Result<Option<Voucher>, String> {
            self.get(&self.vouchers, keys::voucher(id), "voucher", id)
                .map_err(|e| e.to_string())
        };
        let Writes { writes, deltas } = guarded(
            || sled_files(&self.path),
            || prepare(state, recorded, stored).map_err(|detail| self.io(detail)),
        )?;
        let writes = in_blocks(writes);
        guarded(
            || sled_files(&self.path),
            || {
                // Only the trees this commit writes take part: sled's
                // transaction costs grow with the trees it holds.
                let all = [
                    (Target::Events, &self.events),
                    (Target::Org, &self.org),
                    (Target::Customers, &self.customers),
                    (Target::Vouchers, &self.vouchers),
                    (Target::Invoices, &self.invoices),
                    (Target::Index, &self.index),
                    (Target::Ids, &self.ids),
                ];
                let used: Vec<(Target, &sled::Tree)> = all
                    .into_iter()
                    .filter(|(t, _)| {
                        writes.iter().any(|w| w.target == *t) || (*t == Target::Index && !deltas.is_empty())
                    })
                    .collect();
                let slot = |t: Target| used.iter().position(|(u, _)| *u == t).unwrap_or(0);
                let trees: Vec<&sled::Tree> = used.iter().map(|(_, tree)| *tree).collect();
                trees
                    .as_slice()
                    .transaction(|views| {
                        for w in &writes {
                            let tree = &views[slot(w.target)];
                            match &w.value {
                                Some(v) => tree.insert(w.key.as_slice(), v.as_slice())?,
                                None => tree.remove(w.key.as_slice())?,
                            };
                        }
                        if !deltas.is_empty() {
                            let index = &views[slot(Target::Index)];
                            for (key, delta) in &deltas {
                                let now = index.get(key.as_slice())?.map_or(0, |v| counter_value(&v));
                                match now.saturating_add_signed(*delta) {
                                    0 => index.remove(key.as_slice())?,
                                    n => index.insert(key.as_slice(), &n.to_be_bytes()[..])?,
                                };
                            }
                        }
                        Ok(())
                    })
                    .map_err(|e: TransactionError<()>| match e {
                        TransactionError::Storage(e) => self.err(e),
                        TransactionError::Abort(()) => self.io("the commit was aborted".to_owned()),
                    })?;
                self.flush()
            },
        )
    }

    /// sled's flush, then (with `sync_files`) an fsync of its log file.
    pub(super) fn flush(&self) -> Result<(), StoreError> {
        self.db.flush().map_err(|e| self.err(e))?;
        if self.sync_files {
            self.log.sync_all().map_err(|e| io_error(&self.path, &e))?;
        }
        Ok(())
    }

    /// The audit log, in seq order.
    pub fn events(&self) -> Result<Vec<Recorded>, StoreError> {
        guarded(
            || sled_files(&self.path),
            || {
                let mut out = Vec::new();
                self.read_events(|r| out.push(r))?;
                Ok(out)
            },
        )
    }

    /// The last `n` events (or fewer), oldest first: what the desk's audit
    /// pane shows without holding the whole log in memory.
    pub fn recent_events(&self, n: usize) -> Result<Vec<Recorded>, StoreError> {
        guarded(|| sled_files(&self.path), || self.read_recent(n))
    }

    /// Reads a whole tree of text keys into a map, naming any bad entry.
    fn read_map<T>(
        &self,
        tree: &sled::Tree,
        kind: &str,
        decode: impl Fn(&[u8]) -> Result<T, String>,
    ) -> Result<BTreeMap<String, T>, StoreError> {
        let mut out = BTreeMap::new();
        for item in super::scan::scan(tree) {
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

    pub(super) fn err(&self, e: sled::Error) -> StoreError {
        sled_error(&self.path, e)
    }

    pub(super) fn io(&self, detail: String) -> StoreError {
        StoreError::Io {
            path: self.path.clone(),
            detail,
        }
    }
}

/// What a panic inside sled is reported as.
pub(super) fn sled_files(path: &Path) -> String {
    format!("the sled files in {}", path.display())
}

fn codec_value<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    codec::decode(bytes).map_err(|e| e.to_string())
}

pub(super) fn decode_as<T: DeserializeOwned>(
    bytes: &[u8],
    what: impl FnOnce() -> String,
) -> Result<T, StoreError> {
    codec::decode(bytes).map_err(|e| StoreError::Damaged {
        what: what(),
        detail: e.to_string(),
    })
}

/// A counter's value; a damaged one counts as 0 (`saps check` reports it).
pub(super) fn counter_value(bytes: &[u8]) -> u64 {
    <[u8; 8]>::try_from(bytes).map_or(0, u64::from_be_bytes)
}
