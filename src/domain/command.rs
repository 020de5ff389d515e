//! Commands: what a user asks for, already well-typed but not yet checked
//! against any rule. One variant per command of the `saps exec` contract,
//! and the field's two imports (`saps packet import`, `saps bundle import`).
//! Each variant carries its fields as the rule takes them (`args`); its
//! [`CommandKind`] names it.

mod args;
mod kind;

pub use args::{
    AddCompetency, AddCustomer, AddLocation, AddUser, CancelReservation, Enroll, InitPartner, ReceiveVoucher,
    RecordExam, RecordPayment, Redeem, RegisterSavb, RenewMpn, RequestPayment, Reschedule, Reserve,
    SaveReportDraft, SubmitReport, ValidateVoucher,
};
pub use kind::{Action, CommandKind};

use super::event::ProfilePatch;
use super::records::{Customer, Partner, ReportFields, Reservation, User, Voucher};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    InitPartner(InitPartner),
    AddUser(AddUser),
    AddLocation(AddLocation),
    AddCompetency(AddCompetency),
    RenewMpn(RenewMpn),
    RecordExam(RecordExam),
    Enroll(Enroll),
    UpdateProfile(ProfilePatch),
    PublishProfile,
    AddCustomer(AddCustomer),
    ReceiveVoucher(ReceiveVoucher),
    ValidateVoucher(ValidateVoucher),
    ReserveVoucher(Reserve),
    Reschedule(Reschedule),
    CancelReservation(CancelReservation),
    SaveReportDraft(SaveReportDraft),
    SubmitReport(SubmitReport),
    Redeem(Redeem),
    RegisterSavb(RegisterSavb),
    RequestPayment(RequestPayment),
    RecordPayment(RecordPayment),
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
    /// The ids of the field database's events the report is: its last
    /// draft and, when submitted, its submission (`None` in bundles made
    /// before saps carried them). The office records the submission (a
    /// draft bundle: the draft) under the same id, so the same bundle is
    /// recognised by it wherever it is imported again.
    pub draft_id: Option<uuid::Uuid>,
    pub submit_id: Option<uuid::Uuid>,
    /// The log holds [`BundleReport::key_id`] already (the session looks it
    /// up): once the rules say who may import it where, it is already
    /// imported. Never from the file.
    pub recorded: bool,
}

impl BundleReport {
    /// The id the bundle's import is recorded under: the submission's, or
    /// a draft bundle's draft.
    pub fn key_id(&self) -> Option<uuid::Uuid> {
        match self.submitted_at {
            Some(_) => self.submit_id,
            None => self.draft_id,
        }
    }
}

impl Command {
    /// The id of an event this command carries from elsewhere (a field
    /// bundle's): when the log holds it, the command was applied before.
    pub fn carried_id(&self) -> Option<uuid::Uuid> {
        match self {
            Command::ImportBundle(b) => b.key_id(),
            _ => None,
        }
    }

    /// Which command this is.
    pub fn kind(&self) -> CommandKind {
        use CommandKind as K;
        match self {
            Command::InitPartner(_) => K::InitPartner,
            Command::AddUser(_) => K::AddUser,
            Command::AddLocation(_) => K::AddLocation,
            Command::AddCompetency(_) => K::AddCompetency,
            Command::RenewMpn(_) => K::RenewMpn,
            Command::RecordExam(_) => K::RecordExam,
            Command::Enroll(_) => K::Enroll,
            Command::UpdateProfile(_) => K::UpdateProfile,
            Command::PublishProfile => K::PublishProfile,
            Command::AddCustomer(_) => K::AddCustomer,
            Command::ReceiveVoucher(_) => K::ReceiveVoucher,
            Command::ValidateVoucher(_) => K::ValidateVoucher,
            Command::ReserveVoucher(_) => K::ReserveVoucher,
            Command::Reschedule(_) => K::Reschedule,
            Command::CancelReservation(_) => K::CancelReservation,
            Command::SaveReportDraft(_) => K::SaveReportDraft,
            Command::SubmitReport(_) => K::SubmitReport,
            Command::Redeem(_) => K::Redeem,
            Command::RegisterSavb(_) => K::RegisterSavb,
            Command::RequestPayment(_) => K::RequestPayment,
            Command::RecordPayment(_) => K::RecordPayment,
            Command::ImportPacket(_) => K::ImportPacket,
            Command::ImportBundle(_) => K::ImportBundle,
        }
    }

    /// The contract's name for this command (`saps exec`'s `cmd`).
    pub fn name(&self) -> &'static str {
        self.kind().name()
    }
}
