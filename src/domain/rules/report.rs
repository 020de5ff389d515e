//! Step 6: the completion report. A draft keeps whatever was typed; submit
//! checks every rule and lists all that are unmet.

use super::{expect_stage, find_voucher, require_on_engagement, voucher_id};
use crate::domain::Ctx;
use crate::domain::command::{SaveReportDraft, SubmitReport};
use crate::domain::event::Event;
use crate::domain::program::{MAX_OFFSITE_DAYS, MAX_WALK_ON_HOURS};
use crate::domain::records::{ReportFields, Stage, User, Voucher};
use crate::domain::rejection::{Code, Decision, Rejection, shorten};
use crate::domain::state::State;

/// Admins, and consultants on the engagement, may write its report.
fn check_writer<'s>(
    state: &'s State,
    ctx: &Ctx,
    user: &User,
    id: &str,
    action: &str,
) -> Decision<&'s Voucher> {
    let id = voucher_id("voucher_id", id)?;
    let v = find_voucher(state, &id)?;
    require_on_engagement(user, v, action)?;
    expect_stage(v, ctx, &[Stage::Reserved], action)?;
    Ok(v)
}

pub fn save_report_draft(state: &State, ctx: &Ctx, user: &User, c: &SaveReportDraft) -> Decision<Vec<Event>> {
    let SaveReportDraft {
        voucher_id: id,
        fields,
    } = c;
    let v = check_writer(state, ctx, user, id, "write the completion report")?;
    Ok(vec![Event::ReportDraftSaved {
        voucher_id: v.voucher_id.clone(),
        patch: fields.clone(),
    }])
}

pub fn submit_report(state: &State, ctx: &Ctx, user: &User, c: &SubmitReport) -> Decision<Vec<Event>> {
    let v = check_writer(state, ctx, user, &c.voucher_id, "submit the completion report")?;
    let fields = v.report.as_ref().map(|r| r.fields.clone()).unwrap_or_default();
    match unmet(report_problems(v, &fields, ctx)) {
        None => Ok(vec![Event::ReportSubmitted {
            voucher_id: v.voucher_id.clone(),
        }]),
        Some(rejection) => Err(rejection),
    }
}

/// The refusal for a report's unmet rules: the first one's code and field,
/// every message; `None` when there are none.
pub fn unmet(problems: Vec<Rejection>) -> Option<Rejection> {
    let first = problems.first()?;
    let message = if problems.len() == 1 {
        first.message.clone()
    } else {
        let all: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        format!("{} problems: {}", problems.len(), all.join("; "))
    };
    Some(Rejection {
        code: first.code,
        field: first.field,
        message,
    })
}

fn missing(field: &'static str, what: &str) -> Rejection {
    Rejection::field(Code::ReportIncomplete, field, format!("{what} is missing"))
}

/// Every unmet rule of a report, in the order they are checked: complete
/// (days on and off site, the deliverable, the customer's acceptance),
/// finished, dates, days adding up, the off-site and walk-on limits, a known
/// deliverable kind.
pub fn report_problems(v: &Voucher, f: &ReportFields, ctx: &Ctx) -> Vec<Rejection> {
    let mut out = Vec::new();
    let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
    // What the program's rules need; the other fields are checked when given.
    if f.onsite_days.is_none() {
        out.push(missing("onsite_days", "the number of on-site days"));
    }
    if f.offsite_days.is_none() {
        out.push(missing("offsite_days", "the number of off-site days"));
    }
    match f.deliverable_path.as_deref() {
        _ if blank(&f.deliverable_path) => out.push(missing("deliverable_path", "a copy of the deliverable")),
        // A path alone is not a deliverable: payment is denied without one.
        Some(path) if f.deliverable.is_none() => out.push(Rejection::field(
            Code::ReportIncomplete,
            "deliverable_path",
            format!(
                "no copy of the deliverable is stored: the file {} was not found (or could not be read) when the draft was saved; save the draft again with the path of the file",
                shorten(path.trim())
            ),
        )),
        _ => {}
    }
    if f.customer_accepted != Some(true) {
        out.push(Rejection::field(
            Code::ReportIncomplete,
            "customer_accepted",
            "the customer has not accepted the deliverable",
        ));
    }
    // Finished: the last day delivered, or else the reservation's end, is past or today.
    let end = f.delivered_end.or(v.reservation.as_ref().map(|r| r.end));
    if let Some(end) = end
        && end > ctx.today()
    {
        out.push(Rejection::field(
            Code::EngagementNotFinished,
            "delivered_end",
            format!("the engagement runs until {end}; submit after it has finished"),
        ));
    }
    out.extend(date_problems(v, f));
    out.extend(day_problems(v, f));
    if let Some(kind) = f.deliverable_kind.as_deref().filter(|k| !k.trim().is_empty())
        && ctx.catalog.deliverable_kind(kind).is_none()
    {
        let known = ctx.catalog.deliverable_kinds.join(", ");
        out.push(Rejection::field(
            Code::InvalidInput,
            "deliverable_kind",
            format!("{:?} is not one of: {known}", shorten(kind)),
        ));
    }
    out
}

fn date_problems(v: &Voucher, f: &ReportFields) -> Vec<Rejection> {
    let mut out = Vec::new();
    if let (Some(s), Some(e)) = (f.delivered_start, f.delivered_end)
        && e < s
    {
        out.push(Rejection::field(
            Code::InvalidInput,
            "delivered_end",
            format!("{e} is before the start {s}"),
        ));
    }
    if let Some(s) = f.delivered_start
        && s < v.created_on
    {
        out.push(Rejection::field(
            Code::InvalidInput,
            "delivered_start",
            format!("{s} is before the voucher was created ({})", v.created_on),
        ));
    }
    out.extend(outside_reservation(v, f));
    if let Some(e) = f.delivered_end
        && e >= v.expires_on()
    {
        out.push(Rejection::field(
            Code::BeyondExpiry,
            "delivered_end",
            format!("{e} is not before the voucher expired on {}", v.expires_on()),
        ));
    }
    out
}

/// Delivered dates must lie inside the reserved dates: work outside them
/// is not what was reserved (reschedule first).
fn outside_reservation(v: &Voucher, f: &ReportFields) -> Vec<Rejection> {
    let Some(r) = &v.reservation else {
        return Vec::new();
    };
    let reserved = format!(
        "voucher {} is reserved from {} to {}; correct the report's dates, or `reschedule` the reservation",
        v.voucher_id, r.start, r.end
    );
    let mut out = Vec::new();
    if let Some(s) = f.delivered_start
        && s < r.start
    {
        out.push(Rejection::field(
            Code::InvalidInput,
            "delivered_start",
            format!("the first day delivered, {s}, is before the reservation: {reserved}"),
        ));
    }
    if let Some(e) = f.delivered_end
        && e > r.end
    {
        out.push(Rejection::field(
            Code::InvalidInput,
            "delivered_end",
            format!("the last day delivered, {e}, is after the reservation: {reserved}"),
        ));
    }
    out
}

fn day_problems(v: &Voucher, f: &ReportFields) -> Vec<Rejection> {
    let mut out = Vec::new();
    if let (Some(on), Some(off)) = (f.onsite_days, f.offsite_days)
        && on as u64 + off as u64 != v.days as u64
    {
        out.push(Rejection::field(
            Code::InvalidInput,
            "onsite_days",
            format!(
                "{on} on site + {off} off site = {} days; the voucher is for {}",
                on as u64 + off as u64,
                v.days
            ),
        ));
    }
    if let Some(off) = f.offsite_days
        && off > MAX_OFFSITE_DAYS
    {
        out.push(Rejection::field(
            Code::OffsiteLimit,
            "offsite_days",
            format!("{off} days off site; at most {MAX_OFFSITE_DAYS}"),
        ));
    }
    if let Some(h) = f.walk_on_hours {
        if !h.is_finite() || h < 0.0 {
            out.push(Rejection::field(
                Code::InvalidInput,
                "walk_on_hours",
                format!("{h} is not a number of hours"),
            ));
        } else if h > MAX_WALK_ON_HOURS {
            out.push(Rejection::field(
                Code::WalkOnLimit,
                "walk_on_hours",
                format!("{h} hours of walk-on topics; at most {MAX_WALK_ON_HOURS}"),
            ));
        }
    }
    out
}
