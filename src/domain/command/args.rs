//! Each command's fields, as its rule takes them (owned, already typed,
//! not yet checked). A [`Command`](super::Command) variant carries one, so
//! `decide` hands it to the rule as it is.

use crate::domain::catalog::Level;
use crate::domain::records::{Outcome, ReportFields, Role};
use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq)]
pub struct InitPartner {
    pub name: String,
    pub mpn_id: String,
    pub mpn_expires: NaiveDate,
    pub admin_name: String,
    pub admin_email: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AddUser {
    pub email: String,
    pub name: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AddLocation {
    pub location_id: String,
    pub country: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AddCompetency {
    pub competency: String,
    pub level: Level,
    pub expires: NaiveDate,
}

/// The partner's MPN membership runs to a later end.
#[derive(Debug, Clone, PartialEq)]
pub struct RenewMpn {
    pub mpn_expires: NaiveDate,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RecordExam {
    pub consultant: String,
    pub exam: String,
    pub competency: String,
    pub passed_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Enroll {
    pub offering: String,
    pub accept_agreement: bool,
    pub policies_reviewed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AddCustomer {
    pub licensing_id: String,
    pub name: String,
    pub planning_days: i64,
    pub agreement_expires: NaiveDate,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReceiveVoucher {
    pub voucher_id: String,
    pub customer: String,
    pub offering: String,
    pub days: i64,
    pub created_on: NaiveDate,
    pub admin_email: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidateVoucher {
    pub voucher_id: String,
    pub admin_email: String,
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

#[derive(Debug, Clone, PartialEq)]
pub struct Reschedule {
    pub voucher_id: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CancelReservation {
    pub voucher_id: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SaveReportDraft {
    pub voucher_id: String,
    pub fields: ReportFields,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SubmitReport {
    pub voucher_id: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Redeem {
    pub voucher_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RegisterSavb {
    pub offering: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestPayment {
    pub voucher_id: String,
    pub invoice_number: String,
    pub location_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RecordPayment {
    pub voucher_id: String,
    pub outcome: Outcome,
    pub reference: String,
    pub reason: Option<String>,
}
