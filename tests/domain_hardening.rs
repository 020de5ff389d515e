//! Issue 11's rules: what used to slip through the domain (unknown
//! competencies, report dates outside the reservation, a report without a
//! stored deliverable, bad emails and look-alikes, long echoes).

mod common;

use common::*;
use saps::domain::catalog::Level;
use saps::domain::{Code, Command};

const V: &str = "DDPS-0001";

#[test]
fn unknown_competencies_are_refused_with_the_nearest_name() {
    let mut w = World::setup_ready();
    let r = w
        .err(ADMIN, competency_cmd("Messagin", Level::Silver, day(400)))
        .is(Code::InvalidInput, "competency");
    assert!(r.message.contains("did you mean Messaging?"), "{}", r.message);
    let r = w
        .err(ADMIN, competency_cmd("Underwater Basket Weaving", Level::Gold, day(400)))
        .is(Code::InvalidInput, "competency");
    assert!(r.message.contains("known: ") && r.message.contains("Datacenter"), "{}", r.message);
    // Exams name competencies too.
    let r = w
        .err(ADMIN, exam_cmd(CONSULTANT, "Windows and Devises"))
        .is(Code::InvalidInput, "competency");
    assert!(r.message.contains("did you mean Windows and Devices?"), "{}", r.message);
    // Any case is still the catalog's name.
    w.ok(ADMIN, competency_cmd("messaging", Level::Silver, day(400)));
    assert!(w.state.org.competencies.values().any(|c| c.competency == "Messaging"));
}

#[test]
fn report_dates_outside_the_reservation_are_refused_at_submit() {
    let mut w = World::setup_ready();
    w.received(V, 5);
    w.ok(PA, validate_cmd(V));
    w.ok(PA, Command::ReserveVoucher(reserve(V, day(2), day(6))));
    w.set_day(10);
    // Started a day early: the draft keeps it, submit refuses it.
    w.ok(CONSULTANT, draft_cmd(V, full_report(5, day(1), day(5))));
    let r = w.err(CONSULTANT, submit_cmd(V)).is(Code::InvalidInput, "delivered_start");
    for want in ["first day delivered", "2024-03-03 to 2024-03-07", "reschedule"] {
        assert!(r.message.contains(want), "{want:?} not in {}", r.message);
    }
    // Ended after the reservation.
    w.ok(CONSULTANT, draft_cmd(V, full_report(5, day(2), day(8))));
    let r = w.err(CONSULTANT, submit_cmd(V)).is(Code::InvalidInput, "delivered_end");
    assert!(r.message.contains("after the reservation"), "{}", r.message);
    // Rescheduled to what was delivered, it submits.
    w.set_day(1);
    w.ok(PA, reschedule_cmd(V, day(2), day(8)));
    w.set_day(10);
    w.ok(CONSULTANT, submit_cmd(V));
}
