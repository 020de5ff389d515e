//! The Audit sheet's words for an event: its name (as the JSON export and
//! `saps exec` spell it), the record it is about, and the desk's one
//! sentence for it. Who and when are the event's actor and time.

use crate::domain::Event;

/// The event's name, snake_case as serde writes it.
pub fn name(e: &Event) -> &'static str {
    match e {
        Event::PartnerInitialized { .. } => "partner_initialized",
        Event::UserAdded { .. } => "user_added",
        Event::LocationAdded { .. } => "location_added",
        Event::CompetencyRecorded { .. } => "competency_recorded",
        Event::ExamRecorded { .. } => "exam_recorded",
        Event::Enrolled { .. } => "enrolled",
        Event::ProfileUpdated { .. } => "profile_updated",
        Event::ProfilePublished { .. } => "profile_published",
        Event::CustomerAdded { .. } => "customer_added",
        Event::VoucherReceived { .. } => "voucher_received",
        Event::VoucherValidated { .. } => "voucher_validated",
        Event::VoucherReserved { .. } => "voucher_reserved",
        Event::VoucherRescheduled { .. } => "voucher_rescheduled",
        Event::ReservationCancelled { .. } => "reservation_cancelled",
        Event::ReportDraftSaved { .. } => "report_draft_saved",
        Event::ReportSubmitted { .. } => "report_submitted",
        Event::VoucherRedeemed { .. } => "voucher_redeemed",
        Event::SavbRegistered { .. } => "savb_registered",
        Event::PaymentRequested { .. } => "payment_requested",
        Event::PaymentRecorded { .. } => "payment_recorded",
        Event::MpnRenewed { .. } => "mpn_renewed",
    }
}

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
