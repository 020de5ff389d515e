//! Deciding a command: the checks every command shares (initialised, a known
//! acting user), then the step's own rules, then numbering the events.

use super::Ctx;
use super::command::Command;
use super::event::{Event, Recorded};
use super::permission;
use super::records::User;
use super::rejection::{Code, Decision, Rejection};
use super::rules::{self, bundle, enrollment, field, intake, partner, payment, profile, report, reserve};
use super::state::State;

pub fn decide(state: &State, cmd: &Command, ctx: &Ctx) -> Decision<Vec<Recorded>> {
    // The field's commands record events under more than one actor or time.
    match cmd {
        Command::ImportPacket(p) => return field::import_packet(state, ctx, p),
        Command::ImportBundle(b) => {
            // The importer defaults to the bundle's consultant: the rule
            // checks the bundle before that user.
            let partner = rules::initialized(state)?;
            return bundle::import_bundle(state, ctx, partner, b);
        }
        _ => {}
    }
    let (actor, events) = match cmd {
        Command::InitPartner(c) => partner::init_partner(state, c)?,
        _ => {
            let partner = rules::initialized(state)?;
            let user = rules::acting_user(state, ctx)?;
            permission::check(user, cmd.kind())?;
            (user.email.clone(), decide_as(state, ctx, user, partner, cmd)?)
        }
    };
    let first = state.last_seq + 1;
    Ok(events
        .into_iter()
        .zip(first..)
        .map(|(event, seq)| Recorded {
            seq,
            // Given by the session, from the request's id.
            id: uuid::Uuid::nil(),
            id_given: false,
            at: ctx.now,
            actor: actor.clone(),
            event,
        })
        .collect())
}

fn decide_as(
    state: &State,
    ctx: &Ctx,
    user: &User,
    partner_rec: &super::records::Partner,
    cmd: &Command,
) -> Decision<Vec<Event>> {
    match cmd {
        Command::InitPartner(_) => Err(partner::already_initialized()),
        Command::AddUser(c) => partner::add_user(state, c),
        Command::AddLocation(c) => partner::add_location(state, c),
        Command::AddCompetency(c) => partner::add_competency(ctx, c),
        Command::RenewMpn(c) => partner::renew_mpn(partner_rec, c),
        Command::RecordExam(c) => partner::record_exam(state, ctx, c),
        Command::Enroll(c) => enrollment::enroll(state, ctx, partner_rec, c),
        Command::UpdateProfile(patch) => profile::update_profile(state, patch),
        Command::PublishProfile => profile::publish_profile(ctx),
        Command::AddCustomer(c) => intake::add_customer(state, c),
        Command::ReceiveVoucher(c) => intake::receive_voucher(state, ctx, c),
        Command::ValidateVoucher(c) => intake::validate_voucher(state, ctx, c),
        Command::ReserveVoucher(c) => reserve::reserve_voucher(state, ctx, c),
        Command::Reschedule(c) => reserve::reschedule(state, ctx, c),
        Command::CancelReservation(c) => reserve::cancel_reservation(state, ctx, c),
        Command::SaveReportDraft(c) => report::save_report_draft(state, ctx, user, c),
        Command::SubmitReport(c) => report::submit_report(state, ctx, user, c),
        Command::Redeem(c) => payment::redeem(state, ctx, c),
        Command::RegisterSavb(c) => payment::register_savb(state, ctx, c),
        Command::RequestPayment(c) => payment::request_payment(state, ctx, c),
        Command::RecordPayment(c) => payment::record_payment(state, ctx, c),
        Command::ImportPacket(_) | Command::ImportBundle(_) => Err(Rejection::rule(
            Code::InvalidInput,
            format!("{} is decided by the field rules", cmd.name()),
        )),
    }
}
