//! One sentence for each event: the desk's confirmations say what will
//! happen, its status bar what happened, its audit log and the workbook's
//! Audit sheet what has happened. Words only, from domain types: shared by
//! the desk (`ui`) and the exports, so neither imports the other.

use crate::domain::Event;
use crate::domain::records::Outcome;

/// 5500 -> "5,500".
pub fn money(amount: u64) -> String {
    let digits = amount.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn describe(e: &Event) -> String {
    match e {
        Event::PartnerInitialized { name, mpn_id, .. } => format!("partner {name} (MPN {mpn_id}) set up"),
        Event::MpnRenewed { mpn_expires } => format!("MPN membership renewed to {mpn_expires}"),
        Event::UserAdded { email, role, .. } => format!("user {email} added as {}", role.as_str()),
        Event::LocationAdded { location_id, country } => format!("location {location_id} in {country} added"),
        Event::CompetencyRecorded {
            competency,
            level,
            expires,
        } => {
            format!(
                "competency {competency} ({}) recorded, expires {expires}",
                level.as_str()
            )
        }
        Event::ExamRecorded {
            consultant,
            exam,
            competency,
            ..
        } => {
            format!("{consultant} passed {exam} ({competency})")
        }
        Event::Enrolled {
            offering, expires_on, ..
        } => format!("enrolled in {offering} until {expires_on}"),
        Event::ProfileUpdated { .. } => "business profile draft updated".into(),
        Event::ProfilePublished { visible_by } => {
            format!(
                "business profile published; customers see it by {}",
                visible_by.format("%Y-%m-%d %H:%M UTC")
            )
        }
        Event::CustomerAdded {
            licensing_id,
            name,
            planning_days,
            ..
        } => {
            format!("customer {name} ({licensing_id}) added with {planning_days} planning days")
        }
        Event::VoucherReceived {
            voucher_id,
            days,
            customer,
            ..
        } => {
            format!("voucher {voucher_id} ({days} days) recorded for {customer}")
        }
        Event::VoucherValidated { voucher_id } => format!("voucher {voucher_id} validated"),
        Event::VoucherReserved {
            voucher_id,
            reservation: r,
        } => {
            format!(
                "voucher {voucher_id} reserved for {} from {} to {} in {}",
                r.engagement, r.start, r.end, r.country
            )
        }
        Event::VoucherRescheduled {
            voucher_id,
            start,
            end,
        } => {
            format!("voucher {voucher_id} rescheduled to {start} – {end}")
        }
        Event::ReservationCancelled { voucher_id, reason } => {
            format!("reservation of {voucher_id} cancelled ({reason}); the voucher is assigned again")
        }
        Event::ReportDraftSaved { voucher_id, .. } => format!("report draft for {voucher_id} saved"),
        Event::ReportSubmitted { voucher_id } => format!("completion report for {voucher_id} submitted"),
        Event::VoucherRedeemed {
            voucher_id,
            invoice_deadline,
        } => {
            format!("voucher {voucher_id} redeemed; request payment by {invoice_deadline}")
        }
        Event::SavbRegistered { offering } => format!("{offering} registered in SAVB"),
        Event::PaymentRequested {
            voucher_id,
            invoice_number,
            amount,
            currency,
            location_id,
            country,
            ..
        } => {
            format!(
                "request {} {currency} for {voucher_id} (invoice {invoice_number}, from {location_id} in {country})",
                money(*amount)
            )
        }
        Event::PaymentRecorded {
            voucher_id,
            outcome,
            reference,
            reason,
        } => match outcome {
            Outcome::Paid => format!("payment for {voucher_id} recorded as paid ({reference})"),
            Outcome::Denied => format!(
                "payment for {voucher_id} recorded as denied ({reference}){}",
                reason.as_ref().map(|r| format!(": {r}")).unwrap_or_default()
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::money;

    #[test]
    fn money_groups_thousands() {
        assert_eq!(money(0), "0");
        assert_eq!(money(850), "850");
        assert_eq!(money(5500), "5,500");
        assert_eq!(money(2250000), "2,250,000");
    }
}
