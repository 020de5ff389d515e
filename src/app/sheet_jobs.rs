//! The desk's workbook, calendar and spreadsheet import (`Effect::Sheet`):
//! the same functions as `saps export --format xlsx|ics` and `saps import`,
//! on the desk's own session and backend.

use crate::export;
use crate::fatal::Fatal;
use crate::import::{self, Who};
use crate::session::Session;
use crate::ui::Model;
use crate::ui::sheets::{SheetDone, SheetJob};

pub fn run(session: &mut Session, m: &Model, job: &SheetJob) -> Result<SheetDone, String> {
    let text = |Fatal(e)| e;
    match job {
        SheetJob::ExportXlsx(file) => {
            let mut book = export::workbook(&**session.backend(), session.catalog(), m.now).map_err(text)?;
            export::save_workbook(&mut book, file).map_err(text)?;
            Ok(SheetDone::Written(format!(
                "Workbook written to {}",
                file.display()
            )))
        }
        SheetJob::ExportIcs(file) => {
            let calendar = export::calendar(&**session.backend(), session.catalog(), m.now)
                .map_err(|e| e.to_string())?;
            export::write_out(Some(file), calendar.as_bytes()).map_err(text)?;
            let events = calendar.matches("BEGIN:VEVENT").count();
            Ok(SheetDone::Written(format!(
                "Calendar of {events} deadlines written to {}",
                file.display()
            )))
        }
        SheetJob::Import { file, dry_run } => {
            let table = import::table::read(file)?;
            let who = Who {
                actor: m.actor.as_deref(),
                now: m.now,
            };
            let mut rejected = Vec::new();
            let summary = import::rows(session, &table, who, *dry_run, |a| {
                if a.outcome.is_err() {
                    rejected.push(a.to_string());
                }
                Ok(())
            })
            .map_err(|e| format!("{}: {e}", file.display()))?;
            Ok(SheetDone::Import {
                file: file.clone(),
                dry_run: *dry_run,
                summary: summary.to_string(),
                rejected,
                accepted: summary.accepted,
            })
        }
    }
}
