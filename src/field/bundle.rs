//! The completion-report bundle: the consultant's report and its deliverable,
//! out of a field database and into the office's.

use super::file_format::{self, Kind, enclosed, ensure_parent, stored_copy};
use super::{
    FieldError, ImportReport, Summary, committed_events, field_owner, keep_copies, shown, staged_events,
};
use crate::domain::command::BundleReport;
use crate::domain::records::{Attachment, ReportFields, Reservation, Stage};
use crate::domain::rules::{find_voucher, initialized, voucher_id as parse_voucher_id};
use crate::domain::serde_time::{opt_ts, ts};
use crate::domain::state::voucher_key;
use crate::domain::{Command, Event};
use crate::session::{Request, Session};
use crate::store::Backend;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::path::Path;
use uuid::Uuid;

const FORMAT_NAME: &str = "saps-bundle";

/// The bundle's JSON.
#[derive(Debug, Serialize, Deserialize)]
struct BundleFile {
    format: String,
    version: u32,
    mpn_id: String,
    partner: String,
    voucher_id: String,
    consultant: String,
    /// When the consultant submitted; absent for a draft.
    #[serde(with = "opt_ts")]
    submitted_at: Option<DateTime<Utc>>,
    #[serde(with = "ts")]
    exported_at: DateTime<Utc>,
    /// The field database's reservation the report was written against;
    /// absent in bundles made before saps carried it (still readable).
    #[serde(default)]
    reservation: Option<Reservation>,
    report: ReportFields,
    /// The field database's events the report is (its last draft, its
    /// submission): the office records the import under them, so the same
    /// bundle is recognised by them. Absent in bundles made before saps
    /// carried them (those are recognised by their content, as before).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    draft_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    submit_id: Option<Uuid>,
    /// The deliverable, enclosed after the JSON.
    files: Vec<Attachment>,
}

/// Writes the report of `voucher_id` (submitted, or the draft) with its
/// deliverable to `file`, which must not exist. The consultant is the field
/// database's owner, else `actor`, else whoever submitted the report.
pub fn export_bundle(
    store: &dyn Backend,
    now: DateTime<Utc>,
    voucher_id: &str,
    actor: Option<&str>,
    file: &Path,
) -> Result<Summary, FieldError> {
    let state = super::read_voucher(store, voucher_id)?;
    let partner = initialized(&state)?;
    let id = parse_voucher_id("voucher_id", voucher_id)?;
    let v = find_voucher(&state, &id)?;
    let report = v
        .report
        .as_ref()
        .filter(|r| r.fields != ReportFields::default())
        .ok_or_else(|| {
            FieldError::Refused(format!(
                "voucher {id} has no completion report yet: nothing to send"
            ))
        })?;
    let consultant = field_owner(&state)
        .map(|u| u.email.clone())
        .or_else(|| actor.map(str::to_owned))
        .or_else(|| report.submitted_by.clone())
        .ok_or_else(|| FieldError::Refused("whose report is it? give --as EMAIL".to_owned()))?;
    let submitted_at = if v.stage == Stage::Reserved {
        None
    } else {
        report.submitted_at
    };
    let (draft_id, submit_id) = report_ids(store, &id)?;
    let mut copies = Vec::new();
    if let Some(a) = &report.fields.deliverable {
        copies.push(stored_copy(store, a)?);
    }
    let body = BundleFile {
        format: FORMAT_NAME.to_owned(),
        version: file_format::FORMAT,
        mpn_id: partner.mpn_id.clone(),
        partner: partner.name.clone(),
        voucher_id: id.clone(),
        consultant: consultant.clone(),
        submitted_at,
        exported_at: now,
        reservation: v.reservation.clone(),
        report: report.fields.clone(),
        draft_id,
        submit_id: submit_id.filter(|_| submitted_at.is_some()),
        files: report.fields.deliverable.iter().cloned().collect(),
    };
    let json = serde_json::to_vec_pretty(&body)
        .map_err(|e| FieldError::Io(format!("cannot write the bundle: {e}")))?;
    ensure_parent(file)?;
    let parts: Vec<&[u8]> = copies.iter().map(Vec::as_slice).collect();
    let bytes = file_format::write(file, Kind::Bundle, &json, &parts)?;
    let state_word = match submitted_at {
        Some(t) => format!("the submitted report (submitted {})", shown(t)),
        None => "the report draft".to_owned(),
    };
    let deliverable = match &report.fields.deliverable {
        Some(a) => format!(", with the deliverable {} ({} bytes)", a.name, a.size),
        None => ", without a copy of the deliverable".to_owned(),
    };
    Ok(Summary {
        message: format!(
            "bundle for {id} written to {}: {state_word} by {consultant}{deliverable}; `saps bundle import` it in the office",
            file.display()
        ),
        voucher_id: id,
        file: file.to_path_buf(),
        bytes,
    })
}

/// The ids of the last report draft and submission of the voucher `id`
/// in the log (read from the start: a field database's log is short).
fn report_ids(store: &dyn Backend, id: &str) -> Result<(Option<Uuid>, Option<Uuid>), FieldError> {
    let (mut draft, mut submit) = (None, None);
    store.for_each_event(&mut |r| match &r.event {
        Event::ReportDraftSaved { voucher_id, .. } if voucher_id == id => draft = Some(r.id),
        Event::ReportSubmitted { voucher_id } if voucher_id == id => submit = Some(r.id),
        // A report taken back (cancelled, rescheduled) is submitted anew.
        Event::ReservationCancelled { voucher_id, .. } if voucher_id == id => submit = None,
        _ => {}
    })?;
    Ok((draft, submit))
}

/// A bundle read from its file and checked (header, checksum, content,
/// enclosed deliverable), not yet imported.
#[derive(Debug)]
pub struct Bundle {
    body: BundleFile,
    copies: Vec<Vec<u8>>,
}

/// Reads and checks the bundle in `file`; nothing is written.
pub fn read_bundle(file: &Path) -> Result<Bundle, FieldError> {
    let container = file_format::read(file, Kind::Bundle)?;
    let b: BundleFile = serde_json::from_slice(&container.json).map_err(|e| {
        FieldError::Refused(format!(
            "{} is not a usable completion-report bundle: its content cannot be read ({e})",
            file.display()
        ))
    })?;
    if b.format != FORMAT_NAME {
        return Err(FieldError::Refused(format!(
            "{} is not a usable completion-report bundle: its content says {:?}",
            file.display(),
            b.format
        )));
    }
    file_format::same_version(file, Kind::Bundle, b.version)?;
    let copies = enclosed(&container.tail, &b.files, file, "bundle")?;
    if b.files.iter().ne(b.report.deliverable.iter()) {
        return Err(FieldError::Refused(format!(
            "{} is not a usable completion-report bundle: the files it encloses are not the deliverable its report names",
            file.display()
        )));
    }
    Ok(Bundle { body: b, copies })
}

/// Imports the bundle in `file` into the office database of `session`:
/// the consultant's draft and submission (or, for a draft bundle, the draft
/// only), once the file, its hashes and the domain's rules all agree. The
/// importing user is `actor`, else the bundle's consultant. The same bundle
/// again changes nothing.
pub fn import_bundle(
    session: &mut Session,
    now: DateTime<Utc>,
    actor: Option<&str>,
    file: &Path,
) -> Result<ImportReport, FieldError> {
    import_read_bundle(session, now, actor, &read_bundle(file)?)
}

/// [`import_bundle`] of a bundle already read.
pub fn import_read_bundle(
    session: &mut Session,
    now: DateTime<Utc>,
    actor: Option<&str>,
    bundle: &Bundle,
) -> Result<ImportReport, FieldError> {
    let b = &bundle.body;
    let command = Command::ImportBundle(Box::new(BundleReport {
        voucher_id: b.voucher_id.clone(),
        mpn_id: b.mpn_id.clone(),
        consultant: b.consultant.clone(),
        fields: b.report.clone(),
        submitted_at: b.submitted_at,
        reservation: b.reservation.clone(),
        draft_id: b.draft_id,
        submit_id: b.submit_id,
        recorded: false,
    }));
    let request = Request::new(command, actor.map(str::to_owned), now);
    let recorded = staged_events(session, request)?;
    let id = voucher_key(&b.voucher_id);
    let what = match b.submitted_at {
        Some(_) => "completion report",
        None => "report draft",
    };
    let already = || ImportReport {
        message: format!(
            "already imported: the {what} of {id} by {} is already in this database; nothing changed",
            b.consultant
        ),
        voucher_id: id.clone(),
        consultant: b.consultant.clone(),
        events: Vec::new(),
    };
    if recorded.is_empty() {
        return Ok(already());
    }
    // Only now, with everything checked, is anything written.
    if let Err(e) = keep_copies(session, &bundle.copies, "bundle") {
        session.discard();
        return Err(e);
    }
    let recorded = committed_events(session)?;
    if recorded.is_empty() {
        // Another process imported it first (the commit lost the race and
        // the import, decided again, found it there).
        return Ok(already());
    }
    let consultant = recorded.first().map_or(b.consultant.clone(), |r| r.actor.clone());
    let message = match b.submitted_at {
        Some(t) => format!(
            "imported the completion report of {id} by {consultant}, submitted {}, imported {}; {id} is delivered and can be redeemed",
            shown(t),
            shown(now)
        ),
        None => format!(
            "imported the draft of {id} by {consultant}, imported {}; it is not submitted: submit it in the office (s on step 6)",
            shown(now)
        ),
    };
    Ok(ImportReport {
        message,
        voucher_id: id,
        consultant,
        events: recorded,
    })
}
