//! The desk's packets and bundles (`Effect::Field`): the same functions as
//! `saps packet|bundle export|import`, as the desk's acting user and clock.

use crate::domain::State;
use crate::field::{self, FieldError};
use crate::store::Store;
use crate::ui::field::{FieldDone, FieldJob};
use crate::ui::{Failure, Model};

/// Writes or imports what `job` names; an import that changed something
/// comes back with the organisation and customers read again.
pub fn run(store: &Store, m: &Model, job: &FieldJob) -> Result<FieldDone, Failure> {
    let actor = m.actor.as_deref();
    let outcome = match job {
        FieldJob::ExportPacket {
            voucher_id,
            consultant,
            file,
        } => field::export_packet(store, &m.catalog, m.now, voucher_id, consultant.as_deref(), file)
            .map(|s| (s.message, Vec::new())),
        FieldJob::ExportBundle { voucher_id, file } => {
            field::export_bundle(store, m.now, voucher_id, actor, file).map(|s| (s.message, Vec::new()))
        }
        FieldJob::ImportBundle { file } => {
            field::import_bundle(store, &m.catalog, m.now, actor, file).map(|r| (r.message, r.events))
        }
        FieldJob::ImportPacket { file } => {
            field::import_packet(store, &m.catalog, m.now, file).map(|r| (r.message, r.events))
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
        });
    }
    let state = reread(store).map_err(|e| {
        Failure::Storage(format!(
            "{message}; but the desk cannot read the database again ({e}): reopen it"
        ))
    })?;
    Ok(FieldDone {
        message,
        events,
        state: Some(Box::new(state)),
    })
}

/// What the desk holds, as `prepare_on` reads it.
fn reread(store: &Store) -> Result<State, crate::store::StoreError> {
    store.working_state()
}
