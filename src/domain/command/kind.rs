//! Which command, without its fields: the key of the permission table, the
//! desk's forms and the `saps exec` parser. A command's contract name is
//! spelled once, here; everything else names the kind, so a misspelt name
//! does not compile.

/// The kinds and their contract names, in the contract's order (the field's
/// imports last): one list, from which the enum, [`CommandKind::ALL`] and
/// [`CommandKind::name`] are made.
macro_rules! kinds {
    ($($kind:ident => $name:literal,)*) => {
        /// One kind per [`Command`](super::Command) variant.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum CommandKind {
            $($kind,)*
        }

        impl CommandKind {
            /// Every kind, in the contract's order (the field's imports last).
            pub const ALL: [CommandKind; [$(stringify!($kind)),*].len()] =
                [$(CommandKind::$kind,)*];

            /// The contract's snake_case name (`saps exec`'s `cmd`).
            pub const fn name(self) -> &'static str {
                match self {
                    $(CommandKind::$kind => $name,)*
                }
            }
        }
    };
}

kinds! {
    InitPartner => "init_partner",
    AddUser => "add_user",
    AddLocation => "add_location",
    AddCompetency => "add_competency",
    RenewMpn => "renew_mpn",
    RecordExam => "record_exam",
    Enroll => "enroll",
    UpdateProfile => "update_profile",
    PublishProfile => "publish_profile",
    AddCustomer => "add_customer",
    ReceiveVoucher => "receive_voucher",
    ValidateVoucher => "validate_voucher",
    ReserveVoucher => "reserve_voucher",
    Reschedule => "reschedule",
    CancelReservation => "cancel_reservation",
    SaveReportDraft => "save_report_draft",
    SubmitReport => "submit_report",
    Redeem => "redeem",
    RegisterSavb => "register_savb",
    RequestPayment => "request_payment",
    RecordPayment => "record_payment",
    ImportPacket => "import_packet",
    ImportBundle => "import_bundle",
}

impl CommandKind {
    /// The kind called `name` (exact spelling).
    pub fn parse(name: &str) -> Option<CommandKind> {
        CommandKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// What the permission table rules on: every command, and the desk's
/// actions that are not commands (the field hand-off's outgoing files, the
/// backup, the spreadsheet and calendar files).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Run(CommandKind),
    /// Write engagement packets for the field (`saps packet export`).
    ExportPacket,
    /// Write a completion-report bundle for the office (`saps bundle export`).
    ExportBundle,
    /// Back up the open database.
    Backup,
    /// Write the Excel workbook (`saps export --format xlsx`).
    ExportXlsx,
    /// Write the deadline calendar (`saps export --format ics`).
    ExportIcs,
    /// Take customers and vouchers in from a spreadsheet (`saps import`).
    ImportSheet,
    /// Write the desk's voucher list in view to a file.
    ExportList,
}

impl Action {
    /// The action's snake_case name (a command's contract name).
    pub const fn name(self) -> &'static str {
        match self {
            Action::Run(k) => k.name(),
            Action::ExportPacket => "export_packet",
            Action::ExportBundle => "export_bundle",
            Action::Backup => "backup",
            Action::ExportXlsx => "export_xlsx",
            Action::ExportIcs => "export_ics",
            Action::ImportSheet => "import_sheet",
            Action::ExportList => "export_list",
        }
    }

    /// The command this action runs, if it is one.
    pub const fn command(self) -> Option<CommandKind> {
        match self {
            Action::Run(k) => Some(k),
            _ => None,
        }
    }
}

impl From<CommandKind> for Action {
    fn from(k: CommandKind) -> Action {
        Action::Run(k)
    }
}
