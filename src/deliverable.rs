//! A draft's deliverable: when `deliverable_path` names a readable file, the
//! file is copied into the database's store and the draft records the copy
//! (`deliverable`); otherwise only the path is kept. The copy is made only
//! once the domain has accepted the draft, so a refused line stores nothing.

use crate::cli::Fatal;
use crate::domain::{self, Code, Command, Ctx, Decision, Rejection, State};
use crate::store::files::{self, FileError};
use std::path::Path;

/// `cmd` with its deliverable attached, the domain's or the file's
/// rejection, or `Err` when the store could not take the copy.
pub fn attach_deliverable(
    db: &Path,
    state: &State,
    cmd: &Command,
    ctx: &Ctx,
) -> Result<Decision<Command>, Fatal> {
    let Command::SaveReportDraft { voucher_id, fields } = cmd else {
        return Ok(Ok(cmd.clone()));
    };
    let Some(path) = fields.deliverable_path.as_deref() else {
        return Ok(Ok(cmd.clone()));
    };
    if let Err(rejection) = domain::decide(state, cmd, ctx) {
        return Ok(Err(rejection));
    }
    match files::attach(db, Path::new(path)) {
        Ok(deliverable) => {
            let mut fields = fields.clone();
            fields.deliverable = deliverable;
            Ok(Ok(Command::SaveReportDraft {
                voucher_id: voucher_id.clone(),
                fields,
            }))
        }
        Err(e @ FileError::TooLarge { .. }) => {
            Ok(Err(Rejection::field(Code::TooLong, "deliverable_path", e)))
        }
        Err(e @ FileError::Unreadable { .. }) => {
            Ok(Err(Rejection::field(Code::InvalidInput, "deliverable_path", e)))
        }
        Err(e) => Err(Fatal(format!("the deliverable {path} was not saved: {e}"))),
    }
}
