//! Key sequences through the keymap, `update` and the real store (via
//! `app::dispatch`), without a terminal.

mod ui_common;

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use saps::domain::Status;
use saps::ui::layout;
use saps::ui::model::Overlay;
use saps::ui::tab::Tab;
use ui_common::*;

const NEW: &str = "UI-KEYS-0001";

/// The voucher under the cursor of the current tab.
fn current(d: &Desk) -> Option<String> {
    d.m.current_key().map(str::to_string)
}

/// Filters the current tab's list down to `id` and checks the cursor is on it.
fn pick(d: &mut Desk, id: &str) {
    d.filter(id);
    assert_eq!(
        current(d).as_deref(),
        Some(id),
        "{id} under the cursor on {:?}",
        d.m.tab
    );
}

#[test]
fn a_voucher_goes_from_intake_to_paid_by_keys_alone() {
    let mut d = Desk::demo();
    assert!(d.m.stack.is_empty(), "the demo opens on the panes");
    assert_eq!(d.m.actor.as_deref(), Some(AVA));

    // Step 4: record the voucher the customer forwarded.
    d.key('4');
    assert_eq!(d.m.tab, Tab::Intake);
    d.key('r');
    assert_eq!(d.form_title(), Some("Record a voucher"));
    assert_eq!(d.field("created_on"), "2026-06-15", "created on is today");
    d.fill("voucher_id", NEW);
    d.fill("customer", "LIC-10001");
    d.fill("offering", "DDPS");
    d.fill("days", "5");
    d.fill("admin_email", "pm-ui@customer.example");
    d.press(KeyCode::Enter);
    assert!(
        d.form().is_none(),
        "the form closes once saved: {:?}",
        d.form().map(|f| &f.message)
    );
    assert_eq!(d.status_of(NEW), Some(Status::Assigned));
    assert!(
        d.flash().contains(NEW),
        "the status bar says what was saved: {}",
        d.flash()
    );
    assert!(d.screen(120, 30).contains("✓ saved"));

    // Step 5: reserve it (the delivery in the US, for a US day rate).
    d.key('5');
    assert_eq!(d.m.tab, Tab::Reserve);
    pick(&mut d, NEW);
    d.key('r');
    assert_eq!(d.form_title(), Some("Reserve a voucher"));
    assert_eq!(d.field("voucher_id"), NEW);
    assert_eq!(
        d.field("admin_email"),
        "pm-ui@customer.example",
        "prefilled from intake"
    );
    d.fill("engagement", "windows-office-deployment");
    d.fill("location_id", "SEA-1");
    d.fill("country", "US");
    d.fill("start", "2026-07-06");
    d.fill("end", "2026-07-10");
    d.fill("consultants", CODY);
    d.set_toggle("accept_terms", "yes");
    d.press(KeyCode::Enter);
    assert!(
        d.form().is_none(),
        "reserved: {:?}",
        d.form().map(|f| (&f.message, f.focused()))
    );
    assert_eq!(d.status_of(NEW), Some(Status::Reserved));

    // Step 6: the week has passed; cody files the report.
    d.set_now(noon(2026, 7, 13));
    d.act_as(CODY);
    d.key('6');
    assert_eq!(d.m.tab, Tab::Deliver);
    pick(&mut d, NEW);
    d.key('d');
    assert_eq!(
        d.form().map(|f| f.autosave),
        Some(true),
        "the draft form saves field by field"
    );
    d.fill("onsite_days", "4");
    d.press(KeyCode::Tab);
    let stored = d.stored();
    let fields = &stored.vouchers[NEW]
        .report
        .as_ref()
        .expect("a draft is stored")
        .fields;
    assert_eq!(fields.onsite_days, Some(4), "saved when the field was left");
    d.press(KeyCode::Esc);
    assert!(d.form().is_none());
    assert_eq!(
        d.stored().vouchers[NEW]
            .report
            .as_ref()
            .unwrap()
            .fields
            .onsite_days,
        Some(4),
        "still there after Esc"
    );
    d.key('d');
    assert_eq!(d.field("onsite_days"), "4", "the draft comes back in the form");
    d.fill("delivered_start", "2026-07-06");
    d.fill("delivered_end", "2026-07-10");
    d.fill("offsite_days", "1");
    d.fill("deliverable_kind", "Deployment Plan");
    d.fill("deliverable_path", "plan.pdf");
    d.fill("summary", "Windows 11 and Microsoft 365 Apps rollout planned.");
    d.set_toggle("customer_accepted", "yes");
    d.press(KeyCode::Esc);
    assert!(d.form().is_none(), "closed: {:?}", d.flash());
    let screen = d.screen(200, 50);
    assert!(screen.contains("Ready to submit"), "every rule met:\n{screen}");
    d.key('s');
    assert_eq!(d.form_title(), Some("Submit the completion report"));
    d.press(KeyCode::Enter);
    assert!(
        d.form().is_none(),
        "submitted: {:?}",
        d.form().map(|f| &f.message)
    );
    assert_eq!(d.status_of(NEW), Some(Status::Delivered));

    // Step 7: ava redeems, confirming.
    d.act_as(AVA);
    d.key('7');
    pick(&mut d, NEW);
    d.key('r');
    assert_eq!(d.field("voucher_ids"), NEW);
    d.press(KeyCode::Enter);
    assert!(
        matches!(d.m.top(), Some(Overlay::Confirm(_))),
        "redeem asks first"
    );
    assert!(d.screen(120, 30).contains("redeemed"));
    d.key('y');
    assert!(d.m.stack.is_empty(), "confirmation and form close");
    assert_eq!(d.status_of(NEW), Some(Status::Redeemed));

    // Step 8: request payment; the confirmation shows the amount.
    d.key('8');
    pick(&mut d, NEW);
    d.key('i');
    assert_eq!(d.focused(), Some("invoice_number"));
    d.keys("INV-UI-0001");
    d.press(KeyCode::Enter);
    let screen = d.screen(120, 30);
    assert!(matches!(d.m.top(), Some(Overlay::Confirm(_))));
    assert!(
        screen.contains("5,500 USD"),
        "the amount before asking:\n{screen}"
    );
    d.key('y');
    assert!(d.m.stack.is_empty());
    assert_eq!(d.status_of(NEW), Some(Status::Invoiced));

    d.key('a');
    assert_eq!(d.form_title(), Some("Record Microsoft's answer"));
    d.goto_field("outcome");
    assert_eq!(d.field("outcome"), "paid");
    d.key(' ');
    assert_eq!(d.field("outcome"), "denied", "Space cycles the outcome");
    d.key(' ');
    assert_eq!(d.field("outcome"), "paid");
    d.fill("reference", "MS-PAY-77");
    d.press(KeyCode::Enter);
    assert!(matches!(d.m.top(), Some(Overlay::Confirm(_))));
    d.key('y');
    assert!(d.m.stack.is_empty());
    assert_eq!(d.status_of(NEW), Some(Status::Paid));

    // The database on disk says the same.
    let today = d.m.today();
    let state = d.reopen();
    let v = &state.vouchers[NEW];
    assert_eq!(v.status(today), Status::Paid);
    assert_eq!(
        v.reservation.as_ref().unwrap().consultants,
        vec![CODY.to_string()]
    );
    let inv = v.invoices.last().expect("an invoice");
    assert_eq!((inv.amount, inv.currency.as_str()), (5500, "USD"));
}

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
    assert!(err.contains("reserve_after_start"), "{err}");
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
        below[0].contains("✗ start:"),
        "the message under the field:\n{screen}"
    );
    assert!(
        squash(&below.join(" ")).contains("reserve_after_start"),
        "{screen}"
    );

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
    assert!(actions.contains("Record a voucher (n/a)"), "{actions}");
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
fn help_is_built_from_the_keymap_and_q_or_ctrl_c_quit() {
    let mut d = Desk::demo();
    d.key('?');
    assert!(matches!(d.m.top(), Some(Overlay::Help(_))));
    let screen = d.screen(200, 50);
    for key in ["PgDn", "Ctrl-C", "Shift-Tab", "F1"] {
        assert!(screen.contains(key), "help lists {key}:\n{screen}");
    }
    d.press(KeyCode::Esc);
    assert!(d.m.stack.is_empty());
    d.press(KeyCode::F(1));
    assert!(matches!(d.m.top(), Some(Overlay::Help(_))), "F1 opens help too");
    d.press(KeyCode::Esc);
    assert!(!d.m.quit);
    d.key('q');
    assert!(d.m.quit, "q quits");

    let mut d = Desk::demo();
    d.key('4');
    d.key('r');
    assert!(d.form().is_some());
    d.key('q');
    assert!(!d.m.quit, "q is typed into a form");
    assert!(d.field("voucher_id").contains('q') || d.form().is_some());
    d.ctrl('c');
    assert!(d.m.quit, "Ctrl-C quits even in a form");
}

#[test]
fn slash_filters_the_list_and_esc_clears_it() {
    let mut d = Desk::demo();
    d.key('8');
    let all = d.m.list(Tab::Payment).len();
    assert!(all > 1, "the demo has several vouchers at step 8");
    d.key('/');
    d.keys("0013");
    assert_eq!(d.m.list(Tab::Payment).len(), 1);
    assert_eq!(current(&d).as_deref(), Some("DEMO-0013"));
    let screen = d.screen(120, 30);
    assert!(screen.contains("filter: 0013"), "{screen}");
    assert!(!screen.contains("DEMO-0012"));
    d.press(KeyCode::Esc);
    assert_eq!(d.m.list(Tab::Payment).len(), all, "Esc clears the filter");
    assert!(!d.m.list(Tab::Payment).filtering);

    // Enter keeps the filter; Esc on the pane clears it afterwards.
    d.filter("0013");
    assert_eq!(d.m.list(Tab::Payment).len(), 1);
    d.key('j');
    assert_eq!(d.m.list(Tab::Payment).len(), 1, "keys act on the list again");
    d.press(KeyCode::Esc);
    assert_eq!(d.m.list(Tab::Payment).len(), all);
}

#[test]
fn number_keys_tab_keys_and_list_keys_move_around() {
    let mut d = Desk::demo();
    for (n, tab) in [
        ('1', Tab::Eligibility),
        ('2', Tab::Enroll),
        ('3', Tab::Profile),
        ('4', Tab::Intake),
        ('5', Tab::Reserve),
        ('6', Tab::Deliver),
        ('7', Tab::Redeem),
        ('8', Tab::Payment),
    ] {
        d.key(n);
        assert_eq!(d.m.tab, tab, "key {n}");
    }
    d.key('1');
    d.press(KeyCode::Tab);
    assert_eq!(d.m.tab, Tab::Enroll);
    d.press_with(KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(d.m.tab, Tab::Eligibility);
    d.press_with(KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(d.m.tab, Tab::Dashboard);
    d.press_with(KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(d.m.tab, Tab::Audit, "Shift-Tab wraps around");
    d.press(KeyCode::Tab);
    assert_eq!(d.m.tab, Tab::Dashboard, "Tab wraps around");
    d.press(KeyCode::Right);
    assert_eq!(d.m.tab, Tab::Eligibility);
    d.press(KeyCode::Left);
    assert_eq!(d.m.tab, Tab::Dashboard);
    let mut seen = Vec::new();
    for _ in 0..10 {
        seen.push(d.m.tab);
        d.press(KeyCode::Tab);
    }
    assert_eq!(seen, Tab::ALL.to_vec(), "Tab visits every tab once");

    d.key('4');
    let len = d.m.list(Tab::Intake).len();
    assert_eq!(len, 22, "the demo's vouchers");
    let cursor = |d: &Desk| d.m.list(Tab::Intake).cursor;
    assert_eq!(cursor(&d), 0);
    d.key('j');
    d.key('j');
    assert_eq!(cursor(&d), 2);
    d.key('k');
    assert_eq!(cursor(&d), 1);
    d.press(KeyCode::Down);
    assert_eq!(cursor(&d), 2);
    d.press(KeyCode::Up);
    d.press(KeyCode::Up);
    d.press(KeyCode::Up);
    assert_eq!(cursor(&d), 0, "Up stops at the top");
    let page = layout::list_page(d.m.size);
    d.press(KeyCode::PageDown);
    assert_eq!(cursor(&d), page);
    d.press(KeyCode::PageUp);
    assert_eq!(cursor(&d), 0);
    d.press(KeyCode::End);
    assert_eq!(cursor(&d), len - 1);
    d.press(KeyCode::PageDown);
    assert_eq!(cursor(&d), len - 1, "PgDn stops at the end");
    d.press(KeyCode::Home);
    assert_eq!(cursor(&d), 0);
    d.key('G');
    assert_eq!(cursor(&d), len - 1, "G goes to the last row");
    d.key('g');
    assert_eq!(cursor(&d), 0);

    // The cursor's row is the one the details show.
    d.press(KeyCode::End);
    let last = current(&d).unwrap();
    let screen = d.screen(120, 30);
    assert!(screen.contains(&last), "{last} shown after End:\n{screen}");
}

#[test]
fn first_run_on_an_empty_database_sets_up_the_partner() {
    let mut d = Desk::empty();
    assert_eq!(d.form_title(), Some("Set up the partner"));
    assert!(d.m.actor.is_none());
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
    assert_eq!(current(&d).as_deref(), Some("DEMO-0005"));
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
fn clicks_select_tabs_and_list_rows() {
    let mut d = Desk::demo();
    let screen = d.screen(120, 30);
    let bar = first_line(&screen).to_string();
    // Step labels start with their number, whatever their width-dependent name.
    let column = |n: char| {
        let at = bar
            .find(&format!(" {n} "))
            .unwrap_or_else(|| panic!("step {n} in the tab bar: {bar}"));
        bar[..at].chars().count() as u16 + 1
    };
    d.click(column('4'), 0);
    assert_eq!(d.m.tab, Tab::Intake, "clicked {} on {bar}", column('4'));
    d.click(column('8') + 2, 0);
    assert_eq!(d.m.tab, Tab::Payment);
    d.click(column('1'), 0);
    assert_eq!(d.m.tab, Tab::Eligibility);
    let end = bar.chars().count() as u16;
    d.click(end + 5, 0);
    assert_eq!(
        d.m.tab,
        Tab::Eligibility,
        "a click past the last tab changes nothing"
    );

    d.key('4');
    let a = layout::areas(d.m.size);
    let (list, _) = layout::list_and_detail(a.body);
    let first_row = list.y + 2;
    d.click(list.x + 3, first_row + 3);
    assert_eq!(d.m.list(Tab::Intake).cursor, 3, "the fourth row");
    let id = current(&d).unwrap();
    let screen = d.show();
    let row = screen.lines().nth((first_row + 3) as usize).unwrap();
    assert!(row.contains(&id), "the clicked row is {id}: {row}");
    // A click on the header or the border changes nothing.
    d.click(list.x + 3, list.y + 1);
    assert_eq!(d.m.list(Tab::Intake).cursor, 3);
    // Past the last row on a short list: the cursor stays.
    d.key('7');
    let n = d.m.list(Tab::Redeem).len();
    d.click(list.x + 3, first_row + n as u16 + 1);
    assert!(d.m.list(Tab::Redeem).cursor < n.max(1));
}

#[test]
fn redeem_selects_several_with_space() {
    let mut d = Desk::demo();
    d.key('7');
    let n = d.m.list(Tab::Redeem).len();
    if n < 2 {
        eprintln!("the demo has {n} delivered vouchers; nothing to multi-select");
        return;
    }
    let first = current(&d).unwrap();
    d.key(' ');
    d.key('j');
    let second = current(&d).unwrap();
    d.key(' ');
    assert_eq!(d.m.list(Tab::Redeem).selected.len(), 2);
    assert!(d.screen(120, 30).contains("2 selected"));
    d.key('r');
    let ids = d.field("voucher_ids");
    assert!(ids.contains(&first) && ids.contains(&second), "{ids}");
    d.press(KeyCode::Enter);
    assert!(matches!(d.m.top(), Some(Overlay::Confirm(_))));
    d.press(KeyCode::Esc);
    assert!(d.form().is_some(), "n/Esc goes back to the form");
    d.press(KeyCode::Enter);
    d.key('y');
    assert!(d.m.stack.is_empty());
    for id in [&first, &second] {
        assert_eq!(d.status_of(id), Some(Status::Redeemed), "{id}");
    }
    assert!(
        d.m.list(Tab::Redeem).selected.is_empty(),
        "redeemed rows leave the selection"
    );
}

#[test]
fn a_consultant_sees_its_engagements_and_submit_lists_every_unmet_rule() {
    let mut d = Desk::demo_as(CODY);
    d.key('6');
    let list = d.m.list(Tab::Deliver);
    let ids: Vec<String> = (0..list.len())
        .filter_map(|i| list.key(i).map(str::to_string))
        .collect();
    assert_eq!(
        ids,
        ["DEMO-0005", "DEMO-0007"],
        "only the engagements cody is named on"
    );
    assert_eq!(current(&d).as_deref(), Some("DEMO-0005"));
    let screen = d.screen(200, 50);
    assert!(screen.contains("Before submitting"), "{screen}");
    assert!(screen.contains("the last day delivered is missing"), "{screen}");
    d.key('s');
    d.press(KeyCode::Enter);
    let form = d.form().expect("the submit form stays open");
    let message = form.message.clone().unwrap_or_default();
    assert!(
        message.contains("problems:"),
        "every unmet rule at once: {message}"
    );
    assert!(
        message.contains("the last day delivered") && message.contains("off-site"),
        "{message}"
    );
    assert!(message.contains("report_incomplete"), "{message}");
    assert_eq!(d.status_of("DEMO-0005"), Some(Status::Reserved));
    let screen = squash(&d.screen(200, 50));
    assert!(
        screen.contains("problems:"),
        "the message is on screen:\n{screen}"
    );

    // dana sees hers, not cody's.
    d.press(KeyCode::Esc);
    d.act_as(DANA);
    let list = d.m.list(Tab::Deliver);
    let ids: Vec<String> = (0..list.len())
        .filter_map(|i| list.key(i).map(str::to_string))
        .collect();
    assert!(!ids.contains(&"DEMO-0005".to_string()), "{ids:?}");
    // An admin sees every reserved engagement.
    d.act_as(AVA);
    assert!(d.m.list(Tab::Deliver).len() >= 3);
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
    assert!(d.m.stack.is_empty(), "Esc cancels a plain form");
    assert!(d.voucher("ABC?").is_none());
}

#[test]
fn typing_into_the_filter_does_not_trigger_keys() {
    let mut d = Desk::demo();
    d.key('8');
    d.key('/');
    d.keys("q?1p");
    assert!(!d.m.quit, "q is part of the filter");
    assert!(d.m.stack.is_empty());
    assert_eq!(d.m.tab, Tab::Payment);
    assert_eq!(d.m.list(Tab::Payment).filter, "q?1p");
    d.press(KeyCode::Backspace);
    assert_eq!(d.m.list(Tab::Payment).filter, "q?1");
}

#[test]
fn a_fixed_clock_ignores_ticks_and_key_releases_do_nothing() {
    let mut d = Desk::demo();
    let before = d.m.now;
    d.send(saps::ui::Msg::Tick(noon(2030, 1, 1)));
    assert_eq!(d.m.now, before);
    let mut release = ratatui::crossterm::event::KeyEvent::new(KeyCode::Char('4'), KeyModifiers::NONE);
    release.kind = ratatui::crossterm::event::KeyEventKind::Release;
    d.send(saps::ui::Msg::Key(release));
    assert_eq!(d.m.tab, Tab::Dashboard);
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

#[test]
fn help_at_80x24_can_reach_the_panes_actions() {
    let mut d = Desk::demo();
    d.key('8');
    d.key('?');
    d.resize(80, 24);
    // The pane's own actions come first...
    let screen = d.show();
    assert!(screen.contains("On 8 Payment"), "{screen}");
    assert!(screen.contains("Register in SAVB"), "{screen}");
    assert!(!screen.contains("previous step of the tour"), "{screen}");
    // ...and scrolling reaches the end of the keymap.
    for _ in 0..4 {
        d.press(KeyCode::PageDown);
    }
    let screen = d.show();
    assert!(matches!(d.m.top(), Some(Overlay::Help(_))), "still in help");
    assert!(screen.contains("previous step of the tour"), "{screen}");
}

#[test]
fn details_of_a_redeemed_voucher_have_no_empty_parentheses() {
    let mut d = Desk::demo();
    d.key('8');
    pick(&mut d, "DEMO-0013");
    let screen = d.screen(120, 30);
    assert!(!screen.contains("()"), "{screen}");
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
fn customers_can_be_told_apart_in_the_voucher_list_at_80_columns() {
    let mut d = Desk::demo();
    d.key('4');
    let screen = d.screen(80, 24);
    let row = screen.lines().find(|l| l.contains("DEMO-0004")).unwrap();
    assert!(row.contains("LIC-10005"), "{row}");
}

#[test]
fn a_click_on_each_tab_label_selects_that_tab_at_every_width() {
    click_every_tab(&[80, 109, 110, 149, 150, 200]);
}

#[test]
fn every_tab_shows_at_the_minimum_width() {
    click_every_tab(&[layout::MIN_WIDTH, layout::MIN_WIDTH + 1]);
}

fn click_every_tab(widths: &[u16]) {
    let mut d = Desk::demo();
    for &w in widths {
        let screen = d.screen(w, 30);
        let bar = first_line(&screen).to_string();
        let labels: Vec<&str> = bar.split('│').filter(|s| !s.trim().is_empty()).collect();
        assert_eq!(
            labels.len(),
            Tab::ALL.len(),
            "every tab shows at {w} columns: {bar}"
        );
        let mut x = 0u16;
        for (label, tab) in labels.iter().zip(Tab::ALL) {
            let first = label.chars().position(|c| c != ' ').unwrap() as u16;
            d.click(x + first, 0);
            assert_eq!(d.m.tab, tab, "clicked {label:?} at {w} columns");
            x += label.chars().count() as u16 + 1;
        }
    }
}

#[test]
fn a_click_on_a_row_of_a_later_page_selects_that_row() {
    let mut d = Desk::demo();
    d.key('4');
    d.press(KeyCode::End);
    let page = layout::list_page(d.m.size);
    let start = (21 / page) * page;
    let (list, _) = layout::list_and_detail(layout::areas(d.m.size).body);
    d.click(list.x + 2, list.y + 2);
    assert_eq!(
        d.m.list(Tab::Intake).cursor,
        start,
        "the first row shown on the last page"
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
