//! The command line: options, choosing the database and the catalog, and
//! dispatching to `saps exec` / `saps export`.

use crate::clock::parse_clock;
use crate::domain::Catalog;
use crate::domain::catalog::{BUILTIN_CATALOG, BUILTIN_RATES};
use crate::store::StoreError;
use crate::{exec, export, field};
use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(name = "saps", version, about = "A terminal desk for SAPS partners")]
pub struct Cli {
    /// The database [env: SAPS_DB] (default: saps.db in the user's data directory)
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// The acting user, when a line has no "as"
    #[arg(long = "as", global = true, value_name = "EMAIL")]
    pub actor: Option<String>,
    /// The clock; a bare date means 12:00 UTC that day (default: the real clock)
    #[arg(long, global = true, value_name = "DATE|RFC3339", value_parser = parse_clock)]
    pub now: Option<DateTime<Utc>>,
    /// An offering catalog replacing the built-in one [env: SAPS_CATALOG]
    #[arg(long, global = true, value_name = "PATH")]
    pub catalog: Option<PathBuf>,
    /// Day rates replacing the built-in illustrative ones [env: SAPS_RATES]
    #[arg(long, global = true, value_name = "PATH")]
    pub rates: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Sub>,
}

#[derive(Debug, Subcommand)]
pub enum Sub {
    /// Open a demo desk: a fresh database with a believable partner, every
    /// voucher state, and a fixed demo clock (in a temporary directory unless --db)
    Demo {
        /// Add a guided walkthrough of the eight steps (n: next, p: previous)
        #[arg(long)]
        tour: bool,
        /// Generate N vouchers with years of history, in every state, instead
        /// of the demo's 22 (prints a summary line first)
        #[arg(long, value_name = "N")]
        vouchers: Option<usize>,
    },
    /// Run JSON-line commands from FILE, or from standard input when FILE is absent or "-"
    Exec {
        /// A file of JSON lines; "-" or nothing reads standard input
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// Print everything the database holds
    Export {
        /// json: everything, one object; csv: the voucher table; xlsx: a
        /// workbook (vouchers, customers, payments, audit); ics: the open
        /// deadlines as calendar events
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Write to FILE (replacing it) instead of standard output
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Take in customers and vouchers from a spreadsheet (CSV or .xlsx): one
    /// row, one command, through the same rules as exec
    Import {
        /// A CSV file or an .xlsx workbook (its first sheet); the first row names the columns
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Check every row against the rules and write nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Verify the database: decode every value, replay the audit log, check the rules
    Check,
    /// Write a checksummed copy of the database and its deliverable files to FILE
    Backup {
        /// The backup file to create (never overwritten)
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Write the backup even when deliverable copies are damaged or
        /// missing, leaving them out (without it, such a backup is refused)
        #[arg(long)]
        allow_missing_files: bool,
    },
    /// Make a new database at --db from a backup FILE (never overwrites a database)
    Restore {
        /// A file written by `saps backup`
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Engagement packets: what a consultant needs in the field, one file per engagement
    Packet {
        #[command(subcommand)]
        action: PacketAction,
    },
    /// Completion-report bundles: the consultant's report and deliverable, back to the office
    Bundle {
        #[command(subcommand)]
        action: BundleAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum PacketAction {
    /// In the office: write the packet of a reserved voucher to FILE (never overwritten)
    Export {
        #[arg(value_name = "VOUCHER_ID")]
        voucher_id: String,
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The consultant the packet is for, when the engagement names several
        #[arg(long, value_name = "EMAIL")]
        consultant: Option<String>,
    },
    /// On the consultant's machine: take a packet into the field database
    /// (default: field.db in the user's data directory)
    Import {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum BundleAction {
    /// In the field: write the report of VOUCHER_ID (submitted, or the draft)
    /// with its deliverable to FILE (default database: field.db)
    Export {
        #[arg(value_name = "VOUCHER_ID")]
        voucher_id: String,
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// In the office: check a bundle and record the consultant's report
    Import {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Json,
    Csv,
    Xlsx,
    Ics,
}

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

/// The run could not start or could not go on: exit 2 with this sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fatal(pub String);

impl fmt::Display for Fatal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<StoreError> for Fatal {
    fn from(e: StoreError) -> Fatal {
        Fatal(e.to_string())
    }
}

/// Parses the command line and runs it; returns the process's exit status.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(code) => code,
        Err(Fatal(message)) => {
            // A closed stderr must not turn into a panic.
            let _ = writeln!(std::io::stderr(), "saps: {message}");
            ExitCode::from(2)
        }
    }
}

fn dispatch(cli: Cli) -> Result<ExitCode, Fatal> {
    if let Some(Sub::Demo { tour, vouchers }) = cli.command {
        let settings = Settings {
            db: PathBuf::new(),
            actor: cli.actor,
            now: cli.now,
            catalog: cli.catalog,
            rates: cli.rates,
        };
        let catalog = settings.load_catalog()?;
        return crate::demo::open(cli.db, &catalog, tour, vouchers).map(|_| ExitCode::SUCCESS);
    }
    let in_the_field = matches!(
        cli.command,
        Some(Sub::Packet {
            action: PacketAction::Import { .. }
        }) | Some(Sub::Bundle {
            action: BundleAction::Export { .. }
        })
    );
    // `exec` writes where the desk does: on a consultant's machine (no
    // office database, a field one) the field database, never a new saps.db.
    let as_the_desk = matches!(cli.command, None | Some(Sub::Exec { .. }));
    let db = if in_the_field {
        field_database_path(cli.db)?
    } else if as_the_desk {
        desk_database_path(cli.db)?
    } else {
        database_path(cli.db)?
    };
    let settings = Settings {
        db,
        actor: cli.actor,
        now: cli.now,
        catalog: cli.catalog.or_else(|| env_path("SAPS_CATALOG")),
        rates: cli.rates.or_else(|| env_path("SAPS_RATES")),
    };
    let Some(command) = cli.command else {
        let opts = crate::app::DeskOptions {
            catalog: settings.load_catalog()?,
            db: settings.db,
            actor: settings.actor,
            now: settings.now,
            tour: false,
        };
        return crate::app::run(opts).map(|_| ExitCode::SUCCESS);
    };
    match command {
        Sub::Demo { .. } => Ok(ExitCode::SUCCESS),
        Sub::Exec { file } => {
            let file = file.filter(|f| f.as_os_str() != "-");
            Ok(match exec::run(&settings, file.as_deref())? {
                exec::Ended::AllAccepted => ExitCode::SUCCESS,
                exec::Ended::SomeRefused => ExitCode::from(1),
                exec::Ended::AnswersLost(sentence) => {
                    let _ = writeln!(std::io::stderr(), "saps: {sentence}");
                    ExitCode::from(exec::ANSWERS_LOST)
                }
            })
        }
        Sub::Export { format, output } => {
            export::run(&settings, format, output.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
        Sub::Import { file, dry_run } => Ok(match crate::import::run(&settings, &file, dry_run)? {
            exec::Ended::AllAccepted => ExitCode::SUCCESS,
            exec::Ended::SomeRefused => ExitCode::from(1),
            exec::Ended::AnswersLost(sentence) => {
                let _ = writeln!(std::io::stderr(), "saps: {sentence}");
                ExitCode::from(exec::ANSWERS_LOST)
            }
        }),
        Sub::Check => Ok(if crate::check::run(&settings)? {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        }),
        Sub::Backup {
            file,
            allow_missing_files,
        } => crate::backup_cmd::backup(&settings, &file, allow_missing_files),
        Sub::Restore { file } => crate::backup_cmd::restore(&settings, &file),
        Sub::Packet { action } => match action {
            PacketAction::Export {
                voucher_id,
                file,
                consultant,
            } => field::cli::packet_export(&settings, &voucher_id, consultant.as_deref(), &file),
            PacketAction::Import { file } => field::cli::packet_import(&settings, &file),
        },
        Sub::Bundle { action } => match action {
            BundleAction::Export { voucher_id, file } => {
                field::cli::bundle_export(&settings, &voucher_id, &file)
            }
            BundleAction::Import { file } => field::cli::bundle_import(&settings, &file),
        },
    }
}

/// `--db`, else `SAPS_DB`, else `saps.db` in the user's data directory
/// (created when missing).
fn database_path(given: Option<PathBuf>) -> Result<PathBuf, Fatal> {
    default_path(given, "saps.db")
}

/// The desk's database: as `database_path`, except on a consultant's machine
/// (no office database in the data directory, but a field one), where it is
/// the field database.
fn desk_database_path(given: Option<PathBuf>) -> Result<PathBuf, Fatal> {
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
    if db.exists() {
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
fn env_path(var: &str) -> Option<PathBuf> {
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
