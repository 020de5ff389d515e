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
        Command::InitPartner {
            name,
            mpn_id,
            mpn_expires,
            admin_name,
            admin_email,
        } => {
            let c = partner::InitPartner {
                name,
                mpn_id,
                mpn_expires: *mpn_expires,
                admin_name,
                admin_email,
            };
            partner::init_partner(state, c)?
        }
        _ => {
            let partner = rules::initialized(state)?;
            let user = rules::acting_user(state, ctx)?;
            permission::check(user, cmd.name())?;
            (user.email.clone(), decide_as(state, ctx, user, partner, cmd)?)
        }
    };
    let first = state.last_seq + 1;
    Ok(events
        .into_iter()
        .zip(first..)
        .map(|(event, seq)| Recorded {
            seq,
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
    use Command::*;
    match cmd {
        InitPartner { .. } => Err(partner::already_initialized()),
        AddUser { email, name, role } => partner::add_user(state, email, name, *role),
        AddLocation { location_id, country } => partner::add_location(state, location_id, country),
        AddCompetency {
            competency,
            level,
            expires,
        } => partner::add_competency(ctx, competency, *level, *expires),
        RecordExam {
            consultant,
            exam,
            competency,
            passed_on,
        } => {
            let c = partner::RecordExam {
                consultant,
                exam,
                competency,
                passed_on: *passed_on,
            };
            partner::record_exam(state, ctx, c)
        }
        Enroll {
            offering,
            accept_agreement,
            policies_reviewed,
        } => {
            let c = enrollment::Enroll {
                offering,
                accept_agreement: *accept_agreement,
                policies_reviewed: *policies_reviewed,
            };
            enrollment::enroll(state, ctx, partner_rec, c)
        }
        UpdateProfile(patch) => profile::update_profile(state, patch),
        PublishProfile => profile::publish_profile(ctx),
        AddCustomer {
            licensing_id,
            name,
            planning_days,
            agreement_expires,
        } => {
            let c = intake::AddCustomer {
                licensing_id,
                name,
                planning_days: *planning_days,
                agreement_expires: *agreement_expires,
            };
            intake::add_customer(state, c)
        }
        ReceiveVoucher {
            voucher_id,
            customer,
            offering,
            days,
            created_on,
            admin_email,
        } => {
            let c = intake::ReceiveVoucher {
                voucher_id,
                customer,
                offering,
                days: *days,
                created_on: *created_on,
                admin_email,
            };
            intake::receive_voucher(state, ctx, c)
        }
        ValidateVoucher {
            voucher_id,
            admin_email,
        } => intake::validate_voucher(state, ctx, voucher_id, admin_email),
        ReserveVoucher(r) => reserve::reserve_voucher(state, ctx, r),
        Reschedule {
            voucher_id,
            start,
            end,
        } => reserve::reschedule(state, ctx, voucher_id, *start, *end),
        CancelReservation { voucher_id, reason } => {
            reserve::cancel_reservation(state, ctx, voucher_id, reason)
        }
        SaveReportDraft { voucher_id, fields } => {
            report::save_report_draft(state, ctx, user, voucher_id, fields)
        }
        SubmitReport { voucher_id } => report::submit_report(state, ctx, user, voucher_id),
        Redeem { voucher_ids } => payment::redeem(state, ctx, voucher_ids),
        RegisterSavb { offering } => payment::register_savb(state, ctx, offering),
        RequestPayment {
            voucher_id,
            invoice_number,
            location_id,
        } => {
            let c = payment::RequestPayment {
                voucher_id,
                invoice_number,
                location_id: location_id.as_deref(),
            };
            payment::request_payment(state, ctx, c)
        }
        ImportPacket(_) | ImportBundle(_) => Err(Rejection::rule(
            Code::InvalidInput,
            format!("{} is decided by the field rules", cmd.name()),
        )),
        RecordPayment {
            voucher_id,
            outcome,
            reference,
            reason,
        } => {
            let c = payment::RecordPayment {
                voucher_id,
                outcome: *outcome,
                reference,
                reason: reason.as_deref(),
            };
            payment::record_payment(state, ctx, c)
        }
    }
}
