//! `renew_mpn`: the partner's MPN membership runs to a later end. Admins
//! only; an equal or earlier date is refused naming `mpn_expires`.

mod common;

use common::*;
use saps::domain::catalog::Level;
use saps::domain::command::RenewMpn;
use saps::domain::{Code, Command, Event, State, apply};

fn renew(d: chrono::NaiveDate) -> Command {
    Command::RenewMpn(RenewMpn { mpn_expires: d })
}

fn mpn_end(w: &World) -> chrono::NaiveDate {
    w.state.org.partner.as_ref().expect("a partner").mpn_expires
}

#[test]
fn an_admin_moves_the_end_to_a_later_date() {
    let mut w = World::setup_ready();
    let end = mpn_end(&w);
    let events = w.ok(PA, renew(end + chrono::Duration::days(365)));
    assert_eq!(
        events.iter().map(|r| &r.event).collect::<Vec<_>>(),
        vec![&Event::MpnRenewed {
            mpn_expires: end + chrono::Duration::days(365)
        }]
    );
    assert_eq!(mpn_end(&w), end + chrono::Duration::days(365));
    // A global admin may too, by one day.
    w.ok(ADMIN, renew(end + chrono::Duration::days(366)));
    assert_eq!(mpn_end(&w), end + chrono::Duration::days(366));
    // Replaying the log gives the same partner.
    let mut replayed = State::default();
    for r in &w.log {
        apply(&mut replayed, r);
    }
    assert_eq!(replayed.org.partner, w.state.org.partner);
}

#[test]
fn an_equal_or_earlier_date_is_refused_naming_the_field() {
    let mut w = World::setup_ready();
    let end = mpn_end(&w);
    let r = w.err(PA, renew(end)).is(Code::InvalidInput, "mpn_expires");
    assert_eq!(r.field, Some("mpn_expires"));
    assert!(r.message.contains(&end.to_string()), "names the current end: {r}");
    w.err(ADMIN, renew(end - chrono::Duration::days(1)))
        .is(Code::InvalidInput, "mpn_expires");
    assert_eq!(mpn_end(&w), end);
}

#[test]
fn consultants_may_not_renew() {
    let mut w = World::setup_ready();
    let end = mpn_end(&w);
    w.err(CONSULTANT, renew(end + chrono::Duration::days(30)))
        .is(Code::Unauthorized, "renew the MPN membership");
    assert_eq!(mpn_end(&w), end);
}

#[test]
fn before_init_it_is_not_initialized() {
    let mut w = World::new();
    w.err(ADMIN, renew(day(10)))
        .is(Code::NotInitialized, "init_partner");
}

#[test]
fn a_renewed_membership_lets_the_partner_enroll_again() {
    let mut w = World::new();
    w.ok(ADMIN, init_cmd(day(10)));
    w.ok(ADMIN, competency_cmd(COMPETENCY, Level::Gold, day(400)));
    w.set_day(10);
    w.err(ADMIN, enroll_cmd("DDPS")).is(Code::MpnExpired, "MPN");
    w.ok(ADMIN, renew(day(375)));
    w.ok(ADMIN, enroll_cmd("DDPS"));
}
