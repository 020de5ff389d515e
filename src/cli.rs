//! The command line: the clap types and the dispatch to each subcommand.
//! What a run resolves from it is in `settings`, its fatal error in `fatal`;
//! only `main` imports this module.

use crate::clock::parse_clock;
use crate::export::Format;
use crate::fatal::Fatal;
use crate::settings::{Settings, database_path, desk_database_path, env_path, field_database_path};
use crate::{exec, export, field};
use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;
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
