//! Spreadsheets and calendars on the desk: the dashboard's Excel workbook and
//! deadline calendar (`x`, `c`), and step 4's import of a partner's sheet
//! (`i`), whose dry run is shown before anything is written. The forms only
//! name a file; the engine's side is `app::sheet_jobs`.

use super::model::{Confirm, Effect, Model, Overlay};
use super::steps::PaneAction;
use crate::domain::command::Action;
use std::path::PathBuf;

pub const EXPORT_XLSX: Action = Action::ExportXlsx;
pub const EXPORT_ICS: Action = Action::ExportIcs;
pub const IMPORT_SHEET: Action = Action::ImportSheet;

/// Rejected rows shown in the import's confirmation at most.
const SHOWN: usize = 8;

/// What the engine is asked to do.
#[derive(Debug, Clone, PartialEq)]
pub enum SheetJob {
    ExportXlsx(PathBuf),
    ExportIcs(PathBuf),
    /// Read a sheet and run its rows; `dry_run` decides them and writes nothing.
    Import {
        file: PathBuf,
        dry_run: bool,
    },
}

/// What came back.
#[derive(Debug, Clone, PartialEq)]
pub enum SheetDone {
    /// A file was written: the sentence to show.
    Written(String),
    /// An import (or its dry run): the summary, the rejected rows' lines,
    /// and how many rows were accepted.
    Import {
        file: PathBuf,
        dry_run: bool,
        summary: String,
        rejected: Vec<String>,
        accepted: usize,
    },
}

pub fn is_sheet_form(cmd: Action) -> bool {
    matches!(cmd, EXPORT_XLSX | EXPORT_ICS | IMPORT_SHEET)
}

/// The job a filled-in form asks for (an import starts with its dry run).
pub fn job(cmd: Action, file: &str) -> Result<SheetJob, String> {
    let file = file.trim();
    if file.is_empty() {
        return Err("file: is required".into());
    }
    let file = PathBuf::from(file);
    Ok(match cmd {
        EXPORT_XLSX => SheetJob::ExportXlsx(file),
        EXPORT_ICS => SheetJob::ExportIcs(file),
        _ => SheetJob::Import { file, dry_run: true },
    })
}

/// `name` beside the database, for a path to prefill.
fn beside_db(m: &Model, name: &str) -> String {
    match m.db_path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(dir) => dir.join(name).display().to_string(),
        None => name.to_string(),
    }
}

/// The dashboard's exports, to files named for today beside the database.
pub fn export_actions(m: &Model) -> Vec<PaneAction> {
    let day = m.today().format("%Y-%m-%d");
    vec![
        PaneAction::new('x', "Excel export", EXPORT_XLSX)
            .fill("file", beside_db(m, &format!("saps-{day}.xlsx"))),
        PaneAction::new('c', "Calendar", EXPORT_ICS).fill("file", beside_db(m, "saps-deadlines.ics")),
    ]
}

/// Step 4: take in customers and vouchers from a spreadsheet.
pub fn import_action(m: &Model) -> PaneAction {
    PaneAction::new('i', "Import a spreadsheet", IMPORT_SHEET).fill("file", beside_db(m, "tracker.xlsx"))
}

/// A job came back: say where a file went; after an import's dry run, ask
/// before writing; after the import, show its summary.
pub fn finished(m: &mut Model, result: Result<SheetDone, String>) {
    let ours = |o: Option<&Overlay>| match o {
        Some(Overlay::Form(f)) => is_sheet_form(f.spec.cmd),
        Some(Overlay::Confirm(_)) => true,
        _ => false,
    };
    if ours(m.stack.last()) {
        m.stack.pop();
    }
    match result {
        Err(text) => m.stack.push(Overlay::Error(text)),
        Ok(SheetDone::Written(text)) => m.flash = Some((text, false)),
        Ok(SheetDone::Import {
            file,
            dry_run: true,
            summary,
            rejected,
            accepted,
        }) => {
            let mut lines = vec![summary];
            lines.extend(rejected.iter().take(SHOWN).cloned());
            if rejected.len() > SHOWN {
                lines.push(format!("... and {} more rejected rows", rejected.len() - SHOWN));
            }
            if accepted == 0 {
                lines.push("Nothing to import: correct the sheet and try again.".into());
                m.stack.push(Overlay::Error(lines.join("\n")));
                return;
            }
            lines.push(format!(
                "Import the {accepted} accepted rows now? Rejected rows are left out."
            ));
            m.stack.push(Overlay::Confirm(Box::new(Confirm {
                title: format!("Import {}", file.display()),
                lines,
                then: Effect::Sheet(SheetJob::Import { file, dry_run: false }),
            })));
        }
        Ok(SheetDone::Import {
            summary, rejected, ..
        }) => {
            m.flash = Some((summary, !rejected.is_empty()));
            m.refresh();
        }
    }
}
