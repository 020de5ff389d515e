//! The desk's packets and bundles (`Effect::Field`): the same functions as
//! `saps packet|bundle export|import`, as the desk's acting user and clock.

use crate::field::{self, FieldError};
use crate::session::Session;
use crate::ui::field::{FieldDone, FieldJob};
use crate::ui::{Failure, Model};

/// Writes or imports what `job` names; an import that changed something
/// comes back with the organisation and customers read again.
pub fn run(session: &mut Session, m: &Model, job: &FieldJob) -> Result<FieldDone, Failure> {
    let actor = m.actor.as_deref();
    let outcome = match job {
        FieldJob::ExportPacket {
            voucher_id,
            consultant,
            file,
        } => field::export_packet(
            &**session.backend(),
            &m.catalog,
            m.now,
            voucher_id,
            consultant.as_deref(),
            file,
        )
        .map(|s| (s.message, Vec::new())),
        FieldJob::ExportBundle { voucher_id, file } => {
            field::export_bundle(&**session.backend(), m.now, voucher_id, actor, file)
                .map(|s| (s.message, Vec::new()))
        }
        FieldJob::ImportBundle { file } => {
            field::import_bundle(session, m.now, actor, file).map(|r| (r.message, r.events))
        }
        FieldJob::ImportPacket { file } => {
            field::import_packet(session, m.now, file).map(|r| (r.message, r.events))
        }
    };
    let (message, events) = outcome.map_err(|e| match e {
        FieldError::Rejected(r) => Failure::Rejected(r),
        other => Failure::Storage(other.to_string()),
    })?;
    if events.is_empty() {
        return Ok(FieldDone {
            message,
            events,
            state: None,
            catalog: None,
        });
    }
    // A field copy checks its reports against the catalog entries its
    // packets brought (kept beside the database).
    let catalog = m
        .field_owner
        .as_ref()
        .map(|_| Box::new(field::field_catalog(&m.db_path, &m.catalog)));
    Ok(FieldDone {
        message,
        events,
        state: Some(Box::new(session.organisation())),
        catalog,
    })
}
