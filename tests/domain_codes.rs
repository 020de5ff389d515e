//! Every rejection code (but `malformed`, the JSON layer's) reached through
//! `execute`, with the exact code and a message naming the field or rule.
//! `World::err` also checks that each refusal left the state unchanged.

mod common;

use common::*;
use saps::domain::catalog::Level;
use saps::domain::command::{Enroll, ReceiveVoucher};
use saps::domain::event::ProfilePatch;
use saps::domain::records::{Outcome, ReportFields, Role};
use saps::domain::{Catalog, Code, Command, Ctx};

/// The codes this file reaches; `every_code_is_covered` keeps it honest.
#[rustfmt::skip]
const COVERED: &[Code] = &[
    Code::NotInitialized, Code::AlreadyInitialized, Code::Unauthorized, Code::InvalidInput,
    Code::NotFound, Code::AlreadyExists, Code::NotEligible, Code::ConsultantNotQualified,
    Code::NotEnrolled, Code::AlreadyEnrolled, Code::MpnExpired, Code::TermsNotAccepted,
    Code::InvalidDays, Code::InsufficientDays, Code::VoucherExpired, Code::AdminEmailMismatch,
    Code::InvalidTransition, Code::EngagementNotInOffering, Code::CountryMismatch,
    Code::ReserveAfterStart, Code::BeyondExpiry, Code::Repeat15Day, Code::TooLong,
    Code::TooManyLocations, Code::ReportIncomplete, Code::EngagementNotFinished,
    Code::OffsiteLimit, Code::WalkOnLimit, Code::ReportMissing, Code::NothingRedeemed,
    Code::SavbNotRegistered, Code::InvoiceWindowClosed, Code::DuplicateInvoice, Code::NoRate,
];

const V: &str = "DDPS-0001";

fn profile(f: impl FnOnce(&mut ProfilePatch)) -> Command {
    let mut p = ProfilePatch::default();
    f(&mut p);
    Command::UpdateProfile(p)
}

#[test]
fn not_initialized_then_already_initialized() {
    let mut w = World::new();
    w.err(ADMIN, location_cmd("NYC", "US"))
        .is(Code::NotInitialized, "init_partner");
    // init_partner ignores the acting user: nobody exists yet.
    w.ok("whoever@elsewhere.test", init_cmd(day(700)));
    w.err(ADMIN, init_cmd(day(700)))
        .is(Code::AlreadyInitialized, "partner");
}

#[test]
fn unauthorized_by_user_and_role() {
    let mut w = World::setup_ready();
    let sea = || location_cmd("SEA", "US");
    w.err("nobody@contoso.test", sea()).is(Code::Unauthorized, "as");
    w.err(CONSULTANT, sea()).is(Code::Unauthorized, "admin");
    let add = add_user_cmd("new@contoso.test", Role::Consultant);
    w.err(PA, add).is(Code::Unauthorized, "global admin");
    let exam = exam_cmd(OTHER_CONSULTANT, COMPETENCY);
    w.err(CONSULTANT, exam).is(Code::Unauthorized, "consultant");
    w.received(V, 5);
    w.err(CONSULTANT, reserve_with(V, |_| {}))
        .is(Code::Unauthorized, "admin");
    // The role is checked before the input's shape.
    w.err(CONSULTANT, validate_cmd("x"))
        .is(Code::Unauthorized, "admin");
    let anonymous = Ctx {
        actor: None,
        ..w.ctx()
    };
    let r = saps::domain::execute(&mut w.state.clone(), &sea(), &anonymous);
    r.unwrap_err().is(Code::Unauthorized, "as");
}

#[test]
fn invalid_input_shapes() {
    let mut w = World::setup_ready();
    let bad_id = receive_cmd("AB1", CUSTOMER, 5, day(0));
    w.err(PA, bad_id).is(Code::InvalidInput, "voucher_id");
    for bad in ["ABCDE", "ABC_DEF", "ÄBCDEF", &"A".repeat(33)] {
        let cmd = receive_cmd(bad, CUSTOMER, 1, day(0));
        w.err(PA, cmd).is(Code::InvalidInput, "voucher_id");
    }
    let mut bad_email = receive_cmd(V, CUSTOMER, 5, day(0));
    if let Command::ReceiveVoucher(ReceiveVoucher { admin_email, .. }) = &mut bad_email {
        *admin_email = "not-an-email".into();
    }
    w.err(PA, bad_email).is(Code::InvalidInput, "admin_email");
    w.err(PA, receive_of("XYZPS")).is(Code::InvalidInput, "offering");
    w.err(PA, location_cmd("SEA", "USA"))
        .is(Code::InvalidInput, "country");
    // Ids are trimmed and upper-cased before the shape check.
    w.received(" ddps-0001 ", 5);
    assert!(w.state.vouchers.contains_key(V));
    let cmd = reserve_with(V, |r| r.engagement = "no-such-engagement".into());
    w.err(PA, cmd).is(Code::InvalidInput, "engagement");
}

#[test]
fn not_found_and_already_exists() {
    let mut w = World::setup_ready();
    w.err(PA, validate_cmd("DDPS-9999"))
        .is(Code::NotFound, "voucher_id");
    let cmd = receive_cmd(V, "LIC-404", 5, day(0));
    w.err(PA, cmd).is(Code::NotFound, "customer");
    w.received(V, 5);
    let cmd = reserve_with(V, |r| r.location_id = "MARS".into());
    w.err(PA, cmd).is(Code::NotFound, "location_id");
    let cmd = reserve_with(V, |r| r.consultants = vec!["ghost@contoso.test".into()]);
    w.err(PA, cmd).is(Code::NotFound, "consultants");
    let cmd = receive_cmd("ddps-0001", CUSTOMER, 1, day(0));
    w.err(PA, cmd).is(Code::AlreadyExists, "voucher_id");
    w.err(PA, location_cmd(LOCATION, "US"))
        .is(Code::AlreadyExists, "location_id");
    let cmd = add_user_cmd(&CONSULTANT.to_uppercase(), Role::Consultant);
    w.err(ADMIN, cmd).is(Code::AlreadyExists, "email");
    let cmd = customer_cmd(CUSTOMER, 5, day(900));
    w.err(PA, cmd).is(Code::AlreadyExists, "licensing_id");
}

#[test]
fn not_eligible_without_a_current_competency() {
    let mut w = World::setup_ready();
    w.received(V, 5);
    // enterprise-security-poc needs Enterprise Mobility Management.
    let cmd = reserve_with(V, |r| r.engagement = "enterprise-security-poc".into());
    w.err(PA, cmd).is(Code::NotEligible, "engagement");
    w.err(PA, enroll_cmd("SDPS")).is(Code::NotEligible, "offering");
    // A competency ends on its expiry date; add_competency renews it.
    w.ok(PA, competency_cmd(COMPETENCY, Level::Silver, day(10)));
    w.set_day(10);
    let cmd = reserve_with(V, |r| (r.start, r.end) = (day(10), day(10)));
    w.err(PA, cmd.clone()).is(Code::NotEligible, "engagement");
    w.ok(PA, competency_cmd(COMPETENCY, Level::Silver, day(400)));
    w.ok(PA, cmd);
}

#[test]
fn consultant_not_qualified_without_an_exam_of_a_held_competency() {
    let mut w = World::setup_ready();
    w.ok(ADMIN, add_user_cmd("cy@contoso.test", Role::Consultant));
    w.received(V, 5);
    let with_cy = |eng: &str| {
        reserve_with(V, |r| {
            r.engagement = eng.into();
            r.consultants.push("cy@contoso.test".into());
        })
    };
    w.err(PA, with_cy(ENGAGEMENT))
        .is(Code::ConsultantNotQualified, "cy@contoso.test");
    // An exam of a competency the partner does not hold does not count.
    let emm = exam_cmd("cy@contoso.test", "Enterprise Mobility Management");
    w.ok(PA, emm);
    let mobile = with_cy("mobile-productivity");
    w.err(PA, mobile).is(Code::ConsultantNotQualified, "consultants");
}

#[test]
fn not_enrolled_at_validate_and_reserve() {
    let mut w = World::setup_ready();
    w.ok(PA, receive_of("SDPS"));
    w.err(PA, validate_cmd("SDPS-0001")).is(Code::NotEnrolled, "SDPS");
    // The DDPS enrollment (day 0) ends on 2025-03-01 = day 365.
    w.set_day(300);
    w.received(V, 5);
    w.set_day(364);
    w.ok(PA, validate_cmd(V));
    w.set_day(365);
    w.err(PA, validate_cmd(V)).is(Code::NotEnrolled, "DDPS");
    let cmd = reserve_with(V, |r| (r.start, r.end) = (day(365), day(366)));
    w.err(PA, cmd).is(Code::NotEnrolled, "DDPS");
}

#[test]
fn already_enrolled_until_the_renewal_window() {
    let mut w = World::setup_ready();
    w.err(PA, enroll_cmd("DDPS"))
        .is(Code::AlreadyEnrolled, "offering");
    w.set_day(274); // renewal opens 90 days before day 365
    w.err(PA, enroll_cmd("DDPS")).is(Code::AlreadyEnrolled, "renewal");
    w.set_day(275);
    w.ok(PA, enroll_cmd("DDPS"));
    assert_eq!(w.state.org.enrollments["DDPS"].expires_on, date(2026, 3, 1));
}

#[test]
fn mpn_expired_at_enroll() {
    let mut w = World::new();
    w.ok(ADMIN, init_cmd(day(10)));
    w.ok(ADMIN, competency_cmd(COMPETENCY, Level::Gold, day(400)));
    w.ok(ADMIN, competency_cmd("Messaging", Level::Silver, day(400)));
    w.set_day(9);
    w.ok(ADMIN, enroll_cmd("DDPS"));
    w.set_day(10);
    w.err(ADMIN, enroll_cmd("SEDPS")).is(Code::MpnExpired, "MPN");
}

#[test]
fn terms_not_accepted_at_enroll_and_reserve() {
    let mut w = World::setup_ready();
    w.ok(PA, competency_cmd("Messaging", Level::Silver, day(400)));
    let enroll = |accept_agreement, policies_reviewed| {
        Command::Enroll(Enroll {
            offering: "S-EDPS".into(),
            accept_agreement,
            policies_reviewed,
        })
    };
    w.err(PA, enroll(true, false))
        .is(Code::TermsNotAccepted, "policies_reviewed");
    w.err(PA, enroll(false, true))
        .is(Code::TermsNotAccepted, "accept_agreement");
    w.ok(PA, enroll(true, true));
    w.received(V, 5);
    let cmd = reserve_with(V, |r| r.accept_terms = false);
    w.err(PA, cmd).is(Code::TermsNotAccepted, "accept_terms");
}

#[test]
fn invalid_and_insufficient_days() {
    let mut w = World::setup_ready();
    for bad in [0, 2, 4, 16, 20, -1] {
        let cmd = receive_cmd(V, CUSTOMER, bad, day(0));
        w.err(PA, cmd).is(Code::InvalidDays, "days");
    }
    for (i, days) in [15, 15, 10].into_iter().enumerate() {
        w.received(&format!("DDPS-000{i}"), days);
    }
    assert_eq!(w.remaining(CUSTOMER), 0);
    let cmd = receive_cmd("DDPS-0009", CUSTOMER, 1, day(0));
    w.err(PA, cmd).is(Code::InsufficientDays, "days");
}

#[test]
fn voucher_expired_wins_over_later_checks() {
    let mut w = World::setup_ready();
    w.set_day(179);
    let cmd = receive_cmd("DDPS-0000", CUSTOMER, 1, day(-1));
    w.err(PA, cmd).is(Code::VoucherExpired, "created_on");
    w.ok(PA, receive_cmd(V, CUSTOMER, 5, day(0)));
    w.set_day(180);
    let mismatched = validate_as(V, "someone@else.test");
    w.err(PA, mismatched).is(Code::VoucherExpired, "voucher_id");
    // An expired assigned voucher is expired before it is "not reserved".
    w.err(PA, cancel_cmd(V)).is(Code::VoucherExpired, "expired");
}

#[test]
fn admin_email_mismatch_and_invalid_transition() {
    let mut w = World::setup_ready();
    w.received(V, 5);
    let other = "other@fabrikam.test";
    w.err(PA, validate_as(V, other))
        .is(Code::AdminEmailMismatch, "admin_email");
    let cmd = reserve_with(V, |r| r.admin_email = other.into());
    w.err(PA, cmd).is(Code::AdminEmailMismatch, "admin_email");
    w.err(PA, cancel_cmd(V)).is(Code::InvalidTransition, "voucher_id");
    w.err(PA, submit_cmd(V)).is(Code::InvalidTransition, "assigned");
    w.ok(PA, reserve_with(V, |_| {}));
    let again = reserve_with(V, |_| {});
    w.err(PA, again).is(Code::InvalidTransition, "reserved");
    w.redeemed("DDPS-0002", 1);
    let redeem = redeem_cmd(&["DDPS-0002"]);
    w.err(PA, redeem).is(Code::InvalidTransition, "redeemed");
    let pay = record_cmd("DDPS-0002", Outcome::Paid);
    w.err(PA, pay).is(Code::InvalidTransition, "invoiced");
}

#[test]
fn reserve_rules() {
    let mut w = World::setup_ready();
    w.received(V, 5);
    let cmd = reserve_with(V, |r| r.engagement = "sharepoint-deployment".into());
    w.err(PA, cmd).is(Code::EngagementNotInOffering, "engagement");
    let cmd = reserve_with(V, |r| r.country = "CA".into());
    w.err(PA, cmd).is(Code::CountryMismatch, "location_id");
    w.set_day(1);
    let cmd = reserve_with(V, |r| r.end = day(3));
    w.err(PA, cmd).is(Code::ReserveAfterStart, "start");
    let cmd = reserve_with(V, |r| (r.start, r.end) = (day(175), day(180)));
    w.err(PA, cmd).is(Code::BeyondExpiry, "end");
    let cmd = reserve_with(V, |r| (r.start, r.end) = (day(175), day(179)));
    w.ok(PA, cmd);
    let to = |start, end| reschedule_cmd(V, start, end);
    w.err(PA, to(day(0), day(2))).is(Code::ReserveAfterStart, "start");
    w.err(PA, to(day(170), day(180))).is(Code::BeyondExpiry, "end");
}

#[test]
fn repeat_15_day_needs_a_distinct_scope() {
    let mut w = World::setup_ready();
    w.reserved(V, 15);
    w.received("DDPS-0002", 15);
    let cmd = reserve_with("DDPS-0002", |_| {});
    w.err(PA, cmd).is(Code::Repeat15Day, "distinct_scope");
    let blank = reserve_with("DDPS-0002", |r| r.distinct_scope = Some("  ".into()));
    w.err(PA, blank).is(Code::Repeat15Day, "distinct_scope");
    // Another engagement type is no repeat; a justified repeat is fine.
    let mobile = reserve_with("DDPS-0002", |r| r.engagement = "mobile-productivity".into());
    w.ok(PA, mobile);
    w.ok(PA, cancel_cmd("DDPS-0002"));
    let scoped = reserve_with("DDPS-0002", |r| r.distinct_scope = Some("EU division".into()));
    w.ok(PA, scoped);
}

#[test]
fn profile_limits() {
    let mut w = World::setup_ready();
    let long = profile(|p| p.description = Some("x".repeat(2501)));
    w.err(PA, long).is(Code::TooLong, "description");
    w.ok(PA, profile(|p| p.description = Some("é".repeat(2500))));
    let ids: Vec<String> = (1..=6).map(|i| format!("US-{i}")).collect();
    for id in &ids {
        w.ok(PA, location_cmd(id, "us"));
    }
    let six = profile(|p| p.locations = Some(ids.clone()));
    w.err(PA, six).is(Code::TooManyLocations, "locations");
    w.ok(PA, profile(|p| p.locations = Some(ids[..5].to_vec())));
}

#[test]
fn report_rules_at_submit() {
    let mut w = World::setup_ready();
    w.reserved(V, 5);
    w.err(CONSULTANT, submit_cmd(V))
        .is(Code::ReportIncomplete, "onsite_days");
    let good = full_report(5, day(0), day(0));
    let mut submit_with = |f: fn(&mut ReportFields)| {
        let mut fields = good.clone();
        f(&mut fields);
        w.ok(CONSULTANT, draft_cmd(V, fields));
        w.err(CONSULTANT, submit_cmd(V))
    };
    let r = submit_with(|f| f.customer_accepted = Some(false));
    r.is(Code::ReportIncomplete, "customer_accepted");
    let r = submit_with(|f| f.delivered_end = Some(day(1)));
    r.is(Code::EngagementNotFinished, "delivered_end");
    submit_with(|f| f.onsite_days = Some(4)).is(Code::InvalidInput, "onsite_days");
    let r = submit_with(|f| (f.onsite_days, f.offsite_days) = (Some(1), Some(4)));
    r.is(Code::OffsiteLimit, "offsite_days");
    let r = submit_with(|f| f.walk_on_hours = Some(4.5));
    r.is(Code::WalkOnLimit, "walk_on_hours");
    let r = submit_with(|f| f.deliverable_kind = Some("Poem".into()));
    r.is(Code::InvalidInput, "deliverable_kind");
    // Every unmet rule is listed; the first one's code wins.
    let r = submit_with(|f| {
        f.deliverable_path = Some(" ".into());
        (f.onsite_days, f.offsite_days, f.walk_on_hours) = (Some(2), Some(9), Some(5.0));
    });
    let r = r.is(Code::ReportIncomplete, "deliverable_path");
    for rule in ["onsite_days", "offsite_days", "walk_on_hours"] {
        assert!(r.message.contains(rule), "{:?} lacks {rule}", r.message);
    }
    let limits = ReportFields {
        walk_on_hours: Some(4.0),
        offsite_days: Some(3),
        onsite_days: Some(2),
        ..good
    };
    w.ok(CONSULTANT, draft_cmd(V, limits));
    w.ok(CONSULTANT, submit_cmd(V));
}

#[test]
fn report_missing_before_redeem() {
    let mut w = World::setup_ready();
    w.received(V, 1);
    w.err(PA, redeem_cmd(&[V])).is(Code::ReportMissing, "report");
    w.ok(PA, reserve_with(V, |_| {}));
    w.err(PA, redeem_cmd(&[V])).is(Code::ReportMissing, "report");
}

#[test]
fn savb_registration_and_payment_rules() {
    let mut w = World::setup_ready();
    w.err(ADMIN, savb_cmd()).is(Code::NothingRedeemed, "redeem");
    w.redeemed(V, 5);
    w.redeemed("DDPS-0002", 3);
    let cmd = request_cmd(V, "INV-1");
    w.err(PA, cmd).is(Code::SavbNotRegistered, "register_savb");
    w.err(PA, savb_cmd()).is(Code::Unauthorized, "global admin");
    w.ok(ADMIN, savb_cmd());
    w.err(ADMIN, savb_cmd()).is(Code::AlreadyExists, "offering");
    w.ok(PA, request_cmd(V, "inv-1"));
    let cmd = request_cmd("DDPS-0002", " INV-1 ");
    w.err(PA, cmd).is(Code::DuplicateInvoice, "invoice_number");
    w.ok(PA, location_cmd("TOR", "CA"));
    let from_ca = request_from("DDPS-0002", "INV-2", "TOR");
    w.err(PA, from_ca).is(Code::CountryMismatch, "location_id");
    // Redeemed on day 0: the last day to request payment is day 60.
    w.set_day(61);
    let cmd = request_cmd("DDPS-0002", "INV-2");
    w.err(PA, cmd.clone()).is(Code::InvoiceWindowClosed, "voucher_id");
    w.set_day(60);
    w.catalog.rates.remove("US");
    w.err(PA, cmd.clone()).is(Code::NoRate, "US");
    w.catalog = Catalog::builtin();
    w.ok(PA, cmd);
}

#[test]
fn rejections_leave_state_and_log_unchanged() {
    let mut w = World::setup_ready();
    w.reserved(V, 5);
    let (before, events) = (w.state.clone(), w.log.len());
    let refused = [
        (PA, redeem_cmd(&[V])),
        (PA, submit_cmd(V)),
        (CONSULTANT, location_cmd("SEA", "US")),
        (PA, receive_cmd("DDPS-0002", CUSTOMER, 50, day(0))),
        (ADMIN, init_cmd(day(9))),
    ];
    for (actor, cmd) in refused {
        assert!(w.run(actor, cmd).is_err());
        assert_eq!(w.state, before);
    }
    assert_eq!(w.log.len(), events);
}

#[test]
fn redeem_refusals_name_their_field() {
    let mut w = World::setup_ready();
    w.redeemed(V, 1);
    for id in ["DDPS-0404", V] {
        let r = w.err(PA, redeem_cmd(&[id]));
        assert_eq!(r.field, Some("voucher_ids"));
        assert!(r.message.starts_with("voucher_ids"), "{:?}", r.message);
    }
}

#[test]
fn every_code_is_covered() {
    for code in Code::ALL {
        if *code != Code::Malformed {
            assert!(COVERED.contains(code), "no test reaches {}", code.as_str());
        }
    }
}
