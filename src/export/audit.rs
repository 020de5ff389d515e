//! The Audit sheet's record column: which voucher (customer, user...) an
//! event is about. What happened is the desk's sentence for it, who and
//! when the event's actor and time.

use crate::domain::Event;

/// What the event is about: the voucher, the customer, the user, the
/// location, the competency or the offering ("" for the partner itself).
pub fn record(e: &Event) -> &str {
    match e {
        Event::PartnerInitialized { mpn_id, .. } => mpn_id,
        Event::MpnRenewed { .. } | Event::ProfileUpdated { .. } | Event::ProfilePublished { .. } => "",
        Event::UserAdded { email, .. } => email,
        Event::LocationAdded { location_id, .. } => location_id,
        Event::CompetencyRecorded { competency, .. } => competency,
        Event::ExamRecorded { consultant, .. } => consultant,
        Event::Enrolled { offering, .. } | Event::SavbRegistered { offering } => offering,
        Event::CustomerAdded { licensing_id, .. } => licensing_id,
        Event::VoucherReceived { voucher_id, .. }
        | Event::VoucherValidated { voucher_id }
        | Event::VoucherReserved { voucher_id, .. }
        | Event::VoucherRescheduled { voucher_id, .. }
        | Event::ReservationCancelled { voucher_id, .. }
        | Event::ReportDraftSaved { voucher_id, .. }
        | Event::ReportSubmitted { voucher_id }
        | Event::VoucherRedeemed { voucher_id, .. }
        | Event::PaymentRequested { voucher_id, .. }
        | Event::PaymentRecorded { voucher_id, .. } => voucher_id,
    }
}
