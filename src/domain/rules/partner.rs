//! Step 1 data and the partner itself: init, users, locations, competencies,
//! consultants' exams.

use super::{acting_user, competency as known_competency, country, email, mpn_id, text};
use crate::domain::Ctx;
use crate::domain::command::{AddCompetency, AddLocation, AddUser, InitPartner, RecordExam, RenewMpn};
use crate::domain::email::look_alike_of;
use crate::domain::event::Event;
use crate::domain::records::{Partner, Role};
use crate::domain::rejection::{Code, Decision, Rejection, shorten};
use crate::domain::state::State;

/// Creates the partner and its first user, a global admin. Returns the
/// actor (the new admin) with the events. Nobody exists yet to act, so the
/// acting user given (if any) is not consulted.
pub fn init_partner(state: &State, c: &InitPartner) -> Decision<(String, Vec<Event>)> {
    if state.org.partner.is_some() {
        return Err(already_initialized());
    }
    let name = text("name", &c.name)?;
    let mpn_id = mpn_id("mpn_id", &c.mpn_id)?;
    let admin_name = text("admin_name", &c.admin_name)?;
    let admin_email = email("admin_email", &c.admin_email)?;
    let events = vec![
        Event::PartnerInitialized {
            name,
            mpn_id,
            mpn_expires: c.mpn_expires,
        },
        Event::UserAdded {
            email: admin_email.clone(),
            name: admin_name,
            role: Role::GlobalAdmin,
        },
    ];
    Ok((admin_email, events))
}

pub fn already_initialized() -> Rejection {
    Rejection::rule(Code::AlreadyInitialized, "this database already has a partner")
}

pub fn add_user(state: &State, c: &AddUser) -> Decision<Vec<Event>> {
    let AddUser {
        email: email_in,
        name,
        role,
    } = c;
    let role = *role;
    let email = email("email", email_in)?;
    let name = text("name", name)?;
    if state.user(&email).is_some() {
        return Err(Rejection::field(
            Code::AlreadyExists,
            "email",
            format!("{} is already a user", shorten(&email)),
        ));
    }
    if let Some(other) = look_alike_of(&email, state.org.users.keys().map(String::as_str)) {
        return Err(Rejection::field(
            Code::InvalidInput,
            "email",
            format!(
                "{:?} looks like the existing user {} but is spelt with other letters (Cyrillic or Greek look-alikes); type it in Latin letters",
                shorten(&email),
                shorten(other)
            ),
        ));
    }
    Ok(vec![Event::UserAdded { email, name, role }])
}

pub fn add_location(state: &State, c: &AddLocation) -> Decision<Vec<Event>> {
    let AddLocation {
        location_id,
        country: country_in,
    } = c;
    let location_id = text("location_id", location_id)?;
    let country = country("country", country_in)?;
    if state.org.locations.contains_key(&location_id) {
        return Err(Rejection::field(
            Code::AlreadyExists,
            "location_id",
            format!("location {} already exists", shorten(&location_id)),
        ));
    }
    Ok(vec![Event::LocationAdded { location_id, country }])
}

/// Records (or renews) a competency the partner holds.
pub fn add_competency(ctx: &Ctx, c: &AddCompetency) -> Decision<Vec<Event>> {
    let (competency, level, expires) = (&c.competency, c.level, c.expires);
    let competency = known_competency(ctx, "competency", competency)?;
    Ok(vec![Event::CompetencyRecorded {
        competency,
        level,
        expires,
    }])
}

/// Moves the end of the MPN membership to a later date (the partner renewed
/// it with Microsoft). An equal or earlier date is refused, so a typo never
/// shortens the membership.
pub fn renew_mpn(partner: &Partner, c: &RenewMpn) -> Decision<Vec<Event>> {
    if c.mpn_expires <= partner.mpn_expires {
        return Err(Rejection::field(
            Code::InvalidInput,
            "mpn_expires",
            format!(
                "{} is not later than the membership's current end, {}",
                c.mpn_expires, partner.mpn_expires
            ),
        ));
    }
    Ok(vec![Event::MpnRenewed {
        mpn_expires: c.mpn_expires,
    }])
}

/// Admins record anyone's exams; a consultant only its own.
pub fn record_exam(state: &State, ctx: &Ctx, c: &RecordExam) -> Decision<Vec<Event>> {
    let user = acting_user(state, ctx)?;
    let consultant = email("consultant", &c.consultant)?;
    if !user.role.is_admin() && user.email != consultant {
        return Err(Rejection::field(
            Code::Unauthorized,
            "consultant",
            format!(
                "{} may record only its own exams, not {}'s",
                shorten(&user.email),
                shorten(&consultant)
            ),
        ));
    }
    let exam = text("exam", &c.exam)?;
    let competency = known_competency(ctx, "competency", &c.competency)?;
    if state.user(&consultant).is_none() {
        return Err(Rejection::field(
            Code::NotFound,
            "consultant",
            format!("{} is not a user of this partner", shorten(&consultant)),
        ));
    }
    let duplicate = state.org.exams.iter().any(|e| {
        e.consultant == consultant
            && e.exam.eq_ignore_ascii_case(&exam)
            && e.competency.eq_ignore_ascii_case(&competency)
    });
    if duplicate {
        return Err(Rejection::field(
            Code::AlreadyExists,
            "exam",
            format!("{} already has {} recorded", shorten(&consultant), shorten(&exam)),
        ));
    }
    if c.passed_on > ctx.today() {
        return Err(Rejection::field(
            Code::InvalidInput,
            "passed_on",
            format!("{} is in the future", c.passed_on),
        ));
    }
    Ok(vec![Event::ExamRecorded {
        consultant,
        exam,
        competency,
        passed_on: c.passed_on,
    }])
}
