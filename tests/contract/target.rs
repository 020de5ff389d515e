//! Where a scenario runs: a fresh database on one backend. Adding a backend
//! is one variant here and one line in `exec_contract.rs`'s `contract!`.

use tempfile::TempDir;

/// Whether the PostgreSQL target runs. Off until `saps --db postgres://…`
/// works in the binary and `tests/pg_common/` (the throwaway cluster) is on
/// main; then `Target::postgres` asks `pg_common::fresh()` for a database.
pub const POSTGRES_TARGET_ENABLED: bool = true;

/// A fresh, empty database for one scenario run.
pub enum Target {
    /// A sled directory inside its own temporary directory.
    Sled(TempDir),
    /// A PostgreSQL database, by its owner's URL; `_db` drops it at the end.
    Postgres {
        url: String,
        _db: Box<dyn std::any::Any>,
    },
}

impl Target {
    pub fn sled() -> Option<Target> {
        Some(Target::Sled(TempDir::new().expect("a temporary directory")))
    }

    /// `None` (said once on the terminal) while the target is disabled.
    ///
    /// To enable it, once `tests/pg_common/` is on main and the binary takes
    /// `--db postgres://…`: set [`POSTGRES_TARGET_ENABLED`], add `mod pg_common;`
    /// to `exec_contract.rs`, and replace the `panic!` below with
    /// `let db = crate::pg_common::fresh()?;` and
    /// `Some(Target::Postgres { url: db.url(), _db: Box::new(db) })`
    /// (`fresh` gives `None`, said once, when there is no server).
    pub fn postgres() -> Option<Target> {
        if !POSTGRES_TARGET_ENABLED {
            static SAID: std::sync::Once = std::sync::Once::new();
            SAID.call_once(|| {
                eprintln!(
                    "exec contract on PostgreSQL skipped: POSTGRES_TARGET_ENABLED is false in \
                     tests/contract/target.rs (the binary does not take --db postgres://… yet)"
                )
            });
            return None;
        }
        let db = crate::pg_common::fresh()?;
        Some(Target::Postgres {
            url: db.url(),
            _db: Box::new(db),
        })
    }

    /// The backend's name, for messages (a URL may hold a password).
    pub fn label(&self) -> &'static str {
        match self {
            Target::Sled(_) => "sled",
            Target::Postgres { .. } => "PostgreSQL",
        }
    }

    /// The `--db` argument naming this database.
    pub fn db_arg(&self) -> String {
        match self {
            Target::Sled(dir) => dir.path().join("saps.db").display().to_string(),
            Target::Postgres { url, .. } => url.clone(),
        }
    }
}
