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
    let screen = d.screen(80, 24);
    // DEMO-0014 was redeemed with 2026-06-19 as its deadline: 4 days left.
    assert!(screen.contains("Expiry / pay by"), "{screen}");
    assert!(
        screen.contains("by 2026-06-19 soon"),
        "in words, for NO_COLOR:\n{screen}"
    );
}

/// Fills DEMO-0007's report (cody's engagement, 2026-06-22 to 06-26) and
/// asks to submit it; returns whether it was submitted.
fn fill_and_submit_demo_0007(d: &mut Desk) -> bool {
    d.key('6');
    d.press(KeyCode::Esc); // the filter of an earlier try
    pick(d, "DEMO-0007");
    d.key('d');
    d.fill("delivered_start", "2026-06-22");
    d.fill("delivered_end", "2026-06-26");
    d.fill("onsite_days", "4");
    d.fill("offsite_days", "1");
    d.fill("deliverable_kind", "Deployment Plan");
    let plan = d.dir.path().join("plan.pdf");
    std::fs::write(&plan, b"%PDF-1.4 the exchange plan").unwrap();
    d.fill("deliverable_path", &plan.display().to_string());
    d.fill("summary", "Exchange Online migration planned.");
    d.set_toggle("customer_accepted", "yes");
    d.press(KeyCode::Esc);
    d.key('s');
    d.press(KeyCode::Enter);
    if matches!(d.m.top(), Some(Overlay::Confirm(_))) {
        d.key('y');
    }
    d.status_of("DEMO-0007") == Some(saps::domain::state::Status::Delivered)
}

#[test]
fn the_demo_clock_moves_and_a_report_is_submitted_without_leaving_the_demo() {
    let mut d = Desk::demo_as(CODY);
    assert!(
        d.screen(100, 24).contains("2026-06-15 12:00 demo"),
        "the status bar says it is the demo's clock"
    );
    assert!(
        !fill_and_submit_demo_0007(&mut d),
        "not before the engagement ends"
    );
    while d.m.stack.pop().is_some() {}
    d.key('>');
    assert_eq!(d.m.today().to_string(), "2026-06-22", "> is a week later");
    d.key('+');
    assert_eq!(d.m.today().to_string(), "2026-06-23", "+ is a day later");
    d.key('>');
    assert!(d.flash().contains("2026-06-30"), "{}", d.flash());
    assert!(d.screen(100, 24).contains("2026-06-30"));
    assert!(
        fill_and_submit_demo_0007(&mut d),
        "submitted on the moved clock: {:?}",
        d.form().map(|f| &f.message)
    );

    // Recorded in the database: a desk opened on it later sees that day.
    d.close();
    let store = std::sync::Arc::new(open_retrying(&d.db));
    let opts = saps::app::DeskOptions {
        db: d.db.clone(),
        actor: Some(AVA.into()),
        now: None,
        catalog: saps::domain::Catalog::builtin(),
        tour: false,
    };
    let (m, _engine) = saps::app::prepare_on(store, opts).expect("desk prepares");
    assert_eq!(
        m.today().to_string(),
        "2026-06-30",
        "the demo database keeps its clock"
    );
    assert!(m.clock_fixed && m.demo_clock);
}

#[test]
fn only_a_demo_databases_clock_moves() {
    let mut d = Desk::demo();
    d.m.demo_clock = false;
    let before = d.m.now;
    d.key('>');
    assert_eq!(d.m.now, before);
    assert!(d.flash().contains("only a demo database"), "{}", d.flash());
}

#[test]
fn ctrl_u_in_the_filter_erases_it_and_types_no_u() {
    let mut d = Desk::demo();
    d.key('8');
    d.key('/');
    d.keys("0013");
    d.ctrl('u');
    let list = d.m.list(Tab::Payment);
    assert_eq!(list.filter, "", "Ctrl-U erases the filter");
    assert!(list.filtering, "and keeps typing it");
    d.ctrl('x');
    assert_eq!(d.m.list(Tab::Payment).filter, "", "no control key is typed in");
}

#[test]
fn names_show_in_full_where_they_fit_and_end_in_an_ellipsis_where_not() {
    let mut d = Desk::demo();
    let names: Vec<String> = d.m.catalog.engagements.iter().map(|e| e.name.clone()).collect();
    let offerings: Vec<String> = d.m.catalog.offerings.iter().map(|o| o.name.clone()).collect();
    d.key('1');
    let wide = d.screen(200, 50);
    for n in &names {
        assert!(wide.contains(n.as_str()), "{n} in full at 200 columns:\n{wide}");
    }
    let narrow = d.screen(80, 24);
    let shown: Vec<&String> = names.iter().filter(|n| narrow.contains(n.as_str())).collect();
    assert!(shown.len() < names.len(), "some names do not fit at 80 columns");
    for n in names.iter().filter(|n| !narrow.contains(n.as_str())) {
        // The row shows its start, then "…".
        let start: String = n.chars().take(12).collect();
        let line = narrow.lines().find(|l| l.contains(&start));
        if let Some(line) = line {
            assert!(line.contains('…'), "{n} is shortened with an ellipsis: {line}");
        }
    }
    d.key('2');
    let wide = d.screen(200, 50);
    for n in &offerings {
        assert!(wide.contains(n.as_str()), "{n} in full at 200 columns:\n{wide}");
    }
    let narrow = d.screen(100, 30);
    assert!(
        narrow.contains("renew"),
        "the enrollment says when to renew at 100 columns:\n{narrow}"
    );
}

#[test]
fn a_box_longer_than_its_area_says_so() {
    let mut d = Desk::demo();
    let screen = d.screen(80, 24);
    assert!(
        screen.contains("1–7 of 9"),
        "the deadlines say where the window is:\n{screen}"
    );
    d.key('6');
    pick(&mut d, "DEMO-0007");
    let screen = d.screen(80, 24);
    assert!(
        screen.contains("lines not shown"),
        "the checklist says it is cut:\n{screen}"
    );
    let screen = d.screen(200, 50);
    assert!(
        !screen.contains("not shown"),
        "all of it fits at 200x50:\n{screen}"
    );
}

#[test]
fn w_writes_the_voucher_list_in_view_with_customer_names() {
    let mut d = Desk::demo();
    d.key('5');
    d.filter("reserved");
    let shown = d.m.list(Tab::Reserve).len();
    assert!(shown > 1, "several reserved vouchers");
    d.key('w');
    assert_eq!(d.form_title(), Some("Write the list to a file"));
    let suggested = d.field("file");
    assert!(
        suggested.ends_with(".csv") && suggested.contains("reserve"),
        "{suggested}"
    );
    let file = d.dir.path().join("reserved.csv");
    d.fill("file", &file.display().to_string());
    d.press(KeyCode::Enter);
    assert!(d.form().is_none(), "{:?}", d.form().map(|f| &f.message));
    assert!(
        d.flash().contains(&file.display().to_string()),
        "the desk says where: {}",
        d.flash()
    );
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), shown + 1, "a header and the rows in view:\n{text}");
    assert!(
        lines[0].starts_with("voucher_id,status,customer,customer_name,"),
        "{}",
        lines[0]
    );
    assert!(
        text.contains("DEMO-0007") && text.contains("Tailspin Toys"),
        "{text}"
    );
    assert!(
        !text.contains("DEMO-0003"),
        "an assigned voucher is filtered out:\n{text}"
    );

    // The same file again: refused beside the field, nothing overwritten.
    d.key('w');
    d.fill("file", &file.display().to_string());
    d.press(KeyCode::Enter);
    let message = d.form().and_then(|f| f.message.clone()).unwrap_or_default();
    assert!(message.contains("exists already"), "{message}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);

    // JSON by the extension.
    let json = d.dir.path().join("reserved.json");
    d.fill("file", &json.display().to_string());
    d.press(KeyCode::Enter);
    let value: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let rows = value.as_array().unwrap();
    assert_eq!(rows.len(), shown);
    assert!(
        rows.iter().any(|r| r["customer_name"] == "Tailspin Toys"),
        "{value}"
    );
}

#[test]
fn the_tour_follows_a_jump_and_ends_with_a_word() {
    let mut d = Desk::start(Start {
        seed: true,
        actor: Some(AVA.into()),
        tour: true,
    });
    d.key('5');
    assert!(
        d.screen(120, 30).contains("Tour 6/9"),
        "the tour follows the jump to step 5"
    );
    d.key('9');
    assert!(d.m.tour.is_none(), "no stop on the audit log: the tour ends");
    assert!(d.flash().contains("tour has ended"), "{}", d.flash());
    assert!(!d.screen(120, 30).contains("Tour "));

    let mut d = Desk::start(Start {
        seed: true,
        actor: Some(AVA.into()),
        tour: true,
    });
    for _ in 0..9 {
        d.key('n');
    }
    assert!(d.m.tour.is_none(), "n on the last stop ends the tour");
    assert!(d.flash().contains("tour has ended"), "{}", d.flash());
}

#[test]
fn at_sign_switches_the_acting_user_without_a_restart() {
    let mut d = Desk::demo();
    d.key('@');
    assert!(matches!(d.m.top(), Some(Overlay::Picker(_))));
    let users: Vec<String> = d.m.state.org.users.keys().cloned().collect();
    let Some(Overlay::Picker(at)) = d.m.top() else {
        unreachable!()
    };
    assert_eq!(users[*at], AVA, "the picker starts on the user acting now");
    let cody = users.iter().position(|u| u == CODY).unwrap();
    let at = *at;
    for _ in at..cody {
        d.press(KeyCode::Down);
    }
    for _ in cody..at {
        d.press(KeyCode::Up);
    }
    d.press(KeyCode::Enter);
    assert_eq!(d.m.actor.as_deref(), Some(CODY));
    assert!(d.m.stack.is_empty());
}

#[test]
fn step_4_does_not_offer_a_validate_key_it_lacks() {
    let mut d = Desk::demo();
    d.key('4');
    pick(&mut d, "DEMO-0003");
    let screen = d.screen(200, 50);
    assert!(screen.contains("v on step 5"), "{screen}");
}
