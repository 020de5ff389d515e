//! The desk's panes (issue 13, items 5-9): deadlines that open, the demo
//! clock, names in full, small things, export from the desk.

mod ui_common;

use ratatui::crossterm::event::KeyCode;
use saps::ui::model::Overlay;
use saps::ui::tab::Tab;
use ui_common::*;

#[test]
fn enter_on_a_dashboard_deadline_opens_its_voucher_on_its_step() {
    let mut d = Desk::demo();
    assert_eq!(d.m.tab, Tab::Dashboard);
    let deadlines = d.m.stats.deadlines.clone();
    assert!(deadlines.len() > 1, "the demo has deadlines: {deadlines:?}");
    assert_eq!(d.m.list(Tab::Dashboard).len(), deadlines.len(), "a row each");
    // The second deadline, by ↓ then Enter.
    d.press(KeyCode::Down);
    let want = &deadlines[1];
    let (tab, row) = saps::ui::steps::dashboard::opens(&want.target);
    d.press(KeyCode::Enter);
    assert!(d.m.stack.is_empty(), "Enter no longer opens the backup form");
    assert_eq!(d.m.tab, tab, "{want:?} opens on its step");
    assert_eq!(current(&d).as_deref(), Some(row.as_str()), "its row is selected");
}

#[test]
fn a_voucher_deadline_opens_on_the_step_that_lists_it() {
    let mut d = Desk::demo();
    let i =
        d.m.stats
            .deadlines
            .iter()
            .position(|x| matches!(x.target, saps::ui::stats::Target::Voucher(..)))
            .expect("a voucher deadline in the demo");
    let saps::ui::stats::Target::Voucher(id, _) = d.m.stats.deadlines[i].target.clone() else {
        unreachable!()
    };
    for _ in 0..i {
        d.press(KeyCode::Down);
    }
    d.press(KeyCode::Enter);
    assert_ne!(d.m.tab, Tab::Dashboard);
    assert_eq!(current(&d), Some(id.clone()));
    let screen = d.screen(200, 50);
    assert!(screen.contains(&id), "{screen}");
}

#[test]
fn deadlines_say_tomorrow_not_in_1_days() {
    use saps::ui::stats::in_days;
    assert_eq!(in_days(1), "tomorrow");
    assert_eq!(in_days(0), "today");
    assert_eq!(in_days(5), "in 5 days");
    assert_eq!(in_days(-1), "yesterday");
    let mut d = Desk::demo();
    let screen = d.screen(200, 50);
    assert!(!screen.contains(" 1 days"), "{screen}");
    assert!(screen.contains("[Enter] open the deadline"), "{screen}");
    assert!(!matches!(d.m.top(), Some(Overlay::Form(_))));
}

#[test]
fn step_8_shows_the_day_payment_must_be_requested_by() {
    let mut d = Desk::demo();
    d.key('8');
    let screen = d.screen(200, 50);
    assert!(screen.contains("pay by "), "{screen}");
}
