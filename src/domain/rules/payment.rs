//! Steps 7 and 8: redemption, SAVB registration, payment requests, and
//! Microsoft's answer.

use super::{expect_stage, find_voucher, offering, text, voucher_id};
use crate::domain::Ctx;
use crate::domain::command::{RecordPayment, Redeem, RegisterSavb, RequestPayment};
use crate::domain::dates::add_days;
use crate::domain::event::Event;
use crate::domain::program::INVOICE_WINDOW_DAYS;
use crate::domain::records::Stage;
use crate::domain::rejection::{Code, Decision, Rejection, shorten};
use crate::domain::state::{State, Status, invoice_key};

/// Redeems every voucher or none: each must have its report submitted and
/// not be expired.
pub fn redeem(state: &State, ctx: &Ctx, c: &Redeem) -> Decision<Vec<Event>> {
    let ids = &c.voucher_ids;
    if ids.is_empty() {
        return Err(Rejection::field(
            Code::InvalidInput,
            "voucher_ids",
            "name at least one voucher",
        ));
    }
    let mut keys: Vec<String> = Vec::new();
    for id in ids {
        let k = voucher_id("voucher_ids", id)?;
        if keys.contains(&k) {
            return Err(Rejection::field(
                Code::InvalidInput,
                "voucher_ids",
                format!("{} is named twice", shorten(&k)),
            ));
        }
        keys.push(k);
    }
    let vouchers = keys
        .iter()
        .map(|k| find_voucher(state, k).map_err(about_ids))
        .collect::<Decision<Vec<_>>>()?;
    let today = ctx.today();
    for v in &vouchers {
        if matches!(v.status(today), Status::Assigned | Status::Reserved) {
            return Err(Rejection::field(
                Code::ReportMissing,
                "voucher_ids",
                format!(
                    "voucher {}: the completion report has not been submitted",
                    v.voucher_id
                ),
            ));
        }
        expect_stage(v, ctx, &[Stage::Delivered], "redeem").map_err(about_ids)?;
    }
    let invoice_deadline = add_days(today, INVOICE_WINDOW_DAYS);
    Ok(vouchers
        .iter()
        .map(|v| Event::VoucherRedeemed {
            voucher_id: v.voucher_id.clone(),
            invoice_deadline,
        })
        .collect())
}

/// A refusal about one voucher of a redeem batch names the batch's field.
fn about_ids(r: Rejection) -> Rejection {
    let message = match r.message.strip_prefix("voucher_id: ") {
        Some(rest) => format!("voucher_ids: {rest}"),
        None => r.message,
    };
    Rejection {
        field: Some("voucher_ids"),
        message,
        ..r
    }
}

pub fn register_savb(state: &State, ctx: &Ctx, c: &RegisterSavb) -> Decision<Vec<Event>> {
    let offering_in = &c.offering;
    let code = offering(ctx, "offering", offering_in)?.code.clone();
    if state.org.savb.contains_key(&code) {
        return Err(Rejection::field(
            Code::AlreadyExists,
            "offering",
            format!("{code} is already registered in SAVB"),
        ));
    }
    let redeemed = state.redeemed_offerings.contains(&code);
    if !redeemed {
        return Err(Rejection::field(
            Code::NothingRedeemed,
            "offering",
            format!("SAVB registration needs one redeemed {code} voucher; redeem one first"),
        ));
    }
    Ok(vec![Event::SavbRegistered { offering: code }])
}

pub fn request_payment(state: &State, ctx: &Ctx, c: &RequestPayment) -> Decision<Vec<Event>> {
    let id = voucher_id("voucher_id", &c.voucher_id)?;
    let invoice_number = text("invoice_number", &c.invoice_number)?;
    let v = find_voucher(state, &id)?;
    let given = c.location_id.as_deref().map(str::trim).filter(|l| !l.is_empty());
    if let Some(l) = given
        && !state.org.locations.contains_key(l)
    {
        return Err(Rejection::field(
            Code::NotFound,
            "location_id",
            format!("no location {}", shorten(l)),
        ));
    }
    expect_stage(v, ctx, &[Stage::Redeemed, Stage::Denied], "request payment")?;
    let res = v.reservation.as_ref().ok_or_else(|| {
        Rejection::field(
            Code::InvalidTransition,
            "voucher_id",
            format!("voucher {id} has no reservation"),
        )
    })?;
    let location_id = given.unwrap_or(&res.location_id).to_string();
    let location_country = state.org.locations.get(&location_id).map(|l| l.country.as_str());
    if !state.org.savb.contains_key(&v.offering) {
        return Err(Rejection::rule(
            Code::SavbNotRegistered,
            format!(
                "{} is not registered in SAVB; a global admin must register it (register_savb)",
                v.offering
            ),
        ));
    }
    let deadline = v.redemption.as_ref().map_or(ctx.today(), |r| r.invoice_deadline);
    if ctx.today() > deadline {
        return Err(Rejection::field(
            Code::InvoiceWindowClosed,
            "voucher_id",
            format!("the 60 days to request payment for {id} ended on {deadline}"),
        ));
    }
    if let Some(other) = state.invoices.get(&invoice_key(&invoice_number)) {
        return Err(Rejection::field(
            Code::DuplicateInvoice,
            "invoice_number",
            format!(
                "{} was already used for voucher {other}",
                shorten(&invoice_number)
            ),
        ));
    }
    if location_country != Some(res.country.as_str()) {
        let place = location_country.map_or("unknown".to_string(), |c| format!("in {c}"));
        return Err(Rejection::field(
            Code::CountryMismatch,
            "location_id",
            format!(
                "invoicing location {} is {place}, the work was done in {}",
                shorten(&location_id),
                res.country
            ),
        ));
    }
    let rate = ctx.catalog.rate(&res.country).ok_or_else(|| {
        Rejection::rule(
            Code::NoRate,
            format!(
                "there is no day rate for {}, so it cannot be invoiced",
                res.country
            ),
        )
    })?;
    Ok(vec![Event::PaymentRequested {
        voucher_id: id,
        invoice_number,
        location_id,
        country: res.country.clone(),
        amount: rate.amount.saturating_mul(v.days as u64),
        currency: rate.currency.clone(),
    }])
}

pub fn record_payment(state: &State, ctx: &Ctx, c: &RecordPayment) -> Decision<Vec<Event>> {
    let id = voucher_id("voucher_id", &c.voucher_id)?;
    let reference = text("reference", &c.reference)?;
    let reason = c
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    let v = find_voucher(state, &id)?;
    expect_stage(v, ctx, &[Stage::Invoiced], "record a payment")?;
    Ok(vec![Event::PaymentRecorded {
        voucher_id: id,
        outcome: c.outcome,
        reference,
        reason,
    }])
}
