//! The program's rules, one file per step. This module holds the checks every
//! step shares: who may act, finding things, voucher state, input shapes.

pub mod bundle;
pub mod eligibility;
pub mod enrollment;
pub mod field;
pub mod intake;
pub mod partner;
pub mod payment;
pub mod profile;
pub mod report;
pub mod reserve;

use super::Ctx;
use super::catalog::Offering;
use super::nearest::nearest;
use super::program::VOUCHER_ID_LEN;
use super::records::{Partner, Stage, User, Voucher};
use super::rejection::{Code, Decision, Rejection, shorten};
use super::state::{State, Status, voucher_key};

pub fn initialized(state: &State) -> Decision<&Partner> {
    state
        .org
        .partner
        .as_ref()
        .ok_or_else(|| Rejection::rule(Code::NotInitialized, "no partner yet: run init_partner first"))
}

pub fn acting_user<'s>(state: &'s State, ctx: &Ctx) -> Decision<&'s User> {
    let Some(email) = ctx.actor else {
        return Err(Rejection::field(
            Code::Unauthorized,
            "as",
            "no acting user: give --as EMAIL or \"as\" on the line",
        ));
    };
    state.user(email).ok_or_else(|| {
        Rejection::field(
            Code::Unauthorized,
            "as",
            format!("{} is not a user of this partner", shorten(email)),
        )
    })
}

/// Admins may act on any engagement; a consultant only on one it is named on.
pub fn require_on_engagement(user: &User, v: &Voucher, action: &str) -> Decision<()> {
    if user.role.is_admin() || v.names_consultant(&user.email) {
        return Ok(());
    }
    Err(Rejection::rule(
        Code::Unauthorized,
        format!(
            "{} is not named on the engagement of voucher {}, so may not {action}",
            user.email, v.voucher_id
        ),
    ))
}

/// A required text field: trimmed, not empty.
pub fn text(field: &'static str, value: &str) -> Decision<String> {
    let t = value.trim();
    if t.is_empty() {
        return Err(Rejection::field(Code::InvalidInput, field, "is empty"));
    }
    Ok(t.to_string())
}

pub use crate::domain::email::email;

/// A Microsoft Partner Network id: trimmed, digits only (as Partner Center
/// issues them, e.g. 1234567).
pub fn mpn_id(field: &'static str, value: &str) -> Decision<String> {
    let id = text(field, value)?;
    if id.chars().all(|c| c.is_ascii_digit()) {
        return Ok(id);
    }
    Err(Rejection::field(
        Code::InvalidInput,
        field,
        format!(
            "{:?} is not an MPN id: digits only (e.g. 1234567)",
            shorten(value)
        ),
    ))
}

/// A voucher id: trimmed, upper-cased, 6 to 32 of A-Z 0-9 and '-'.
pub fn voucher_id(field: &'static str, value: &str) -> Decision<String> {
    let id = voucher_key(value);
    let chars_ok = id
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
    if chars_ok && VOUCHER_ID_LEN.contains(&id.chars().count()) {
        return Ok(id);
    }
    Err(Rejection::field(
        Code::InvalidInput,
        field,
        format!(
            "{:?} is not a voucher id (6 to 32 letters, digits or '-')",
            shorten(value)
        ),
    ))
}

/// An ISO 3166 alpha-2 country code, upper-cased.
pub fn country(field: &'static str, value: &str) -> Decision<String> {
    let c = value.trim().to_ascii_uppercase();
    if c.len() == 2 && c.chars().all(|ch| ch.is_ascii_uppercase()) {
        return Ok(c);
    }
    Err(Rejection::field(
        Code::InvalidInput,
        field,
        format!("{:?} is not a two-letter country code (ISO 3166)", shorten(value)),
    ))
}

pub fn offering<'c>(ctx: &Ctx<'c>, field: &'static str, value: &str) -> Decision<&'c Offering> {
    ctx.catalog.offering(value).ok_or_else(|| {
        let known: Vec<&str> = ctx.catalog.offerings.iter().map(|o| o.code.as_str()).collect();
        Rejection::field(
            Code::InvalidInput,
            field,
            format!(
                "unknown offering {:?} (known: {})",
                shorten(value),
                known.join(", ")
            ),
        )
    })
}

/// A competency the catalog knows, in the catalog's spelling; an unknown
/// name is refused with the nearest known one.
pub fn competency(ctx: &Ctx, field: &'static str, value: &str) -> Decision<String> {
    let name = text(field, value)?;
    if let Some(known) = ctx.catalog.competency_name(&name) {
        return Ok(known.to_string());
    }
    let names = ctx.catalog.competency_names();
    let hint = match nearest(&name, names.iter().copied()) {
        Some(best) => format!("did you mean {best}?"),
        None => format!("known: {}", names.join(", ")),
    };
    Err(Rejection::field(
        Code::InvalidInput,
        field,
        format!("{:?} is not a competency of the catalog; {hint}", shorten(&name)),
    ))
}

pub fn find_voucher<'s>(state: &'s State, id: &str) -> Decision<&'s Voucher> {
    state
        .vouchers
        .get(id)
        .ok_or_else(|| Rejection::field(Code::NotFound, "voucher_id", format!("no voucher {id}")))
}

/// The voucher is not expired and is at one of `allowed` stages.
pub fn expect_stage(v: &Voucher, ctx: &Ctx, allowed: &[Stage], action: &str) -> Decision<()> {
    let status = v.status(ctx.today());
    if status == Status::Expired {
        return Err(Rejection::field(
            Code::VoucherExpired,
            "voucher_id",
            format!("voucher {} expired on {}", v.voucher_id, v.expires_on()),
        ));
    }
    if allowed.contains(&v.stage) {
        return Ok(());
    }
    let want: Vec<&str> = allowed.iter().map(|s| stage_name(*s)).collect();
    Err(Rejection::field(
        Code::InvalidTransition,
        "voucher_id",
        format!(
            "voucher {} is {}; to {action} it must be {}",
            v.voucher_id,
            status.as_str(),
            want.join(" or ")
        ),
    ))
}

pub fn stage_name(s: Stage) -> &'static str {
    Status::from(s).as_str()
}
