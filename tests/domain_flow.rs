//! Vouchers through the eight steps, through time, and through the side
//! roads: expiry, days going back to the pool, denial, cancellation,
//! consultants' reports, drafts, redeeming several vouchers at once.

mod common;

use common::*;
use saps::domain::catalog::Level;
use saps::domain::command::{RecordExam, RecordPayment};
use saps::domain::event::{Event, ProfilePatch};
use saps::domain::records::{Outcome, ReportFields};
use saps::domain::rules::eligibility::{self, EligibilityStatus};
use saps::domain::{Code, Command, Status};

const V: &str = "DDPS-0001";

fn reserve_on(w: &mut World, id: &str, start: i64, end: i64) {
    w.ok(PA, Command::ReserveVoucher(reserve(id, day(start), day(end))));
}

#[test]
fn one_voucher_through_all_eight_steps() {
    let mut w = World::setup_ready();
    // 1. Eligibility: the qualifying competency is held and examined.
    let eng = w.catalog.engagement(ENGAGEMENT).unwrap().clone();
    let checks = eligibility::checks(&w.state, &eng, w.today());
    assert_eq!(eligibility::status(&checks), EligibilityStatus::Active);
    let poc = w.catalog.engagement("enterprise-security-poc").unwrap().clone();
    let status = |w: &World| eligibility::status(&eligibility::checks(&w.state, &poc, w.today()));
    assert_eq!(status(&w), EligibilityStatus::NotStarted);
    w.ok(
        PA,
        competency_cmd("Enterprise Mobility Management", Level::Silver, day(400)),
    );
    assert_eq!(
        status(&w),
        EligibilityStatus::InProgress,
        "held, but nobody examined"
    );
    // 2. Enrolled for one year.
    assert_eq!(w.state.org.enrollments["DDPS"].expires_on, date(2025, 3, 1));
    // 3. Business profile, published and visible within 24 hours.
    let patch = ProfilePatch {
        description: Some("Windows deployment planning".into()),
        locations: Some(vec![LOCATION.into()]),
        ..Default::default()
    };
    w.ok(PA, Command::UpdateProfile(patch));
    w.ok(PA, Command::PublishProfile);
    let profile = &w.state.org.profile;
    assert_eq!(
        profile.published.as_ref().unwrap().locations,
        vec![LOCATION.to_string()]
    );
    assert_eq!(profile.visible_by, Some(w.now + chrono::Duration::hours(24)));
    // 4. The customer's voucher arrives.
    w.received(V, 10);
    assert_eq!((w.status(V), w.remaining(CUSTOMER)), (Status::Assigned, 30));
    assert_eq!(w.state.vouchers[V].expires_on(), day(180));
    // 5. Validate and reserve before the engagement starts.
    w.ok(PA, validate_cmd(V));
    assert_eq!(w.status(V), Status::Assigned);
    reserve_on(&mut w, V, 7, 9);
    assert_eq!((w.status(V), w.remaining(CUSTOMER)), (Status::Reserved, 30));
    // 6. Deliver, then the consultant files the report.
    w.set_day(9);
    let report = ReportFields {
        onsite_days: Some(8),
        offsite_days: Some(2),
        ..full_report(10, day(7), day(9))
    };
    w.ok(CONSULTANT, draft_cmd(V, report));
    w.ok(CONSULTANT, submit_cmd(V));
    assert_eq!((w.status(V), w.remaining(CUSTOMER)), (Status::Delivered, 30));
    // 7. Redeem: the 60-day invoice window opens.
    w.set_day(10);
    w.ok(PA, redeem_cmd(&[V]));
    assert_eq!((w.status(V), w.remaining(CUSTOMER)), (Status::Redeemed, 30));
    assert_eq!(
        w.state.vouchers[V].redemption.as_ref().unwrap().invoice_deadline,
        day(70)
    );
    // 8. SAVB registration, payment request, Microsoft pays.
    w.ok(ADMIN, savb_cmd());
    w.set_day(70);
    w.ok(PA, request_cmd(V, "INV-2024-001"));
    assert_eq!(w.status(V), Status::Invoiced);
    let inv = &w.state.vouchers[V].invoices[0];
    assert_eq!(
        (inv.amount, inv.currency.as_str(), inv.country.as_str()),
        (11_000, "USD", "US")
    );
    w.ok(PA, record_cmd(V, Outcome::Paid));
    assert_eq!((w.status(V), w.remaining(CUSTOMER)), (Status::Paid, 30));
    // Paid stays paid long after the voucher's 180 days.
    w.set_day(1000);
    assert_eq!(w.status(V), Status::Paid);
}

#[test]
fn enrolling_needs_a_competency_but_no_exam() {
    let mut w = World::new();
    w.ok(ADMIN, init_cmd(day(700)));
    let emm = competency_cmd("Enterprise Mobility Management", Level::Silver, day(300));
    w.ok(ADMIN, emm);
    w.ok(ADMIN, enroll_cmd("ddps"));
    assert!(w.state.org.enrollments.contains_key("DDPS"));
    // The level counts: SQL Server's engagements need Gold.
    w.ok(ADMIN, competency_cmd("data platform", Level::Silver, day(300)));
    assert_eq!(w.err(ADMIN, enroll_cmd("SSDPS")).code, Code::NotEligible);
    w.ok(ADMIN, competency_cmd("Data Platform", Level::Gold, day(300)));
    w.ok(ADMIN, enroll_cmd("SSDPS"));
}

#[test]
fn expiry_is_a_function_of_the_clock() {
    let mut w = World::setup_ready();
    w.received("DDPS-0001", 1);
    reserve_on(&mut w, "DDPS-0001", 100, 101);
    w.received("DDPS-0002", 1);
    w.delivered("DDPS-0003", 1);
    w.redeemed("DDPS-0004", 1);
    let (state, events) = (w.state.clone(), w.log.len());
    w.set_day(179);
    assert_eq!(w.status("DDPS-0001"), Status::Reserved);
    assert_eq!(w.status("DDPS-0002"), Status::Assigned);
    assert_eq!(w.status("DDPS-0003"), Status::Delivered);
    w.set_day(180);
    for id in ["DDPS-0001", "DDPS-0002", "DDPS-0003"] {
        assert_eq!(w.status(id), Status::Expired, "{id}");
    }
    assert_eq!(w.status("DDPS-0004"), Status::Redeemed);
    assert_eq!((&w.state, w.log.len()), (&state, events), "expiry needs no event");
    let r = w.err(PA, redeem_cmd(&["DDPS-0003"]));
    assert_eq!(r.code, Code::VoucherExpired);
}

#[test]
fn expired_days_return_only_while_the_agreement_runs() {
    let mut w = World::setup_ready();
    // Vouchers created on day 0 expire on day 180.
    w.ok(PA, customer_cmd("LIC-A", 20, day(181)));
    w.ok(PA, customer_cmd("LIC-B", 20, day(180)));
    for c in ["LIC-A", "LIC-B"] {
        w.ok(PA, receive_cmd(&format!("{c}-V1"), c, 10, day(0)));
    }
    w.set_day(179);
    assert_eq!((w.remaining("LIC-A"), w.remaining("LIC-B")), (10, 10));
    w.set_day(180);
    assert_eq!((w.remaining("LIC-A"), w.remaining("LIC-B")), (20, 10));
    let v = &w.state.vouchers["LIC-B-V1"];
    assert_eq!(v.days_held(&w.state.customers["LIC-B"], w.today()), 10);
    let r = w.err(PA, receive_cmd("LIC-B-V2", "LIC-B", 15, day(180)));
    assert_eq!(r.code, Code::InsufficientDays);
    w.ok(PA, receive_cmd("LIC-A-V2", "LIC-A", 15, day(180)));
    assert_eq!(w.remaining("LIC-A"), 5);
}

#[test]
fn denied_payment_may_be_requested_again_inside_the_window() {
    let mut w = World::setup_ready();
    w.invoiced(V, 5);
    w.invoiced("DDPS-0002", 1);
    w.ok(
        PA,
        Command::RecordPayment(RecordPayment {
            voucher_id: V.into(),
            outcome: Outcome::Denied,
            reference: "MS-1".into(),
            reason: Some("invoiced from the wrong country".into()),
        }),
    );
    assert_eq!(w.status(V), Status::Denied);
    let again = w.err(PA, request_cmd(V, &format!("inv-{V}")));
    assert_eq!(again.code, Code::DuplicateInvoice);
    w.set_day(60);
    w.ok(PA, request_cmd(V, "INV-RETRY"));
    assert_eq!(w.status(V), Status::Invoiced);
    w.ok(PA, record_cmd(V, Outcome::Paid));
    let v = &w.state.vouchers[V];
    assert_eq!((v.invoices.len(), w.status(V)), (2, Status::Paid));
    assert_eq!(v.invoices[0].payment.as_ref().unwrap().outcome, Outcome::Denied);
    // A denial after the window (day 0 + 60) leaves it denied for good.
    w.ok(PA, record_cmd("DDPS-0002", Outcome::Denied));
    w.set_day(61);
    let late = w.err(PA, request_cmd("DDPS-0002", "INV-LATE"));
    assert_eq!(late.code, Code::InvoiceWindowClosed);
}

#[test]
fn cancel_returns_to_assigned_and_reschedule_keeps_reserved() {
    let mut w = World::setup_ready();
    w.received(V, 5);
    reserve_on(&mut w, V, 20, 24);
    w.ok(PA, reschedule_cmd(V, day(30), day(34)));
    assert_eq!(w.status(V), Status::Reserved);
    assert_eq!(w.state.vouchers[V].reservation.as_ref().unwrap().start, day(30));
    let cancel = cancel_cmd(V);
    w.ok(PA, cancel.clone());
    assert_eq!(w.status(V), Status::Assigned);
    assert!(w.state.vouchers[V].reservation.is_none());
    assert_eq!(w.remaining(CUSTOMER), 35, "cancelling does not give days back");
    assert_eq!(w.err(PA, cancel).code, Code::InvalidTransition);
    reserve_on(&mut w, V, 40, 44);
    assert_eq!(w.status(V), Status::Reserved);
}

#[test]
fn a_consultant_reports_only_on_its_own_engagements() {
    let mut w = World::setup_ready();
    w.reserved("DDPS-0001", 1);
    w.received("DDPS-0002", 1);
    let mut r = reserve("DDPS-0002", day(0), day(0));
    r.consultants = vec![OTHER_CONSULTANT.into()];
    w.ok(PA, Command::ReserveVoucher(r));
    let fields = full_report(1, day(0), day(0));
    w.ok(CONSULTANT, draft_cmd("DDPS-0001", fields.clone()));
    w.ok(CONSULTANT, submit_cmd("DDPS-0001"));
    let report = w.state.vouchers["DDPS-0001"].report.clone().unwrap();
    assert_eq!(report.submitted_by.as_deref(), Some(CONSULTANT));
    for cmd in [draft_cmd("DDPS-0002", fields), submit_cmd("DDPS-0002")] {
        let r = w.err(CONSULTANT, cmd);
        assert_eq!(r.code, Code::Unauthorized);
        assert!(r.message.contains("not named"), "{}", r.message);
    }
    // ...and does not redeem, but records its own exams.
    assert_eq!(
        w.err(CONSULTANT, redeem_cmd(&["DDPS-0001"])).code,
        Code::Unauthorized
    );
    let mut exam = exam_cmd(CONSULTANT, COMPETENCY);
    if let Command::RecordExam(RecordExam { exam, .. }) = &mut exam {
        *exam = "MD-101".into();
    }
    w.ok(CONSULTANT, exam);
    assert_eq!(w.state.org.exams.len(), 3);
}

#[test]
fn drafts_merge_and_rules_wait_for_submit() {
    let mut w = World::setup_ready();
    w.reserved(V, 10);
    let full = full_report(10, day(0), day(0));
    let saves = [
        ReportFields {
            delivered_start: full.delivered_start,
            delivered_end: full.delivered_end,
            ..Default::default()
        },
        ReportFields {
            onsite_days: Some(1),
            offsite_days: Some(9),
            walk_on_hours: Some(6.0),
            ..Default::default()
        },
        ReportFields {
            deliverable_kind: full.deliverable_kind.clone(),
            deliverable_path: full.deliverable_path.clone(),
            deliverable: full.deliverable.clone(),
            ..Default::default()
        },
        ReportFields {
            summary: full.summary.clone(),
            customer_accepted: Some(true),
            ..Default::default()
        },
    ];
    for s in saves {
        w.ok(CONSULTANT, draft_cmd(V, s));
    }
    let kept = w.state.vouchers[V].report.clone().unwrap().fields;
    assert_eq!(kept.delivered_start, Some(day(0)));
    assert_eq!((kept.offsite_days, kept.walk_on_hours), (Some(9), Some(6.0)));
    assert_eq!(kept.summary, full.summary);
    let r = w.err(CONSULTANT, submit_cmd(V));
    assert_eq!(r.code, Code::OffsiteLimit);
    assert!(r.message.contains("walk_on_hours"), "{}", r.message);
    let fix = ReportFields {
        onsite_days: Some(8),
        offsite_days: Some(2),
        walk_on_hours: Some(1.5),
        ..Default::default()
    };
    w.ok(CONSULTANT, draft_cmd(V, fix));
    w.ok(CONSULTANT, submit_cmd(V));
    assert_eq!(w.status(V), Status::Delivered);
    let after = w.err(CONSULTANT, draft_cmd(V, ReportFields::default()));
    assert_eq!(after.code, Code::InvalidTransition);
}

#[test]
fn redeeming_several_is_all_or_nothing() {
    let mut w = World::setup_ready();
    w.delivered("DDPS-0001", 3);
    w.reserved("DDPS-0002", 3);
    w.delivered("DDPS-0003", 3);
    let events = w.log.len();
    let r = w.err(PA, redeem_cmd(&["DDPS-0001", "DDPS-0002", "DDPS-0003"]));
    assert_eq!(r.code, Code::ReportMissing);
    assert!(r.message.contains("DDPS-0002"), "{}", r.message);
    assert_eq!(w.status("DDPS-0001"), Status::Delivered);
    assert_eq!(w.log.len(), events);
    let dup = w.err(PA, redeem_cmd(&["DDPS-0001", "ddps-0001"]));
    assert_eq!(dup.code, Code::InvalidInput);
    let ok = w.ok(PA, redeem_cmd(&["DDPS-0001", "DDPS-0003"]));
    assert_eq!(ok.len(), 2);
    assert!(
        ok.iter()
            .all(|r| matches!(r.event, Event::VoucherRedeemed { .. }))
    );
    for id in ["DDPS-0001", "DDPS-0003"] {
        assert_eq!(w.status(id), Status::Redeemed);
    }
    assert_eq!(w.status("DDPS-0002"), Status::Reserved);
}

#[test]
fn work_delivered_where_there_is_no_rate_cannot_be_invoiced() {
    let mut w = World::setup_ready();
    w.ok(PA, location_cmd("STO", "SE"));
    w.received(V, 1);
    let cmd = reserve_with(V, |r| (r.location_id, r.country) = ("STO".into(), "se".into()));
    w.ok(PA, cmd);
    w.ok(PA, draft_cmd(V, full_report(1, day(0), day(0))));
    w.ok(PA, submit_cmd(V));
    w.ok(PA, redeem_cmd(&[V]));
    w.ok(ADMIN, savb_cmd());
    w.err(PA, request_cmd(V, "INV-SE-1")).is(Code::NoRate, "SE");
}
