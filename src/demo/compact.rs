//! `saps demo --vouchers N` into a sled directory: the vouchers are
//! generated in a scratch database beside the target, which is then backed
//! up and restored into the target, so the demo database is written once,
//! in key order, as a restore writes it.
//!
//! Why: generating years of history updates every page of sled's trees many
//! times, and sled 0.34 keeps each page as up to ten fragments in its log
//! until the tenth update. The database that comes out is half again as big
//! on disk (1.4 GB instead of 0.85 GB at 300,000 vouchers), and every
//! later open reads the fragments' locations into memory (the desk's peak
//! at 300,000 vouchers: 64 MiB instead of 48 MiB). A restored database has
//! each page in one piece. BENCHMARKS.md ("Issue 11") has the figures.

use super::scale::{self, Summary};
use crate::domain::Catalog;
use crate::fatal::Fatal;
use crate::scratch::TempDir;
use crate::store::Backend;
use crate::store::durable::temp_beside;
use std::fs;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

/// Whether [`seed_compact`] can write `db`: a sled path (not a server's
/// URL) that is missing or an empty directory with room beside it, as a
/// restore needs, and not the directory saps runs in (`--db .`, or it by
/// another name): a restore would put a new directory in its place, under
/// the shell that is in it.
pub fn applies(db: &Path) -> bool {
    if crate::store::is_server(db) || db.file_name().is_none() || is_current_dir(db) {
        return false;
    }
    match fs::symlink_metadata(db) {
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
        Ok(m) => m.is_dir() && fs::read_dir(db).is_ok_and(|mut d| d.next().is_none()) && room_beside(db),
    }
}

/// Whether a directory can be made beside the existing `db` (the scratch,
/// then the restore's): where none can, the demo is generated in place, as
/// it always could be.
fn room_beside(db: &Path) -> bool {
    let probe = temp_beside(db);
    fs::create_dir(&probe).is_ok() && fs::remove_dir(&probe).is_ok()
}

fn is_current_dir(db: &Path) -> bool {
    let here = std::env::current_dir().and_then(fs::canonicalize);
    matches!((fs::canonicalize(db), here), (Ok(a), Ok(b)) if a == b)
}

/// Generates `n` vouchers (the demo's partner, its clock) and writes them
/// compactly into `db` (see [`applies`]), which it returns open. The scratch
/// database and its backup are removed, whatever happens.
pub fn seed_compact(db: &Path, catalog: &Catalog, n: usize) -> Result<(Summary, Arc<dyn Backend>), Fatal> {
    let started = Instant::now();
    let work = TempDir::beside(db).map_err(|e| {
        Fatal(format!(
            "the demo could not be generated beside {}: {e}",
            db.display()
        ))
    })?;
    let scratch_db = work.0.join("db");
    let backup = work.0.join("backup");
    let mut summary = {
        let store = crate::store::open(&scratch_db)?;
        let summary = scale::seed_scale(store.clone(), catalog, n)?;
        store
            .backup(&backup)
            .map_err(|e| Fatal(format!("the generated database was not copied: {e}")))?;
        summary
    };
    // The backup holds it all: the disk need not hold the scratch database
    // beside the restored one.
    let _ = fs::remove_dir_all(&scratch_db);
    crate::store::backup::restore(&backup, db).map_err(|e| {
        Fatal(format!(
            "the generated database was not written to {}: {e}",
            db.display()
        ))
    })?;
    // (A backup carries the records and the log, not the demo's clock.)
    let store = crate::store::open(db)?;
    super::mark_demo(&*store)?;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok((summary, store))
}
