//! The records the program keeps: partner organisation, customers, vouchers.
//!
//! These are stored types (bincode through serde): no `skip_serializing_if`,
//! `flatten`, `untagged` or internally tagged enums here.

use super::catalog::Level;
use super::serde_time::{date, opt_date, opt_ts, ts};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    GlobalAdmin,
    PartnerAdmin,
    Consultant,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        match s.trim().to_ascii_lowercase().as_str() {
            "global_admin" => Some(Role::GlobalAdmin),
            "partner_admin" => Some(Role::PartnerAdmin),
            "consultant" => Some(Role::Consultant),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Role::GlobalAdmin => "global_admin",
            Role::PartnerAdmin => "partner_admin",
            Role::Consultant => "consultant",
        }
    }
    pub fn is_admin(self) -> bool {
        matches!(self, Role::GlobalAdmin | Role::PartnerAdmin)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Partner {
    pub name: String,
    pub mpn_id: String,
    #[serde(with = "date")]
    pub mpn_expires: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub email: String,
    pub name: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub location_id: String,
    pub country: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Competency {
    pub competency: String,
    pub level: Level,
    #[serde(with = "date")]
    pub expires: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exam {
    pub consultant: String,
    pub exam: String,
    pub competency: String,
    #[serde(with = "date")]
    pub passed_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Enrollment {
    pub offering: String,
    #[serde(with = "date")]
    pub enrolled_on: NaiveDate,
    #[serde(with = "date")]
    pub expires_on: NaiveDate,
}

/// The business profile's content (draft or published).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub description: String,
    pub website: String,
    pub linkedin: String,
    pub industries: Vec<String>,
    pub products: Vec<String>,
    pub services: Vec<String>,
    pub target_size: String,
    pub locations: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProfileState {
    pub draft: Profile,
    pub published: Option<Profile>,
    #[serde(with = "opt_ts")]
    pub published_at: Option<DateTime<Utc>>,
    /// Customers see the published profile from this instant on (24 hours).
    #[serde(with = "opt_ts")]
    pub visible_by: Option<DateTime<Utc>>,
}

/// Everything about the partner company itself: one small record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Org {
    pub partner: Option<Partner>,
    /// Keyed by lower-case email.
    pub users: BTreeMap<String, User>,
    pub locations: BTreeMap<String, Location>,
    /// Keyed by lower-case competency name.
    pub competencies: BTreeMap<String, Competency>,
    pub exams: Vec<Exam>,
    /// Keyed by offering code.
    pub enrollments: BTreeMap<String, Enrollment>,
    pub profile: ProfileState,
    /// Offerings registered in SAVB, with when.
    pub savb: BTreeMap<String, SavbRegistration>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavbRegistration {
    #[serde(with = "ts")]
    pub registered_at: DateTime<Utc>,
    pub registered_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    pub licensing_id: String,
    pub name: String,
    pub planning_days: u32,
    #[serde(with = "date")]
    pub agreement_expires: NaiveDate,
}

/// Where a voucher is on its way, as recorded by events. `Expired` is not a
/// stage: it is computed from the clock (see `Voucher::status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Assigned,
    Reserved,
    Delivered,
    Redeemed,
    Invoiced,
    Paid,
    Denied,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reservation {
    pub engagement: String,
    pub location_id: String,
    pub country: String,
    #[serde(with = "date")]
    pub start: NaiveDate,
    #[serde(with = "date")]
    pub end: NaiveDate,
    pub consultants: Vec<String>,
    pub distinct_scope: Option<String>,
}

/// The completion report's fields; every one may be missing in a draft.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportFields {
    #[serde(with = "opt_date")]
    pub delivered_start: Option<NaiveDate>,
    #[serde(with = "opt_date")]
    pub delivered_end: Option<NaiveDate>,
    pub onsite_days: Option<u32>,
    pub offsite_days: Option<u32>,
    pub walk_on_hours: Option<f64>,
    pub deliverable_kind: Option<String>,
    pub deliverable_path: Option<String>,
    pub summary: Option<String>,
    pub next_steps: Option<String>,
    pub customer_contact: Option<String>,
    pub customer_accepted: Option<bool>,
    /// The stored copy of the file `deliverable_path` named, when it named a
    /// readable file (set by whoever reads the file, never typed).
    pub deliverable: Option<Attachment>,
}

/// A file copied into saps's store, found there by its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// The original file name, without its directory.
    pub name: String,
    /// Lower-case hex SHA-256 of the content: the stored file's name.
    pub sha256: String,
    pub size: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub fields: ReportFields,
    #[serde(with = "opt_ts")]
    pub submitted_at: Option<DateTime<Utc>>,
    pub submitted_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Redemption {
    #[serde(with = "ts")]
    pub redeemed_at: DateTime<Utc>,
    /// Last day a payment request may be filed (redemption day + 60).
    #[serde(with = "date")]
    pub invoice_deadline: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Paid,
    Denied,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Payment {
    pub outcome: Outcome,
    pub reference: String,
    pub reason: Option<String>,
    #[serde(with = "ts")]
    pub recorded_at: DateTime<Utc>,
}

/// One payment request filed in SAVB, and Microsoft's answer once recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Invoice {
    pub invoice_number: String,
    pub location_id: String,
    pub country: String,
    pub amount: u64,
    pub currency: String,
    #[serde(with = "ts")]
    pub requested_at: DateTime<Utc>,
    pub payment: Option<Payment>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Voucher {
    pub voucher_id: String,
    pub customer: String,
    pub offering: String,
    pub days: u32,
    #[serde(with = "date")]
    pub created_on: NaiveDate,
    pub admin_email: String,
    pub stage: Stage,
    #[serde(with = "opt_ts")]
    pub validated_at: Option<DateTime<Utc>>,
    pub reservation: Option<Reservation>,
    pub report: Option<Report>,
    pub redemption: Option<Redemption>,
    /// Every payment request filed, oldest first; the last is the current one.
    pub invoices: Vec<Invoice>,
}

impl Voucher {
    /// A voucher as the customer forwarded it: assigned, nothing else yet.
    pub fn received(
        voucher_id: String,
        customer: String,
        offering: String,
        days: u32,
        created_on: NaiveDate,
        admin_email: String,
    ) -> Voucher {
        Voucher {
            voucher_id,
            customer,
            offering,
            days,
            created_on,
            admin_email,
            stage: Stage::Assigned,
            validated_at: None,
            reservation: None,
            report: None,
            redemption: None,
            invoices: Vec::new(),
        }
    }
}
