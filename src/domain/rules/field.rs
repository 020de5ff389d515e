//! Consultants in the field. An engagement packet seeds a field database
//! (one consultant, one partner, the engagements it was given) with the
//! ordinary events, so replaying its log rebuilds its records; a
//! completion-report bundle comes back to the office (see `bundle`).
//!
//! A field database is one whose partner has no global admin: `init_partner`
//! always creates one, and a packet never brings one (its consultant is
//! recorded as a consultant, whatever role the office gave them).
//!
//! A packet's ids are taken as the domain keys them: the voucher id
//! normalised (`voucher_key`), the licensing id trimmed, in every event.

use super::{acting_user, email, expect_stage, find_voucher, initialized, voucher_id};
use crate::domain::command::{Action, PacketRecords};
use crate::domain::event::{Event, Recorded};
use crate::domain::records::{Customer, Partner, ReportFields, Role, Stage, User, Voucher};
use crate::domain::rejection::{Code, Decision, Rejection, shorten};
use crate::domain::state::State;
use crate::domain::{Ctx, permission};
use chrono::{DateTime, Utc};

/// The consultant a field database belongs to; `None` for an office
/// database (or an empty one).
pub fn field_owner(state: &State) -> Option<&User> {
    state.org.partner.as_ref()?;
    if state.org.users.values().any(|u| u.role == Role::GlobalAdmin) {
        return None;
    }
    let mut users = state.org.users.values();
    match (users.next(), users.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

/// The acting user who may hand an engagement out in a packet: an admin.
pub fn packet_exporter<'s>(state: &'s State, ctx: &Ctx) -> Decision<&'s User> {
    initialized(state)?;
    let user = acting_user(state, ctx)?;
    permission::check(user, Action::ExportPacket)?;
    Ok(user)
}

/// What a packet for `id` carries, for `consultant` (or the engagement's only
/// consultant): the voucher must be reserved and not expired.
pub fn packet_for(state: &State, ctx: &Ctx, id: &str, consultant: Option<&str>) -> Decision<PacketRecords> {
    let partner = initialized(state)?;
    let id = voucher_id("voucher_id", id)?;
    let v = find_voucher(state, &id)?;
    expect_stage(v, ctx, &[Stage::Reserved], "hand it to a consultant in a packet")?;
    let named = v
        .reservation
        .as_ref()
        .map(|r| r.consultants.clone())
        .unwrap_or_default();
    let email = match consultant {
        Some(c) => {
            let c = email("consultant", c)?;
            if !v.names_consultant(&c) {
                return Err(Rejection::field(
                    Code::InvalidInput,
                    "consultant",
                    format!(
                        "{} is not named on the engagement of voucher {id} (named: {})",
                        shorten(&c),
                        named.join(", ")
                    ),
                ));
            }
            c
        }
        None => match named.as_slice() {
            [only] => only.clone(),
            _ => {
                return Err(Rejection::field(
                    Code::InvalidInput,
                    "consultant",
                    format!(
                        "the engagement of voucher {id} names {} consultants ({}); say which one the packet is for",
                        named.len(),
                        named.join(", ")
                    ),
                ));
            }
        },
    };
    let user = state.user(&email).ok_or_else(|| {
        Rejection::field(
            Code::NotFound,
            "consultant",
            format!("{} is not a user of this partner", shorten(&email)),
        )
    })?;
    let customer = state.customers.get(&v.customer).ok_or_else(|| {
        Rejection::field(
            Code::NotFound,
            "customer",
            format!("no customer {} for voucher {id}", v.customer),
        )
    })?;
    Ok(PacketRecords {
        partner: partner.clone(),
        consultant: user.clone(),
        customer: customer.clone(),
        voucher: v.clone(),
        made_at: ctx.now,
        held_made_at: None,
    })
}

/// Seeds or updates a field database with a packet. Nothing to do (the same
/// packet again) is `Ok` with no events. The events are the consultant's.
pub fn import_packet(state: &State, ctx: &Ctx, p: &PacketRecords) -> Decision<Vec<Recorded>> {
    let v = &p.voucher;
    let id = voucher_id("voucher_id", &v.voucher_id)?;
    let consultant = email("consultant", &p.consultant.email)?;
    let licensing_id = p.customer.licensing_id.trim();
    let customer_of_voucher = v.customer.trim();
    if !v.names_consultant(&consultant) {
        return Err(Rejection::rule(
            Code::Unauthorized,
            format!("{consultant} is not named on the engagement of voucher {id} in the packet"),
        ));
    }
    if customer_of_voucher != licensing_id {
        return Err(Rejection::field(
            Code::InvalidInput,
            "customer",
            format!(
                "the packet's voucher is for {customer_of_voucher}, its customer record is {licensing_id}"
            ),
        ));
    }
    expect_stage(v, ctx, &[Stage::Reserved], "take it into the field")?;
    if let Some(ours) = &state.org.partner {
        let Some(owner) = field_owner(state) else {
            return Err(Rejection::rule(
                Code::AlreadyInitialized,
                format!(
                    "this is the office database of {} (it has a global admin); import packets into a field database of their own (--db PATH)",
                    ours.name
                ),
            ));
        };
        same_partner("mpn_id", "packet", &p.partner.mpn_id, ours)?;
        if !owner.email.eq_ignore_ascii_case(&consultant) {
            return Err(Rejection::rule(
                Code::Unauthorized,
                format!(
                    "this field database belongs to {}; the packet is for {consultant}",
                    owner.email
                ),
            ));
        }
    }
    not_older(p)?;
    let mut events = Vec::new();
    if state.org.partner.as_ref() != Some(&p.partner) {
        events.push(Event::PartnerInitialized {
            name: p.partner.name.clone(),
            mpn_id: p.partner.mpn_id.clone(),
            mpn_expires: p.partner.mpn_expires,
        });
    }
    // A consultant, whatever the office's role: a field database has no
    // global admin (see `field_owner`), and the field needs no more.
    let user = User {
        email: consultant.clone(),
        role: Role::Consultant,
        ..p.consultant.clone()
    };
    if state.user(&consultant) != Some(&user) {
        events.push(Event::UserAdded {
            email: user.email.clone(),
            name: user.name.clone(),
            role: user.role,
        });
    }
    let c = &Customer {
        licensing_id: licensing_id.to_owned(),
        ..p.customer.clone()
    };
    if state.customers.get(&c.licensing_id) != Some(c) {
        events.push(Event::CustomerAdded {
            licensing_id: c.licensing_id.clone(),
            name: c.name.clone(),
            planning_days: c.planning_days,
            agreement_expires: c.agreement_expires,
        });
    }
    let v = &Voucher {
        voucher_id: id.clone(),
        customer: licensing_id.to_owned(),
        ..v.clone()
    };
    match state.vouchers.get(&id) {
        None => events.extend(new_voucher(v)),
        Some(ours) => events.extend(update_voucher(ours, v)?),
    }
    Ok(numbered(
        state,
        events.into_iter().map(|e| (consultant.clone(), ctx.now, e)),
    ))
}

/// A packet older than the one the field database took last would move
/// the engagement back to what the office has since changed.
fn not_older(p: &PacketRecords) -> Decision<()> {
    match p.held_made_at {
        Some(held) if p.made_at < held => Err(Rejection::rule(
            Code::InvalidInput,
            format!(
                "this packet was made on {}; the one you have is from {}: it is older, so it is not taken (it would move the engagement of voucher {} back); import the newest packet from the office",
                shown(p.made_at),
                shown(held),
                shorten(&p.voucher.voucher_id)
            ),
        )),
        _ => Ok(()),
    }
}

/// A time as the field's messages show it: `2026-06-20 10:00 UTC`.
pub fn shown(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// The events that record `v` (its ids normalised) in a field database.
fn new_voucher(v: &Voucher) -> Vec<Event> {
    let id = v.voucher_id.clone();
    let mut out = vec![Event::VoucherReceived {
        voucher_id: id.clone(),
        customer: v.customer.clone(),
        offering: v.offering.clone(),
        days: v.days,
        created_on: v.created_on,
        admin_email: v.admin_email.clone(),
    }];
    if v.validated_at.is_some() {
        out.push(Event::VoucherValidated {
            voucher_id: id.clone(),
        });
    }
    if let Some(r) = &v.reservation {
        out.push(Event::VoucherReserved {
            voucher_id: id.clone(),
            reservation: r.clone(),
        });
    }
    if let Some(fields) = draft_of(v) {
        out.push(Event::ReportDraftSaved {
            voucher_id: id,
            patch: fields.clone(),
        });
    }
    out
}

/// A newer packet for a voucher the field database holds: the reservation
/// follows the office; the field's own draft is kept.
fn update_voucher(ours: &Voucher, v: &Voucher) -> Decision<Vec<Event>> {
    let same = ours.customer == v.customer
        && ours.offering == v.offering
        && ours.days == v.days
        && ours.created_on == v.created_on;
    if !same {
        return Err(Rejection::field(
            Code::InvalidInput,
            "voucher_id",
            format!(
                "the packet's voucher {} is not the one this field database holds (customer, offering, days or creation date differ)",
                v.voucher_id
            ),
        ));
    }
    let mut out = Vec::new();
    if ours.reservation != v.reservation {
        if ours.stage != Stage::Reserved {
            return Err(Rejection::field(
                Code::InvalidTransition,
                "voucher_id",
                format!(
                    "the report of voucher {} is already submitted in this field database; send its bundle to the office instead",
                    v.voucher_id
                ),
            ));
        }
        if let Some(r) = &v.reservation {
            out.push(Event::VoucherReserved {
                voucher_id: v.voucher_id.clone(),
                reservation: r.clone(),
            });
        }
    }
    if ours.report.is_none()
        && let Some(fields) = draft_of(v)
    {
        out.push(Event::ReportDraftSaved {
            voucher_id: v.voucher_id.clone(),
            patch: fields.clone(),
        });
    }
    Ok(out)
}

fn draft_of(v: &Voucher) -> Option<&ReportFields> {
    v.report
        .as_ref()
        .map(|r| &r.fields)
        .filter(|f| **f != ReportFields::default())
}

pub(super) fn same_partner(field: &'static str, what: &str, theirs: &str, ours: &Partner) -> Decision<()> {
    if theirs.trim() == ours.mpn_id.trim() {
        return Ok(());
    }
    Err(Rejection::field(
        Code::InvalidInput,
        field,
        format!(
            "the {what} is from another partner (MPN {} ≠ {}, {})",
            theirs.trim(),
            ours.mpn_id,
            ours.name
        ),
    ))
}

pub(super) fn numbered(
    state: &State,
    events: impl IntoIterator<Item = (String, DateTime<Utc>, Event)>,
) -> Vec<Recorded> {
    events
        .into_iter()
        .zip(state.last_seq + 1..)
        .map(|((actor, at, event), seq)| Recorded {
            seq,
            id: uuid::Uuid::nil(),
            id_given: false,
            at,
            actor,
            event,
        })
        .collect()
}
