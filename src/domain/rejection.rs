//! Why a command was refused: a stable code, the field or rule, a sentence.

use std::fmt;

macro_rules! codes {
    ($($variant:ident => $s:literal),* $(,)?) => {
        /// The contract's rejection codes (stable, snake_case).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $($variant),* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $s),* }
            }
        }
    };
}

codes! {
    Malformed => "malformed",
    InvalidInput => "invalid_input",
    Unauthorized => "unauthorized",
    NotFound => "not_found",
    AlreadyExists => "already_exists",
    AlreadyInitialized => "already_initialized",
    NotInitialized => "not_initialized",
    NotEligible => "not_eligible",
    ConsultantNotQualified => "consultant_not_qualified",
    NotEnrolled => "not_enrolled",
    AlreadyEnrolled => "already_enrolled",
    MpnExpired => "mpn_expired",
    InvalidDays => "invalid_days",
    InsufficientDays => "insufficient_days",
    VoucherExpired => "voucher_expired",
    AdminEmailMismatch => "admin_email_mismatch",
    InvalidTransition => "invalid_transition",
    EngagementNotInOffering => "engagement_not_in_offering",
    CountryMismatch => "country_mismatch",
    ReserveAfterStart => "reserve_after_start",
    BeyondExpiry => "beyond_expiry",
    TermsNotAccepted => "terms_not_accepted",
    Repeat15Day => "repeat_15_day",
    TooLong => "too_long",
    TooManyLocations => "too_many_locations",
    OffsiteLimit => "offsite_limit",
    WalkOnLimit => "walk_on_limit",
    ReportIncomplete => "report_incomplete",
    EngagementNotFinished => "engagement_not_finished",
    ReportMissing => "report_missing",
    NothingRedeemed => "nothing_redeemed",
    SavbNotRegistered => "savb_not_registered",
    InvoiceWindowClosed => "invoice_window_closed",
    DuplicateInvoice => "duplicate_invoice",
    NoRate => "no_rate",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A refusal. `field` names the input field the rule is about, when there is
/// one, so a form can show the message beside it; the message names it too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub code: Code,
    pub field: Option<&'static str>,
    pub message: String,
}

impl Rejection {
    /// A refusal about one field; the message is prefixed with its name.
    pub fn field(code: Code, field: &'static str, message: impl fmt::Display) -> Rejection {
        Rejection {
            code,
            field: Some(field),
            message: format!("{field}: {message}"),
        }
    }

    /// A refusal about a rule rather than one field.
    pub fn rule(code: Code, message: impl Into<String>) -> Rejection {
        Rejection {
            code,
            field: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for Rejection {}

/// At most 40 characters of `s`, for quoting a typed value in a message
/// (every echoed value goes through it, so a pasted page stays one line).
pub fn shorten(s: &str) -> String {
    const MAX: usize = 40;
    match s.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s.to_string(),
    }
}

/// The result of deciding a command.
pub type Decision<T> = Result<T, Rejection>;
