//! Schema versions and migrations.
//!
//! The `meta` tree's `schema_version` says which layout a database has. On
//! open: a fresh database gets [`SCHEMA_VERSION`]; a newer one is refused
//! ([`StoreError::TooNew`]); an older one is backed up beside the database
//! (the last [`KEEP_BACKUPS`] automatic backups are kept) and then upgraded
//! by the [`Step`]s in order, `schema_version` written after each one. A
//! step must be idempotent: a crash between a step and its version write
//! runs it again on the next open.
//!
//! Schema 1 is the first layout. Schema 2 adds the `index` tree (vouchers by
//! stage and by customer, the customers' ledgers, the dashboard's
//! counters), built from the records by the step from 1 to 2. Schema 3
//! stores the audit log in blocks of events instead of one key per event
//! (`blocks.rs`), packed by the step from 2 to 3 (`repack.rs`). Schema 4
//! gives every event an id: new events are stored with theirs, older ones
//! read with ids derived from their seq and time, and the `ids` tree maps
//! an id given from outside to its seq (`ids.rs`; the step from 3 to 4 has
//! none to write).

use super::{SCHEMA_VERSION, Store, StoreError, backup, keys};
use std::path::{Path, PathBuf};

/// One upgrade, from schema `from` to `from + 1`.
#[derive(Debug, Clone, Copy)]
pub struct Step {
    pub from: u32,
    /// What the step changes, for messages.
    pub what: &'static str,
    pub run: fn(&Store) -> Result<(), StoreError>,
}

/// The schema a program wants and the steps that lead there.
#[derive(Debug, Clone, Copy)]
pub struct Plan<'a> {
    pub target: u32,
    pub steps: &'a [Step],
    /// Write an automatic backup beside the database before the first step
    /// (restore turns it off: its backup file is the copy).
    pub backup_first: bool,
}

/// This program's migrations.
pub const STEPS: &[Step] = &[
    Step {
        from: 1,
        what: "build the index of vouchers by stage and customer, ledgers and counters",
        run: build_index,
    },
    Step {
        from: 2,
        what: "store the audit log in blocks of events",
        run: super::repack::pack_events,
    },
    Step {
        from: 3,
        what: "give every event its id, and look events up by id",
        run: super::ids::no_given_ids,
    },
];

/// Schema 1 to 2: the index tree, rebuilt whole from the records (so running
/// it twice gives the same tree).
pub fn build_index(store: &Store) -> Result<(), StoreError> {
    let state = store.load()?;
    let entries: super::Entries = super::index::expected(&state).into_iter().collect();
    store.raw_replace_tree(keys::INDEX.as_bytes(), &entries)
}

/// How many automatic pre-migration backups are kept beside a database.
pub const KEEP_BACKUPS: usize = 3;

/// What this program runs on open.
pub fn plan() -> Plan<'static> {
    Plan {
        target: SCHEMA_VERSION,
        steps: STEPS,
        backup_first: true,
    }
}

/// The steps leading from `from` to `target`, in order, when `steps` has
/// every one of them.
pub fn steps_between(steps: &[Step], from: u32, target: u32) -> Option<Vec<&Step>> {
    (from..target)
        .map(|v| steps.iter().find(|s| s.from == v))
        .collect()
}

/// Checks the schema version on open and migrates when it is older.
pub(super) fn ensure_schema(store: &Store, plan: &Plan) -> Result<(), StoreError> {
    let damaged = |detail: String| StoreError::Damaged {
        what: format!("{} {}", keys::META, keys::shown(keys::SCHEMA_VERSION_KEY)),
        detail,
    };
    let marker = store.path().join(MARKER);
    let creating = store.path().join(super::disk::CREATING);
    let Some(bytes) = store.raw_get(keys::META.as_bytes(), keys::SCHEMA_VERSION_KEY)? else {
        if marker.exists() {
            return Err(damaged(format!(
                "it is missing, but {MARKER} says the database was made before: sled's files lost their content"
            )));
        }
        if holds_records(store)? {
            return Err(damaged(
                "it is missing, but the database holds records".to_owned(),
            ));
        }
        if !creating.exists() {
            return Err(damaged(format!(
                "it is missing, and so is {MARKER}, though sled's files are there: the database lost its content, or it is not a saps database"
            )));
        }
        set_version(store, plan.target)?;
        return made(store, &creating);
    };
    if !marker.exists() {
        write_marker(
            store,
            plan.target.min(keys::parse_schema_version(&bytes).unwrap_or(0)),
        )?;
    }
    if creating.exists() {
        made(store, &creating)?;
    }
    match keys::parse_schema_version(&bytes) {
        None => Err(damaged(format!("{} bytes instead of 4", bytes.len()))),
        Some(0) => Err(damaged("version 0 was never written by saps".to_owned())),
        Some(found) if found > plan.target => Err(StoreError::TooNew {
            found,
            supported: plan.target,
        }),
        Some(found) if found < plan.target => upgrade(store, found, plan),
        Some(_) => Ok(()),
    }
}

/// A new database is made: the mark saying so goes (its schema version and
/// [`MARKER`] now say what it is).
fn made(store: &Store, creating: &Path) -> Result<(), StoreError> {
    if !store.path().join(MARKER).exists() {
        return Ok(());
    }
    std::fs::remove_file(creating)
        .and_then(|()| super::durable::sync_dir(store.path()))
        .map_err(|e| store.io(format!("cannot remove {}: {e}", super::disk::CREATING)))
}

fn holds_records(store: &Store) -> Result<bool, StoreError> {
    for tree in keys::RECORD_TREES {
        if !store.raw_is_empty(tree.as_bytes())? {
            return Ok(true);
        }
    }
    Ok(false)
}

fn set_version(store: &Store, v: u32) -> Result<(), StoreError> {
    let bytes = keys::schema_version(v);
    store.raw_set(keys::META.as_bytes(), keys::SCHEMA_VERSION_KEY, Some(&bytes[..]))?;
    write_marker(store, v)
}

/// A file beside sled's, written once the schema version is: a database
/// whose sled files come back empty although it has one was damaged, not
/// fresh, and is refused instead of being served empty.
pub const MARKER: &str = "saps-schema";

fn write_marker(store: &Store, v: u32) -> Result<(), StoreError> {
    let text = format!("{v}\n");
    super::durable::write_atomic(&store.path().join(MARKER), text.as_bytes(), true)
        .map_err(|e| store.io(format!("cannot write {MARKER}: {e}")))
}

fn upgrade(store: &Store, found: u32, plan: &Plan) -> Result<(), StoreError> {
    let steps = steps_between(plan.steps, found, plan.target).ok_or_else(|| {
        store.io(format!(
            "the database has schema {found} and this saps cannot migrate it to {}",
            plan.target
        ))
    })?;
    if plan.backup_first {
        auto_backup(store, found)?;
    }
    for step in steps {
        (step.run)(store).map_err(|e| {
            store.io(format!(
                "migrating from schema {} ({}) failed: {e}; the automatic backup beside the database has the data as it was",
                step.from, step.what
            ))
        })?;
        set_version(store, step.from + 1)?;
    }
    Ok(())
}

/// `<db>.pre-migration-<version>-<UTC time>.sapsbak`, beside the database.
fn auto_backup(store: &Store, version: u32) -> Result<PathBuf, StoreError> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.9fZ");
    let name = format!("{}{version}-{stamp}{SUFFIX}", prefix(store.path()));
    let file = super::durable::parent_dir(store.path()).join(name);
    backup::write_open(store, &file, true).map_err(|e| {
        store.io(format!(
            "the database needs a migration, but the automatic backup failed: {e}"
        ))
    })?;
    prune(store.path());
    Ok(file)
}

const SUFFIX: &str = ".sapsbak";

fn prefix(db: &Path) -> String {
    let name = db.file_name().map(|n| n.to_string_lossy().into_owned());
    format!("{}.pre-migration-", name.unwrap_or_default())
}

/// The automatic backups of the database at `db`, oldest first.
pub fn automatic_backups(db: &Path) -> Vec<PathBuf> {
    let prefix = prefix(db);
    let Ok(dir) = std::fs::read_dir(super::durable::parent_dir(db)) else {
        return Vec::new();
    };
    let mut found: Vec<(String, PathBuf)> = dir
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let rest = name.strip_prefix(&prefix)?.strip_suffix(SUFFIX)?;
            // The time after the version sorts; the version may not.
            let stamp = rest.split_once('-')?.1.to_owned();
            Some((stamp, entry.path()))
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, p)| p).collect()
}

/// Removes all but the newest [`KEEP_BACKUPS`] automatic backups. A backup
/// that cannot be removed stays; that is never an error.
fn prune(db: &Path) {
    let all = automatic_backups(db);
    let excess = all.len().saturating_sub(KEEP_BACKUPS);
    for old in &all[..excess] {
        let _ = std::fs::remove_file(old);
    }
}
