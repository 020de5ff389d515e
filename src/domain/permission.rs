//! Who may run which command: the roles table of domain.md, in one place.
//! `decide` checks it before a command's own rules; the screens ask it to
//! show an action as unavailable, with the reason, instead of hiding it.

use super::command::{Action, CommandKind};
use super::records::{Role, User};
use super::rejection::{Code, Rejection};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// Global admins only.
    GlobalAdmin,
    /// Global and partner admins.
    Admins,
    /// Admins, and consultants for their own records (their exams, the
    /// reports of engagements they are named on); the rule checks which.
    AdminsOrOwn,
}

/// The roles that may take `action`, and what it does in words.
pub fn who(action: Action) -> (Who, &'static str) {
    use CommandKind as K;
    let k = match action {
        // The field hand-off's other files (the desk asks before offering them).
        Action::ExportBundle => return (Who::AdminsOrOwn, "send a completion-report bundle"),
        Action::ExportPacket => return (Who::Admins, "hand engagements out in packets"),
        Action::Backup => return (Who::Admins, "back up the database"),
        Action::ExportXlsx => return (Who::Admins, "export the Excel workbook"),
        Action::ExportIcs => return (Who::Admins, "export the deadline calendar"),
        // Its rows are add_customer and receive_voucher, each checked again.
        Action::ImportSheet => return (Who::Admins, "import a spreadsheet"),
        // What the user is shown anyway, written down.
        Action::ExportList => return (Who::AdminsOrOwn, "write the list in view to a file"),
        Action::Run(k) => k,
    };
    match k {
        K::InitPartner => (Who::Admins, "set up the partner"),
        K::AddUser => (Who::GlobalAdmin, "add users"),
        K::RegisterSavb => (Who::GlobalAdmin, "register offerings in SAVB"),
        K::RecordExam => (Who::AdminsOrOwn, "record exams"),
        K::SaveReportDraft => (Who::AdminsOrOwn, "write the completion report"),
        K::SubmitReport => (Who::AdminsOrOwn, "submit the completion report"),
        K::ImportBundle => (Who::AdminsOrOwn, "import a completion-report bundle"),
        K::ImportPacket => (Who::AdminsOrOwn, "import an engagement packet"),
        K::AddLocation => (Who::Admins, "add locations"),
        K::AddCompetency => (Who::Admins, "record competencies"),
        K::RenewMpn => (Who::Admins, "renew the MPN membership"),
        K::Enroll => (Who::Admins, "enroll"),
        K::UpdateProfile => (Who::Admins, "edit the business profile"),
        K::PublishProfile => (Who::Admins, "publish the business profile"),
        K::AddCustomer => (Who::Admins, "add customers"),
        K::ReceiveVoucher => (Who::Admins, "record vouchers"),
        K::ValidateVoucher => (Who::Admins, "validate vouchers"),
        K::ReserveVoucher => (Who::Admins, "reserve vouchers"),
        K::Reschedule => (Who::Admins, "reschedule engagements"),
        K::CancelReservation => (Who::Admins, "cancel reservations"),
        K::Redeem => (Who::Admins, "redeem vouchers"),
        K::RequestPayment => (Who::Admins, "request payment"),
        K::RecordPayment => (Who::Admins, "record payments"),
    }
}

/// Whether `role` may take `action` at all; `Err` says why not.
pub fn role_may(role: Role, action: impl Into<Action>) -> Result<(), String> {
    let (who, action) = who(action.into());
    let ok = match who {
        Who::GlobalAdmin => role == Role::GlobalAdmin,
        Who::Admins => role.is_admin(),
        Who::AdminsOrOwn => true,
    };
    if ok {
        return Ok(());
    }
    let allowed = if who == Who::GlobalAdmin {
        "a global admin"
    } else {
        "a global or partner admin"
    };
    Err(format!(
        "only {allowed} may {action}; this user is a {}",
        role.as_str()
    ))
}

/// `role_may` as a rejection naming the user.
pub fn check(user: &User, action: impl Into<Action>) -> Result<(), Rejection> {
    role_may(user.role, action)
        .map_err(|why| Rejection::rule(Code::Unauthorized, format!("{}: {why}", user.email)))
}
