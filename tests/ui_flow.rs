//! Multi-step journeys by keys, through the keymap, `update` and the real
//! store (via `app::dispatch`), without a terminal: a voucher from intake to
//! paid, several redeemed at once, a consultant's engagements.

mod ui_common;

use ratatui::crossterm::event::KeyCode;
use saps::domain::Status;
use saps::ui::model::Overlay;
use saps::ui::tab::Tab;
use ui_common::*;

const NEW: &str = "UI-KEYS-0001";

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
    // A real file: submit needs the stored copy.
    let plan = d.dir.path().join("plan.pdf");
    std::fs::write(&plan, b"%PDF-1.4 the rollout plan").unwrap();
    d.fill("deliverable_path", &plan.display().to_string());
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
        ["DEMO-0007", "DEMO-0005"],
        "only the engagements cody is named on, the one expiring first first"
    );
    d.press(KeyCode::Down);
    assert_eq!(current(&d).as_deref(), Some("DEMO-0005"));
    let screen = d.screen(200, 50);
    assert!(screen.contains("Before submitting"), "{screen}");
    assert!(
        screen.contains("a copy of the deliverable is missing"),
        "{screen}"
    );
    d.key('s');
    d.press(KeyCode::Enter);
    let form = d.form().expect("the submit form stays open");
    let message = form.message.clone().unwrap_or_default();
    assert!(
        message.contains("problems:"),
        "every unmet rule at once: {message}"
    );
    assert!(
        message.contains("a copy of the deliverable") && message.contains("off-site"),
        "{message}"
    );
    assert!(
        !message.contains("report_incomplete") && !message.contains("offsite_days"),
        "no codes or keys on the desk: {message}"
    );
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
