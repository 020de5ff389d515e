//! What the desk looks like: every pane of the demo, and the overlays, drawn
//! on ratatui's `TestBackend` and compared with the accepted snapshots in
//! `tests/snapshots/`. After a deliberate change to the screens, review and
//! accept with `INSTA_UPDATE=always cargo test --test ui_snapshots` (or
//! `cargo insta review`).

mod ui_common;

use ratatui::crossterm::event::KeyCode;
use saps::ui::tab::Tab;
use ui_common::*;

const SIZES: [(u16, u16); 2] = [(80, 24), (200, 50)];

fn slug(tab: Tab) -> &'static str {
    match tab {
        Tab::Dashboard => "0_dashboard",
        Tab::Eligibility => "1_eligibility",
        Tab::Enroll => "2_enroll",
        Tab::Profile => "3_profile",
        Tab::Intake => "4_vouchers_in",
        Tab::Reserve => "5_reserve",
        Tab::Deliver => "6_deliver",
        Tab::Redeem => "7_redeem",
        Tab::Payment => "8_payment",
        Tab::Audit => "9_audit",
    }
}

/// The demo desk on `tab`, reached by its key.
fn on(tab: Tab) -> Desk {
    let mut d = Desk::demo();
    let key = char::from_digit(Tab::ALL.iter().position(|t| *t == tab).unwrap() as u32, 10).unwrap();
    d.key(key);
    assert_eq!(d.m.tab, tab);
    d
}

#[test]
fn every_tab_at_80x24_and_200x50() {
    for tab in Tab::ALL {
        let mut d = on(tab);
        for (w, h) in SIZES {
            let screen = d.screen(w, h);
            let bar = first_line(&screen);
            assert!(
                bar.contains("1 Elig") && bar.contains("8 Pay"),
                "the tab bar on {tab:?} at {w}x{h}: {bar}"
            );
            insta::assert_snapshot!(format!("tab_{}_{w}x{h}", slug(tab)), screen);
        }
    }
}

#[test]
fn the_tab_bar_names_the_eight_steps() {
    let mut d = Desk::demo();
    let wide = d.screen(200, 50);
    let bar = first_line(&wide);
    for label in [
        "1 Eligibility",
        "2 Enroll",
        "3 Profile",
        "4 Vouchers in",
        "5 Reserve",
        "6 Deliver & report",
        "7 Redeem",
        "8 Payment",
        "Audit log",
    ] {
        assert!(bar.contains(label), "{label} in {bar}");
    }
    let narrow = d.screen(80, 24);
    let bar = first_line(&narrow);
    for n in 1..=8 {
        assert!(
            bar.contains(&format!(" {n} ")),
            "step {n} numbered at 80 columns: {bar}"
        );
    }
}

#[test]
fn help_overlay() {
    let mut d = Desk::demo();
    d.key('4');
    d.key('?');
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("help_{w}x{h}"), d.screen(w, h));
    }
}

#[test]
fn form_with_an_error() {
    let mut d = Desk::demo();
    d.reserve_form_starting_in_the_past();
    d.press(KeyCode::Enter);
    assert!(d.field_error("start").is_some());
    for (w, h) in SIZES {
        let screen = d.screen(w, h);
        assert!(squash(&screen).contains("has passed"), "{screen}");
        assert!(
            !squash(&screen).contains("reserve_after_start"),
            "no code: {screen}"
        );
        insta::assert_snapshot!(format!("form_error_{w}x{h}"), screen);
    }
}

#[test]
fn confirmation_shows_the_amount() {
    let mut d = Desk::demo();
    d.key('8');
    d.filter("DEMO-0013");
    d.key('i');
    d.keys("INV-SNAP-1");
    d.press(KeyCode::Enter);
    let screen = d.screen(80, 24);
    insta::assert_snapshot!("confirm_request_payment_80x24", screen);
}

#[test]
fn user_picker() {
    let mut d = Desk::start(Start {
        seed: true,
        actor: None,
        tour: false,
    });
    insta::assert_snapshot!("picker_80x24", d.screen(80, 24));
}

#[test]
fn first_run_form() {
    let mut d = Desk::empty();
    insta::assert_snapshot!("first_run_80x24", d.screen(80, 24));
    d.key('s');
    insta::assert_snapshot!("first_run_form_80x24", d.screen(80, 24));
}

#[test]
fn tour_overlay() {
    let mut d = Desk::start(Start {
        seed: true,
        actor: Some(AVA.into()),
        tour: true,
    });
    for _ in 0..4 {
        d.key('n');
    }
    insta::assert_snapshot!("tour_stop5_80x24", d.screen(80, 24));
}

#[test]
fn terminal_too_small() {
    let mut d = Desk::demo();
    let screen = d.screen(50, 12);
    assert!(screen.contains("terminal too small"), "{screen}");
    insta::assert_snapshot!("too_small_50x12", screen);
}
