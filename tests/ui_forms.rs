//! Forms by keys, without a terminal: rejections shown beside the field,
//! unavailable actions and their reasons, report drafts saved field by field,
//! help over a form, and the saved mark once a form is accepted.

mod ui_common;

use ratatui::crossterm::event::KeyCode;
use saps::domain::Status;
use saps::ui::model::Overlay;
use ui_common::*;

#[test]
fn a_rejected_form_keeps_what_was_typed_and_shows_why_beside_the_field() {
    let mut d = Desk::demo();
    d.reserve_form_starting_in_the_past();
    let before: Vec<(String, String)> = d
        .form()
        .unwrap()
        .fields
        .iter()
        .map(|f| (f.spec.name.to_string(), f.input.value().to_string()))
        .collect();
    d.press(KeyCode::Enter);
    assert!(d.form().is_some(), "the form stays open");
    let err = d.field_error("start").expect("an error at Start");
    assert!(err.starts_with("Start: 2026-06-01 has passed"), "{err}");
    assert!(!err.contains("reserve_after_start"), "no code on the desk: {err}");
    assert_eq!(d.focused(), Some("start"), "the focus goes to the field at fault");
    for (name, value) in &before {
        assert_eq!(&d.field(name), value, "{name} kept");
    }
    assert_eq!(d.status_of("DEMO-0001"), Some(Status::Assigned));
    let screen = d.screen(120, 40);
    let start_row = screen
        .lines()
        .position(|l| l.contains("Start") && l.contains("2026-06-01"));
    let start_row = start_row.unwrap_or_else(|| panic!("Start shown:\n{screen}"));
    // The message is on the lines right under the field (it may wrap).
    let below: Vec<&str> = screen.lines().skip(start_row + 1).take(2).collect();
    assert!(
        below[0].contains("✗ Start:"),
        "the message under the field, by its label:\n{screen}"
    );
    let below = squash(&below.join(" "));
    assert!(below.contains("has passed"), "{screen}");
    assert!(below.contains("YYYY-MM-DD"), "the hint is kept: {screen}");
    assert!(!below.contains("reserve_after_start"), "{screen}");

    // Fixing the field and submitting again works, from the same form.
    d.fill("start", "2026-06-22");
    assert!(
        d.field_error("start").is_none(),
        "typing clears the field's error"
    );
    d.fill("end", "2026-06-26");
    d.press(KeyCode::Enter);
    assert!(d.form().is_none());
    assert_eq!(d.status_of("DEMO-0001"), Some(Status::Reserved));
}

#[test]
fn a_consultant_sees_admin_actions_as_unavailable_with_the_reason() {
    let mut d = Desk::demo_as(CODY);
    d.key('4');
    d.key('r');
    assert!(d.form().is_none(), "no form opens");
    let flash = d.flash();
    assert!(flash.contains("only"), "{flash}");
    assert!(flash.contains("consultant"), "{flash}");
    // The reason is on screen until the next key, then the actions line is back.
    let screen = squash(&d.screen(120, 30));
    assert!(
        screen.contains("only a global or partner admin may record vouchers"),
        "{screen}"
    );
    d.key('j');
    let screen = d.screen(120, 30);
    let actions = actions_line(&screen);
    assert!(actions.contains("Record a voucher ✗"), "{actions}");
    d.key('k');
    // Enter (the main action) says the same.
    d.press(KeyCode::Enter);
    assert!(d.form().is_none());
    assert!(d.flash().contains("only"));
    // The help lists the pane's actions with the reason.
    d.key('?');
    let help = squash(&d.screen(200, 50));
    assert!(
        help.contains("Record a voucher (unavailable: only a global or partner admin may"),
        "{help}"
    );
}

#[test]
fn the_reason_for_an_unavailable_action_can_be_read_at_80_columns() {
    let mut d = Desk::demo_as(CODY);
    // What `saps demo` shows as the database: a temporary path.
    d.m.db_label = "/tmp/saps-demo-12345-1781524800000000000/demo.db".into();
    d.key('4');
    d.key('r');
    assert!(
        d.flash().contains("only a global or partner admin"),
        "{}",
        d.flash()
    );
    for (w, h) in [(80, 24), (120, 30)] {
        let screen = squash(&d.screen(w, h));
        assert!(
            screen.contains("only a global or partner admin"),
            "the reason at {w}x{h}:\n{screen}"
        );
    }
}

#[test]
fn a_deliverable_typed_in_the_report_form_is_copied_into_the_store() {
    let mut d = Desk::demo_as(CODY);
    let file = d.dir.path().join("plan.txt");
    std::fs::write(&file, "the customer planning deliverable").unwrap();
    d.key('6');
    let id = current(&d).expect("an engagement for cody");
    d.key('d');
    d.fill("deliverable_path", file.to_str().unwrap());
    d.press(KeyCode::Tab);
    let stored = d.stored();
    let fields = &stored.vouchers[&id].report.as_ref().expect("draft").fields;
    assert_eq!(fields.deliverable_path.as_deref(), file.to_str());
    assert!(
        fields.deliverable.is_some(),
        "the file is attached, as `saps exec` does"
    );
}

#[test]
fn ctrl_c_in_the_report_form_saves_the_draft_before_quitting() {
    let mut d = Desk::demo_as(CODY);
    d.key('6');
    pick(&mut d, "DEMO-0005");
    d.key('d');
    d.fill("summary", "Workshops held; the plan is written.");
    d.ctrl('c');
    assert!(d.m.quit);
    let state = d.reopen();
    let fields = &state.vouchers["DEMO-0005"].report.as_ref().unwrap().fields;
    assert_eq!(
        fields.summary.as_deref(),
        Some("Workshops held; the plan is written.")
    );
}

#[test]
fn f1_in_a_form_shows_help_over_it_and_esc_goes_back_to_the_form() {
    let mut d = Desk::demo();
    d.key('4');
    d.key('r');
    d.keys("ABC");
    d.press(KeyCode::F(1));
    assert!(matches!(d.m.top(), Some(Overlay::Help(_))));
    d.press(KeyCode::Esc);
    assert_eq!(d.form_title(), Some("Record a voucher"));
    assert_eq!(d.field("voucher_id"), "ABC", "what was typed is still there");
    d.key('?');
    assert_eq!(d.field("voucher_id"), "ABC?", "? is a character in a form");
    d.press(KeyCode::Esc);
    assert_eq!(
        d.field("voucher_id"),
        "ABC?",
        "the first Esc over typed text only warns"
    );
    assert!(
        d.m.flash.as_ref().is_some_and(|(t, _)| t.contains("Esc again")),
        "{:?}",
        d.m.flash
    );
    d.press(KeyCode::Esc);
    assert!(d.m.stack.is_empty(), "the second Esc cancels a plain form");
    assert!(d.voucher("ABC?").is_none());
}

/// Cody's draft of DEMO-0005 with "one" typed as the off-site days, then Tab.
fn draft_with_a_mistyped_field() -> Desk {
    let mut d = Desk::demo_as(CODY);
    d.key('6');
    pick(&mut d, "DEMO-0005");
    d.key('d');
    d.fill("offsite_days", "one");
    d.press(KeyCode::Tab);
    assert!(
        d.field_error("offsite_days").is_some(),
        "the mistyped field is marked"
    );
    assert_eq!(d.focused(), Some("walk_on_hours"), "Tab moved on once");
    d
}

#[test]
fn a_mistyped_draft_field_does_not_stop_the_others_from_being_saved() {
    let mut d = draft_with_a_mistyped_field();
    d.keys("2");
    d.press(KeyCode::Tab);
    let stored = d.stored();
    let fields = &stored.vouchers["DEMO-0005"].report.as_ref().unwrap().fields;
    assert_eq!(
        fields.walk_on_hours,
        Some(2.0),
        "saved when left, whatever another field holds"
    );
}

#[test]
fn tab_moves_on_past_a_mistyped_draft_field() {
    let mut d = draft_with_a_mistyped_field();
    d.press(KeyCode::Tab);
    assert_eq!(
        d.focused(),
        Some("deliverable_kind"),
        "Tab goes on to the next field"
    );
    d.press(KeyCode::Tab);
    assert_eq!(d.focused(), Some("deliverable_path"));
}

#[test]
fn esc_does_not_silently_discard_draft_fields_typed_after_an_error() {
    let mut d = draft_with_a_mistyped_field();
    d.keys("2");
    d.press(KeyCode::Esc);
    let saved = d.stored().vouchers["DEMO-0005"]
        .report
        .as_ref()
        .unwrap()
        .fields
        .walk_on_hours
        .is_some();
    assert!(
        d.form().is_some() || saved,
        "either the form stays open once more, or the hours were saved"
    );
}

#[test]
fn the_status_bar_shows_the_clock_and_the_saved_mark_at_80_columns() {
    let mut d = Desk::demo();
    d.m.db_label = "/home/someone/.local/share/saps/saps.db".into();
    d.key('4');
    d.key('c');
    d.fill("licensing_id", "LIC-20001");
    d.fill("name", "Proseware");
    d.fill("planning_days", "10");
    d.fill("agreement_expires", "2027-12-31");
    d.press(KeyCode::Enter);
    assert!(d.form().is_none());
    let screen = d.screen(80, 24);
    let status = screen.lines().last().unwrap_or("");
    assert!(status.contains("ava@northwind.example"), "{status}");
    assert!(status.contains("2026-06-15"), "the clock: {status}");
    assert!(status.contains("saved"), "the saved mark: {status}");
}
