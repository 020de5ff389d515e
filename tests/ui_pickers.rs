//! Forms that know what the desk knows, by keys: values the database holds
//! are chosen from a list under the field (↓ then Enter), never typed; a
//! form with several problems shows them all at once; the report form
//! submits, with its checklist; the deliverable says what was stored.

mod ui_common;

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use saps::domain::Status;
use saps::ui::forms::choices;
use saps::ui::model::Overlay;
use ui_common::*;

/// The choices listed under the focused field, as shown.
fn listed(d: &Desk) -> Vec<choices::Choice> {
    let form = d.form().expect("a form");
    choices::shown(&d.m, form, form.focus)
}

/// The choice Enter would take now.
fn armed(d: &Desk) -> Option<choices::Choice> {
    let form = d.form().expect("a form");
    let list = choices::shown(&d.m, form, form.focus);
    choices::armed(form, &list).map(|i| list[i].clone())
}

/// Goes to `field`, empties it, then ↓ until the choice shown with `name`
/// is under the cursor, and Enter: nothing of the value is typed.
fn choose(d: &mut Desk, field: &str, name: &str) {
    d.goto_field(field);
    d.ctrl('u');
    assert!(!listed(d).is_empty(), "{field} lists its choices");
    for _ in 0..listed(d).len() {
        d.press(KeyCode::Down);
        if armed(d).is_some_and(|c| c.shown.contains(name)) {
            d.press(KeyCode::Enter);
            assert!(d.form().is_some(), "Enter over a list takes, not submits");
            return;
        }
    }
    panic!("no choice {name:?} in {field}: {:?}", listed(d));
}

#[test]
fn a_voucher_goes_from_assigned_to_paid_choosing_every_listed_value() {
    let mut d = Desk::demo();
    assert_eq!(d.status_of("DEMO-0001"), Some(Status::Assigned));
    d.key('5');
    pick(&mut d, "DEMO-0001");
    d.key('r');
    assert_eq!(d.form_title(), Some("Reserve a voucher"));

    // The engagements of the voucher's offering, by their full names.
    d.goto_field("engagement");
    d.ctrl('u');
    let engagements = listed(&d);
    let offering = d.voucher("DEMO-0001").unwrap().offering;
    let catalog = saps::domain::Catalog::builtin();
    let of_offering = catalog
        .engagements
        .iter()
        .filter(|e| e.offering == offering)
        .count();
    assert_eq!(
        engagements.len(),
        of_offering,
        "only the offering's: {engagements:?}"
    );
    let first = engagements[0].clone();
    assert!(first.ok, "a valid engagement first: {engagements:?}");
    let full = catalog
        .engagements
        .iter()
        .find(|e| e.slug == first.value)
        .unwrap()
        .name
        .clone();
    let screen = d.screen(200, 50);
    assert!(screen.contains(&full), "the full name is shown:\n{screen}");
    d.press(KeyCode::Down);
    d.press(KeyCode::Enter);
    assert_eq!(d.field("engagement"), first.value);

    // The location, with its country; the country follows.
    d.fill("country", "");
    choose(&mut d, "location_id", "SEA-1 (US)");
    assert_eq!(d.field("location_id"), "SEA-1");
    assert_eq!(d.field("country"), "US", "the country follows the location");

    d.fill("start", "2026-06-22");
    d.fill("end", "2026-06-26");
    // Consultants: names and emails; several may be picked.
    d.goto_field("consultants");
    d.ctrl('u');
    let people = listed(&d);
    assert!(
        people.iter().any(|c| c.shown.contains("cody@northwind.example")),
        "{people:?}"
    );
    let screen = d.screen(200, 50);
    assert!(screen.contains(&people[0].shown), "{screen}");
    choose(&mut d, "consultants", CODY);
    assert_eq!(d.field("consultants"), format!("{CODY}, "));
    assert!(
        !listed(&d).iter().any(|c| c.value == CODY),
        "a consultant picked is not offered again"
    );
    d.set_toggle("accept_terms", "yes");
    d.press(KeyCode::Enter);
    assert!(d.form().is_none(), "reserved: {:?}", d.form().map(|f| &f.message));
    assert_eq!(d.status_of("DEMO-0001"), Some(Status::Reserved));

    // The report, after the week, by cody; submitted from its form.
    d.set_now(noon(2026, 6, 29));
    d.act_as(CODY);
    d.key('6');
    pick(&mut d, "DEMO-0001");
    d.key('d');
    d.fill("onsite_days", "4");
    d.fill("offsite_days", "1");
    let kind = catalog.deliverable_kinds[0].clone();
    choose(&mut d, "deliverable_kind", &kind);
    assert_eq!(d.field("deliverable_kind"), kind);
    // The file's path is completed with Ctrl-T, not typed in full.
    let plan = d.dir.path().join("rollout-plan.pdf");
    std::fs::write(&plan, b"%PDF-1.4 the rollout plan").unwrap();
    d.goto_field("deliverable_path");
    d.ctrl('u');
    d.keys(&format!("{}/roll", d.dir.path().display()));
    d.ctrl('t');
    assert_eq!(d.field("deliverable_path"), plan.display().to_string());
    d.press(KeyCode::Tab);
    d.press(KeyCode::BackTab);
    let screen = squash(&d.screen(120, 40));
    assert!(
        screen.contains("stored: rollout-plan.pdf · 25 bytes · sha256"),
        "what was stored:\n{screen}"
    );
    d.set_toggle("customer_accepted", "yes");
    d.press(KeyCode::Tab);
    // The checklist sits beside the form, in a box that holds this line whole.
    let screen = squash(&d.screen(200, 50));
    assert!(screen.contains("every rule is met; Enter submits"), "{screen}");
    d.press(KeyCode::Enter);
    assert!(
        d.form().is_none(),
        "submitted from the form: {:?}",
        d.form().map(|f| &f.message)
    );
    assert_eq!(d.status_of("DEMO-0001"), Some(Status::Delivered));

    // Redeemed, invoiced at the delivery location picked, paid.
    d.act_as(AVA);
    d.key('7');
    pick(&mut d, "DEMO-0001");
    d.key('r');
    d.press(KeyCode::Enter);
    d.key('y');
    assert_eq!(d.status_of("DEMO-0001"), Some(Status::Redeemed));
    d.key('8');
    pick(&mut d, "DEMO-0001");
    d.key('i');
    d.keys("INV-PICK-1");
    choose(&mut d, "location_id", "SEA-1");
    d.press(KeyCode::Enter);
    assert!(
        matches!(d.m.top(), Some(Overlay::Confirm(_))),
        "{:?}",
        d.form().map(|f| &f.message)
    );
    d.key('y');
    assert_eq!(d.status_of("DEMO-0001"), Some(Status::Invoiced));
    d.key('a');
    d.fill("reference", "MS-PAY-PICK");
    d.press(KeyCode::Enter);
    d.key('y');
    assert_eq!(d.status_of("DEMO-0001"), Some(Status::Paid));
    let v = d.reopen().vouchers["DEMO-0001"].clone();
    assert_eq!(v.reservation.unwrap().consultants, vec![CODY.to_string()]);
}

#[test]
fn a_form_with_three_problems_shows_three_messages_at_once() {
    let mut d = Desk::demo();
    d.reserve_form_starting_in_the_past();
    d.fill("location_id", "");
    d.fill("start", "June 22");
    d.fill("end", "");
    d.press(KeyCode::Enter);
    assert!(d.form().is_some());
    let errors: Vec<(String, String)> = d
        .form()
        .unwrap()
        .fields
        .iter()
        .filter_map(|f| f.error.clone().map(|e| (f.spec.name.to_string(), e)))
        .collect();
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert_eq!(
        d.field_error("location_id").as_deref(),
        Some("Delivery location id: is required")
    );
    assert!(
        d.field_error("start")
            .unwrap()
            .starts_with("Start: expected a date")
    );
    assert_eq!(d.field_error("end").as_deref(), Some("End: is required"));
    assert_eq!(d.focused(), Some("location_id"), "the focus on the first");
    let screen = d.screen(120, 40);
    // The form's marks: the actions line marks unavailable keys with ✗ too.
    let marks: Vec<&str> = screen
        .lines()
        .filter(|l| l.contains('✗') && !l.contains('['))
        .collect();
    assert_eq!(marks.len(), 3, "three messages on screen:\n{screen}");
    assert!(
        marks.iter().filter(|l| l.contains("YYYY-MM-DD")).count() == 2,
        "the dates keep their hint:\n{screen}"
    );
    assert!(
        !screen.contains("invalid_input") && !screen.contains("location_id"),
        "{screen}"
    );
    // Fixed, the same form goes on to the domain, whose refusal is one.
    d.fill("location_id", "SEA-1");
    d.fill("start", "2026-06-01");
    d.fill("end", "2026-06-05");
    d.press(KeyCode::Enter);
    let errors = d
        .form()
        .unwrap()
        .fields
        .iter()
        .filter(|f| f.error.is_some())
        .count();
    assert_eq!(errors, 1);
    assert!(d.field_error("start").unwrap().contains("has passed"));
}

/// Cody's report form of DEMO-0005.
fn report_form() -> Desk {
    let mut d = Desk::demo_as(CODY);
    d.key('6');
    pick(&mut d, "DEMO-0005");
    d.key('d');
    d
}

#[test]
fn the_deliverable_says_why_nothing_was_stored() {
    let mut d = report_form();
    let missing = d.dir.path().join("nowhere.pdf");
    d.fill("deliverable_path", &missing.display().to_string());
    d.press(KeyCode::Tab);
    d.press(KeyCode::BackTab);
    // A missing file: the path is kept, nothing is stored, and the form says so.
    assert!(d.field_error("deliverable_path").is_none());
    let screen = squash(&d.screen(120, 40));
    assert!(screen.contains("✗ not stored: no file was found"), "{screen}");
    let dir = d.dir.path().display().to_string();
    d.fill("deliverable_path", &dir);
    d.press(KeyCode::Tab);
    let err = d.field_error("deliverable_path").expect("a folder is refused");
    assert!(
        err.contains("not a regular file") || err.contains("file"),
        "{err}"
    );
    let screen = squash(&d.screen(120, 40));
    assert!(screen.contains(&err[..20.min(err.len())]), "{screen}");
}

#[test]
fn the_report_form_says_what_is_cut_off_and_shows_long_text_from_its_start() {
    let mut d = report_form();
    let long = format!(
        "Workshops held with the customer's team{}",
        " and more".repeat(20)
    );
    d.fill("summary", &long);
    d.press(KeyCode::Tab);
    let screen = d.screen(80, 24);
    assert!(
        screen.contains("Workshops held with"),
        "a field left shows its start:\n{screen}"
    );
    assert!(screen.contains("↓ 2 more below"), "a scroll hint:\n{screen}");
    assert!(screen.contains("Before submitting"), "the checklist:\n{screen}");
    // Enter submits from the form; the domain's refusal stays beside it.
    d.press(KeyCode::Enter);
    assert!(d.form().is_some());
    assert_eq!(d.status_of("DEMO-0005"), Some(Status::Reserved));
    let shown = d.form().unwrap().fields.iter().any(|f| f.error.is_some());
    assert!(shown, "the refusal beside the field it names");
}

#[test]
fn ctrl_t_lists_the_files_that_fit_when_there_are_several() {
    let mut d = report_form();
    for name in ["plan-a.pdf", "plan-b.pdf"] {
        std::fs::write(d.dir.path().join(name), b"x").unwrap();
    }
    d.goto_field("deliverable_path");
    d.ctrl('u');
    d.keys(&format!("{}/pl", d.dir.path().display()));
    d.press_with(KeyCode::Char('t'), KeyModifiers::CONTROL);
    assert_eq!(
        d.field("deliverable_path"),
        format!("{}/plan-", d.dir.path().display())
    );
    assert!(
        d.flash().contains("plan-a.pdf") && d.flash().contains("plan-b.pdf"),
        "{}",
        d.flash()
    );
    assert_eq!(d.focused(), Some("deliverable_path"), "Ctrl-T does not move on");
}

#[test]
fn a_consultant_without_the_qualifying_exam_is_marked_and_listed_last() {
    let mut d = Desk::demo();
    d.key('5');
    pick(&mut d, "DEMO-0001");
    d.key('r');
    // Exchange needs Messaging: cody passed its exam, dana did not.
    d.fill("engagement", "exchange-deployment");
    d.goto_field("consultants");
    d.ctrl('u');
    let people = listed(&d);
    let order: Vec<(&str, bool)> = people.iter().map(|c| (c.value.as_str(), c.ok)).collect();
    assert_eq!(order, [(CODY, true), (DANA, false)], "valid first: {people:?}");
    assert_eq!(people[1].note, Some("no qualifying exam"));
    let screen = d.screen(120, 40);
    let dana = screen
        .lines()
        .find(|l| l.contains("Dana Whitfield <dana@northwind.example>"))
        .unwrap_or_else(|| panic!("dana listed by name and email:\n{screen}"));
    assert!(dana.contains("! no qualifying exam"), "{dana}");
    // Typing filters the list.
    d.keys("whit");
    let people = listed(&d);
    assert_eq!(people.len(), 1);
    assert_eq!(people[0].value, DANA);
}

#[test]
fn a_voucher_is_recorded_choosing_its_customer_and_offering() {
    let mut d = Desk::demo();
    d.key('4');
    d.key('r');
    d.fill("voucher_id", "PICK-0001");
    choose(&mut d, "customer", "(LIC-10001)");
    assert_eq!(d.field("customer"), "LIC-10001");
    choose(&mut d, "offering", "(SEDPS)");
    assert_eq!(d.field("offering"), "SEDPS");
    d.fill("days", "5");
    d.fill("admin_email", "pm-pick@customer.example");
    d.press(KeyCode::Enter);
    assert!(d.form().is_none(), "{:?}", d.form().map(|f| &f.message));
    let v = d.voucher("PICK-0001").expect("recorded");
    assert_eq!((v.customer.as_str(), v.offering.as_str()), ("LIC-10001", "SEDPS"));
}

#[test]
fn a_packet_form_marks_every_empty_field_at_once_by_its_label() {
    let mut d = Desk::demo();
    d.key('6');
    pick(&mut d, "DEMO-0005");
    d.key('f');
    assert_eq!(d.form_title(), Some("Engagement packet for the field"));
    d.fill("voucher_id", "");
    d.fill("file", "");
    d.press(KeyCode::Enter);
    assert!(d.form().is_some());
    assert_eq!(
        d.field_error("voucher_id").as_deref(),
        Some("Voucher id: is required")
    );
    assert_eq!(
        d.field_error("file").as_deref(),
        Some("Packet file (must not exist): is required")
    );
}
