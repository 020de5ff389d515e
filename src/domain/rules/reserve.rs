//! Step 5: reserving a voucher for an engagement, rescheduling, cancelling.

use super::eligibility::{consultant_qualified, holds_competency};
use super::enrollment::require_enrolled;
use super::intake::check_admin_email;
use super::{country, email, expect_stage, find_voucher, text, voucher_id};
use crate::domain::Ctx;
use crate::domain::catalog::Engagement;
use crate::domain::command::{CancelReservation, Reschedule, Reserve};
use crate::domain::event::Event;
use crate::domain::program::MAX_ENGAGEMENT_DAYS;
use crate::domain::records::{Reservation, Stage, Voucher};
use crate::domain::rejection::{Code, Decision, Rejection, shorten};
use crate::domain::state::{State, Status};
use chrono::NaiveDate;

pub fn reserve_voucher(state: &State, ctx: &Ctx, r: &Reserve) -> Decision<Vec<Event>> {
    let id = voucher_id("voucher_id", &r.voucher_id)?;
    let admin_email = email("admin_email", &r.admin_email)?;
    let country = country("country", &r.country)?;
    let location_id = text("location_id", &r.location_id)?;
    let consultants = consultant_list(&r.consultants)?;
    let engagement = ctx.catalog.engagement(&r.engagement).ok_or_else(|| {
        Rejection::field(
            Code::InvalidInput,
            "engagement",
            format!("unknown engagement {:?}", shorten(&r.engagement)),
        )
    })?;
    let v = find_voucher(state, &id)?;
    let location = state.org.locations.get(&location_id).ok_or_else(|| {
        Rejection::field(
            Code::NotFound,
            "location_id",
            format!("no location {}", shorten(&location_id)),
        )
    })?;
    if let Some(missing) = consultants.iter().find(|c| state.user(c).is_none()) {
        return Err(Rejection::field(
            Code::NotFound,
            "consultants",
            format!("{} is not a user of this partner", shorten(missing)),
        ));
    }
    expect_stage(v, ctx, &[Stage::Assigned], "reserve")?;
    check_admin_email(v, &admin_email)?;
    let today = ctx.today();
    require_enrolled(state, &v.offering, today)?;
    if engagement.offering != v.offering {
        return Err(Rejection::field(
            Code::EngagementNotInOffering,
            "engagement",
            format!(
                "{} belongs to {}, the voucher is for {}",
                engagement.slug, engagement.offering, v.offering
            ),
        ));
    }
    if !holds_competency(state, engagement, today) {
        return Err(Rejection::field(
            Code::NotEligible,
            "engagement",
            format!(
                "the partner holds no current qualifying competency for {}",
                engagement.slug
            ),
        ));
    }
    if let Some(c) = consultants
        .iter()
        .find(|c| !consultant_qualified(state, engagement, c, today))
    {
        return Err(Rejection::field(
            Code::ConsultantNotQualified,
            "consultants",
            format!(
                "{c} has passed no exam of a qualifying competency for {}",
                engagement.slug
            ),
        ));
    }
    if location.country != country {
        return Err(Rejection::field(
            Code::CountryMismatch,
            "location_id",
            format!(
                "location {} is in {}, the engagement is delivered in {country}",
                shorten(&location_id),
                location.country
            ),
        ));
    }
    check_dates(v, today, r.start, r.end)?;
    if !r.accept_terms {
        return Err(Rejection::field(
            Code::TermsNotAccepted,
            "accept_terms",
            "the terms must be accepted to reserve",
        ));
    }
    let distinct_scope = r
        .distinct_scope
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    check_repeat_15(state, v, engagement, distinct_scope.is_some(), today)?;
    let reservation = Reservation {
        engagement: engagement.slug.clone(),
        location_id,
        country,
        start: r.start,
        end: r.end,
        consultants,
        distinct_scope: distinct_scope.map(str::to_string),
    };
    Ok(vec![Event::VoucherReserved {
        voucher_id: id,
        reservation,
    }])
}

fn consultant_list(given: &[String]) -> Decision<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for c in given {
        let e = email("consultants", c)?;
        if !out.contains(&e) {
            out.push(e);
        }
    }
    if out.is_empty() {
        return Err(Rejection::field(
            Code::InvalidInput,
            "consultants",
            "name at least one consultant",
        ));
    }
    Ok(out)
}

/// Start not in the past, end not before start, the whole engagement inside
/// the voucher's 180 days.
fn check_dates(v: &Voucher, today: NaiveDate, start: NaiveDate, end: NaiveDate) -> Decision<()> {
    if end < start {
        return Err(Rejection::field(
            Code::InvalidInput,
            "end",
            format!("{end} is before the start {start}"),
        ));
    }
    if start < today {
        return Err(Rejection::field(
            Code::ReserveAfterStart,
            "start",
            format!("{start} has passed; reserve before the engagement starts"),
        ));
    }
    if end >= v.expires_on() {
        return Err(Rejection::field(
            Code::BeyondExpiry,
            "end",
            format!("{end} is not before the voucher expires on {}", v.expires_on()),
        ));
    }
    Ok(())
}

/// A second 15-day engagement of the same type for one customer needs a
/// written justification (different division, legal entity or products).
fn check_repeat_15(
    state: &State,
    v: &Voucher,
    e: &Engagement,
    justified: bool,
    today: NaiveDate,
) -> Decision<()> {
    if v.days != MAX_ENGAGEMENT_DAYS || justified {
        return Ok(());
    }
    let earlier = state.customer_vouchers(&v.customer).find(|o| {
        o.voucher_id != v.voucher_id
            && o.days == MAX_ENGAGEMENT_DAYS
            && o.reservation.as_ref().is_some_and(|r| r.engagement == e.slug)
            && !matches!(o.status(today), Status::Assigned | Status::Expired)
    });
    match earlier {
        Some(o) => Err(Rejection::field(
            Code::Repeat15Day,
            "distinct_scope",
            format!(
                "customer {} already has a 15-day {} engagement (voucher {}); give distinct_scope to justify another",
                v.customer, e.slug, o.voucher_id
            ),
        )),
        None => Ok(()),
    }
}

pub fn reschedule(state: &State, ctx: &Ctx, c: &Reschedule) -> Decision<Vec<Event>> {
    let (id, start, end) = (&c.voucher_id, c.start, c.end);
    let id = voucher_id("voucher_id", id)?;
    let v = find_voucher(state, &id)?;
    expect_stage(v, ctx, &[Stage::Reserved], "reschedule")?;
    check_dates(v, ctx.today(), start, end)?;
    Ok(vec![Event::VoucherRescheduled {
        voucher_id: id,
        start,
        end,
    }])
}

pub fn cancel_reservation(state: &State, ctx: &Ctx, c: &CancelReservation) -> Decision<Vec<Event>> {
    let (id, reason) = (&c.voucher_id, &c.reason);
    let id = voucher_id("voucher_id", id)?;
    let reason = text("reason", reason)?;
    let v = find_voucher(state, &id)?;
    expect_stage(v, ctx, &[Stage::Reserved], "cancel its reservation")?;
    Ok(vec![Event::ReservationCancelled {
        voucher_id: id,
        reason,
    }])
}
