//! Who may run which command: the roles table of domain.md, in one place.
//! `decide` checks it before a command's own rules; the screens ask it to
//! show an action as unavailable, with the reason, instead of hiding it.

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

/// The roles that may run `cmd` (a contract command name), and what it does
/// in words. Unknown names are admin-only.
pub fn who(cmd: &str) -> (Who, &'static str) {
    match cmd {
        "add_user" => (Who::GlobalAdmin, "add users"),
        "register_savb" => (Who::GlobalAdmin, "register offerings in SAVB"),
        "record_exam" => (Who::AdminsOrOwn, "record exams"),
        "save_report_draft" => (Who::AdminsOrOwn, "write the completion report"),
        "submit_report" => (Who::AdminsOrOwn, "submit the completion report"),
        "import_bundle" => (Who::AdminsOrOwn, "import a completion-report bundle"),
        // The field hand-off's other files (the desk asks before offering them).
        "export_bundle" => (Who::AdminsOrOwn, "send a completion-report bundle"),
        "import_packet" => (Who::AdminsOrOwn, "import an engagement packet"),
        "export_packet" => (Who::Admins, "hand engagements out in packets"),
        "add_location" => (Who::Admins, "add locations"),
        "add_competency" => (Who::Admins, "record competencies"),
        "enroll" => (Who::Admins, "enroll"),
        "update_profile" => (Who::Admins, "edit the business profile"),
        "publish_profile" => (Who::Admins, "publish the business profile"),
        "add_customer" => (Who::Admins, "add customers"),
        "receive_voucher" => (Who::Admins, "record vouchers"),
        "validate_voucher" => (Who::Admins, "validate vouchers"),
        "reserve_voucher" => (Who::Admins, "reserve vouchers"),
        "reschedule" => (Who::Admins, "reschedule engagements"),
        "cancel_reservation" => (Who::Admins, "cancel reservations"),
        "redeem" => (Who::Admins, "redeem vouchers"),
        "request_payment" => (Who::Admins, "request payment"),
        "record_payment" => (Who::Admins, "record payments"),
        _ => (Who::Admins, "do this"),
    }
}

/// Whether `role` may run `cmd` at all; `Err` says why not.
pub fn role_may(role: Role, cmd: &str) -> Result<(), String> {
    let (who, action) = who(cmd);
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
pub fn check(user: &User, cmd: &str) -> Result<(), Rejection> {
    role_may(user.role, cmd)
        .map_err(|why| Rejection::rule(Code::Unauthorized, format!("{}: {why}", user.email)))
}
