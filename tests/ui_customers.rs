//! The customer picker lists every customer, not only those step 4 has read
//! for its box (issue 13's review, item 8).

mod ui_common;

use ratatui::crossterm::event::KeyCode;
use saps::ui::Msg;
use saps::ui::forms::choices;
use saps::ui::model::Overlay;
use serde_json::json;
use ui_common::*;

/// The demo with `n` more customers, LIC-30000 on, named "Zeta Customer N".
fn demo_with_customers(n: usize) -> Desk {
    let mut d = Desk::demo();
    for i in 0..n {
        let line = json!({"cmd": "add_customer", "licensing_id": format!("LIC-{}", 30000 + i),
            "name": format!("Zeta Customer {i}"), "planning_days": 10, "agreement_expires": "2028-01-01"});
        let cmd = saps::input::parse_line(line.as_object().unwrap()).expect("parses");
        let m = d.m.clone();
        d.engine.as_mut().unwrap().run(&m, &cmd).expect("customer added");
    }
    d.send(Msg::Refresh);
    d
}

#[test]
fn the_customer_picker_lists_every_customer_not_only_those_on_step_4() {
    let mut d = demo_with_customers(60);
    d.key('4');
    let on_step_4 = d.m.customers.as_ref().map_or(0, Vec::len);
    assert!(
        on_step_4 < 66,
        "step 4 reads only what its box shows: {on_step_4}"
    );
    d.key('r');
    assert_eq!(d.form_title(), Some("Record a voucher"));
    d.goto_field("customer");
    d.ctrl('u'); // the customer of the voucher under the cursor, filled in
    let form = d.form().unwrap();
    let all = choices::shown(&d.m, form, form.focus);
    assert_eq!(all.len(), 66, "the demo's 6 and the 60 added");
    // The last one, by name, typed in part and chosen.
    d.keys("zeta customer 59");
    let form = d.form().unwrap();
    let found = choices::shown(&d.m, form, form.focus);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].shown, "Zeta Customer 59 (LIC-30059)");
    let screen = d.screen(80, 24);
    assert!(screen.contains("Zeta Customer 59 (LIC-30059)"), "{screen}");
    d.press(KeyCode::Enter);
    assert_eq!(d.field("customer"), "LIC-30059");
}

#[test]
fn the_names_are_read_once_per_change_and_drawing_reads_only_the_model() {
    let mut d = demo_with_customers(3);
    d.key('4');
    d.key('r');
    assert!(
        d.m.customer_names
            .as_ref()
            .is_some_and(|(n, all)| n.len() == 9 && *all)
    );
    // Drawing many frames asks for nothing: the view has no store.
    for _ in 0..20 {
        let _ = d.screen(120, 40);
    }
    assert!(matches!(d.m.top(), Some(Overlay::Form(_))));
    // A new customer is listed the next time a picker opens.
    d.press(KeyCode::Esc);
    d.key('c');
    d.fill("licensing_id", "LIC-40000");
    d.fill("name", "Proseware");
    d.fill("planning_days", "10");
    d.fill("agreement_expires", "2027-12-31");
    d.press(KeyCode::Enter);
    assert!(d.form().is_none());
    d.key('r');
    d.goto_field("customer");
    d.ctrl('u');
    d.keys("prose");
    let form = d.form().unwrap();
    let found = choices::shown(&d.m, form, form.focus);
    assert_eq!(found.len(), 1, "{found:?}");
}
