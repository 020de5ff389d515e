//! A completion-report bundle back in the office: the consultant's draft
//! and submission, checked by the same report rules as a submit. A draft
//! bundle (never submitted) is recorded as the consultant's draft only.

use super::field::{field_owner, numbered, same_partner};
use super::report::{report_problems, unmet};
use super::{acting_user, email, expect_stage, voucher_id};
use crate::domain::command::{BundleReport, CommandKind};
use crate::domain::event::{Event, Recorded};
use crate::domain::records::{Partner, ReportFields, Stage, User, Voucher};
use crate::domain::rejection::{Code, Decision, Rejection, shorten};
use crate::domain::state::State;
use crate::domain::{Ctx, permission};

/// The office takes a completion report from the field: the draft and the
/// submission are recorded as the consultant's events, the draft at the
/// import time and the submission at the time the consultant submitted (a
/// draft bundle: the draft only). The importer is the acting user when one
/// is given, else the bundle's consultant. The same report again (by its
/// content, or by the field's id when the session found it in the log) is
/// `Ok` with no events.
pub fn import_bundle(
    state: &State,
    ctx: &Ctx,
    partner: &Partner,
    b: &BundleReport,
) -> Decision<Vec<Recorded>> {
    // An acting user someone named is checked first, as for any command.
    let named = match ctx.actor {
        Some(_) => Some(importer(acting_user(state, ctx)?)?),
        None => None,
    };
    if let Some(owner) = field_owner(state) {
        return Err(Rejection::rule(
            Code::Unauthorized,
            format!(
                "this is the field database of {}; completion-report bundles are imported in the office",
                owner.email
            ),
        ));
    }
    same_partner("mpn_id", "bundle", &b.mpn_id, partner)?;
    let id = voucher_id("voucher_id", &b.voucher_id)?;
    let v = state.vouchers.get(&id).ok_or_else(|| {
        Rejection::field(
            Code::NotFound,
            "voucher_id",
            format!(
                "no voucher {id} in the database of {} (MPN {})",
                partner.name, partner.mpn_id
            ),
        )
    })?;
    let consultant = email("consultant", &b.consultant)?;
    let author = state.user(&consultant).ok_or_else(|| {
        Rejection::field(
            Code::Unauthorized,
            "consultant",
            format!("the bundle's consultant {consultant} is not a user of this partner"),
        )
    })?;
    if !v.names_consultant(&consultant) {
        return Err(Rejection::field(
            Code::Unauthorized,
            "consultant",
            format!("{consultant} is not named on the engagement of voucher {id}, so may not report on it"),
        ));
    }
    let user = match named {
        Some(user) => user,
        None => importer(author)?,
    };
    if !user.role.is_admin() && !user.email.eq_ignore_ascii_case(&consultant) {
        return Err(Rejection::rule(
            Code::Unauthorized,
            format!(
                "{}: only an admin or {consultant} may import {consultant}'s report",
                user.email
            ),
        ));
    }
    if b.recorded {
        // Recognised by the field's id: imported before (here, or in the
        // database this one was restored from), whatever happened since.
        return Ok(Vec::new());
    }
    let current = v.report.as_ref().map(|r| r.fields.clone()).unwrap_or_default();
    let merged = current.merged(&b.fields);
    let who = author.email.clone();
    let Some(submitted) = b.submitted_at else {
        // A draft: the consultant's fields, not submitted (the office
        // submits it when it is ready).
        if merged == current {
            return Ok(Vec::new());
        }
        expect_stage(v, ctx, &[Stage::Reserved], "import a report draft")?;
        let draft = Event::ReportDraftSaved {
            voucher_id: id,
            patch: b.fields.clone(),
        };
        return Ok(with_ids(numbered(state, [(who, ctx.now, draft)]), [b.draft_id]));
    };
    if already_imported(v, &consultant, &merged) {
        return Ok(Vec::new());
    }
    expect_stage(v, ctx, &[Stage::Reserved], "import a completion report")?;
    same_reservation(v, b)?;
    if submitted > ctx.now {
        return Err(Rejection::field(
            Code::InvalidInput,
            "submitted_at",
            format!("{submitted} is after the time of the import ({})", ctx.now),
        ));
    }
    // The rules as they stood when the consultant submitted.
    let at_submit = Ctx {
        now: submitted,
        ..*ctx
    };
    if let Some(rejection) = unmet(report_problems(v, &merged, &at_submit)) {
        return Err(rejection);
    }
    let events = vec![
        (
            who.clone(),
            ctx.now,
            Event::ReportDraftSaved {
                voucher_id: id.clone(),
                patch: b.fields.clone(),
            },
        ),
        (who, submitted, Event::ReportSubmitted { voucher_id: id }),
    ];
    // The draft recorded here is the office's own (the field's last draft
    // may be in this log already, from its draft bundle).
    Ok(with_ids(numbered(state, events), [None, b.submit_id]))
}

/// The events with the field's ids the bundle carries (`None`: the session
/// gives the event the import's own).
fn with_ids<const N: usize>(mut events: Vec<Recorded>, ids: [Option<uuid::Uuid>; N]) -> Vec<Recorded> {
    for (r, id) in events.iter_mut().zip(ids) {
        if let Some(id) = id {
            r.id = id;
        }
    }
    events
}

/// A submitted report written against a reservation the office has since
/// changed (rescheduled, moved, other consultants) is not what the office
/// reserved: the consultant needs the new packet first.
fn same_reservation(v: &Voucher, b: &BundleReport) -> Decision<()> {
    let Some(theirs) = &b.reservation else {
        // An older bundle: the submit rules still hold its dates to the
        // office's reservation.
        return Ok(());
    };
    if v.reservation.as_ref() == Some(theirs) {
        return Ok(());
    }
    let ours = v.reservation.as_ref().map_or("none".to_owned(), |r| {
        format!("{} to {} at {}", r.start, r.end, shorten(&r.location_id))
    });
    Err(Rejection::rule(
        Code::InvalidInput,
        format!(
            "the report was written against the reservation of voucher {} from {} to {} at {}, but the office's reservation is now {ours}; export a new packet for the consultant, check the report in the field, and send a new bundle",
            v.voucher_id,
            theirs.start,
            theirs.end,
            shorten(&theirs.location_id)
        ),
    ))
}

/// `user` may import bundles at all (the rule above says whose).
fn importer(user: &User) -> Decision<&User> {
    permission::check(user, CommandKind::ImportBundle)?;
    Ok(user)
}

/// The voucher's report is already this consultant's submitted report.
fn already_imported(v: &Voucher, consultant: &str, merged: &ReportFields) -> bool {
    v.report.as_ref().is_some_and(|r| {
        r.submitted_at.is_some()
            && r.submitted_by
                .as_deref()
                .is_some_and(|s| s.eq_ignore_ascii_case(consultant))
            && r.fields == *merged
    })
}
