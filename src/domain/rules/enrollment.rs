//! Step 2: enrolling in an offering for a year, renewing in the last 90 days.

use super::eligibility::holds_competency;
use super::offering;
use crate::domain::Ctx;
use crate::domain::command::Enroll;
use crate::domain::dates::{add_days, add_months};
use crate::domain::event::Event;
use crate::domain::program::{ENROLLMENT_MONTHS, RENEWAL_WINDOW_DAYS};
use crate::domain::records::{Enrollment, Partner};
use crate::domain::rejection::{Code, Decision, Rejection};
use crate::domain::state::State;
use chrono::NaiveDate;

/// The MPN membership is active up to, not including, its expiry date.
pub fn mpn_active(partner: &Partner, today: NaiveDate) -> Decision<()> {
    if today < partner.mpn_expires {
        return Ok(());
    }
    Err(Rejection::rule(
        Code::MpnExpired,
        format!(
            "the MPN membership expired on {}; renew it first",
            partner.mpn_expires
        ),
    ))
}

/// The enrollment is in force on `today` (it ends on its `expires_on`).
pub fn active(e: &Enrollment, today: NaiveDate) -> bool {
    e.enrolled_on <= today && today < e.expires_on
}

pub fn renewal_opens(e: &Enrollment) -> NaiveDate {
    add_days(e.expires_on, -RENEWAL_WINDOW_DAYS)
}

/// The partner is enrolled in `offering` on `today`.
pub fn require_enrolled(state: &State, offering: &str, today: NaiveDate) -> Decision<()> {
    match state.org.enrollments.get(offering) {
        Some(e) if active(e, today) => Ok(()),
        Some(e) => Err(Rejection::rule(
            Code::NotEnrolled,
            format!(
                "the enrollment in {offering} ended on {}; renew it (enroll)",
                e.expires_on
            ),
        )),
        None => Err(Rejection::rule(
            Code::NotEnrolled,
            format!("the partner is not enrolled in {offering}"),
        )),
    }
}

pub fn enroll(state: &State, ctx: &Ctx, partner: &Partner, c: &Enroll) -> Decision<Vec<Event>> {
    let off = offering(ctx, "offering", &c.offering)?;
    let today = ctx.today();
    let current = state.org.enrollments.get(&off.code).filter(|e| active(e, today));
    if let Some(e) = current
        && today < renewal_opens(e)
    {
        return Err(Rejection::field(
            Code::AlreadyEnrolled,
            "offering",
            format!(
                "already enrolled in {} until {}; renewal opens on {}",
                off.code,
                e.expires_on,
                renewal_opens(e)
            ),
        ));
    }
    mpn_active(partner, today)?;
    if !ctx
        .catalog
        .engagements_of(&off.code)
        .any(|e| holds_competency(state, e, today))
    {
        return Err(Rejection::field(
            Code::NotEligible,
            "offering",
            format!(
                "the partner holds no current qualifying competency for any {} engagement",
                off.code
            ),
        ));
    }
    if !c.policies_reviewed {
        return Err(Rejection::field(
            Code::TermsNotAccepted,
            "policies_reviewed",
            "the program policies must be reviewed",
        ));
    }
    if !c.accept_agreement {
        return Err(Rejection::field(
            Code::TermsNotAccepted,
            "accept_agreement",
            "the program agreement must be accepted",
        ));
    }
    // A renewal continues from the current term's end, so renewing early loses nothing.
    let starts = current.map_or(today, |e| e.expires_on);
    let expires_on = add_months(starts, ENROLLMENT_MONTHS);
    let enrolled_on = current.map_or(today, |e| e.enrolled_on);
    Ok(vec![Event::Enrolled {
        offering: off.code.clone(),
        enrolled_on,
        expires_on,
    }])
}
