//! What a run needs from the command line, resolved: the database (and
//! where it is looked for when none is given), the acting user, the clock
//! and the catalog.

use crate::domain::Catalog;
use crate::domain::catalog::{BUILTIN_CATALOG, BUILTIN_RATES};
use crate::fatal::Fatal;
use chrono::{DateTime, Utc};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// What a run needs from the command line, resolved.
#[derive(Debug, Clone)]
pub struct Settings {
    pub db: PathBuf,
    pub actor: Option<String>,
    pub now: Option<DateTime<Utc>>,
    pub catalog: Option<PathBuf>,
    pub rates: Option<PathBuf>,
}

impl Settings {
    /// The clock: `--now`, else the real clock read now.
    pub fn now(&self) -> DateTime<Utc> {
        self.now.unwrap_or_else(Utc::now)
    }

    /// The built-in catalog and rates, each replaced by its file when given.
    pub fn load_catalog(&self) -> Result<Catalog, Fatal> {
        let catalog = read_or(self.catalog.as_deref(), "catalog", BUILTIN_CATALOG)?;
        let rates = read_or(self.rates.as_deref(), "rates", BUILTIN_RATES)?;
        Catalog::from_json(&catalog, &rates).map_err(Fatal)
    }
}

/// `--db`, else `SAPS_DB`, else `saps.db` in the user's data directory
/// (created when missing).
pub fn database_path(given: Option<PathBuf>) -> Result<PathBuf, Fatal> {
    default_path(given, "saps.db")
}

/// The desk's database: as `database_path`, except on a consultant's machine
/// (no office database in the data directory, but a field one), where it is
/// the field database.
pub fn desk_database_path(given: Option<PathBuf>) -> Result<PathBuf, Fatal> {
    if given.is_some() || env_path("SAPS_DB").is_some() {
        return database_path(given);
    }
    Ok(office_or_field(database_path(None)?, field_database_path(None)?))
}

/// Refuses (exit 2) to run a command that reads `db`, or imports into it,
/// when there is no database there: such a command never creates one (an
/// empty office database beside a field one would take the desk over).
/// `to` says what the command would have done ("check", "export", ...).
pub fn existing_database(db: &Path, to: &str) -> Result<(), Fatal> {
    if db.exists() || crate::store::is_server(db) {
        return Ok(());
    }
    let field = db.with_file_name(FIELD_DB);
    if field != db && field.exists() {
        let (db, field) = (db.display(), field.display());
        return Err(Fatal(format!(
            "there is no office database at {db} to {to}; on a consultant's machine the field copy is {field} (give --db {field} to use it)"
        )));
    }
    Err(Fatal(format!("there is no database at {} to {to}", db.display())))
}

/// `office`, unless only `field` exists.
pub fn office_or_field(office: PathBuf, field: PathBuf) -> PathBuf {
    if !office.exists() && field.exists() {
        field
    } else {
        office
    }
}

/// The consultant's field database: `--db`, else `SAPS_DB`, else `field.db`
/// in the user's data directory, beside (never the same as) the office's.
pub fn field_database_path(given: Option<PathBuf>) -> Result<PathBuf, Fatal> {
    default_path(given, FIELD_DB)
}

/// The field database's name in the user's data directory.
pub const FIELD_DB: &str = "field.db";

fn default_path(given: Option<PathBuf>, name: &str) -> Result<PathBuf, Fatal> {
    if let Some(p) = given.or_else(|| env_path("SAPS_DB")) {
        return Ok(p);
    }
    let dirs = directories::ProjectDirs::from("", "", "saps").ok_or_else(|| {
        Fatal("cannot find the user's data directory; give --db PATH or set SAPS_DB".into())
    })?;
    let dir = dirs.data_dir();
    std::fs::create_dir_all(dir)
        .map_err(|e| Fatal(format!("cannot create the data directory {}: {e}", dir.display())))?;
    Ok(dir.join(name))
}

/// A path from the environment; an empty variable counts as unset.
pub fn env_path(var: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(|v: OsString| PathBuf::from(v))
}

fn read_or(path: Option<&Path>, what: &str, builtin: &str) -> Result<String, Fatal> {
    match path {
        None => Ok(builtin.to_string()),
        Some(p) => std::fs::read_to_string(p)
            .map_err(|e| Fatal(format!("cannot read the {what} file {}: {e}", p.display()))),
    }
}
