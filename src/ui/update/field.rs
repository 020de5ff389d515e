//! A packet or bundle written or imported (`Msg::Field`): the form closes and
//! the status bar says what happened, or the form stays open saying why not.

use super::AUDIT_WINDOW;
use crate::ui::field::{FieldDone, is_field_form};
use crate::ui::model::{Failure, Model, Overlay, Saved};

pub fn finished(m: &mut Model, result: Result<FieldDone, Failure>) {
    let form = match m.stack.last_mut() {
        Some(Overlay::Form(f)) if is_field_form(f.spec.cmd) => Some(f),
        _ => None,
    };
    let done = match result {
        Ok(done) => done,
        Err(failure) => {
            let text = match &failure {
                Failure::Rejected(r) => r.message.clone(),
                Failure::Storage(text) => text.clone(),
            };
            match (form, failure) {
                (Some(f), Failure::Rejected(r)) => f.show(&r),
                (Some(f), Failure::Storage(text)) => f.message = Some(text),
                (None, _) => {}
            }
            m.flash = Some((text, true));
            return;
        }
    };
    if form.is_some() {
        m.stack.pop();
    }
    m.flash = Some((done.message, false));
    let Some(state) = done.state else {
        return;
    };
    // An import committed events: the organisation and customers as stored
    // now, the vouchers read again as shown.
    m.state = *state;
    m.saved = Saved::At(m.now);
    if let Some(audit) = m.audit.as_mut() {
        audit.extend(done.events);
        let over = audit.len().saturating_sub(AUDIT_WINDOW);
        audit.drain(..over);
    }
    if let Some(catalog) = done.catalog {
        // A packet may bring its catalog entry (kept beside the database).
        m.catalog = *catalog;
    }
    m.refresh();
}
