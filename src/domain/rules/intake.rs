//! Step 4: customers and the vouchers they send; step 5's validation.

use super::enrollment::require_enrolled;
use super::{email, expect_stage, find_voucher, offering, text, voucher_id};
use crate::domain::Ctx;
use crate::domain::command::{AddCustomer, ReceiveVoucher, ValidateVoucher};
use crate::domain::event::Event;
use crate::domain::program::SERVICE_LEVELS;
use crate::domain::records::{Stage, Voucher};
use crate::domain::rejection::{Code, Decision, Rejection, shorten};
use crate::domain::state::{State, voucher_expiry};

pub fn add_customer(state: &State, c: &AddCustomer) -> Decision<Vec<Event>> {
    let licensing_id = text("licensing_id", &c.licensing_id)?;
    let name = text("name", &c.name)?;
    let planning_days = u32::try_from(c.planning_days).map_err(|_| {
        Rejection::field(
            Code::InvalidInput,
            "planning_days",
            format!("{} is not a number of days", c.planning_days),
        )
    })?;
    if state.customers.contains_key(&licensing_id) {
        return Err(Rejection::field(
            Code::AlreadyExists,
            "licensing_id",
            format!("customer {} already exists", shorten(&licensing_id)),
        ));
    }
    Ok(vec![Event::CustomerAdded {
        licensing_id,
        name,
        planning_days,
        agreement_expires: c.agreement_expires,
    }])
}

pub fn receive_voucher(state: &State, ctx: &Ctx, c: &ReceiveVoucher) -> Decision<Vec<Event>> {
    let id = voucher_id("voucher_id", &c.voucher_id)?;
    let admin_email = email("admin_email", &c.admin_email)?;
    let offering = offering(ctx, "offering", &c.offering)?.code.clone();
    let customer = c.customer.trim();
    if !state.customers.contains_key(customer) {
        return Err(Rejection::field(
            Code::NotFound,
            "customer",
            format!("no customer {}; add it first", shorten(customer)),
        ));
    }
    if state.vouchers.contains_key(&id) {
        return Err(Rejection::field(
            Code::AlreadyExists,
            "voucher_id",
            format!("voucher {id} is already recorded"),
        ));
    }
    let days = u32::try_from(c.days)
        .ok()
        .filter(|d| SERVICE_LEVELS.contains(d))
        .ok_or_else(|| {
            Rejection::field(
                Code::InvalidDays,
                "days",
                format!("{} is not a service level (1, 3, 5, 10 or 15 days)", c.days),
            )
        })?;
    let today = ctx.today();
    if c.created_on > today {
        return Err(Rejection::field(
            Code::InvalidInput,
            "created_on",
            format!("{} is in the future", c.created_on),
        ));
    }
    let expires_on = voucher_expiry(c.created_on);
    if today >= expires_on {
        return Err(Rejection::field(
            Code::VoucherExpired,
            "created_on",
            format!("a voucher created on {} expired on {}", c.created_on, expires_on),
        ));
    }
    let remaining = state.remaining_days(customer, today).unwrap_or(0);
    if days > remaining {
        return Err(Rejection::field(
            Code::InsufficientDays,
            "days",
            format!(
                "customer {} has {remaining} planning days left, the voucher needs {days}",
                shorten(customer)
            ),
        ));
    }
    Ok(vec![Event::VoucherReceived {
        voucher_id: id,
        customer: customer.to_string(),
        offering,
        days,
        created_on: c.created_on,
        admin_email,
    }])
}

/// The voucher administrator's email matches the voucher's.
pub fn check_admin_email(v: &Voucher, given: &str) -> Decision<()> {
    if v.admin_email.eq_ignore_ascii_case(given.trim()) {
        return Ok(());
    }
    Err(Rejection::field(
        Code::AdminEmailMismatch,
        "admin_email",
        format!(
            "{} is not the voucher administrator of {}",
            shorten(given),
            v.voucher_id
        ),
    ))
}

pub fn validate_voucher(state: &State, ctx: &Ctx, c: &ValidateVoucher) -> Decision<Vec<Event>> {
    let (id, admin_email) = (&c.voucher_id, &c.admin_email);
    let id = voucher_id("voucher_id", id)?;
    let admin_email = email("admin_email", admin_email)?;
    let v = find_voucher(state, &id)?;
    expect_stage(v, ctx, &[Stage::Assigned], "validate")?;
    check_admin_email(v, &admin_email)?;
    require_enrolled(state, &v.offering, ctx.today())?;
    Ok(vec![Event::VoucherValidated { voucher_id: id }])
}
