//! A draft's deliverable: when `deliverable_path` names a readable file, the
//! file is copied into the database's store and the draft records the copy
//! (`deliverable`); otherwise only the path is kept (and `submit_report`
//! refuses the report until a draft names a readable file). A directory,
//! device, FIFO or socket is refused at once. The copy is made only
//! once the domain has accepted the draft, so a refused line stores nothing.

use crate::domain::command::SaveReportDraft;
use crate::domain::rejection::shorten;
use crate::domain::{self, Code, Command, Ctx, Decision, Rejection, State};
use crate::session::Halt;
use crate::store::Backend;
use crate::store::files::FileError;
use std::path::Path;

/// `Some(cmd)` with its deliverable attached, `None` when `cmd` needs no
/// copy, the domain's or the file's rejection, or `Err` when the store
/// could not take the copy.
pub fn attach_deliverable(
    backend: &dyn Backend,
    state: &State,
    cmd: &Command,
    ctx: &Ctx,
) -> Result<Decision<Option<Command>>, Halt> {
    let Command::SaveReportDraft(SaveReportDraft { voucher_id, fields }) = cmd else {
        return Ok(Ok(None));
    };
    let Some(path) = fields.deliverable_path.as_deref() else {
        return Ok(Ok(None));
    };
    // A draft that already carries its stored copy (the demo's and the
    // generator's, stored with `keep_bytes`) is taken as it is: the parser
    // never sets one, so nothing typed can claim a copy.
    if fields.deliverable.is_some() {
        return Ok(Ok(None));
    }
    if let Err(rejection) = domain::decide(state, cmd, ctx) {
        return Ok(Err(rejection));
    }
    match backend.keep_file(Path::new(path)) {
        Ok(deliverable) => {
            let mut fields = fields.clone();
            fields.deliverable = deliverable;
            Ok(Ok(Some(Command::SaveReportDraft(SaveReportDraft {
                voucher_id: voucher_id.clone(),
                fields,
            }))))
        }
        Err(e @ FileError::TooLarge { .. }) => {
            Ok(Err(Rejection::field(Code::TooLong, "deliverable_path", e)))
        }
        Err(e @ (FileError::Unreadable { .. } | FileError::NotAFile { .. })) => {
            Ok(Err(Rejection::field(Code::InvalidInput, "deliverable_path", e)))
        }
        Err(e) => Err(Halt::File(format!(
            "the deliverable {} was not saved: {e}",
            shorten(path)
        ))),
    }
}
