//! The open deadlines a calendar shows: each a day with what falls on it.
//! Pure: the day they are seen from comes in as `today`.
//!
//! A deadline is *open* when its day is today or later. Its day is the last
//! day something can still be done (an expiry date is the first day it no
//! longer can, so the last day is the one before), or the first day of a
//! window (enrollment renewal).

use super::dates::add_days;
use super::records::{Org, Stage, Voucher};
use super::rules::enrollment::renewal_opens;
use chrono::NaiveDate;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// An unredeemed voucher's last valid day: redeem before it ends.
    VoucherExpiry,
    /// A redeemed (or denied) voucher's last day to request payment.
    PaymentWindow,
    /// The first day an enrollment can be renewed.
    RenewalOpens,
    /// An enrollment's last day.
    EnrollmentEnds,
    /// A competency's last day.
    CompetencyEnds,
    /// The MPN membership's last day.
    MpnEnds,
}

impl Kind {
    /// A stable word for the kind (part of every calendar UID).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::VoucherExpiry => "voucher-expiry",
            Kind::PaymentWindow => "payment-window",
            Kind::RenewalOpens => "renewal-opens",
            Kind::EnrollmentEnds => "enrollment-ends",
            Kind::CompetencyEnds => "competency-ends",
            Kind::MpnEnds => "mpn-ends",
        }
    }
}

/// One open deadline: its kind, its day, and what it is about (a voucher
/// id, an offering code, a competency's name, the MPN id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    pub kind: Kind,
    pub day: NaiveDate,
    pub subject: String,
}

/// The voucher's open deadline on `today`, if it has one: the last day to
/// redeem (assigned, reserved, delivered, not expired), or the last day to
/// request payment (redeemed, or denied and still inside the 60 days).
pub fn of_voucher(v: &Voucher, today: NaiveDate) -> Option<Deadline> {
    let (kind, day) = match (v.stage, &v.redemption) {
        (Stage::Assigned | Stage::Reserved | Stage::Delivered, _) => {
            (Kind::VoucherExpiry, add_days(v.expires_on(), -1))
        }
        (Stage::Redeemed | Stage::Denied, Some(r)) => (Kind::PaymentWindow, r.invoice_deadline),
        _ => return None,
    };
    (day >= today).then(|| Deadline {
        kind,
        day,
        subject: v.voucher_id.clone(),
    })
}

/// The organisation's open deadlines on `today`: each enrollment's renewal
/// opening and last day, each competency's and the MPN membership's last day.
pub fn of_org(org: &Org, today: NaiveDate) -> Vec<Deadline> {
    let mut out = Vec::new();
    let mut push = |kind, day: NaiveDate, subject: &str| {
        if day >= today {
            out.push(Deadline {
                kind,
                day,
                subject: subject.to_owned(),
            });
        }
    };
    if let Some(p) = &org.partner {
        push(Kind::MpnEnds, add_days(p.mpn_expires, -1), &p.mpn_id);
    }
    for (code, e) in &org.enrollments {
        push(Kind::RenewalOpens, renewal_opens(e), code);
        push(Kind::EnrollmentEnds, add_days(e.expires_on, -1), code);
    }
    for c in org.competencies.values() {
        push(Kind::CompetencyEnds, add_days(c.expires, -1), &c.competency);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::records::{Partner, Redemption};
    use chrono::{TimeZone, Utc};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn voucher(stage: Stage) -> Voucher {
        let mut v = Voucher::received(
            "V-000001".into(),
            "C".into(),
            "DDPS".into(),
            5,
            d(2026, 1, 1),
            "a@b.c".into(),
        );
        v.stage = stage;
        v
    }

    #[test]
    fn an_unredeemed_voucher_is_due_the_day_before_it_expires() {
        let v = voucher(Stage::Reserved);
        let due = of_voucher(&v, d(2026, 1, 2)).unwrap();
        assert_eq!((due.kind, due.day), (Kind::VoucherExpiry, d(2026, 6, 29)));
        assert_eq!(v.expires_on(), d(2026, 6, 30));
        assert!(of_voucher(&v, d(2026, 6, 29)).is_some());
        assert!(of_voucher(&v, d(2026, 6, 30)).is_none());
    }

    #[test]
    fn a_redeemed_or_denied_voucher_is_due_its_invoice_deadline() {
        for stage in [Stage::Redeemed, Stage::Denied] {
            let mut v = voucher(stage);
            v.redemption = Some(Redemption {
                redeemed_at: Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap(),
                invoice_deadline: d(2026, 4, 30),
            });
            let due = of_voucher(&v, d(2026, 4, 30)).unwrap();
            assert_eq!((due.kind, due.day), (Kind::PaymentWindow, d(2026, 4, 30)));
            assert!(of_voucher(&v, d(2026, 5, 1)).is_none());
        }
        for stage in [Stage::Invoiced, Stage::Paid] {
            assert!(of_voucher(&voucher(stage), d(2026, 1, 2)).is_none());
        }
    }

    #[test]
    fn the_org_deadlines_still_ahead() {
        let org = Org {
            partner: Some(Partner {
                name: "P".into(),
                mpn_id: "42".into(),
                mpn_expires: d(2027, 1, 1),
            }),
            ..Org::default()
        };
        let got = of_org(&org, d(2026, 12, 31));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].day, d(2026, 12, 31));
        assert!(of_org(&org, d(2027, 1, 1)).is_empty());
    }

    #[test]
    fn an_enrollment_shows_its_renewal_opening_then_its_last_day() {
        use crate::domain::records::Enrollment;
        let mut org = Org::default();
        let e = Enrollment {
            offering: "DDPS".into(),
            enrolled_on: d(2026, 1, 1),
            expires_on: d(2027, 1, 1),
        };
        org.enrollments.insert("DDPS".into(), e);
        let kinds = |today| -> Vec<(Kind, NaiveDate)> {
            of_org(&org, today).iter().map(|x| (x.kind, x.day)).collect()
        };
        assert_eq!(
            kinds(d(2026, 10, 3)),
            [
                (Kind::RenewalOpens, d(2026, 10, 3)),
                (Kind::EnrollmentEnds, d(2026, 12, 31))
            ]
        );
        assert_eq!(kinds(d(2026, 10, 4)), [(Kind::EnrollmentEnds, d(2026, 12, 31))]);
    }
}
