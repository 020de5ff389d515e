//! How the desk starts, by keys, without a terminal: the first-run form on
//! an empty database, the user picker when no known user acts, and the tour.

mod ui_common;

use ratatui::crossterm::event::KeyCode;
use saps::ui::model::Overlay;
use saps::ui::tab::Tab;
use ui_common::*;

#[test]
fn first_run_on_an_empty_database_sets_up_the_partner() {
    let mut d = Desk::empty();
    assert!(d.form().is_none(), "no bare form: a greeting first");
    assert!(d.m.actor.is_none());
    d.key('s');
    assert_eq!(d.form_title(), Some("Set up the partner"));
    let screen = d.screen(80, 24);
    assert!(screen.contains("Set up the partner"), "{screen}");
    d.fill("name", "Fourth Coffee Consulting");
    d.fill("mpn_id", "4400123");
    d.fill("mpn_expires", "2027-12-31");
    d.fill("admin_name", "Rosa Diaz");
    d.fill("admin_email", "rosa@fourthcoffee.example");
    d.press(KeyCode::Enter);
    assert!(d.m.stack.is_empty(), "set up: {:?}", d.form().map(|f| &f.message));
    assert_eq!(
        d.m.actor.as_deref(),
        Some("rosa@fourthcoffee.example"),
        "the admin acts"
    );
    let partner = d.m.state.org.partner.as_ref().expect("a partner");
    assert_eq!(partner.name, "Fourth Coffee Consulting");
    let screen = d.screen(120, 30);
    assert!(
        screen.contains("rosa@fourthcoffee.example (global_admin)"),
        "{screen}"
    );
    let state = d.reopen();
    assert!(state.org.partner.is_some(), "stored");
}

#[test]
fn first_run_form_refuses_a_bad_date_and_keeps_the_rest() {
    let mut d = Desk::empty();
    d.press(KeyCode::Enter);
    d.fill("name", "Fourth Coffee Consulting");
    d.fill("mpn_id", "4400123");
    d.fill("mpn_expires", "31/12/2027");
    d.fill("admin_name", "Rosa Diaz");
    d.fill("admin_email", "rosa@fourthcoffee.example");
    d.press(KeyCode::Enter);
    assert!(d.form().is_some());
    assert!(
        d.field_error("mpn_expires").is_some(),
        "the date is refused at its field"
    );
    assert_eq!(d.field("name"), "Fourth Coffee Consulting");
    assert_eq!(d.field("admin_email"), "rosa@fourthcoffee.example");
    assert!(d.m.state.org.partner.is_none());
}

#[test]
fn first_run_greets_with_what_saps_is_and_the_three_first_steps() {
    let mut d = Desk::empty();
    for (w, h) in [(80, 24), (200, 50)] {
        let screen = squash(&d.screen(w, h));
        assert!(screen.contains("Welcome to saps"), "{screen}");
        assert!(
            screen.contains("saps is your desk for Microsoft Software Assurance Planning Services"),
            "{screen}"
        );
        // The program's first three steps, named as the program names them,
        // each with the key that starts it.
        for step in [
            "1 Verify eligibility: the partner's organisation, its MPN id, competencies",
            "[s] or Enter sets up the partner",
            "2 Enroll: sign the agreement, enroll in an offering: [2] then [e]",
            "3 Business profile: what customers see: [3] then [e] edits it, [u] publishes",
        ] {
            assert!(screen.contains(step), "{step:?} at {w}x{h}: {screen}");
        }
        assert!(!screen.contains("not shown"), "it all fits at {w}x{h}: {screen}");
    }
    // From any tab.
    d.key('5');
    assert!(squash(&d.screen(80, 24)).contains("Welcome to saps"));
    d.key('s');
    assert_eq!(d.form_title(), Some("Set up the partner"));
}

#[test]
fn first_run_refuses_an_mpn_id_that_is_not_digits_naming_the_field() {
    let mut d = Desk::empty();
    d.key('s');
    d.fill("name", "Fourth Coffee Consulting");
    d.fill("mpn_id", "MPN-4400123");
    d.fill("mpn_expires", "2027-12-31");
    d.fill("admin_name", "Rosa Diaz");
    d.fill("admin_email", "rosa@fourthcoffee.example");
    d.press(KeyCode::Enter);
    let err = d
        .field_error("mpn_id")
        .expect("the MPN id is refused at its field");
    assert!(err.contains("is not an MPN id: digits only"), "{err}");
    assert!(!err.contains("mpn_id") && !err.contains("invalid_input"), "{err}");
    assert!(d.m.state.org.partner.is_none());
    assert_eq!(
        d.field("admin_email"),
        "rosa@fourthcoffee.example",
        "nothing typed is lost"
    );
    d.fill("mpn_id", "4400123");
    d.press(KeyCode::Enter);
    assert!(d.m.state.org.partner.is_some(), "digits go through");
}

#[test]
fn without_an_actor_the_user_picker_chooses_who_works() {
    let mut d = Desk::start(Start {
        seed: true,
        actor: None,
        tour: false,
    });
    assert!(matches!(d.m.top(), Some(Overlay::Picker(0))));
    let screen = d.screen(120, 30);
    for (email, role) in [
        (AVA, "global_admin"),
        (PAT, "partner_admin"),
        (CODY, "consultant"),
        (DANA, "consultant"),
    ] {
        let line = screen.lines().find(|l| l.contains(email));
        let line = line.unwrap_or_else(|| panic!("{email} listed:\n{screen}"));
        assert!(line.contains(role), "{line}");
    }
    assert!(screen.contains("no user chosen"), "{screen}");
    d.press(KeyCode::Esc);
    assert!(
        matches!(d.m.top(), Some(Overlay::Picker(_))),
        "Esc cannot skip choosing"
    );
    d.key('j');
    d.press(KeyCode::Enter);
    assert!(d.m.stack.is_empty());
    assert_eq!(
        d.m.actor.as_deref(),
        Some(CODY),
        "the second user, in the order shown"
    );
    assert!(d.screen(120, 30).contains("cody@northwind.example (consultant)"));
}

#[test]
fn an_unknown_actor_gets_the_picker_with_a_message() {
    let mut d = Desk::start(Start {
        seed: true,
        actor: Some("nobody@example.com".into()),
        tour: false,
    });
    assert!(matches!(d.m.top(), Some(Overlay::Picker(_))));
    assert!(d.flash().contains("nobody@example.com"), "{}", d.flash());
    d.press(KeyCode::Enter);
    assert_eq!(d.m.actor.as_deref(), Some(AVA));
}

#[test]
fn the_tour_moves_to_each_stop_and_points_at_its_voucher() {
    let mut d = Desk::start(Start {
        seed: true,
        actor: Some(AVA.into()),
        tour: true,
    });
    assert_eq!(d.m.tab, Tab::Dashboard);
    assert!(d.screen(120, 30).contains("Tour 1/9"));
    d.key('n');
    assert_eq!(d.m.tab, Tab::Eligibility, "n moves to the next stop's tab");
    assert!(d.screen(120, 30).contains("Tour 2/9"));
    for _ in 0..3 {
        d.key('n');
    }
    assert_eq!(d.m.tab, Tab::Intake);
    assert_eq!(
        current(&d).as_deref(),
        Some("DEMO-0001"),
        "the stop's voucher is selected"
    );
    d.key('n');
    d.key('n');
    assert_eq!(d.m.tab, Tab::Deliver);
    assert_eq!(current(&d).as_deref(), Some("DEMO-0007"));
    d.key('p');
    assert_eq!(d.m.tab, Tab::Reserve, "p goes back");
    for _ in 0..10 {
        d.key('n');
    }
    assert_eq!(d.m.tab, Tab::Payment, "the last stop stays");
    assert_eq!(current(&d).as_deref(), Some("DEMO-0013"));
    d.press(KeyCode::Esc);
    assert!(d.m.tour.is_none(), "Esc ends the tour");
    d.key('n');
    assert_eq!(d.m.tab, Tab::Payment, "n is no longer the tour's");
}

#[test]
fn the_user_pickers_rows_line_up() {
    let mut d = Desk::start(Start {
        seed: true,
        actor: None,
        tour: false,
    });
    let screen = d.screen(100, 30);
    let columns: Vec<usize> = screen
        .lines()
        .filter_map(|l| {
            // The column where the email's first character is.
            let at = l.find("@northwind.example")?;
            let local = l[..at].rsplit(['│', '›', ' ']).next()?;
            Some(l[..at].chars().count() - local.chars().count())
        })
        .collect();
    assert_eq!(columns.len(), 4, "{screen}");
    assert!(
        columns.windows(2).all(|w| w[0] == w[1]),
        "emails start in one column: {columns:?}\n{screen}"
    );
}

#[test]
fn q_in_the_user_picker_quits() {
    let mut d = Desk::start(Start {
        seed: true,
        actor: None,
        tour: false,
    });
    d.key('q');
    assert!(d.m.quit);
}
