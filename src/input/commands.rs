//! One entry per command of the `saps exec` contract, keyed by its
//! [`CommandKind`]: the fields it accepts (required or not), and how they
//! become a [`Command`]. Fields are read in the contract's order, so the
//! first bad field is the one reported.

use super::Fields;
use crate::domain::command::{
    AddCompetency, AddCustomer, AddLocation, AddUser, CancelReservation, CommandKind, Enroll, InitPartner,
    ReceiveVoucher, RecordExam, RecordPayment, Redeem, RegisterSavb, RenewMpn, RequestPayment, Reschedule,
    Reserve, SaveReportDraft, SubmitReport, ValidateVoucher,
};
use crate::domain::event::ProfilePatch;
use crate::domain::records::ReportFields;
use crate::domain::{Command, Rejection};

type Build = fn(&Fields) -> Result<Command, Rejection>;

/// A field of a command line: its contract name and whether a line must
/// carry it (the builder reads a required field with `str`, `date`...,
/// an optional one with `opt_str`, `opt_date`...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub required: bool,
}

const fn r(name: &'static str) -> Field {
    Field { name, required: true }
}

const fn o(name: &'static str) -> Field {
    Field {
        name,
        required: false,
    }
}

/// A command's kind, its fields and its builder.
pub struct Spec {
    pub kind: CommandKind,
    pub fields: &'static [Field],
    pub build: Build,
}

impl Spec {
    /// The contract's name (`cmd`).
    pub fn name(&self) -> &'static str {
        self.kind.name()
    }

    /// Whether `key` is one of the command's fields.
    pub fn has(&self, key: &str) -> bool {
        self.fields.iter().any(|f| f.name == key)
    }
}

/// The parser of `kind`'s lines; `None` for the field's imports, which
/// come from files (`saps packet import`, `saps bundle import`), not lines.
pub fn spec(kind: CommandKind) -> Option<Spec> {
    use CommandKind as K;
    let (fields, build): (&'static [Field], Build) = match kind {
        K::InitPartner => (
            const {
                &[
                    r("name"),
                    r("mpn_id"),
                    r("mpn_expires"),
                    r("admin_name"),
                    r("admin_email"),
                ]
            },
            init_partner,
        ),
        K::AddUser => (const { &[r("email"), r("name"), r("role")] }, add_user),
        K::AddLocation => (const { &[r("location_id"), r("country")] }, add_location),
        K::AddCompetency => (
            const { &[r("competency"), r("level"), r("expires")] },
            add_competency,
        ),
        K::RenewMpn => (const { &[r("mpn_expires")] }, |f| {
            Ok(Command::RenewMpn(RenewMpn {
                mpn_expires: f.date("mpn_expires")?,
            }))
        }),
        K::RecordExam => (
            const { &[r("consultant"), r("exam"), r("competency"), r("passed_on")] },
            record_exam,
        ),
        K::Enroll => (
            const { &[r("offering"), r("accept_agreement"), r("policies_reviewed")] },
            enroll,
        ),
        K::UpdateProfile => (PROFILE_FIELDS, update_profile),
        K::PublishProfile => (&[], |_| Ok(Command::PublishProfile)),
        K::AddCustomer => (
            const {
                &[
                    r("licensing_id"),
                    r("name"),
                    r("planning_days"),
                    r("agreement_expires"),
                ]
            },
            add_customer,
        ),
        K::ReceiveVoucher => (RECEIVE_FIELDS, receive_voucher),
        K::ValidateVoucher => (const { &[r("voucher_id"), r("admin_email")] }, validate_voucher),
        K::ReserveVoucher => (RESERVE_FIELDS, reserve_voucher),
        K::Reschedule => (const { &[r("voucher_id"), r("start"), r("end")] }, reschedule),
        K::CancelReservation => (const { &[r("voucher_id"), r("reason")] }, cancel_reservation),
        K::SaveReportDraft => (REPORT_FIELDS, save_report_draft),
        K::SubmitReport => (const { &[r("voucher_id")] }, |f| {
            Ok(Command::SubmitReport(SubmitReport {
                voucher_id: f.str("voucher_id")?,
            }))
        }),
        K::Redeem => (const { &[r("voucher_ids")] }, |f| {
            Ok(Command::Redeem(Redeem {
                voucher_ids: f.str_list("voucher_ids")?,
            }))
        }),
        K::RegisterSavb => (const { &[r("offering")] }, |f| {
            Ok(Command::RegisterSavb(RegisterSavb {
                offering: f.str("offering")?,
            }))
        }),
        K::RequestPayment => (
            const { &[r("voucher_id"), r("invoice_number"), o("location_id")] },
            request_payment,
        ),
        K::RecordPayment => (
            const { &[r("voucher_id"), r("outcome"), r("reference"), o("reason")] },
            record_payment,
        ),
        K::ImportPacket | K::ImportBundle => return None,
    };
    Some(Spec { kind, fields, build })
}

/// Every command of `saps exec`, in the contract's order.
pub fn specs() -> impl Iterator<Item = Spec> {
    CommandKind::ALL.into_iter().filter_map(spec)
}

const PROFILE_FIELDS: &[Field] = &[
    o("description"),
    o("website"),
    o("linkedin"),
    o("industries"),
    o("products"),
    o("services"),
    o("target_size"),
    o("locations"),
];

const RECEIVE_FIELDS: &[Field] = &[
    r("voucher_id"),
    r("customer"),
    r("offering"),
    r("days"),
    r("created_on"),
    r("admin_email"),
];

const RESERVE_FIELDS: &[Field] = &[
    r("voucher_id"),
    r("admin_email"),
    r("engagement"),
    r("location_id"),
    r("country"),
    r("start"),
    r("end"),
    r("consultants"),
    r("accept_terms"),
    o("distinct_scope"),
];

const REPORT_FIELDS: &[Field] = &[
    r("voucher_id"),
    o("delivered_start"),
    o("delivered_end"),
    o("onsite_days"),
    o("offsite_days"),
    o("walk_on_hours"),
    o("deliverable_kind"),
    o("deliverable_path"),
    o("summary"),
    o("next_steps"),
    o("customer_contact"),
    o("customer_accepted"),
];

fn init_partner(f: &Fields) -> Result<Command, Rejection> {
    Ok(Command::InitPartner(InitPartner {
        name: f.str("name")?,
        mpn_id: f.str("mpn_id")?,
        mpn_expires: f.date("mpn_expires")?,
        admin_name: f.str("admin_name")?,
        admin_email: f.str("admin_email")?,
    }))
}

fn add_user(f: &Fields) -> Result<Command, Rejection> {
    Ok(Command::AddUser(AddUser {
        email: f.str("email")?,
        name: f.str("name")?,
        role: f.role("role")?,
    }))
}

fn add_location(f: &Fields) -> Result<Command, Rejection> {
    Ok(Command::AddLocation(AddLocation {
        location_id: f.str("location_id")?,
        country: f.str("country")?,
    }))
}

fn add_competency(f: &Fields) -> Result<Command, Rejection> {
    Ok(Command::AddCompetency(AddCompetency {
        competency: f.str("competency")?,
        level: f.level("level")?,
        expires: f.date("expires")?,
    }))
}

fn record_exam(f: &Fields) -> Result<Command, Rejection> {
    Ok(Command::RecordExam(RecordExam {
        consultant: f.str("consultant")?,
        exam: f.str("exam")?,
        competency: f.str("competency")?,
        passed_on: f.date("passed_on")?,
    }))
}

fn enroll(f: &Fields) -> Result<Command, Rejection> {
    Ok(Command::Enroll(Enroll {
        offering: f.str("offering")?,
        accept_agreement: f.bool("accept_agreement")?,
        policies_reviewed: f.bool("policies_reviewed")?,
    }))
}

fn update_profile(f: &Fields) -> Result<Command, Rejection> {
    Ok(Command::UpdateProfile(ProfilePatch {
        description: f.opt_str("description")?,
        website: f.opt_str("website")?,
        linkedin: f.opt_str("linkedin")?,
        industries: f.opt_str_list("industries")?,
        products: f.opt_str_list("products")?,
        services: f.opt_str_list("services")?,
        target_size: f.opt_str("target_size")?,
        locations: f.opt_str_list("locations")?,
    }))
}

fn add_customer(f: &Fields) -> Result<Command, Rejection> {
    Ok(Command::AddCustomer(AddCustomer {
        licensing_id: f.str("licensing_id")?,
        name: f.str("name")?,
        planning_days: f.int("planning_days")?,
        agreement_expires: f.date("agreement_expires")?,
    }))
}

fn receive_voucher(f: &Fields) -> Result<Command, Rejection> {
    Ok(Command::ReceiveVoucher(ReceiveVoucher {
        voucher_id: f.str("voucher_id")?,
        customer: f.str("customer")?,
        offering: f.str("offering")?,
        days: f.int("days")?,
        created_on: f.date("created_on")?,
        admin_email: f.str("admin_email")?,
    }))
}

fn validate_voucher(f: &Fields) -> Result<Command, Rejection> {
    Ok(Command::ValidateVoucher(ValidateVoucher {
        voucher_id: f.str("voucher_id")?,
        admin_email: f.str("admin_email")?,
    }))
}

fn reserve_voucher(f: &Fields) -> Result<Command, Rejection> {
    Ok(Command::ReserveVoucher(Reserve {
        voucher_id: f.str("voucher_id")?,
        admin_email: f.str("admin_email")?,
        engagement: f.str("engagement")?,
        location_id: f.str("location_id")?,
        country: f.str("country")?,
        start: f.date("start")?,
        end: f.date("end")?,
        consultants: f.str_list("consultants")?,
        accept_terms: f.bool("accept_terms")?,
        distinct_scope: f.opt_str("distinct_scope")?,
    }))
}

fn reschedule(f: &Fields) -> Result<Command, Rejection> {
    Ok(Command::Reschedule(Reschedule {
        voucher_id: f.str("voucher_id")?,
        start: f.date("start")?,
        end: f.date("end")?,
    }))
}

fn cancel_reservation(f: &Fields) -> Result<Command, Rejection> {
    Ok(Command::CancelReservation(CancelReservation {
        voucher_id: f.str("voucher_id")?,
        reason: f.str("reason")?,
    }))
}

fn save_report_draft(f: &Fields) -> Result<Command, Rejection> {
    let voucher_id = f.str("voucher_id")?;
    let fields = ReportFields {
        delivered_start: f.opt_date("delivered_start")?,
        delivered_end: f.opt_date("delivered_end")?,
        onsite_days: f.opt_u32("onsite_days")?,
        offsite_days: f.opt_u32("offsite_days")?,
        walk_on_hours: f.opt_f64("walk_on_hours")?,
        deliverable_kind: f.opt_str("deliverable_kind")?,
        deliverable_path: f.opt_str("deliverable_path")?,
        summary: f.opt_str("summary")?,
        next_steps: f.opt_str("next_steps")?,
        customer_contact: f.opt_str("customer_contact")?,
        customer_accepted: f.opt_bool("customer_accepted")?,
        // Filled by `saps exec` when the path names a readable file.
        deliverable: None,
    };
    Ok(Command::SaveReportDraft(SaveReportDraft { voucher_id, fields }))
}

fn request_payment(f: &Fields) -> Result<Command, Rejection> {
    Ok(Command::RequestPayment(RequestPayment {
        voucher_id: f.str("voucher_id")?,
        invoice_number: f.str("invoice_number")?,
        location_id: f.opt_str("location_id")?,
    }))
}

fn record_payment(f: &Fields) -> Result<Command, Rejection> {
    Ok(Command::RecordPayment(RecordPayment {
        voucher_id: f.str("voucher_id")?,
        outcome: f.outcome("outcome")?,
        reference: f.str("reference")?,
        reason: f.opt_str("reason")?,
    }))
}
