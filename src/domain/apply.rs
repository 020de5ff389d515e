//! Folding one recorded event into the state. Total and deterministic:
//! replaying the audit log from an empty state rebuilds every record.

use super::event::{Event, Recorded};
use super::records::*;
use super::state::{State, invoice_key};

pub fn apply(state: &mut State, r: &Recorded) {
    state.last_seq = state.last_seq.max(r.seq);
    let org = &mut state.org;
    match &r.event {
        Event::PartnerInitialized {
            name,
            mpn_id,
            mpn_expires,
        } => {
            org.partner = Some(Partner {
                name: name.clone(),
                mpn_id: mpn_id.clone(),
                mpn_expires: *mpn_expires,
            });
        }
        Event::MpnRenewed { mpn_expires } => {
            if let Some(p) = org.partner.as_mut() {
                p.mpn_expires = *mpn_expires;
            }
        }
        Event::UserAdded { email, name, role } => {
            let user = User {
                email: email.clone(),
                name: name.clone(),
                role: *role,
            };
            org.users.insert(email.to_ascii_lowercase(), user);
        }
        Event::LocationAdded { location_id, country } => {
            let loc = Location {
                location_id: location_id.clone(),
                country: country.clone(),
            };
            org.locations.insert(location_id.clone(), loc);
        }
        Event::CompetencyRecorded {
            competency,
            level,
            expires,
        } => {
            let c = Competency {
                competency: competency.clone(),
                level: *level,
                expires: *expires,
            };
            org.competencies.insert(competency.to_ascii_lowercase(), c);
        }
        Event::ExamRecorded {
            consultant,
            exam,
            competency,
            passed_on,
        } => {
            org.exams.push(Exam {
                consultant: consultant.clone(),
                exam: exam.clone(),
                competency: competency.clone(),
                passed_on: *passed_on,
            });
        }
        Event::Enrolled {
            offering,
            enrolled_on,
            expires_on,
        } => {
            let e = Enrollment {
                offering: offering.clone(),
                enrolled_on: *enrolled_on,
                expires_on: *expires_on,
            };
            org.enrollments.insert(offering.clone(), e);
        }
        Event::ProfileUpdated { patch } => org.profile.draft = patch.over(&org.profile.draft),
        Event::ProfilePublished { visible_by } => {
            org.profile.published = Some(org.profile.draft.clone());
            org.profile.published_at = Some(r.at);
            org.profile.visible_by = Some(*visible_by);
        }
        Event::SavbRegistered { offering } => {
            let reg = SavbRegistration {
                registered_at: r.at,
                registered_by: r.actor.clone(),
            };
            org.savb.insert(offering.clone(), reg);
        }
        Event::CustomerAdded {
            licensing_id,
            name,
            planning_days,
            agreement_expires,
        } => {
            let c = Customer {
                licensing_id: licensing_id.clone(),
                name: name.clone(),
                planning_days: *planning_days,
                agreement_expires: *agreement_expires,
            };
            state.customers.insert(licensing_id.clone(), c);
        }
        Event::VoucherReceived {
            voucher_id,
            customer,
            offering,
            days,
            created_on,
            admin_email,
        } => {
            let v = Voucher::received(
                voucher_id.clone(),
                customer.clone(),
                offering.clone(),
                *days,
                *created_on,
                admin_email.clone(),
            );
            state.vouchers.insert(voucher_id.clone(), v);
            let ids = state.by_customer.entry(customer.clone()).or_default();
            ids.insert(voucher_id.clone());
            let expires_on = super::state::voucher_expiry(*created_on);
            state
                .ledgers
                .entry(customer.clone())
                .or_default()
                .receive(*days, expires_on);
        }
        Event::PaymentRequested {
            voucher_id,
            invoice_number,
            location_id,
            country,
            amount,
            currency,
        } => {
            state
                .invoices
                .insert(invoice_key(invoice_number), voucher_id.clone());
            with_voucher(state, voucher_id, |v| {
                v.stage = Stage::Invoiced;
                v.invoices.push(Invoice {
                    invoice_number: invoice_number.clone(),
                    location_id: location_id.clone(),
                    country: country.clone(),
                    amount: *amount,
                    currency: currency.clone(),
                    requested_at: r.at,
                    payment: None,
                });
            });
        }
        other => apply_to_voucher(state, r, other),
    }
}

fn with_voucher(state: &mut State, id: &str, f: impl FnOnce(&mut Voucher)) {
    if let Some(v) = state.vouchers.get_mut(id) {
        f(v);
    }
}

/// Events that change one existing voucher's own record.
fn apply_to_voucher(state: &mut State, r: &Recorded, event: &Event) {
    match event {
        Event::VoucherValidated { voucher_id } => {
            with_voucher(state, voucher_id, |v| v.validated_at = Some(r.at))
        }
        Event::VoucherReserved {
            voucher_id,
            reservation,
        } => with_voucher(state, voucher_id, |v| {
            v.stage = Stage::Reserved;
            v.reservation = Some(reservation.clone());
        }),
        Event::VoucherRescheduled {
            voucher_id,
            start,
            end,
        } => with_voucher(state, voucher_id, |v| {
            if let Some(res) = v.reservation.as_mut() {
                res.start = *start;
                res.end = *end;
            }
        }),
        Event::ReservationCancelled { voucher_id, .. } => with_voucher(state, voucher_id, |v| {
            v.stage = Stage::Assigned;
            v.reservation = None;
            v.report = None;
        }),
        Event::ReportDraftSaved { voucher_id, patch } => with_voucher(state, voucher_id, |v| {
            let report = v.report.get_or_insert_with(Report::default);
            report.fields = report.fields.merged(patch);
        }),
        Event::ReportSubmitted { voucher_id } => with_voucher(state, voucher_id, |v| {
            v.stage = Stage::Delivered;
            let report = v.report.get_or_insert_with(Report::default);
            report.submitted_at = Some(r.at);
            report.submitted_by = Some(r.actor.clone());
        }),
        Event::VoucherRedeemed {
            voucher_id,
            invoice_deadline,
        } => {
            with_voucher(state, voucher_id, |v| {
                v.stage = Stage::Redeemed;
                v.redemption = Some(Redemption {
                    redeemed_at: r.at,
                    invoice_deadline: *invoice_deadline,
                });
            });
            // Redeemed days never go back to the pool.
            if let Some(v) = state.vouchers.get(voucher_id) {
                state.redeemed_offerings.insert(v.offering.clone());
                let (customer, days, expires_on) = (v.customer.clone(), v.days, v.expires_on());
                state
                    .ledgers
                    .entry(customer)
                    .or_default()
                    .redeem(days, expires_on);
            }
        }
        Event::PaymentRecorded {
            voucher_id,
            outcome,
            reference,
            reason,
        } => with_voucher(state, voucher_id, |v| {
            v.stage = match outcome {
                Outcome::Paid => Stage::Paid,
                Outcome::Denied => Stage::Denied,
            };
            if let Some(inv) = v.invoices.last_mut() {
                inv.payment = Some(Payment {
                    outcome: *outcome,
                    reference: reference.clone(),
                    reason: reason.clone(),
                    recorded_at: r.at,
                });
            }
        }),
        _ => {}
    }
}
