//! Consultants in the field, on the desk: the packet and bundle forms, the
//! jobs they ask the app for (`Effect::Field`) and what comes back.
//! Everything is decided by `saps::field` and the domain behind it.

use super::forms::Form;
use super::model::Model;
use super::steps::PaneAction;
use crate::domain::command::{Action, CommandKind};
use crate::domain::records::{Stage, Voucher};
use crate::domain::{Catalog, Recorded, State, Status};
use std::path::PathBuf;

/// The desk's own forms (not contract commands), one per file each way.
pub const EXPORT_PACKET: Action = Action::ExportPacket;
pub const IMPORT_PACKET: Action = Action::Run(CommandKind::ImportPacket);
pub const EXPORT_BUNDLE: Action = Action::ExportBundle;
pub const IMPORT_BUNDLE: Action = Action::Run(CommandKind::ImportBundle);

/// What the app is asked to write or read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldJob {
    /// Office: the engagement packet of a reserved voucher for a consultant.
    ExportPacket {
        voucher_id: String,
        consultant: Option<String>,
        file: PathBuf,
    },
    /// Office: a consultant's completion-report bundle.
    ImportBundle { file: PathBuf },
    /// Field: the report of a voucher, for the office.
    ExportBundle { voucher_id: String, file: PathBuf },
    /// Field: another engagement (or a newer packet of one).
    ImportPacket { file: PathBuf },
}

/// A job done: the one-line message, the events an import committed (none
/// for an export or an import that changed nothing) and, when it changed
/// something, the organisation and customers read again (and on a field
/// copy the catalog its packets brought).
#[derive(Debug, Clone)]
pub struct FieldDone {
    pub message: String,
    pub events: Vec<Recorded>,
    pub state: Option<Box<State>>,
    pub catalog: Option<Box<Catalog>>,
}

/// Whether `cmd` is one of the forms above.
pub fn is_field_form(cmd: Action) -> bool {
    [EXPORT_PACKET, IMPORT_PACKET, EXPORT_BUNDLE, IMPORT_BUNDLE].contains(&cmd)
}

/// The job a submitted field form asks for, or what is missing.
pub fn job(form: &Form) -> Result<FieldJob, String> {
    let value = |name: &str| form.value(name).trim().to_string();
    let file = PathBuf::from(value("file"));
    if file.as_os_str().is_empty() {
        return Err("file: is required".into());
    }
    let voucher_id = value("voucher_id");
    let needs_voucher = [EXPORT_PACKET, EXPORT_BUNDLE].contains(&form.spec.cmd);
    if needs_voucher && voucher_id.is_empty() {
        return Err("voucher_id: is required".into());
    }
    Ok(match form.spec.cmd {
        EXPORT_PACKET => FieldJob::ExportPacket {
            voucher_id,
            consultant: Some(value("consultant")).filter(|c| !c.is_empty()),
            file,
        },
        EXPORT_BUNDLE => FieldJob::ExportBundle { voucher_id, file },
        IMPORT_PACKET => FieldJob::ImportPacket { file },
        _ => FieldJob::ImportBundle { file },
    })
}

/// `name` beside the database (as backups are), for a path to prefill.
fn beside_db(m: &Model, name: &str) -> String {
    match m.db_path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(dir) => dir.join(name).display().to_string(),
        None => name.to_string(),
    }
}

/// Office, Reserve and Deliver: the packet of the voucher under the cursor,
/// for its first consultant unless another is typed.
pub fn packet_action(v: Option<&Voucher>, m: &Model) -> PaneAction {
    let id = v.map(|v| v.voucher_id.clone()).unwrap_or_default();
    let consultant = v
        .and_then(|v| v.reservation.as_ref())
        .and_then(|r| r.consultants.first().cloned())
        .unwrap_or_default();
    let reserved = v.is_some_and(|v| v.status(m.today()) == Status::Reserved);
    PaneAction::new('f', "Packet for the field", EXPORT_PACKET)
        .fill("voucher_id", id.clone())
        .fill("consultant", consultant)
        .fill("file", beside_db(m, &format!("{id}.sapspacket")))
        .only_if(reserved, "select a reserved voucher (not expired)")
}

/// Office, Deliver: a bundle a consultant sent back (named as the field desk
/// names it, for the voucher under the cursor).
pub fn import_bundle_action(v: Option<&Voucher>, m: &Model) -> PaneAction {
    let file = v
        .map(|v| beside_db(m, &format!("{}.sapsbundle", v.voucher_id)))
        .unwrap_or_default();
    PaneAction::new('i', "Import a bundle", IMPORT_BUNDLE).fill("file", file)
}

/// Field, Deliver: the report of the voucher under the cursor, for the office.
pub fn bundle_action(v: Option<&Voucher>, m: &Model) -> PaneAction {
    let id = v.map(|v| v.voucher_id.clone()).unwrap_or_default();
    let has_report = v.is_some_and(|v| v.report.is_some());
    let open = v.is_some_and(|v| matches!(v.stage, Stage::Reserved | Stage::Delivered));
    PaneAction::new('b', "Bundle for the office", EXPORT_BUNDLE)
        .fill("voucher_id", id.clone())
        .fill("file", beside_db(m, &format!("{id}.sapsbundle")))
        .only_if(v.is_some(), "select an engagement")
        .only_if(open, "the engagement is no longer open")
        .only_if(has_report, "write the completion report first (d)")
}

/// Field, Deliver: another engagement's packet.
pub fn import_packet_action() -> PaneAction {
    PaneAction::new('i', "Import a packet", IMPORT_PACKET)
}
