//! What a review of issue 13 found missing: deadlines under 14 days in the
//! warning colour and in words, Esc after a refusal, the reserve form's
//! administrator email, the MPN id refused in the desk.

mod ui_common;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::Color;
use saps::ui::view;
use ui_common::*;

/// The desk drawn at `w`x`h`, as a buffer (colours included).
fn drawn(d: &mut Desk, w: u16, h: u16) -> Buffer {
    d.resize(w, h);
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    terminal.draw(|f| view(&d.m, f)).expect("draws");
    terminal.backend().buffer().clone()
}

/// The foreground colour of the first cell of `needle` on the screen.
fn colour_of(b: &Buffer, needle: &str) -> Option<Color> {
    let text = buffer_text(b);
    let (y, line) = text.lines().enumerate().find(|(_, l)| l.contains(needle))?;
    let x = line[..line.find(needle)?].chars().count() as u16;
    Some(b[(x, y as u16)].fg)
}

#[test]
fn a_dashboard_deadline_under_14_days_is_marked_soon_in_the_warning_colour() {
    let mut d = Desk::demo();
    let near =
        d.m.stats
            .deadlines
            .iter()
            .find(|x| (0..14).contains(&x.left))
            .cloned();
    let far = d.m.stats.deadlines.iter().find(|x| x.left >= 14).cloned();
    let near = near.expect("the demo has a deadline under 14 days");
    let b = drawn(&mut d, 200, 50);
    let screen = buffer_text(&b);
    assert!(screen.contains(&format!("{} · soon", near.text)), "{screen}");
    assert_eq!(colour_of(&b, &near.text), Some(Color::Yellow), "{screen}");
    if let Some(far) = far {
        assert!(!screen.contains(&format!("{} · soon", far.text)), "{screen}");
        assert_ne!(colour_of(&b, &far.text), Some(Color::Yellow));
    }
    // Without colour the word stays.
    d.m.color = false;
    let screen = buffer_text(&drawn(&mut d, 80, 24));
    assert!(screen.contains("· soon"), "{screen}");
    assert!(!screen.contains(" 1 days"), "{screen}");
}

#[test]
fn step_8_pay_by_under_14_days_is_in_the_warning_colour() {
    let mut d = Desk::demo();
    d.key('8');
    let b = drawn(&mut d, 200, 50);
    let screen = buffer_text(&b);
    // DEMO-0014 was redeemed with 2026-06-19 as its deadline: 4 days left.
    assert!(screen.contains("by 2026-06-19 soon"), "{screen}");
    assert_eq!(colour_of(&b, "by 2026-06-19 soon"), Some(Color::Yellow));
}

#[test]
fn days_read_one_day_not_1_days() {
    use saps::ui::stats::{days, in_days};
    assert_eq!(days(1), "1 day");
    assert_eq!(days(-1), "-1 day");
    assert_eq!(days(3), "3 days");
    assert_eq!(in_days(-2), "2 days ago");
    let mut d = Desk::demo();
    for tab in ['0', '4', '5', '6', '7', '8'] {
        d.key(tab);
        for (w, h) in [(80, 24), (200, 50)] {
            let screen = d.screen(w, h);
            assert!(!screen.contains(" 1 days"), "{screen}");
            assert!(!screen.contains(" 1 d "), "{screen}");
        }
    }
}

/// Whether the form on top shows a refusal (beside a field or as its message).
fn refusal_shown(d: &Desk) -> bool {
    d.form()
        .is_some_and(|f| f.message.is_some() || f.fields.iter().any(|x| x.error.is_some()))
}

#[test]
fn one_esc_dismisses_a_refusal_in_every_form_and_the_next_key_goes_into_its_field() {
    use saps::ui::forms::{Form, Kind, spec::FORMS};
    use saps::ui::model::Overlay;
    let mut d = Desk::demo();
    let mut refused = Vec::new();
    for spec in FORMS {
        d.m.stack.clear();
        d.m.quit = false;
        d.m.stack.push(Overlay::Form(Box::new(Form::new(spec))));
        let typeable = |k: Kind| !matches!(k, Kind::Bool | Kind::Choice(_));
        let Some(first) = spec.fields.iter().find(|f| typeable(f.kind)) else {
            continue;
        };
        d.goto_field(first.name);
        // Something refused: a path in no folder, or text that is no date,
        // number, voucher id or list entry.
        let bad = match first.name {
            "file" | "deliverable_path" => d.dir.path().join("no/such/zz").display().to_string(),
            _ => "zz".to_string(),
        };
        d.keys(&bad);
        d.press(KeyCode::Enter);
        if !refusal_shown(&d) {
            continue;
        }
        refused.push(spec.title);
        let focus = d.focused();
        let form_was = d.form().map(|f| {
            f.fields
                .iter()
                .map(|x| x.input.value().to_string())
                .collect::<Vec<_>>()
        });
        d.press(KeyCode::Esc);
        let form = d
            .form()
            .unwrap_or_else(|| panic!("{}: one Esc keeps the form", spec.title));
        assert!(form.message.is_none(), "{}: the message is dismissed", spec.title);
        if !form.autosave {
            assert!(
                form.fields.iter().all(|x| x.error.is_none()),
                "{}: every mark is dismissed",
                spec.title
            );
        }
        assert_eq!(
            Some(
                form.fields
                    .iter()
                    .map(|x| x.input.value().to_string())
                    .collect::<Vec<_>>()
            ),
            form_was,
            "{}: nothing typed is lost",
            spec.title
        );
        assert!(
            d.flash().contains("Refusal dismissed"),
            "{}: {}",
            spec.title,
            d.flash()
        );
        assert_eq!(d.focused(), focus, "{}: the focus stays", spec.title);
        // The next key goes into the field with the focus (q would quit on the panes).
        let name = d.focused().expect("a field has the focus");
        let kind = spec.fields.iter().find(|f| f.name == name).unwrap().kind;
        if typeable(kind) {
            let before = d.field(name);
            d.key('q');
            assert_eq!(d.field(name), format!("{before}q"), "{}: into {name}", spec.title);
        }
        assert!(!d.m.quit, "{}", spec.title);
        // Then Esc leaves as it does otherwise: a warning over typed text, then out.
        d.press(KeyCode::Esc);
        d.press(KeyCode::Esc);
        assert!(d.form().is_none(), "{}: closed by the next Escs", spec.title);
    }
    assert!(refused.len() >= 20, "forms refused and checked: {refused:?}");
}

#[test]
fn a_refused_form_closes_with_two_escs_and_an_untouched_one_with_one() {
    let mut d = Desk::demo();
    d.key('5');
    pick(&mut d, "DEMO-0001");
    d.key('r');
    d.fill("start", "next week");
    d.press(KeyCode::Enter);
    assert!(d.field_error("start").is_some());
    d.press(KeyCode::Esc);
    assert!(d.field_error("start").is_none(), "dismissed");
    assert_eq!(d.field("start"), "next week", "kept");
    d.press(KeyCode::Esc);
    assert!(d.form().is_none(), "the second Esc closes it");
    // Nothing typed (the voucher id was filled in by the desk): one Esc.
    d.key('r');
    d.press(KeyCode::Enter);
    assert!(refusal_shown(&d));
    d.press(KeyCode::Esc);
    assert!(d.form().is_none(), "nothing typed to keep: one Esc closes it");
}

#[test]
fn the_reserve_form_shows_the_administrator_email_it_validates_with() {
    let mut d = Desk::demo();
    d.key('5');
    pick(&mut d, "DEMO-0001");
    d.key('r');
    let recorded = d.voucher("DEMO-0001").unwrap().admin_email;
    assert_eq!(d.field("admin_email"), recorded, "filled in from the voucher");
    for (w, h) in [(80, 24), (200, 50)] {
        let screen = squash(&d.screen(w, h));
        assert!(screen.contains(&recorded), "the email is visible: {screen}");
        assert!(
            screen.contains("Reserving validates the voucher with this email (as recorded on step 4)"),
            "{screen}"
        );
    }
    d.fill("admin_email", "someone@else.example");
    let screen = squash(&d.screen(80, 24));
    assert!(
        screen.contains("Reserving validates with this email: not the one recorded on step 4"),
        "{screen}"
    );
}

#[test]
fn w_writes_the_list_in_view_to_a_workbook_with_the_customer_names() {
    use calamine::{Reader, Xlsx, open_workbook};
    use saps::ui::tab::Tab;
    let mut d = Desk::demo();
    d.key('5');
    d.filter("reserved");
    let shown: Vec<String> = {
        let list = d.m.list(Tab::Reserve);
        (0..list.len())
            .filter_map(|i| list.key(i).map(str::to_string))
            .collect()
    };
    assert!(shown.len() > 1);
    d.key('w');
    assert!(
        squash(&d.screen(80, 24)).contains(".xlsx"),
        "the form names the workbook"
    );
    let file = d.dir.path().join("reserved.xlsx");
    d.fill("file", &file.display().to_string());
    d.press(KeyCode::Enter);
    assert!(d.form().is_none(), "{:?}", d.form().map(|f| &f.message));
    assert!(d.flash().contains("reserved.xlsx"), "{}", d.flash());
    let mut book: Xlsx<_> = open_workbook(&file).expect("a workbook");
    let sheet = book.worksheet_range("Vouchers").expect("a Vouchers sheet");
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows[0][3], "Customer name");
    let ids: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids, shown, "the list in view, in its order");
    let tailspin = rows.iter().find(|r| r[0] == "DEMO-0007").expect("DEMO-0007");
    assert_eq!(tailspin[3], "Tailspin Toys");
    // Not over an existing file.
    d.key('w');
    d.fill("file", &file.display().to_string());
    d.press(KeyCode::Enter);
    let message = d.form().and_then(|f| f.message.clone()).unwrap_or_default();
    assert!(message.contains("exists already"), "{message}");
}

/// The column where `needle` starts on the line that holds it.
fn column_of(screen: &str, needle: &str) -> Option<usize> {
    let line = screen.lines().find(|l| l.contains(needle))?;
    Some(line[..line.find(needle)?].chars().count())
}

#[test]
fn the_report_checklist_sits_beside_the_form_when_wide_and_below_it_when_narrow() {
    let mut d = Desk::demo_as(CODY);
    d.key('6');
    pick(&mut d, "DEMO-0005");
    d.key('d');
    assert_eq!(d.form_title(), Some("Completion report (saved as you type)"));
    // Wide: its own box to the right of the form, every rule in it.
    for (w, h) in [(120, 30), (200, 50)] {
        let screen = d.screen(w, h);
        let title = column_of(&screen, "Completion report").unwrap();
        let label = column_of(&screen, "Voucher id").unwrap_or(title);
        let check = column_of(&screen, "Before submitting").expect("the checklist");
        assert!(screen.contains(" Checklist "), "{screen}");
        assert!(check > label + 40, "beside the form at {w}x{h}:\n{screen}");
        let row_of = |n: &str| screen.lines().position(|l| l.contains(n)).unwrap();
        assert!(
            row_of("Before submitting") <= row_of("Voucher id") + 1,
            "level with the form's first fields:\n{screen}"
        );
    }
    // Narrow: under the fields, whole when it fits...
    let screen = d.screen(80, 24);
    assert!(!screen.contains(" Checklist "), "{screen}");
    let check = column_of(&screen, "Before submitting").expect("the checklist");
    assert!(check < 20, "below the fields:\n{screen}");
    assert!(!screen.contains("more (beside"), "{screen}");
    // ...and saying what is cut when it does not.
    let screen = d.screen(80, 16);
    assert!(screen.contains("Before submitting (3 unmet)"), "{screen}");
    assert!(screen.contains("↓ 1 more (beside"), "{screen}");
}

#[test]
fn down_in_a_picker_with_nothing_left_to_choose_stays_in_the_field() {
    let mut d = Desk::demo();
    d.key('8');
    pick(&mut d, "DEMO-0014");
    d.key('i');
    assert_eq!(d.form_title(), Some("Request payment"));
    d.fill("location_id", "INV");
    d.press(KeyCode::Down);
    assert_eq!(d.focused(), Some("location_id"), "↓ stays with the list");
    assert!(d.flash().contains("No choice matches \"INV\""), "{}", d.flash());
    d.ctrl('u');
    assert_eq!(d.field("location_id"), "", "Ctrl-U clears this field");
    assert_eq!(d.field("voucher_id"), "DEMO-0014", "not the one above it");
    // With choices, ↓ moves in them.
    d.press(KeyCode::Down);
    assert_eq!(d.focused(), Some("location_id"));
    assert_eq!(d.form().unwrap().pick, Some(0));
}
