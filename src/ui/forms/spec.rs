//! What each command's form asks for: one table, data not code. Field names
//! are the contract's, so a form's values become a `saps exec` line.

use crate::domain::command::{Action, CommandKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// Many lines of text (descriptions, summaries).
    Long,
    Date,
    /// A whole number.
    Int,
    /// Any number (hours).
    Number,
    /// Yes/no, toggled with Space.
    Bool,
    /// Comma-separated values, sent as a list.
    List,
    /// One of a fixed set, cycled with Space or ←/→.
    Choice(&'static [&'static str]),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub name: &'static str,
    pub label: &'static str,
    pub kind: Kind,
    pub required: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormSpec {
    /// The command the form runs, or the desk's own action.
    pub cmd: Action,
    pub title: &'static str,
    pub fields: &'static [FieldSpec],
    /// Irreversible: ask for confirmation, showing what will happen.
    pub confirm: bool,
}

const fn req(name: &'static str, label: &'static str, kind: Kind) -> FieldSpec {
    FieldSpec {
        name,
        label,
        kind,
        required: true,
    }
}

const fn opt(name: &'static str, label: &'static str, kind: Kind) -> FieldSpec {
    FieldSpec {
        name,
        label,
        kind,
        required: false,
    }
}

/// The form of a command.
const fn form(cmd: CommandKind, title: &'static str, fields: &'static [FieldSpec]) -> FormSpec {
    desk(Action::Run(cmd), title, fields)
}

/// The form of one of the desk's own actions (or of a command whose form
/// asks for a file rather than the command's fields).
const fn desk(cmd: Action, title: &'static str, fields: &'static [FieldSpec]) -> FormSpec {
    FormSpec {
        cmd,
        title,
        fields,
        confirm: false,
    }
}

const fn irreversible(cmd: CommandKind, title: &'static str, fields: &'static [FieldSpec]) -> FormSpec {
    FormSpec {
        cmd: Action::Run(cmd),
        title,
        fields,
        confirm: true,
    }
}

use CommandKind::*;
use Kind::*;

const ROLES: &[&str] = &["consultant", "partner_admin", "global_admin"];
const LEVELS: &[&str] = &["silver", "gold"];
const OUTCOMES: &[&str] = &["paid", "denied"];

pub const FORMS: &[FormSpec] = &[
    form(
        InitPartner,
        "Set up the partner",
        &[
            req("name", "Company name", Text),
            req("mpn_id", "MPN id", Text),
            req("mpn_expires", "MPN membership expires", Date),
            req("admin_name", "Your name", Text),
            req("admin_email", "Your email", Text),
        ],
    ),
    form(
        AddUser,
        "Add a user",
        &[
            req("email", "Email", Text),
            req("name", "Name", Text),
            req("role", "Role", Choice(ROLES)),
        ],
    ),
    form(
        AddLocation,
        "Add a location",
        &[
            req("location_id", "Location id", Text),
            req("country", "Country (ISO code)", Text),
        ],
    ),
    form(
        AddCompetency,
        "Record a competency",
        &[
            req("competency", "Competency", Text),
            req("level", "Level", Choice(LEVELS)),
            req("expires", "Expires", Date),
        ],
    ),
    form(
        RenewMpn,
        "Renew the MPN membership",
        &[req(
            "mpn_expires",
            "MPN membership now expires (later than today's end)",
            Date,
        )],
    ),
    form(
        RecordExam,
        "Record an exam",
        &[
            req("consultant", "Consultant email", Text),
            req("exam", "Exam or assessment", Text),
            req("competency", "Competency", Text),
            req("passed_on", "Passed on", Date),
        ],
    ),
    form(
        Enroll,
        "Enroll in an offering",
        &[
            req("offering", "Offering", Text),
            req("policies_reviewed", "I reviewed the program policies", Bool),
            req("accept_agreement", "I accept the program agreement", Bool),
        ],
    ),
    form(
        UpdateProfile,
        "Edit the business profile",
        &[
            opt("description", "Description (≤ 2,500 characters)", Long),
            opt("website", "Website", Text),
            opt("linkedin", "LinkedIn page", Text),
            opt("industries", "Industries", List),
            opt("products", "Products", List),
            opt("services", "Service types", List),
            opt("target_size", "Target customer size", Text),
            opt("locations", "Locations (ids)", List),
        ],
    ),
    form(PublishProfile, "Publish the business profile", &[]),
    form(
        AddCustomer,
        "Add a customer",
        &[
            req("licensing_id", "Licensing id", Text),
            req("name", "Name", Text),
            req("planning_days", "Planning days in the pool", Int),
            req("agreement_expires", "Agreement expires", Date),
        ],
    ),
    form(
        ReceiveVoucher,
        "Record a voucher",
        &[
            req("voucher_id", "Voucher id", Text),
            req("customer", "Customer", Text),
            req("offering", "Offering", Text),
            req("days", "Days (1, 3, 5, 10, 15)", Int),
            req("created_on", "Created on", Date),
            req("admin_email", "Voucher administrator email", Text),
        ],
    ),
    form(
        ValidateVoucher,
        "Validate a voucher",
        &[
            req("voucher_id", "Voucher id", Text),
            req("admin_email", "Voucher administrator email", Text),
        ],
    ),
    form(
        ReserveVoucher,
        "Reserve a voucher",
        &[
            req("voucher_id", "Voucher id", Text),
            req("admin_email", "Voucher administrator email", Text),
            req("engagement", "Engagement", Text),
            req("location_id", "Delivery location id", Text),
            req("country", "Delivery country", Text),
            req("start", "Start", Date),
            req("end", "End", Date),
            req("consultants", "Consultants", List),
            req("accept_terms", "I accept the terms", Bool),
            opt(
                "distinct_scope",
                "Justification for a repeat 15-day engagement",
                Long,
            ),
        ],
    ),
    form(
        Reschedule,
        "Reschedule an engagement",
        &[
            req("voucher_id", "Voucher id", Text),
            req("start", "New start", Date),
            req("end", "New end", Date),
        ],
    ),
    irreversible(
        CancelReservation,
        "Cancel a reservation",
        &[
            req("voucher_id", "Voucher id", Text),
            req("reason", "Reason", Text),
        ],
    ),
    form(
        SaveReportDraft,
        "Completion report (saved as you type)",
        &[
            req("voucher_id", "Voucher id", Text),
            opt("delivered_start", "First day delivered", Date),
            opt("delivered_end", "Last day delivered", Date),
            opt("onsite_days", "Days on site", Int),
            opt("offsite_days", "Days off site (≤ 3)", Int),
            opt("walk_on_hours", "Walk-on hours (≤ 4)", Number),
            opt("deliverable_kind", "Deliverable kind", Text),
            opt("deliverable_path", "Deliverable file", Text),
            opt("summary", "Summary", Long),
            opt("next_steps", "Next steps", Long),
            opt("customer_contact", "Customer contact", Text),
            opt("customer_accepted", "The customer accepted the deliverable", Bool),
        ],
    ),
    form(
        SubmitReport,
        "Submit the completion report",
        &[req("voucher_id", "Voucher id", Text)],
    ),
    irreversible(
        Redeem,
        "Redeem vouchers",
        &[req("voucher_ids", "Voucher ids", List)],
    ),
    form(
        RegisterSavb,
        "Register an offering in SAVB",
        &[req("offering", "Offering", Text)],
    ),
    irreversible(
        RequestPayment,
        "Request payment",
        &[
            req("voucher_id", "Voucher id", Text),
            req("invoice_number", "Invoice number", Text),
            opt(
                "location_id",
                "Invoicing location id (default: the delivery location)",
                Text,
            ),
        ],
    ),
    irreversible(
        RecordPayment,
        "Record Microsoft's answer",
        &[
            req("voucher_id", "Voucher id", Text),
            req("outcome", "Outcome", Choice(OUTCOMES)),
            req("reference", "Payment reference", Text),
            opt("reason", "Reason (for a denial)", Text),
        ],
    ),
    // Not a contract command: the desk's backup of the open database.
    desk(
        Action::Backup,
        "Back up the database",
        &[req("file", "Backup file (must not exist)", Text)],
    ),
    // Not contract commands: spreadsheets and calendars (`ui::sheets`).
    desk(
        Action::ExportXlsx,
        "Export to an Excel workbook",
        &[req("file", "Workbook file (replaced if it exists)", Text)],
    ),
    desk(
        Action::ExportIcs,
        "Export the deadlines to a calendar file",
        &[req("file", "Calendar file (.ics, replaced if it exists)", Text)],
    ),
    desk(
        Action::ImportSheet,
        "Import customers and vouchers from a spreadsheet",
        &[req(
            "file",
            "CSV or .xlsx file (checked before anything is written)",
            Text,
        )],
    ),
    // Not a contract command: the desk writes the voucher list in view.
    desk(
        Action::ExportList,
        "Write the list to a file",
        &[req("file", "File (.csv, .json or .xlsx, must not exist)", Text)],
    ),
    // Not contract commands: the field hand-off's files (`ui::field`).
    desk(
        Action::ExportPacket,
        "Engagement packet for the field",
        &[
            req("voucher_id", "Voucher id", Text),
            opt("consultant", "Consultant email", Text),
            req("file", "Packet file (must not exist)", Text),
        ],
    ),
    desk(
        Action::Run(ImportBundle),
        "Import a completion-report bundle",
        &[req("file", "Bundle file", Text)],
    ),
    desk(
        Action::ExportBundle,
        "Completion-report bundle for the office",
        &[
            req("voucher_id", "Voucher id", Text),
            req("file", "Bundle file (must not exist)", Text),
        ],
    ),
    desk(
        Action::Run(ImportPacket),
        "Import an engagement packet",
        &[req("file", "Packet file", Text)],
    ),
];

/// The form of `cmd`, if it has one.
pub fn form_spec(cmd: impl Into<Action>) -> Option<&'static FormSpec> {
    let cmd = cmd.into();
    FORMS.iter().find(|f| f.cmd == cmd)
}
