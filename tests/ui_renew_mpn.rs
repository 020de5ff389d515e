//! Step 1 on the desk: `m` opens the MPN renewal form for admins; an end
//! that is not later is shown beside the field, a later one is stored; a
//! consultant sees the action as unavailable.

mod ui_common;

use ratatui::crossterm::event::KeyCode;
use ui_common::*;

#[test]
fn an_admin_renews_the_mpn_membership_from_step_1() {
    let mut d = Desk::demo();
    let end = d.stored().org.partner.expect("a partner").mpn_expires;
    d.key('1');
    d.key('m');
    assert_eq!(d.form_title(), Some("Renew the MPN membership"));
    d.fill("mpn_expires", &end.to_string());
    d.press(KeyCode::Enter);
    let err = d.field_error("mpn_expires").expect("refused beside the field");
    assert!(
        err.contains("not later") && !err.contains("invalid_input"),
        "in words, without the code: {err}"
    );
    let later = end + chrono::Duration::days(365);
    d.fill("mpn_expires", &later.to_string());
    d.press(KeyCode::Enter);
    assert_eq!(d.form_title(), None, "the form closes once accepted");
    assert_eq!(d.stored().org.partner.expect("a partner").mpn_expires, later);
}

#[test]
fn a_consultant_sees_renewal_as_unavailable() {
    let mut d = Desk::demo_as(CODY);
    d.key('1');
    d.key('m');
    assert_eq!(d.form_title(), None);
    assert!(d.flash().contains("renew the MPN membership"), "{}", d.flash());
}
