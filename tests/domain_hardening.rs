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
