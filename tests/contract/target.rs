//! Where a scenario runs: a fresh database on one backend. Adding a backend
//! is one variant here and one line in `exec_contract.rs`'s `contract!`.

use tempfile::TempDir;

/// Whether the PostgreSQL target runs. Off until `saps --db postgres://…`
/// works in the binary and `tests/pg_common/` (the throwaway cluster) is on
/// main; then `Target::postgres` asks `pg_common::fresh()` for a database.
pub const POSTGRES_TARGET_ENABLED: bool = false;

/// A fresh, empty database for one scenario run.
pub enum Target {
    /// A sled directory inside its own temporary directory.
    Sled(TempDir),
    /// A PostgreSQL database, by its owner's URL; `_db` drops it at the end.
    #[allow(dead_code)]
    Postgres {
        url: String,
        _db: Box<dyn std::any::Any>,
    },
}

impl Target {
    pub fn sled() -> Option<Target> {
        Some(Target::Sled(TempDir::new().expect("a temporary directory")))
    }

    /// `None` (said on the terminal) while the target is disabled.
    pub fn postgres() -> Option<Target> {
        if !POSTGRES_TARGET_ENABLED {
            eprintln!(
                "exec contract on PostgreSQL skipped: POSTGRES_TARGET_ENABLED is false \
                 in tests/contract/target.rs (the binary does not take --db postgres://… yet)"
            );
            return None;
        }
        unreachable!("enable together with pg_common::fresh()")
    }

    /// The `--db` argument naming this database.
    pub fn db_arg(&self) -> String {
        match self {
            Target::Sled(dir) => dir.path().join("saps.db").display().to_string(),
            Target::Postgres { url, .. } => url.clone(),
        }
    }
}
