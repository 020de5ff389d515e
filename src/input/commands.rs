//! One entry per command of the `saps exec` contract: its name, the fields it
//! accepts, and how they become a [`Command`]. Fields are read in the
//! contract's order, so the first bad field is the one reported.

use super::Fields;
use crate::domain::command::Reserve;
use crate::domain::event::ProfilePatch;
use crate::domain::records::ReportFields;
use crate::domain::{Command, Rejection};

type Build = fn(&Fields) -> Result<Command, Rejection>;

/// A command's name, its fields (required and optional) and its builder.
pub struct Spec {
    pub name: &'static str,
    pub fields: &'static [&'static str],
    pub build: Build,
}

const fn spec(name: &'static str, fields: &'static [&'static str], build: Build) -> Spec {
    Spec { name, fields, build }
}

/// Every command, in the contract's order.
pub const SPECS: &[Spec] = &[
    spec(
        "init_partner",
        &["name", "mpn_id", "mpn_expires", "admin_name", "admin_email"],
        init_partner,
    ),
    spec("add_user", &["email", "name", "role"], add_user),
    spec("add_location", &["location_id", "country"], add_location),
    spec(
        "add_competency",
        &["competency", "level", "expires"],
        add_competency,
    ),
    spec(
        "record_exam",
        &["consultant", "exam", "competency", "passed_on"],
        record_exam,
    ),
    spec(
        "enroll",
        &["offering", "accept_agreement", "policies_reviewed"],
        enroll,
    ),
    spec("update_profile", PROFILE_FIELDS, update_profile),
    spec("publish_profile", &[], |_| Ok(Command::PublishProfile)),
    spec(
        "add_customer",
        &["licensing_id", "name", "planning_days", "agreement_expires"],
        add_customer,
    ),
    spec("receive_voucher", RECEIVE_FIELDS, receive_voucher),
    spec(
        "validate_voucher",
        &["voucher_id", "admin_email"],
        validate_voucher,
    ),
    spec("reserve_voucher", RESERVE_FIELDS, reserve_voucher),
    spec("reschedule", &["voucher_id", "start", "end"], reschedule),
    spec(
        "cancel_reservation",
        &["voucher_id", "reason"],
        cancel_reservation,
    ),
    spec("save_report_draft", REPORT_FIELDS, save_report_draft),
    spec("submit_report", &["voucher_id"], |f| {
        Ok(Command::SubmitReport {
            voucher_id: f.str("voucher_id")?,
        })
    }),
    spec("redeem", &["voucher_ids"], |f| {
        Ok(Command::Redeem {
            voucher_ids: f.str_list("voucher_ids")?,
        })
    }),
    spec("register_savb", &["offering"], |f| {
        Ok(Command::RegisterSavb {
            offering: f.str("offering")?,
        })
    }),
    spec(
        "request_payment",
        &["voucher_id", "invoice_number", "location_id"],
        request_payment,
    ),
    spec(
        "record_payment",
        &["voucher_id", "outcome", "reference", "reason"],
        record_payment,
    ),
];

/// The command called `name` (exact spelling).
pub fn find(name: &str) -> Option<&'static Spec> {
    SPECS.iter().find(|s| s.name == name)
}

const PROFILE_FIELDS: &[&str] = &[
    "description",
    "website",
    "linkedin",
    "industries",
    "products",
    "services",
    "target_size",
    "locations",
];

const RECEIVE_FIELDS: &[&str] = &[
    "voucher_id",
    "customer",
    "offering",
    "days",
    "created_on",
    "admin_email",
];

const RESERVE_FIELDS: &[&str] = &[
    "voucher_id",
    "admin_email",
    "engagement",
    "location_id",
    "country",
    "start",
    "end",
    "consultants",
    "accept_terms",
    "distinct_scope",
];

const REPORT_FIELDS: &[&str] = &[
    "voucher_id",
    "delivered_start",
    "delivered_end",
    "onsite_days",
    "offsite_days",
    "walk_on_hours",
    "deliverable_kind",
    "deliverable_path",
    "summary",
    "next_steps",
    "customer_contact",
    "customer_accepted",
];

fn init_partner(f: &Fields) -> Result<Command, Rejection> {
    Ok(Command::InitPartner {
        name: f.str("name")?,
        mpn_id: f.str("mpn_id")?,
        mpn_expires: f.date("mpn_expires")?,
        admin_name: f.str("admin_name")?,
        admin_email: f.str("admin_email")?,
    })
}

fn add_user(f: &Fields) -> Result<Command, Rejection> {
    Ok(Command::AddUser {
        email: f.str("email")?,
        name: f.str("name")?,
        role: f.role("role")?,
    })
}

fn add_location(f: &Fields) -> Result<Command, Rejection> {
    Ok(Command::AddLocation {
        location_id: f.str("location_id")?,
        country: f.str("country")?,
    })
}

fn add_competency(f: &Fields) -> Result<Command, Rejection> {
    Ok(Command::AddCompetency {
        competency: f.str("competency")?,
        level: f.level("level")?,
        expires: f.date("expires")?,
    })
}

fn record_exam(f: &Fields) -> Result<Command, Rejection> {
    Ok(Command::RecordExam {
        consultant: f.str("consultant")?,
        exam: f.str("exam")?,
        competency: f.str("competency")?,
        passed_on: f.date("passed_on")?,
    })
}

fn enroll(f: &Fields) -> Result<Command, Rejection> {
    Ok(Command::Enroll {
        offering: f.str("offering")?,
        accept_agreement: f.bool("accept_agreement")?,
        policies_reviewed: f.bool("policies_reviewed")?,
    })
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
    Ok(Command::AddCustomer {
        licensing_id: f.str("licensing_id")?,
        name: f.str("name")?,
        planning_days: f.int("planning_days")?,
        agreement_expires: f.date("agreement_expires")?,
    })
}

fn receive_voucher(f: &Fields) -> Result<Command, Rejection> {
    Ok(Command::ReceiveVoucher {
        voucher_id: f.str("voucher_id")?,
        customer: f.str("customer")?,
        offering: f.str("offering")?,
        days: f.int("days")?,
        created_on: f.date("created_on")?,
        admin_email: f.str("admin_email")?,
    })
}

fn validate_voucher(f: &Fields) -> Result<Command, Rejection> {
    Ok(Command::ValidateVoucher {
        voucher_id: f.str("voucher_id")?,
        admin_email: f.str("admin_email")?,
    })
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
    Ok(Command::Reschedule {
        voucher_id: f.str("voucher_id")?,
        start: f.date("start")?,
        end: f.date("end")?,
    })
}

fn cancel_reservation(f: &Fields) -> Result<Command, Rejection> {
    Ok(Command::CancelReservation {
        voucher_id: f.str("voucher_id")?,
        reason: f.str("reason")?,
    })
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
    Ok(Command::SaveReportDraft { voucher_id, fields })
}

fn request_payment(f: &Fields) -> Result<Command, Rejection> {
    Ok(Command::RequestPayment {
        voucher_id: f.str("voucher_id")?,
        invoice_number: f.str("invoice_number")?,
        location_id: f.opt_str("location_id")?,
    })
}

fn record_payment(f: &Fields) -> Result<Command, Rejection> {
    Ok(Command::RecordPayment {
        voucher_id: f.str("voucher_id")?,
        outcome: f.outcome("outcome")?,
        reference: f.str("reference")?,
        reason: f.opt_str("reason")?,
    })
}
