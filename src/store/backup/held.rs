//! Whether a database already holds a backup's events, by their ids: a
//! restore into it is refused either way (it never overwrites), but says
//! when the backup was restored there before (or taken from it), so a
//! script that restores again after a crash learns that nothing is
//! missing.

use super::format::{Item, Reader};
use super::{BackupError, body};
use crate::store::migrate::Plan;
use crate::store::{Options, SCHEMA_VERSION, Store, StoreError, codec, files, keys};
use std::path::Path;
use uuid::Uuid;

/// How much of a backup's log a database holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Held {
    /// Its first and its last event: the backup's events are all there.
    All,
    /// Its first event, not its last: an earlier state of the same log.
    Earlier,
}

/// An event of a backup: its seq and its id.
pub type Mark = (u64, Uuid);

/// The first and the last event of the verified backup `file` (`len`
/// bytes); `None` for a backup without events (or one whose events do not
/// decode: the restore names those).
pub fn first_and_last(file: &Path, len: u64) -> Result<Option<(Mark, Mark)>, BackupError> {
    let mut reader: Reader<_> = body(file, len)?;
    let mut in_events = false;
    let mut span: Option<(Mark, Mark)> = None;
    loop {
        match reader.next_item(files::MAX_BYTES) {
            Ok(Item::End) | Err(_) => return Ok(span),
            Ok(Item::Tree(name)) => {
                if in_events {
                    return Ok(span);
                }
                in_events = name == keys::EVENTS.as_bytes();
            }
            Ok(Item::Entry(_, v)) if in_events => {
                let Ok(r) = codec::decode_event(&v) else {
                    return Ok(None);
                };
                let mark = (r.seq, r.id);
                span = Some((span.map_or(mark, |(first, _)| first), mark));
            }
            Ok(Item::Entry(..)) => {}
            Ok(Item::File { size, .. }) => {
                std::io::copy(&mut reader.file_content(size), &mut std::io::sink())
                    .map_err(super::io_err(file))?;
            }
        }
    }
}

/// How much of the backup's log (its first and last events) a database
/// holds: whether its events at those seqs have those ids, asked with
/// `id_at` (a database's event ids are not all looked up by id: `ids.rs`).
pub fn held(
    span: Option<(Mark, Mark)>,
    mut id_at: impl FnMut(u64) -> Result<Option<Uuid>, StoreError>,
) -> Result<Option<Held>, StoreError> {
    let Some(((first, first_id), (last, last_id))) = span else {
        return Ok(None);
    };
    if id_at(first)? != Some(first_id) {
        return Ok(None);
    }
    Ok(Some(match id_at(last)? == Some(last_id) {
        true => Held::All,
        false => Held::Earlier,
    }))
}

/// The refusal of a restore into the sled database at `db` when it holds
/// the backup's events (by their ids), else `None` (the plain refusal
/// stands). The database is opened as it is: one of another schema is not
/// migrated here, only left alone.
pub(super) fn held_in_sled(file: &Path, db: &Path) -> Option<BackupError> {
    let (_, len) = super::verify_file(file).ok()?;
    let span = first_and_last(file, len).ok()?;
    let options = Options {
        plan: Plan {
            target: SCHEMA_VERSION,
            steps: &[],
            backup_first: false,
        },
        ..Options::scan()
    };
    let store = Store::open_as_is(db, &options).ok()?;
    let id_at = |seq: u64| -> Result<Option<Uuid>, StoreError> {
        let found = store.events_after(seq.saturating_sub(1), 1)?;
        Ok(found.first().filter(|r| r.seq == seq).map(|r| r.id))
    };
    let held = held(span, id_at).ok()??;
    Some(BackupError::AlreadyHeld {
        path: db.to_path_buf(),
        held,
    })
}
