//! Commands: what a user asks for, already well-typed but not yet checked
//! against any rule. One variant per command of the `saps exec` contract.

use super::catalog::Level;
use super::event::ProfilePatch;
use super::records::{Outcome, ReportFields, Role};
use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    InitPartner {
        name: String,
        mpn_id: String,
        mpn_expires: NaiveDate,
        admin_name: String,
        admin_email: String,
    },
    AddUser {
        email: String,
        name: String,
        role: Role,
    },
    AddLocation {
        location_id: String,
        country: String,
    },
    AddCompetency {
        competency: String,
        level: Level,
        expires: NaiveDate,
    },
    RecordExam {
        consultant: String,
        exam: String,
        competency: String,
        passed_on: NaiveDate,
    },
    Enroll {
        offering: String,
        accept_agreement: bool,
        policies_reviewed: bool,
    },
    UpdateProfile(ProfilePatch),
    PublishProfile,
    AddCustomer {
        licensing_id: String,
        name: String,
        planning_days: i64,
        agreement_expires: NaiveDate,
    },
    ReceiveVoucher {
        voucher_id: String,
        customer: String,
        offering: String,
        days: i64,
        created_on: NaiveDate,
        admin_email: String,
    },
    ValidateVoucher {
        voucher_id: String,
        admin_email: String,
    },
    ReserveVoucher(Reserve),
    Reschedule {
        voucher_id: String,
        start: NaiveDate,
        end: NaiveDate,
    },
    CancelReservation {
        voucher_id: String,
        reason: String,
    },
    SaveReportDraft {
        voucher_id: String,
        fields: ReportFields,
    },
    SubmitReport {
        voucher_id: String,
    },
    Redeem {
        voucher_ids: Vec<String>,
    },
    RegisterSavb {
        offering: String,
    },
    RequestPayment {
        voucher_id: String,
        invoice_number: String,
        location_id: Option<String>,
    },
    RecordPayment {
        voucher_id: String,
        outcome: Outcome,
        reference: String,
        reason: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Reserve {
    pub voucher_id: String,
    pub admin_email: String,
    pub engagement: String,
    pub location_id: String,
    pub country: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub consultants: Vec<String>,
    pub accept_terms: bool,
    pub distinct_scope: Option<String>,
}

impl Command {
    /// The contract's name for this command (`saps exec`'s `cmd`).
    pub fn name(&self) -> &'static str {
        use Command::*;
        match self {
            InitPartner { .. } => "init_partner",
            AddUser { .. } => "add_user",
            AddLocation { .. } => "add_location",
            AddCompetency { .. } => "add_competency",
            RecordExam { .. } => "record_exam",
            Enroll { .. } => "enroll",
            UpdateProfile(_) => "update_profile",
            PublishProfile => "publish_profile",
            AddCustomer { .. } => "add_customer",
            ReceiveVoucher { .. } => "receive_voucher",
            ValidateVoucher { .. } => "validate_voucher",
            ReserveVoucher(_) => "reserve_voucher",
            Reschedule { .. } => "reschedule",
            CancelReservation { .. } => "cancel_reservation",
            SaveReportDraft { .. } => "save_report_draft",
            SubmitReport { .. } => "submit_report",
            Redeem { .. } => "redeem",
            RegisterSavb { .. } => "register_savb",
            RequestPayment { .. } => "request_payment",
            RecordPayment { .. } => "record_payment",
        }
    }
}
