//! Commands: what a user asks for, already well-typed but not yet checked
//! against any rule. One variant per command of the `saps exec` contract,
//! and the field's two imports (`saps packet import`, `saps bundle import`).

use super::catalog::Level;
use super::event::ProfilePatch;
use super::records::{Customer, Outcome, Partner, ReportFields, Reservation, Role, User, Voucher};
use chrono::{DateTime, NaiveDate, Utc};

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
    /// A field database takes an engagement packet (see `rules::field`).
    ImportPacket(Box<PacketRecords>),
    /// The office takes a consultant's completion-report bundle.
    ImportBundle(Box<BundleReport>),
}

/// What an engagement packet carries into a field database: the records the
/// consultant needs, as the office holds them.
#[derive(Debug, Clone, PartialEq)]
pub struct PacketRecords {
    pub partner: Partner,
    /// The consultant the packet is for.
    pub consultant: User,
    pub customer: Customer,
    /// The voucher with its reservation and any report draft.
    pub voucher: Voucher,
    /// When the office made this packet.
    pub made_at: DateTime<Utc>,
    /// When the office made the packet of this voucher that the field
    /// database took last (`None`: none, or not recorded).
    pub held_made_at: Option<DateTime<Utc>>,
}

/// A completion report coming back from the field.
#[derive(Debug, Clone, PartialEq)]
pub struct BundleReport {
    pub voucher_id: String,
    /// The partner the bundle says it belongs to.
    pub mpn_id: String,
    /// The consultant who wrote it.
    pub consultant: String,
    /// The report's fields, the deliverable's copy already checked and kept.
    pub fields: ReportFields,
    /// When the consultant submitted it in the field; `None` for a draft.
    pub submitted_at: Option<DateTime<Utc>>,
    /// The reservation the report was written against (the field
    /// database's); `None` in bundles made before saps carried it.
    pub reservation: Option<Reservation>,
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
            ImportPacket(_) => "import_packet",
            ImportBundle(_) => "import_bundle",
        }
    }
}
